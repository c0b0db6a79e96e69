//! Strata's vulnerability database: the advisory model, importers for real feeds and the
//! compiled, indexed database file.
//!
//! # Design
//!
//! Importers ([`import`]) turn each feed into the one [`model`] (OSV-style events, plus
//! constraint lists for feeds that state versions as requirements). [`Builder`] walks
//! directories and archives, detects each file's format by content, and [`db::write`]
//! compiles the advisories into a single file: a sorted `(namespace, package)` key index
//! over binary blocks, so opening costs one read and a metadata parse, and a lookup
//! binary-searches the index and decodes one block. A package block is a compact varint
//! encoding of its statements ([`block`]), stored raw when small (almost all are), so a
//! lookup reads it in place: [`Database::package_block`] gives a [`PackageBlock`] whose
//! [`Statements`] borrow their strings from the file (a few vectors per lookup, no
//! per-string allocation, no JSON); `ecosystem_specific` is kept as JSON text inside the
//! record. Advisory text is in LZ4 blocks of 16 binary records, read with
//! [`Database::for_each_advisory`] (borrowed) or [`Database::advisories`] (owned). The
//! file is schema-versioned ([`db::SCHEMA_VERSION`]) and untrusted: every length and count
//! is checked against the bytes present, so damage is [`Error::Corrupt`], never a panic.
//! A custom format was chosen over SQLite to stay pure Rust, embeddable with
//! `include_bytes!` and cheap to build (no C compiler). Crates: `lz4_flex` (safe,
//! pure-Rust LZ4: inflates about five times faster than deflate, which dominated
//! matching; the embedded database is 26 MB against 21 MB with deflate), `serde_json`
//! for the metadata, `serde_norway` for YAML feeds, `tar` + `ruzstd` (pure Rust) and
//! `flate2` for feed archives, `foldhash` for the KEV id set (looked up once per finding
//! id), `strata-version` only for its `EventKind` (the shape its range check takes). Version comparison is not done here: matchers evaluate the stored
//! events and constraints with `strata-version`. Modular RPMs are keyed
//! `module:stream::name` by every importer (the OSV AlmaLinux importer takes the stream
//! from the advisory title); Ubuntu ESM statements go to `ubuntu:<release>-esm`.

pub mod block;
pub mod builder;
pub mod cvss;
pub mod db;
pub mod import;
pub mod model;

pub use builder::{BuildReport, Builder, build};
pub use block::{AdvisoryRef, AffectedRef, CvssRef, EventKind, Statements};
pub use db::{Candidate, Database, DbInfo, PackageBlock, SourceInfo, normalize_name};
pub use model::{Advisory, Affected, AffectedStatus, Event, NameKind, Range, RangeKind};

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("cannot access {path}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a Strata database.
    #[error("not a strata vulnerability database (bad magic)")]
    BadMagic,
    /// The file has another schema version.
    #[error("unsupported database schema version {found} (this build reads version {expected}); rebuild the database")]
    SchemaVersion {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// The file is damaged.
    #[error("corrupt vulnerability database: {0}")]
    Corrupt(String),
    /// A feed file or archive could not be read.
    #[error("cannot parse {path}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// Serialising the database failed.
    #[error("cannot write the database")]
    Write(#[source] std::io::Error),
}
