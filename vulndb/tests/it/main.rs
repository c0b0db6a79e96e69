//! Integration tests of the importers and the database on the real feeds the project
//! ships (`vulndb-default/data/*.tar.zst`, see its SOURCES.md).

mod db;
mod feeds;

use std::path::PathBuf;

/// A data archive of the default database.
pub(crate) fn data(name: &str) -> PathBuf {
    PathBuf::from(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("../vulndb-default/data").join(name)
}
