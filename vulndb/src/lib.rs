//! Strata's vulnerability database: the advisory model, importers for real feeds and the
//! compiled, indexed database file.
//!
//! # Design
//!
//! Importers ([`import`]) turn each feed into the one [`model`] (OSV-style events, plus
//! constraint lists for feeds that state versions as requirements). [`Builder`] walks
//! directories and archives, detects each file's format by content, and [`db::write`]
//! compiles the advisories into a single file: a sorted `(namespace, package)` key index
//! and deflate-compressed blocks decoded lazily per lookup, so opening costs one read and
//! a metadata parse, and a lookup inflates only the blocks it needs. A custom format was
//! chosen over SQLite to stay pure Rust, embeddable with `include_bytes!` and cheap to
//! build (no C compiler). Crates: `serde_json` for records inside blocks, `flate2`
//! (zlib-rs backend) for blocks, `serde_norway` for YAML feeds, `tar` + `ruzstd` (pure
//! Rust) for archives. Version comparison is not done here: matchers evaluate the stored
//! events and constraints with `strata-version`.

pub mod block;
pub mod builder;
pub mod cvss;
pub mod db;
pub mod import;
pub mod model;

pub use builder::{BuildReport, Builder, build};
pub use block::{AdvisoryRef, AffectedRef, EventKind, Statements};
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
