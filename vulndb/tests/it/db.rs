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
    assert_eq!(info.schema_version, 2);
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
    // A schema-1 file (JSON package blocks) is refused with a clear error.
    let mut v1 = bytes.clone();
    v1[8] = 1;
    assert!(matches!(Database::from_bytes(v1), Err(Error::SchemaVersion { found: 1, expected: 2 })));
    let msg = Database::from_bytes(b"STRATAVD\x01\x00\x00\x00".to_vec()).unwrap_err().to_string();
    assert_eq!(msg, "unsupported database schema version 1 (this build reads version 2); rebuild the database");
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
    // Flipped bytes in the package blocks (stored raw, read in place): every decode is an
    // error or a value, never a panic.
    let db = Database::from_bytes(bytes.clone()).unwrap();
    let keys = db.keys().unwrap();
    let mut errors = 0;
    for step in [3usize, 5, 11] {
        let mut bad = bytes.clone();
        let n = bad.len();
        for i in (n - 2000..n).step_by(step) {
            bad[i] = bad[i].wrapping_add(0x41);
        }
        let Ok(db) = Database::from_bytes(bad) else { continue };
        for (ns, pkg) in &keys {
            if let Ok(Some(block)) = db.package_block(ns, pkg) {
                match block.statements() {
                    Ok(st) => {
                        for a in st.iter() {
                            let _ = a.to_affected();
                        }
                    }
                    Err(_) => errors += 1,
                }
            }
        }
        for i in 0..db.advisory_count() as u32 {
            let _ = db.advisory(i);
        }
    }
    assert!(errors > 0, "flipped bytes were never noticed");
}

/// Every statement of the Go and GHSA feeds (ranges, `ecosystem_specific` JSON, names
/// kept in the feed's spelling) comes back from the binary package blocks unchanged.
#[test]
fn package_blocks_round_trip_every_statement() {
    let mut b = Builder::new();
    b.add_path(&data("osv-go.tar.zst")).unwrap();
    b.add_path(&data("osv-ghsa.tar.zst")).unwrap();
    b.add_path(&data("osv-pypa.tar.zst")).unwrap();
    let mut want: Vec<(String, String)> = Vec::new();
    for a in b.advisories().iter().filter(|a| a.withdrawn.is_none()) {
        for aff in &a.affected {
            want.push((a.id.clone(), serde_json::to_string(aff).unwrap()));
        }
    }
    let with_eco = b.advisories().iter().flat_map(|a| &a.affected).filter(|a| a.ecosystem_specific.is_some()).count();
    assert!(with_eco > 1000, "{with_eco}");
    let db = Database::from_bytes(b.finish().unwrap().0).unwrap();
    let mut got: Vec<(String, String)> = Vec::new();
    for (ns, pkg) in db.keys().unwrap() {
        for adv in db.lookup_advisories(&ns, &pkg).unwrap() {
            for aff in &adv.affected {
                got.push((adv.id.clone(), serde_json::to_string(aff).unwrap()));
            }
        }
    }
    want.sort();
    got.sort();
    assert_eq!(want.len(), got.len());
    assert!(want == got);
    // The borrowed view agrees with the owned copy.
    let block = db.package_block("go", "stdlib").unwrap().unwrap();
    assert_eq!((block.namespace(), block.package()), ("go", "stdlib"));
    let st = block.statements().unwrap();
    assert!(st.len() > 100);
    for a in st.iter() {
        let owned = a.to_affected().unwrap();
        assert_eq!(a.fixed_version(), owned.fixed_version());
        assert_eq!(owned.package, "stdlib");
        assert_eq!(a.ecosystem_specific_json().is_some(), owned.ecosystem_specific.is_some());
    }
    assert!(db.package_block("go", "no/such/module").unwrap().is_none());
}
