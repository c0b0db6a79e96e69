//! Helpers shared by the vector tests.

use std::cmp::Ordering;
use std::path::PathBuf;

use strata_version::{Scheme, compare};

pub(crate) fn testdata(name: &str) -> String {
    let p = PathBuf::from(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("testdata")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

pub(crate) fn json(name: &str) -> serde_json::Value {
    serde_json::from_str(&testdata(name)).unwrap_or_else(|e| panic!("parsing {name}: {e}"))
}

pub(crate) fn strs(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_owned())
        .collect()
}

/// Asserts `a` compares as `want` with `b`, and the reverse comparison too.
#[track_caller]
pub(crate) fn assert_cmp(scheme: Scheme, a: &str, b: &str, want: Ordering) {
    let got = compare(scheme, a, b)
        .unwrap_or_else(|e| panic!("{scheme}: compare({a:?}, {b:?}) failed: {e}"));
    assert_eq!(got, want, "{scheme}: compare({a:?}, {b:?})");
    let rev = compare(scheme, b, a)
        .unwrap_or_else(|e| panic!("{scheme}: compare({b:?}, {a:?}) failed: {e}"));
    assert_eq!(rev, want.reverse(), "{scheme}: compare({b:?}, {a:?})");
    assert_parsed_agrees(scheme, a, b);
}

/// Asserts the parse-once API ([`Scheme::parse`], `Parsed::compare_str`,
/// `Parsed::compare`) gives exactly what `compare` gives, errors included.
#[track_caller]
pub(crate) fn assert_parsed_agrees(scheme: Scheme, a: &str, b: &str) {
    let want = compare(scheme, a, b);
    match scheme.parse(a) {
        Ok(pa) => {
            assert_eq!(pa.compare_str(b), want, "{scheme}: parsed {a:?} vs {b:?}");
            match scheme.parse(b) {
                Ok(pb) => assert_eq!(pa.compare(&pb), want, "{scheme}: parsed {a:?} vs parsed {b:?}"),
                Err(e) => assert_eq!(Err(e), want, "{scheme}: parse({b:?})"),
            }
        }
        Err(e) => {
            assert_eq!(Err(e.clone()), strata_version::validate(scheme, a), "{scheme}: parse({a:?})");
            assert!(want.is_err(), "{scheme}: parse({a:?}) failed but compare succeeded");
        }
    }
}

/// Asserts every element of `list` sorts strictly before every later one.
pub(crate) fn assert_ordered(scheme: Scheme, list: &[String]) -> usize {
    let mut n = 0;
    for i in 0..list.len() {
        for j in i + 1..list.len() {
            assert_cmp(scheme, &list[i], &list[j], Ordering::Less);
            n += 1;
        }
        assert_cmp(scheme, &list[i], &list[i], Ordering::Equal);
    }
    n
}

pub(crate) fn ord_of(n: i64) -> Ordering {
    n.cmp(&0)
}

/// Asserts `Constraint::matches_parsed` gives what `Constraint::matches` gives for
/// every version the constraint's scheme parses (a version that does not parse has no
/// parsed form to pass).
#[track_caller]
pub(crate) fn assert_matches_parsed_agrees(c: &strata_version::Constraint, v: &str) {
    if let Ok(p) = c.scheme().parse(v) {
        let (want, got) = (c.matches(v), c.matches_parsed(&p));
        assert_eq!(got.is_ok(), want.is_ok(), "{}: {c:?} matches_parsed {v:?}", c.scheme());
        assert_eq!(got.ok(), want.ok(), "{}: {c:?} matches_parsed {v:?}", c.scheme());
    }
}
