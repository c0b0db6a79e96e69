#![no_main]
//! Fuzzes constraint parsing and matching: the first byte picks the scheme,
//! the rest is split at the first NUL into a constraint and a version.

use libfuzzer_sys::fuzz_target;
use strata_version::{Constraint, EventKind, Scheme, affected_by_events};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let scheme = Scheme::ALL[first as usize % Scheme::ALL.len()];
    let text = String::from_utf8_lossy(rest);
    let (spec, version) = text.split_once('\0').unwrap_or((&*text, "1.0.0"));
    if let Ok(c) = Constraint::parse(scheme, spec) {
        let _ = c.matches(version);
    }
    if let Ok(c) = Constraint::parse_comparators(scheme, spec) {
        let _ = c.matches(version);
    }
    let events: Vec<(EventKind, &str)> = spec
        .split(',')
        .enumerate()
        .map(|(i, v)| {
            let kind = match (first as usize + i) % 4 {
                0 => EventKind::Introduced,
                1 => EventKind::Fixed,
                2 => EventKind::LastAffected,
                _ => EventKind::Limit,
            };
            (kind, v)
        })
        .take(16)
        .collect();
    let _ = affected_by_events(scheme, version, &events);
});
