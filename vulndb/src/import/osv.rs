//! OSV records (JSON or YAML): every ecosystem OSV defines, ECOSYSTEM and SEMVER ranges
//! (GIT ranges are skipped and counted), explicit `versions`, `withdrawn`, `aliases` and
//! `related`, CVSS vectors (scored with [`crate::cvss`]), GHSA `database_specific.severity`
//! and `ecosystem_specific`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use strata_core::{Cvss, Severity};

use super::{Parsed, push_unique};
use crate::model::{Advisory, Affected, AffectedStatus, Event, NameKind, Range, RangeKind};

#[derive(Deserialize)]
struct OsvRecord {
    id: String,
    #[serde(default)]
    modified: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
    #[serde(default)]
    aliases: Option<Vec<String>>,
    #[serde(default)]
    related: Option<Vec<String>>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    details: Option<String>,
    #[serde(default)]
    severity: Option<Vec<OsvSeverity>>,
    #[serde(default)]
    affected: Option<Vec<OsvAffected>>,
    #[serde(default)]
    references: Option<Vec<OsvReference>>,
    #[serde(default)]
    database_specific: Option<Value>,
}

#[derive(Deserialize)]
struct OsvSeverity {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    score: String,
}

#[derive(Deserialize)]
struct OsvReference {
    #[serde(default)]
    url: String,
}

#[derive(Deserialize)]
struct OsvPackage {
    #[serde(default)]
    ecosystem: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct OsvRange {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    events: Vec<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
struct OsvAffected {
    #[serde(default)]
    package: Option<OsvPackage>,
    #[serde(default)]
    ranges: Option<Vec<OsvRange>>,
    #[serde(default)]
    versions: Option<Vec<String>>,
    #[serde(default)]
    severity: Option<Vec<OsvSeverity>>,
    #[serde(default)]
    ecosystem_specific: Option<Value>,
    #[serde(default)]
    database_specific: Option<Value>,
}

/// Whether a JSON value looks like an OSV record.
pub(crate) fn looks_like_osv(v: &Value) -> bool {
    v.get("id").is_some_and(Value::is_string)
        && v.get("updateinfo_id").is_none()
        && (v.get("affected").is_some_and(Value::is_array)
            || v.get("schema_version").is_some()
            || (v.get("modified").is_some() && (v.get("details").is_some() || v.get("summary").is_some())))
}

/// Parses one OSV record from JSON.
pub(crate) fn parse_json(data: &[u8], out: &mut Parsed) -> Result<(), String> {
    let rec: OsvRecord = serde_json::from_slice(data).map_err(|e| e.to_string())?;
    convert(rec, out);
    Ok(())
}

/// Parses one OSV record from an already parsed JSON value.
pub(crate) fn parse_value(v: Value, out: &mut Parsed) -> Result<(), String> {
    let rec: OsvRecord = serde_json::from_value(v).map_err(|e| e.to_string())?;
    convert(rec, out);
    Ok(())
}

/// Parses one OSV record from YAML (pypa/advisory-database).
pub(crate) fn parse_yaml(data: &[u8], out: &mut Parsed) -> Result<(), String> {
    let rec: OsvRecord = serde_norway::from_slice(data).map_err(|e| e.to_string())?;
    convert(rec, out);
    Ok(())
}

/// The Strata namespace of an OSV ecosystem string: `Debian:12` -> `debian:12`,
/// `Alpine:v3.18` -> `alpine:3.18`, `Ubuntu:22.04:LTS` -> `ubuntu:22.04`, `PyPI` -> `pypi`,
/// `Rocky Linux:8` -> `rocky:8`, `Go` -> `go`.
pub fn namespace_for_ecosystem(ecosystem: &str) -> String {
    let eco = ecosystem.trim();
    let (base, rest) = match eco.split_once(':') {
        Some((b, r)) => (b.trim(), Some(r.trim())),
        None => (eco, None),
    };
    let base_l = base.to_ascii_lowercase();
    let base_n = match base_l.as_str() {
        "rocky linux" => "rocky".to_owned(),
        "red hat" => "redhat".to_owned(),
        "alma linux" | "almalinux" => "almalinux".to_owned(),
        "amazon linux" => "amazon".to_owned(),
        "oracle linux" => "oracle".to_owned(),
        "photon os" => "photon".to_owned(),
        other => other.replace(' ', "-"),
    };
    let Some(rest) = rest.filter(|r| !r.is_empty()) else {
        return base_n;
    };
    let rest_n = match base_n.as_str() {
        "alpine" => rest.trim_start_matches('v').to_owned(),
        "ubuntu" => rest
            .split(':')
            .find(|p| p.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .unwrap_or(rest)
            .to_ascii_lowercase(),
        _ => rest.to_ascii_lowercase().replace(' ', "-"),
    };
    format!("{base_n}:{rest_n}")
}

/// The feed id for an OSV record, from its id prefix (or its first ecosystem).
fn source_for(id: &str, first_ns: Option<&str>) -> String {
    let prefix = id.split(['-', ':']).next().unwrap_or("");
    let s = match prefix {
        "PYSEC" => "osv-pypi",
        "GO" => "osv-go",
        "RUSTSEC" => "osv-rustsec",
        "GHSA" => "osv-ghsa",
        "ALSA" | "ALBA" | "ALEA" => "osv-almalinux",
        "BIT" => "osv-bitnami",
        "DSA" | "DLA" | "DTSA" => "osv-debian",
        "USN" | "UBUNTU" => "osv-ubuntu",
        _ => {
            return format!(
                "osv-{}",
                first_ns.map(|n| n.split(':').next().unwrap_or(n)).unwrap_or("unknown")
            );
        }
    };
    s.to_owned()
}

fn convert_severity(list: &[OsvSeverity], source: &str, adv: &mut Advisory) {
    for s in list {
        match s.kind.as_str() {
            "CVSS_V2" | "CVSS_V3" | "CVSS_V4" => {
                if adv.cvss.iter().any(|c| c.vector == s.score) {
                    continue;
                }
                adv.cvss.push(Cvss {
                    source: source.to_owned(),
                    vector: s.score.clone(),
                    score: crate::cvss::base_score(&s.score),
                });
            }
            "Ubuntu" => {
                let sev = Severity::parse_lenient(&s.score);
                if sev != Severity::Unknown {
                    adv.severity = Some(sev);
                }
            }
            _ => {}
        }
    }
}

/// The module stream an AlmaLinux advisory title names (`Important: nodejs:18 security
/// update` -> `("nodejs", "18")`), when it names exactly one.
fn module_stream(title: &str) -> Option<(&str, &str)> {
    let rest = title.split_once(": ").map_or(title, |(_, r)| r);
    let mut found = rest.split_whitespace().filter_map(|w| {
        let (m, st) = w.trim_end_matches(',').split_once(':')?;
        let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._+-".contains(&b));
        (ok(m) && ok(st)).then_some((m, st))
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

fn convert(rec: OsvRecord, out: &mut Parsed) {
    let first_ns = rec
        .affected
        .as_ref()
        .and_then(|a| a.iter().find_map(|a| a.package.as_ref()))
        .map(|p| namespace_for_ecosystem(&p.ecosystem));
    let source = source_for(&rec.id, first_ns.as_deref());
    let mut adv = Advisory {
        id: rec.id,
        source,
        title: rec.summary.unwrap_or_default(),
        description: rec.details.unwrap_or_default(),
        published: rec.published.filter(|d| !d.starts_with("0001-")),
        modified: rec.modified.filter(|d| !d.starts_with("0001-")),
        withdrawn: rec.withdrawn,
        ..Default::default()
    };
    for a in rec.aliases.into_iter().flatten().chain(rec.related.into_iter().flatten()) {
        if a != adv.id {
            push_unique(&mut adv.aliases, a);
        }
    }
    adv.references = rec.references.into_iter().flatten().map(|r| r.url).filter(|u| !u.is_empty()).collect();
    let src_name = if adv.id.starts_with("GHSA-") { "ghsa" } else { "osv" };
    convert_severity(rec.severity.as_deref().unwrap_or(&[]), src_name, &mut adv);
    if let Some(sev) = rec
        .database_specific
        .as_ref()
        .and_then(|d| d.get("severity"))
        .and_then(Value::as_str)
        .map(Severity::parse_lenient)
        .filter(|s| *s != Severity::Unknown)
    {
        adv.severity = Some(sev);
    }
    let title = adv.title.clone();
    let module = module_stream(&title);
    for a in rec.affected.into_iter().flatten() {
        let Some(mut pkg) = a.package else {
            out.warnings.push(format!("{}: affected entry without package skipped", adv.id));
            continue;
        };
        let namespace = namespace_for_ecosystem(&pkg.ecosystem);
        let name_kind = if namespace.starts_with("debian:") || namespace.starts_with("ubuntu:") {
            NameKind::Source
        } else {
            NameKind::Binary
        };
        let mut ranges = Vec::new();
        for r in a.ranges.into_iter().flatten() {
            let kind = match r.kind.as_str() {
                "ECOSYSTEM" => RangeKind::Ecosystem,
                "SEMVER" => RangeKind::Semver,
                _ => {
                    out.git_ranges_skipped += 1;
                    continue;
                }
            };
            let mut events = Vec::new();
            for e in r.events {
                for (k, v) in e {
                    events.push(match k.as_str() {
                        "introduced" => Event::Introduced(v),
                        "fixed" => Event::Fixed(v),
                        "last_affected" => Event::LastAffected(v),
                        "limit" => Event::Limit(v),
                        _ => continue,
                    });
                }
            }
            ranges.push(Range { kind, events });
        }
        let has_fix = ranges.iter().flat_map(|r| &r.events).any(|e| matches!(e, Event::Fixed(_)));
        // AlmaLinux records name module packages plainly; their builds (`.module_el` in
        // the release) go under `module:stream::name` like the errata importers' names.
        if let Some((m, st)) = module.filter(|_| namespace.starts_with("almalinux:")) {
            let modular = ranges
                .iter()
                .flat_map(|r| &r.events)
                .any(|e| matches!(e, Event::Fixed(v) if v.contains(".module_el") || v.contains(".module+el")));
            if modular {
                pkg.name = format!("{m}:{st}::{}", pkg.name);
            }
        }
        let mut affected = Affected {
            namespace,
            package: pkg.name,
            name_kind,
            status: if has_fix { AffectedStatus::Fixed } else { AffectedStatus::Affected },
            ranges,
            versions: a.versions.unwrap_or_default(),
            ecosystem_specific: a.ecosystem_specific.filter(|v| !v.is_null()),
            ..Default::default()
        };
        if let Some(list) = &a.severity {
            convert_severity(list, src_name, &mut adv);
        }
        if let Some(sev) = a
            .database_specific
            .as_ref()
            .and_then(|d| d.get("severity"))
            .and_then(Value::as_str)
            .map(Severity::parse_lenient)
            .filter(|s| *s != Severity::Unknown)
        {
            affected.severity = Some(sev);
        }
        if affected.ranges.is_empty() && affected.versions.is_empty() {
            // Only GIT ranges: nothing to compare a package version with.
            out.warnings.push(format!("{}: {} has no comparable range", adv.id, affected.package));
            continue;
        }
        adv.affected.push(affected);
    }
    out.advisories.push(adv);
}

#[cfg(test)]
mod tests {
    use super::module_stream;
    use super::namespace_for_ecosystem as ns;

    #[test]
    fn module_streams_from_alma_titles() {
        assert_eq!(module_stream("Important: nodejs:18 security update"), Some(("nodejs", "18")));
        assert_eq!(
            module_stream("Moderate: container-tools:rhel8 security and bug fix update"),
            Some(("container-tools", "rhel8"))
        );
        assert_eq!(module_stream("Important: openssl security update"), None);
        assert_eq!(module_stream("Moderate: ruby:2.5 and ruby:2.6 security update"), None);
    }

    #[test]
    fn namespaces() {
        assert_eq!(ns("Debian:12"), "debian:12");
        assert_eq!(ns("AlmaLinux:8"), "almalinux:8");
        assert_eq!(ns("PyPI"), "pypi");
        assert_eq!(ns("crates.io"), "crates.io");
        assert_eq!(ns("Go"), "go");
        assert_eq!(ns("Maven"), "maven");
        assert_eq!(ns("Alpine:v3.18"), "alpine:3.18");
        assert_eq!(ns("Ubuntu:22.04:LTS"), "ubuntu:22.04");
        assert_eq!(ns("Ubuntu:Pro:18.04:LTS"), "ubuntu:18.04");
        assert_eq!(ns("Rocky Linux:9"), "rocky:9");
        assert_eq!(ns("Bitnami"), "bitnami");
        assert_eq!(ns("RubyGems"), "rubygems");
        assert_eq!(ns("GitHub Actions"), "github-actions");
    }
}
