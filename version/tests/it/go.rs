//! golang.org/x/mod/semver vectors.

use std::cmp::Ordering;

use strata_version::{Scheme, validate};

use crate::common::{assert_cmp, json, ord_of, strs};

#[test]
fn semver_test_go() {
    let v = json("go.json");
    let tests: Vec<Vec<String>> = v["tests"].as_array().unwrap().iter().map(strs).collect();
    for t in &tests {
        assert_eq!(
            validate(Scheme::Go, &t[0]).is_ok(),
            !t[1].is_empty(),
            "IsValid({:?})",
            t[0]
        );
    }
    // TestCompare: equal canonical forms compare equal, otherwise table order.
    let valid: Vec<&Vec<String>> = tests.iter().filter(|t| !t[1].is_empty()).collect();
    for (i, ti) in valid.iter().enumerate() {
        for (j, tj) in valid.iter().enumerate() {
            let want = if ti[1] == tj[1] {
                Ordering::Equal
            } else {
                i.cmp(&j)
            };
            assert_cmp(Scheme::Go, &ti[0], &tj[0], want);
        }
    }
    for c in v["compare"].as_array().unwrap() {
        let (a, b) = (c[0].as_str().unwrap(), c[1].as_str().unwrap());
        assert_cmp(Scheme::Go, a, b, ord_of(c[2].as_i64().unwrap()));
    }
    for d in v["deviations"].as_array().unwrap() {
        let (a, b) = (d[0].as_str().unwrap(), d[1].as_str().unwrap());
        assert_cmp(Scheme::Go, a, b, ord_of(d[3].as_i64().unwrap()));
    }
}

#[test]
fn pseudo_versions_and_incompatible() {
    // A pseudo-version is a pre-release of the next patch.
    assert_cmp(
        Scheme::Go,
        "v0.0.0-20250806193153-183891f8d535",
        "v0.0.1",
        Ordering::Less,
    );
    assert_cmp(
        Scheme::Go,
        "v1.2.4-0.20191109021931-daa7c04131f5",
        "v1.2.3",
        Ordering::Greater,
    );
    assert_cmp(
        Scheme::Go,
        "v1.2.4-0.20191109021931-daa7c04131f5",
        "v1.2.4",
        Ordering::Less,
    );
    assert_cmp(Scheme::Go, "v2.0.0+incompatible", "v2.0.0", Ordering::Equal);
    assert_cmp(
        Scheme::Go,
        "v2.0.1+incompatible",
        "v2.0.0",
        Ordering::Greater,
    );
}

#[test]
fn vulndb_versions_without_v_prefix() {
    // golang/vulndb OSV ranges write "1.2.3"; binaries report "v1.2.3".
    assert_cmp(Scheme::Go, "1.2.3", "v1.2.3", Ordering::Equal);
    assert_cmp(
        Scheme::Go,
        "0.31.1-0.20190225164308-c461c1bd1a3e",
        "v0.31.1",
        Ordering::Less,
    );
    assert_cmp(
        Scheme::Go,
        "23.0.0+incompatible",
        "v23.0.0",
        Ordering::Equal,
    );
    assert!(validate(Scheme::Go, "1-pre").is_err());
}
