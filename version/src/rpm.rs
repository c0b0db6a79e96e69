//! RPM versions: `[epoch:]version[-release]`, segments compared with
//! `rpmvercmp` (rpmio/rpmvercmp.c), including `~` (sorts before anything,
//! even the end) and `^` (sorts after the end, before anything else).
//!
//! As in rpm's `rpmdsCompare`, a missing epoch is 0 and the release is only
//! compared when both sides have one.

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

#[derive(Debug, Clone, Copy)]
pub(crate) struct Evr<'a> {
    epoch: &'a [u8],
    version: &'a [u8],
    release: &'a [u8],
}

pub(crate) fn parse(input: &str) -> Result<Evr<'_>, VersionError> {
    let err = |reason| VersionError::invalid(Scheme::Rpm, input, reason);
    let s = input.trim_matches(|c: char| c.is_ascii_whitespace());
    if s.is_empty() {
        return Err(err("version string is empty"));
    }
    if s.bytes()
        .any(|c| c.is_ascii_whitespace() || c.is_ascii_control())
    {
        return Err(err("version string has spaces or control characters"));
    }
    let (epoch, rest) = match s.find(':') {
        Some(i) => {
            let e = &s[..i];
            if e.is_empty() || !e.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err("epoch is not a number"));
            }
            (e.as_bytes(), &s[i + 1..])
        }
        None => (&b"0"[..], s),
    };
    let (version, release) = match rest.rfind('-') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    if version.is_empty() {
        return Err(err("version part is empty"));
    }
    Ok(Evr {
        epoch,
        version: version.as_bytes(),
        release: release.as_bytes(),
    })
}

/// Compares two RPM EVR strings.
pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let a = parse(a)?;
    let b = parse(b)?;
    Ok(compare_parsed(&a, &b))
}

/// Compares two parsed EVRs.
pub(crate) fn compare_parsed(a: &Evr<'_>, b: &Evr<'_>) -> Ordering {
    let mut ord = crate::num::cmp_digits(a.epoch, b.epoch);
    if ord == Ordering::Equal {
        ord = rpmvercmp(a.version, b.version);
    }
    if ord == Ordering::Equal && !a.release.is_empty() && !b.release.is_empty() {
        ord = rpmvercmp(a.release, b.release);
    }
    ord
}

/// rpm's segment-wise comparison of one version or release string.
pub(crate) fn rpmvercmp(a: &[u8], b: &[u8]) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let sep = |c: u8| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^';
    let (mut i, mut j) = (0usize, 0usize);
    while i < a.len() || j < b.len() {
        while i < a.len() && sep(a[i]) {
            i += 1;
        }
        while j < b.len() && sep(b[j]) {
            j += 1;
        }
        let ca = a.get(i).copied();
        let cb = b.get(j).copied();
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            if ca.is_none() {
                return Ordering::Less;
            }
            if cb.is_none() {
                return Ordering::Greater;
            }
            if ca != Some(b'^') {
                return Ordering::Greater;
            }
            if cb != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca.is_none() || cb.is_none() {
            break;
        }
        let isnum = a[i].is_ascii_digit();
        let class = |c: &u8| {
            if isnum {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let ea = i + a[i..].iter().take_while(|c| class(c)).count();
        let eb = j + b[j..].iter().take_while(|c| class(c)).count();
        if eb == j {
            // Segments of different types: numeric is newer than alpha.
            return if isnum {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let (sa, sb) = (&a[i..ea], &b[j..eb]);
        let ord = if isnum {
            crate::num::cmp_digits(sa, sb)
        } else {
            sa.cmp(sb)
        };
        if ord != Ordering::Equal {
            return ord;
        }
        i = ea;
        j = eb;
    }
    match (i >= a.len(), j >= b.len()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        _ => Ordering::Greater,
    }
}
