//! End to end through the core engine on unpacked root filesystems (`dir:` targets): the
//! interests select the right files, the engine keeps the best OS, and the refine step
//! completes the packages.

use std::path::Path;

use strata_core::{Engine, Report, ScanOptions, ScanOutput};
use strata_detect_os::{OsConfig, analyzers, detectors};

use crate::harness::read;

fn write(root: &Path, path: &str, body: &[u8]) {
    let p = root.join(path.trim_start_matches('/'));
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, body).unwrap();
}

fn scan(root: &Path) -> Report {
    let cfg = OsConfig::default();
    let engine = Engine::builder()
        .detectors(detectors(&cfg))
        .analyzers(analyzers(&cfg))
        .build()
        .unwrap();
    match engine
        .scan(&format!("dir:{}", root.display()), &ScanOptions::default())
        .unwrap()
    {
        ScanOutput::Single(r) => *r,
        ScanOutput::Index(_) => panic!("a directory is one image"),
    }
}

#[test]
fn ubuntu_rootfs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "/etc/os-release", b"NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"18.04\"\nVERSION_CODENAME=bionic\n");
    write(
        root,
        "/etc/lsb-release",
        &read("release/trivy/ubuntu-lsb/etc/lsb-release"),
    );
    write(root, "/etc/debian_version", b"buster/sid\n");
    write(
        root,
        "/var/lib/dpkg/status",
        &read("dpkg/trivy-ubuntu-18.04-valid/rootfs/var/lib/dpkg/status"),
    );
    write(
        root,
        "/var/lib/dpkg/info/adduser.list",
        b"/.\n/usr/sbin/adduser\n",
    );
    write(
        root,
        "/var/lib/dpkg/info/adduser.md5sums",
        b"0123 usr/sbin/adduser\n",
    );
    let report = scan(root);
    let os = report.image.os.as_ref().unwrap();
    assert_eq!(
        (os.family.as_str(), os.version.as_str()),
        ("ubuntu", "18.04")
    );
    assert_eq!(report.packages.len(), 90);
    for p in &report.packages {
        let purl = p.purl.as_deref().unwrap();
        let name = strata_detect_os::purl::encode(&p.name, false);
        assert!(
            purl.starts_with(&format!("pkg:deb/ubuntu/{name}@")),
            "{purl}"
        );
        assert!(purl.contains("distro=ubuntu-18.04"), "{purl}");
        assert_eq!(p.origin.path, "/var/lib/dpkg/status");
    }
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.code.starts_with("dpkg") || d.code.starts_with("os-")),
        "{:?}",
        report.diagnostics
    );
}

#[test]
fn distroless_status_d_rootfs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (name, fixture) in [
        ("single", "syft-statusd-single"),
        ("multiple", "syft-statusd-multiple"),
    ] {
        let rel = format!("dpkg/{fixture}/rootfs/var/lib/dpkg/status.d/{name}");
        write(root, &format!("/var/lib/dpkg/status.d/{name}"), &read(&rel));
    }
    write(
        root,
        "/var/lib/dpkg/status.d/single.md5sums",
        b"garbage that is no control file\n",
    );
    let report = scan(root);
    assert_eq!(report.image.os.as_ref().unwrap().family, "distroless");
    let mut names: Vec<&str> = report.packages.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["apt", "tzdata", "util-linux"]);
    assert!(
        report
            .packages
            .iter()
            .all(|p| p.purl.as_deref().unwrap().starts_with("pkg:deb/debian/"))
    );
    let stdcpp = strata_detect_os::purl::build("deb", Some("ubuntu"), "libstdc++6", "8-1", &[]);
    assert_eq!(stdcpp, "pkg:deb/ubuntu/libstdc%2B%2B6@8-1");
}

#[test]
fn alpine_rootfs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "/etc/os-release",
        &read("release/trivy/alpine/etc/os-release"),
    );
    write(root, "/etc/alpine-release", b"3.15.4\n");
    write(
        root,
        "/lib/apk/db/installed",
        &read("apk/trivy-alpine-3.4/rootfs/lib/apk/db/installed"),
    );
    let report = scan(root);
    let os = report.image.os.as_ref().unwrap();
    assert_eq!(
        (os.family.as_str(), os.version.as_str()),
        ("alpine", "3.15.4")
    );
    assert_eq!(report.packages.len(), 15);
    let musl = report.packages.iter().find(|p| p.name == "musl").unwrap();
    assert_eq!(
        musl.purl.as_deref(),
        Some("pkg:apk/alpine/musl@1.1.14-r10?arch=x86_64&distro=3.15.4")
    );
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code == "apk-corrupt-entry")
    );
}

#[test]
fn rpm_rootfs_with_vendor_release_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let db = Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../rpmdb/testdata/bdb-rhel8-libuuid/Packages");
    write(root, "/var/lib/rpm/Packages", &std::fs::read(db).unwrap());
    write(
        root,
        "/etc/os-release",
        b"NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\nVERSION_ID=\"8.8\"\n",
    );
    write(
        root,
        "/etc/redhat-release",
        b"Red Hat Enterprise Linux release 8.8 (Ootpa)\n",
    );
    let report = scan(root);
    let os = report.image.os.as_ref().unwrap();
    assert_eq!((os.family.as_str(), os.version.as_str()), ("redhat", "8.8"));
    assert_eq!(report.packages.len(), 1);
    let p = &report.packages[0];
    assert_eq!(
        p.purl.as_deref(),
        Some("pkg:rpm/redhat/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=redhat-8.8")
    );
    assert!(!p.properties.contains_key("third_party"));
}
