//! Matching against the real feeds shipped in vulndb-default/data (GHSA, Go, PyPA,
//! Debian tracker lists, Alpine secdb, AlmaLinux OSV, CISA KEV).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use strata_core::{Analyzer, Ecosystem, OsInfo, Output, Package, Severity, VulnStatus};
use strata_detect_vulns::VulnAnalyzer;
use strata_vulndb::{Builder, Database};

use crate::{data, vulns};

fn db() -> Arc<Database> {
    static DB: OnceLock<Arc<Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut b = Builder::new();
        for f in [
            "osv-ghsa.tar.zst",
            "osv-go.tar.zst",
            "osv-pypa.tar.zst",
            "debian-tracker.tar.zst",
            "alpine-secdb.tar.zst",
            "osv-almalinux.tar.zst",
            "cisa-kev.tar.zst",
            "rubysec.tar.zst",
            "composer-friendsofphp.tar.zst",
            "nodejs-security-wg.tar.zst",
        ] {
            b.add_path(&data(f)).unwrap();
        }
        Arc::new(Database::from_bytes(b.finish().unwrap().0).unwrap())
    })
    .clone()
}

fn os(family: &str, version: &str) -> OsInfo {
    OsInfo { family: family.into(), version: version.into(), ..Default::default() }
}

fn pkg(eco: Ecosystem, name: &str, version: &str) -> Package {
    Package {
        name: name.into(),
        version: version.into(),
        ecosystem: eco,
        origin: strata_core::Origin { path: "/app/lib".into(), layer: Some("sha256:abc".into()), ..Default::default() },
        ..Default::default()
    }
}

fn run(os: Option<&OsInfo>, pkgs: &[Package]) -> Output {
    let a = VulnAnalyzer::new(db());
    assert_eq!((a.id(), a.group()), ("vulns", "vuln"));
    let mut out = Output::new();
    a.match_packages(os, pkgs, &mut out);
    out
}

/// id -> fixed version.
fn ids(out: &Output) -> BTreeMap<String, Option<String>> {
    vulns(out).into_iter().map(|v| (v.id.to_string(), v.fixed_version.as_deref().map(str::to_owned))).collect()
}

#[test]
fn log4j_core_2_14_1_has_the_three_log4shell_cves() {
    let out = run(None, &[pkg(Ecosystem::Maven, "org.apache.logging.log4j:log4j-core", "2.14.1")]);
    let got = ids(&out);
    let want: BTreeMap<String, Option<String>> = [
        ("CVE-2021-44228", "2.15.0"),
        ("CVE-2021-45046", "2.16.0"),
        ("CVE-2021-45105", "2.17.0"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), Some(b.to_owned())))
    .collect();
    assert_eq!(got, want);
    let v = vulns(&out).into_iter().find(|v| &*v.id == "CVE-2021-44228").unwrap();
    assert!(v.known_exploited);
    assert_eq!(*v.aliases, ["GHSA-jfh8-c2jp-5v3q"]);
    assert_eq!(v.severity, Severity::Critical);
    assert_eq!(v.status, VulnStatus::Fixed);
    assert_eq!(&*v.data_source, "osv-ghsa");
    assert_eq!(v.solution.as_deref(), Some("upgrade org.apache.logging.log4j:log4j-core to 2.15.0"));
    assert_eq!(v.origin.path, "/app/lib");
    assert_eq!(v.origin.layer.as_deref(), Some("sha256:abc"));
    assert!(!vulns(&out).into_iter().find(|v| &*v.id == "CVE-2021-45105").unwrap().known_exploited);
    // Fixed versions are not affected.
    assert!(ids(&run(None, &[pkg(Ecosystem::Maven, "org.apache.logging.log4j:log4j-core", "2.17.1")])).is_empty());
}

#[test]
fn pypi_names_are_pep503_normalised() {
    let got = ids(&run(None, &[pkg(Ecosystem::Pypi, "PyYAML", "5.3.1")]));
    assert_eq!(got.get("CVE-2020-14343"), Some(&Some("5.4".to_owned())));
    assert!(!ids(&run(None, &[pkg(Ecosystem::Pypi, "pyyaml", "5.4")])).contains_key("CVE-2020-14343"));
}

#[test]
fn withdrawn_go_record_never_matches() {
    // GO-2022-0617 (k8s.io/kubernetes, introduced 0) is withdrawn.
    let out = run(None, &[pkg(Ecosystem::Golang, "k8s.io/kubernetes", "v1.20.0")]);
    for v in vulns(&out) {
        assert_ne!(&*v.id, "GO-2022-0617");
        assert!(!v.aliases.contains(&"GO-2022-0617".to_owned()));
    }
}

#[test]
fn debian_11_openssl_by_source_name_and_never_debian_12() {
    let mut p = pkg(Ecosystem::Deb, "libssl1.1", "1.1.1n-0+deb11u3");
    p.source_name = Some("openssl".into());
    let out = run(Some(&os("debian", "11.6")), std::slice::from_ref(&p));
    let got = ids(&out);
    // DSA-5343-1: {CVE-2022-2097 CVE-2022-4304 CVE-2022-4450 CVE-2023-0215 CVE-2023-0286},
    // [bullseye] - openssl 1.1.1n-0+deb11u4.
    for cve in ["CVE-2022-2097", "CVE-2022-4304", "CVE-2022-4450", "CVE-2023-0215", "CVE-2023-0286"] {
        assert_eq!(got.get(cve), Some(&Some("1.1.1n-0+deb11u4".to_owned())), "{cve}");
    }
    let v = vulns(&out).into_iter().find(|v| &*v.id == "CVE-2023-0286").unwrap();
    assert_eq!(&*v.package, "libssl1.1");
    assert!(v.aliases.contains(&"DSA-5343-1".to_owned()), "{:?}", v.aliases);
    assert_eq!(v.solution.as_deref(), Some("upgrade libssl1.1 to 1.1.1n-0+deb11u4"));
    // The fixed version itself is clean for that DSA.
    p.version = "1.1.1n-0+deb11u4".into();
    assert!(!ids(&run(Some(&os("debian", "11.6")), std::slice::from_ref(&p))).contains_key("CVE-2023-0286"));
    // A Debian 12 system is never matched against Debian 11 data (the lists end before
    // bookworm's release).
    p.version = "1.1.1n-0+deb11u3".into();
    assert!(ids(&run(Some(&os("debian", "12")), &[p])).is_empty());
}

#[test]
fn alpine_3_10_musl_from_secdb() {
    let out = run(Some(&os("alpine", "3.10.4")), &[pkg(Ecosystem::Apk, "musl", "1.1.22-r2")]);
    assert_eq!(ids(&out).get("CVE-2019-14697"), Some(&Some("1.1.22-r3".to_owned())));
    let out = run(Some(&os("alpine", "3.10.4")), &[pkg(Ecosystem::Apk, "musl", "1.1.22-r3")]);
    assert!(ids(&out).is_empty());
}

#[test]
fn almalinux_9_openssl_reports_cves_with_alsa_alias() {
    let out = run(Some(&os("alma", "9.2")), &[pkg(Ecosystem::Rpm, "openssl", "1:3.0.1-1.el9")]);
    let vs = vulns(&out);
    assert!(!vs.is_empty());
    for v in &vs {
        assert!(v.id.starts_with("CVE-") || v.id.starts_with("ALSA-"), "{}", v.id);
        assert!(v.fixed_version.as_deref().is_some_and(|f| f.contains(".el9")), "{:?}", v.fixed_version);
        assert_eq!(&*v.data_source, "osv-almalinux");
    }
    assert!(vs.iter().any(|v| v.aliases.iter().any(|a| a.starts_with("ALSA-"))));
    // Not matched against AlmaLinux 8 data.
    let out8 = run(Some(&os("alma", "8.9")), &[pkg(Ecosystem::Rpm, "openssl", "1:3.0.1-1.el9")]);
    assert!(vulns(&out8).iter().all(|v| v.fixed_version.as_deref().is_some_and(|f| f.contains("el8"))));
}

#[test]
fn unparsable_version_is_a_diagnostic_not_a_match() {
    let out = run(None, &[pkg(Ecosystem::Maven, "org.apache.logging.log4j:log4j-core", "")]);
    assert!(ids(&out).is_empty());
    let out = run(None, &[pkg(Ecosystem::Pypi, "PyYAML", "not a version!")]);
    assert!(ids(&out).is_empty());
    assert!(out.diagnostics().iter().any(|d| d.code == "vuln-unparsable-version" && d.path.as_deref() == Some("/app/lib")));
    // A Debian package is looked up by its source and its own name: one diagnostic per
    // package still, in package order, and the valid package between them is matched.
    let bad = |name: &str, path: &str| {
        let mut p = pkg(Ecosystem::Deb, name, "1.0 beta");
        p.source_name = Some("openssl".into());
        p.origin.path = path.into();
        p
    };
    let mut good = pkg(Ecosystem::Deb, "libssl1.1", "1.1.1n-0+deb11u3");
    good.source_name = Some("openssl".into());
    let out = run(Some(&os("debian", "11.6")), &[bad("libssl1.1", "/a"), good, bad("openssl", "/b")]);
    let diags: Vec<(&str, Option<&str>)> = out
        .diagnostics()
        .iter()
        .filter(|d| d.code == "vuln-unparsable-version")
        .map(|d| (d.message.as_str(), d.path.as_deref()))
        .collect();
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert!(diags[0].0.starts_with("libssl1.1 1.0 beta: version not comparable ("), "{diags:?}");
    assert_eq!((diags[0].1, diags[1].1), (Some("/a"), Some("/b")));
    assert!(diags[1].0.starts_with("openssl 1.0 beta: "), "{diags:?}");
    assert!(ids(&out).contains_key("CVE-2023-0286"));
}

#[test]
fn duplicates_are_merged_per_package() {
    let p = pkg(Ecosystem::Maven, "org.apache.logging.log4j:log4j-core", "2.14.1");
    let out = run(None, &[p.clone(), p]);
    assert_eq!(vulns(&out).len(), 3);
}

#[test]
fn constraint_feeds_rubysec_composer_npm() {
    // rubysec gems/resque/CVE-2023-50725.yml: patched_versions [">= 2.2.1"].
    let out = run(None, &[pkg(Ecosystem::Gem, "resque", "2.2.0")]);
    let v = vulns(&out).into_iter().find(|v| &*v.id == "CVE-2023-50725").expect("resque CVE-2023-50725");
    assert_eq!(v.fixed_version.as_deref(), Some(">= 2.2.1"));
    assert_eq!(*v.aliases, ["GHSA-gc3j-vvwf-4rp8"]);
    assert_eq!(v.severity, Severity::Medium); // cvss_v3 6.3
    assert_eq!(v.solution.as_deref(), Some("upgrade resque to a version matching >= 2.2.1"));
    assert!(!ids(&run(None, &[pkg(Ecosystem::Gem, "resque", "2.2.1")])).contains_key("CVE-2023-50725"));
    // FriendsOfPHP cakephp/cakephp 2015-08-06 advisory: branch 2.5.x ['>=2.5.0', '<2.5.9'].
    let hit = |version: &str| {
        vulns(&run(None, &[pkg(Ecosystem::Composer, "cakephp/cakephp", version)]))
            .iter()
            .any(|v| &*v.title == "Direct access of prefixed controller actions")
    };
    assert!(hit("2.5.8"));
    assert!(!hit("2.5.9"));
    // nodejs-security-wg npm/410.json: merge-options <=1.0.0, no patch.
    let out = run(None, &[pkg(Ecosystem::Npm, "merge-options", "1.0.0")]);
    let v = vulns(&out).into_iter().find(|v| &*v.id == "NSWG-ECO-410").expect("NSWG-ECO-410");
    assert_eq!(v.status, VulnStatus::Affected);
    assert_eq!(v.fixed_version, None);
    assert_eq!(v.severity, Severity::Low); // CVSS 3.0 base 2.0
    assert!(!ids(&run(None, &[pkg(Ecosystem::Npm, "merge-options", "1.0.1")])).contains_key("NSWG-ECO-410"));
}
