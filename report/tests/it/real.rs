//! Reports of real scans by the `strata` CLI (built by the lead) of the shared test images,
//! rendered in every format and validated. Skipped, with a note, when the binary or the
//! images are absent; the built-report tests always run.

use std::path::PathBuf;
use std::process::Command;

use strata_core::report::ScanOutput;

use crate::{python, render, render_json, schemas};

fn binary() -> Option<PathBuf> {
    let mut c: Vec<PathBuf> = Vec::new();
    if let Ok(p) = std::env::var("STRATA_BIN") {
        c.push(p.into());
    }
    if let Ok(d) = std::env::var("CARGO_TARGET_DIR") {
        c.push(PathBuf::from(d).join("debug/strata"));
    }
    if let Ok(h) = std::env::var("HOME") {
        c.push(PathBuf::from(h).join(".cache/strata-target/debug/strata"));
    }
    c.into_iter().find(|p| p.is_file())
}

fn scan(image: &str) -> Option<ScanOutput> {
    let Some(bin) = binary() else {
        eprintln!(
            "note: no strata binary (STRATA_BIN, $CARGO_TARGET_DIR/debug/strata); real-scan check skipped"
        );
        return None;
    };
    let path = PathBuf::from(std::env::var("HOME").unwrap_or_default())
        .join(".cache/strata-images")
        .join(image);
    if !path.exists() {
        eprintln!(
            "note: {} missing (scripts/build-test-images.sh); real-scan check skipped",
            path.display()
        );
        return None;
    }
    let o = Command::new(&bin)
        .args(["scan", "-q", "-f", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{} scan failed: {}",
        bin.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    Some(serde_json::from_slice(&o.stdout).expect("the CLI's JSON parses as a ScanOutput"))
}

fn check(out: &ScanOutput, what: &str) {
    schemas::assert_valid(schemas::cyclonedx(), &render_json("cyclonedx", out), what);
    schemas::assert_valid(schemas::spdx(), &render_json("spdx", out), what);
    schemas::assert_valid(schemas::sarif(), &render_json("sarif", out), what);
    python::validate(out, what);

    let reports = out.reports();
    let packages: usize = reports.iter().map(|r| r.packages.len()).sum();
    let oses = reports.iter().filter(|r| r.image.os.is_some()).count();
    let findings: usize = reports
        .iter()
        .map(|r| {
            r.vulnerabilities.len()
                + r.secrets.len()
                + r.malware.len()
                + r.misconfigurations.len()
                + r.compliance.len()
        })
        .sum();
    assert!(packages > 0, "{what}: the scan found no packages");

    let spdx = render_json("spdx", out);
    let index_pkgs = usize::from(matches!(out, ScanOutput::Index(_)));
    assert_eq!(
        spdx["packages"].as_array().unwrap().len(),
        index_pkgs + reports.len() + oses + packages,
        "{what}"
    );

    let sarif = render_json("sarif", out);
    let results: usize = sarif["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["results"].as_array().unwrap().len())
        .sum();
    assert_eq!(results, findings, "{what}");

    let csv = render("csv", out);
    assert_eq!(
        crate::content::parse_csv(&csv).len(),
        1 + packages + findings,
        "{what}"
    );

    let html = render("html", out);
    let table = render("table", out);
    assert!(!table.is_empty());
    for r in &reports {
        for s in &r.secrets {
            // (The table truncates long cells, and HTML escapes: check the two exact ones.)
            for (f, text) in [("sarif", &sarif.to_string()), ("csv", &csv)] {
                let needle = if f == "sarif" {
                    serde_json::to_string(&s.redacted)
                        .unwrap()
                        .trim_matches('"')
                        .to_string()
                } else {
                    s.redacted.clone()
                };
                assert!(
                    text.contains(&needle),
                    "{what}: {f} lacks the redacted match {:?}",
                    s.redacted
                );
            }
            if !s.fingerprint.is_empty() {
                for (f, text) in [
                    ("sarif", sarif.to_string()),
                    ("csv", csv.clone()),
                    ("html", html.clone()),
                    ("table", table.clone()),
                    ("cyclonedx", render("cyclonedx", out)),
                    ("spdx", spdx.to_string()),
                ] {
                    assert!(
                        !text.contains(&s.fingerprint),
                        "{what}: {f} shows a secret fingerprint"
                    );
                }
            }
        }
    }
}

#[test]
fn real_single_image_scan() {
    if let Some(out) = scan("layered.oci") {
        check(&out, "layered.oci");
    }
}

#[test]
fn real_index_scan() {
    if let Some(out) = scan("multiarch.oci") {
        assert!(
            matches!(out, ScanOutput::Index(_)),
            "multiarch.oci is an index"
        );
        check(&out, "multiarch.oci");
    }
}
