//! Maven ComparableVersion and VersionRange vectors.

use std::cmp::Ordering;

use strata_version::{Constraint, Scheme};

use crate::common::{assert_cmp, json, strs};

#[test]
fn comparable_version_test() {
    let v = json("maven.json");
    let deviations: Vec<(String, String)> = v["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d[0].as_str().unwrap().to_owned(),
                d[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut pairs = 0;
    for list in v["ordered"].as_array().unwrap() {
        let list = strs(list);
        for i in 0..list.len() {
            for j in i + 1..list.len() {
                if deviations.contains(&(list[i].clone(), list[j].clone())) {
                    continue;
                }
                assert_cmp(Scheme::Maven, &list[i], &list[j], Ordering::Less);
                pairs += 1;
            }
        }
    }
    assert_eq!(pairs, 22 * 21 / 2 + 25 * 24 / 2 - 3);
    let mut bad = Vec::new();
    for p in v["equal"].as_array().unwrap() {
        let p = strs(p);
        let got = strata_version::compare(Scheme::Maven, &p[0], &p[1]).unwrap();
        if got != Ordering::Equal {
            bad.push(format!("{} {:?} {}", p[0], got, p[1]));
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
    for d in v["deviations"].as_array().unwrap() {
        let (a, b) = (d[0].as_str().unwrap(), d[1].as_str().unwrap());
        assert_cmp(Scheme::Maven, a, b, d[3].as_i64().unwrap().cmp(&0));
    }
    for p in v["less"].as_array().unwrap() {
        let p = strs(p);
        assert_cmp(Scheme::Maven, &p[0], &p[1], Ordering::Less);
    }
}

#[test]
fn version_range_test() {
    let v = json("maven-range.json");
    for case in v["contains"].as_array().unwrap() {
        let (range, version, want) = (
            case[0].as_str().unwrap(),
            case[1].as_str().unwrap(),
            case[2].as_bool().unwrap(),
        );
        let c = Constraint::parse(Scheme::Maven, range).unwrap_or_else(|e| panic!("{range}: {e}"));
        assert_eq!(
            c.matches(version).unwrap(),
            want,
            "{range} contains {version}"
        );
    }
    for bad in strs(&v["invalid"]) {
        assert!(
            Constraint::parse(Scheme::Maven, &bad).is_err(),
            "{bad} should be invalid"
        );
    }
}

#[test]
fn bare_maven_version_is_exact_and_nuget_bare_is_minimum() {
    let m = Constraint::parse(Scheme::Maven, "1.0").unwrap();
    assert!(m.matches("1.0.0").unwrap());
    assert!(!m.matches("1.1").unwrap());
    let n = Constraint::parse(Scheme::NuGet, "1.0").unwrap();
    assert!(n.matches("1.1").unwrap());
    assert!(!n.matches("0.9").unwrap());
    let n = Constraint::parse(Scheme::NuGet, "[1.0.0-beta,2.0)").unwrap();
    assert!(n.matches("1.0.0-BETA.2").unwrap());
    assert!(!n.matches("2.0.0.0").unwrap());
}

#[test]
fn nuget_version_comparer_tests() {
    let v = json("nuget.json");
    for p in v["equal"].as_array().unwrap() {
        let p = strs(p);
        assert_cmp(Scheme::NuGet, &p[0], &p[1], Ordering::Equal);
    }
    for p in v["less"].as_array().unwrap() {
        let p = strs(p);
        assert_cmp(Scheme::NuGet, &p[0], &p[1], Ordering::Less);
    }
    // Four-part versions and missing parts.
    assert_cmp(Scheme::NuGet, "1.0", "1.0.0.0", Ordering::Equal);
    assert_cmp(Scheme::NuGet, "1.0.0.1", "1.0.0", Ordering::Greater);
    assert!(strata_version::validate(Scheme::NuGet, "1.0.0.0.0").is_err());
}
