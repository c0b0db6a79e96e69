//! .NET `*.deps.json`: `libraries` entries of type `package` (`"Name/1.2.3": {"type": "package"}`).

use serde_json::Value;

use super::Record;
use crate::error::{Error, Result};

/// Parses a `.deps.json`.
pub fn parse(data: &[u8]) -> Result<Vec<Record>> {
    let v: Value = serde_json::from_slice(data)?;
    let Some(libs) = v.get("libraries").and_then(Value::as_object) else {
        return Err(Error::Missing("libraries"));
    };
    let mut out = Vec::new();
    for (key, lib) in libs {
        if !lib
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case("package"))
        {
            continue;
        }
        let Some((name, version)) = key.split_once('/') else {
            continue;
        };
        if name.is_empty() || version.is_empty() {
            continue;
        }
        out.push(Record::new(name, version));
    }
    Ok(out)
}
