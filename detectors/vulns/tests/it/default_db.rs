//! The embedded default database: an Ubuntu 18.04 package set (Trivy's dpkg fixture)
//! against the Ubuntu CVE Tracker data, and 5,000 old packages that each have advisories
//! (timings are in `benches/match.rs`).

use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;
use strata_core::{Ecosystem, OsInfo, Output, Package, VulnStatus};
use strata_detect_vulns::VulnAnalyzer;

use crate::{testdata, vulns};

fn ubuntu_packages() -> Vec<Package> {
    let d: Value =
        serde_json::from_slice(&std::fs::read(testdata("trivy-ubuntu-18.04-packages.json")).unwrap()).unwrap();
    let ver = |p: &Value, pre: &str| {
        let epoch = p[format!("{pre}epoch")].as_u64().filter(|e| *e > 0);
        let v = p[format!("{pre}version")].as_str()?;
        let r = p[format!("{pre}release")].as_str();
        Some(format!(
            "{}{v}{}",
            epoch.map(|e| format!("{e}:")).unwrap_or_default(),
            r.map(|r| format!("-{r}")).unwrap_or_default()
        ))
    };
    d["package_infos"][0]["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Package {
            name: p["name"].as_str().unwrap().into(),
            version: p["full_version"].as_str().unwrap().into(),
            ecosystem: Ecosystem::Deb,
            arch: p["arch"].as_str().map(Into::into),
            source_name: p["src_name"].as_str().map(Into::into),
            source_version: ver(p, "src_"),
            origin: strata_core::Origin::file("/var/lib/dpkg/status"),
            ..Default::default()
        })
        .collect()
}

#[test]
fn ubuntu_18_04_packages_against_the_ubuntu_cve_tracker() {
    let t = Instant::now();
    let db = Arc::new(strata_vulndb_default::database());
    eprintln!("open embedded database: {:?}", t.elapsed());
    let os = OsInfo { family: "ubuntu".into(), version: "18.04".into(), ..Default::default() };
    let pkgs = ubuntu_packages();
    assert_eq!(pkgs.len(), 90);
    let t = Instant::now();
    let mut out = Output::new();
    VulnAnalyzer::new(db).match_packages(Some(&os), &pkgs, &mut out);
    let vs = vulns(&out);
    eprintln!("matched {} packages in {:?}: {} findings", pkgs.len(), t.elapsed(), vs.len());
    let find = |id: &str, pkg: &str| vs.iter().find(|v| &*v.id == id && &*v.package == pkg).copied();
    // UCT active/CVE-2019-18276: `bionic_bash: needed`.
    let v = find("CVE-2019-18276", "bash").expect("bash CVE-2019-18276");
    assert_eq!(v.status, VulnStatus::Affected);
    assert_eq!(v.fixed_version, None);
    assert_eq!(&*v.data_source, "ubuntu-cve-tracker");
    // UCT active/CVE-2018-7169: `bionic_shadow: needed`; passwd is built from shadow.
    assert_eq!(find("CVE-2018-7169", "passwd").map(|v| v.status), Some(VulnStatus::Affected));
    // UCT retired/CVE-2017-2616: `bionic_shadow: released (1:4.2-3.2ubuntu2)`, older than
    // the installed 1:4.5-1ubuntu1.
    assert!(find("CVE-2017-2616", "passwd").is_none());
    // UCT retired/CVE-2019-19882: `bionic_shadow: not-affected`: shown, not counted.
    assert_eq!(find("CVE-2019-19882", "passwd").map(|v| v.status), Some(VulnStatus::NotAffected));
    // Nothing from another release.
    assert!(vs.iter().all(|v| &*v.data_source == "ubuntu-cve-tracker" || v.data_source.starts_with("osv-")));
}

#[test]
fn old_versions_of_5000_packages_with_advisories_all_get_findings() {
    let db = Arc::new(strata_vulndb_default::database());
    let keys = db.keys().unwrap();
    let pkgs = crate::synthetic::synthetic(&keys);
    let os = OsInfo { family: "ubuntu".into(), version: "18.04".into(), ..Default::default() };
    let analyzer = VulnAnalyzer::new(db);
    let mut out = Output::new();
    analyzer.match_packages(Some(&os), &pkgs, &mut out);
    let vs = vulns(&out);
    assert_eq!(pkgs.len(), 5000);
    // Most packages are older than some fix of their advisories (the rest have only
    // advisories whose ranges start later): well over two thirds get a finding, and each
    // finding names its package at the version given.
    let with_findings: std::collections::HashSet<&str> = vs.iter().map(|v| &*v.package).collect();
    assert!(with_findings.len() > 3500, "{} of 5000 packages have findings", with_findings.len());
    assert!(vs.iter().all(|v| &*v.version == "1.0-1" || &*v.version == "1.0.0" || &*v.version == "v1.0.0"));
    // Ubuntu findings come from the tracker, language ones from OSV or the language feeds.
    assert!(vs.iter().filter(|v| v.ecosystem == Ecosystem::Deb).all(|v| &*v.data_source == "ubuntu-cve-tracker"));
}


fn rpm(name: &str, version: &str, label: Option<&str>) -> Package {
    let mut p = Package {
        name: name.into(),
        version: version.into(),
        ecosystem: Ecosystem::Rpm,
        arch: Some("x86_64".into()),
        origin: strata_core::Origin::file("/var/lib/rpm/rpmdb.sqlite"),
        ..Default::default()
    };
    if let Some(l) = label {
        p.properties.insert("modularity_label".into(), l.into());
    }
    p
}

/// osv/almalinux ALSA-2024:2780 ("Important: nodejs:18 security update") fixes the
/// nodejs:18 stream's `nodejs` in 1:18.20.2-1.module_el8.9.0+3828+c9fa9644 (CVE-2024-27983,
/// ...). A package of that stream (modularity label) is matched by it; the same name
/// without a label is not: the stream's advisories do not judge other builds.
#[test]
fn modular_rpms_match_their_module_stream_only() {
    let db = Arc::new(strata_vulndb_default::database());
    let analyzer = VulnAnalyzer::new(db);
    let os = OsInfo { family: "alma".into(), version: "8.9".into(), ..Default::default() };
    let old = "1:18.19.0-1.module_el8.9.0+3745+4f7e5d5c";
    let run = |p: Package| {
        let mut out = Output::new();
        analyzer.match_packages(Some(&os), [&p], &mut out);
        let found: Vec<(String, Option<String>, Vec<String>)> =
            vulns(&out).iter().map(|v| (v.id.to_string(), v.fixed_version.as_deref().map(str::to_owned), v.aliases.to_vec())).collect();
        (found, out.diagnostics().iter().map(|d| d.code.clone()).collect::<Vec<_>>())
    };
    let (found, _) = run(rpm("nodejs", old, Some("nodejs:18:8090020231019152822:a75119d5")));
    let hit = found.iter().find(|f| f.0 == "CVE-2024-27983").expect("CVE-2024-27983 for nodejs:18");
    assert_eq!(hit.1.as_deref(), Some("1:18.20.2-1.module_el8.9.0+3828+c9fa9644"));
    assert!(hit.2.iter().any(|a| a == "ALSA-2024:2780"));
    // The fixed build itself is not affected by it.
    let (found, _) =
        run(rpm("nodejs", "1:18.20.2-1.module_el8.9.0+3828+c9fa9644", Some("nodejs:18:8090020240418143931:a75119d5")));
    assert!(!found.iter().any(|f| f.2.iter().any(|a| a == "ALSA-2024:2780")));
    // No label: a module build is not placed in a stream and not matched (Trivy skips it
    // too); a non-modular build of the same name does not get the stream's advisories.
    let (found, diags) = run(rpm("nodejs", old, None));
    assert!(found.is_empty());
    assert!(diags.iter().any(|d| d == "vuln-modular-without-label"));
    let (found, _) = run(rpm("nodejs", "1:18.19.0-1.el8", None));
    assert!(!found.iter().any(|f| f.2.iter().any(|a| a == "ALSA-2024:2780")));
}

fn deb(name: &str, source: &str, version: &str) -> Package {
    Package {
        name: name.into(),
        version: version.into(),
        ecosystem: Ecosystem::Deb,
        arch: Some("amd64".into()),
        source_name: Some(source.into()),
        source_version: Some(version.into()),
        origin: strata_core::Origin::file("/var/lib/dpkg/status"),
        ..Default::default()
    }
}

/// UCT active/CVE-2018-20843: `trusty_expat: ignored (out of standard support)`,
/// `trusty/esm_expat: released (2.1.0-4ubuntu1.4+esm1)`. ESM statements count only when
/// the image gets ESM updates, and then their fix wins over the base release's statement.
#[test]
fn ubuntu_esm_statements_apply_when_esm_is_enabled() {
    let db = Arc::new(strata_vulndb_default::database());
    let analyzer = VulnAnalyzer::new(db);
    let plain = OsInfo { family: "ubuntu".into(), version: "14.04".into(), ..Default::default() };
    let mut pro = plain.clone();
    pro.fields.insert("ubuntu_pro_services".into(), "esm-apps,esm-infra".into());
    let run = |os: &OsInfo, p: Package| {
        let mut out = Output::new();
        analyzer.match_packages(Some(os), [&p], &mut out);
        vulns(&out)
            .iter()
            .find(|v| &*v.id == "CVE-2018-20843")
            .map(|v| (v.status, v.fixed_version.clone()))
    };
    let installed = deb("libexpat1", "expat", "2.1.0-4ubuntu1.4");
    // Without ESM: the base release's statement (end of standard support, no fix).
    assert_eq!(run(&plain, installed.clone()), Some((VulnStatus::EndOfLife, None)));
    // ESM enabled (Pro services): the ESM fix.
    assert_eq!(run(&pro, installed), Some((VulnStatus::Fixed, Some("2.1.0-4ubuntu1.4+esm1".into()))));
    // ESM build installed (`+esm` in the version enables ESM): fixed, nothing reported.
    assert_eq!(run(&plain, deb("libexpat1", "expat", "2.1.0-4ubuntu1.4+esm1")), None);
}

/// Large inventories are matched on several threads; the findings and diagnostics (and
/// their order) are exactly those of the sequential walk. Checked on the benchmark sets,
/// plus packages with unparsable versions, an Ubuntu Pro image (ESM lookups) and packages
/// listed again further on (findings deduplicated across distant packages).
#[test]
fn parallel_matching_gives_the_sequential_output() {
    let db = Arc::new(strata_vulndb_default::database());
    let keys = db.keys().unwrap();
    let parallel = VulnAnalyzer::new(db.clone()).with_parallel_threshold(0);
    let sequential = VulnAnalyzer::new(db).with_parallel_threshold(usize::MAX);
    let ubuntu = crate::synthetic::ubuntu_18_04();
    let mut pro = OsInfo { family: "ubuntu".into(), version: "14.04".into(), ..Default::default() };
    pro.fields.insert("ubuntu_pro_services".into(), "esm-infra".into());
    let mut mixed = crate::synthetic::synthetic(&keys);
    for (i, p) in mixed.iter_mut().enumerate().filter(|(i, _)| i % 97 == 0) {
        p.version = format!("not a version {i}");
    }
    let trusty: Vec<Package> =
        keys.iter().filter(|(ns, _)| ns == "ubuntu:14.04").take(1500).map(|(_, n)| deb(n, n, "1.0-1")).collect();
    // 600 packages, then the first 300 again (same name, version and path: their findings
    // merge into the first ones'), the next 600, then 100 of the first ones once more.
    let all = crate::synthetic::synthetic(&keys);
    let repeated: Vec<Package> =
        all[..600].iter().chain(&all[..300]).chain(&all[600..1200]).chain(&all[200..300]).cloned().collect();
    let cases = [
        ("synthetic", &ubuntu, crate::synthetic::synthetic(&keys)),
        ("shared sources", &ubuntu, crate::synthetic::shared_sources(&keys)),
        ("ubuntu image x55", &ubuntu, crate::synthetic::ubuntu_18_04_image(5000)),
        ("unparsable versions", &ubuntu, mixed),
        ("ubuntu 14.04 with esm", &pro, trusty),
        ("repeated packages", &ubuntu, repeated),
    ];
    for (name, os, pkgs) in &cases {
        let run = |a: &VulnAnalyzer| {
            let mut out = Output::new();
            a.match_packages(Some(os), pkgs, &mut out);
            serde_json::to_string(&(out.findings(), out.diagnostics())).unwrap()
        };
        let (p, s) = (run(&parallel), run(&sequential));
        assert!(s.len() > 1000, "{name}: {} bytes of output", s.len());
        if *name == "unparsable versions" {
            assert!(s.matches("vuln-unparsable-version").count() >= 50, "{name}: diagnostics");
        }
        assert!(p == s, "{name}: parallel output differs from the sequential one");
    }
}
