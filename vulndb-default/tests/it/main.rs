//! Tests of the embedded database: every shipped feed is in it.

use std::time::Instant;

#[test]
fn embedded_database_holds_every_feed() {
    let t = Instant::now();
    let db = strata_vulndb_default::database();
    eprintln!("open embedded database: {:?}", t.elapsed());
    let info = strata_vulndb_default::info();
    assert_eq!(info.schema_version, strata_vulndb::db::SCHEMA_VERSION);
    let records = |name: &str| info.sources.iter().find(|s| s.name == name).map(|s| s.records);
    // Figures of the advisory MANIFEST (shared/advisories/MANIFEST.md).
    assert_eq!(records("osv-go"), Some(4291));
    assert_eq!(records("osv-pypi"), Some(2661));
    assert_eq!(records("osv-rustsec"), Some(1206));
    assert_eq!(records("osv-bitnami"), Some(7444));
    assert_eq!(records("ubuntu-cve-tracker"), Some(32931));
    for feed in ["osv-almalinux", "osv-ghsa", "rubysec", "friendsofphp", "nodejs-security-wg", "alpine-secdb", "debian-dsa", "debian-dla"] {
        assert!(records(feed).is_some_and(|n| n > 0), "{feed} missing: {:?}", info.sources);
    }
    assert_eq!(info.known_exploited, 1404);
    let report = strata_vulndb_default::build_report();
    assert!(report.contains("errors: []"), "{report}");
    assert!(db.is_known_exploited("CVE-2021-44228"));
    assert!(!db.lookup("ubuntu:18.04", "openssl").unwrap().is_empty());
    assert!(!db.lookup("debian:11", "openssl").unwrap().is_empty());
    assert!(!db.lookup("maven", "org.apache.logging.log4j:log4j-core").unwrap().is_empty());
    assert_eq!(strata_vulndb_default::bytes().len(), {
        let b = strata_vulndb_default::bytes();
        strata_vulndb::Database::from_bytes(b).unwrap();
        b.len()
    });
}
