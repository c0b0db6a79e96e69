//! Tests of the distro importers on real feed documents (see `testdata/distro/ATTRIBUTION.md`).
//! Expected values come from the MANIFEST tables and from the peers' transcribed tests and
//! golden files next to each fixture.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use strata_core::Severity;

use super::*;
use crate::model::{Advisory, Affected, AffectedStatus};

fn td(rel: &str) -> PathBuf {
    Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("testdata/distro")
        .join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(td(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
    out.sort();
}

fn parse_rel(rel: &str) -> Parsed {
    let bytes = read(rel);
    let fmt = detect(&bytes, rel).unwrap_or_else(|| panic!("{rel}: not detected"));
    parse(fmt, &bytes, rel).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn by_id(p: &Parsed) -> BTreeMap<&str, &Advisory> {
    p.advisories.iter().map(|a| (a.id.as_str(), a)).collect()
}

fn find<'a>(a: &'a Advisory, ns: &str, pkg: &str) -> Option<&'a Affected> {
    a.affected
        .iter()
        .find(|x| x.namespace == ns && x.package == pkg)
}

// ---------------------------------------------------------------- Debian text lists

#[test]
fn debian_lists_match_manifest_counts() {
    // MANIFEST: DSA 5,406 entries / 14,770 CVEs; DLA 3,534 / 8,690; DTSA 208 / 387.
    for (file, prefix, entries, cves) in [
        ("DSA.list", "DSA-", 5406, 14770),
        ("DLA.list", "DLA-", 3534, 8690),
        ("DTSA.list", "DTSA-", 208, 387),
    ] {
        let p = parse_rel(&format!("debian-list/{file}"));
        let ids: BTreeSet<&str> = p
            .advisories
            .iter()
            .map(|a| a.id.as_str())
            .filter(|i| is_cve(i))
            .collect();
        // The MANIFEST counts every CVE string; a few appear only in NOTE lines, which name
        // no package and make no record.
        let text = String::from_utf8(read(&format!("debian-list/{file}"))).unwrap();
        let note_only: BTreeSet<&str> = text
            .lines()
            .filter(|l| l.trim_start().starts_with("NOTE:"))
            .flat_map(|l| l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')))
            .filter(|t| is_cve(t) && !ids.contains(t))
            .collect();
        assert_eq!(ids.len() + note_only.len(), cves, "{file}: distinct CVEs");
        assert!(note_only.len() <= 3, "{note_only:?}");
        let mut vendor: BTreeSet<&str> = BTreeSet::new();
        for a in &p.advisories {
            if a.id.starts_with(prefix) {
                vendor.insert(&a.id);
            }
            for al in &a.aliases {
                vendor.insert(al);
            }
        }
        assert_eq!(vendor.len(), entries, "{file}: entries");
        assert!(
            p.advisories
                .iter()
                .all(|a| a.affected.iter().all(|x| x.name_kind == NameKind::Source))
        );
    }
}

#[test]
fn debian_dsa_list_values() {
    let p = parse_rel("debian-list/DSA.list");
    let m = by_id(&p);
    // [29 Mar 2023] DSA-5380-1 xorg-server / {CVE-2023-1393} / [bullseye] - xorg-server 2:1.20.11-1+deb11u6
    let a = m["CVE-2023-1393"];
    assert_eq!(a.aliases, vec!["DSA-5380-1"]);
    assert_eq!(a.published.as_deref(), Some("2023-03-29"));
    assert_eq!(a.source, "debian-dsa");
    assert_eq!(
        find(a, "debian:11", "xorg-server").unwrap().fixed_version(),
        Some("2:1.20.11-1+deb11u6")
    );
    // A regression update without CVE keeps its own id.
    let sox = m["DSA-5356-2"];
    assert!(sox.aliases.is_empty());
    assert_eq!(
        find(sox, "debian:11", "sox").unwrap().fixed_version(),
        Some("14.4.2+git20190427-2+deb11u2")
    );
    // `<not-affected>` and `<end-of-life>` annotations become statuses.
    let statuses: std::collections::HashSet<AffectedStatus> = p
        .advisories
        .iter()
        .flat_map(|a| a.affected.iter().map(|x| x.status))
        .collect();
    assert!(statuses.contains(&AffectedStatus::NotAffected));
    assert!(statuses.contains(&AffectedStatus::EndOfLife));
    // Every release of the MANIFEST maps to a namespace: woody .. bullseye.
    let ns: BTreeSet<&str> = p
        .advisories
        .iter()
        .flat_map(|a| a.affected.iter().map(|x| x.namespace.as_str()))
        .collect();
    for want in [
        "debian:3.0",
        "debian:3.1",
        "debian:4",
        "debian:5",
        "debian:6",
        "debian:7",
        "debian:8",
        "debian:9",
        "debian:10",
        "debian:11",
    ] {
        assert!(ns.contains(want), "{want} missing from {ns:?}");
    }
}

#[test]
fn debian_dtsa_header_dates_and_severity() {
    let p = parse_rel("debian-list/DTSA.list");
    let m = by_id(&p);
    // [August 26th, 2005] DTSA-1-1 kismet / {CVE-2005-2626 CVE-2005-2627 } / [etch] - kismet 2005.08.R1-0.1etch1 (high)
    let a = m["CVE-2005-2626"];
    assert_eq!(a.published.as_deref(), Some("2005-08-26"));
    let k = find(a, "debian:4", "kismet").unwrap();
    assert_eq!(k.fixed_version(), Some("2005.08.R1-0.1etch1"));
    assert_eq!(k.severity, Some(Severity::High));
}

// ---------------------------------------------------------------- Debian vuln-list JSON

fn debian_vuln_list() -> Parsed {
    let root = td("debian-vuln-list/input/vuln-list-debian/tracker");
    let mut files = Vec::new();
    files_under(&root, &mut files);
    let mut v = DebianVulnList::new();
    for f in files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(DebianVulnList::wants(&f.to_string_lossy()), "{rel}");
        v.add_file(&rel, &std::fs::read(&f).unwrap()).unwrap();
    }
    v.finish()
}

fn trivy_status(s: &str) -> AffectedStatus {
    match s {
        "StatusAffected" => AffectedStatus::Affected,
        "StatusWillNotFix" => AffectedStatus::WillNotFix,
        "StatusFixDeferred" => AffectedStatus::FixDeferred,
        "StatusEndOfLife" => AffectedStatus::EndOfLife,
        "StatusNotAffected" => AffectedStatus::NotAffected,
        other => panic!("status {other}"),
    }
}

fn trivy_severity(s: &str) -> Severity {
    match s {
        "SeverityLow" => Severity::Low,
        "SeverityMedium" => Severity::Medium,
        "SeverityHigh" => Severity::High,
        "SeverityCritical" => Severity::Critical,
        other => panic!("severity {other}"),
    }
}

#[test]
fn debian_vuln_list_reproduces_trivy_db_expected_values() {
    let p = debian_vuln_list();
    let m = by_id(&p);
    let exp: Value =
        serde_json::from_slice(&read("debian-vuln-list/expected-db-values.json")).unwrap();
    let case = &exp["cases"][0];
    let mut checked = 0;
    for kv in case["wantValues"].as_array().unwrap() {
        let key = kv["key"].as_array().unwrap();
        let val = &kv["value"];
        match key[0].as_str().unwrap() {
            "advisory-detail" => {
                let id = key[1].as_str().unwrap();
                let ns = key[2].as_str().unwrap().replace("debian ", "debian:");
                let pkg = key[3].as_str().unwrap();
                let adv = m.get(id).unwrap_or_else(|| panic!("{id} missing"));
                let a = find(adv, &ns, pkg)
                    .unwrap_or_else(|| panic!("{id} {ns} {pkg} missing: {:?}", adv.affected));
                match val.get("fixed_version").and_then(Value::as_str) {
                    Some(fv) => {
                        assert_eq!(a.fixed_version(), Some(fv), "{id} {ns} {pkg}");
                        assert_eq!(a.status, AffectedStatus::Fixed);
                    }
                    None => assert_eq!(a.fixed_version(), None, "{id} {ns} {pkg}"),
                }
                if let Some(st) = val.get("status").and_then(Value::as_str) {
                    assert_eq!(a.status, trivy_status(st), "{id} {ns} {pkg}");
                }
                if let Some(sev) = val.get("severity").and_then(Value::as_str) {
                    assert_eq!(a.severity, Some(trivy_severity(sev)), "{id} {ns} {pkg}");
                }
                for vid in val
                    .get("vendor_ids")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let vid = vid.as_str().unwrap();
                    assert!(
                        vid == id || adv.aliases.iter().any(|x| x == vid),
                        "{id}: alias {vid}"
                    );
                }
                checked += 1;
            }
            "vulnerability-detail" => {
                let id = key[1].as_str().unwrap();
                assert_eq!(m[id].title, val["title"].as_str().unwrap(), "{id} title");
                checked += 1;
            }
            "vulnerability-id" => {
                assert!(m.contains_key(key[1].as_str().unwrap()));
                checked += 1;
            }
            _ => {}
        }
    }
    assert_eq!(checked, 15);
    // noBuckets: not-affected in stretch, and not-affected in sid for every release.
    for nb in case["noBuckets"].as_array().unwrap() {
        let nb = nb.as_array().unwrap();
        let id = nb[1].as_str().unwrap();
        match nb.get(2) {
            Some(ns) => {
                let ns = ns.as_str().unwrap().replace("debian ", "debian:");
                assert!(
                    m.get(id)
                        .is_none_or(|a| a.affected.iter().all(|x| x.namespace != ns)),
                    "{id} {ns}"
                );
            }
            None => assert!(!m.contains_key(id), "{id}"),
        }
    }
}

#[test]
fn debian_vuln_list_routing() {
    assert!(!DebianVulnList::wants("osv/go/GO-2020-0001.json"));
    assert!(!DebianVulnList::wants("alma/8/2021/ALSA-2021-3076.json"));
    assert!(!DebianVulnList::wants("tracker/CVE/list"));
    assert!(!DebianVulnList::wants("project/source/main/x.json"));
    assert!(DebianVulnList::wants("vuln-list/debian/distributions.json"));
    assert!(DebianVulnList::wants(
        "vuln-list-debian/tracker/DLA/DLA-2691-1.json"
    ));
}

#[test]
fn debian_tracker_json_export() {
    // Shape of security-tracker.debian.org/tracker/data/json (built in code: no copy in reach).
    let doc = br#"{"openssl": {"CVE-2024-0727": {"description": "PKCS12 NULL deref", "releases": {
        "bookworm": {"status": "resolved", "repositories": {"bookworm": "3.0.13-1~deb12u1"}, "fixed_version": "3.0.13-1~deb12u1", "urgency": "not yet assigned"},
        "bullseye": {"status": "open", "repositories": {"bullseye": "1.1.1w-0+deb11u1"}, "urgency": "low", "nodsa": "Minor issue", "nodsa_reason": "postponed"},
        "buster": {"status": "resolved", "fixed_version": "0", "urgency": "unimportant"},
        "sid": {"status": "resolved", "fixed_version": "3.1.5-1", "urgency": "not yet assigned"}}}}}"#;
    assert_eq!(detect(doc, "json"), Some(Format::DebianTrackerJson));
    let p = parse(Format::DebianTrackerJson, doc, "json").unwrap();
    let a = &p.advisories[0];
    assert_eq!(a.id, "CVE-2024-0727");
    assert_eq!(a.affected.len(), 3);
    assert_eq!(
        find(a, "debian:12", "openssl").unwrap().fixed_version(),
        Some("3.0.13-1~deb12u1")
    );
    let b = find(a, "debian:11", "openssl").unwrap();
    assert_eq!(
        (b.status, b.severity),
        (AffectedStatus::FixDeferred, Some(Severity::Low))
    );
    assert_eq!(
        find(a, "debian:10", "openssl").unwrap().status,
        AffectedStatus::NotAffected
    );
}

#[test]
fn dpkg_version_order() {
    use super::debian_json::compare_debian as c;
    use std::cmp::Ordering::*;
    assert_eq!(c("1.8.7-5", "1.8.7-6"), Less);
    assert_eq!(c("3.7.1-5+deb11u4", "3.7.1-5+deb11u5"), Less);
    assert_eq!(c("1:1.0", "2.0"), Greater);
    assert_eq!(c("1.0~rc1", "1.0"), Less);
    assert_eq!(c("20.4.1-2", "19.4-2"), Greater);
    assert_eq!(c("1.0-1", "1.0-1"), Equal);
    assert_eq!(c("1.0a", "1.0+"), Less);
}

// ---------------------------------------------------------------- Ubuntu CVE tracker

#[test]
fn ubuntu_esm_keys_of_newer_trackers() {
    let doc = b"Candidate: CVE-2024-0001\nPriority: high\n\nPatches_openssl:\njammy_openssl: released (3.0.2-0ubuntu1.15)\nesm-infra/xenial_openssl: released (1.0.2g-1ubuntu4.20+esm11)\nfips/jammy_openssl: needed\nupstream_openssl: released (3.0.13)\n";
    assert_eq!(detect(doc, "active/CVE-2024-0001"), Some(Format::UbuntuCve));
    let p = parse(Format::UbuntuCve, doc, "active/CVE-2024-0001").unwrap();
    let a = &p.advisories[0];
    assert_eq!(a.affected.len(), 2);
    assert_eq!(
        find(a, "ubuntu:22.04", "openssl").unwrap().fixed_version(),
        Some("3.0.2-0ubuntu1.15")
    );
    assert_eq!(
        find(a, "ubuntu:16.04-esm", "openssl")
            .unwrap()
            .fixed_version(),
        Some("1.0.2g-1ubuntu4.20+esm11")
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn ubuntu_active_archive() {
    let p = parse_rel("ubuntu/active.tar.zst");
    // MANIFEST: active.tar.zst holds 6,509 CVE files.
    assert_eq!(p.advisories.len(), 6509);
    let m = by_id(&p);
    let a = m["CVE-2012-0876"];
    assert_eq!(a.severity, Some(Severity::Medium));
    assert_eq!(a.published.as_deref(), Some("2012-07-03"));
    assert!(
        a.description
            .starts_with("The XML parser (xmlparse.c) in expat before 2.1.0")
    );
    let lucid = find(a, "ubuntu:10.04", "expat").unwrap();
    assert_eq!(
        (lucid.fixed_version(), lucid.name_kind),
        (Some("2.0.1-7ubuntu1.1"), NameKind::Source)
    );
    assert_eq!(
        find(a, "ubuntu:12.10", "expat").unwrap().status,
        AffectedStatus::NotAffected
    );
    assert_eq!(
        find(a, "ubuntu:10.10", "expat").unwrap().status,
        AffectedStatus::EndOfLife
    );
    assert_eq!(
        find(a, "ubuntu:16.04", "apache2").unwrap().status,
        AffectedStatus::WillNotFix
    );
    assert_eq!(
        find(a, "ubuntu:18.04", "cadaver").unwrap().status,
        AffectedStatus::Affected
    );
    assert_eq!(
        find(a, "ubuntu:14.04-esm", "expat").unwrap().status,
        AffectedStatus::NotAffected
    );
    assert!(
        find(a, "ubuntu:12.04", "python2.6").is_none(),
        "DNE is dropped"
    );
    // Priorities of the whole archive are all ones the MANIFEST lists.
    let with_cvss = p
        .advisories
        .iter()
        .filter(|a| a.cvss.iter().any(|c| c.vector.starts_with("CVSS:3")))
        .count();
    assert!(with_cvss > 1000, "{with_cvss}");
}

// ---------------------------------------------------------------- Alpine secdb

#[test]
fn alpine_secdb_counts_match_manifest() {
    // MANIFEST table: packages / fix entries / CVE refs.
    let table = [
        ("v3.3", "main", 91, 159, 461),
        ("v3.4", "main", 117, 258, 672),
        ("v3.4", "community", 2, 2, 14),
        ("v3.5", "main", 131, 316, 826),
        ("v3.5", "community", 20, 25, 102),
        ("v3.6", "main", 134, 346, 898),
        ("v3.6", "community", 31, 58, 219),
        ("v3.7", "main", 163, 425, 1078),
        ("v3.7", "community", 37, 97, 411),
        ("v3.8", "main", 164, 442, 1139),
        ("v3.8", "community", 44, 125, 485),
        ("v3.9", "main", 161, 447, 1121),
        ("v3.9", "community", 58, 161, 601),
        ("v3.10", "main", 166, 460, 1182),
        ("v3.10", "community", 73, 203, 720),
        ("v3.11", "main", 175, 502, 1204),
        ("v3.11", "community", 85, 239, 895),
    ];
    for (rel, repo, pkgs, fixes, refs) in table {
        let path = format!("alpine/{rel}/{repo}.yaml");
        let p = parse_rel(&path);
        let ns = format!("alpine:{}", &rel[1..]);
        let mut packages = BTreeSet::new();
        let mut fix_entries = BTreeSet::new();
        let mut ranges = 0;
        for a in &p.advisories {
            for x in &a.affected {
                assert_eq!(x.namespace, ns);
                packages.insert(x.package.clone());
                for v in x.fixed_versions() {
                    fix_entries.insert((x.package.clone(), v.to_string()));
                }
                ranges += x.ranges.len();
                // The "0" key: ids that never affected the package.
                if x.status == AffectedStatus::NotAffected {
                    fix_entries.insert((x.package.clone(), "0".to_string()));
                    ranges += 1;
                }
            }
        }
        // Refs that name no id ("CVE_…" typos are repaired) surface as warnings.
        let unparsed = p
            .warnings
            .iter()
            .filter(|w| w.contains("unrecognised id"))
            .count();
        let empty_fixes = p.warnings.iter().filter(|w| w.contains("no ids")).count();
        assert_eq!(packages.len(), pkgs, "{path} packages");
        assert_eq!(fix_entries.len() + empty_fixes, fixes, "{path} fix entries");
        assert_eq!(ranges + unparsed, refs, "{path} refs");
    }
    assert!(
        parse_rel("alpine/v3.3/community.yaml")
            .advisories
            .is_empty()
    );
    // A spot value: v3.10 main, ansible 2.8.4-r0 fixes CVE-2019-10206.
    let p = parse_rel("alpine/v3.10/main.yaml");
    let a = by_id(&p)["CVE-2019-10206"];
    assert_eq!(
        find(a, "alpine:3.10", "ansible").unwrap().fixed_version(),
        Some("2.8.4-r0")
    );
}

// ---------------------------------------------------------------- Red Hat CSAF

#[test]
fn csaf_vex_reproduces_trivy_db_expected_advisories() {
    let exp: Value =
        serde_json::from_slice(&read("csaf/trivy-db-happy/expected-db-values.json")).unwrap();
    let want = exp["cases"][0]["wantAdvisories"].as_object().unwrap();
    let mut all = Vec::new();
    for f in ["cve-2024-10041.json", "cve-2024-9999.json"] {
        all.extend(parse_rel(&format!("csaf/trivy-db-happy/input/csaf-vex/{f}")).advisories);
    }
    let mut checked = 0;
    for (k, rows) in want {
        let key: Value = serde_json::from_str(k).unwrap();
        let pkg = key["Package"]["Name"].as_str().unwrap();
        let rhsa = key["VulnerabilityID"].as_str().unwrap();
        for row in rows.as_array().unwrap() {
            let cve = row["alias"].as_str().unwrap();
            let adv = all.iter().find(|a| a.id == cve).unwrap();
            assert!(adv.aliases.iter().any(|a| a == rhsa), "{cve} alias {rhsa}");
            let cpe = row["cpe"]["args"][0].as_str().unwrap();
            let ns = csaf::namespace_of_cpe(cpe).unwrap();
            let a = adv
                .affected
                .iter()
                .find(|a| {
                    a.namespace == ns
                        && a.package == pkg
                        && a.fixed_version() == row["fixed_version"].as_str()
                })
                .unwrap_or_else(|| panic!("{cve} {pkg}: {:?}", adv.affected));
            assert!(
                a.arches.iter().any(|x| x == row["arch"].as_str().unwrap()),
                "{cve} {pkg} arch"
            );
            assert_eq!(
                a.severity,
                Some(trivy_severity(row["severity"].as_str().unwrap()))
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 3);
    // The other remediations of the test document: no_fix_planned and none_available.
    let t = all.iter().find(|a| a.id == "CVE-2024-9999").unwrap();
    assert_eq!(
        find(t, "redhat:9", "affected-package").unwrap().status,
        AffectedStatus::Affected
    );
    assert!(
        find(t, "redhat:9", "oci-image").is_none(),
        "non-rpm components are skipped"
    );
}

#[test]
fn csaf_real_red_hat_documents() {
    let p = parse_rel("csaf/cve-2024-0727-openssl.json");
    let a = by_id(&p)["CVE-2024-0727"];
    let fixed: Vec<&Affected> = a
        .affected
        .iter()
        .filter(|x| x.status == AffectedStatus::Fixed)
        .collect();
    assert!(!fixed.is_empty());
    assert!(fixed.iter().all(|x| x.namespace.starts_with("redhat:")));
    assert!(
        a.aliases
            .iter()
            .all(|x| x.starts_with("RHSA-") || x.starts_with("RHBA-"))
    );
    // Older VEX without purls: kernel is known_not_affected on RHEL 5..9.
    let p = parse_rel("csaf/cve-2021-0084.json");
    let a = by_id(&p)["CVE-2021-0084"];
    for major in 5..=9 {
        let k = find(a, &format!("redhat:{major}"), "kernel").unwrap();
        assert_eq!(
            (k.status, k.name_kind),
            (AffectedStatus::NotAffected, NameKind::Source)
        );
    }
    // Modular rpms (`rpmmod=go-toolset:rhel8`) are named module:stream::name; the only fix of
    // this document is for Hardened Images (not RHEL), so every RHEL entry stays unfixed.
    let p = parse_rel("csaf/cve-2026-27142.json");
    let a = &p.advisories[0];
    let g = find(a, "redhat:8", "go-toolset:rhel8::golang-bin").unwrap();
    assert_eq!(
        (g.status, g.name_kind),
        (AffectedStatus::Affected, NameKind::Binary)
    );
    assert!(find(a, "redhat:9", "golang-bin").is_some());
    assert!(
        a.affected
            .iter()
            .all(|x| x.status != AffectedStatus::Fixed && x.namespace.starts_with("redhat:"))
    );
    // Satellite (a layered product) is not a distro namespace.
    let p = parse_rel("csaf/cve-2024-22047.json");
    assert!(p.advisories[0].affected.is_empty());
    // A CSAF advisory: product ids are NEVRAs, platforms are AUS/E4S/TUS streams.
    let p = parse_rel("csaf/rhsa-2022-0011.json");
    let a = &p.advisories[0];
    assert!(a.aliases.iter().any(|x| x == "RHSA-2022:0011"));
    let t = find(a, "redhat:7.6-aus", "telnet").unwrap();
    assert_eq!(t.fixed_version(), Some("1:0.17-65.el7_6"));
    assert!(find(a, "redhat:7.6-e4s", "telnet-server").is_some());
    assert!(
        a.affected
            .iter()
            .all(|x| x.package != "telnet" || x.arches.iter().all(|r| r != "src"))
    );
}

// ---------------------------------------------------------------- Red Hat OVAL

#[test]
fn oval_matches_vuln_list_update_golden() {
    let cases = [
        (
            "oval/happy/RHEL6/rhel-6-extras-including-unpatched.oval.xml.bz2",
            "oval/golden/6/rhel-6-extras-including-unpatched/definitions",
            "6",
        ),
        (
            "oval/happy/RHEL7/dotnet-3.1-including-unpatched.oval.xml.bz2",
            "oval/golden/7/dotnet-3.1-including-unpatched/definitions",
            "7",
        ),
    ];
    let mut checked = 0;
    for (xml, golden, major) in cases {
        let p = parse_rel(xml);
        let ns = format!("redhat:{major}");
        let mut files = Vec::new();
        files_under(&td(golden), &mut files);
        for f in files {
            let g: Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
            let unaffected = f.to_string_lossy().ends_with(".unaffected.json");
            let mut earlier: Vec<(String, String)> = Vec::new();
            let mut installed: Vec<String> = Vec::new();
            let mut not_installed: Vec<String> = Vec::new();
            collect_criteria(
                &g["Criteria"],
                &mut earlier,
                &mut installed,
                &mut not_installed,
            );
            let refs = g["Metadata"]["References"].as_array().unwrap();
            let cves: Vec<&str> = refs
                .iter()
                .filter(|r| r["Source"] == "CVE")
                .map(|r| r["RefID"].as_str().unwrap())
                .collect();
            let vendor = refs
                .iter()
                .find(|r| r["Source"] == "RHSA")
                .map(|r| r["RefID"].as_str().unwrap());
            for cve in &cves {
                let matching: Vec<&Advisory> =
                    p.advisories.iter().filter(|a| a.id == *cve).collect();
                assert!(!matching.is_empty(), "{cve} missing");
                let adv = if let Some(v) = vendor {
                    *matching
                        .iter()
                        .find(|a| a.aliases.iter().any(|x| x == v))
                        .unwrap_or_else(|| panic!("{cve} {v}"))
                } else {
                    *matching
                        .iter()
                        .find(|a| {
                            a.aliases.is_empty()
                                && (a.title == g["Metadata"]["Title"].as_str().unwrap())
                        })
                        .unwrap()
                };
                for (pkg, evr) in &earlier {
                    let a = find(adv, &ns, pkg).unwrap_or_else(|| panic!("{cve} {pkg}"));
                    assert_eq!(
                        a.fixed_version(),
                        Some(evr.strip_prefix("0:").unwrap_or(evr)),
                        "{cve} {pkg}"
                    );
                    checked += 1;
                }
                if g["Class"] == "vulnerability" && !unaffected {
                    for pkg in &installed {
                        assert_ne!(
                            find(adv, &ns, pkg).unwrap().status,
                            AffectedStatus::Fixed,
                            "{cve} {pkg}"
                        );
                        checked += 1;
                    }
                }
                if unaffected {
                    for pkg in &not_installed {
                        assert_eq!(
                            find(adv, &ns, pkg).unwrap().status,
                            AffectedStatus::NotAffected,
                            "{cve} {pkg}"
                        );
                        checked += 1;
                    }
                }
                assert_eq!(adv.title, g["Metadata"]["Title"].as_str().unwrap());
            }
        }
    }
    assert!(checked >= 10, "{checked}");
}

fn collect_criteria(
    c: &Value,
    earlier: &mut Vec<(String, String)>,
    installed: &mut Vec<String>,
    not_installed: &mut Vec<String>,
) {
    for cr in c["Criterions"].as_array().into_iter().flatten() {
        let comment = cr["Comment"].as_str().unwrap();
        if comment.starts_with("Red Hat Enterprise Linux")
            || comment.contains("signed with")
            || comment.starts_with("Module ")
        {
            continue;
        }
        if let Some((p, v)) = comment.split_once(" is earlier than ") {
            earlier.push((p.to_string(), v.to_string()));
        } else if let Some(p) = comment.strip_suffix(" is not installed") {
            not_installed.push(p.to_string());
        } else if let Some(p) = comment.strip_suffix(" is installed") {
            installed.push(p.to_string());
        }
    }
    for sub in c["Criterias"].as_array().into_iter().flatten() {
        collect_criteria(sub, earlier, installed, not_installed);
    }
}

#[test]
fn oval_rhel8_sample_and_module_streams() {
    let p = parse_rel("oval/RHEL8-ansible-2-including-unpatched.oval.xml.bz2");
    let names: BTreeSet<&str> = p
        .advisories
        .iter()
        .flat_map(|a| a.affected.iter().map(|x| x.package.as_str()))
        .collect();
    assert_eq!(names, BTreeSet::from(["ansible", "ansible-test"]));
    assert!(
        p.advisories
            .iter()
            .all(|a| a.affected.iter().all(|x| x.namespace == "redhat:8"))
    );
    let fixed: BTreeSet<&str> = p
        .advisories
        .iter()
        .flat_map(|a| a.affected.iter().filter_map(|x| x.fixed_version()))
        .collect();
    // The excerpt keeps two patch definitions (RHSA-2019:3927, RHSA-2020:0215); tests of the
    // dropped ones (2.9.13-1.el8ae, ...) are still in the file but referenced by nothing.
    assert_eq!(fixed, BTreeSet::from(["2.9.1-1.el8", "2.9.4-1.el8ae"]));
    let unfixed = p
        .advisories
        .iter()
        .find(|a| a.id == "CVE-2020-10744")
        .unwrap();
    assert!(
        unfixed
            .affected
            .iter()
            .all(|x| x.fixed_version().is_none() && x.status != AffectedStatus::Fixed)
    );
    // Modular criteria (shape of the RHEL 8 AppStream stream, built in code).
    let doc = br#"<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"><definitions>
<definition class="patch" id="oval:com.redhat.rhsa:def:20213076" version="1"><metadata><title>RHSA-2021:3076: go-toolset:rhel8 (Moderate)</title>
<reference ref_id="RHSA-2021:3076" source="RHSA"/><advisory><severity>Moderate</severity><cve impact="moderate">CVE-2021-27918</cve></advisory></metadata>
<criteria operator="AND"><criterion comment="Red Hat Enterprise Linux 8 is installed"/><criterion comment="Module go-toolset:rhel8 is enabled"/>
<criteria operator="OR"><criterion comment="golang is earlier than 0:1.15.14-1.module+el8.4.0+11961+c4a4c7cd"/></criteria></criteria></definition>
</definitions></oval_definitions>"#;
    assert_eq!(detect(doc, "x.xml"), Some(Format::Oval));
    let p = parse(Format::Oval, doc, "x.xml").unwrap();
    let a = &p.advisories[0];
    assert_eq!(
        (a.id.as_str(), a.aliases.clone()),
        ("CVE-2021-27918", vec!["RHSA-2021:3076".to_string()])
    );
    let g = find(a, "redhat:8", "go-toolset:rhel8::golang").unwrap();
    assert_eq!(
        g.fixed_version(),
        Some("1.15.14-1.module+el8.4.0+11961+c4a4c7cd")
    );
}

// ---------------------------------------------------------------- CVRF

fn openeuler_ns(product: &str) -> String {
    let rest = product.strip_prefix("openEuler-").unwrap();
    format!("openeuler:{}", rest.to_ascii_lowercase())
}

#[test]
fn openeuler_cvrf_matches_vuln_list_update_golden() {
    let mut checked = 0;
    for id in ["openEuler-SA-2021-1033", "openEuler-SA-2023-1374"] {
        let p = parse_rel(&format!("cvrf/openeuler/cvrf/cvrf-{id}.xml"));
        let g: Value =
            serde_json::from_slice(&read(&format!("cvrf/openeuler/golden/{id}.json"))).unwrap();
        // product id -> CPE, CPE -> (name, evr)
        let mut product_cpe = BTreeMap::new();
        let mut pkgs: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
        for b in g["ProductTree"]["Branches"].as_array().unwrap() {
            for prod in b["Productions"].as_array().unwrap() {
                let cpe = prod["CPE"].as_str().unwrap().to_string();
                if b["Type"] == "Product Name" {
                    product_cpe.insert(prod["ProductID"].as_str().unwrap().to_string(), cpe);
                } else if b["Name"] != "src" {
                    let text = prod["Text"].as_str().unwrap().trim_end_matches(".rpm");
                    let (nvr, _arch) = text.rsplit_once('.').unwrap();
                    let mut it = nvr.rsplitn(3, '-');
                    let (rel, ver, name) =
                        (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
                    pkgs.entry(cpe)
                        .or_default()
                        .insert((name.to_string(), format!("{ver}-{rel}")));
                }
            }
        }
        assert_eq!(
            p.advisories.len(),
            g["Vulnerabilities"].as_array().unwrap().len()
        );
        for v in g["Vulnerabilities"].as_array().unwrap() {
            let cve = v["CVE"].as_str().unwrap();
            let adv = by_id(&p)[cve];
            assert_eq!(adv.aliases, vec![id.to_string()]);
            assert_eq!(
                adv.severity,
                Some(Severity::parse_lenient(
                    v["Threats"][0]["Severity"].as_str().unwrap()
                ))
            );
            assert_eq!(
                adv.cvss[0].vector,
                v["CVSSScoreSets"]["Vector"].as_str().unwrap()
            );
            assert_eq!(
                adv.cvss[0].score,
                v["CVSSScoreSets"]["BaseScore"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .ok()
            );
            let mut want = BTreeSet::new();
            for st in v["ProductStatuses"].as_array().unwrap() {
                assert_eq!(st["Type"], "Fixed");
                for pid in st["ProductID"].as_array().unwrap() {
                    let pid = pid.as_str().unwrap();
                    for (n, evr) in &pkgs[&product_cpe[pid]] {
                        want.insert((openeuler_ns(pid), n.clone(), evr.clone()));
                    }
                }
            }
            let got: BTreeSet<(String, String, String)> = adv
                .affected
                .iter()
                .map(|a| {
                    (
                        a.namespace.clone(),
                        a.package.clone(),
                        a.fixed_version().unwrap().to_string(),
                    )
                })
                .collect();
            assert_eq!(got, want, "{cve}");
            checked += got.len();
        }
    }
    assert!(checked > 10, "{checked}");
}

#[test]
fn openeuler_cvrf_samples() {
    let p = parse_rel("cvrf/openeuler/cvrf/cvrf-openEuler-SA-2024-1349.xml");
    assert!(!p.advisories.is_empty());
    for a in &p.advisories {
        assert_eq!(a.aliases, vec!["openEuler-SA-2024-1349".to_string()]);
        assert!(
            a.affected
                .iter()
                .all(|x| x.namespace == "openeuler:22.03-lts-sp2"),
            "{:?}",
            a.affected
        );
        assert!(a.affected.iter().any(|x| x.package == "kernel"));
    }
    assert!(
        !parse_rel("cvrf/openeuler/cvrf/cvrf-openEuler-SA-2022-1693.xml")
            .advisories
            .is_empty()
    );
}

#[test]
fn suse_cvrf_relationships() {
    let p = parse_rel("cvrf/suse/cvrf-suse-su-2019-1608-1.xml");
    let a = by_id(&p)["CVE-2019-1559"];
    assert_eq!(a.aliases, vec!["SUSE-SU-2019:1608-1"]);
    assert_eq!(a.severity, Some(Severity::Medium));
    assert_eq!(
        find(a, "sles:12.3", "compat-openssl098")
            .unwrap()
            .fixed_version(),
        Some("0.9.8j-106.12.1")
    );
    assert_eq!(
        find(a, "sles:12", "libopenssl0_9_8-32bit")
            .unwrap()
            .fixed_version(),
        Some("0.9.8j-106.12.1")
    );
    assert!(find(a, "sles:12.4", "libopenssl0_9_8").is_some());
    let p = parse_rel("cvrf/suse/cvrf-opensuse-su-2015-0225-1.xml");
    assert!(p.advisories.iter().any(|a| {
        a.affected
            .iter()
            .any(|x| x.namespace.starts_with("opensuse:13."))
    }));
    for f in [
        "cvrf-opensuse-su-2015-0798-1.xml",
        "cvrf-opensuse-su-2015-1289-1.xml",
        "cvrf-suse-su-2018-1784-1.xml",
    ] {
        let p = parse_rel(&format!("cvrf/suse/{f}"));
        assert!(p.advisories.iter().all(|a| !a.affected.is_empty()), "{f}");
    }
}

#[test]
fn cvrf_release_names() {
    use super::cvrf::namespace_of as n;
    assert_eq!(
        n("SUSE Linux Enterprise Server 15 SP5").as_deref(),
        Some("sles:15.5")
    );
    assert_eq!(
        n("SUSE Linux Enterprise Server 11 SP4-LTSS").as_deref(),
        Some("sles:11.4")
    );
    assert_eq!(
        n("openSUSE Leap 15.5").as_deref(),
        Some("opensuse-leap:15.5")
    );
    assert_eq!(
        n("openEuler-22.03-LTS-SP3").as_deref(),
        Some("openeuler:22.03-lts-sp3")
    );
    assert_eq!(n("EulerOS V2.0SP5").as_deref(), Some("euleros:2.0sp5"));
    assert_eq!(n("HCE 2.0").as_deref(), Some("hce:2.0"));
    // Layered products are not OS releases.
    assert_eq!(n("SUSE Manager Server 4.0"), None);
    assert_eq!(n("SUSE Enterprise Storage 6"), None);
    assert_eq!(
        n("SUSE Linux Enterprise Module for Basesystem 15 SP1").as_deref(),
        Some("sles:15.1")
    );
}

// ---------------------------------------------------------------- AlmaLinux errata

#[test]
fn alma_errata_reproduces_trivy_db_expected_values() {
    let rel = "alma/trivy-db-happy/input/vuln-list/alma/8/2021/ALSA-2021-3076.json";
    let p = parse_rel(rel);
    let m = by_id(&p);
    let exp: Value =
        serde_json::from_slice(&read("alma/trivy-db-happy/expected-db-values.json")).unwrap();
    let mut checked = 0;
    for kv in exp["cases"][0]["wantValues"].as_array().unwrap() {
        let key = kv["key"].as_array().unwrap();
        let val = &kv["value"];
        match key[0].as_str().unwrap() {
            "advisory-detail" => {
                let adv = m[key[1].as_str().unwrap()];
                let ns = key[2].as_str().unwrap().replace("alma ", "almalinux:");
                let a = find(adv, &ns, key[3].as_str().unwrap()).unwrap();
                assert_eq!(a.fixed_version(), val["fixed_version"].as_str());
                assert_eq!(adv.aliases, vec!["ALSA-2021:3076"]);
                checked += 1;
            }
            "vulnerability-detail" => {
                let adv = m[key[1].as_str().unwrap()];
                assert_eq!(adv.title, val["title"].as_str().unwrap());
                assert_eq!(adv.description, val["description"].as_str().unwrap());
                assert_eq!(
                    adv.severity,
                    Some(trivy_severity(val["severity"].as_str().unwrap()))
                );
                checked += 1;
            }
            "vulnerability-id" => {
                assert!(m.contains_key(key[1].as_str().unwrap()));
                checked += 1;
            }
            _ => {}
        }
    }
    assert_eq!(checked, 8);
    assert_eq!(p.advisories.len(), 2);
    assert_eq!(p.advisories[0].published.as_deref(), Some("2021-08-10"));
}

#[test]
fn alma_errata_export_array() {
    let p = parse_rel("alma/errata.json");
    // 3 security errata with one CVE each; the ALBA bugfix erratum is skipped.
    assert_eq!(p.advisories.len(), 3);
    let a = by_id(&p)["CVE-2021-3246"];
    assert_eq!(a.aliases, vec!["ALSA-2021:3253"]);
    assert_eq!(
        find(a, "almalinux:8", "libsndfile")
            .unwrap()
            .fixed_version(),
        Some("1.0.28-10.el8_4.1")
    );
}

// ---------------------------------------------------------------- detection and hostile input

#[test]
fn detect_every_fixture() {
    let want = [
        ("debian-list/DSA.list", Format::DebianList),
        (
            "debian-vuln-list/input/vuln-list-debian/tracker/CVE/CVE-2021-33560.json",
            Format::DebianVulnListBug,
        ),
        (
            "debian-vuln-list/input/vuln-list-debian/tracker/DSA/DSA-3714-1.json",
            Format::DebianVulnListBug,
        ),
        ("ubuntu/active.tar.zst", Format::UbuntuCveArchive),
        ("alpine/v3.10/main.yaml", Format::AlpineSecdb),
        ("csaf/cve-2024-0727-openssl.json", Format::Csaf),
        ("csaf/rhsa-2022-0011.json", Format::Csaf),
        (
            "oval/happy/RHEL6/rhel-6-extras-including-unpatched.oval.xml.bz2",
            Format::Oval,
        ),
        ("cvrf/suse/cvrf-suse-su-2019-1608-1.xml", Format::Cvrf),
        (
            "cvrf/openeuler/cvrf/cvrf-openEuler-SA-2023-1374.xml",
            Format::Cvrf,
        ),
        ("alma/errata.json", Format::AlmaErrata),
        (
            "alma/trivy-db-happy/input/vuln-list/alma/8/2021/ALSA-2021-3076.json",
            Format::AlmaErrata,
        ),
        ("updateinfo/updateinfo_2_items.xml.gz", Format::Updateinfo),
        ("updateinfo/updateinfo.xml", Format::Updateinfo),
        ("oval/ELSA-2007-0057.xml", Format::Oval),
    ];
    for (rel, f) in want {
        assert_eq!(detect(&read(rel), rel), Some(f), "{rel}");
    }
    assert_eq!(
        detect(
            &read("oval/golden/6/rhel-6-extras-including-unpatched/tests/tests.json"),
            "tests.json"
        ),
        None
    );
    assert_eq!(detect(b"hello", "README"), None);
}

#[test]
fn xml_entities_are_not_expanded() {
    let doc = br#"<?xml version="1.0"?>
<!DOCTYPE cvrfdoc [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY ext SYSTEM "file:///etc/passwd">]>
<cvrfdoc><DocumentTitle>&b;&ext;</DocumentTitle><DocumentTracking><Identification><ID>X-1</ID></Identification></DocumentTracking>
<Vulnerability><CVE>CVE-2020-0001</CVE></Vulnerability></cvrfdoc>"#;
    let p = parse(Format::Cvrf, doc, "x.xml").unwrap();
    let t = &p.advisories[0].title;
    assert!(!t.contains("aaaa") && !t.contains("root:"), "{t}");
}

#[test]
fn truncated_and_garbage_inputs_do_not_panic() {
    let inputs: Vec<(Format, Vec<u8>)> = vec![
        (Format::Cvrf, read("cvrf/suse/cvrf-suse-su-2019-1608-1.xml")),
        (
            Format::Cvrf,
            read("cvrf/openeuler/cvrf/cvrf-openEuler-SA-2023-1374.xml"),
        ),
        (Format::Csaf, read("csaf/cve-2021-0084.json")),
        (
            Format::Oval,
            read("oval/happy/RHEL7/dotnet-3.1-including-unpatched.oval.xml.bz2"),
        ),
        (Format::AlmaErrata, read("alma/errata.json")),
        (
            Format::Updateinfo,
            read("updateinfo/updateinfo_2_items.xml.gz"),
        ),
        (Format::AlpineSecdb, read("alpine/v3.5/main.yaml")),
        (Format::DebianList, read("debian-list/DTSA.list")),
        (
            Format::DebianVulnListBug,
            read("debian-vuln-list/input/vuln-list-debian/tracker/CVE/CVE-2021-29629.json"),
        ),
    ];
    for (f, bytes) in inputs {
        for cut in [
            0,
            1,
            7,
            bytes.len() / 3,
            bytes.len() / 2,
            bytes.len().saturating_sub(5),
        ] {
            let _ = parse(f, &bytes[..cut], "x");
        }
        let mut flipped = bytes.clone();
        for i in (0..flipped.len()).step_by(97) {
            flipped[i] ^= 0x5a;
        }
        let _ = parse(f, &flipped, "x");
    }
    let zst = read("ubuntu/active.tar.zst");
    let _ = parse(Format::UbuntuCveArchive, &zst[..zst.len() / 2], "x");
    assert!(parse(Format::Oval, b"BZh91AY&SYgarbage", "rhel-8.oval.xml.bz2").is_err());
}

#[test]
fn oval_oracle_and_azure_linux() {
    let p = parse_rel("oval/ELSA-2007-0057.xml");
    let a = by_id(&p)["CVE-2007-0493"];
    assert_eq!(a.aliases, vec!["ELSA-2007-0057"]);
    assert_eq!(a.source, "oracle-oval");
    assert_eq!(
        find(a, "oracle:5", "bind-utils").unwrap().fixed_version(),
        Some("30:9.3.3-8.el5")
    );
    assert_eq!(
        find(a, "oracle:5", "caching-nameserver")
            .unwrap()
            .fixed_version(),
        Some("30:9.3.3-8.el5")
    );

    let p = parse_rel("oval/azurelinux-3.0-oval.xml");
    let m = by_id(&p);
    let r = find(m["CVE-2024-35176"], "azurelinux:3.0", "rubygem-rexml").unwrap();
    assert_eq!(r.fixed_version(), Some("3.2.8-1"));
    assert_eq!(m["CVE-2024-35176"].severity, Some(Severity::Medium));
    let g = &m["CVE-2023-29409"].affected;
    assert_eq!(g.len(), 1, "'greater than 0.0.0' adds no statement: {g:?}");
    assert_eq!(g[0].fixed_version(), Some("1.20.7-1"));

    let p = parse_rel("oval/cbl-mariner-1.0-oval.xml");
    let a = by_id(&p)["CVE-2021-35942"];
    assert_eq!(
        find(a, "cbl-mariner:1.0", "glibc").unwrap().fixed_version(),
        Some("2.28-19")
    );
}

#[test]
fn yaml_alias_bomb_is_rejected_or_bounded() {
    // "Billion laughs" with YAML aliases: must not expand without bound.
    let mut doc = String::from(
        "distroversion: v3.18\na0: &a0 [\"CVE-2020-0001\",\"CVE-2020-0001\",\"CVE-2020-0001\",\"CVE-2020-0001\",\"CVE-2020-0001\",\"CVE-2020-0001\",\"CVE-2020-0001\",\"CVE-2020-0001\"]\n",
    );
    for i in 1..10 {
        let prev = i - 1;
        doc.push_str(&format!("a{i}: &a{i} [*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev},*a{prev}]\n"));
    }
    doc.push_str("packages:\n  - pkg:\n      name: x\n      secfixes:\n        1.0-r0: *a9\n");
    match parse(Format::AlpineSecdb, doc.as_bytes(), "v3.18/main.yaml") {
        Err(_) => {}
        Ok(p) => panic!("alias bomb accepted: {} advisories", p.advisories.len()),
    }
}

// ---------------------------------------------------------------- updateinfo

#[test]
fn updateinfo_amazon_and_rocky() {
    let p = parse_rel("updateinfo/updateinfo_2_items.xml.gz");
    let m = by_id(&p);
    let a = m["CVE-2017-5715"];
    assert_eq!(a.aliases, vec!["ALAS2-2018-942"]);
    assert_eq!(a.severity, Some(Severity::High));
    assert_eq!(a.published.as_deref(), Some("2018-02-07"));
    assert_eq!(
        find(a, "amazon:2", "qemu-kvm").unwrap().fixed_version(),
        Some("10:1.5.3-141.amzn2.5.3")
    );
    // 1 CVE in ALAS2-2018-942, 15 in ALAS2-2018-949.
    assert_eq!(p.advisories.len(), 16);
    assert!(
        p.advisories
            .iter()
            .filter(|a| a.aliases == ["ALAS2-2018-949"])
            .all(|a| find(a, "amazon:2", "java-1.8.0-openjdk").is_some())
    );

    let p = parse_rel("updateinfo/updateinfo.xml");
    assert!(
        p.advisories
            .iter()
            .all(|a| !a.aliases.iter().any(|x| x.starts_with("RLBA-"))),
        "bugfix updates are skipped"
    );
    let m = by_id(&p);
    let lz4 = m["CVE-2021-3520"];
    assert_eq!(
        (lz4.aliases.clone(), lz4.severity),
        (vec!["RLSA-2021:2575".to_string()], Some(Severity::Medium))
    );
    assert!(lz4.affected.iter().all(|x| x.namespace == "rocky:8"));
    assert_eq!(
        find(m["CVE-2021-22555"], "rocky:8", "kernel")
            .unwrap()
            .fixed_version(),
        Some("4.18.0-305.12.1.el8_4")
    );
    let ruby = m["CVE-2019-8324"];
    assert_eq!(
        find(ruby, "rocky:8", "ruby:2.6::rubygem-bson")
            .unwrap()
            .fixed_version(),
        Some("4.3.0-2.module+el8.4.0+592+03ff458a")
    );
    assert!(
        ruby.affected
            .iter()
            .all(|x| x.package.starts_with("ruby:2.6::"))
    );
}

#[test]
fn suse_cvrf_known_affected_bare_names() {
    // Shape of current SUSE CVRF: unfixed packages are named without a version.
    let doc = br#"<cvrfdoc xmlns="http://www.icasi.org/CVRF/schema/cvrf/1.1"><DocumentTitle>CVE-2024-1</DocumentTitle>
<DocumentTracking><Identification><ID>SUSE-CU-1</ID></Identification></DocumentTracking>
<ProductTree><Branch Type="Product Family" Name="SUSE Linux Enterprise Server 15 SP5"><FullProductName ProductID="SUSE Linux Enterprise Server 15 SP5">SUSE Linux Enterprise Server 15 SP5</FullProductName></Branch>
<Relationship ProductReference="kernel-default" RelationType="Default Component Of" RelatesToProductReference="SUSE Linux Enterprise Server 15 SP5"><FullProductName ProductID="SUSE Linux Enterprise Server 15 SP5:kernel-default">x</FullProductName></Relationship>
<Relationship ProductReference="kernel-default-5.14.21-150500.55.49.1" RelationType="Default Component Of" RelatesToProductReference="SUSE Linux Enterprise Server 15 SP5"><FullProductName ProductID="SUSE Linux Enterprise Server 15 SP5:kernel-default-5.14.21-150500.55.49.1">y</FullProductName></Relationship></ProductTree>
<Vulnerability><CVE>CVE-2024-1</CVE><ProductStatuses><Status Type="Known Affected"><ProductID>SUSE Linux Enterprise Server 15 SP5:kernel-default</ProductID></Status>
<Status Type="Fixed"><ProductID>SUSE Linux Enterprise Server 15 SP5:kernel-default-5.14.21-150500.55.49.1</ProductID></Status></ProductStatuses></Vulnerability></cvrfdoc>"#;
    let p = parse(Format::Cvrf, doc, "x.xml").unwrap();
    let a = &p.advisories[0];
    let st: Vec<(AffectedStatus, Option<&str>)> = a
        .affected
        .iter()
        .filter(|x| x.namespace == "sles:15.5" && x.package == "kernel-default")
        .map(|x| (x.status, x.fixed_version()))
        .collect();
    assert_eq!(
        st,
        vec![
            (AffectedStatus::Affected, None),
            (AffectedStatus::Fixed, Some("5.14.21-150500.55.49.1"))
        ]
    );
}

#[test]
fn alpine_secdb_json_and_never_affected() {
    // The JSON form of secdb.alpinelinux.org, with the "0" convention of newer files.
    let doc =
        br#"{"distroversion": "v3.18", "reponame": "main", "packages": [{"pkg": {"name": "openssl",
        "secfixes": {"3.1.4-r0": ["CVE-2023-5363"], "0": ["CVE-2022-1292"]}}}]}"#;
    assert_eq!(detect(doc, "v3.18/main.json"), Some(Format::AlpineSecdb));
    let p = parse(Format::AlpineSecdb, doc, "v3.18/main.json").unwrap();
    let m = by_id(&p);
    assert_eq!(
        find(m["CVE-2023-5363"], "alpine:3.18", "openssl")
            .unwrap()
            .fixed_version(),
        Some("3.1.4-r0")
    );
    let na = find(m["CVE-2022-1292"], "alpine:3.18", "openssl").unwrap();
    assert_eq!(
        (na.status, na.ranges.len()),
        (AffectedStatus::NotAffected, 0)
    );
}

#[test]
fn xml_skipped_sections_are_not_stored() {
    let doc = b"<oval_definitions><definitions><definition id='1'/></definitions><tests><t><x/></t><t/></tests><objects/></oval_definitions>";
    let root = super::xml::parse_skipping(doc, &["tests", "objects"]).unwrap();
    let names: Vec<&str> = root.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["definitions"]);
    assert_eq!(super::xml::parse(doc).unwrap().children.len(), 3);
}
