//! The package sets shared by the integration tests, `benches/match.rs` and
//! `examples/match_sets.rs`:
//!
//! - [`synthetic`]: 2,500 `ubuntu:18.04` keys of the database as deb packages and language
//!   packages up to 5,000, all at old versions (every package has advisories: a worst case).
//! - [`shared_sources`]: an Ubuntu 18.04 image's shape, where several binary packages come
//!   from one source package: 1,000 sources with 5 binaries each, at old source versions.
//! - [`ubuntu_18_04_image`]: a real Ubuntu 18.04 image's package list (Trivy's dpkg
//!   fixture), repeated with distinct origins up to `n`: the realistic case.
//! - [`debian_12`]: the real package list of a Debian 12 (bookworm) image, for which the
//!   embedded database has no data (lookups only).
#![allow(dead_code)]

use std::path::Path;

use strata_core::{Ecosystem, Finding, OsInfo, Output, Package};

/// Packages built from the database's `(namespace, name)` keys.
pub(crate) fn synthetic(keys: &[(String, String)]) -> Vec<Package> {
    let mut pkgs = Vec::new();
    for (_, name) in keys.iter().filter(|(ns, _)| ns == "ubuntu:18.04").take(2500) {
        pkgs.push(Package { name: name.clone(), version: "1.0-1".into(), ecosystem: Ecosystem::Deb, ..Default::default() });
    }
    let lang = [
        ("pypi", Ecosystem::Pypi),
        ("npm", Ecosystem::Npm),
        ("maven", Ecosystem::Maven),
        ("go", Ecosystem::Golang),
        ("crates.io", Ecosystem::Cargo),
        ("rubygems", Ecosystem::Gem),
        ("packagist", Ecosystem::Composer),
    ];
    for (ns, name) in keys.iter().filter(|(ns, _)| lang.iter().any(|(l, _)| l == ns)) {
        if pkgs.len() >= 5000 {
            break;
        }
        let eco = lang.iter().find(|(l, _)| l == ns).map(|l| l.1).unwrap_or(Ecosystem::Pypi);
        let version = if eco == Ecosystem::Golang { "v1.0.0" } else { "1.0.0" };
        pkgs.push(Package { name: name.clone(), version: version.into(), ecosystem: eco, ..Default::default() });
    }
    pkgs
}

/// 1,000 `ubuntu:18.04` source packages with 5 binary packages each.
pub(crate) fn shared_sources(keys: &[(String, String)]) -> Vec<Package> {
    let mut pkgs = Vec::new();
    for (_, src) in keys.iter().filter(|(ns, _)| ns == "ubuntu:18.04").take(1000) {
        for (i, bin) in [format!("lib{src}0"), format!("lib{src}-dev"), src.to_string(), format!("{src}-doc"), format!("{src}-common")]
            .into_iter()
            .enumerate()
        {
            pkgs.push(Package {
                name: bin,
                version: "1.0-1ubuntu1".into(),
                ecosystem: Ecosystem::Deb,
                arch: Some(if i == 3 { "all" } else { "amd64" }.into()),
                source_name: Some(src.clone()),
                source_version: Some("1.0-1ubuntu1".into()),
                ..Default::default()
            });
        }
    }
    pkgs
}

/// The OS of [`synthetic`] and [`shared_sources`].
pub(crate) fn ubuntu_18_04() -> OsInfo {
    OsInfo { family: "ubuntu".into(), version: "18.04".into(), ..Default::default() }
}

/// The OS of [`debian_12`].
pub(crate) fn debian_12_os() -> OsInfo {
    OsInfo { family: "debian".into(), version: "12".into(), ..Default::default() }
}

fn dpkg_status(path: &Path, os: &OsInfo) -> Vec<Package> {
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Output::new();
    strata_detect_os::dpkg::parse_status(&data, strata_detect_os::dpkg::StatusKind::Status, "/var/lib/dpkg/status", "dpkg", &mut out);
    out.findings()
        .iter()
        .filter_map(|f| match f {
            Finding::Package(p) => {
                let mut p = (**p).clone();
                p.purl = strata_detect_os::refine::package_purl(&p, Some(os));
                Some(p)
            }
            _ => None,
        })
        .collect()
}

/// `image` repeated (each copy with its own origin path, as if several images were
/// scanned) until there are `n` packages (at least one full copy).
fn repeated(image: Vec<Package>, n: usize) -> Vec<Package> {
    let mut pkgs = image.clone();
    let mut copy = 1;
    while pkgs.len() < n {
        for p in image.iter().take(n - pkgs.len()) {
            let mut p = p.clone();
            p.origin = strata_core::Origin::file(format!("/images/{copy}/var/lib/dpkg/status"));
            pkgs.push(p);
        }
        copy += 1;
    }
    pkgs
}

/// The real Ubuntu 18.04 image of Trivy's dpkg fixture (90 installed packages, read by
/// the dpkg detector from `detectors/os/testdata`), repeated up to `n`.
pub(crate) fn ubuntu_18_04_image(n: usize) -> Vec<Package> {
    let path = Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("../os/testdata/dpkg/trivy-ubuntu-18.04-valid/rootfs/var/lib/dpkg/status");
    let image = dpkg_status(&path, &ubuntu_18_04());
    assert_eq!(image.len(), 90, "installed packages of the Ubuntu 18.04 status file");
    repeated(image, n)
}

/// The real Debian 12 image (`testdata/debian-12-status`, 799 installed packages),
/// repeated up to `n`. The embedded database has no Debian 12 data (its Debian tracker
/// snapshot stops at Debian 11), so this measures lookups without findings.
pub(crate) fn debian_12(n: usize) -> Vec<Package> {
    let image = dpkg_status(&Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("testdata/debian-12-status"), &debian_12_os());
    assert_eq!(image.len(), 799, "installed packages of testdata/debian-12-status");
    repeated(image, n)
}
