//! Integration tests: real rpm databases (go-rpmdb fixtures) and corrupted copies of them.

mod corrupt;
mod fixtures;

use std::path::PathBuf;

/// Bytes of a file under `testdata/`.
pub(crate) fn testdata(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("testdata")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub(crate) const BDB: &str = "bdb-rhel8-libuuid/Packages";
pub(crate) const NDB: &str = "ndb-sle15-bci/Packages.db";
pub(crate) const SQLITE: &str = "sqlite-cbl-mariner-2.0/rpmdb.sqlite";
