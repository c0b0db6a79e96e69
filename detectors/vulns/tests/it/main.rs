//! Matching tests: real feeds (vulndb-default/data) and Trivy's end-to-end cases.

mod default_db;
mod realdata;
mod synthetic;
mod trivy;

use std::path::PathBuf;

use strata_core::{Output, Vulnerability};

pub(crate) fn data(name: &str) -> PathBuf {
    PathBuf::from(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("../../vulndb-default/data").join(name)
}

pub(crate) fn testdata(name: &str) -> PathBuf {
    PathBuf::from(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("testdata").join(name)
}

pub(crate) fn vulns(out: &Output) -> Vec<&Vulnerability> {
    out.findings()
        .iter()
        .filter_map(|f| match f {
            strata_core::Finding::Vulnerability(v) => Some(v),
            _ => None,
        })
        .collect()
}
