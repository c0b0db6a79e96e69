//! The detectors through the core `Detector` trait.

use strata_core::{Detector, EntryKind, FileMeta, FileRef, Finding, ImagePath, Output};
use strata_detect_java::{JavaConfig, Sha1Index, detectors, detectors_with_index};

use crate::testdata;

pub(crate) fn run_with(
    det: &dyn Detector,
    path: &str,
    data: &[u8],
    size: u64,
    truncated: bool,
) -> Output {
    let p = ImagePath::from_str_lossy(path);
    let meta = FileMeta {
        kind: EntryKind::File,
        mode: 0o644,
        uid: 0,
        gid: 0,
        size,
        mtime: 0,
        link: None,
    };
    let mut out = Output::new();
    let mut r = det.start();
    r.file(&FileRef::new(&p, &meta, truncated), data, &mut out);
    r.finish(&mut out);
    out
}

pub(crate) fn run(det: &dyn Detector, path: &str, data: &[u8]) -> Output {
    run_with(det, path, data, data.len() as u64, false)
}

#[test]
fn ids_groups_and_findings_through_the_trait() {
    let dets = detectors(&JavaConfig::default());
    let ids: Vec<(&str, &str)> = dets.iter().map(|d| (d.id(), d.group())).collect();
    assert_eq!(
        ids,
        vec![("lang/java", "lang"), ("lang/java-runtime", "lang")]
    );
    assert!(!dets[0].interest().is_empty());
    assert!(!dets[1].interest().is_empty());
    let out = run(dets[0].as_ref(), "/app/maven.war", &testdata("maven.war"));
    let pkgs: Vec<_> = out
        .findings()
        .iter()
        .filter(|f| matches!(f, Finding::Package(_)))
        .collect();
    assert_eq!(pkgs.len(), 8);
    assert!(out.diagnostics().is_empty());
}

#[test]
fn truncated_body_is_reported() {
    let dets = detectors(&JavaConfig::default());
    let data = testdata("maven.war");
    let out = run_with(
        dets[0].as_ref(),
        "/app/maven.war",
        &data[..1000],
        data.len() as u64,
        true,
    );
    assert!(out.findings().is_empty());
    assert_eq!(out.diagnostics()[0].code, "java-archive-truncated");
    assert_eq!(out.diagnostics()[0].path.as_deref(), Some("/app/maven.war"));
}

#[test]
fn sha1_index_from_a_file_and_config_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index.csv");
    std::fs::write(
        &path,
        "c666f5bc47eb64ed3bbd13505a26f58be71f33f0,org.springframework:spring-core:5.3.3\n",
    )
    .unwrap();
    let cfg = JavaConfig {
        sha1_index: Some(path.clone()),
        ..JavaConfig::default()
    };
    let dets = strata_detect_java::try_detectors(&cfg).unwrap();
    let out = run(dets[0].as_ref(), "/lib/test.jar", &testdata("test.jar"));
    let Finding::Package(p) = &out.findings()[0] else {
        panic!()
    };
    assert_eq!(
        (p.name.as_str(), p.version.as_str()),
        ("org.springframework:spring-core", "5.3.3")
    );
    let plain = detectors(&JavaConfig::default());
    assert_ne!(dets[0].config_fingerprint(), plain[0].config_fingerprint());
    let same = detectors_with_index(
        &JavaConfig::default(),
        Sha1Index::parse(
            "c666f5bc47eb64ed3bbd13505a26f58be71f33f0,org.springframework:spring-core:5.3.3\n",
            "x",
        )
        .unwrap(),
    );
    assert_eq!(same[0].config_fingerprint(), dets[0].config_fingerprint());

    // A missing index: try_detectors fails, detectors reports it per layer.
    let bad = JavaConfig {
        sha1_index: Some(dir.path().join("missing.csv")),
        ..JavaConfig::default()
    };
    assert!(strata_detect_java::try_detectors(&bad).is_err());
    let dets = detectors(&bad);
    let out = run(dets[0].as_ref(), "/lib/test.jar", &testdata("test.jar"));
    assert_eq!(out.diagnostics()[0].code, "java-sha1-index-unreadable");
    assert_eq!(out.findings().len(), 1);
}

#[test]
fn config_from_engine_limits() {
    let limits = strata_core::Limits::default();
    let cfg = JavaConfig::from_limits(&limits);
    assert_eq!(cfg, JavaConfig::default());
    let small = strata_core::Limits {
        max_archive_depth: 1,
        ..limits
    };
    assert_eq!(JavaConfig::from_limits(&small).max_depth, 1);
}

#[test]
fn unpacked_application_pom_properties() {
    let dets = detectors(&JavaConfig::default());
    let out = run(
        dets[0].as_ref(),
        "/app/META-INF/maven/com.example/demo/pom.properties",
        b"#Created by Apache Maven 3.8.1\nversion=0.0.1-SNAPSHOT\ngroupId=com.example\nartifactId=demo\n",
    );
    let Finding::Package(p) = &out.findings()[0] else {
        panic!()
    };
    assert_eq!(
        (p.name.as_str(), p.version.as_str()),
        ("com.example:demo", "0.0.1-SNAPSHOT")
    );
    assert_eq!(
        p.origin.path,
        "/app/META-INF/maven/com.example/demo/pom.properties"
    );
    assert_eq!(p.origin.real_path, None);
    // Incomplete descriptors are not packages.
    let out = run(
        dets[0].as_ref(),
        "/app/META-INF/maven/g/a/pom.properties",
        b"groupId=g\n",
    );
    assert!(out.findings().is_empty() && out.diagnostics().is_empty());
}
