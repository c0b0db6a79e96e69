//! Hostile input: pseudo-random strings over version-ish alphabets must never
//! panic, and every scheme's comparison must stay antisymmetric and reflexive.

use std::cmp::Ordering;

use strata_version::{Constraint, EventKind, Scheme, affected_by_events, compare, normalize};

/// Small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn string(&mut self, alphabet: &[u8], max: usize) -> String {
        let len = (self.next() % max as u64) as usize;
        (0..len)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char)
            .collect()
    }
}

const VERSIONISH: &[u8] = b"0123456789012345.....--_+~^:!abcdeprvxXmsgtl";
const RANGEISH: &[u8] = b"0123456789....-*xX ^~<>=!,|[]()@v";

#[test]
fn random_versions_are_ordered_consistently() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut compared = 0;
    for _ in 0..4000 {
        let a = rng.string(VERSIONISH, 12);
        let b = rng.string(VERSIONISH, 12);
        for scheme in Scheme::ALL {
            if let (Ok(ab), Ok(ba)) = (compare(scheme, &a, &b), compare(scheme, &b, &a)) {
                assert_eq!(ab, ba.reverse(), "{scheme}: {a:?} vs {b:?}");
                compared += 1;
            }
            if let Ok(o) = compare(scheme, &a, &a) {
                assert_eq!(o, Ordering::Equal, "{scheme}: {a:?}");
            }
            let _ = normalize(scheme, &a);
        }
    }
    assert!(compared > 5000, "{compared}");
}

#[test]
fn random_constraints_never_panic() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut parsed = 0;
    for _ in 0..4000 {
        let spec = rng.string(RANGEISH, 20);
        let version = rng.string(VERSIONISH, 10);
        for scheme in Scheme::ALL {
            if let Ok(c) = Constraint::parse(scheme, &spec) {
                parsed += 1;
                let _ = c.matches(&version);
                let _ = c.matches("1.2.3");
            }
            let events = [
                (EventKind::Introduced, spec.as_str()),
                (EventKind::Fixed, version.as_str()),
            ];
            let _ = affected_by_events(scheme, "1.0.0", &events);
        }
    }
    assert!(parsed > 100, "{parsed}");
}

#[test]
fn long_numbers_and_deep_nesting_stay_bounded() {
    let big = "9".repeat(250);
    let nested = "1-a".repeat(80); // 240 bytes of Maven sub-lists
    let dotted = "1.".repeat(127) + "1";
    for scheme in Scheme::ALL {
        for v in [&big, &nested, &dotted] {
            let _ = compare(scheme, v, "1.0.0");
            let _ = compare(scheme, v, v);
            let _ = normalize(scheme, v);
        }
        for spec in [
            format!("~{big}"),
            format!("^{big}"),
            format!(">={big}"),
            format!("{big}.x"),
        ] {
            if let Ok(c) = Constraint::parse(scheme, &spec) {
                let _ = c.matches(&big);
            }
        }
    }
    // Numbers beyond u64 still compare by value where the scheme allows them.
    let a = format!("1.{big}");
    let b = format!("1.1{big}");
    for scheme in [
        Scheme::Dpkg,
        Scheme::Rpm,
        Scheme::Maven,
        Scheme::Pep440,
        Scheme::RubyGems,
    ] {
        assert_eq!(compare(scheme, &a, &b).unwrap(), Ordering::Less, "{scheme}");
    }
    // Over the limit: refused up front.
    let huge = "9".repeat(strata_version::MAX_VERSION_LEN + 1);
    assert!(compare(Scheme::Dpkg, &huge, "1").is_err());
}

#[test]
fn non_ascii_tails_never_split_a_character() {
    // Found by the version_compare fuzz target: a composer version whose last three bytes
    // are inside a multi-byte character.
    for v in ["\u{fffd}\u{13}\n", "\u{fffd}\u{13}", "1.\u{fffd}", "dev\u{fffd}", "x\u{e9}v"] {
        for scheme in Scheme::ALL {
            let _ = compare(scheme, v, "1.0.0");
            let _ = normalize(scheme, v);
        }
    }
}
