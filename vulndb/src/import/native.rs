//! Native (non-OSV) language feeds: rubysec YAML, FriendsOfPHP composer YAML and the
//! nodejs-security-wg legacy npm advisory JSON, plus the CISA KEV catalogue.
//!
//! These feeds state affected versions as constraints in the ecosystem's own syntax; they
//! are stored in [`Affected::constraints`] / [`Affected::unaffected`] and evaluated with
//! `strata_version::Constraint` at match time.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use strata_core::Cvss;

use super::{Parsed, push_unique};
use crate::model::{Advisory, Affected, AffectedStatus};

/// A YAML scalar or list of scalars.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
struct RubysecRecord {
    #[serde(default)]
    gem: Option<String>,
    #[serde(default)]
    engine: Option<String>,
    #[serde(default)]
    cve: Option<String>,
    #[serde(default)]
    ghsa: Option<String>,
    #[serde(default)]
    osvdb: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    cvss_v2: Option<String>,
    #[serde(default)]
    cvss_v3: Option<String>,
    #[serde(default)]
    cvss_v4: Option<String>,
    #[serde(default)]
    patched_versions: Option<OneOrMany>,
    #[serde(default)]
    unaffected_versions: Option<OneOrMany>,
    #[serde(default)]
    related: Option<Value>,
}

/// Parses a rubysec gem advisory (`gems/<gem>/*.yml`). Interpreter advisories
/// (`rubies/`, with `engine:`) are counted as skipped.
pub(crate) fn parse_rubysec(data: &[u8], stem: &str, out: &mut Parsed) -> Result<(), String> {
    let rec: RubysecRecord = serde_norway::from_slice(data).map_err(|e| e.to_string())?;
    let Some(gem) = rec.gem.filter(|g| !g.is_empty()) else {
        if rec.engine.is_some() {
            out.skipped += 1;
            return Ok(());
        }
        return Err("rubysec record without gem".into());
    };
    let cve = rec.cve.filter(|c| !c.is_empty()).map(|c| prefixed("CVE-", &c));
    let ghsa = rec.ghsa.filter(|c| !c.is_empty()).map(|c| prefixed("GHSA-", &c));
    let osvdb = rec.osvdb.filter(|c| !c.is_empty()).map(|c| prefixed("OSVDB-", &c));
    let id = cve.clone().or(ghsa.clone()).or(osvdb.clone()).unwrap_or_else(|| stem.to_owned());
    let mut adv = Advisory {
        id,
        source: "rubysec".into(),
        title: rec.title.unwrap_or_default(),
        description: rec.description.unwrap_or_default(),
        published: rec.date,
        ..Default::default()
    };
    for a in [cve, ghsa, osvdb].into_iter().flatten() {
        if a != adv.id {
            push_unique(&mut adv.aliases, a);
        }
    }
    if let Some(u) = rec.url {
        adv.references.push(u);
    }
    // `related` maps kinds (`url`, `cve`, `ghsa`, ...) to strings or lists of strings.
    if let Some(Value::Object(map)) = rec.related {
        for (kind, v) in map {
            let items: Vec<String> = match v {
                Value::String(s) => vec![s],
                Value::Array(a) => a.into_iter().filter_map(|x| x.as_str().map(str::to_owned)).collect(),
                _ => Vec::new(),
            };
            for it in items {
                match kind.as_str() {
                    "url" => push_unique(&mut adv.references, it),
                    "cve" => push_unique(&mut adv.aliases, prefixed("CVE-", &it)),
                    "ghsa" => push_unique(&mut adv.aliases, prefixed("GHSA-", &it)),
                    _ => {}
                }
            }
        }
    }
    for (v, src) in [(rec.cvss_v4, "rubysec-v4"), (rec.cvss_v3, "rubysec-v3"), (rec.cvss_v2, "rubysec-v2")] {
        if let Some(score) = v.and_then(|s| s.trim().parse::<f64>().ok()) {
            adv.cvss.push(Cvss { source: src.into(), vector: String::new(), score: Some(score) });
        }
    }
    let patched = rec.patched_versions.map(OneOrMany::into_vec).unwrap_or_default();
    let unaffected = rec.unaffected_versions.map(OneOrMany::into_vec).unwrap_or_default();
    let fixed_hint = (!patched.is_empty()).then(|| patched.join(", "));
    adv.affected.push(Affected {
        namespace: "rubygems".into(),
        package: gem,
        status: if patched.is_empty() { AffectedStatus::Affected } else { AffectedStatus::Fixed },
        unaffected: patched.into_iter().chain(unaffected).collect(),
        fixed_hint,
        ..Default::default()
    });
    out.advisories.push(adv);
    Ok(())
}

fn prefixed(prefix: &str, s: &str) -> String {
    let s = s.trim();
    if s.to_ascii_uppercase().starts_with(prefix) { s.to_owned() } else { format!("{prefix}{s}") }
}

#[derive(Deserialize)]
struct ComposerBranch {
    #[serde(default)]
    versions: Option<OneOrMany>,
}

#[derive(Deserialize)]
struct ComposerRecord {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    link: Option<String>,
    #[serde(default)]
    cve: Option<String>,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    branches: BTreeMap<String, ComposerBranch>,
}

/// Parses a FriendsOfPHP security advisory (`<vendor>/<package>/*.yaml`).
pub(crate) fn parse_composer(data: &[u8], stem: &str, out: &mut Parsed) -> Result<(), String> {
    let rec: ComposerRecord = serde_norway::from_slice(data).map_err(|e| e.to_string())?;
    let package = rec
        .reference
        .strip_prefix("composer://")
        .ok_or_else(|| format!("unsupported reference {:?}", rec.reference))?
        .to_owned();
    let cve = rec.cve.map(|c| c.trim().to_owned()).filter(|c| c.starts_with("CVE-"));
    let id = cve.unwrap_or_else(|| format!("FriendsOfPHP:{package}:{stem}"));
    let mut constraints = Vec::new();
    let mut fixed = Vec::new();
    for (_, b) in rec.branches {
        let parts = b.versions.map(OneOrMany::into_vec).unwrap_or_default();
        if parts.is_empty() {
            continue;
        }
        for p in &parts {
            if let Some(v) = p.trim().strip_prefix('<').filter(|v| !v.starts_with('=')) {
                fixed.push(v.trim().to_owned());
            }
        }
        constraints.push(parts.join(","));
    }
    if constraints.is_empty() {
        return Err(format!("{id}: no branch versions"));
    }
    let mut adv = Advisory {
        id,
        source: "friendsofphp".into(),
        title: rec.title.unwrap_or_default(),
        ..Default::default()
    };
    adv.references.extend(rec.link);
    adv.affected.push(Affected {
        namespace: "packagist".into(),
        package,
        status: if fixed.is_empty() { AffectedStatus::Affected } else { AffectedStatus::Fixed },
        constraints,
        fixed_hint: (!fixed.is_empty()).then(|| fixed.join(", ")),
        ..Default::default()
    });
    out.advisories.push(adv);
    Ok(())
}

/// Whether a JSON value is a nodejs-security-wg npm advisory.
pub(crate) fn looks_like_nodejs_npm(v: &Value) -> bool {
    v.get("module_name").is_some_and(Value::is_string) && v.get("vulnerable_versions").is_some()
}

/// Parses a nodejs-security-wg legacy npm advisory (`vuln/npm/<n>.json`).
pub(crate) fn parse_nodejs_npm(v: &Value, out: &mut Parsed) -> Result<(), String> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let num = match v.get("id") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => return Err("npm advisory without id".into()),
    };
    let module = s("module_name").unwrap_or_default();
    let vulnerable = s("vulnerable_versions").unwrap_or_default();
    if module.is_empty() || vulnerable.trim().is_empty() {
        return Err(format!("NSWG-ECO-{num}: no module or vulnerable_versions"));
    }
    let patched = s("patched_versions").filter(|p| !p.trim().is_empty() && p.trim() != "<0.0.0");
    let mut adv = Advisory {
        id: format!("NSWG-ECO-{num}"),
        source: "nodejs-security-wg".into(),
        title: s("title").unwrap_or_default(),
        description: s("overview").unwrap_or_default(),
        published: s("publish_date").or(s("created_at")),
        modified: s("updated_at"),
        ..Default::default()
    };
    for c in v.get("cves").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        push_unique(&mut adv.aliases, c.to_owned());
    }
    for r in v.get("references").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        push_unique(&mut adv.references, r.to_owned());
    }
    if let Some(vec) = s("cvss_vector").filter(|x| !x.is_empty()) {
        let score = crate::cvss::base_score(&vec).or_else(|| v.get("cvss_score").and_then(Value::as_f64));
        adv.cvss.push(Cvss { source: "nodejs-security-wg".into(), vector: vec, score });
    }
    adv.affected.push(Affected {
        namespace: "npm".into(),
        package: module,
        status: if patched.is_some() { AffectedStatus::Fixed } else { AffectedStatus::Affected },
        constraints: vec![vulnerable],
        fixed_hint: patched,
        ..Default::default()
    });
    out.advisories.push(adv);
    Ok(())
}

/// Whether a JSON value is the CISA KEV catalogue.
pub(crate) fn looks_like_kev(v: &Value) -> bool {
    v.get("vulnerabilities").is_some_and(Value::is_array) && v.get("catalogVersion").is_some()
}

/// Reads the CVE ids of the CISA KEV catalogue.
pub(crate) fn parse_kev(v: &Value, out: &mut Parsed) {
    out.kev_version = v.get("catalogVersion").and_then(Value::as_str).map(str::to_owned);
    for e in v.get("vulnerabilities").and_then(Value::as_array).into_iter().flatten() {
        if let Some(id) = e.get("cveID").and_then(Value::as_str) {
            out.kev.push(id.to_owned());
        }
    }
}

