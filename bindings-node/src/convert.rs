//! Conversions between JS values and the facade's types. The only module that knows both
//! type systems. Reports cross as JSON text (serialised off the main thread, then
//! `JSON.parse`d), so JS sees exactly the JSON report.

use std::collections::HashMap;

use napi::bindgen_prelude::*;
use napi::{Env, JsString};
use napi_derive::napi;
use serde_json::Value;

use crate::error;

/// Options of a `Scanner`.
#[napi(object)]
#[derive(Default)]
pub struct ScannerOptions {
    /// Vulnerability database file; `false` skips vulnerability matching; the embedded
    /// database by default.
    pub db: Option<Either<String, bool>>,
    /// Layer cache directory (default `$XDG_CACHE_HOME/strata` or `~/.cache/strata`).
    pub cache_dir: Option<String>,
    /// Do not read or write the layer cache.
    pub no_cache: Option<bool>,
    /// Scanner groups to run (`os`, `lang`, `vuln`, `secret`, `malware`, `config`,
    /// `compliance`); all by default.
    pub scanners: Option<Vec<String>>,
    /// Caps over the defaults, by name: `{ max_entries: 10000 }` (the names of the JSON
    /// limits: `max_file_bytes`, `max_layer_bytes`, `max_entries`, `max_path_depth`, ...).
    pub limits: Option<HashMap<String, f64>>,
    /// Threads for layer analysis (0 = one per CPU).
    pub threads: Option<u32>,
    /// A secret rule configuration file (YAML or TOML).
    pub secret_config: Option<String>,
}

/// Builds the facade's options.
pub(crate) fn scanner_options(env: &Env, o: ScannerOptions) -> Result<(strata::ScannerOptions, Option<Vec<String>>)> {
    let cache = if o.no_cache.unwrap_or(false) {
        None
    } else {
        o.cache_dir
            .map(std::path::PathBuf::from)
            .or_else(strata::CacheConfig::default_dir)
            .map(|dir| strata::CacheConfig { dir, max_bytes: 2 << 30 })
    };
    let db = match o.db {
        None | Some(Either::B(true)) => strata::DbSource::Embedded,
        Some(Either::B(false)) => strata::DbSource::None,
        Some(Either::A(path)) => strata::DbSource::File(path.into()),
    };
    let scanners = scanners(env, o.scanners)?;
    let opts = strata::ScannerOptions {
        db,
        cache,
        limits: limits(env, o.limits)?,
        threads: o.threads.unwrap_or(0) as usize,
        secret_config: o.secret_config.map(Into::into),
    };
    Ok((opts, scanners))
}

/// Applies named limits over the defaults; unknown names and non-integers are errors.
fn limits(env: &Env, given: Option<HashMap<String, f64>>) -> Result<strata::Limits> {
    let defaults = strata::Limits::default();
    let Some(given) = given else {
        return Ok(defaults);
    };
    let mut base = serde_json::to_value(&defaults).map_err(|e| error::config(env, e.to_string()))?;
    let known = base.as_object_mut().ok_or_else(|| error::config(env, "limits do not serialise to a map"))?;
    for (name, v) in given {
        if !known.contains_key(&name) {
            let mut names: Vec<&str> = known.keys().map(String::as_str).collect();
            names.sort_unstable();
            return Err(error::config(env, format!("unknown limit {name:?} (expected one of {})", names.join(", "))));
        }
        if !(v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_991.0) {
            return Err(error::config(env, format!("limit {name:?} must be a non-negative integer")));
        }
        known.insert(name, Value::from(v as u64));
    }
    serde_json::from_value(base).map_err(|e| error::config(env, format!("invalid limits: {e}")))
}

/// Scanner group names, checked against [`strata::SCANNERS`].
fn scanners(env: &Env, s: Option<Vec<String>>) -> Result<Option<Vec<String>>> {
    if let Some(list) = &s {
        if let Some(bad) = list.iter().find(|x| !strata::SCANNERS.contains(&x.as_str())) {
            return Err(error::config(
                env,
                format!("unknown scanner {bad:?} (expected one of {})", strata::SCANNERS.join(", ")),
            ));
        }
    }
    Ok(s)
}

/// A platform option (`os/arch[/variant]`).
pub(crate) fn platform(env: &Env, s: Option<String>) -> Result<Option<strata::Platform>> {
    match s {
        None => Ok(None),
        Some(s) => strata::Platform::parse(&s)
            .map(Some)
            .ok_or_else(|| error::config(env, format!("invalid platform {s:?} (expected os/arch[/variant])"))),
    }
}

/// `JSON.parse(text)`.
pub(crate) fn parse_json<'env>(env: &'env Env, text: &str) -> Result<Unknown<'env>> {
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let parse: Function<JsString, Unknown> = json.get_named_property("parse")?;
    parse.apply(json, env.create_string(text)?)
}

/// `JSON.stringify(value)`.
pub(crate) fn stringify(env: &Env, value: Unknown<'_>) -> Result<String> {
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let stringify: Function<Unknown, Unknown> = json.get_named_property("stringify")?;
    let text = stringify.apply(json, value)?;
    text.coerce_to_string()?.into_utf8()?.into_owned()
}
