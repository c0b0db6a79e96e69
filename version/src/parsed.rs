//! Versions parsed once and compared many times ([`Parsed`]).
//!
//! Matching compares one installed version with every event and listed version of
//! an advisory; [`crate::compare`] re-parses both strings on each call. A [`Parsed`]
//! keeps the parsed form: Maven's item tree, PEP 440's segments, dpkg's and rpm's
//! epoch/version/release split, the SemVer dialects' (SemVer, Cargo, Go) numbers
//! and labels; the other schemes (apk, npm, RubyGems, Composer, NuGet) keep the
//! validated text and compare it with [`crate::compare`].

use std::cmp::Ordering;

use crate::{Scheme, VersionError, check_len, composer, dpkg, maven, pep440, rpm, semver};

#[derive(Debug, Clone)]
enum Form<'a> {
    Maven(maven::Version<'a>),
    Pep440(pep440::Version<'a>),
    Dpkg(dpkg::Parsed<'a>),
    Rpm(rpm::Evr<'a>),
    /// SemVer, Cargo and Go (each parsed by its own rules).
    SemVer(semver::SemVer<'a>),
    /// Composer: the normalized form, for constraints (comparisons use the text).
    Composer(String),
    Text,
}

/// A valid version of one [`Scheme`], parsed once.
///
/// Comparisons give exactly what [`crate::compare`] gives on the original strings.
///
/// ```
/// use std::cmp::Ordering;
/// use strata_version::Scheme;
/// let v = Scheme::Maven.parse("1.0-rc1").unwrap();
/// assert_eq!(v.compare_str("1.0").unwrap(), Ordering::Less);
/// assert!(Scheme::Maven.parse("1.0 beta").is_err());
/// ```
#[derive(Debug, Clone)]
pub struct Parsed<'a> {
    scheme: Scheme,
    text: &'a str,
    form: Form<'a>,
}

impl Scheme {
    /// Parses and validates `s` once, for repeated comparisons ([`Parsed`]).
    ///
    /// Fails exactly when [`crate::validate`] fails, with the same error.
    pub fn parse(self, s: &str) -> Result<Parsed<'_>, VersionError> {
        check_len(self, s)?;
        let form = match self {
            Scheme::Maven => Form::Maven(maven::parse(s)?),
            Scheme::Pep440 => Form::Pep440(pep440::parse(s)?),
            Scheme::Dpkg => Form::Dpkg(dpkg::parse(s)?),
            Scheme::Rpm => Form::Rpm(rpm::parse(s)?),
            Scheme::Semver | Scheme::Cargo => Form::SemVer(semver::parse_lenient(self, s)?),
            Scheme::Go => Form::SemVer(semver::parse_go_err(s)?),
            // `validate` fails exactly when `normalize` does, with the same error.
            Scheme::Composer => Form::Composer(composer::normalize(s)?),
            _ => {
                crate::validate(self, s)?;
                Form::Text
            }
        };
        Ok(Parsed { scheme: self, text: s, form })
    }
}

impl<'a> Parsed<'a> {
    /// The PEP 440 form, for constraints.
    pub(crate) fn pep440(&self) -> Option<&pep440::Version<'a>> {
        match &self.form {
            Form::Pep440(v) => Some(v),
            _ => None,
        }
    }

    /// The Composer normalized form, for constraints.
    pub(crate) fn composer_normalized(&self) -> Option<&str> {
        match &self.form {
            Form::Composer(n) => Some(n),
            _ => None,
        }
    }

    /// The scheme this version was parsed with.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The original text.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// `compare(scheme, self, other)`: the ordering of this version relative to
    /// `other`, or the error `other` gives in this scheme.
    pub fn compare_str(&self, other: &str) -> Result<Ordering, VersionError> {
        match &self.form {
            Form::Maven(a) => {
                check_len(self.scheme, other)?;
                Ok(maven::cmp(a, &maven::parse(other)?))
            }
            Form::Pep440(a) => {
                check_len(self.scheme, other)?;
                Ok(a.cmp_full(&pep440::parse(other)?))
            }
            Form::Dpkg(a) => {
                check_len(self.scheme, other)?;
                Ok(dpkg::compare_parsed(a, &dpkg::parse(other)?))
            }
            Form::Rpm(a) => {
                check_len(self.scheme, other)?;
                Ok(rpm::compare_parsed(a, &rpm::parse(other)?))
            }
            Form::SemVer(a) => {
                check_len(self.scheme, other)?;
                let b = if self.scheme == Scheme::Go {
                    semver::parse_go_err(other)?
                } else {
                    semver::parse_lenient(self.scheme, other)?
                };
                Ok(a.cmp_precedence(&b))
            }
            Form::Composer(_) | Form::Text => crate::compare(self.scheme, self.text, other),
        }
    }

    /// `compare(scheme, self, other)` for two parsed versions of the same scheme
    /// (a version of another scheme is compared as text in this one).
    pub fn compare(&self, other: &Parsed<'_>) -> Result<Ordering, VersionError> {
        match (&self.form, &other.form) {
            (Form::Maven(a), Form::Maven(b)) => Ok(maven::cmp(a, b)),
            (Form::Pep440(a), Form::Pep440(b)) => Ok(a.cmp_full(b)),
            (Form::Dpkg(a), Form::Dpkg(b)) => Ok(dpkg::compare_parsed(a, b)),
            (Form::Rpm(a), Form::Rpm(b)) => Ok(rpm::compare_parsed(a, b)),
            (Form::SemVer(a), Form::SemVer(b)) if self.scheme == other.scheme => Ok(a.cmp_precedence(b)),
            _ => self.compare_str(other.text),
        }
    }
}
