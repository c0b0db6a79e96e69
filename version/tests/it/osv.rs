//! OSV range evaluation: the OSV schema's examples.

use strata_version::{EventKind, Scheme, affected_by_events};

use crate::common::json;

fn kind(s: &str) -> EventKind {
    match s {
        "introduced" => EventKind::Introduced,
        "fixed" => EventKind::Fixed,
        "last_affected" => EventKind::LastAffected,
        "limit" => EventKind::Limit,
        other => panic!("event {other}"),
    }
}

#[test]
fn schema_examples() {
    let v = json("osv.json");
    for case in v["cases"].as_array().unwrap() {
        let scheme = Scheme::for_namespace(case[0].as_str().unwrap()).unwrap();
        let events: Vec<(EventKind, &str)> = case[1]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (kind(e[0].as_str().unwrap()), e[1].as_str().unwrap()))
            .collect();
        let version = case[2].as_str().unwrap();
        let want = case[3].as_bool().unwrap();
        assert_eq!(
            affected_by_events(scheme, version, &events).unwrap(),
            want,
            "{case}"
        );
    }
}

#[test]
fn limits_and_errors() {
    use EventKind::*;
    let ev = [(Introduced, "1.0.0"), (Limit, "2.0.0")];
    assert!(affected_by_events(Scheme::Semver, "1.5.0", &ev).unwrap());
    assert!(!affected_by_events(Scheme::Semver, "2.0.0", &ev).unwrap());
    let ev = [(Introduced, "0"), (Limit, "*")];
    assert!(affected_by_events(Scheme::Semver, "9.9.9", &ev).unwrap());
    // Go versions need a "v", but introduced "0" is special.
    let ev = [
        (Introduced, "0"),
        (Fixed, "v0.0.0-20250806193153-183891f8d535"),
    ];
    assert!(affected_by_events(Scheme::Go, "v0.0.0-20240101000000-aaaaaaaaaaaa", &ev).unwrap());
    // Unparsable input is an error, never "affected".
    let ev = [(Introduced, "0"), (Fixed, "1.0.0")];
    assert!(affected_by_events(Scheme::Semver, "not a version", &ev).is_err());
    let ev = [(Introduced, "0"), (Fixed, "nightly.2026-03-10.0")];
    assert!(affected_by_events(Scheme::Semver, "1.0.0", &ev).is_err());
    // No events: nothing is affected.
    assert!(!affected_by_events(Scheme::Semver, "1.0.0", &[]).unwrap());
}
