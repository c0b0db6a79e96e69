//! NuGet versions (NuGet.Versioning `NuGetVersion` with the default
//! `VersionComparer`): one to four numeric parts (missing parts are 0),
//! optional dot-separated release labels compared case-insensitively
//! (numeric labels numerically, before alphanumeric ones), build metadata
//! after `+` ignored.

use std::cmp::Ordering;

use crate::num::cmp_digits;
use crate::semver::cmp_ident;
use crate::{Scheme, VersionError};

pub(crate) struct NuGet<'a> {
    parts: [&'a str; 4],
    release: &'a str,
}

pub(crate) fn parse(input: &str) -> Result<NuGet<'_>, VersionError> {
    let err = |reason| VersionError::invalid(Scheme::NuGet, input, reason);
    let s = input.trim();
    let (main, _meta) = match s.find('+') {
        Some(i) => {
            let meta = &s[i + 1..];
            if meta.is_empty()
                || !meta.split('.').all(|id| {
                    !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                })
            {
                return Err(err("invalid build metadata"));
            }
            (&s[..i], meta)
        }
        None => (s, ""),
    };
    let (nums, release) = match main.find('-') {
        Some(i) => (&main[..i], &main[i + 1..]),
        None => (main, ""),
    };
    if main.contains('-')
        && (release.is_empty()
            || !release.split('.').all(|id| {
                !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
            }))
    {
        return Err(err("invalid release label"));
    }
    let mut parts = ["0"; 4];
    for (count, p) in nums.split('.').enumerate() {
        if count == 4 {
            return Err(err("more than four version numbers"));
        }
        if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
            return Err(err("version numbers must be decimal digits"));
        }
        // NuGet parses each part as a 32-bit signed integer.
        if cmp_digits(p.as_bytes(), b"2147483647") == Ordering::Greater {
            return Err(err("version number too large"));
        }
        parts[count] = p;
    }
    Ok(NuGet { parts, release })
}

pub(crate) fn cmp_parsed(a: &NuGet<'_>, b: &NuGet<'_>) -> Ordering {
    for k in 0..4 {
        let o = cmp_digits(a.parts[k].as_bytes(), b.parts[k].as_bytes());
        if o != Ordering::Equal {
            return o;
        }
    }
    match (a.release.is_empty(), b.release.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => {
            let mut ia = a.release.split('.');
            let mut ib = b.release.split('.');
            loop {
                match (ia.next(), ib.next()) {
                    (None, None) => return Ordering::Equal,
                    (None, Some(_)) => return Ordering::Less,
                    (Some(_), None) => return Ordering::Greater,
                    (Some(x), Some(y)) => {
                        let o = cmp_ident(x, y, true);
                        if o != Ordering::Equal {
                            return o;
                        }
                    }
                }
            }
        }
    }
}

/// Compares two NuGet versions.
pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(cmp_parsed(&parse(a)?, &parse(b)?))
}
