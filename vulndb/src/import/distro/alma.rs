//! AlmaLinux errata JSON (the errata.almalinux.org export: one object per file in the
//! vuln-list layout, or an array).
//!
//! One [`Advisory`] per CVE of a security erratum (alias: the ALSA id). Modular packages
//! are named `module:stream::name` (the convention the rpm matcher uses for packages whose
//! header carries a modularity label), so `golang` of `go-toolset:rhel8` is
//! `go-toolset:rhel8::golang`. Non-security errata (ALBA, ALEA) are skipped.

use serde::Deserialize;
use strata_core::Severity;

use super::{Error, Parsed, fixed_affected, is_cve, known, push_unique};
use crate::model::{Advisory, NameKind};

#[derive(Deserialize, Default)]
struct Erratum {
    #[serde(default)]
    updateinfo_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    severity: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    issued_date: Option<serde_json::Value>,
    #[serde(default)]
    references: Vec<Reference>,
    #[serde(default)]
    pkglist: PkgList,
}

#[derive(Deserialize, Default)]
struct Reference {
    #[serde(default)]
    href: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    id: String,
}

#[derive(Deserialize, Default)]
struct PkgList {
    #[serde(default)]
    name: String,
    #[serde(default)]
    packages: Vec<Package>,
    #[serde(default)]
    module: Option<Module>,
}

#[derive(Deserialize, Default)]
struct Package {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    release: String,
    #[serde(default)]
    epoch: Option<serde_json::Value>,
    #[serde(default)]
    arch: String,
}

#[derive(Deserialize, Default)]
struct Module {
    #[serde(default)]
    name: String,
    #[serde(default)]
    stream: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Doc {
    Many(Vec<Erratum>),
    One(Box<Erratum>),
}

/// Parses one file (object or array).
pub(crate) fn parse(bytes: &[u8], name_hint: &str) -> Result<Parsed, Error> {
    let doc: Doc = serde_json::from_slice(bytes).map_err(Error::Json)?;
    let errata = match doc {
        Doc::Many(v) => v,
        Doc::One(e) => vec![*e],
    };
    let mut out = Parsed::default();
    for e in errata {
        if e.kind != "security" {
            continue;
        }
        let Some(major) = major_release(&e, name_hint) else {
            out.warnings.push(format!(
                "{}: cannot tell the AlmaLinux release",
                e.updateinfo_id
            ));
            continue;
        };
        let ns = format!("almalinux:{major}");
        let mut affected = Vec::new();
        for p in &e.pkglist.packages {
            if p.arch == "src" || p.name.is_empty() || p.version.is_empty() {
                continue;
            }
            let name = match &e.pkglist.module {
                Some(m) if !m.name.is_empty() => format!("{}:{}::{}", m.name, m.stream, p.name),
                _ => p.name.clone(),
            };
            let epoch = match &p.epoch {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            let evr = if epoch.is_empty() || epoch == "0" {
                format!("{}-{}", p.version, p.release)
            } else {
                format!("{epoch}:{}-{}", p.version, p.release)
            };
            if affected
                .iter()
                .any(|a: &crate::model::Affected| a.package == name)
            {
                continue;
            }
            affected.push(fixed_affected(ns.clone(), name, NameKind::Binary, &evr));
        }
        let mut cves = Vec::new();
        let mut refs = Vec::new();
        for r in &e.references {
            if r.kind == "cve" && is_cve(&r.id) {
                push_unique(&mut cves, &r.id);
            }
            push_unique(&mut refs, &r.href);
        }
        let published = e.issued_date.as_ref().and_then(date_of);
        let ids = if cves.is_empty() {
            vec![e.updateinfo_id.clone()]
        } else {
            cves
        };
        for id in ids {
            let aliases = if id == e.updateinfo_id {
                Vec::new()
            } else {
                vec![e.updateinfo_id.clone()]
            };
            out.advisories.push(Advisory {
                id,
                aliases,
                source: "almalinux-errata".into(),
                title: e.title.clone(),
                description: e.description.clone(),
                severity: known(Severity::parse_lenient(&e.severity)),
                references: refs.clone(),
                published: published.clone(),
                affected: affected.clone(),
                ..Advisory::default()
            });
        }
    }
    Ok(out)
}

fn major_release(e: &Erratum, name_hint: &str) -> Option<String> {
    // "almalinux-8-for-x86_64-appstream-rpms__8_1_go-toolset"
    if let Some(rest) = e.pkglist.name.strip_prefix("almalinux-") {
        let m: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if !m.is_empty() {
            return Some(m);
        }
    }
    // ".../alma/8/2021/ALSA-2021-3076.json"
    let parts: Vec<&str> = name_hint.split('/').collect();
    if let Some(i) = parts.iter().position(|p| *p == "alma" || *p == "almalinux") {
        if let Some(m) = parts
            .get(i + 1)
            .filter(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_digit()))
        {
            return Some(m.to_string());
        }
    }
    // release "10.el8_4.1" -> 8
    for p in &e.pkglist.packages {
        if let Some(i) = p.release.find("el") {
            let m: String = p.release[i + 2..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if !m.is_empty() {
                return Some(m);
            }
        }
    }
    None
}

/// `{"$date": 1628596858000}` -> `2021-08-10`.
fn date_of(v: &serde_json::Value) -> Option<String> {
    let ms = v.get("$date").and_then(|d| {
        d.as_i64()
            .or_else(|| d.get("$numberLong")?.as_str()?.parse().ok())
    })?;
    let days = ms.div_euclid(86_400_000);
    Some(civil_from_days(days))
}

/// Days since 1970-01-01 -> `YYYY-MM-DD` (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}
