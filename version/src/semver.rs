//! Semantic Versioning 2.0.0 core, shared by the SemVer, Cargo, npm and Go
//! schemes. Numbers are kept as digit strings, so any length compares
//! correctly without overflow, and nothing is allocated.

use std::cmp::Ordering;

use crate::num::cmp_digits;
use crate::{Scheme, VersionError};

/// A parsed SemVer version borrowing from its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SemVer<'a> {
    pub(crate) major: &'a str,
    pub(crate) minor: &'a str,
    pub(crate) patch: &'a str,
    /// Pre-release without the leading `-` (empty if none).
    pub(crate) pre: &'a str,
    /// Build metadata without the leading `+` (empty if none).
    pub(crate) build: &'a str,
}

impl SemVer<'_> {
    /// Precedence order: build metadata is ignored.
    pub(crate) fn cmp_precedence(&self, other: &SemVer<'_>) -> Ordering {
        cmp_digits(self.major.as_bytes(), other.major.as_bytes())
            .then_with(|| cmp_digits(self.minor.as_bytes(), other.minor.as_bytes()))
            .then_with(|| cmp_digits(self.patch.as_bytes(), other.patch.as_bytes()))
            .then_with(|| cmp_pre(self.pre, other.pre))
    }

    /// True if major.minor.patch are equal.
    pub(crate) fn same_triple(&self, other: &SemVer<'_>) -> bool {
        cmp_digits(self.major.as_bytes(), other.major.as_bytes()) == Ordering::Equal
            && cmp_digits(self.minor.as_bytes(), other.minor.as_bytes()) == Ordering::Equal
            && cmp_digits(self.patch.as_bytes(), other.patch.as_bytes()) == Ordering::Equal
    }
}

/// Compares pre-release strings: none sorts after any; identifiers compare
/// numerically when both are numeric, numeric before alphanumeric, otherwise
/// by ASCII; a shorter list that is a prefix sorts first.
pub(crate) fn cmp_pre(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let mut ia = a.split('.');
    let mut ib = b.split('.');
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let ord = cmp_ident(x, y, false);
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}

/// Compares one pre-release identifier pair.
pub(crate) fn cmp_ident(x: &str, y: &str, ignore_case: bool) -> Ordering {
    let nx = !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    let ny = !y.is_empty() && y.bytes().all(|c| c.is_ascii_digit());
    match (nx, ny) {
        (true, true) => cmp_digits(x.as_bytes(), y.as_bytes()),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) if ignore_case => x
            .bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(y.bytes().map(|c| c.to_ascii_lowercase())),
        (false, false) => x.cmp(y),
    }
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) && (s.len() == 1 || !s.starts_with('0'))
}

fn valid_idents(s: &str, numeric_leading_zero_ok: bool) -> bool {
    s.split('.').all(|id| {
        !id.is_empty()
            && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
            && (numeric_leading_zero_ok || !id.bytes().all(|c| c.is_ascii_digit()) || is_number(id))
    })
}

/// Splits `rest` (after the numbers) into pre-release and build.
fn split_pre_build(rest: &str) -> Option<(&str, &str)> {
    let (pre_part, build) = match rest.find('+') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    let pre = if pre_part.is_empty() {
        ""
    } else {
        pre_part.strip_prefix('-')?
    };
    if rest.contains('+') && !valid_idents(build, true) {
        return None;
    }
    if (pre_part.starts_with('-')) && !valid_idents(pre, false) {
        return None;
    }
    Some((pre, build))
}

/// Parses `MAJOR.MINOR.PATCH[-PRE][+BUILD]` strictly.
pub(crate) fn parse(s: &str) -> Option<SemVer<'_>> {
    parse_inner(s, false)
}

fn parse_inner(s: &str, leading_zeros: bool) -> Option<SemVer<'_>> {
    let mut nums = [""; 3];
    let mut rest = s;
    for (k, slot) in nums.iter_mut().enumerate() {
        let n = rest.bytes().take_while(|c| c.is_ascii_digit()).count();
        let num = &rest[..n];
        if num.is_empty() || (!leading_zeros && !is_number(num)) {
            return None;
        }
        *slot = num;
        rest = &rest[n..];
        if k < 2 {
            rest = rest.strip_prefix('.')?;
        }
    }
    let (pre, build) = split_pre_build(rest)?;
    Some(SemVer {
        major: nums[0],
        minor: nums[1],
        patch: nums[2],
        pre,
        build,
    })
}

pub(crate) fn parse_err(scheme: Scheme, s: &str) -> Result<SemVer<'_>, VersionError> {
    parse(s).ok_or_else(|| {
        VersionError::invalid(
            scheme,
            s,
            "not a SemVer 2.0.0 version MAJOR.MINOR.PATCH[-PRE][+BUILD]",
        )
    })
}

/// SemVer 2.0.0 comparison (build metadata ignored). A leading `v` is
/// tolerated, since advisory feeds often carry one. For [`Scheme::Semver`]
/// (OSV `SEMVER` ranges, Bitnami) leading zeros in MAJOR.MINOR.PATCH are
/// also accepted and compared numerically (`2022.04.12`): Bitnami publishes
/// date versions that way, and refusing them would drop real advisories.
/// Cargo stays strict, as the `semver` crate is.
pub(crate) fn compare_strict(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
    let pa = parse_lenient(scheme, a)?;
    let pb = parse_lenient(scheme, b)?;
    Ok(pa.cmp_precedence(&pb))
}

pub(crate) fn parse_lenient(scheme: Scheme, s: &str) -> Result<SemVer<'_>, VersionError> {
    let body = s.strip_prefix('v').unwrap_or(s);
    let parsed = match parse(body) {
        Some(v) => Some(v),
        None if scheme == Scheme::Semver => parse_inner(body, true),
        None => None,
    };
    parsed.ok_or_else(|| {
        VersionError::invalid(
            scheme,
            s,
            "not a SemVer 2.0.0 version MAJOR.MINOR.PATCH[-PRE][+BUILD]",
        )
    })
}

/// Parses a Go module version (golang.org/x/mod/semver): `vMAJOR` and
/// `vMAJOR.MINOR` are shorthands for `.0`, but may not carry a pre-release or
/// build suffix. The `v` prefix is optional here, because the Go
/// vulnerability database (OSV `SEMVER` ranges) writes versions without it
/// while module versions in binaries carry it; `1.2.3` and `v1.2.3` are the
/// same version.
pub(crate) fn parse_go(s: &str) -> Option<SemVer<'_>> {
    let body = s.strip_prefix('v').unwrap_or(s);
    let mut nums = ["0"; 3];
    let mut rest = body;
    let mut count = 0;
    while count < 3 {
        let n = rest.bytes().take_while(|c| c.is_ascii_digit()).count();
        let num = &rest[..n];
        if !is_number(num) {
            return None;
        }
        nums[count] = num;
        count += 1;
        rest = &rest[n..];
        if count < 3 {
            match rest.strip_prefix('.') {
                Some(r) => rest = r,
                None => break,
            }
        }
    }
    if count < 3 {
        // Shorthand: nothing may follow.
        if !rest.is_empty() {
            return None;
        }
        return Some(SemVer {
            major: nums[0],
            minor: nums[1],
            patch: nums[2],
            pre: "",
            build: "",
        });
    }
    let (pre, build) = split_pre_build(rest)?;
    Some(SemVer {
        major: nums[0],
        minor: nums[1],
        patch: nums[2],
        pre,
        build,
    })
}

/// Go module version comparison; `+incompatible` and other build metadata
/// are ignored, pseudo-versions order as the pre-releases they are.
pub(crate) fn compare_go(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let err = |s| {
        VersionError::invalid(
            Scheme::Go,
            s,
            "not a Go semantic version [v]MAJOR[.MINOR[.PATCH[-PRE][+BUILD]]]",
        )
    };
    let pa = parse_go(a).ok_or_else(|| err(a))?;
    let pb = parse_go(b).ok_or_else(|| err(b))?;
    Ok(pa.cmp_precedence(&pb))
}

/// [`parse_go`] with the error [`compare_go`] gives.
pub(crate) fn parse_go_err(s: &str) -> Result<SemVer<'_>, VersionError> {
    parse_go(s).ok_or_else(|| {
        VersionError::invalid(
            Scheme::Go,
            s,
            "not a Go semantic version [v]MAJOR[.MINOR[.PATCH[-PRE][+BUILD]]]",
        )
    })
}
