//! RubyGems Gem::Version / Gem::Requirement vectors.

use strata_version::{Constraint, Scheme, validate};

use crate::common::{assert_cmp, json, ord_of, strs};

#[test]
fn gem_version() {
    let v = json("rubygems.json");
    for c in v["compare"].as_array().unwrap() {
        let (a, b) = (c[0].as_str().unwrap(), c[1].as_str().unwrap());
        assert_cmp(Scheme::RubyGems, a, b, ord_of(c[2].as_i64().unwrap()));
    }
    for bad in strs(&v["invalid"]) {
        assert!(validate(Scheme::RubyGems, &bad).is_err(), "{bad:?}");
    }
}

#[test]
fn gem_requirement() {
    let v = json("rubygems.json");
    let mut n = 0;
    let mut bad = Vec::new();
    for c in v["satisfied"].as_array().unwrap() {
        let (version, req, want) = (
            c[0].as_str().unwrap(),
            c[1].as_str().unwrap(),
            c[2].as_bool().unwrap(),
        );
        let r = Constraint::parse(Scheme::RubyGems, req).unwrap_or_else(|e| panic!("{req}: {e}"));
        if r.matches(version).unwrap() != want {
            bad.push(format!("{req:?} satisfied by {version:?} want {want}"));
        }
        n += 1;
    }
    assert!(bad.is_empty(), "{bad:#?}");
    for d in v["deviations"].as_array().unwrap() {
        let (version, req, ours) = (
            d[0].as_str().unwrap(),
            d[1].as_str().unwrap(),
            d[3].as_bool().unwrap(),
        );
        let r = Constraint::parse(Scheme::RubyGems, req).unwrap();
        assert_eq!(
            r.matches(version).unwrap(),
            ours,
            "{req:?} satisfied by {version:?}"
        );
    }
    assert!(n > 180, "{n}");
    for bad in strs(&v["requirement_invalid"]) {
        assert!(
            Constraint::parse(Scheme::RubyGems, &bad).is_err(),
            "{bad:?}"
        );
    }
}
