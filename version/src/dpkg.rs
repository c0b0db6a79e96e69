//! Debian versions: `[epoch:]upstream[-revision]`, compared like dpkg's
//! `verrevcmp` (lib/dpkg/version.c).
//!
//! Parsing follows dpkg's `parseversion`: conditions dpkg reports as errors
//! (empty version, empty upstream, embedded spaces, bad or huge epoch) are
//! errors here; conditions it only warns about (upstream not starting with a
//! digit, unusual characters) are accepted, as `dpkg --compare-versions` does.

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

#[derive(Debug, Clone, Copy)]
pub(crate) struct Parsed<'a> {
    epoch: u32,
    upstream: &'a [u8],
    revision: &'a [u8],
}

pub(crate) fn parse(input: &str) -> Result<Parsed<'_>, VersionError> {
    let err = |reason| VersionError::invalid(Scheme::Dpkg, input, reason);
    let s = input.trim_matches(|c: char| c.is_ascii_whitespace());
    if s.is_empty() {
        return Err(err("version string is empty"));
    }
    if s.bytes().any(|c| c.is_ascii_whitespace()) {
        return Err(err("version string has embedded spaces"));
    }
    let (epoch, rest) = match s.find(':') {
        Some(i) => {
            let e = &s[..i];
            if e.is_empty() {
                return Err(err("epoch in version is empty"));
            }
            if !e.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err("epoch in version is not number"));
            }
            // dpkg rejects epochs above INT_MAX.
            let v: u64 = if e.len() > 10 {
                u64::MAX
            } else {
                e.parse().map_err(|_| err("epoch in version is too big"))?
            };
            if v > i32::MAX as u64 {
                return Err(err("epoch in version is too big"));
            }
            (v as u32, &s[i + 1..])
        }
        None => (0, s),
    };
    if rest.is_empty() {
        return Err(err("nothing after colon in version number"));
    }
    let (upstream, revision) = match rest.rfind('-') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    if upstream.is_empty() {
        return Err(err("version number is empty"));
    }
    Ok(Parsed {
        epoch,
        upstream: upstream.as_bytes(),
        revision: revision.as_bytes(),
    })
}

/// Compares two Debian versions.
pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let a = parse(a)?;
    let b = parse(b)?;
    Ok(compare_parsed(&a, &b))
}

/// Compares two parsed Debian versions.
pub(crate) fn compare_parsed(a: &Parsed<'_>, b: &Parsed<'_>) -> Ordering {
    a.epoch
        .cmp(&b.epoch)
        .then_with(|| verrevcmp(a.upstream, b.upstream))
        .then_with(|| verrevcmp(a.revision, b.revision))
}

/// Sort weight of one byte: `~` before the end of the string, letters before
/// everything else that is not a digit.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => c as i32,
        Some(b'~') => -1,
        Some(c) => c as i32 + 256,
    }
}

fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0usize, 0usize);
    let digit = |s: &[u8], k: usize| s.get(k).is_some_and(|c| c.is_ascii_digit());
    while i < a.len() || j < b.len() {
        while (i < a.len() && !digit(a, i)) || (j < b.len() && !digit(b, j)) {
            let ac = order(a.get(i).copied());
            let bc = order(b.get(j).copied());
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while digit(a, i) && digit(b, j) {
            if first_diff == Ordering::Equal {
                first_diff = a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
        if digit(a, i) {
            return Ordering::Greater;
        }
        if digit(b, j) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}
