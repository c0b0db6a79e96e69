//! pypa/packaging vectors.

use std::cmp::Ordering;

use strata_version::{Constraint, Scheme, normalize, validate};

use crate::common::{assert_cmp, assert_ordered, json, strs};

#[test]
fn versions_sort_order() {
    let v = json("pep440.json");
    let list = strs(&v["ordered"][0]);
    assert_eq!(list.len(), 92);
    assert_ordered(Scheme::Pep440, &list);
    assert_cmp(Scheme::Pep440, "1.0rc1", "1.0c1", Ordering::Equal);
}

#[test]
fn normalized_versions() {
    let v = json("pep440.json");
    let mut n = 0;
    for p in v["normalized"].as_array().unwrap() {
        let p = strs(p);
        let got = normalize(Scheme::Pep440, &p[0]).unwrap_or_else(|e| panic!("{:?}: {e}", p[0]));
        assert_eq!(got, p[1], "normalize({:?})", p[0]);
        assert_cmp(Scheme::Pep440, &p[0], &p[1], Ordering::Equal);
        n += 1;
    }
    assert_eq!(n, 149);
}

#[test]
fn invalid_versions() {
    let v = json("pep440.json");
    for bad in strs(&v["invalid"]) {
        assert!(
            validate(Scheme::Pep440, &bad).is_err(),
            "{bad:?} should be invalid"
        );
    }
}

#[test]
fn specifiers() {
    let v = json("pep440.json");
    for (key, want) in [("specifier_true", true), ("specifier_false", false)] {
        for case in v[key].as_array().unwrap() {
            let c = strs(case);
            let spec = Constraint::parse(Scheme::Pep440, &c[1])
                .unwrap_or_else(|e| panic!("{}: {e}", c[1]));
            assert_eq!(spec.matches(&c[0]).unwrap(), want, "{} in {}", c[0], c[1]);
            crate::common::assert_matches_parsed_agrees(&spec, &c[0]);
        }
    }
    for bad in strs(&v["specifier_invalid"]) {
        assert!(
            Constraint::parse(Scheme::Pep440, &bad).is_err(),
            "{bad:?} should be invalid"
        );
    }
    let set = Constraint::parse(Scheme::Pep440, ">=1.0,!=1.3.*,<2").unwrap();
    assert!(set.matches("1.2.9").unwrap());
    assert!(!set.matches("1.3.1").unwrap());
    assert!(!set.matches("2.0").unwrap());
    let arbitrary = Constraint::parse(Scheme::Pep440, "===1.0-ALPHA1").unwrap();
    assert!(arbitrary.matches("1.0-alpha1").unwrap());
}
