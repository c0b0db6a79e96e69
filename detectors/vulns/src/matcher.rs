//! Whether one affected statement covers one installed version.

use std::cmp::Ordering;

use strata_version::{Constraint, EventKind, Parsed, Scheme, VersionError, affected_by_events, affected_by_events_parsed};
use strata_vulndb::{Affected, AffectedRef, RangeKind, Statements};

fn range_scheme(scheme: Scheme, kind: RangeKind) -> Scheme {
    // SEMVER ranges use the namespace's own scheme where it is a SemVer dialect (Go wants
    // its `v` handling, Cargo and npm their pre-release rules).
    match (kind, scheme) {
        (RangeKind::Semver, Scheme::Go | Scheme::Cargo | Scheme::Npm | Scheme::Semver) => scheme,
        (RangeKind::Semver, _) => Scheme::Semver,
        (RangeKind::Ecosystem, s) => s,
    }
}

/// Parses a constraint in the scheme's native syntax, or else as the scheme-neutral
/// comparator list (`>= 2.0.0, < 2.9.10.3`) that GHSA-derived feeds use for every ecosystem.
fn constraint(scheme: Scheme, s: &str) -> Result<Constraint, VersionError> {
    Constraint::parse(scheme, s).or_else(|e| Constraint::parse_comparators(scheme, s).map_err(|_| e))
}

/// Constraints already parsed, by scheme and text: feeds repeat the same constraints
/// across packages (Packagist's branch constraints: ~1,300 distinct strings in ~5,400
/// statement checks of the worst-case benchmark set), and parsing one costs thousands of
/// instructions. One cache per worker; it grows with the distinct constraints seen.
#[derive(Default)]
pub(crate) struct ConstraintCache {
    by_scheme: Vec<(Scheme, ParsedConstraints)>,
}

/// One scheme's constraints by text, with the result of parsing each.
type ParsedConstraints = foldhash::HashMap<Box<str>, Result<Constraint, VersionError>>;

impl ConstraintCache {
    fn get(&mut self, scheme: Scheme, s: &str) -> Result<&Constraint, VersionError> {
        let i = match self.by_scheme.iter().position(|(k, _)| *k == scheme) {
            Some(i) => i,
            None => {
                self.by_scheme.push((scheme, Default::default()));
                self.by_scheme.len() - 1
            }
        };
        let map = &mut self.by_scheme[i].1;
        // The key is allocated on a miss only.
        let parsed = if map.contains_key(s) {
            &map[s]
        } else {
            &*map.entry(Box::from(s)).or_insert_with(|| constraint(scheme, s))
        };
        parsed.as_ref().map_err(Clone::clone)
    }
}

/// Whether `version` (valid in `scheme`) is affected by `aff`: it is listed in
/// `versions`, inside any range, or satisfies any constraint, and satisfies none of the
/// `unaffected` constraints. A statement with no ranges, versions or constraints covers
/// every version (vendor statements such as "affected, no fix", "will not fix").
///
/// An error means the statement itself holds something the scheme cannot parse.
pub fn affects(aff: &Affected, scheme: Scheme, version: &str) -> Result<bool, VersionError> {
    let view = Statements::of_affected([(0, aff)]);
    view.iter().next().map_or(Ok(false), |a| affects_ref(&a, scheme, version))
}

/// [`affects`] on a statement borrowed from the database ([`AffectedRef`]).
pub fn affects_ref(aff: &AffectedRef<'_>, scheme: Scheme, version: &str) -> Result<bool, VersionError> {
    affects_with(aff, scheme, version, scheme.parse(version).ok().as_ref())
}

/// [`affects_ref`] with the installed version already parsed in `scheme` (`None` when
/// it does not parse): evaluating many statements for one package parses it once.
pub fn affects_with(
    aff: &AffectedRef<'_>,
    scheme: Scheme,
    version: &str,
    parsed: Option<&Parsed<'_>>,
) -> Result<bool, VersionError> {
    affects_cached(aff, scheme, version, parsed, &mut ConstraintCache::default())
}

/// [`affects_with`], reusing the constraints `cache` holds.
pub(crate) fn affects_cached(
    aff: &AffectedRef<'_>,
    scheme: Scheme,
    version: &str,
    parsed: Option<&Parsed<'_>>,
    cache: &mut ConstraintCache,
) -> Result<bool, VersionError> {
    let (versions, constraints) = (aff.versions(), aff.constraints());
    let mut hit = aff.ranges().len() == 0 && versions.is_empty() && constraints.is_empty();
    let mut first_err = None;
    // Ranges before the explicit versions: OSV records list every version of their
    // ranges (hundreds for Maven artifacts), and one range check settles most cases.
    if !hit {
        for (kind, events) in aff.ranges() {
            let rs = range_scheme(scheme, kind);
            let r = match parsed {
                Some(p) if rs == scheme => affected_by_events_parsed(p, events),
                _ => affected_by_events(rs, version, events),
            };
            match r {
                Ok(true) => {
                    hit = true;
                    break;
                }
                Ok(false) => {}
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
    }
    if !hit && !versions.is_empty() {
        hit = versions.contains(&version)
            || parsed.is_some_and(|p| {
                versions
                    .iter()
                    .any(|v| may_equal(scheme, version, v) && p.compare_str(v).is_ok_and(|o| o == Ordering::Equal))
            });
    }
    let matches = |c: &Constraint| match parsed {
        Some(p) => c.matches_parsed(p),
        None => c.matches(version),
    };
    if !hit {
        for c in constraints {
            match cache.get(scheme, c).and_then(matches) {
                Ok(true) => {
                    hit = true;
                    break;
                }
                Ok(false) => {}
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
    }
    if !hit {
        return match first_err {
            Some(e) => Err(e),
            None => Ok(false),
        };
    }
    for u in aff.unaffected() {
        match cache.get(scheme, u).and_then(matches) {
            Ok(true) => return Ok(false),
            Ok(false) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// False when `a` and `b` cannot be equal in `scheme`, decided without parsing them:
/// two Maven versions that both begin with a number are equal only when those first
/// numbers are (`ComparableVersion` trims zeros at the ends of lists, never the first
/// item). Maven records list every affected version (hundreds), and a full parse of each
/// is what the check otherwise costs. True whenever unsure.
fn may_equal(scheme: Scheme, a: &str, b: &str) -> bool {
    if scheme != Scheme::Maven {
        return true;
    }
    fn lead(s: &str) -> Option<&str> {
        let digits = &s[..s.bytes().position(|c| !c.is_ascii_digit()).unwrap_or(s.len())];
        (!digits.is_empty()).then(|| digits.trim_start_matches('0'))
    }
    match (lead(a), lead(b)) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// The fixed version to report: the lowest `fixed` event above the installed version
/// (Bitnami and GHSA records hold several introduced/fixed pairs), or the first one.
pub fn best_fixed_version(aff: &Affected, scheme: Scheme, version: &str) -> Option<String> {
    let view = Statements::of_affected([(0, aff)]);
    view.iter().next().and_then(|a| best_fixed_version_ref(&a, scheme, version).map(str::to_owned))
}

/// [`best_fixed_version`] on a statement borrowed from the database.
pub fn best_fixed_version_ref<'e>(aff: &AffectedRef<'e>, scheme: Scheme, version: &str) -> Option<&'e str> {
    best_fixed_version_with(aff, scheme, version, scheme.parse(version).ok().as_ref())
}

/// [`best_fixed_version_ref`] with the installed version already parsed in `scheme`
/// (`None` when it does not parse).
pub fn best_fixed_version_with<'e>(
    aff: &AffectedRef<'e>,
    scheme: Scheme,
    version: &str,
    parsed: Option<&Parsed<'_>>,
) -> Option<&'e str> {
    let mut best: Option<&'e str> = None;
    for (kind, events) in aff.ranges() {
        let s = range_scheme(scheme, kind);
        for &(k, f) in events {
            if k != EventKind::Fixed {
                continue;
            }
            // compare(s, f, version) == Greater, with the installed version parsed once.
            let above = match parsed {
                Some(p) if s == scheme => p.compare_str(f).ok() == Some(Ordering::Less),
                _ => strata_version::compare(s, f, version).ok() == Some(Ordering::Greater),
            };
            if !above {
                continue;
            }
            best = match best {
                Some(b) if strata_version::compare(s, f, b).ok() != Some(Ordering::Less) => Some(b),
                _ => Some(f),
            };
        }
    }
    best.or_else(|| aff.fixed_version())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maven_may_equal_never_rules_out_an_equal_pair() {
        let path = std::path::Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("../../version/testdata/db-corpus/maven-versions.txt");
        let text = std::fs::read_to_string(path).expect("Maven versions from the database");
        let mut all: Vec<&str> = text.lines().step_by(4).collect();
        // Spellings that compare equal to others in ComparableVersion.
        all.extend(["1", "1.0", "1.0.0", "01", "1-0", "1.ga", "1-final", "0", "00.1", "0.1", "1.0-RELEASE", "2.0.0.0"]);
        let mut ruled_out = 0;
        for a in &all {
            let pa = Scheme::Maven.parse(a).expect("valid Maven version");
            for b in &all {
                if !may_equal(Scheme::Maven, a, b) {
                    ruled_out += 1;
                    assert_ne!(pa.compare_str(b).ok(), Some(Ordering::Equal), "{a} = {b}");
                }
            }
        }
        assert!(ruled_out > all.len() * all.len() / 2, "{ruled_out}");
        assert!(may_equal(Scheme::Maven, "01.2", "1.2") && may_equal(Scheme::Maven, "v1", "2"));
        assert!(may_equal(Scheme::Pep440, "0!1.0", "1.0"));
    }

    #[test]
    fn cached_constraints_are_the_freshly_parsed_ones() {
        let mut cache = ConstraintCache::default();
        let cases = [
            (Scheme::Composer, ">=1.0,<1.2|>=2.0,<2.1"),
            (Scheme::Npm, ">=1.0.0 <1.2.3"),
            // Not Composer syntax, but the comparator list every GHSA feed uses.
            (Scheme::Composer, ">= 2.0.0, < 2.9.10.3"),
            (Scheme::Composer, "not a constraint >>>"),
            // The same text under another scheme is parsed by that scheme's rules.
            (Scheme::Pep440, ">=1.0,<1.2"),
            (Scheme::Composer, ">=1.0,<1.2"),
        ];
        for _ in 0..2 {
            for (scheme, s) in cases {
                let fresh = constraint(scheme, s);
                assert_eq!(cache.get(scheme, s).cloned(), fresh, "{scheme:?} {s}");
            }
        }
        assert!(cache.get(Scheme::Composer, "not a constraint >>>").is_err());
        assert_eq!(cache.by_scheme.len(), 3);
    }
}
