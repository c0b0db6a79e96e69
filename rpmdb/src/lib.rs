//! Native readers for the rpm package database and rpm header blobs.
//!
//! The rpm database comes in three on-disk formats, all of which store one
//! rpm *header blob* per installed package:
//!
//! - BerkeleyDB hash `Packages` (RHEL/CentOS up to 8, older SUSE), see [`DbFormat::BerkeleyDb`];
//! - SQLite `rpmdb.sqlite`, table `Packages(hnum, blob)` (Fedora 33+, RHEL 9, CBL-Mariner),
//!   see [`DbFormat::Sqlite`];
//! - NDB `Packages.db` (SUSE 15+), see [`DbFormat::Ndb`].
//!
//! [`read_packages`] sniffs the format by magic bytes ([`detect_format`]), walks the
//! container to collect header blobs and decodes each with [`parse_header`]. A blob that
//! fails to decode becomes a [`Problem`] and the scan goes on; a container that cannot be
//! walked at all is an [`Error`].
//!
//! # Design
//!
//! Everything is pure safe Rust over a byte slice, with no librpm, libdb or libsqlite3:
//! images are attacker-controlled, the three container formats are only read (never
//! written), and only a tiny subset of each is needed. In particular the SQLite side is a
//! minimal reader of the documented SQLite file format (header, `sqlite_schema`, table
//! B-tree pages, record format, overflow chains) instead of `rusqlite` with the bundled C
//! library: it avoids a C build (about two minutes here), a `links = "sqlite3"` conflict
//! risk with other crates, and running a C parser on hostile input. Each reader
//! bounds-checks every offset, caps every count by the bytes actually present, and tracks
//! visited pages so that page cycles terminate. The BerkeleyDB and NDB layouts were
//! learned from go-rpmdb (MIT) and rpm's own sources; the code here is written from
//! scratch. Dependencies: `thiserror`, and `memchr` to find string terminators.

mod bdb;
mod bytes;
mod files;
mod header;
mod ndb;
mod sqlite;

pub use files::FileNames;
pub use header::parse_header;

/// The on-disk format of an rpm package database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DbFormat {
    /// BerkeleyDB hash database (`/var/lib/rpm/Packages`).
    BerkeleyDb,
    /// SQLite database (`rpmdb.sqlite`), table `Packages(hnum, blob)`.
    Sqlite,
    /// rpm's own "NDB" format (`Packages.db`, SUSE).
    Ndb,
}

impl DbFormat {
    /// A short human-readable name of the format.
    pub fn name(self) -> &'static str {
        match self {
            DbFormat::BerkeleyDb => "berkeleydb",
            DbFormat::Sqlite => "sqlite",
            DbFormat::Ndb => "ndb",
        }
    }
}

/// Recognises an rpm database by its magic bytes (never by file name).
///
/// Returns `None` for anything else, including BerkeleyDB files that are not hash
/// databases (rpm's `Packages` always is one).
pub fn detect_format(bytes: &[u8]) -> Option<DbFormat> {
    if bytes.starts_with(sqlite::MAGIC) {
        return Some(DbFormat::Sqlite);
    }
    if bytes.starts_with(ndb::MAGIC) {
        return Some(DbFormat::Ndb);
    }
    if bdb::is_hash_db(bytes) {
        return Some(DbFormat::BerkeleyDb);
    }
    None
}

/// One installed package, as decoded from its rpm header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RpmPackage {
    /// `NAME` (tag 1000).
    pub name: String,
    /// `EPOCH` (tag 1003), `None` when the header has no epoch.
    pub epoch: Option<i32>,
    /// `VERSION` (tag 1001).
    pub version: String,
    /// `RELEASE` (tag 1002).
    pub release: String,
    /// `ARCH` (tag 1022); `None` when absent (e.g. `gpg-pubkey` pseudo packages).
    pub arch: Option<String>,
    /// `SOURCERPM` (tag 1044), e.g. `util-linux-2.32.1-42.el8_8.src.rpm`.
    pub source_rpm: Option<String>,
    /// `VENDOR` (tag 1011).
    pub vendor: Option<String>,
    /// `LICENSE` (tag 1014).
    pub license: Option<String>,
    /// `SIZE` (tag 1009), or `LONGSIZE` (tag 5009) when only that is present.
    pub size: Option<u64>,
    /// `MODULARITYLABEL` (tag 5096).
    pub modularity_label: Option<String>,
    /// `SUMMARY` (tag 1004), first (untranslated) string.
    pub summary: Option<String>,
    /// Absolute paths of the files owned by the package: `DIRNAMES[DIRINDEXES[i]] +
    /// BASENAMES[i]`, or the legacy `OLDFILENAMES` (tag 1027) when there are no basenames.
    pub files: FileNames,
}

impl RpmPackage {
    /// `[epoch:]version-release`; the epoch is shown only when present.
    pub fn evr(&self) -> String {
        match self.epoch {
            Some(epoch) => format!("{epoch}:{}-{}", self.version, self.release),
            None => format!("{}-{}", self.version, self.release),
        }
    }
}

/// A problem with one record of the database; the scan went on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What went wrong, and which record (page, slot or row) it was.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not a known rpm database.
    #[error("not an rpm database (unknown magic)")]
    UnknownFormat,
    /// A BerkeleyDB file that cannot be walked.
    #[error("invalid berkeleydb file: {0}")]
    BerkeleyDb(String),
    /// An NDB file that cannot be walked.
    #[error("invalid ndb file: {0}")]
    Ndb(String),
    /// A SQLite file that cannot be walked.
    #[error("invalid sqlite file: {0}")]
    Sqlite(String),
    /// An rpm header blob that cannot be decoded.
    #[error("invalid rpm header: {0}")]
    Header(String),
}

/// Reads every package of an rpm database, whatever its format (see [`detect_format`]).
///
/// Header blobs that fail to decode are returned as [`Problem`]s. Packages come in
/// database order (hash order, slot order or row id order); `gpg-pubkey` pseudo packages
/// are returned like any other, as `rpm -qa` lists them.
pub fn read_packages(bytes: &[u8]) -> Result<(Vec<RpmPackage>, Vec<Problem>), Error> {
    let format = detect_format(bytes).ok_or(Error::UnknownFormat)?;
    read_packages_as(bytes, format)
}

/// Like [`read_packages`], with the format given by the caller.
pub fn read_packages_as(
    bytes: &[u8],
    format: DbFormat,
) -> Result<(Vec<RpmPackage>, Vec<Problem>), Error> {
    let mut problems = Vec::new();
    let mut packages = Vec::new();
    let mut scratch = header::Scratch::default();
    let mut decode = |record: &dyn std::fmt::Display, blob: bytes::Pieces<'_>, problems: &mut Vec<Problem>| {
        match header::parse(blob, &mut scratch) {
            Ok(package) => packages.push(package),
            Err(err) => problems.push(Problem {
                message: format!("{} record {record}: {err}", format.name()),
            }),
        }
    };
    match format {
        DbFormat::Sqlite => sqlite::for_each_blob(bytes, &mut problems, &mut decode)?,
        DbFormat::BerkeleyDb | DbFormat::Ndb => {
            let blobs = match format {
                DbFormat::BerkeleyDb => bdb::blobs(bytes, &mut problems)?,
                _ => ndb::blobs(bytes, &mut problems)?,
            };
            for (label, blob) in blobs {
                decode(&label, bytes::Pieces::new(&[&blob]), &mut problems);
            }
        }
    }
    Ok((packages, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evr_shows_epoch_only_when_present() {
        let mut p = RpmPackage {
            name: "curl".into(),
            version: "7.76.0".into(),
            release: "6.cm2".into(),
            ..RpmPackage::default()
        };
        assert_eq!(p.evr(), "7.76.0-6.cm2");
        p.epoch = Some(0);
        assert_eq!(p.evr(), "0:7.76.0-6.cm2");
        p.epoch = Some(1);
        assert_eq!(p.evr(), "1:7.76.0-6.cm2");
    }

    #[test]
    fn detect_format_rejects_short_and_unknown_input() {
        assert_eq!(detect_format(b""), None);
        assert_eq!(detect_format(b"SQLite format"), None);
        assert_eq!(detect_format(&[0u8; 4096]), None);
        assert!(matches!(read_packages(b"hello"), Err(Error::UnknownFormat)));
    }
}
