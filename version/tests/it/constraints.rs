//! Cargo requirement vectors and the generic comparator syntax.

use strata_version::{Constraint, Scheme, VersionError};

use crate::common::{json, strs};

#[test]
fn cargo_version_req() {
    let v = json("cargo.json");
    let mut n = 0;
    for case in v["matches"].as_array().unwrap() {
        let req = case[0].as_str().unwrap();
        let c = Constraint::parse(Scheme::Cargo, req).unwrap_or_else(|e| panic!("{req:?}: {e}"));
        for version in strs(&case[1]).iter().chain(strs(&case[2]).iter()) {
            crate::common::assert_matches_parsed_agrees(&c, version);
        }
        for version in strs(&case[1]) {
            assert!(
                c.matches(&version).unwrap(),
                "{req:?} should match {version}"
            );
            n += 1;
        }
        for version in strs(&case[2]) {
            assert!(
                !c.matches(&version).unwrap(),
                "{req:?} should not match {version}"
            );
            n += 1;
        }
    }
    assert!(n > 200, "{n}");
    for bad in strs(&v["invalid"]) {
        assert!(
            Constraint::parse(Scheme::Cargo, &bad).is_err(),
            "{bad:?} should be invalid"
        );
    }
    for good in strs(&v["valid"]) {
        Constraint::parse(Scheme::Cargo, &good).unwrap_or_else(|e| panic!("{good:?}: {e}"));
    }
}

#[test]
fn comparator_lists_for_os_schemes() {
    let c = Constraint::parse(Scheme::Apk, "< 1.2.3-r4").unwrap();
    assert!(c.matches("1.2.3-r3").unwrap());
    assert!(!c.matches("1.2.3-r4").unwrap());
    let c = Constraint::parse(Scheme::Rpm, ">= 0:1.0-1.el8, < 0:1.0-5.el8 || = 2.0-1").unwrap();
    assert!(c.matches("1.0-2.el8").unwrap());
    assert!(c.matches("2.0-1").unwrap());
    assert!(!c.matches("1.0-6.el8").unwrap());
    let c = Constraint::parse(Scheme::Go, ">= v1.2.0, < v1.4.0").unwrap();
    assert!(c.matches("v1.3.0-rc.1").unwrap());
    assert!(matches!(
        c.matches("v1.3-rc.1"),
        Err(VersionError::Invalid { .. })
    ));
    let c = Constraint::parse_comparators(Scheme::Maven, ">= 2.0.0, < 2.9.10.7").unwrap();
    assert!(c.matches("2.9.10.6").unwrap());
    assert!(!c.matches("2.9.10.7").unwrap());
    assert!(Constraint::parse(Scheme::Semver, ">= 1.0, <").is_err());
    assert!(Constraint::parse(Scheme::Semver, ">= 1.0.0,").is_err());
}

#[test]
fn oversized_inputs_are_refused() {
    let huge = "1.".repeat(1 << 19);
    for scheme in Scheme::ALL {
        assert!(matches!(
            strata_version::compare(scheme, &huge, "1.0"),
            Err(VersionError::TooLong { .. })
        ));
        assert!(matches!(
            Constraint::parse(scheme, &huge),
            Err(VersionError::TooLong { .. })
        ));
    }
}

#[test]
fn bitnami_date_versions_with_leading_zeros() {
    use std::cmp::Ordering;
    use strata_version::compare;
    // Bitnami publishes SEMVER ranges like "2022.04.12"; numeric comparison.
    assert_eq!(
        compare(Scheme::Semver, "2022.04.12", "2022.4.12").unwrap(),
        Ordering::Equal
    );
    assert_eq!(
        compare(Scheme::Semver, "2022.04.12", "2022.10.1").unwrap(),
        Ordering::Less
    );
    // Cargo stays strict, like the semver crate.
    assert!(compare(Scheme::Cargo, "2022.04.12", "1.0.0").is_err());
    assert!(compare(Scheme::Semver, "nightly.2026-03-10.0", "1.0.0").is_err());
}
