//! Drives a detector as the engine does: one run per layer, one `file` call per wanted
//! file, then `finish`.

use std::path::{Path, PathBuf};

use strata_core::{
    Diagnostic, EntryKind, FileMeta, FileRef, Finding, ImagePath, OsInfo, Output, Package,
};
use strata_detect_os::{OsConfig, detectors};

/// The crate's testdata directory.
pub(crate) fn testdata(rel: &str) -> PathBuf {
    Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("testdata")
        .join(rel)
}

/// Reads a fixture file.
pub(crate) fn read(rel: &str) -> Vec<u8> {
    let p = testdata(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Reads a fixture's expected JSON.
pub(crate) fn expected(rel: &str) -> serde_json::Value {
    serde_json::from_slice(&read(rel)).unwrap()
}

/// Runs the detector `id` over one layer made of `(image path, body)` files; `cap` caps
/// the bodies as a `max_bytes` interest would (marking them truncated).
pub(crate) fn run_capped(
    id: &str,
    files: &[(&str, &[u8])],
    cap: Option<usize>,
) -> (Vec<Finding>, Vec<Diagnostic>) {
    let all = detectors(&OsConfig::default());
    let det = all.iter().find(|d| d.id() == id).expect("detector id");
    assert_eq!(det.group(), "os");
    assert!(!det.interest().is_empty());
    let mut out = Output::new();
    let mut run = det.start();
    for (path, body) in files {
        let path = ImagePath::from_str_lossy(path);
        let meta = FileMeta {
            kind: EntryKind::File,
            mode: 0o644,
            uid: 0,
            gid: 0,
            size: body.len() as u64,
            mtime: 0,
            link: None,
        };
        let (data, truncated) = match cap {
            Some(c) if body.len() > c => (&body[..c], true),
            _ => (*body, false),
        };
        run.file(&FileRef::new(&path, &meta, truncated), data, &mut out);
    }
    run.finish(&mut out);
    out.into_parts()
}

/// [`run_capped`] without a cap.
pub(crate) fn run(id: &str, files: &[(&str, &[u8])]) -> (Vec<Finding>, Vec<Diagnostic>) {
    run_capped(id, files, None)
}

/// The packages among findings.
pub(crate) fn packages(findings: &[Finding]) -> Vec<&Package> {
    findings
        .iter()
        .filter_map(|f| match f {
            Finding::Package(p) => Some(&**p),
            _ => None,
        })
        .collect()
}

/// The OS findings.
pub(crate) fn oses(findings: &[Finding]) -> Vec<&OsInfo> {
    findings
        .iter()
        .filter_map(|f| match f {
            Finding::Os(o) => Some(o),
            _ => None,
        })
        .collect()
}

/// What the engine keeps: the highest-precedence OS (the first of equals).
pub(crate) fn best_os(findings: &[Finding]) -> Option<OsInfo> {
    let mut best: Option<&OsInfo> = None;
    for o in oses(findings) {
        if best.is_none_or(|b| o.precedence > b.precedence) {
            best = Some(o);
        }
    }
    best.cloned()
}

/// A JSON string field.
pub(crate) fn s<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"))
}
