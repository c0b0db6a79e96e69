//! The allocation-free Composer and Maven code against the previous code, on
//! the reference vectors, the database's own strings (`testdata/db-corpus`,
//! every Packagist constraint and Maven version of the embedded database when
//! it was cut) and deterministic mutations of them.

use std::path::PathBuf;

use super::{composer as old_composer, maven as old_maven};
use crate::{Scheme, composer, maven};

fn testdata(name: &str) -> String {
    let p = PathBuf::from(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("testdata")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

fn lines(name: &str) -> Vec<String> {
    testdata(name).lines().map(str::to_owned).collect()
}

/// Every string field of the scheme's JSON vectors and differential TSV files.
fn vector_strings(json: &str, tsvs: &[&str]) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&serde_json::from_str(&testdata(json)).expect("json"), &mut out);
    for t in tsvs {
        for line in testdata(&format!("differential/{t}")).lines() {
            out.extend(line.split('\t').map(str::to_owned));
        }
    }
    out
}

/// Tricky inputs: case, non-ASCII (lowercasing that changes lengths or maps to
/// ASCII), separators, qualifiers, dev branches, long numbers.
const TRICKY: &[&str] = &[
    "", " ", "1", "1.0", "1.0.0", "1-0", "1--0", "1..0", "1.-1", "-1", ".1", "1.", "1-", "1.0-",
    "1-alpha", "1-ALPHA", "1-Alpha1", "1A1", "1a", "1b", "1m", "1-a1", "1-B2", "1-M3", "1.0.0.X1",
    "1.0.0-X2", "1-cr2", "1-CR2", "1-rc2", "1-GA", "1-Final", "1-release", "1-RELEASE", "1-sp",
    "1-SP1", "1-snapshot", "1-SNAPSHOT", "1-foo", "1-FOO", "1-Foo-1", "1-foo-bar", "1-xyz",
    "1-XYZ", "1.0.0.Final", "3.6.8.Final", "2.0-jre", "1.1.0.5-jre14", "0", "00", "0.0", "0-0",
    "000001", "99999999999999999999999", "1.99999999999999999999", "1-\u{212a}", "1-\u{130}x",
    "1-\u{3a3}", "1-a\u{3a3}.b", "1-\u{e9}", "\u{c9}1", "1.\u{feff}", "1-\u{1f600}2", "v1.0",
    "V1.0", "dev-master", "dev-Master", "DEV-foo", "master", "trunk", "default", "1.x-dev",
    "1.X-dev", "1.*-dev", "1.2.x-dev", "1.2.3.4.x-dev", "v1.x-DEV", "1.0.0-beta1", "1.0.0-b1",
    "1.0.0-B1", "1.0.0.RC1", "1.0.0-rc.1", "1.0.0-patch1", "1.0.0-pl1", "1.0.0-p1", "1.0.0-P1",
    "1.0.0-stable", "1.0.0-STABLE", "1.0.0-dev", "1.0.0.dev", "1.0.0-alpha.1-dev", "1.0.0+build",
    "1.0.0+build-dev", "1.0.0@dev", "1.0.0@beta", "1.0 as 2.0", "20100102", "2010-01-02",
    "2010.01.02.5", "2010-01-02-10-20-30.5", "20100102-203040-p1", "1.0.0-meh", "1.0.0.0.0",
    "feature-foo", "1.0.0+foo bar", "#1", "1#2", "1.0-#", "1.0-\u{0}", "1\t0", "\u{3000}1",
];

/// Deterministic mutations (xorshift) of `base`: characters inserted, replaced or removed.
fn mutations(base: &[String], n: usize) -> Vec<String> {
    const PIECES: &[&str] = &[
        "0", "1", "9", ".", "-", "_", "+", " ", ",", "|", "||", "@", "#", "~", "^", "x", "X", "*",
        "v", "a", "b", "p", "RC", "dev", "-dev", "alpha", "beta", "pl", "stable", " - ", " as ",
        ">=", "<", "!=", "<>", "\u{212a}", "\u{e9}", "\u{3a3}", "Final", "SP",
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let mut s = base[next() as usize % base.len()].clone();
        for _ in 0..1 + next() % 3 {
            let cuts: Vec<usize> = (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
            let at = cuts[next() as usize % cuts.len()];
            let piece = PIECES[next() as usize % PIECES.len()];
            match next() % 3 {
                0 => s.insert_str(at, piece),
                1 => {
                    let end = cuts.iter().copied().find(|&e| e > at).unwrap_or(at);
                    s.replace_range(at..end, piece);
                }
                _ => {
                    let end = cuts.iter().copied().find(|&e| e > at).unwrap_or(at);
                    s.replace_range(at..end, "");
                }
            }
        }
        out.push(s);
    }
    out
}

fn corpus(json: &str, tsvs: &[&str], db: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = TRICKY.iter().map(|s| (*s).to_owned()).collect();
    all.extend(vector_strings(json, tsvs));
    for f in db {
        all.extend(lines(&format!("db-corpus/{f}")));
    }
    let muts = mutations(&all, 4000);
    all.extend(muts);
    all.sort();
    all.dedup();
    all
}

/// Every string against a sample of the others, and each against its neighbours.
fn for_pairs(all: &[String], samples: usize, mut f: impl FnMut(&str, &str)) {
    let step = (all.len() / samples).max(1);
    for a in all {
        for b in all.iter().step_by(step) {
            f(a, b);
        }
    }
    for w in all.windows(2) {
        f(&w[0], &w[1]);
        f(&w[1], &w[0]);
    }
}

#[test]
fn maven_agrees_with_previous_parser() {
    let all = corpus("maven.json", &["maven.tsv"], &["maven-versions.txt"]);
    assert!(all.len() > 8000, "{}", all.len());
    let old = |a: &str, b: &str| old_maven::compare(a, b);
    let mut compared = 0;
    for_pairs(&all, 60, |a, b| {
        assert_eq!(maven::compare(a, b), old(a, b), "{a:?} vs {b:?}");
        compared += 1;
    });
    assert!(compared > 400_000, "{compared}");
    // The parsed form (as `Parsed` keeps it) compares the same way.
    let parsed: Vec<_> = all
        .iter()
        .filter_map(|s| maven::parse(s).ok().map(|p| (s, p)))
        .collect();
    assert!(parsed.len() > all.len() / 2);
    for w in parsed.windows(2) {
        let ((a, pa), (b, pb)) = (&w[0], &w[1]);
        assert_eq!(Ok(maven::cmp(pa, pb)), old(a, b), "{a:?} vs {b:?}");
    }
}

#[test]
fn composer_versions_agree_with_previous_code() {
    let mut all = corpus(
        "composer.json",
        &["composer-normalize.tsv", "composer-compare.tsv"],
        &["composer-versions.txt"],
    );
    // The bounds written in the database's constraints are versions too.
    for c in lines("db-corpus/composer-constraints.txt") {
        all.extend(
            c.split([',', '|', ' ', '<', '>', '=', '!', '~', '^'])
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
    }
    all.sort();
    all.dedup();
    for v in &all {
        assert_eq!(composer::normalize(v), old_composer::normalize(v), "{v:?}");
    }
    for_pairs(&all, 40, |a, b| {
        assert_eq!(composer::compare(a, b), old_composer::compare(a, b), "{a:?} vs {b:?}");
    });
}

#[test]
fn composer_constraints_agree_with_previous_parser() {
    let mut all = vec![];
    all.extend(TRICKY.iter().map(|s| (*s).to_owned()));
    all.extend(vector_strings(
        "composer.json",
        &["composer-satisfies.tsv"],
    ));
    all.extend(lines("db-corpus/composer-constraints.txt"));
    let muts = mutations(&all, 20_000);
    all.extend(muts);
    all.sort();
    all.dedup();
    let versions: Vec<String> = {
        let mut v = lines("db-corpus/composer-versions.txt");
        v.extend(TRICKY.iter().map(|s| (*s).to_owned()));
        v.extend(["0.1", "1.0.0", "2.5.8", "2.5.9", "3.0-beta2", "4.4.99", "5.0.0-RC1", "9.9.9"].map(str::to_owned));
        v
    };
    let (mut ok, mut err) = (0, 0);
    for c in &all {
        let new = composer::parse_constraints(c);
        let old = old_composer::parse_constraints(c);
        match (&new, &old) {
            (Ok(n), Ok(o)) => {
                ok += 1;
                assert_eq!(n.debug_groups(), o.debug_groups(), "{c:?}");
                for v in &versions {
                    assert_eq!(n.matches(v), o.matches(v), "{c:?} on {v:?}");
                }
            }
            (Err(n), Err(o)) => {
                err += 1;
                assert_eq!(n, o, "{c:?}");
            }
            _ => panic!("{c:?}: new {new:?}, old {old:?}"),
        }
    }
    assert!(ok > 5000 && err > 1000, "{ok} parsed, {err} refused");
    // Equal constraints compare equal, different ones not.
    let a = composer::parse_constraints(">=1.0 <2.0 || ^3.1").expect("valid");
    let b = composer::parse_constraints(">=1.0,<2.0||^3.1").expect("valid");
    let c = composer::parse_constraints(">=1.0,<2.1||^3.1").expect("valid");
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn osv_walk_agrees_with_previous_code() {
    use crate::{EventKind, affected_by_events_parsed};
    let pools: [(Scheme, &[&str]); 6] = [
        (Scheme::Maven, &["0", "1.0", "1.0-rc1", "1.2", "2.0.Final", "2", "3-SNAPSHOT", "10.1", "bad version"]),
        (Scheme::Pep440, &["0", "1.0", "1.0rc1", "1.2.post1", "2.0", "2!1.0", "3.0.dev1", "10", "1..x"]),
        (Scheme::Dpkg, &["0", "1.0-1", "1.0~rc1-1", "1:0.9", "2.0", "2.0-1ubuntu1", "10", "a b"]),
        (Scheme::Semver, &["0", "1.0.0", "1.0.0-rc.1", "1.2.3", "2.0.0", "10.0.0", "1.2", "x"]),
        (Scheme::Go, &["0", "v1.0.0", "v1.2.3-pre", "v2.0.0+incompatible", "v0.0.0-2020", "1.0.0"]),
        (Scheme::Composer, &["0", "1.0.0", "1.0-beta2", "dev-master", "dev-foo", "2.5.9", "1.x-dev", "bad"]),
    ];
    const KINDS: [EventKind; 4] =
        [EventKind::Introduced, EventKind::Fixed, EventKind::LastAffected, EventKind::Limit];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut checked = 0;
    for (scheme, pool) in pools {
        // `introduced: 0, fixed: X` has a path of its own: every X against every version,
        // unparsable ones included.
        for fixed in pool {
            let events = [(EventKind::Introduced, "0"), (EventKind::Fixed, *fixed)];
            for v in pool.iter() {
                let Ok(p) = scheme.parse(v) else { continue };
                assert_eq!(
                    affected_by_events_parsed(&p, &events),
                    super::osv::affected_by_events_parsed(&p, &events),
                    "{scheme:?} {v} {events:?}"
                );
            }
        }
        for round in 0..3000 {
            // Lengths 0..=12 cover both the stack (up to 8 events) and the heap paths.
            let n = round % 13;
            let events: Vec<(EventKind, &str)> = (0..n)
                .map(|_| {
                    let kind = KINDS[next() as usize % 4];
                    let v = if next() % 6 == 0 {
                        if kind == EventKind::Limit { "*" } else { "0" }
                    } else {
                        pool[next() as usize % pool.len()]
                    };
                    (kind, v)
                })
                .collect();
            for v in pool.iter().skip(1) {
                let Ok(p) = scheme.parse(v) else { continue };
                assert_eq!(
                    affected_by_events_parsed(&p, &events),
                    super::osv::affected_by_events_parsed(&p, &events),
                    "{scheme:?} {v} {events:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 50_000, "{checked}");
}

#[test]
fn validate_parses_once_with_the_same_result() {
    let mut all: Vec<String> = TRICKY.iter().map(|s| (*s).to_owned()).collect();
    all.extend(lines("db-corpus/maven-versions.txt").into_iter().step_by(7));
    all.extend(lines("db-corpus/composer-versions.txt"));
    all.extend(["1.0.0-rc.1+build", "v1.2.3", "1:2.0-1", "2.0-1.el8", "1.0a1.post2.dev3", "1.2.3-r0"].map(str::to_owned));
    let muts = mutations(&all, 3000);
    all.extend(muts);
    for scheme in Scheme::ALL {
        for s in &all {
            let want = crate::compare(scheme, s, s).map(drop);
            assert_eq!(crate::validate(scheme, s), want, "{scheme:?} {s:?}");
            assert_eq!(scheme.parse(s).map(drop), want, "{scheme:?} {s:?}");
        }
    }
}
