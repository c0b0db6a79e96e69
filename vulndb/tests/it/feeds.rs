//! Record counts per feed, against the figures of the advisory MANIFEST
//! (/work/shared/advisories/MANIFEST.md, data shipped in vulndb-default/data).

use strata_vulndb::{AffectedStatus, Builder, BuildReport, Database, Event};

use crate::data;

fn build(files: &[&str]) -> (Database, BuildReport) {
    let mut b = Builder::new();
    for f in files {
        b.add_path(&data(f)).unwrap();
    }
    let (bytes, report) = b.finish().unwrap();
    (Database::from_bytes(bytes).unwrap(), report)
}

#[test]
fn osv_go_4291_records_17_withdrawn() {
    let (db, r) = build(&["osv-go.tar.zst"]);
    assert_eq!(r.by_source.get("osv-go"), Some(&4291));
    assert_eq!(r.withdrawn, 17);
    assert_eq!(r.error_count, 0, "{:?}", r.errors);
    assert_eq!(db.info().sources[0].records, 4291);
    // Go records carry `ecosystem_specific.imports`; stdlib is a module name.
    let std = db.lookup("go", "stdlib").unwrap();
    assert!(std.len() > 100);
    assert!(std.iter().any(|c| c.affected.ecosystem_specific.is_some()));
}

#[test]
fn osv_pypa_yaml_2661_pysec() {
    let (db, r) = build(&["osv-pypa.tar.zst"]);
    assert_eq!(r.by_format.get("OsvYaml"), Some(&2661));
    assert_eq!(r.by_source.get("osv-pypi"), Some(&2661));
    assert_eq!(r.error_count, 0, "{:?}", r.errors);
    assert!(r.git_ranges_skipped > 0);
    // PYSEC-2020-342 (apache-skywalking): explicit versions kept as strings.
    let advs = db.lookup_advisories("pypi", "apache-skywalking").unwrap();
    let a = advs.iter().find(|a| a.id == "PYSEC-2020-342").unwrap();
    assert_eq!(a.aliases, ["CVE-2020-13921"]);
    assert!(a.affected[0].versions.contains(&"1.0.1".to_owned()));
    assert_eq!(a.cvss[0].score, Some(9.8));
}

#[test]
fn osv_rustsec_1206_records_13_withdrawn() {
    let (_, r) = build(&["osv-rustsec.tar.zst"]);
    assert_eq!(r.by_source.get("osv-rustsec"), Some(&1206));
    assert_eq!(r.withdrawn, 13);
    assert_eq!(r.error_count, 0, "{:?}", r.errors);
}

#[test]
fn osv_almalinux_5680_files_cves_in_related() {
    let (db, r) = build(&["osv-almalinux.tar.zst"]);
    assert_eq!(r.by_format.get("OsvJson"), Some(&5680));
    assert_eq!(r.error_count, 0, "{:?}", r.errors);
    let openssl = db.lookup_advisories("almalinux:9", "openssl").unwrap();
    assert!(!openssl.is_empty());
    assert!(openssl.iter().any(|a| a.aliases.iter().any(|x| x.starts_with("CVE-"))));
    // Namespaced by major release: no almalinux:9 statement leaks into almalinux:8.
    for c in db.lookup("almalinux:8", "openssl").unwrap() {
        assert_eq!(c.affected.namespace, "almalinux:8");
    }
}

#[test]
fn osv_bitnami_7444_and_ghsa_26() {
    let (db, r) = build(&["osv-bitnami.tar.zst", "osv-ghsa.tar.zst"]);
    assert_eq!(r.by_source.get("osv-bitnami"), Some(&7444));
    assert_eq!(r.by_source.get("osv-ghsa"), Some(&26));
    assert_eq!(r.error_count, 0, "{:?}", r.errors);
    // GHSA-65fg-84f6-3jq3 has a last_affected event (MANIFEST).
    let found = db.keys().unwrap().into_iter().any(|(ns, pkg)| {
        ns == "maven"
            && db.lookup(&ns, &pkg).unwrap().iter().any(|c| {
                c.affected.ranges.iter().flat_map(|r| &r.events).any(|e| matches!(e, Event::LastAffected(_)))
            })
    });
    assert!(found);
}

#[test]
fn rubysec_1234_gems_147_rubies_skipped() {
    let (db, r) = build(&["rubysec.tar.zst"]);
    assert_eq!(r.by_format.get("Rubysec"), Some(&1234));
    assert_eq!(r.skipped, 147);
    assert_eq!(r.error_count, 0, "{:?}", r.errors);
    let resque = db.lookup_advisories("rubygems", "resque").unwrap();
    let a = resque.iter().find(|a| a.id == "CVE-2023-50725").unwrap();
    assert_eq!(a.aliases, ["GHSA-gc3j-vvwf-4rp8"]);
    assert_eq!(a.affected[0].unaffected, [">= 2.2.1"]);
    assert_eq!(a.affected[0].fixed_hint.as_deref(), Some(">= 2.2.1"));
    assert_eq!(a.cvss[0].score, Some(6.3));
}

#[test]
fn composer_1592_and_nodejs_467() {
    let (db, r) = build(&["composer-friendsofphp.tar.zst", "nodejs-security-wg.tar.zst", "cisa-kev.tar.zst"]);
    assert_eq!(r.by_format.get("Composer"), Some(&1592));
    // 468 files under npm/, one of which is index.json.
    assert_eq!(r.by_format.get("NodejsNpm"), Some(&467));
    assert_eq!(r.known_exploited, 1404);
    assert_eq!(r.error_count, 0, "{:?}", r.errors);
    let cake = db.lookup_advisories("packagist", "cakephp/cakephp").unwrap();
    assert!(cake.iter().any(|a| a.affected[0].constraints.contains(&">=2.5.0,<2.5.9".to_owned())));
    let mo = db.lookup_advisories("npm", "merge-options").unwrap();
    let a = mo.iter().find(|a| a.id == "NSWG-ECO-410").unwrap();
    assert_eq!(a.affected[0].constraints, ["<=1.0.0"]);
    assert_eq!(a.affected[0].status, AffectedStatus::Affected);
    assert_eq!(a.cvss[0].score, Some(2.0));
}
