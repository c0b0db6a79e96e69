//! dpkg, rpm and apk vectors.

use std::cmp::Ordering;

use strata_version::{Scheme, VersionError, compare, validate};

use crate::common::{assert_cmp, json, ord_of, strs, testdata};

#[test]
fn dpkg_version_t_data() {
    let data = testdata("dpkg-version-t.txt");
    let mut n = 0;
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (a, b, want) = (f[0], f[1], ord_of(f[2].parse().unwrap()));
        if a == "-0.6.5" {
            // Deviation: libdpkg's parseversion rejects an empty upstream
            // version ("-0" in t-version.c), so Strata refuses it too.
            assert!(matches!(
                compare(Scheme::Dpkg, a, b),
                Err(VersionError::Invalid { .. })
            ));
            continue;
        }
        assert_cmp(Scheme::Dpkg, a, b, want);
        n += 1;
    }
    assert_eq!(n, 43);
}

#[test]
fn dpkg_t_version_c() {
    let v = json("dpkg-t-version.json");
    for pair in v["equal"].as_array().unwrap() {
        let p = strs(pair);
        assert_cmp(Scheme::Dpkg, &p[0], &p[1], Ordering::Equal);
    }
    for pair in v["less"].as_array().unwrap() {
        let p = strs(pair);
        assert_cmp(Scheme::Dpkg, &p[0], &p[1], Ordering::Less);
    }
    for bad in strs(&v["invalid"]) {
        let e = validate(Scheme::Dpkg, &bad).expect_err(&bad);
        assert!(e.to_string().starts_with("invalid dpkg version"), "{e}");
    }
    // dpkg only warns about these; --compare-versions still compares them.
    for warn in strs(&v["warn_only"]) {
        validate(Scheme::Dpkg, &warn).unwrap_or_else(|e| panic!("{warn:?}: {e}"));
    }
}

#[test]
fn rpmvercmp_at() {
    let data = testdata("rpmvercmp.at");
    let mut n = 0;
    for line in data.lines().filter(|l| l.starts_with("RPMVERCMP(")) {
        let inner = line.trim_start_matches("RPMVERCMP(").trim_end_matches(')');
        let f: Vec<&str> = inner.split(", ").collect();
        assert_eq!(f.len(), 3, "{line}");
        let got = compare(Scheme::Rpm, f[0], f[1]).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(got, ord_of(f[2].parse().unwrap()), "{line}");
        n += 1;
    }
    assert_eq!(n, 91);
}

#[test]
fn rpm_evr() {
    // Epoch first; release only when both sides have one (rpmdsCompare).
    assert_cmp(Scheme::Rpm, "1:1.0-1", "2.0-1", Ordering::Greater);
    assert_cmp(Scheme::Rpm, "0:1.0-1.el8", "1.0-1.el8", Ordering::Equal);
    assert_cmp(Scheme::Rpm, "1.0-2.el8", "1.0-10.el8", Ordering::Less);
    assert_cmp(Scheme::Rpm, "1.0", "1.0-5.el8", Ordering::Equal);
    assert!(validate(Scheme::Rpm, "a:1.0-1").is_err());
    assert!(validate(Scheme::Rpm, "").is_err());
}

#[test]
fn apk_version_data() {
    let data = testdata("apk-version.data");
    let mut n = 0;
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let line = line.split('#').next().unwrap().trim();
        let f: Vec<&str> = line.split_whitespace().collect();
        let want = match f[1] {
            "<" => Ordering::Less,
            "=" => Ordering::Equal,
            ">" => Ordering::Greater,
            other => panic!("bad op {other}"),
        };
        assert_cmp(Scheme::Apk, f[0], f[2], want);
        n += 1;
    }
    assert_eq!(n, 729);
    assert!(validate(Scheme::Apk, "r1.0").is_err());
    assert!(validate(Scheme::Apk, "").is_err());
}
