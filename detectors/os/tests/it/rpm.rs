//! rpm databases (read from `rpmdb/testdata`, shared with `strata-rpmdb`) against the
//! `rpm -qa` lists transcribed in the corpus.

use std::path::Path;

use serde_json::Value;
use strata_core::{Ecosystem, OsInfo};
use strata_detect_os::{OsConfig, refine::refine_findings};

use crate::harness::{packages, run, s};

fn rpmdb_testdata(rel: &str) -> Vec<u8> {
    let p = Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../rpmdb/testdata")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn check(
    dir: &str,
    file: &str,
    image_path: &str,
    evidence: &str,
    count: usize,
) -> Vec<strata_core::Finding> {
    let body = rpmdb_testdata(&format!("{dir}/{file}"));
    let (findings, diags) = run("os/rpm", &[(image_path, &body)]);
    assert!(diags.is_empty(), "{dir}: {diags:?}");
    let exp: Value =
        serde_json::from_slice(&rpmdb_testdata(&format!("{dir}/expected-packages.json"))).unwrap();
    let exp = exp["packages"].as_array().unwrap();
    let got = packages(&findings);
    assert_eq!(exp.len(), count);
    assert_eq!(got.len(), count, "{dir}");
    for e in exp {
        let name = s(e, "name");
        let mut version = format!("{}-{}", s(e, "version"), s(e, "release"));
        if let Some(epoch) = e["epoch"].as_i64() {
            version = format!("{epoch}:{version}");
        }
        let p = got
            .iter()
            .find(|p| p.name == name && p.version == version)
            .unwrap_or_else(|| panic!("{dir}: {name} {version}"));
        assert_eq!(p.arch.as_deref(), e["arch"].as_str(), "{name}");
        assert_eq!(p.vendor.as_deref(), e["vendor"].as_str(), "{name}");
        assert_eq!(p.licenses, [s(e, "license")], "{name}");
        assert_eq!(p.ecosystem, Ecosystem::Rpm);
        assert_eq!(p.evidence.as_deref(), Some(evidence));
        assert_eq!(p.origin.path, image_path);
        // openssl-3.0.7-24.el9.src.rpm -> openssl, 3.0.7-24.el9
        let srpm = s(e, "source_rpm").strip_suffix(".src.rpm").unwrap();
        let sv = p.source_version.as_deref().unwrap();
        assert_eq!(
            format!("{}-{sv}", p.source_name.as_deref().unwrap()),
            srpm,
            "{name}"
        );
        assert_eq!(sv.matches('-').count(), 1, "{name}: {sv}");
        assert_eq!(
            p.properties.get("installed_size").map(String::as_str),
            Some(e["size"].to_string().as_str())
        );
        if let Some(label) = e["modularity_label"].as_str().filter(|l| !l.is_empty()) {
            assert_eq!(p.properties["modularity_label"], label);
        }
    }
    findings
}

#[test]
fn bdb_rhel8_libuuid() {
    let mut findings = check(
        "bdb-rhel8-libuuid",
        "Packages",
        "/var/lib/rpm/Packages",
        "rpmdb-bdb",
        1,
    );
    let p = packages(&findings)[0].clone();
    assert_eq!(p.source_name.as_deref(), Some("util-linux"));
    assert_eq!(p.source_version.as_deref(), Some("2.32.1-42.el8_8"));
    assert!(!p.files.is_empty());
    let os = OsInfo {
        family: "redhat".into(),
        version: "8.8".into(),
        ..Default::default()
    };
    refine_findings(
        &OsConfig::default(),
        Some(&os),
        &mut findings,
        &mut strata_core::Output::new(),
    );
    let p = packages(&findings)[0];
    assert_eq!(
        p.purl.as_deref(),
        Some("pkg:rpm/redhat/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=redhat-8.8")
    );
    assert_eq!(p.properties.get("third_party"), None);
    // The same package on a Rocky Linux image comes from another vendor: a Red Hat
    // package among Rocky ones is third-party...
    let rocky = OsInfo {
        family: "rocky".into(),
        version: "8.8".into(),
        ..Default::default()
    };
    let mut mixed = findings.clone();
    for i in 0..3 {
        let mut p = packages(&findings)[0].clone();
        p.name = format!("rocky-{i}");
        p.vendor = Some("Rocky Enterprise Software Foundation".into());
        mixed.push(strata_core::Finding::from(p));
    }
    let mut out = strata_core::Output::new();
    refine_findings(&OsConfig::default(), Some(&rocky), &mut mixed, &mut out);
    let flagged: Vec<&str> = packages(&mixed)
        .iter()
        .filter(|p| p.properties.get("third_party").map(String::as_str) == Some("true"))
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(flagged, ["libuuid"]);
    assert!(out.diagnostics().is_empty());
    // ...but when no package matches the configured vendors, the configuration is what
    // is wrong: nothing is flagged and a diagnostic says which vendor to add.
    let mut alone = findings.clone();
    let mut out = strata_core::Output::new();
    refine_findings(&OsConfig::default(), Some(&rocky), &mut alone, &mut out);
    assert_eq!(packages(&alone)[0].properties.get("third_party"), None);
    assert_eq!(out.diagnostics()[0].code, "rpm-vendor-unrecognised");
}

#[test]
fn ndb_sle15_bci() {
    let mut findings = check(
        "ndb-sle15-bci",
        "Packages.db",
        "/usr/lib/sysimage/rpm/Packages.db",
        "rpmdb-ndb",
        35,
    );
    let os = OsInfo {
        family: "sles".into(),
        version: "15.3".into(),
        ..Default::default()
    };
    refine_findings(
        &OsConfig::default(),
        Some(&os),
        &mut findings,
        &mut strata_core::Output::new(),
    );
    let got = packages(&findings);
    assert!(
        got.iter()
            .all(|p| !p.properties.contains_key("third_party"))
    );
    let glibc = got.iter().find(|p| p.name == "glibc").unwrap();
    assert_eq!(
        glibc.purl.as_deref(),
        Some("pkg:rpm/sles/glibc@2.31-9.3.2?arch=x86_64&distro=sles-15.3")
    );
}

#[test]
fn sqlite_cbl_mariner_2_with_epochs() {
    let mut findings = check(
        "sqlite-cbl-mariner-2.0",
        "rpmdb.sqlite",
        "/var/lib/rpm/rpmdb.sqlite",
        "rpmdb-sqlite",
        129,
    );
    let os = OsInfo {
        family: "cbl-mariner".into(),
        version: "2.0".into(),
        ..Default::default()
    };
    refine_findings(
        &OsConfig::default(),
        Some(&os),
        &mut findings,
        &mut strata_core::Output::new(),
    );
    let got = packages(&findings);
    let ca = got
        .iter()
        .find(|p| p.name == "ca-certificates-base")
        .unwrap();
    assert!(ca.version.starts_with("1:"));
    let purl = ca.purl.as_deref().unwrap();
    assert!(
        purl.starts_with("pkg:rpm/cbl-mariner/ca-certificates-base@"),
        "{purl}"
    );
    assert!(
        purl.ends_with("?arch=noarch&distro=cbl-mariner-2.0&epoch=1"),
        "{purl}"
    );
    assert!(!purl.contains("@1:"), "{purl}");
    assert!(
        got.iter()
            .all(|p| !p.properties.contains_key("third_party"))
    );
}
