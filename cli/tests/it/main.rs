//! The `strata` binary: exit codes, formats, outputs.

use std::path::PathBuf;
use std::process::Command;

fn strata() -> Command {
    Command::new(env!("CARGO_BIN_EXE_strata"))
}

fn images() -> PathBuf {
    let dir = std::env::var_os("STRATA_IMAGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/strata-images"));
    assert!(dir.join("layered.oci/index.json").exists(), "run scripts/build-test-images.sh first");
    dir
}

#[test]
fn unreadable_input_exits_2_with_one_line() {
    for target in ["/nonexistent/image.tar", "docker-archive:/nonexistent.tar", "oci:/nonexistent-layout"] {
        let out = strata().args(["scan", "--no-cache", target]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{target}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        assert!(err.starts_with("strata: error: ") && err.contains("nonexistent"), "{err}");
    }
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.tar");
    std::fs::write(&garbage, b"definitely not an image").unwrap();
    let out = strata().args(["scan", "--no-cache"]).arg(&garbage).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_usage_exits_2() {
    let out = strata().args(["scan"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = strata().args(["scan", "--format", "nope", "dir:/tmp"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format"));
    let out = strata().args(["scan", "--platform", "linux", "dir:/tmp"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = strata().args(["scan", "--scanners", "os,bogus", "--no-cache", "dir:/tmp"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bogus"));
}

#[test]
fn json_report_contract_and_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("r.json");
    let st = strata()
        .args(["scan", "--no-cache", "--quiet", "-f", "json", "-o"])
        .arg(&out_file)
        .arg(format!("oci:{}", images().join("layered.oci").display()))
        .status()
        .unwrap();
    assert!(st.success());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    assert_eq!(v["schema_version"], 1);
    for key in ["target", "image", "packages", "vulnerabilities", "secrets", "malware", "misconfigurations", "compliance", "files", "base_image", "diagnostics"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["image"]["os"]["family"], "debian");
    let layers = v["image"]["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 4);
    for (i, l) in layers.iter().enumerate() {
        assert_eq!(l["index"], i);
        for k in ["digest", "diff_id", "size", "created_by"] {
            assert!(l.get(k).is_some(), "layer field {k}");
        }
    }
    let p = &v["packages"][0];
    for k in ["name", "version", "ecosystem", "purl", "arch", "layer", "path"] {
        assert!(p.get(k).is_some(), "package field {k}: {p}");
    }
    assert!(v["files"]["largest"].as_array().unwrap().len() == 50);
}

#[test]
fn exit_code_on_findings_at_or_above_threshold() {
    let target = format!("oci:{}", images().join("layered.oci").display());
    let out = strata().args(["scan", "--no-cache", "--quiet", "--scanners", "secret", "--exit-code", "5", "--fail-on", "high", &target]).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "secrets are high or critical");
    let out = strata().args(["scan", "--no-cache", "--quiet", "--scanners", "os", "--exit-code", "5", &target]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "no finding from the os scanner alone");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("Packages (") && table.contains("bash"), "{table}");
}

#[test]
fn platform_flag_picks_one_image_of_an_index() {
    let target = format!("oci:{}", images().join("multiarch.oci").display());
    let out = strata().args(["scan", "--no-cache", "--quiet", "-f", "json", "--scanners", "os", "--platform", "linux/386", &target]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["image"]["platform"]["architecture"], "386");
    let out = strata().args(["scan", "--no-cache", "--quiet", "-f", "json", "--scanners", "os", &target]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["platforms"].as_array().unwrap().len(), 2);
    assert_eq!(v["summary"]["platforms"], 2);
}
