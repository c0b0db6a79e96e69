//! Debian security tracker text lists: `data/DSA/list`, `data/DLA/list`, `data/DTSA/list`.
//!
//! ```text
//! [29 Mar 2023] DSA-5380-1 xorg-server - security update
//!     {CVE-2023-1393}
//!     [bullseye] - xorg-server 2:1.20.11-1+deb11u6
//!     [lenny] - vlc <not-affected> (Vulnerable code not present)
//! ```
//!
//! One [`Advisory`] per CVE (aliases: every DSA/DLA naming it), or per DSA without CVEs.
//! The lists run newest first, so the first fixed version seen for a release and package is
//! the latest fix and wins.

use std::collections::HashMap;

use strata_core::Severity;

use super::{Parsed, debian_codename_version, fixed_affected, push_unique, status_affected};
use crate::model::{Advisory, AffectedStatus, NameKind};

/// One release line: (release, package, fixed version or status, severity).
type ReleaseLine = (
    String,
    String,
    Result<String, AffectedStatus>,
    Option<Severity>,
);

struct Entry {
    id: String,
    date: Option<String>,
    title: String,
    cves: Vec<String>,
    lines: Vec<ReleaseLine>,
}

/// Parses a whole list file.
pub(crate) fn parse(bytes: &[u8], name_hint: &str) -> Parsed {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Parsed::default();
    let mut entries: Vec<Entry> = Vec::new();
    for (no, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with('[') {
            match parse_header(line) {
                Some(e) => entries.push(e),
                None => out
                    .warnings
                    .push(format!("{name_hint}:{}: unrecognised header line", no + 1)),
            }
            continue;
        }
        let Some(cur) = entries.last_mut() else {
            out.warnings.push(format!(
                "{name_hint}:{}: line before the first header",
                no + 1
            ));
            continue;
        };
        let body = line.trim();
        if let Some(inner) = body.strip_prefix('{') {
            let inner = inner.trim_end_matches('}');
            for tok in inner.split_whitespace() {
                push_unique(&mut cur.cves, tok);
            }
        } else if body.starts_with('[') {
            match parse_release_line(body) {
                Some(l) => cur.lines.push(l),
                None => out
                    .warnings
                    .push(format!("{name_hint}:{}: unrecognised release line", no + 1)),
            }
        }
        // NOTE: lines and anything else carry no package data.
    }

    let mut index: HashMap<String, usize> = HashMap::new();
    for e in entries {
        let source = if e.id.starts_with("DLA-") {
            "debian-dla"
        } else if e.id.starts_with("DTSA-") {
            "debian-dtsa"
        } else {
            "debian-dsa"
        };
        let ids: Vec<String> = if e.cves.is_empty() {
            vec![e.id.clone()]
        } else {
            e.cves.clone()
        };
        for vid in ids {
            let slot = *index.entry(vid.clone()).or_insert_with(|| {
                out.advisories.push(Advisory {
                    id: vid.clone(),
                    source: source.to_string(),
                    title: e.title.clone(),
                    ..Advisory::default()
                });
                out.advisories.len() - 1
            });
            let adv = &mut out.advisories[slot];
            if vid != e.id {
                push_unique(&mut adv.aliases, &e.id);
            }
            if let Some(d) = &e.date {
                if adv.published.as_ref().is_none_or(|p| d < p) {
                    adv.published = Some(d.clone());
                }
            }
            for (release, pkg, what, sev) in &e.lines {
                let Some(ver) = debian_codename_version(release) else {
                    out.warnings
                        .push(format!("{}: unknown release {release:?}", e.id));
                    continue;
                };
                let ns = format!("debian:{ver}");
                if adv
                    .affected
                    .iter()
                    .any(|a| a.namespace == ns && a.package == *pkg)
                {
                    continue; // newer entry already gave this release's answer
                }
                let mut a = match what {
                    Ok(v) => fixed_affected(ns, pkg.clone(), NameKind::Source, v),
                    Err(st) => status_affected(ns, pkg.clone(), NameKind::Source, *st),
                };
                a.severity = *sev;
                adv.affected.push(a);
            }
        }
    }
    out
}

/// True for a list header line (`[29 Mar 2023] DSA-5380-1 ...`).
pub(crate) fn is_header(line: &str) -> bool {
    parse_header(line).is_some()
}

fn parse_header(line: &str) -> Option<Entry> {
    let close = line.find(']')?;
    let date = parse_date(&line[1..close]);
    let rest = line[close + 1..].trim();
    let (id, title) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if !(id.starts_with("DSA-") || id.starts_with("DLA-") || id.starts_with("DTSA-")) {
        return None;
    }
    Some(Entry {
        id: id.to_string(),
        date,
        title: title.trim().to_string(),
        cves: Vec::new(),
        lines: Vec::new(),
    })
}

/// `[bullseye] - pkg 1.2-3 (high)` or `[lenny] - pkg <not-affected> (reason)`.
fn parse_release_line(body: &str) -> Option<ReleaseLine> {
    let close = body.find(']')?;
    let release = body[1..close].trim().to_string();
    let rest = body[close + 1..].trim().strip_prefix('-')?.trim();
    let mut it = rest.split_whitespace();
    let pkg = it.next()?.to_string();
    let what = it.next()?;
    let tail: Vec<&str> = it.collect();
    let tail = tail.join(" ");
    let what = if let Some(tag) = what.strip_prefix('<') {
        let tag = tag.trim_end_matches('>');
        Err(match tag {
            "not-affected" => AffectedStatus::NotAffected,
            "end-of-life" => AffectedStatus::EndOfLife,
            "ignored" => AffectedStatus::WillNotFix,
            "postponed" => AffectedStatus::FixDeferred,
            // unfixed, no-dsa, undetermined: affected with no fix named
            _ => AffectedStatus::Affected,
        })
    } else {
        Ok(what.to_string())
    };
    let sev = tail
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .map(Severity::parse_lenient)
        .filter(|s| *s != Severity::Unknown);
    Some((release, pkg, what, sev))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `29 Mar 2023` or `August 26th, 2005` -> `2023-03-29`.
fn parse_date(s: &str) -> Option<String> {
    let mut day = None;
    let mut month = None;
    let mut year = None;
    for tok in s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        let lower = tok.to_ascii_lowercase();
        if let Some(m) = MONTHS.iter().position(|m| lower.starts_with(m)) {
            month = Some(m + 1);
            continue;
        }
        let digits: String = tok.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            continue;
        }
        let n: u32 = digits.parse().ok()?;
        if digits.len() == 4 {
            year = Some(n);
        } else if (1..=31).contains(&n) {
            day = Some(n);
        }
    }
    Some(format!("{:04}-{:02}-{:02}", year?, month?, day?))
}
