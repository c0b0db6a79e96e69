//! Python core metadata (`METADATA`, `PKG-INFO`): RFC 822-style headers up to the first
//! blank line, read the way `net/textproto` does (continuation lines, first malformed line
//! ends the headers).

use super::Record;
use crate::error::{Error, Result};

/// Headers in order (key as written, value with continuations joined by a space).
pub fn headers(data: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(data);
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            match out.last_mut() {
                Some((_, v)) => {
                    v.push(' ');
                    v.push_str(line.trim());
                    continue;
                }
                None => break,
            }
        }
        let Some((k, v)) = line.split_once(':') else {
            break;
        };
        if k.is_empty() || k.contains([' ', '\t']) {
            break;
        }
        out.push((k.to_owned(), v.trim().to_owned()));
    }
    out
}

fn get<'a>(h: &'a [(String, String)], key: &str) -> Option<&'a str> {
    h.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// Parses core metadata into name, version and licenses. Licenses: `License-Expression`;
/// else the specific `License :: ...` classifiers (the bare `License :: OSI Approved` names
/// no license); else `License`; else `file://<License-File>`.
pub fn parse_metadata(data: &[u8]) -> Result<Record> {
    let h = headers(data);
    let name = get(&h, "Name").ok_or(Error::Missing("Name"))?;
    let version = get(&h, "Version").ok_or(Error::Missing("Version"))?;
    let mut licenses = Vec::new();
    if let Some(l) = get(&h, "License-Expression") {
        licenses.push(l.to_owned());
    } else {
        for (k, v) in &h {
            if !k.eq_ignore_ascii_case("Classifier") {
                continue;
            }
            let Some(rest) = v.strip_prefix("License :: ") else {
                continue;
            };
            let parts: Vec<&str> = rest.split(" :: ").collect();
            if parts.len() == 1 && parts[0] == "OSI Approved" {
                continue;
            }
            if let Some(last) = parts.last().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                if !licenses.iter().any(|l| l == last) {
                    licenses.push(last.to_owned());
                }
            }
        }
        if licenses.is_empty() {
            if let Some(l) = get(&h, "License") {
                licenses.push(l.to_owned());
            } else if let Some(f) = get(&h, "License-File") {
                licenses.push(format!("file://{f}"));
            }
        }
    }
    let mut r = Record::new(name, version);
    r.licenses = licenses;
    Ok(r)
}
