//! Alpine secdb (`v3.x/main.yaml`, `community.yaml`, or the JSON form).
//!
//! `packages[].pkg.secfixes` maps a fixed apk version to the ids it fixes. One
//! [`Advisory`] per id; a package fixed twice for one id (a re-fix) gets one range per fixed
//! version, so "affected below any of them" means affected below the newest fix. The fixed
//! version `0` (newer secdb) marks ids that never affected the package: not affected.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Error, Parsed, push_unique};
use crate::model::{Advisory, Affected, Event, NameKind, Range, RangeKind};

#[derive(Deserialize, Default)]
struct Secdb {
    #[serde(default)]
    distroversion: Option<String>,
    #[serde(default)]
    packages: Option<Vec<PkgWrap>>,
}

#[derive(Deserialize)]
struct PkgWrap {
    pkg: Pkg,
}

#[derive(Deserialize)]
struct Pkg {
    name: String,
    #[serde(default)]
    secfixes: Option<BTreeMap<String, Option<Vec<serde_norway::Value>>>>,
}

/// Parses one secdb file; the release comes from `distroversion` or the `v3.x` folder in
/// `name_hint`.
pub(crate) fn parse(bytes: &[u8], name_hint: &str) -> Result<Parsed, Error> {
    let trimmed = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &bytes[i..])
        .unwrap_or(&[]);
    let db: Secdb = if trimmed.starts_with(b"{") {
        serde_json::from_slice(bytes).map_err(Error::Json)?
    } else if trimmed.is_empty() {
        Secdb::default()
    } else {
        serde_norway::from_slice(bytes).map_err(Error::Yaml)?
    };
    let mut out = Parsed::default();
    let release = db.distroversion.clone().or_else(|| {
        name_hint
            .split('/')
            .find(|p| p.starts_with("v3") || p.starts_with("v2") || p.starts_with("edge"))
            .map(str::to_string)
    });
    let Some(release) = release else {
        return Err(Error::Malformed(
            "alpine secdb without distroversion".into(),
        ));
    };
    let ns = format!("alpine:{}", release.trim().trim_start_matches('v'));
    let mut by_id: BTreeMap<String, Advisory> = BTreeMap::new();
    for p in db.packages.unwrap_or_default() {
        let pkg = p.pkg;
        for (fixed, items) in pkg.secfixes.unwrap_or_default() {
            let Some(items) = items else {
                out.warnings
                    .push(format!("{}: {} {fixed}: no ids", ns, pkg.name));
                continue;
            };
            for item in items {
                let text = match &item {
                    serde_norway::Value::String(s) => s.clone(),
                    serde_norway::Value::Number(n) => n.to_string(),
                    _ => String::new(),
                };
                let Some((id, aliases)) = parse_item(&text) else {
                    out.warnings.push(format!(
                        "{}: {} {fixed}: unrecognised id {text:?}",
                        ns, pkg.name
                    ));
                    continue;
                };
                let adv = by_id.entry(id.clone()).or_insert_with(|| Advisory {
                    id: id.clone(),
                    source: "alpine-secdb".into(),
                    ..Advisory::default()
                });
                for a in &aliases {
                    push_unique(&mut adv.aliases, a);
                }
                if fixed == "0" {
                    // Newer secdb: fixed version "0" lists ids that never affected the package.
                    if !adv
                        .affected
                        .iter()
                        .any(|a| a.namespace == ns && a.package == pkg.name)
                    {
                        adv.affected.push(super::status_affected(
                            ns.clone(),
                            pkg.name.clone(),
                            NameKind::Binary,
                            crate::model::AffectedStatus::NotAffected,
                        ));
                    }
                    continue;
                }
                let range = Range {
                    kind: RangeKind::Ecosystem,
                    events: vec![Event::Introduced("0".into()), Event::Fixed(fixed.clone())],
                };
                match adv
                    .affected
                    .iter_mut()
                    .find(|a| a.namespace == ns && a.package == pkg.name)
                {
                    Some(a) => a.ranges.push(range),
                    None => adv.affected.push(Affected {
                        namespace: ns.clone(),
                        package: pkg.name.clone(),
                        name_kind: NameKind::Binary,
                        ranges: vec![range],
                        ..Affected::default()
                    }),
                }
            }
        }
    }
    out.advisories = by_id.into_values().collect();
    Ok(out)
}

/// `CVE-2019-5060 TALOS-2019-0844` -> (`CVE-2019-5060`, [`TALOS-2019-0844`]);
/// repairs `CVE_2019-2426` and `CVE 2018-16859`; drops trailing comments.
fn parse_item(text: &str) -> Option<(String, Vec<String>)> {
    let mut toks: Vec<String> = Vec::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w.starts_with('(') {
            break;
        }
        if w == "CVE" && i + 1 < words.len() {
            toks.push(format!("CVE-{}", words[i + 1]));
            i += 2;
            continue;
        }
        toks.push(w.replacen("CVE_", "CVE-", 1));
        i += 1;
    }
    let looks_like_id = |t: &str| {
        let mut parts = t.splitn(2, '-');
        let head = parts.next().unwrap_or("");
        !head.is_empty()
            && head.chars().all(|c| c.is_ascii_uppercase())
            && parts.next().is_some_and(|r| !r.is_empty())
    };
    toks.retain(|t| looks_like_id(t));
    let mut it = toks.into_iter();
    let id = it.next()?;
    Some((id, it.collect()))
}
