//! apk fixtures against trivy's and syft's expectations.

use std::collections::BTreeSet;

use strata_core::{Ecosystem, OsInfo};
use strata_detect_os::{OsConfig, refine::refine_findings};

use crate::harness::{expected, packages, read, run, s};

const DB: &str = "/lib/apk/db/installed";

#[test]
fn trivy_alpine_3_4_has_15_packages() {
    let body = read("apk/trivy-alpine-3.4/rootfs/lib/apk/db/installed");
    let (mut findings, diags) = run("os/apk", &[(DB, &body)]);
    let exp = expected("apk/trivy-alpine-3.4/expected-packages.json");
    let exp_pkgs = exp["packages"].as_array().unwrap();
    {
        let got = packages(&findings);
        assert_eq!(got.len(), 15);
        assert_eq!(exp_pkgs.len(), 15);
        for (p, e) in got.iter().zip(exp_pkgs) {
            assert_eq!(p.name, s(e, "name"));
            assert_eq!(p.version, s(e, "version"));
            assert_eq!(
                p.source_name.as_deref(),
                Some(s(e, "src_name")),
                "{}",
                p.name
            );
            assert_eq!(
                p.source_version.as_deref(),
                Some(s(e, "src_version")),
                "{}",
                p.name
            );
            assert_eq!(p.arch.as_deref(), Some(s(e, "arch")), "{}", p.name);
            assert_eq!(p.vendor.as_deref(), Some(s(e, "maintainer")), "{}", p.name);
            assert_eq!(p.ecosystem, Ecosystem::Apk);
            assert_eq!(p.evidence.as_deref(), Some("apk-installed"));
            let files: Vec<String> = e["installed_files"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|f| format!("/{}", f.as_str().unwrap()))
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(p.files, files, "{}", p.name);
            // trivy normalises license names to SPDX ids (GPL2 -> GPL-2.0-only); the raw
            // names are kept here, one per listed license, SPDX expressions whole.
            let licenses = e["licenses"].as_array().unwrap();
            if p.name == "ada-libs" {
                assert_eq!(p.licenses, ["( Apache-2.0 OR MIT ) AND MPL-2.0"]);
            } else {
                assert_eq!(p.licenses.len(), licenses.len(), "{}", p.name);
            }
        }
        let total: usize = got.iter().map(|p| p.files.len()).sum();
        assert_eq!(total, exp["all_installed_files"].as_array().unwrap().len());
    }
    // "invalidPackageWithoutAVersion" is skipped with a diagnostic.
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, "apk-corrupt-entry");
    assert!(diags[0].message.contains("invalidPackageWithoutAVersion"));

    let os = OsInfo {
        family: "alpine".into(),
        version: "3.4.6".into(),
        ..Default::default()
    };
    refine_findings(
        &OsConfig::default(),
        Some(&os),
        &mut findings,
        &mut strata_core::Output::new(),
    );
    let got = packages(&findings);
    assert_eq!(
        got[0].purl.as_deref(),
        Some("pkg:apk/alpine/musl@1.1.14-r10?arch=x86_64&distro=3.4.6")
    );
}

#[test]
fn syft_single_package_details() {
    for dir in ["syft-single", "syft-base", "syft-empty-deps-and-provides"] {
        let rel = format!("apk/{dir}/rootfs/lib/apk/db/installed");
        let body = read(&rel);
        let (findings, diags) = run("os/apk", &[(DB, &body)]);
        assert!(diags.is_empty(), "{dir}: {diags:?}");
        let got = packages(&findings);
        let exp = expected(&format!("apk/{dir}/expected-packages.json"));
        let e = &exp["packages"][0];
        let m = &e["metadata"];
        assert_eq!(got.len(), 1, "{dir}");
        let p = got[0];
        assert_eq!(p.name, s(e, "name"));
        assert_eq!(p.version, s(e, "version"));
        assert_eq!(p.arch.as_deref(), Some(s(m, "architecture")));
        assert_eq!(p.source_name.as_deref(), Some(s(m, "origin_package")));
        assert_eq!(p.vendor.as_deref(), Some(s(m, "maintainer")));
        let licenses: Vec<&str> = e["licenses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| s(l, "value"))
            .collect();
        assert_eq!(p.licenses, licenses, "{dir}");
        assert_eq!(
            p.properties["installed_size"],
            m["installed_size"].as_u64().unwrap().to_string()
        );
        // syft lists directories (F lines) and files; packages here own files only.
        let dirs: BTreeSet<String> = String::from_utf8_lossy(&body)
            .lines()
            .filter_map(|l| l.strip_prefix("F:"))
            .map(|d| format!("/{d}"))
            .collect();
        let syft: BTreeSet<String> = m["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| s(f, "path").to_owned())
            .collect();
        let mut ours: BTreeSet<String> = p.files.iter().map(str::to_owned).collect();
        assert_eq!(ours.len(), p.files.len(), "{dir}: duplicate files");
        ours.extend(dirs);
        assert_eq!(ours, syft, "{dir}");
    }
}
