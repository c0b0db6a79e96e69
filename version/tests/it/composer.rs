//! composer/semver vectors.

use std::cmp::Ordering;

use strata_version::{Constraint, Scheme, compare, normalize};

use crate::common::{json, strs};

#[test]
fn comparator_test() {
    let v = json("composer.json");
    for c in v["compare_op"].as_array().unwrap() {
        let (a, op, b, want) = (
            c[0].as_str().unwrap(),
            c[1].as_str().unwrap(),
            c[2].as_str().unwrap(),
            c[3].as_bool().unwrap(),
        );
        // Unordered dev branches answer "false" to every operator.
        let got = match compare(Scheme::Composer, a, b) {
            Ok(o) => match op {
                ">" => o == Ordering::Greater,
                ">=" => o != Ordering::Less,
                "<" => o == Ordering::Less,
                "<=" => o != Ordering::Greater,
                "==" => o == Ordering::Equal,
                "!=" => o != Ordering::Equal,
                other => panic!("op {other}"),
            },
            Err(_) => false,
        };
        assert_eq!(got, want, "{a} {op} {b}");
    }
}

#[test]
fn version_parser_normalize() {
    let v = json("composer.json");
    for p in v["normalize"].as_array().unwrap() {
        let p = strs(p);
        assert_eq!(
            normalize(Scheme::Composer, &p[0]).unwrap_or_else(|e| panic!("{}: {e}", p[0])),
            p[1],
            "{}",
            p[0]
        );
    }
    for d in v["normalize_deviations"].as_array().unwrap() {
        let d = strs(d);
        assert_eq!(
            normalize(Scheme::Composer, &d[0]).unwrap(),
            d[2],
            "{}",
            d[0]
        );
    }
    for bad in strs(&v["normalize_invalid"]) {
        assert!(normalize(Scheme::Composer, &bad).is_err(), "{bad:?}");
    }
}

#[test]
fn constraints_match_their_bounds() {
    // Each parsed constraint must accept exactly what its expected bounds
    // (from VersionParserTest) accept, probed at and around every bound.
    let v = json("composer.json");
    let mut probes_checked = 0;
    for case in v["constraints"].as_array().unwrap() {
        let input = case[0].as_str().unwrap();
        let c =
            Constraint::parse(Scheme::Composer, input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        let groups = case[1].as_array().unwrap();
        let mut probes = vec!["0.0.1".to_owned(), "99.0.0".to_owned(), "1.0.0".to_owned()];
        for g in groups {
            for b in g.as_array().unwrap() {
                let bound = b[1].as_str().unwrap();
                probes.push(bound.to_owned());
                let base = bound.split('-').next().unwrap();
                if !bound.starts_with("dev-") {
                    probes.push(base.to_owned());
                    probes.push(format!("{base}-alpha1"));
                    probes.push(format!("{base}-patch1"));
                    let mut parts: Vec<u64> = base.split('.').map(|p| p.parse().unwrap()).collect();
                    *parts.last_mut().unwrap() += 1;
                    probes.push(
                        parts
                            .iter()
                            .map(u64::to_string)
                            .collect::<Vec<_>>()
                            .join("."),
                    );
                }
            }
        }
        for probe in &probes {
            let want = groups.iter().any(|g| {
                g.as_array().unwrap().iter().all(|b| {
                    let (op, bound) = (b[0].as_str().unwrap(), b[1].as_str().unwrap());
                    let o = compare(Scheme::Composer, probe, bound);
                    match o {
                        Ok(o) => match op {
                            ">" => o == Ordering::Greater,
                            ">=" => o != Ordering::Less,
                            "<" => o == Ordering::Less,
                            "<=" => o != Ordering::Greater,
                            "==" => o == Ordering::Equal,
                            "!=" => o != Ordering::Equal,
                            other => panic!("op {other}"),
                        },
                        Err(_) => op == "!=",
                    }
                })
            });
            assert_eq!(
                c.matches(probe).unwrap(),
                want,
                "{input:?} matches {probe:?}"
            );
            crate::common::assert_matches_parsed_agrees(&c, probe);
            probes_checked += 1;
        }
    }
    assert!(probes_checked > 500, "{probes_checked}");
    for bad in strs(&v["constraints_invalid"]) {
        assert!(
            Constraint::parse(Scheme::Composer, &bad).is_err(),
            "{bad:?}"
        );
    }
}
