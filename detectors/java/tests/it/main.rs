//! Integration tests of strata-detect-java: real fixtures from the peers' test suites
//! (testdata/, see ATTRIBUTION.md) and archives built in code (nested, hostile, runtimes).

mod corpus;
mod detector;
mod hostile;
mod nested;
mod runtime;
mod zipw;

use strata_core::{Diagnostic, Package};
use strata_detect_java::{JavaConfig, Sha1Index, scan_archive};

pub(crate) fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("testdata").join(name)).unwrap()
}

pub(crate) fn scan(path: &str, data: &[u8]) -> (Vec<Package>, Vec<Diagnostic>) {
    let s = scan_archive(&JavaConfig::default(), None, path, data);
    (s.packages, s.diagnostics)
}

pub(crate) fn scan_with(
    cfg: &JavaConfig,
    index: Option<&Sha1Index>,
    path: &str,
    data: &[u8],
) -> (Vec<Package>, Vec<Diagnostic>) {
    let s = scan_archive(cfg, index, path, data);
    (s.packages, s.diagnostics)
}

/// `(name, version, origin.path)` triples, sorted.
pub(crate) fn triples(pkgs: &[Package]) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = pkgs
        .iter()
        .map(|p| (p.name.clone(), p.version.clone(), p.origin.path.clone()))
        .collect();
    v.sort();
    v
}

pub(crate) fn codes(d: &[Diagnostic]) -> Vec<&str> {
    d.iter().map(|d| d.code.as_str()).collect()
}
