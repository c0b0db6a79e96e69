//! Answers recorded from the reference tools themselves (dpkg, rpm,
//! maven-artifact, pypa/packaging, node-semver, the semver crate, RubyGems,
//! composer/semver), mostly on versions and constraints taken from real
//! advisory feeds. See `testdata/ATTRIBUTION.md` for how each was produced.

use std::cmp::Ordering;

use strata_version::{Constraint, Scheme, compare, normalize};

use crate::common::testdata;

fn rows(name: &str) -> Vec<Vec<String>> {
    testdata(&format!("differential/{name}"))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

fn ordering(s: &str) -> Ordering {
    match s {
        "Less" => Ordering::Less,
        "Equal" => Ordering::Equal,
        "Greater" => Ordering::Greater,
        other => panic!("bad ordering {other}"),
    }
}

fn check_orderings(scheme: Scheme, file: &str, min: usize) {
    let rows = rows(file);
    assert!(rows.len() >= min, "{file}: {} rows", rows.len());
    for r in &rows {
        crate::common::assert_parsed_agrees(scheme, &r[0], &r[1]);
        crate::common::assert_parsed_agrees(scheme, &r[1], &r[0]);
        let got = compare(scheme, &r[0], &r[1]);
        if r[2] == "ERR" {
            assert!(
                got.is_err(),
                "{file}: {:?} vs {:?} should be refused",
                r[0],
                r[1]
            );
        } else {
            assert_eq!(
                got.ok(),
                Some(ordering(&r[2])),
                "{file}: {:?} vs {:?}",
                r[0],
                r[1]
            );
        }
    }
}

fn check_matches(scheme: Scheme, file: &str, min: usize) {
    let rows = rows(file);
    assert!(rows.len() >= min, "{file}: {} rows", rows.len());
    for r in &rows {
        if let Ok(c) = Constraint::parse(scheme, &r[0]) {
            crate::common::assert_matches_parsed_agrees(&c, &r[1]);
        }
        let got = Constraint::parse(scheme, &r[0]).and_then(|c| c.matches(&r[1]));
        match r[2].as_str() {
            "ERR" => assert!(
                got.is_err(),
                "{file}: {:?} / {:?} should be refused",
                r[0],
                r[1]
            ),
            // node-semver answers false for invalid input instead of failing.
            "false" if scheme == Scheme::Npm => {
                assert!(!matches!(got, Ok(true)), "{file}: {:?} / {:?}", r[0], r[1])
            }
            want => assert_eq!(
                got.ok(),
                Some(want == "true"),
                "{file}: {:?} / {:?}",
                r[0],
                r[1]
            ),
        }
        if scheme == Scheme::Npm {
            assert_eq!(
                Constraint::parse(scheme, &r[0]).is_ok(),
                r[3] == "valid",
                "{file}: validity of {:?}",
                r[0]
            );
        }
    }
}

#[test]
fn dpkg_compare_versions() {
    check_orderings(Scheme::Dpkg, "dpkg.tsv", 400);
}

#[test]
fn rpm_ver_compare() {
    check_orderings(Scheme::Rpm, "rpm.tsv", 400);
}

#[test]
fn maven_artifact_comparable_version() {
    check_orderings(Scheme::Maven, "maven.tsv", 500);
}

#[test]
fn pypa_packaging_version() {
    check_orderings(Scheme::Pep440, "pep440.tsv", 400);
}

#[test]
fn rubygems_version_and_requirement() {
    check_orderings(Scheme::RubyGems, "rubygems-version.tsv", 300);
    check_matches(Scheme::RubyGems, "rubygems-requirement.tsv", 500);
}

#[test]
fn composer_semver() {
    check_orderings(Scheme::Composer, "composer-compare.tsv", 300);
    check_matches(Scheme::Composer, "composer-satisfies.tsv", 500);
    for r in rows("composer-normalize.tsv") {
        let got = normalize(Scheme::Composer, &r[0]);
        if r[1] == "ERR" {
            assert!(got.is_err(), "{:?}", r[0]);
        } else {
            assert_eq!(got.unwrap(), r[1], "{:?}", r[0]);
        }
    }
}

#[test]
fn node_semver_satisfies() {
    check_matches(Scheme::Npm, "npm-range.tsv", 600);
}

#[test]
fn semver_crate_version_req() {
    check_matches(Scheme::Cargo, "cargo.tsv", 480);
}

#[test]
fn golang_x_mod_semver() {
    check_orderings(Scheme::Go, "go.tsv", 450);
}
