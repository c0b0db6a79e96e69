//! OSV range evaluation (`affected[].ranges[].events`), following the
//! `IncludedInRanges`/`BeforeLimits` pseudocode of the OSV schema's
//! "Evaluation" section, for one range of type `ECOSYSTEM` or `SEMVER`.

use std::cmp::Ordering;

use crate::{Scheme, VersionError, check_len};

/// The kind of an OSV range event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// `introduced`: affected from this version on (inclusive); `"0"` means
    /// from the very first version.
    Introduced,
    /// `fixed`: not affected from this version on (exclusive bound).
    Fixed,
    /// `last_affected`: affected up to and including this version.
    LastAffected,
    /// `limit`: the range is only evaluated below this version (`"*"` means
    /// no limit).
    Limit,
}

/// Evaluates one OSV range (its events, in any order) for `version`.
///
/// Events are sorted by version (ties broken in the order introduced,
/// fixed, last_affected, limit), then walked as the OSV schema's pseudocode
/// does: `introduced` at or below the version sets "affected", a `fixed` at
/// or below it clears it, a `last_affected` strictly below it clears it.
/// Ranges with several introduced/fixed pairs (as Bitnami publishes) are
/// handled by the same walk. If the range has `limit` events, the version
/// must be below at least one of them.
///
/// Every event version (except `introduced: "0"` and `limit: "*"`) and the
/// queried version must be valid for `scheme`; otherwise an error is
/// returned rather than a guess.
///
/// ```
/// use strata_version::{affected_by_events, EventKind::*, Scheme};
/// // Two intervals in one range: [1.0.0, 1.0.2) and [3.0.0, 3.2.5).
/// let ev = [(Introduced, "1.0.0"), (Fixed, "1.0.2"), (Introduced, "3.0.0"), (Fixed, "3.2.5")];
/// assert!(affected_by_events(Scheme::Semver, "3.1.0", &ev).unwrap());
/// assert!(!affected_by_events(Scheme::Semver, "2.0.0", &ev).unwrap());
/// ```
pub fn affected_by_events(
    scheme: Scheme,
    version: &str,
    events: &[(EventKind, &str)],
) -> Result<bool, VersionError> {
    check_len(scheme, version)?;
    crate::validate(scheme, version)?;
    for (kind, v) in events {
        if is_zero_introduced(*kind, v) || is_star_limit(*kind, v) {
            continue;
        }
        crate::validate(scheme, v)?;
    }

    // BeforeLimits.
    let mut has_limit = false;
    let mut before_limit = false;
    for (kind, v) in events {
        if *kind != EventKind::Limit {
            continue;
        }
        has_limit = true;
        if is_star_limit(*kind, v) || crate::compare(scheme, version, v)? == Ordering::Less {
            before_limit = true;
        }
    }
    if has_limit && !before_limit {
        return Ok(false);
    }

    // Sort events by version; "introduced: 0" sorts first.
    let mut sorted: Vec<(EventKind, &str)> = events
        .iter()
        .filter(|(k, _)| *k != EventKind::Limit)
        .map(|(k, v)| (*k, *v))
        .collect();
    let mut err = None;
    sorted.sort_by(|(ka, va), (kb, vb)| {
        let za = is_zero_introduced(*ka, va);
        let zb = is_zero_introduced(*kb, vb);
        let o = match (za, zb) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => crate::compare(scheme, va, vb).unwrap_or_else(|e| {
                err.get_or_insert(e);
                Ordering::Equal
            }),
        };
        o.then(ka.cmp(kb))
    });
    if let Some(e) = err {
        return Err(e);
    }

    let mut affected = false;
    for (kind, v) in sorted {
        match kind {
            EventKind::Introduced => {
                if is_zero_introduced(kind, v)
                    || crate::compare(scheme, version, v)? != Ordering::Less
                {
                    affected = true;
                }
            }
            EventKind::Fixed => {
                if crate::compare(scheme, version, v)? != Ordering::Less {
                    affected = false;
                }
            }
            EventKind::LastAffected => {
                if crate::compare(scheme, version, v)? == Ordering::Greater {
                    affected = false;
                }
            }
            EventKind::Limit => {}
        }
    }
    Ok(affected)
}

fn is_zero_introduced(kind: EventKind, v: &str) -> bool {
    kind == EventKind::Introduced && v == "0"
}

fn is_star_limit(kind: EventKind, v: &str) -> bool {
    kind == EventKind::Limit && v == "*"
}
