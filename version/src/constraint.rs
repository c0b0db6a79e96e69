//! Version constraints in each ecosystem's own syntax.

use std::cmp::Ordering;

use crate::maven::{self, Bare, Restriction};
use crate::semver::{self, SemVer, cmp_pre};
use crate::{Parsed, Scheme, VersionError, check_len, composer, npm, pep440, rubygems};

/// A parsed version constraint (range), evaluated with its scheme's ordering.
///
/// [`Constraint::parse`] reads the ecosystem's native syntax:
///
/// | scheme | syntax | example |
/// |---|---|---|
/// | [`Scheme::Npm`] | node-semver ranges | `^1.2.3 \|\| 2.x`, `1.0.0 - 2.0.0` |
/// | [`Scheme::Cargo`] | Cargo requirements | `^1.2`, `~1`, `*`, `>=1, <2` |
/// | [`Scheme::RubyGems`] | `Gem::Requirement` list | `~> 2.2.1, >= 2.2.1.1` |
/// | [`Scheme::Composer`] | composer/semver | `>=2.5.0,<2.5.9`, `^1.2 \|\| ~2.0` |
/// | [`Scheme::Pep440`] | PEP 440 specifier set | `>=1.0,!=1.3.*,<2`, `~=2.2` |
/// | [`Scheme::Maven`] | Maven version ranges | `[1.0,2.0)`, `(,1.0],[1.2,)` |
/// | [`Scheme::NuGet`] | NuGet version ranges | `[1.0,2.0)`, `1.0` (= `>= 1.0`) |
/// | others | comparator lists (see [`Constraint::parse_comparators`]) | `>= 1.0, < 1.2.3` |
///
/// Pre-release handling follows each tool's default: npm and Cargo exclude
/// pre-releases unless a comparator of the same `major.minor.patch` has one
/// (node-semver's `includePrerelease` and loose mode are not offered);
/// PEP 440 specifiers admit pre-releases (packaging's `prereleases=True`,
/// so an installed `2.0rc1` is checked against `<2.0` like any version);
/// RubyGems, Composer, Maven and NuGet ranges have no pre-release filter.
/// A bare Maven version (`1.0`, a "soft" requirement in Maven) is read as
/// exactly that version; a bare NuGet version means `>= 1.0` as in NuGet.
///
/// ```
/// use strata_version::{Constraint, Scheme};
/// let c = Constraint::parse(Scheme::Pep440, ">=1.0,!=1.3.*,<2").unwrap();
/// assert!(c.matches("1.4").unwrap());
/// assert!(!c.matches("1.3.2").unwrap());
/// let c = Constraint::parse(Scheme::Maven, "(,1.0],[1.2,)").unwrap();
/// assert!(!c.matches("1.1").unwrap());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    scheme: Scheme,
    inner: Inner,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Inner {
    Comparators(Vec<Vec<(Op, String)>>),
    Npm(npm::Range),
    Cargo(Vec<CargoComparator>),
    Ruby(Vec<rubygems::Requirement>),
    Composer(composer::Constraints),
    Pep440(Vec<pep440::Spec>),
    Intervals(Vec<Restriction>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Op {
    /// Whether `version <op> bound` holds, given `compare(version, bound)`.
    fn holds(self, o: Ordering) -> bool {
        match self {
            Op::Lt => o == Ordering::Less,
            Op::Le => o != Ordering::Greater,
            Op::Gt => o == Ordering::Greater,
            Op::Ge => o != Ordering::Less,
            Op::Eq => o == Ordering::Equal,
            Op::Ne => o != Ordering::Equal,
        }
    }
}

impl Constraint {
    /// Parses `input` in the native constraint syntax of `scheme` (see the
    /// table above). Inputs over [`crate::MAX_VERSION_LEN`] bytes are refused.
    pub fn parse(scheme: Scheme, input: &str) -> Result<Self, VersionError> {
        check_len(scheme, input)?;
        let inner = match scheme {
            Scheme::Npm => Inner::Npm(npm::parse_range(input)?),
            Scheme::Cargo => Inner::Cargo(parse_cargo(input)?),
            Scheme::RubyGems => Inner::Ruby(rubygems::parse_requirements(input)?),
            Scheme::Composer => Inner::Composer(composer::parse_constraints(input)?),
            Scheme::Pep440 => Inner::Pep440(pep440::parse_specifiers(input)?),
            Scheme::Maven => Inner::Intervals(maven::parse_ranges(scheme, input, Bare::Exact)?),
            Scheme::NuGet => Inner::Intervals(maven::parse_ranges(scheme, input, Bare::AtLeast)?),
            _ => return Self::parse_comparators(scheme, input),
        };
        Ok(Constraint { scheme, inner })
    }

    /// Parses a scheme-neutral comparator list, the form advisory feeds such
    /// as GHSA and OSV-derived databases use for every ecosystem:
    /// comparators `<`, `<=`, `>`, `>=`, `=`, `==`, `!=` (also Debian's `<<`
    /// and `>>`; no operator means `=`), joined by `,` (and), with groups
    /// joined by `||` (or). Each version is validated with `scheme`.
    ///
    /// ```
    /// use strata_version::{Constraint, Scheme};
    /// let c = Constraint::parse_comparators(Scheme::Dpkg, ">= 1:2.0, << 1:2.3-1").unwrap();
    /// assert!(c.matches("1:2.2-4").unwrap());
    /// assert!(!c.matches("2.9").unwrap());
    /// ```
    pub fn parse_comparators(scheme: Scheme, input: &str) -> Result<Self, VersionError> {
        check_len(scheme, input)?;
        let mut groups = Vec::new();
        for group in input.split("||") {
            let mut items = Vec::new();
            for item in group.split(',') {
                let item = item.trim();
                if item.is_empty() {
                    return Err(VersionError::constraint(scheme, input, "empty comparator"));
                }
                let ops = [
                    ("<<", Op::Lt),
                    (">>", Op::Gt),
                    ("<=", Op::Le),
                    (">=", Op::Ge),
                    ("==", Op::Eq),
                    ("!=", Op::Ne),
                    ("<", Op::Lt),
                    (">", Op::Gt),
                    ("=", Op::Eq),
                ];
                let (op, v) = ops
                    .iter()
                    .find_map(|(p, op)| item.strip_prefix(p).map(|r| (*op, r.trim())))
                    .unwrap_or((Op::Eq, item));
                if v.is_empty() {
                    return Err(VersionError::constraint(
                        scheme,
                        input,
                        "comparator without a version",
                    ));
                }
                crate::validate(scheme, v)?;
                items.push((op, v.to_owned()));
            }
            groups.push(items);
        }
        Ok(Constraint {
            scheme,
            inner: Inner::Comparators(groups),
        })
    }

    /// The scheme the constraint was parsed with.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// [`Constraint::matches`] for a version parsed once ([`Scheme::parse`]): comparator
    /// lists, Composer and PEP 440 constraints use its parsed form (no re-parse per
    /// constraint); the others, and a version of another scheme, are matched as text.
    /// Same result and errors as `matches(version.as_str())`.
    pub fn matches_parsed(&self, version: &Parsed<'_>) -> Result<bool, VersionError> {
        if version.scheme() != self.scheme {
            return self.matches(version.as_str());
        }
        match &self.inner {
            Inner::Comparators(groups) => {
                for group in groups {
                    let mut all = true;
                    for (op, bound) in group {
                        if !op.holds(version.compare_str(bound)?) {
                            all = false;
                            break;
                        }
                    }
                    if all {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Inner::Composer(c) => match version.composer_normalized() {
                Some(nv) => Ok(c.matches_normalized(nv)),
                None => self.matches(version.as_str()),
            },
            Inner::Pep440(specs) => match version.pep440() {
                Some(v) => Ok(specs.iter().all(|s| s.contains(version.as_str(), v))),
                None => self.matches(version.as_str()),
            },
            _ => self.matches(version.as_str()),
        }
    }

    /// Whether `version` satisfies the constraint. An invalid version is an
    /// error, never a match.
    pub fn matches(&self, version: &str) -> Result<bool, VersionError> {
        check_len(self.scheme, version)?;
        match &self.inner {
            Inner::Comparators(groups) => {
                crate::validate(self.scheme, version)?;
                for group in groups {
                    let mut all = true;
                    for (op, bound) in group {
                        if !op.holds(crate::compare(self.scheme, version, bound)?) {
                            all = false;
                            break;
                        }
                    }
                    if all {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Inner::Npm(r) => r.matches(version),
            Inner::Cargo(cs) => {
                let v = semver::parse_err(Scheme::Cargo, version)?;
                Ok(cargo_matches(cs, &v))
            }
            Inner::Ruby(reqs) => {
                for r in reqs {
                    if !r.satisfied_by(version)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Inner::Composer(c) => c.matches(version),
            Inner::Pep440(specs) => {
                let v = pep440::parse(version)?;
                Ok(specs.iter().all(|s| s.contains(version, &v)))
            }
            Inner::Intervals(rs) => {
                crate::validate(self.scheme, version)?;
                for r in rs {
                    if r.contains(self.scheme, version)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Cargo requirements (the `semver` crate's `VersionReq` semantics).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CargoOp {
    Exact,
    Greater,
    GreaterEq,
    Less,
    LessEq,
    Tilde,
    Caret,
    Wildcard,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct CargoComparator {
    op: CargoOp,
    major: String,
    minor: Option<String>,
    patch: Option<String>,
    pre: String,
}

const CARGO_MAX_COMPARATORS: usize = 32;

fn parse_cargo(input: &str) -> Result<Vec<CargoComparator>, VersionError> {
    let err = |reason| VersionError::constraint(Scheme::Cargo, input, reason);
    let trimmed = input.trim();
    if matches!(trimmed, "*" | "x" | "X") {
        return Ok(Vec::new());
    }
    let items: Vec<&str> = trimmed.split(',').map(str::trim).collect();
    if items.len() > CARGO_MAX_COMPARATORS {
        return Err(err("excessive number of version comparators"));
    }
    let mut out = Vec::new();
    for item in items {
        if item.is_empty() {
            return Err(err(
                "unexpected end of input while parsing major version number",
            ));
        }
        let ops = [
            (">=", CargoOp::GreaterEq),
            ("<=", CargoOp::LessEq),
            ("=", CargoOp::Exact),
            (">", CargoOp::Greater),
            ("<", CargoOp::Less),
            ("~", CargoOp::Tilde),
            ("^", CargoOp::Caret),
        ];
        let (op, rest) = ops
            .iter()
            .find_map(|(p, op)| item.strip_prefix(p).map(|r| (Some(*op), r.trim_start())))
            .unwrap_or((None, item));
        if matches!(rest, "*" | "x" | "X") {
            return Err(err(
                "wildcard req (*) must be the only comparator in the version req",
            ));
        }
        let mut parts = rest.splitn(3, '.');
        let major = parts.next().unwrap_or("");
        if major.is_empty()
            || !major.bytes().all(|c| c.is_ascii_digit())
            || (major.len() > 1 && major.starts_with('0'))
        {
            return Err(err("invalid major version number"));
        }
        let is_wild = |s: &str| matches!(s, "*" | "x" | "X");
        let num_ok = |s: &str| {
            !s.is_empty()
                && s.bytes().all(|c| c.is_ascii_digit())
                && (s.len() == 1 || !s.starts_with('0'))
        };
        let mut minor = None;
        let mut patch = None;
        let mut pre = String::new();
        let mut wildcard = false;
        if let Some(m) = parts.next() {
            if is_wild(m) {
                wildcard = true;
                if let Some(p) = parts.next() {
                    if !is_wild(p) {
                        return Err(err("unexpected character after wildcard in version req"));
                    }
                }
            } else {
                if !num_ok(m) {
                    return Err(err("invalid minor version number"));
                }
                minor = Some(m.to_owned());
                if let Some(p) = parts.next() {
                    if is_wild(p) {
                        wildcard = true;
                    } else {
                        let full = format!("0.0.{p}");
                        let v = semver::parse(&full)
                            .ok_or_else(|| err("invalid patch version or pre-release"))?;
                        patch = Some(v.patch.to_owned());
                        pre = v.pre.to_owned();
                    }
                }
            }
        }
        let op = match (op, wildcard) {
            (None, true) => CargoOp::Wildcard,
            (Some(CargoOp::Exact), true) => CargoOp::Wildcard,
            (Some(o), _) => o,
            (None, false) => CargoOp::Caret,
        };
        out.push(CargoComparator {
            op,
            major: major.to_owned(),
            minor,
            patch,
            pre,
        });
    }
    Ok(out)
}

fn cmp_num(a: &str, b: &str) -> Ordering {
    crate::num::cmp_digits(a.as_bytes(), b.as_bytes())
}

fn cargo_cmp_matches(c: &CargoComparator, v: &SemVer<'_>) -> bool {
    let exact = || {
        cmp_num(v.major, &c.major) == Ordering::Equal
            && c.minor
                .as_deref()
                .is_none_or(|m| cmp_num(v.minor, m) == Ordering::Equal)
            && c.patch
                .as_deref()
                .is_none_or(|p| cmp_num(v.patch, p) == Ordering::Equal)
            && v.pre == c.pre
    };
    let directional = |want: Ordering| -> bool {
        let o = cmp_num(v.major, &c.major);
        if o != Ordering::Equal {
            return o == want;
        }
        let Some(m) = c.minor.as_deref() else {
            return false;
        };
        let o = cmp_num(v.minor, m);
        if o != Ordering::Equal {
            return o == want;
        }
        let Some(p) = c.patch.as_deref() else {
            return false;
        };
        let o = cmp_num(v.patch, p);
        if o != Ordering::Equal {
            return o == want;
        }
        cmp_pre(v.pre, &c.pre) == want
    };
    match c.op {
        CargoOp::Exact | CargoOp::Wildcard => exact(),
        CargoOp::Greater => directional(Ordering::Greater),
        CargoOp::GreaterEq => exact() || directional(Ordering::Greater),
        CargoOp::Less => directional(Ordering::Less),
        CargoOp::LessEq => exact() || directional(Ordering::Less),
        CargoOp::Tilde => {
            if cmp_num(v.major, &c.major) != Ordering::Equal {
                return false;
            }
            if let Some(m) = c.minor.as_deref() {
                if cmp_num(v.minor, m) != Ordering::Equal {
                    return false;
                }
            }
            if let Some(p) = c.patch.as_deref() {
                let o = cmp_num(v.patch, p);
                if o != Ordering::Equal {
                    return o == Ordering::Greater;
                }
            }
            cmp_pre(v.pre, &c.pre) != Ordering::Less
        }
        CargoOp::Caret => {
            if cmp_num(v.major, &c.major) != Ordering::Equal {
                return false;
            }
            let Some(m) = c.minor.as_deref() else {
                return true;
            };
            let major_pos = c.major != "0";
            let Some(p) = c.patch.as_deref() else {
                return if major_pos {
                    cmp_num(v.minor, m) != Ordering::Less
                } else {
                    cmp_num(v.minor, m) == Ordering::Equal
                };
            };
            if major_pos {
                let o = cmp_num(v.minor, m);
                if o != Ordering::Equal {
                    return o == Ordering::Greater;
                }
                let o = cmp_num(v.patch, p);
                if o != Ordering::Equal {
                    return o == Ordering::Greater;
                }
            } else if m != "0" {
                if cmp_num(v.minor, m) != Ordering::Equal {
                    return false;
                }
                let o = cmp_num(v.patch, p);
                if o != Ordering::Equal {
                    return o == Ordering::Greater;
                }
            } else if cmp_num(v.minor, m) != Ordering::Equal
                || cmp_num(v.patch, p) != Ordering::Equal
            {
                return false;
            }
            cmp_pre(v.pre, &c.pre) != Ordering::Less
        }
    }
}

fn cargo_matches(cs: &[CargoComparator], v: &SemVer<'_>) -> bool {
    if !cs.iter().all(|c| cargo_cmp_matches(c, v)) {
        return false;
    }
    if v.pre.is_empty() {
        return true;
    }
    cs.iter().any(|c| {
        !c.pre.is_empty()
            && cmp_num(&c.major, v.major) == Ordering::Equal
            && c.minor
                .as_deref()
                .is_some_and(|m| cmp_num(m, v.minor) == Ordering::Equal)
            && c.patch
                .as_deref()
                .is_some_and(|p| cmp_num(p, v.patch) == Ordering::Equal)
    })
}
