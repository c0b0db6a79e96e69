//! OS detection: trivy's and claircore's release-file fixtures, plus small files written
//! here that carry the facts of the mondoohq/mql cases (BUSL-1.1, not copied) and of
//! systems the corpus lacks.

use crate::harness::{best_os, expected, oses, read, run, s, testdata};

/// trivy's family names that differ from ours (`OsInfo::family`): openSUSE Leap and
/// Tumbleweed are `opensuse` (told apart by name), CentOS Stream is `centos` named
/// "CentOS Stream".
fn our_family(trivy: &str) -> &str {
    match trivy {
        "opensuse-leap" | "opensuse-tumbleweed" => "opensuse",
        "centos-stream" => "centos",
        f => f,
    }
}

#[test]
fn trivy_34_release_files() {
    let exp = expected("release/trivy/expected-os.json");
    let cases = exp["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 34, "34 cases (photon is listed twice)");
    for c in cases {
        let fixture = s(c, "fixture").trim_start_matches("os/");
        let file = s(c, "file");
        let body = read(&format!("{fixture}/{file}"));
        let path = format!("/{file}");
        let (findings, diags) = run("os/release", &[(&path, &body)]);
        let os = oses(&findings);
        assert_eq!(os.len(), 1, "{fixture}/{file}: {diags:?}");
        let os = os[0];
        let family = s(c, "expected_family");
        assert_eq!(os.family, our_family(family), "{fixture}/{file}");
        assert_eq!(os.origin.path, path);
        let want = s(c, "expected_name");
        if file == "etc/debian_version" && want.as_bytes()[0].is_ascii_digit() {
            // Debian versions are normalised to the major release; the full one is kept.
            assert_eq!(os.version, want.split('.').next().unwrap(), "{fixture}");
            assert_eq!(os.fields["debian_version"], want);
        } else {
            assert_eq!(os.version, want, "{fixture}/{file}");
        }
        match family {
            "centos-stream" => assert_eq!(os.name, "CentOS Stream"),
            "opensuse-tumbleweed" => assert_eq!(os.name, "openSUSE Tumbleweed"),
            "opensuse-leap" => assert_eq!(os.name, "openSUSE Leap"),
            _ => {}
        }
    }
}

#[test]
fn claircore_os_release_parsing() {
    for case in ["Alpine", "Bionic", "Buster", "DistrolessValid", "EmptyKey"] {
        let dir = format!("release/claircore-osrelease/{case}");
        let body = read(&format!("{dir}/etc/os-release"));
        let (findings, _) = run("os/release", &[("/etc/os-release", &body)]);
        let os = best_os(&findings).unwrap();
        let exp = expected(&format!("{dir}/expected.json"));
        let parsed: std::collections::BTreeMap<String, String> = exp["parsed"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(os.fields, parsed, "{case}");
        let d = &exp["distribution"];
        assert_eq!(os.family, s(d, "did"), "{case}");
        assert_eq!(os.name, s(d, "name"), "{case}");
        assert_eq!(os.version, s(d, "version_id"), "{case}");
        assert_eq!(
            os.pretty_name.as_deref(),
            Some(s(d, "pretty_name")),
            "{case}"
        );
        assert_eq!(
            os.codename.as_deref(),
            d["version_code_name"].as_str(),
            "{case}"
        );
        assert_eq!(os.precedence, 10);
    }
}

#[test]
fn claircore_debian_dists_including_distroless() {
    let exp = expected("release/claircore-debian/expected.json");
    for c in exp["cases"].as_array().unwrap() {
        let dir = s(c, "fixture").trim_start_matches("os/");
        let body = read(&format!("{dir}/etc/os-release"));
        let (findings, _) = run("os/release", &[("/etc/os-release", &body)]);
        let os = best_os(&findings).unwrap();
        assert_eq!(os.family, s(c, "expected_did"), "{dir}");
        assert_eq!(os.version, s(c, "expected_version_id"), "{dir}");
        // expected_version_pattern: ^\d+ \(\w+\)$ on claircore's version, which is
        // "<major> (<codename>)" (distroless writes VERSION="Debian GNU/Linux 9 (stretch)").
        let v = &format!("{} ({})", os.version, os.codename.as_deref().unwrap_or(""));
        let (num, rest) = v.split_once(' ').unwrap();
        assert!(num.bytes().all(|b| b.is_ascii_digit()), "{dir}: {v}");
        let word = rest
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .unwrap();
        assert!(
            !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || c == '_'),
            "{dir}: {v}"
        );
    }
}

/// One layer of small release files; returns what the engine would keep.
fn detect(files: &[(&str, &str)]) -> (String, String, String) {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (*p, b.as_bytes())).collect();
    let (findings, _) = run("os/release", &files);
    let os = best_os(&findings).expect("an OS");
    (os.family, os.version, os.origin.path)
}

fn fv(files: &[(&str, &str)]) -> (String, String) {
    let (f, v, _) = detect(files);
    (f, v)
}

fn own(f: &str, v: &str) -> (String, String) {
    (f.to_owned(), v.to_owned())
}

/// The facts of the mql detector cases, in files written here. mql's own version strings
/// are noted where the normalisation asked of this crate differs.
#[test]
fn mql_equivalents() {
    // EulerOS 2.0 SP9 (mql: "2.0"): the service pack is kept.
    assert_eq!(
        detect(&[
            ("/etc/euleros-release", "EulerOS release 2.0 (SP9x86_64)\n"),
            (
                "/etc/os-release",
                "NAME=\"EulerOS\"\nVERSION=\"2.0 (SP9x86_64)\"\nID=\"euleros\"\nVERSION_ID=\"2.0\"\n"
            ),
        ]),
        (
            "euleros".into(),
            "2.0-SP9".into(),
            "/etc/euleros-release".into()
        )
    );
    // Huawei Cloud EulerOS 2.0 (mql: no version).
    assert_eq!(
        fv(&[(
            "/etc/os-release",
            "NAME=\"Huawei Cloud EulerOS\"\nVERSION=\"2.0 (x86_64)\"\nID=\"hce\"\nVERSION_ID=\"2.0\"\n"
        )]),
        own("hce", "2.0")
    );
    // openEuler 24.03 LTS-SP2 (mql: "24.03").
    assert_eq!(
        fv(&[(
            "/etc/os-release",
            "NAME=\"openEuler\"\nVERSION=\"24.03 (LTS-SP2)\"\nID=\"openEuler\"\nVERSION_ID=\"24.03\"\n"
        )]),
        own("openeuler", "24.03-LTS-SP2")
    );
    // SLES 15 SP1 and 12 SP3 (with the deprecated SuSE-release beside it).
    assert_eq!(
        fv(&[(
            "/etc/os-release",
            "NAME=\"SLES\"\nVERSION=\"15-SP1\"\nVERSION_ID=\"15.1\"\nID=\"sles\"\n"
        )]),
        own("sles", "15.1")
    );
    assert_eq!(
        detect(&[
            (
                "/etc/SuSE-release",
                "SUSE Linux Enterprise Server 12 (x86_64)\nVERSION = 12\nPATCHLEVEL = 3\n"
            ),
            (
                "/etc/os-release",
                "NAME=\"SLES\"\nVERSION=\"12-SP3\"\nVERSION_ID=\"12.3\"\nID=\"sles\"\n"
            ),
        ]),
        ("sles".into(), "12.3".into(), "/etc/os-release".into())
    );
    assert_eq!(
        fv(&[(
            "/etc/SuSE-release",
            "SUSE Linux Enterprise Server 12 (x86_64)\nVERSION = 12\nPATCHLEVEL = 3\n"
        )]),
        own("sles", "12.3")
    );
    assert_eq!(
        fv(&[(
            "/etc/os-release",
            "NAME=\"SLE Micro\"\nVERSION=\"5.1\"\nVERSION_ID=\"5.1\"\nID=\"suse-microos\"\nID_LIKE=\"suse\"\n"
        )]),
        own("slem", "5.1")
    );
    assert_eq!(
        fv(&[(
            "/etc/os-release",
            "NAME=openSUSE\nVERSION_ID=\"13.2\"\nID=opensuse\n"
        )]),
        own("opensuse", "13.2")
    );
    // Amazon Linux AMI 2017.09 and Amazon Linux 2022.
    assert_eq!(
        fv(&[(
            "/etc/os-release",
            "NAME=\"Amazon Linux AMI\"\nID=\"amzn\"\nVERSION_ID=\"2017.09\"\n"
        )]),
        own("amazon", "2017.09")
    );
    assert_eq!(
        fv(&[(
            "/etc/os-release",
            "NAME=\"Amazon Linux\"\nID=\"amzn\"\nVERSION_ID=\"2022\"\n"
        )]),
        own("amazon", "2022")
    );
    assert_eq!(
        fv(&[("/etc/system-release", "Amazon Linux release 2 (Karoo)\n")]),
        own("amazon", "2")
    );
    // CentOS 6: no os-release, centos-release and redhat-release say 6.9.
    assert_eq!(
        detect(&[
            ("/etc/redhat-release", "CentOS release 6.9 (Final)"),
            ("/etc/centos-release", "CentOS release 6.9 (Final)"),
        ]),
        ("centos".into(), "6.9".into(), "/etc/centos-release".into())
    );
    assert_eq!(
        fv(&[
            (
                "/etc/os-release",
                "NAME=\"CentOS Stream\"\nVERSION=\"8\"\nID=\"centos\"\nVERSION_ID=\"8\"\n"
            ),
            ("/etc/centos-release", "CentOS Stream release 8\n"),
        ]),
        own("centos", "8")
    );
    // Oracle Linux 7.5 keeps RHEL's redhat-release: Oracle wins.
    assert_eq!(
        fv(&[
            ("/etc/oracle-release", "Oracle Linux Server release 7.5\n"),
            (
                "/etc/os-release",
                "NAME=\"Oracle Linux Server\"\nVERSION=\"7.5\"\nID=\"ol\"\nVERSION_ID=\"7.5\"\n"
            ),
            (
                "/etc/redhat-release",
                "Red Hat Enterprise Linux Server release 7.5 (Maipo)\n"
            ),
        ]),
        own("oracle", "7.5")
    );
    // AlmaLinux 8.3 ships a centos-release that names AlmaLinux.
    assert_eq!(
        fv(&[
            (
                "/etc/redhat-release",
                "AlmaLinux release 8.3 Beta (Purple Manul)"
            ),
            (
                "/etc/centos-release",
                "AlmaLinux release 8.3 Beta (Purple Manul)"
            ),
            (
                "/etc/almalinux-release",
                "AlmaLinux release 8.3 Beta (Purple Manul)"
            ),
            (
                "/etc/os-release",
                "NAME=\"AlmaLinux\"\nID=\"almalinux\"\nVERSION_ID=\"8.3\"\n"
            ),
        ]),
        own("alma", "8.3")
    );
    assert_eq!(
        fv(&[("/etc/redhat-release", "Red Hat Linux release 6.2 (Zoot)")]),
        own("redhat", "6.2")
    );
    assert_eq!(
        fv(&[
            (
                "/etc/os-release",
                "NAME=\"Rocky Linux\"\nVERSION=\"9.0 (Blue Onyx)\"\nID=\"rocky\"\nVERSION_ID=\"9.0\"\n"
            ),
            (
                "/etc/rocky-release",
                "Rocky Linux release 9.0 (Blue Onyx)\n"
            ),
        ]),
        own("rocky", "9.0")
    );
    assert_eq!(
        fv(&[
            ("/etc/fedora-release", "Fedora release 29 (Twenty Nine)\n"),
            (
                "/etc/os-release",
                "NAME=Fedora\nID=fedora\nVERSION_ID=29\nVERSION_CODENAME=\"\"\n"
            ),
        ]),
        own("fedora", "29")
    );
    // Alpine edge.
    assert_eq!(
        fv(&[
            (
                "/etc/os-release",
                "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.13.0_alpha20201218\nPRETTY_NAME=\"Alpine Linux edge\"\n"
            ),
            ("/etc/alpine-release", "3.13.0_alpha20201218\n"),
        ]),
        own("alpine", "edge")
    );
    // Debian 7 (mql: "7.11" from debian_version): the major release, os-release wins.
    assert_eq!(
        detect(&[
            ("/etc/debian_version", "7.11\n"),
            (
                "/etc/os-release",
                "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"7\"\nVERSION=\"7 (wheezy)\"\nID=debian\n"
            ),
        ]),
        ("debian".into(), "7".into(), "/etc/os-release".into())
    );
    // Ubuntu 12.04 with lsb-release beside os-release.
    assert_eq!(
        fv(&[
            (
                "/etc/os-release",
                "NAME=\"Ubuntu\"\nVERSION=\"12.04.5 LTS, Precise Pangolin\"\nID=ubuntu\nVERSION_ID=\"12.04\"\n"
            ),
            (
                "/etc/lsb-release",
                "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=12.04\nDISTRIB_CODENAME=precise\n"
            ),
            ("/etc/debian_version", "wheezy/sid\n"),
        ]),
        own("ubuntu", "12.04")
    );
    // Systems this crate does not know stay unknown, with every field.
    let (findings, _) = run(
        "os/release",
        &[(
            "/etc/os-release",
            b"NAME=\"Arch Linux\"\nID=arch\nBUILD_ID=rolling\n",
        )],
    );
    let os = best_os(&findings).unwrap();
    assert_eq!(
        (os.family.as_str(), os.name.as_str(), os.fields.len()),
        ("unknown", "Arch Linux", 3)
    );
}

#[test]
fn derivatives_beat_their_base_release_files() {
    assert_eq!(
        fv(&[
            (
                "/etc/os-release",
                "NAME=\"Kylin Linux Advanced Server\"\nVERSION=\"V10 (Lance)\"\nID=\"kylin\"\nVERSION_ID=\"V10\"\n"
            ),
            (
                "/etc/kylin-release",
                "Kylin Linux Advanced Server release V10 (Lance)\n"
            ),
            (
                "/etc/openEuler-release",
                "openEuler release 20.03 (LTS-SP1)\n"
            ),
        ]),
        own("kylin", "V10-SP3")
    );
    assert_eq!(
        fv(&[
            (
                "/etc/os-release",
                "NAME=\"Huawei Cloud EulerOS\"\nVERSION=\"2.0 (x86_64)\"\nID=\"hce\"\nVERSION_ID=\"2.0\"\n"
            ),
            (
                "/etc/hce-release",
                "Huawei Cloud EulerOS release 2.0 (West Lake)\n"
            ),
            (
                "/etc/openEuler-release",
                "openEuler release 22.03 (LTS-SP1)\n"
            ),
        ]),
        own("hce", "2.0")
    );
    assert_eq!(
        fv(&[
            (
                "/etc/os-release",
                "NAME=\"UnionTech OS Server 20\"\nVERSION_ID=\"20\"\nID=\"uos\"\nPLATFORM_ID=\"platform:uel20\"\n"
            ),
            (
                "/etc/os-version",
                "[Version]\nSystemName=UnionTech OS Server\nEditionName=e\nMajorVersion=20\nMinorVersion=1070\n"
            ),
            ("/etc/redhat-release", "uos release 20 (fuyu)\n"),
        ]),
        own("uos", "20-1070e")
    );
    assert_eq!(
        fv(&[(
            "/etc/os-release",
            "NAME=\"ctyunos\"\nVERSION=\"2.0.1\"\nID=\"ctyunos\"\nVERSION_ID=\"2.0.1\"\n"
        )]),
        own("ctyunos", "2.0.1")
    );
}

#[test]
fn distroless_only_without_release_files() {
    let status = read("dpkg/syft-statusd-single/rootfs/var/lib/dpkg/status.d/single");
    let (findings, _) = run("os/release", &[("/var/lib/dpkg/status.d/single", &status)]);
    let os = best_os(&findings).unwrap();
    assert_eq!((os.family.as_str(), os.precedence), ("distroless", 1));
    assert_eq!(os.origin.path, "/var/lib/dpkg/status.d/single");
    let (findings, _) = run(
        "os/release",
        &[
            ("/var/lib/dpkg/status.d/single", &status),
            ("/etc/os-release", b"ID=debian\nVERSION_ID=\"12\"\n"),
        ],
    );
    assert_eq!(oses(&findings).len(), 1);
    assert_eq!(best_os(&findings).unwrap().family, "debian");
}

#[test]
fn os_release_precedence_over_usr_lib() {
    let (f, v, path) = detect(&[
        ("/usr/lib/os-release", "ID=debian\nVERSION_ID=\"11\"\n"),
        ("/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
    ]);
    assert_eq!(
        (f.as_str(), v.as_str(), path.as_str()),
        ("debian", "12", "/etc/os-release")
    );
    // Debian sid: os-release has no VERSION_ID, debian_version knows more.
    assert_eq!(
        fv(&[
            (
                "/etc/os-release",
                "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nID=debian\nVERSION_CODENAME=trixie\n"
            ),
            ("/etc/debian_version", "trixie/sid\n"),
        ]),
        own("debian", "trixie/sid")
    );
}

/// Every file under a fixture directory, as (image path, body), sorted by path.
fn fixture_files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.file_name().is_some_and(|n| n != "expected-release.json") {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push((format!("/{rel}"), std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Real release files of Kylin, UOS, HCE, EulerOS and openEuler, as published by others
/// (testdata/ATTRIBUTION.md), each directory one layer: the OS the engine keeps has the
/// family, name, normalised version and code name written in its expected-release.json.
#[test]
fn real_vendor_release_files() {
    let root = testdata("release");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expected-release.json").is_file())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 21, "fixtures with an expected-release.json");
    let mut families = std::collections::BTreeSet::new();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let exp = expected(&format!("release/{name}/expected-release.json"));
        let files = fixture_files(&dir);
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let (findings, diags) = run("os/release", &refs);
        let os = best_os(&findings).unwrap_or_else(|| panic!("{name}: no OS ({diags:?})"));
        assert_eq!(os.family, s(&exp, "family"), "{name}");
        assert_eq!(os.name, s(&exp, "name"), "{name}");
        assert_eq!(os.version, s(&exp, "version"), "{name}");
        assert_eq!(os.codename.as_deref(), exp["codename"].as_str(), "{name}");
        assert_eq!(os.origin.path, s(&exp, "winner"), "{name}");
        if os.family == "unknown" {
            // Never guessed: every key of the file is kept as written.
            let body = String::from_utf8(read(&format!("release/{name}/etc/os-release"))).unwrap();
            let keys: Vec<&str> = body
                .lines()
                .filter_map(|l| l.split_once('='))
                .map(|(k, _)| k)
                .collect();
            assert_eq!(
                os.fields
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .len(),
                keys.len(),
                "{name}"
            );
            assert!(keys.iter().all(|k| os.fields.contains_key(*k)), "{name}");
        }
        // No other file of the layer may tie with the winner (the engine would then pick
        // by file order).
        let ties = oses(&findings)
            .iter()
            .filter(|o| o.precedence == os.precedence)
            .count();
        assert_eq!(
            ties, 1,
            "{name}: several files share the winning precedence"
        );
        families.insert(os.family);
    }
    assert_eq!(
        families.into_iter().collect::<Vec<_>>(),
        ["euleros", "hce", "kylin", "openeuler", "unknown", "uos"]
    );
}

/// trivy's status.json fixtures (ESM enabled / disabled) beside an Ubuntu os-release, in
/// two layers: the release detector reports the enabled services as a marker, and the OS
/// analyzer's refine step puts them on the Ubuntu OS (trivy: `Extended: true` for the
/// first, nothing for the second).
#[test]
fn ubuntu_pro_services_reach_the_ubuntu_os() {
    use strata_core::{Finding, ImageInfo, Output};
    let os_release: &[u8] =
        b"NAME=\"Ubuntu\"\nVERSION_ID=\"16.04\"\nID=ubuntu\nVERSION_CODENAME=xenial\n";
    for (file, want) in [
        ("esm_enabled_status.json", Some("esm-infra")),
        ("esm_disabled_status.json", None),
    ] {
        let status = read(&format!("ubuntu-pro/trivy/{file}"));
        let (mut findings, d1) = run("os/release", &[("/etc/os-release", os_release)]);
        let (layer2, d2) = run(
            "os/release",
            &[("/var/lib/ubuntu-advantage/status.json", &status)],
        );
        assert!(d1.is_empty() && d2.is_empty(), "{d1:?} {d2:?}");
        assert_eq!(
            layer2.len(),
            usize::from(want.is_some()),
            "{file}: one marker"
        );
        findings.extend(layer2);
        let os = best_os(&findings).unwrap();
        let analyzers = strata_detect_os::analyzers(&strata_detect_os::OsConfig::default());
        let mut out = Output::new();
        analyzers[0].refine(&ImageInfo::default(), Some(&os), &mut findings, &mut out);
        // The marker is consumed; the OS the engine picks carries the services.
        assert!(
            findings.iter().all(|f| matches!(f, Finding::Os(_))),
            "{file}"
        );
        let os = best_os(&findings).unwrap();
        assert_eq!(
            os.fields.get("ubuntu_pro_services").map(String::as_str),
            want,
            "{file}"
        );
    }
}
