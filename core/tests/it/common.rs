use std::collections::BTreeMap;
use std::path::Path;

use strata_core::{CacheConfig, Engine, Report, ScanOptions, ScanOutput};
use strata_testkit::{Probe, TreeLister};

pub(crate) fn engine(probe: &Probe, cache: Option<&Path>) -> Engine {
    Engine::builder()
        .detector(Box::new(probe.clone()))
        .analyzer(Box::new(TreeLister))
        .threads(2)
        .cache(cache.map(|d| CacheConfig { dir: d.to_owned(), max_bytes: 1 << 30 }))
        .build()
        .unwrap()
}

pub(crate) fn single(out: ScanOutput) -> Report {
    match out {
        ScanOutput::Single(r) => *r,
        ScanOutput::Index(_) => panic!("expected a single image"),
    }
}

pub(crate) fn scan(target: &str) -> Report {
    let probe = Probe::default();
    single(engine(&probe, None).scan(target, &ScanOptions::default()).unwrap())
}

/// Visible tree: path -> (kind, layer).
pub(crate) fn tree(r: &Report) -> BTreeMap<String, (String, u32)> {
    r.misconfigurations
        .iter()
        .filter(|m| m.id == "tree")
        .map(|m| (m.title.clone(), (m.message.clone(), m.category.parse().unwrap())))
        .collect()
}

/// Visible regular files with contents (from the probe's state findings).
pub(crate) fn contents(r: &Report) -> BTreeMap<String, String> {
    r.misconfigurations.iter().filter(|m| m.id == "probe").map(|m| (m.title.clone(), m.message.clone())).collect()
}

pub(crate) fn codes(r: &Report) -> Vec<String> {
    r.diagnostics.iter().map(|d| d.code.clone()).collect()
}

/// Symlink resolutions: path -> resolved path (or the problem).
pub(crate) fn links(r: &Report) -> BTreeMap<String, String> {
    r.misconfigurations
        .iter()
        .filter(|m| m.id == "tree" && m.message == "symlink")
        .map(|m| (m.title.clone(), m.resolution.clone()))
        .collect()
}
