//! Every package of the three fixtures against the corpus expectations.

use std::time::Instant;

use serde_json::Value;
use strata_rpmdb::{DbFormat, RpmPackage, detect_format, read_packages};

use crate::{BDB, NDB, SQLITE, testdata};

fn expected(dir: &str) -> Vec<Value> {
    let json: Value =
        serde_json::from_slice(&testdata(&format!("{dir}/expected-packages.json"))).unwrap();
    json["packages"].as_array().unwrap().clone()
}

/// Expected optional string: JSON null, and the empty string go-rpmdb uses for "unset",
/// both mean "absent".
fn opt_str(v: &Value) -> Option<String> {
    v.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

fn check_all(db: &str, dir: &str, format: DbFormat) -> Vec<RpmPackage> {
    let bytes = testdata(db);
    assert_eq!(detect_format(&bytes), Some(format));
    let started = Instant::now();
    let (packages, problems) = read_packages(&bytes).unwrap();
    eprintln!(
        "{db}: {} packages in {:?}",
        packages.len(),
        started.elapsed()
    );
    assert!(problems.is_empty(), "{problems:?}");
    let want = expected(dir);
    assert_eq!(packages.len(), want.len());
    for w in &want {
        let name = w["name"].as_str().unwrap();
        let p = packages
            .iter()
            .find(|p| p.name() == name && p.version() == w["version"].as_str().unwrap())
            .unwrap_or_else(|| panic!("{dir}: {name} missing"));
        assert_eq!(p.release(), w["release"].as_str().unwrap(), "{name}");
        assert_eq!(p.epoch.map(i64::from), w["epoch"].as_i64(), "{name} epoch");
        assert_eq!(p.arch().map(str::to_owned), opt_str(&w["arch"]), "{name} arch");
        assert_eq!(p.source_rpm().map(str::to_owned), opt_str(&w["source_rpm"]), "{name} source rpm");
        assert_eq!(p.license().map(str::to_owned), opt_str(&w["license"]), "{name} license");
        assert_eq!(p.vendor().map(str::to_owned), opt_str(&w["vendor"]), "{name} vendor");
        assert_eq!(p.summary().map(str::to_owned), opt_str(&w["summary"]), "{name} summary");
        assert_eq!(
            p.modularity_label().map(str::to_owned),
            opt_str(&w["modularity_label"]),
            "{name} modularity label"
        );
        assert_eq!(p.size, w["size"].as_u64(), "{name} size");
        assert!(
            p.files.iter().all(|f| f.starts_with('/')),
            "{name}: relative file path"
        );
    }
    packages
}

#[test]
fn berkeleydb_rhel8_libuuid() {
    let packages = check_all(BDB, "bdb-rhel8-libuuid", DbFormat::BerkeleyDb);
    let p = &packages[0];
    assert_eq!(p.evr(), "2.32.1-42.el8_8");
    // The package provides libuuid.so.1 (expected package_detail.provides): it must own it.
    assert!(
        p.files.iter().any(|f| f.ends_with("/libuuid.so.1")),
        "{:?}",
        p.files
    );
}

#[test]
fn ndb_sle15_bci() {
    let packages = check_all(NDB, "ndb-sle15-bci", DbFormat::Ndb);
    // Every SUSE package owns files except the few meta packages; most must have some.
    let with_files = packages.iter().filter(|p| !p.files.is_empty()).count();
    assert!(
        with_files > packages.len() / 2,
        "{with_files} of {}",
        packages.len()
    );
}

#[test]
fn sqlite_cbl_mariner_2_0() {
    let packages = check_all(SQLITE, "sqlite-cbl-mariner-2.0", DbFormat::Sqlite);
    let curl = packages.iter().find(|p| p.name() == "curl").unwrap();
    assert!(
        curl.files.iter().any(|f| f == "/usr/bin/curl"),
        "{:?}",
        curl.files
    );
    let epoch1: Vec<_> = packages
        .iter()
        .filter(|p| p.epoch == Some(1))
        .map(|p| p.evr())
        .collect();
    assert_eq!(epoch1.len(), 3);
    assert!(epoch1.iter().all(|evr| evr.starts_with("1:")));
}
