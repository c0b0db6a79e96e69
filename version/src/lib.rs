//! Version comparison for every package ecosystem Strata matches.
//!
//! This crate is the one place where Strata decides whether `1.2.3-r1` is
//! older than `1.2.4`. Each [`Scheme`] follows its ecosystem's reference tool
//! (dpkg, rpmvercmp, apk-tools, Maven `ComparableVersion`, pypa/packaging,
//! node-semver, golang.org/x/mod/semver, RubyGems, composer/semver, NuGet),
//! and the reference tools' own test vectors live in `testdata/` and run in
//! the integration tests.
//!
//! ```
//! use std::cmp::Ordering;
//! use strata_version::{compare, Constraint, Scheme, EventKind, affected_by_events};
//!
//! let scheme = Scheme::for_namespace("debian:12").unwrap();
//! assert_eq!(compare(scheme, "1.0~rc1-1", "1.0-1").unwrap(), Ordering::Less);
//!
//! let c = Constraint::parse(Scheme::Npm, "^1.2.3 || >=3.0.0").unwrap();
//! assert!(c.matches("1.9.0").unwrap());
//!
//! let events = [(EventKind::Introduced, "0"), (EventKind::Fixed, "2.4.1")];
//! assert!(affected_by_events(Scheme::Pep440, "2.4.0", &events).unwrap());
//! ```
//!
//! # Design
//!
//! One function, [`compare`], dispatches on a small `Copy` enum to a
//! hand-written comparator per ecosystem. Comparators work on borrowed string
//! slices and do not allocate for dpkg, rpm, apk, PEP 440, SemVer, npm, Go,
//! Cargo and NuGet (they run millions of times while matching advisories);
//! Maven, RubyGems and Composer build a small normalised form first, as their
//! reference implementations do. No third-party version crate is used: each
//! comparator is a few hundred lines, fuzzed, and checked against the
//! reference tool's own vectors, which keeps the dependency tree at
//! `thiserror` alone and lets every scheme reject garbage the same way (an
//! error naming the scheme and the input, never a panic and never a silent
//! "vulnerable"). Inputs longer than [`MAX_VERSION_LEN`] bytes are refused
//! before any parsing, which bounds the work done on hostile input.
//! Constraint syntaxes ([`Constraint`]) are parsed once into an owned form
//! and evaluated with the same comparators; OSV range events are evaluated
//! by [`affected_by_events`] following the OSV schema's pseudocode.

#![deny(missing_docs)]

mod apk;
mod composer;
mod constraint;
mod dpkg;
mod error;
mod maven;
mod npm;
mod nuget;
mod num;
mod osv;
mod parsed;
mod pep440;
mod rpm;
mod rubygems;
mod scheme;
mod semver;
mod small;
#[cfg(test)]
mod oracle;

use std::cmp::Ordering;

pub use constraint::Constraint;
pub use error::VersionError;
pub use osv::{EventKind, affected_by_events, affected_by_events_parsed};
pub use parsed::Parsed;
pub use scheme::Scheme;

/// Longest version (or constraint) string accepted, in bytes.
///
/// Real versions are far shorter (the longest in the Debian archive is under
/// 100 bytes); anything longer is rejected with [`VersionError::TooLong`].
pub const MAX_VERSION_LEN: usize = 256;

/// Compares two versions of the same ecosystem.
///
/// Returns the ordering of `a` relative to `b` as the ecosystem's reference
/// tool would, or an error if either string is not a valid version of that
/// scheme (or longer than [`MAX_VERSION_LEN`]).
///
/// ```
/// use std::cmp::Ordering;
/// use strata_version::{compare, Scheme};
/// assert_eq!(compare(Scheme::Rpm, "1.0^git1", "1.0").unwrap(), Ordering::Greater);
/// assert_eq!(compare(Scheme::Apk, "1.2.3_rc1-r0", "1.2.3-r0").unwrap(), Ordering::Less);
/// assert!(compare(Scheme::Semver, "1.2", "1.2.0").is_err());
/// ```
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
    check_len(scheme, a)?;
    check_len(scheme, b)?;
    match scheme {
        Scheme::Dpkg => dpkg::compare(a, b),
        Scheme::Rpm => rpm::compare(a, b),
        Scheme::Apk => apk::compare(a, b),
        Scheme::Maven => maven::compare(a, b),
        Scheme::Pep440 => pep440::compare(a, b),
        Scheme::Semver => semver::compare_strict(Scheme::Semver, a, b),
        Scheme::Cargo => semver::compare_strict(Scheme::Cargo, a, b),
        Scheme::Npm => npm::compare(a, b),
        Scheme::Go => semver::compare_go(a, b),
        Scheme::RubyGems => rubygems::compare(a, b),
        Scheme::Composer => composer::compare(a, b),
        Scheme::NuGet => nuget::compare(a, b),
    }
}

/// Returns the canonical form of a version where the ecosystem defines one:
/// PEP 440 (`1.0-ALPHA1` -> `1.0a1`, as pypa/packaging prints it) and
/// Composer (`1.2-b3` -> `1.2.0.0-beta3`, composer/semver's
/// `VersionParser::normalize`). Other schemes return the validated input
/// with surrounding whitespace removed.
///
/// ```
/// use strata_version::{normalize, Scheme};
/// assert_eq!(normalize(Scheme::Pep440, "1.0.post000").unwrap(), "1.0.post0");
/// assert_eq!(normalize(Scheme::Composer, "v1.0.0").unwrap(), "1.0.0.0");
/// ```
pub fn normalize(scheme: Scheme, v: &str) -> Result<String, VersionError> {
    check_len(scheme, v)?;
    match scheme {
        Scheme::Pep440 => pep440::normalize(v),
        Scheme::Composer => composer::normalize(v),
        _ => {
            validate(scheme, v)?;
            Ok(v.trim().to_owned())
        }
    }
}

/// Checks that `v` is a valid version of `scheme`.
///
/// ```
/// use strata_version::{validate, Scheme};
/// assert!(validate(Scheme::Go, "v1.2.3+incompatible").is_ok());
/// assert!(validate(Scheme::Go, "v1.2-pre").is_err());
/// ```
pub fn validate(scheme: Scheme, v: &str) -> Result<(), VersionError> {
    // `compare(scheme, v, v)` (its error is the first parse's), parsing once where
    // the comparator is "parse both, then compare".
    check_len(scheme, v)?;
    match scheme {
        Scheme::Dpkg => dpkg::parse(v).map(drop),
        Scheme::Rpm => rpm::parse(v).map(drop),
        Scheme::Maven => maven::parse(v).map(drop),
        Scheme::Pep440 => pep440::parse(v).map(drop),
        Scheme::Semver | Scheme::Cargo => semver::parse_lenient(scheme, v).map(drop),
        Scheme::Go => semver::parse_go_err(v).map(drop),
        Scheme::Composer => composer::normalize_into(v, &mut composer::Norm::new()),
        Scheme::Apk | Scheme::Npm | Scheme::RubyGems | Scheme::NuGet => compare(scheme, v, v).map(drop),
    }
}

pub(crate) fn check_len(scheme: Scheme, s: &str) -> Result<(), VersionError> {
    if s.len() > MAX_VERSION_LEN {
        return Err(VersionError::TooLong {
            scheme,
            len: s.len(),
            max: MAX_VERSION_LEN,
        });
    }
    Ok(())
}
