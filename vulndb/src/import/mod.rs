//! Importers: real advisory feeds into the [`crate::model`]. Each file's format is
//! detected by content ([`detect`]), so a directory tree or an archive of mixed feeds can be
//! imported in one go ([`parse_file`]).
//!
//! Supported here: OSV JSON and YAML (all ecosystems), rubysec YAML, FriendsOfPHP composer
//! YAML, nodejs-security-wg npm JSON and the CISA KEV catalogue (enrichment). Distro feeds
//! live in the `distro` submodule when present.

pub mod distro;
pub mod native;
pub mod osv;

use serde_json::Value;

use crate::model::Advisory;

pub use osv::namespace_for_ecosystem;

/// What one file yielded.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Advisories.
    pub advisories: Vec<Advisory>,
    /// CVE ids known to be exploited (CISA KEV).
    pub kev: Vec<String>,
    /// KEV catalogue version, when a KEV file was read.
    pub kev_version: Option<String>,
    /// Non-fatal problems (records skipped).
    pub warnings: Vec<String>,
    /// OSV GIT ranges skipped (nothing to compare package versions with).
    pub git_ranges_skipped: usize,
    /// Records of a known format deliberately not imported (rubysec interpreter advisories).
    pub skipped: usize,
}

/// A detected file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// OSV JSON record.
    OsvJson,
    /// OSV YAML record (pypa/advisory-database).
    OsvYaml,
    /// rubysec advisory YAML.
    Rubysec,
    /// FriendsOfPHP security advisory YAML.
    Composer,
    /// nodejs-security-wg npm advisory JSON.
    NodejsNpm,
    /// CISA KEV catalogue JSON.
    Kev,
    /// Not a format handled by this module.
    Unknown,
}

pub(crate) fn push_unique(list: &mut Vec<String>, s: String) {
    if !list.contains(&s) {
        list.push(s);
    }
}

fn first_non_ws(data: &[u8]) -> Option<u8> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    data.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// Whether a top-level YAML key `key:` starts a line.
fn has_top_key(text: &str, key: &str) -> bool {
    text.lines().any(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
}

/// Detects the format of a file by its content (the name is not used).
pub fn detect(data: &[u8]) -> Format {
    match first_non_ws(data) {
        None => Format::Unknown,
        Some(b'{') => match serde_json::from_slice::<Value>(data) {
            Ok(v) => detect_json(&v),
            Err(_) => Format::Unknown,
        },
        Some(_) => {
            let Ok(text) = std::str::from_utf8(&data[..data.len().min(64 * 1024)]) else {
                return detect_yaml_prefix(data);
            };
            detect_yaml(text)
        }
    }
}

fn detect_yaml_prefix(data: &[u8]) -> Format {
    // A 64 KiB cut may split a UTF-8 sequence: retry on the valid prefix.
    let cut = &data[..data.len().min(64 * 1024)];
    match std::str::from_utf8(cut) {
        Ok(t) => detect_yaml(t),
        Err(e) if e.valid_up_to() > cut.len().saturating_sub(4) => {
            detect_yaml(std::str::from_utf8(&cut[..e.valid_up_to()]).unwrap_or(""))
        }
        Err(_) => Format::Unknown,
    }
}

fn detect_json(v: &Value) -> Format {
    if native::looks_like_kev(v) {
        Format::Kev
    } else if native::looks_like_nodejs_npm(v) {
        Format::NodejsNpm
    } else if osv::looks_like_osv(v) {
        Format::OsvJson
    } else {
        Format::Unknown
    }
}

fn detect_yaml(text: &str) -> Format {
    if (has_top_key(text, "gem") || has_top_key(text, "engine"))
        && (has_top_key(text, "patched_versions") || has_top_key(text, "url") || has_top_key(text, "title"))
    {
        Format::Rubysec
    } else if has_top_key(text, "reference") && text.contains("composer://") && has_top_key(text, "branches") {
        Format::Composer
    } else if has_top_key(text, "id") && (has_top_key(text, "affected") || has_top_key(text, "modified")) {
        Format::OsvYaml
    } else {
        Format::Unknown
    }
}

/// Parses one file of a known format. `stem` is the file name without extension, used as
/// a fallback record id by feeds whose records carry none. Returns `Ok(None)` when the
/// format is not recognised here.
pub fn parse_file(stem: &str, data: &[u8]) -> Result<Option<(Format, Parsed)>, String> {
    let mut out = Parsed::default();
    let fmt = match first_non_ws(data) {
        Some(b'{') => {
            // Fast path: most JSON files are OSV records; parse them once, straight into
            // the record type, when the head says so.
            let head = &data[..data.len().min(4096)];
            let has = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
            if has(b"\"id\"") && (has(b"\"affected\"") || has(b"\"schema_version\"")) && !has(b"\"updateinfo_id\"")
                && !has(b"\"module_name\"") && !has(b"\"catalogVersion\"")
            {
                if osv::parse_json(data, &mut out).is_ok() {
                    return Ok(Some((Format::OsvJson, out)));
                }
                out = Parsed::default();
            }
            let v: Value = match serde_json::from_slice(data) {
                Ok(v) => v,
                Err(_) => return Ok(None),
            };
            let fmt = detect_json(&v);
            match fmt {
                Format::Kev => native::parse_kev(&v, &mut out),
                Format::NodejsNpm => native::parse_nodejs_npm(&v, &mut out)?,
                Format::OsvJson => osv::parse_value(v, &mut out)?,
                _ => return Ok(None),
            }
            fmt
        }
        _ => {
            let fmt = detect(data);
            match fmt {
                Format::Rubysec => native::parse_rubysec(data, stem, &mut out)?,
                Format::Composer => native::parse_composer(data, stem, &mut out)?,
                Format::OsvYaml => osv::parse_yaml(data, &mut out)?,
                _ => return Ok(None),
            }
            fmt
        }
    };
    Ok(Some((fmt, out)))
}
