//! PHP Composer: `composer.lock` (`packages` and `packages-dev`), `vendor/composer/installed.json`
//! (v1: an array; v2: `{"packages": [...]}`) and the `require`/`require-dev` names of a
//! `composer.json`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Record;
use crate::error::{Error, Result};

fn record(p: &Value, dev: bool) -> Option<Record> {
    let name = p.get("name")?.as_str()?;
    let version = p.get("version")?.as_str()?;
    if name.is_empty() || version.is_empty() {
        return None;
    }
    let mut r = Record::new(name, version);
    r.dev = dev;
    r.licenses = match p.get("license") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    };
    Some(r)
}

/// Parses a `composer.lock`: runtime packages, then dev packages (flagged).
pub fn parse_lock(data: &[u8]) -> Result<Vec<Record>> {
    let v: Value = serde_json::from_slice(data)?;
    if !v.is_object() {
        return Err(Error::malformed("composer.lock", "not an object"));
    }
    let mut out = Vec::new();
    for (key, dev) in [("packages", false), ("packages-dev", true)] {
        if let Some(Value::Array(a)) = v.get(key) {
            out.extend(a.iter().filter_map(|p| record(p, dev)));
        }
    }
    Ok(out)
}

/// Parses `vendor/composer/installed.json` (v1 array or v2 object).
pub fn parse_installed(data: &[u8]) -> Result<Vec<Record>> {
    let v: Value = serde_json::from_slice(data)?;
    let (list, dev_names): (&Vec<Value>, BTreeSet<&str>) = match &v {
        Value::Array(a) => (a, BTreeSet::new()),
        Value::Object(o) => match o.get("packages") {
            Some(Value::Array(a)) => (
                a,
                o.get("dev-package-names")
                    .and_then(Value::as_array)
                    .map(|d| d.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default(),
            ),
            _ => return Err(Error::Missing("packages")),
        },
        _ => return Err(Error::malformed("installed.json", "not an array or object")),
    };
    Ok(list
        .iter()
        .filter_map(|p| record(p, false))
        .map(|mut r| {
            r.dev = dev_names.contains(r.name.as_str());
            r
        })
        .collect())
}

/// The names `composer.json` requires directly (`require` and `require-dev`).
pub fn parse_manifest(data: &[u8]) -> Result<BTreeSet<String>> {
    let v: Value = serde_json::from_slice(data)?;
    let mut out = BTreeSet::new();
    for key in ["require", "require-dev"] {
        if let Some(Value::Object(m)) = v.get(key) {
            out.extend(m.keys().cloned());
        }
    }
    Ok(out)
}
