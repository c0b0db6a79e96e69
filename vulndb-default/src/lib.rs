//! The embedded default vulnerability database.
//!
//! # Design
//!
//! The advisory feeds the project ships live compressed in `data/*.tar.zst` (sources,
//! commits and licenses in `SOURCES.md`). `build.rs` imports them with
//! [`strata_vulndb::Builder`] (format detected per file) into `OUT_DIR/default.vulndb`,
//! which is embedded with `include_bytes!`: the scanner works offline with no download,
//! and opening the embedded database costs a header and metadata parse.

use std::sync::OnceLock;

use strata_vulndb::{Database, DbInfo};

static BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/default.vulndb"));

/// The raw embedded database file.
pub fn bytes() -> &'static [u8] {
    BYTES
}

/// Opens the embedded database (cheap: no copy, blocks are inflated on lookup).
pub fn database() -> Database {
    Database::from_bytes(BYTES).expect("the embedded database was written by this build")
}

/// What the build imported: counts per feed and format, files not recognised, errors.
pub fn build_report() -> &'static str {
    include_str!(concat!(env!("OUT_DIR"), "/build-report.txt"))
}

/// Metadata of the embedded database (build time, feeds, counts).
pub fn info() -> DbInfo {
    static INFO: OnceLock<DbInfo> = OnceLock::new();
    INFO.get_or_init(|| database().info().clone()).clone()
}
