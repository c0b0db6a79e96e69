//! `yarn.lock`, classic (v1) and berry (v2+): entries are unindented lines listing the
//! requested patterns (`"name@range", name@npm:range:`), followed by indented fields, of
//! which only `version` matters. Packages resolved through `workspace:`, `link:`,
//! `portal:`, `file:`, `patch:` or `exec:` protocols are local and skipped.

use std::collections::BTreeSet;

use super::Record;
use crate::error::{Error, Result};

const LOCAL: &[&str] = &["workspace:", "link:", "portal:", "file:", "patch:", "exec:"];

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('"')
}

/// Splits `name@range` (or `@scope/name@npm:range`) into name and range.
fn split_pattern(p: &str) -> Option<(&str, &str)> {
    let p = unquote(p);
    let at = p.get(1..)?.find('@')? + 1;
    Some((&p[..at], &p[at + 1..]))
}

/// Parses a `yarn.lock`. Fails only when nothing in it looks like a lock entry.
pub fn parse(data: &[u8]) -> Result<Vec<Record>> {
    let text = String::from_utf8_lossy(data);
    let mut out: BTreeSet<(String, String)> = BTreeSet::new();
    let mut cur: Option<(String, bool)> = None; // (name, local)
    let mut entries = 0usize;
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            cur = None;
            let Some(head) = line.trim_end().strip_suffix(':') else {
                continue;
            };
            if head == "__metadata" {
                continue;
            }
            let first = head.split(',').next().unwrap_or("");
            let Some((name, range)) = split_pattern(first) else {
                continue;
            };
            entries += 1;
            let local = LOCAL
                .iter()
                .any(|p| range.starts_with(p) || range.contains(&format!("@{p}")));
            cur = Some((name.to_owned(), local));
            continue;
        }
        let Some((name, local)) = &cur else { continue };
        let field = line.trim();
        let value = if let Some(v) = field.strip_prefix("version ") {
            Some(v)
        } else {
            field.strip_prefix("version:")
        };
        if let Some(v) = value {
            // Only the entry's own field (two-space indent), not a dependency named "version".
            let indent = line.len() - line.trim_start().len();
            if indent == 2 && !*local {
                let v = unquote(v);
                if !v.is_empty() && !v.starts_with("0.0.0-use.local") {
                    out.insert((name.clone(), v.to_owned()));
                }
            }
        }
        if field.starts_with("resolution:")
            && LOCAL.iter().any(|p| field.contains(&format!("@{p}")))
        {
            out.retain(|(n, _)| n != name);
            cur = None;
        }
    }
    if entries == 0
        && !text.trim().is_empty()
        && !text.contains("yarn lockfile")
        && !text.contains("__metadata")
    {
        return Err(Error::malformed("yarn.lock", "no lock entries"));
    }
    Ok(out.into_iter().map(|(n, v)| Record::new(n, v)).collect())
}
