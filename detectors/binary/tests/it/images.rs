//! The real `apps` image (Debian bookworm with python3, nodejs, ...): every binary the
//! classifiers identify carries the upstream part of the version dpkg-query reports for
//! the package that ships it; python and node must be among them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use strata_core::{Engine, Report, ScanOptions, ScanOutput};
use strata_detect_binary::{BinaryConfig, detectors};

fn images() -> PathBuf {
    let dir = std::env::var_os("STRATA_IMAGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/strata-images")
        });
    assert!(
        dir.join("apps.oci/index.json").exists(),
        "real test images missing in {}: run scripts/build-test-images.sh (scripts/test.sh does)",
        dir.display()
    );
    dir
}

/// `1:7.88.1-10+deb12u5` → `7.88.1`; `18.20.4+dfsg-1~deb12u2` → `18.20.4`.
fn upstream(v: &str) -> &str {
    let v = v.split_once(':').map_or(v, |(_, r)| r);
    let v = v.rsplit_once('-').map_or(v, |(u, _)| u);
    v.split(['+', '~']).next().unwrap_or(v)
}

fn scan(image: &str) -> Report {
    let e = Engine::builder()
        .detectors(detectors(&BinaryConfig::default()))
        .build()
        .unwrap();
    match e
        .scan(
            &format!("oci:{}", images().join(format!("{image}.oci")).display()),
            &ScanOptions::default(),
        )
        .unwrap()
    {
        ScanOutput::Single(r) => *r,
        other => panic!("{other:?}"),
    }
}

#[test]
fn apps_image_binaries_carry_the_dpkg_upstream_versions() {
    let dpkg: BTreeMap<String, String> =
        std::fs::read_to_string(images().join("apps.dpkg-query.txt"))
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once(' ').map(|(n, v)| (n.to_owned(), v.to_owned())))
            .collect();
    // Which Debian package ships the binary each classifier reports.
    let shipped_by: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("python", &["python3.11-minimal"][..]),
        ("node", &["libnode108", "nodejs"][..]),
        ("openssl", &["libssl3", "openssl"][..]),
        ("bash", &["bash"][..]),
        ("perl", &["perl-base", "perl"][..]),
        ("curl", &["curl", "libcurl4"][..]),
    ]);
    let r = scan("apps");
    let got: BTreeMap<(String, String), String> = r
        .packages
        .iter()
        .map(|p| ((p.name.clone(), p.origin.path.clone()), p.version.clone()))
        .collect();
    for ((name, path), version) in &got {
        let debs = shipped_by
            .get(name.as_str())
            .unwrap_or_else(|| panic!("unexpected {name} at {path}"));
        let want: Vec<&str> = debs
            .iter()
            .filter_map(|d| dpkg.get(*d))
            .map(|v| upstream(v))
            .collect();
        assert!(!want.is_empty(), "{name}: none of {debs:?} installed");
        assert!(
            want.iter().all(|w| w == version),
            "{name} at {path}: {version}, dpkg says {want:?}"
        );
    }
    let python = got.get(&("python".into(), "/usr/bin/python3.11".into()));
    assert_eq!(
        python.map(String::as_str),
        Some(upstream(&dpkg["python3.11-minimal"]))
    );
    assert_eq!(python.map(String::as_str), Some("3.11.2"));
    let node = got.get(&(
        "node".into(),
        "/usr/lib/x86_64-linux-gnu/libnode.so.108".into(),
    ));
    assert_eq!(node.map(String::as_str), Some(upstream(&dpkg["nodejs"])));
    assert_eq!(node.map(String::as_str), Some("18.20.4"));
    // Only files named like a classifier's binaries are read, not every ELF of the image.
    assert!(
        r.stats.bodies_read <= 64,
        "{} bodies read",
        r.stats.bodies_read
    );
    let names: std::collections::BTreeSet<&str> =
        r.packages.iter().map(|p| p.name.as_str()).collect();
    for want in ["bash", "node", "openssl", "perl", "python"] {
        assert!(names.contains(want), "{want} not identified: {names:?}");
    }
    for p in &r.packages {
        assert_eq!(p.evidence.as_deref(), Some("binary-classifier"));
        assert!(p.origin.layer_index.is_some());
    }
}
