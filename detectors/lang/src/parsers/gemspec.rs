//! Installed gem specifications (`specifications/*.gemspec`), read as Trivy does: find the
//! block variable of `Gem::Specification.new do |s|`, then the first `s.name = ...`,
//! `s.version = ...`, `s.license = ...` / `s.licenses = [...]` assignments, values
//! stripped of quotes and `.freeze`.

use super::Record;
use crate::error::{Error, Result};

/// The first non-space run after `.{key}\s*=\s*` in `line`.
fn capture<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let pat = format!(".{key}");
    let mut from = 0;
    while let Some(i) = line.get(from..)?.find(&pat) {
        let at = from + i + pat.len();
        from = from + i + 1;
        let rest = line[at..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        if end > 0 {
            return Some(&rest[..end]);
        }
    }
    None
}

/// `.licenses\s*=\s*\[(.+)\]`: everything between the `[` and the line's last `]`
/// (found once, so a hostile line cannot make this quadratic).
fn capture_list(line: &str) -> Option<&str> {
    let last = line.rfind(']')?;
    let mut from = 0;
    while let Some(i) = line.get(from..last)?.find(".licenses") {
        let at = from + i + ".licenses".len();
        from = from + i + 1;
        let rest = line[at..last].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('[') else {
            continue;
        };
        if !rest.is_empty() {
            return Some(rest);
        }
    }
    None
}

fn trim(s: &str) -> &str {
    let s = s.trim();
    let s = s.strip_suffix(".freeze").unwrap_or(s);
    s.trim_matches(|c| c == '\'' || c == '"')
}

/// Parses a gemspec.
pub fn parse(data: &[u8]) -> Result<Record> {
    let text = String::from_utf8_lossy(data);
    let (mut var, mut name, mut version, mut license) =
        (String::new(), String::new(), String::new(), String::new());
    for line in text.lines() {
        let line = line.trim();
        if line.contains("Gem::Specification.new") {
            var = match (line.find('|'), line.rfind('|')) {
                (Some(a), Some(b)) if b > a => line[a + 1..b].to_owned(),
                _ => String::new(),
            };
        }
        if var.is_empty() {
            continue;
        }
        let Some(rest) = line.strip_prefix(var.as_str()) else {
            continue;
        };
        if rest.starts_with(".name") {
            name = capture(line, "name")
                .map(trim)
                .unwrap_or_default()
                .to_owned();
        } else if rest.starts_with(".version") {
            version = capture(line, "version")
                .map(trim)
                .unwrap_or_default()
                .to_owned();
        } else if rest.starts_with(".licenses") {
            license = capture_list(line)
                .map(|l| l.split(',').map(trim).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
        } else if rest.starts_with(".license") {
            license = capture(line, "license")
                .map(trim)
                .unwrap_or_default()
                .to_owned();
        }
        if !name.is_empty() && !version.is_empty() && !license.is_empty() {
            break;
        }
    }
    if name.is_empty() || version.is_empty() {
        return Err(Error::malformed("gemspec", "no name or version assignment"));
    }
    let mut r = Record::new(name, version);
    r.licenses = license
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(r)
}
