//! The database file: round trip, lookups, corrupt and foreign files.

use strata_vulndb::{Builder, Database, Error};

use crate::data;

fn ghsa_db() -> Vec<u8> {
    let mut b = Builder::new();
    b.add_path(&data("osv-ghsa.tar.zst")).unwrap();
    b.add_path(&data("cisa-kev.tar.zst")).unwrap();
    b.finish().unwrap().0
}

#[test]
fn lookup_finds_log4j_and_kev() {
    let db = Database::from_bytes(ghsa_db()).unwrap();
    let info = db.info();
    assert_eq!(info.schema_version, 1);
    assert_eq!(info.known_exploited, 1404);
    assert_eq!(info.kev_version.as_deref(), Some("2025.08.25"));
    let advs = db.lookup_advisories("maven", "org.apache.logging.log4j:log4j-core").unwrap();
    let mut ids: Vec<&str> = advs.iter().map(|a| a.id.as_str()).collect();
    ids.sort();
    // CVE-2021-44228, CVE-2021-45046, CVE-2021-45105 (MANIFEST: osv/ghsa).
    assert_eq!(ids, ["GHSA-7rjr-3q55-vv33", "GHSA-jfh8-c2jp-5v3q", "GHSA-p6xc-xr62-6r2g"]);
    let l4s = advs.iter().find(|a| a.id == "GHSA-jfh8-c2jp-5v3q").unwrap();
    assert!(l4s.aliases.contains(&"CVE-2021-44228".to_owned()));
    assert_eq!(l4s.affected[0].namespace, "maven");
    assert_eq!(l4s.affected[0].package, "org.apache.logging.log4j:log4j-core");
    assert!(l4s.affected.iter().any(|a| a.fixed_version() == Some("2.15.0")));
    assert!(db.is_known_exploited("CVE-2021-44228"));
    assert!(!db.is_known_exploited("CVE-2021-45105"));
    // PEP 503 normalisation on lookup: PyYAML.
    assert!(!db.lookup("pypi", "pyyaml").unwrap().is_empty());
    assert_eq!(db.lookup("pypi", "PyYAML").unwrap(), db.lookup("pypi", "pyYaml").unwrap());
    assert_eq!(strata_vulndb::normalize_name("pypi", "Foo__Bar.baz"), "foo-bar-baz");
    assert!(db.lookup("maven", "no.such:package").unwrap().is_empty());
}

#[test]
fn open_from_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("db.bin");
    let report = strata_vulndb::build(&[data("osv-ghsa.tar.zst")], &out).unwrap();
    assert_eq!(report.by_source.get("osv-ghsa"), Some(&26));
    let db = Database::open(&out).unwrap();
    assert_eq!(db.info().advisories, 26);
    assert!(matches!(Database::open(&dir.path().join("missing")), Err(Error::Io { .. })));
}

#[test]
fn foreign_corrupt_and_truncated_files_are_errors() {
    let bytes = ghsa_db();
    assert!(matches!(Database::from_bytes(b"PK\x03\x04 not a db".to_vec()), Err(Error::BadMagic)));
    let mut v2 = bytes.clone();
    v2[8] = 2;
    assert!(matches!(Database::from_bytes(v2), Err(Error::SchemaVersion { found: 2, expected: 1 })));
    // Every truncation is an error, never a panic.
    for cut in (0..bytes.len()).step_by(97) {
        assert!(Database::from_bytes(bytes[..cut].to_vec()).is_err(), "cut at {cut}");
    }
    // Flipped bytes in the data area: opening may succeed, lookups must not panic.
    let mut bad = bytes.clone();
    let n = bad.len();
    for i in (n - 4000..n).step_by(7) {
        bad[i] ^= 0x5a;
    }
    if let Ok(db) = Database::from_bytes(bad) {
        for (ns, pkg) in db.keys().unwrap() {
            let _ = db.lookup(&ns, &pkg);
        }
        for i in 0..db.advisory_count() as u32 {
            let _ = db.advisory(i);
        }
    }
}
