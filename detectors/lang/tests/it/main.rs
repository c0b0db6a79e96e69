//! Integration tests: every detector driven through the `Detector` trait (start, file,
//! finish) as the engine drives it, on the peers' fixtures in `testdata/` (see
//! `testdata/ATTRIBUTION.md`), asserting the peers' expected values.

mod binaries;
mod engine;
mod hostile;
mod node;
mod others;
mod python;

use std::path::PathBuf;

use serde_json::Value;
use strata_core::path::ImagePath;
use strata_core::{Detector, Diagnostic, EntryKind, FileMeta, FileRef, Finding, Output, Package};

/// Path of a fixture.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("testdata")
        .join(rel)
}

/// Reads a fixture.
pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Reads an expected-values JSON file.
pub fn expected(rel: &str) -> Value {
    serde_json::from_slice(&read(rel)).expect("expected json")
}

/// Runs one detector over one layer made of `files` (image path, body), like the engine:
/// `start`, `file` per file, `finish`.
pub fn run(det: &dyn Detector, files: &[(&str, &[u8])]) -> (Vec<Package>, Vec<Diagnostic>) {
    run_capped(det, files, usize::MAX)
}

/// Same, handing at most `cap` bytes of each body (marked truncated when shorter).
pub fn run_capped(
    det: &dyn Detector,
    files: &[(&str, &[u8])],
    cap: usize,
) -> (Vec<Package>, Vec<Diagnostic>) {
    let mut out = Output::new();
    let mut run = det.start();
    for (p, body) in files {
        let path = ImagePath::normalize(p.as_bytes()).expect("path");
        let meta = FileMeta {
            kind: EntryKind::File,
            mode: 0o100755,
            uid: 0,
            gid: 0,
            size: body.len() as u64,
            mtime: 0,
            link: None,
        };
        let n = body.len().min(cap);
        let file = FileRef::new(&path, &meta, n < body.len());
        run.file(&file, &body[..n], &mut out);
    }
    run.finish(&mut out);
    let (findings, diags) = out.into_parts();
    let pkgs = findings
        .into_iter()
        .map(|f| match f {
            Finding::Package(p) => *p,
            other => panic!("unexpected finding {other:?}"),
        })
        .collect();
    (pkgs, diags)
}

/// A detector by id, default configuration.
pub fn detector(id: &str) -> Box<dyn Detector> {
    strata_detect_lang::detectors(&strata_detect_lang::LangConfig::default())
        .into_iter()
        .find(|d| d.id() == id)
        .unwrap_or_else(|| panic!("no detector {id}"))
}

/// Strings of a JSON array (null or absent: empty).
pub fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Trivy's relationship names to `Package::direct`.
pub fn direct_of(rel: Option<&Value>) -> Option<bool> {
    match rel.and_then(Value::as_str) {
        Some("RelationshipDirect") => Some(true),
        Some("RelationshipIndirect") => Some(false),
        _ => None,
    }
}
