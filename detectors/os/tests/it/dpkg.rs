//! dpkg, distroless status.d and opkg fixtures against trivy's and syft's expectations.

use serde_json::Value;
use strata_core::{Ecosystem, Finding, OsInfo};
use strata_detect_os::{OsConfig, refine::refine_findings};

use crate::harness::{expected, packages, read, run, s};

const STATUS: &str = "/var/lib/dpkg/status";

/// trivy splits versions into epoch/version/release: rebuild dpkg's string.
fn trivy_version(p: &Value, prefix: &str) -> String {
    let mut v = String::new();
    if let Some(e) = p[format!("{prefix}epoch")].as_i64() {
        v.push_str(&format!("{e}:"));
    }
    v.push_str(s(p, &format!("{prefix}version")));
    if let Some(r) = p[format!("{prefix}release")].as_str() {
        v.push('-');
        v.push_str(r);
    }
    v
}

fn check_trivy_fixture(dir: &str, count: usize) {
    let body = read(&format!("dpkg/{dir}/rootfs/var/lib/dpkg/status"));
    let (findings, diags) = run("os/dpkg", &[(STATUS, &body)]);
    let got = packages(&findings);
    let exp = expected(&format!("dpkg/{dir}/expected-packages.json"));
    let exp = exp["package_infos"][0]["packages"].as_array().unwrap();
    assert_eq!(exp.len(), count, "{dir}: fixture count");
    assert_eq!(got.len(), count, "{dir}: packages");
    for e in exp {
        let name = s(e, "name");
        let p = got
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{dir}: {name} missing"));
        assert_eq!(p.version, s(e, "full_version"), "{name}");
        assert_eq!(p.version, trivy_version(e, ""), "{name}");
        assert_eq!(p.arch.as_deref(), Some(s(e, "arch")), "{name}");
        assert_eq!(p.source_name.as_deref(), Some(s(e, "src_name")), "{name}");
        assert_eq!(
            p.source_version.as_deref(),
            Some(trivy_version(e, "src_").as_str()),
            "{name}"
        );
        assert_eq!(p.vendor.as_deref(), Some(s(e, "maintainer")), "{name}");
        assert_eq!(p.ecosystem, Ecosystem::Deb);
        assert_eq!(p.evidence.as_deref(), Some("dpkg-status"));
        assert_eq!(p.origin.path, STATUS);
        assert_eq!(p.detector, "os/dpkg");
    }
    let _ = diags;
}

#[test]
fn trivy_ubuntu_18_04_valid_has_90_packages() {
    check_trivy_fixture("trivy-ubuntu-18.04-valid", 90);
    let body = read("dpkg/trivy-ubuntu-18.04-valid/rootfs/var/lib/dpkg/status");
    let (_, diags) = run("os/dpkg", &[(STATUS, &body)]);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn trivy_corrupted_entries_are_skipped_with_diagnostics() {
    check_trivy_fixture("trivy-ubuntu-corrupted-entries", 4);
    let body = read("dpkg/trivy-ubuntu-corrupted-entries/rootfs/var/lib/dpkg/status");
    let (_, diags) = run("os/dpkg", &[(STATUS, &body)]);
    // brokenPackageWithNoVersionThatShouldGetThrownOut and invalidpkg.
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert!(
        diags
            .iter()
            .all(|d| d.code == "dpkg-corrupt-entry" && d.path.as_deref() == Some(STATUS))
    );
    assert!(
        diags[0]
            .message
            .contains("brokenPackageWithNoVersionThatShouldGetThrownOut")
    );
    assert!(diags[1].message.contains("invalidpkg"));
}

#[test]
fn trivy_third_party_docker_ce() {
    // Versions and sources as trivy reads them. trivy's `repository_class` (docker-ce is
    // "third-party") is not reproduced for dpkg: see the crate report.
    check_trivy_fixture("trivy-debian-third-party-docker-ce", 2);
}

/// syft's status.d cases: (fixture, file name).
const SYFT: &[(&str, &str)] = &[
    ("syft-statusd-single", "single"),
    ("syft-statusd-multiple", "multiple"),
    ("syft-statusd-deinstall", "deinstall"),
    ("syft-statusd-installed-size-4KB", "installed-size-4KB"),
];

#[test]
fn syft_status_d_entries() {
    for (dir, file) in SYFT {
        let path = format!("/var/lib/dpkg/status.d/{file}");
        let body = read(&format!("dpkg/{dir}/rootfs{path}"));
        let (findings, diags) = run("os/dpkg", &[(&path, &body)]);
        let got = packages(&findings);
        let exp = expected(&format!("dpkg/{dir}/expected-packages.json"));
        let entries = exp["entries"].as_array().unwrap();
        // syft lists an entry that has a name but no version ("no-version"); a package
        // without a version cannot be matched or reported, so it is a diagnostic here.
        let (complete, incomplete): (Vec<&Value>, Vec<&Value>) = entries
            .iter()
            .partition(|e| e["version"].as_str().is_some());
        assert_eq!(got.len(), complete.len(), "{dir}");
        for e in &complete {
            let name = s(e, "package");
            let p = got
                .iter()
                .find(|p| p.name == name)
                .unwrap_or_else(|| panic!("{dir}: {name}"));
            assert_eq!(p.version, s(e, "version"), "{dir} {name}");
            assert_eq!(
                p.arch.as_deref(),
                Some(s(e, "architecture")),
                "{dir} {name}"
            );
            // syft: `source` only when the entry names one; otherwise the package itself.
            let source = e["source"].as_str().unwrap_or(name);
            assert_eq!(p.source_name.as_deref(), Some(source), "{dir} {name}");
            assert_eq!(
                p.source_version.as_deref(),
                Some(s(e, "version")),
                "{dir} {name}"
            );
            let size = e["installed_size"].as_u64().unwrap().to_string();
            assert_eq!(
                p.properties.get("installed_size"),
                Some(&size),
                "{dir} {name}"
            );
            assert_eq!(p.evidence.as_deref(), Some("dpkg-status.d"));
            assert_eq!(p.origin.path, path);
        }
        for e in &incomplete {
            let name = s(e, "package");
            assert!(
                diags.iter().any(|d| d.message.contains(name)),
                "{dir}: no diagnostic for {name}: {diags:?}"
            );
        }
        if incomplete.is_empty() {
            assert!(diags.is_empty(), "{dir}: {diags:?}");
        }
    }
}

#[test]
fn status_d_md5sums_are_not_read_as_packages() {
    let body = read("dpkg/syft-statusd-single/rootfs/var/lib/dpkg/status.d/single");
    let (findings, _) = run(
        "os/dpkg",
        &[("/var/lib/dpkg/status.d/single.md5sums", &body)],
    );
    assert!(findings.is_empty());
}

#[test]
fn openwrt_keeps_its_opkg_status_under_usr_lib() {
    let body = read("dpkg/syft-opkg-status/rootfs/var/lib/opkg/status");
    let (findings, _) = run("os/dpkg", &[("/usr/lib/opkg/status", &body)]);
    let got = packages(&findings);
    assert_eq!(got.len(), 3);
    assert!(
        got.iter()
            .all(|p| p.evidence.as_deref() == Some("opkg-status"))
    );
}

#[test]
fn syft_opkg_status_with_licenses() {
    let path = "/var/lib/opkg/status";
    let body = read("dpkg/syft-opkg-status/rootfs/var/lib/opkg/status");
    let (findings, diags) = run("os/dpkg", &[(path, &body)]);
    assert!(diags.is_empty(), "{diags:?}");
    let got = packages(&findings);
    let exp = expected("dpkg/syft-opkg-status/expected-packages.json");
    let entries = exp["entries"].as_array().unwrap();
    let licenses = exp["raw_license_fields"].as_array().unwrap();
    assert_eq!(got.len(), entries.len());
    for ((p, e), l) in got.iter().zip(entries).zip(licenses) {
        assert_eq!(p.name, s(e, "package"));
        assert_eq!(p.version, s(e, "version"));
        assert_eq!(p.arch.as_deref(), Some(s(e, "architecture")));
        assert_eq!(p.licenses, [l.as_str().unwrap()]);
        assert_eq!(p.evidence.as_deref(), Some("opkg-status"));
    }
}

#[test]
fn list_files_become_owned_and_attach_to_their_package() {
    let status = read("dpkg/trivy-ubuntu-18.04-valid/rootfs/var/lib/dpkg/status");
    let list = b"/.\n/usr\n/usr/sbin\n/usr/sbin/adduser\n/etc/deluser.conf\n";
    let multiarch = b"/.\n/lib/x86_64-linux-gnu/libc.so.6\n";
    let (mut findings, diags) = run(
        "os/dpkg",
        &[
            (STATUS, &status),
            ("/var/lib/dpkg/info/adduser.list", list),
            ("/var/lib/dpkg/info/libc6:amd64.list", multiarch),
            ("/var/lib/dpkg/info/libc6:amd64.md5sums", b"x"),
        ],
    );
    assert!(diags.is_empty());
    let owned: Vec<_> = findings
        .iter()
        .filter_map(|f| match f {
            Finding::Owned(o) => Some(o),
            _ => None,
        })
        .collect();
    assert_eq!(owned.len(), 2);
    assert_eq!(owned[0].package, "adduser");
    assert_eq!(owned[0].arch, None);
    assert_eq!(
        owned[0].files,
        // Directories are dropped.
        ["/usr/sbin/adduser", "/etc/deluser.conf"]
    );
    assert_eq!(
        (owned[1].package.as_str(), owned[1].arch.as_deref()),
        ("libc6", Some("amd64"))
    );

    let os = OsInfo {
        family: "ubuntu".into(),
        version: "18.04".into(),
        ..Default::default()
    };
    refine_findings(
        &OsConfig::default(),
        Some(&os),
        &mut findings,
        &mut strata_core::Output::new(),
    );
    let got = packages(&findings);
    let adduser = got.iter().find(|p| p.name == "adduser").unwrap();
    assert_eq!(adduser.files.len(), 2);
    let libc = got.iter().find(|p| p.name == "libc6").unwrap();
    assert_eq!(libc.files, ["/lib/x86_64-linux-gnu/libc.so.6"]);
    assert_eq!(
        libc.purl.as_deref(),
        Some("pkg:deb/ubuntu/libc6@2.27-3ubuntu1?arch=amd64&distro=ubuntu-18.04")
    );
    let gmp = got.iter().find(|p| p.name == "libgmp10").unwrap();
    assert_eq!(
        gmp.purl.as_deref(),
        Some("pkg:deb/ubuntu/libgmp10@2:6.1.2%2Bdfsg-2?arch=amd64&distro=ubuntu-18.04")
    );
    // Every package got a purl; the Owned findings stay for the engine to hide.
    assert!(got.iter().all(|p| p.purl.is_some()));
    assert_eq!(
        findings
            .iter()
            .filter(|f| matches!(f, Finding::Owned(_)))
            .count(),
        2
    );
}
