//! The reference validators from PyPI (installed by scripts/setup.sh):
//! cyclonedx-python-lib's strict JSON validator and spdx-tools' `pyspdxtools`. When they
//! are missing the test prints a note and checks nothing more than the Rust validators do.

use std::path::Path;
use std::process::Command;

use strata_core::report::ScanOutput;

use crate::{fixtures, render};

const CDX_CHECK: &str = r#"
import sys
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
err = JsonStrictValidator(SchemaVersion.V1_6).validate_str(open(sys.argv[1], encoding="utf-8").read())
if err is not None:
    print(err)
    sys.exit(1)
"#;

fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn pyspdxtools() -> bool {
    Command::new("pyspdxtools")
        .arg("--help")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs both reference validators on `out`; returns false (after a note) when they are absent.
pub(crate) fn validate(out: &ScanOutput, what: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    // STRATA_REPORT_KEEP=DIR keeps the checked documents for inspection.
    let keep = std::env::var_os("STRATA_REPORT_KEEP").map(std::path::PathBuf::from);
    let mut ran = false;
    if python_has("cyclonedx.validation.json") {
        let f = dir.path().join("bom.cdx.json");
        std::fs::write(&f, render("cyclonedx", out)).unwrap();
        if let Some(k) = &keep {
            std::fs::copy(
                &f,
                k.join(format!("{}.cdx.json", what.replace(['/', ' ', '.'], "_"))),
            )
            .unwrap();
        }
        let o = Command::new("python3")
            .args(["-c", CDX_CHECK])
            .arg(&f)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "cyclonedx-python-lib rejects the {what} BOM:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        ran = true;
    } else {
        eprintln!(
            "note: cyclonedx-python-lib not installed (scripts/setup.sh); skipped its check of {what}"
        );
    }
    if pyspdxtools() {
        let f = dir.path().join("doc.spdx.json");
        std::fs::write(&f, render("spdx", out)).unwrap();
        if let Some(k) = &keep {
            std::fs::copy(
                &f,
                k.join(format!("{}.spdx.json", what.replace(['/', ' ', '.'], "_"))),
            )
            .unwrap();
        }
        check_spdx(&f, what);
        ran = true;
    } else {
        eprintln!(
            "note: pyspdxtools not installed (scripts/setup.sh); skipped its check of {what}"
        );
    }
    ran
}

fn check_spdx(f: &Path, what: &str) {
    let o = Command::new("pyspdxtools")
        .arg("-i")
        .arg(f)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        o.status.success() && !text.contains("rror") && !text.contains("nvalid"),
        "pyspdxtools rejects the {what} document:\n{text}"
    );
}

#[test]
fn reference_validators_accept_built_reports() {
    for (out, what) in [
        (fixtures::single(), "single image"),
        (fixtures::index(), "index"),
        (fixtures::empty(), "empty"),
    ] {
        validate(&out, what);
    }
}

/// The reference SPDX validator is not a rubber stamp: a document with an undeclared
/// LicenseRef fails.
#[test]
fn pyspdxtools_rejects_an_undeclared_license_ref() {
    if !pyspdxtools() {
        eprintln!("note: pyspdxtools not installed; skipped");
        return;
    }
    let mut doc: serde_json::Value =
        serde_json::from_str(&render("spdx", &fixtures::single())).unwrap();
    doc["hasExtractedLicensingInfos"] = serde_json::json!([]);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.spdx.json");
    std::fs::write(&f, doc.to_string()).unwrap();
    let o = Command::new("pyspdxtools")
        .arg("-i")
        .arg(&f)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !o.status.success() || text.contains("LicenseRef"),
        "pyspdxtools accepted an undeclared LicenseRef:\n{text}"
    );
}
