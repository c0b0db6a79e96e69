//! node-semver fixtures.

use std::cmp::Ordering;

use strata_version::{Constraint, Scheme, compare};

use crate::common::{assert_cmp, json};

fn opt(case: &serde_json::Value) -> Option<&str> {
    case.get(2).and_then(|o| o.as_str())
}

#[test]
fn range_include_exclude() {
    let v = json("npm.json");
    let mut checked = 0;
    let mut skipped = 0;
    for (key, want) in [("range_include", true), ("range_exclude", false)] {
        for case in v[key].as_array().unwrap() {
            let (range, version) = (case[0].as_str().unwrap(), case[1].as_str().unwrap());
            let got = Constraint::parse(Scheme::Npm, range).and_then(|c| c.matches(version));
            match opt(case) {
                None => {
                    // Strict default mode: must agree exactly; an invalid
                    // version never satisfies (here: an error).
                    match got {
                        Ok(m) => assert_eq!(m, want, "{range:?} vs {version:?}"),
                        Err(e) => assert!(!want, "{range:?} vs {version:?}: {e}"),
                    }
                    checked += 1;
                }
                // Loose mode and includePrerelease are not offered: where
                // the strict answer is defined it must not claim a match
                // that node-semver (in that mode) excludes.
                Some(_) => {
                    if !want {
                        assert!(!matches!(got, Ok(true)), "{range:?} vs {version:?}");
                    }
                    skipped += 1;
                }
            }
        }
    }
    assert_eq!(checked, 165);
    assert_eq!(skipped, 23);
}

#[test]
fn comparisons_and_equality() {
    let v = json("npm.json");
    for case in v["greater"].as_array().unwrap() {
        let (a, b) = (case[0].as_str().unwrap(), case[1].as_str().unwrap());
        if opt(case) == Some("loose") {
            // Strict mode accepts a leading "v"; the answer must match.
            assert_eq!(
                compare(Scheme::Npm, a, b).unwrap(),
                Ordering::Greater,
                "{a} > {b}"
            );
            continue;
        }
        assert_cmp(Scheme::Npm, a, b, Ordering::Greater);
    }
    for case in v["equal"].as_array().unwrap() {
        let (a, b) = (case[0].as_str().unwrap(), case[1].as_str().unwrap());
        if opt(case) == Some("loose") {
            continue;
        }
        assert_cmp(Scheme::Npm, a, b, Ordering::Equal);
    }
}
