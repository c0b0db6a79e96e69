//! OSV range evaluation (`affected[].ranges[].events`), following the
//! `IncludedInRanges`/`BeforeLimits` pseudocode of the OSV schema's
//! "Evaluation" section, for one range of type `ECOSYSTEM` or `SEMVER`.

use std::cmp::Ordering;

use crate::{Parsed, Scheme, VersionError};

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
    affected_by_events_parsed(&scheme.parse(version)?, events)
}

/// [`affected_by_events`] for an installed version parsed once ([`Scheme::parse`]);
/// each event is parsed once too. Same result and errors.
pub fn affected_by_events_parsed(
    version: &Parsed<'_>,
    events: &[(EventKind, &str)],
) -> Result<bool, VersionError> {
    // The commonest range by far, `introduced: 0, fixed: X`: affected below X. This is
    // the walk's own outcome (and error) for it, without its scratch space.
    if let [(EventKind::Introduced, "0"), (EventKind::Fixed, fixed)] = events {
        let fixed = version.scheme().parse(fixed)?;
        return Ok(version.compare(&fixed)? == Ordering::Less);
    }
    // Up to 8 events (nearly every range) are kept on the stack.
    if events.len() <= 8 {
        let mut parsed: [(EventKind, Option<Parsed<'_>>); 8] =
            std::array::from_fn(|_| (EventKind::Introduced, None));
        let n = parse_events(version.scheme(), events, &mut parsed)?;
        walk(version, &parsed[..n], &mut [0; 8])
    } else {
        let mut parsed = vec![(EventKind::Introduced, None); events.len()];
        let n = parse_events(version.scheme(), events, &mut parsed)?;
        walk(version, &parsed[..n], &mut vec![0; n])
    }
}

/// Parses the events into `out` (at least as long), returning how many there are.
fn parse_events<'e>(
    scheme: Scheme,
    events: &[(EventKind, &'e str)],
    out: &mut [(EventKind, Option<Parsed<'e>>)],
) -> Result<usize, VersionError> {
    for ((kind, v), slot) in events.iter().zip(out.iter_mut()) {
        if is_zero_introduced(*kind, v) || is_star_limit(*kind, v) {
            *slot = (*kind, None);
            continue;
        }
        *slot = (*kind, Some(scheme.parse(v)?));
    }
    Ok(events.len())
}

/// The OSV walk over parsed events. `order` (at least as long as `parsed`) is scratch
/// space: the events are sorted by index, as a parsed version is a few hundred bytes.
fn walk(
    version: &Parsed<'_>,
    parsed: &[(EventKind, Option<Parsed<'_>>)],
    order: &mut [usize],
) -> Result<bool, VersionError> {
    // BeforeLimits.
    let mut has_limit = false;
    let mut before_limit = false;
    for (kind, v) in parsed.iter() {
        if *kind != EventKind::Limit {
            continue;
        }
        has_limit = true;
        if v.as_ref().is_none_or(|v| version.compare(v).is_ok_and(|o| o == Ordering::Less)) {
            before_limit = true;
        }
    }
    if has_limit && !before_limit {
        return Ok(false);
    }

    // Sort events by version; "introduced: 0" (no parsed form) sorts first.
    // Drop the limits, keeping the order of the rest (the sort below is stable).
    let mut kept = 0;
    for (i, (kind, _)) in parsed.iter().enumerate() {
        if *kind != EventKind::Limit {
            order[kept] = i;
            kept += 1;
        }
    }
    let sorted = &mut order[..kept];
    let mut err = None;
    sorted.sort_by(|&a, &b| {
        let ((ka, va), (kb, vb)) = (&parsed[a], &parsed[b]);
        let o = match (va, vb) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(a), Some(b)) => a.compare(b).unwrap_or_else(|e| {
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
    for &i in sorted.iter() {
        let (kind, v) = &parsed[i];
        match (*kind, v) {
            (EventKind::Introduced, None) => affected = true,
            (EventKind::Introduced, Some(v)) => {
                let o = version.compare(v)?;
                affected = affected || o != Ordering::Less;
            }
            (EventKind::Fixed, Some(v)) => {
                let o = version.compare(v)?;
                affected = affected && o == Ordering::Less;
            }
            (EventKind::LastAffected, Some(v)) => {
                let o = version.compare(v)?;
                affected = affected && o != Ordering::Greater;
            }
            _ => {}
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
