//! The previous OSV range walk (two Vecs per call).

use std::cmp::Ordering;

use crate::{EventKind, Parsed, VersionError};

/// [`affected_by_events`] for an installed version parsed once ([`Scheme::parse`]);
/// each event is parsed once too. Same result and errors.
pub fn affected_by_events_parsed(
    version: &Parsed<'_>,
    events: &[(EventKind, &str)],
) -> Result<bool, VersionError> {
    let scheme = version.scheme();
    let mut parsed: Vec<(EventKind, Option<Parsed<'_>>)> = Vec::with_capacity(events.len());
    for (kind, v) in events {
        if is_zero_introduced(*kind, v) || is_star_limit(*kind, v) {
            parsed.push((*kind, None));
            continue;
        }
        parsed.push((*kind, Some(scheme.parse(v)?)));
    }

    // BeforeLimits.
    let mut has_limit = false;
    let mut before_limit = false;
    for (kind, v) in &parsed {
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
    let mut sorted: Vec<(EventKind, Option<Parsed<'_>>)> =
        parsed.into_iter().filter(|(k, _)| *k != EventKind::Limit).collect();
    let mut err = None;
    sorted.sort_by(|(ka, va), (kb, vb)| {
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
    for (kind, v) in sorted {
        match (kind, v) {
            (EventKind::Introduced, None) => affected = true,
            (EventKind::Introduced, Some(v)) => {
                let o = version.compare(&v)?;
                affected = affected || o != Ordering::Less;
            }
            (EventKind::Fixed, Some(v)) => {
                let o = version.compare(&v)?;
                affected = affected && o == Ordering::Less;
            }
            (EventKind::LastAffected, Some(v)) => {
                let o = version.compare(&v)?;
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
