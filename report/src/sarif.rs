//! SARIF 2.1.0.
//!
//! One run per platform (one run for a single image), each with `automationDetails.id`
//! `strata/<platform>/` for an index so code-scanning services keep the runs apart. Rules:
//! one per vulnerability id (`CVE-…`), secret rule (`secret/<rule>`), malware name
//! (`malware/<name>`), misconfiguration (`misconfig/<id>`) and compliance rule
//! (`compliance/<id>`), with `properties.security-severity` (critical 9.5, high 8.0,
//! medium 5.5, low 2.0, none for unknown). Results point at the file inside the image:
//! `artifactLocation.uri` is the image path without its leading `/` (virtual `a.war!/b.jar`
//! paths kept, other characters percent-encoded) relative to `uriBaseId` `ROOTFS`, which
//! `originalUriBaseIds` describes as the image's root. Vulnerabilities the vendor marks
//! not affected are kept with an external, accepted `suppressions` entry. Diagnostics are
//! `invocations[0].toolExecutionNotifications`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use strata_core::finding::{Level, Origin, Severity, VulnStatus};
use strata_core::report::{Report, ScanOutput};

use crate::common;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Unknown => "note",
    }
}

struct Rule {
    name: String,
    short: String,
    full: String,
    help: String,
    help_uri: Option<String>,
    severity: Severity,
    tags: Vec<&'static str>,
}

struct Run {
    rules: BTreeMap<String, Rule>,
    results: Vec<(String, Map<String, Value>)>,
}

impl Run {
    fn rule(&mut self, id: &str, rule: impl FnOnce() -> Rule, severity: Severity) {
        let r = self.rules.entry(id.to_string()).or_insert_with(rule);
        if severity > r.severity {
            r.severity = severity;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn result(
        &mut self,
        rule_id: &str,
        severity: Severity,
        message: String,
        origin: &Origin,
        line: Option<u32>,
        fingerprint: &[&str],
        properties: Vec<(&str, Value)>,
        suppressed: Option<&str>,
    ) {
        let mut o = Map::new();
        o.insert("ruleId".into(), json!(rule_id));
        o.insert("level".into(), json!(level(severity)));
        o.insert("message".into(), json!({"text": message}));
        let uri = common::uri_path(origin.path.trim_start_matches('/'));
        let mut phys = json!({"artifactLocation": {"uri": if uri.is_empty() { ".".to_string() } else { uri }, "uriBaseId": "ROOTFS"}});
        if let Some(l) = line.filter(|l| *l >= 1) {
            phys["region"] = json!({"startLine": l});
        }
        o.insert("locations".into(), json!([{"physicalLocation": phys}]));
        let mut parts = vec![rule_id, origin.path.as_str()];
        parts.extend_from_slice(fingerprint);
        let line_s = line.map(|l| l.to_string()).unwrap_or_default();
        parts.push(&line_s);
        o.insert(
            "partialFingerprints".into(),
            json!({"strata/v1": hex::encode(common::digest_parts(&parts))}),
        );
        if let Some(j) = suppressed {
            o.insert(
                "suppressions".into(),
                json!([{"kind": "external", "status": "accepted", "justification": j}]),
            );
        }
        let mut props = Map::new();
        if let Some(i) = origin.layer_index {
            props.insert("layerIndex".into(), json!(i));
        }
        if let Some(l) = &origin.layer {
            props.insert("layerDiffId".into(), json!(l));
        }
        if let Some(i) = origin.removed_in_layer {
            props.insert("removedInLayer".into(), json!(i));
        }
        if let Some(p) = &origin.real_path {
            props.insert("realPath".into(), json!(p));
        }
        for (k, v) in properties {
            props.insert(k.into(), v);
        }
        if !props.is_empty() {
            o.insert("properties".into(), Value::Object(props));
        }
        self.results.push((rule_id.to_string(), o));
    }
}

fn run(r: &Report, label: Option<&str>) -> Value {
    let mut run = Run {
        rules: BTreeMap::new(),
        results: Vec::new(),
    };
    for v in common::sorted_vulns(r) {
        let title = if v.title.is_empty() {
            v.id.to_string()
        } else {
            v.title.to_string()
        };
        run.rule(
            &v.id,
            || Rule {
                name: if v.ecosystem.is_os() {
                    "OsPackageVulnerability"
                } else {
                    "LanguageSpecificPackageVulnerability"
                }
                .into(),
                short: title.clone(),
                full: if v.description.is_empty() {
                    title.clone()
                } else {
                    v.description.to_string()
                },
                help: format!(
                    "Vulnerability {}\nSeverity: {}\nPackage: {}\nFixed version: {}\n{}",
                    v.id,
                    v.severity,
                    v.package,
                    v.fixed_version.as_deref().unwrap_or("none"),
                    v.references
                        .first()
                        .map(|u| format!("Link: {u}"))
                        .unwrap_or_default()
                )
                .trim_end()
                .to_string(),
                help_uri: v.references.first().map(str::to_owned),
                severity: v.severity,
                tags: vec!["security", "vulnerability"],
            },
            v.severity,
        );
        let msg = format!(
            "Package: {}\nInstalled Version: {}\nVulnerability {}\nSeverity: {}\nFixed Version: {}\nStatus: {}",
            v.package,
            v.version,
            v.id,
            v.severity,
            v.fixed_version.as_deref().unwrap_or(""),
            common::status_str(v.status),
        );
        let mut props = vec![
            ("package", json!(v.package)),
            ("installedVersion", json!(v.version)),
            ("status", json!(common::status_str(v.status))),
        ];
        if let Some(f) = &v.fixed_version {
            props.push(("fixedVersion", json!(f)));
        }
        if let Some(p) = &v.purl {
            props.push(("purl", json!(p)));
        }
        if v.known_exploited {
            props.push(("knownExploited", json!(true)));
        }
        let suppressed = (v.status == VulnStatus::NotAffected)
            .then_some("the vendor states the package is not affected");
        run.result(
            &v.id,
            v.severity,
            msg,
            &v.origin,
            None,
            &[&v.package, &v.version],
            props,
            suppressed,
        );
    }
    for s in common::sorted_secrets(r) {
        let id = format!("secret/{}", s.rule_id);
        run.rule(
            &id,
            || Rule {
                name: "Secret".into(),
                short: s.title.clone(),
                full: format!("{} ({})", s.title, s.category),
                help: format!(
                    "Secret {}: {}\nRemove the secret from the image and rotate it.",
                    s.rule_id, s.title
                ),
                help_uri: None,
                severity: s.severity,
                tags: vec!["security", "secret"],
            },
            s.severity,
        );
        let removed = s
            .origin
            .removed_in_layer
            .map(|l| format!(" (removed in layer {l}, still in the image's blobs)"))
            .unwrap_or_default();
        let msg = format!("{}: {}{}", s.title, s.redacted, removed);
        run.result(
            &id,
            s.severity,
            msg,
            &s.origin,
            s.line,
            &[s.redacted.as_str()],
            vec![("category", json!(s.category))],
            None,
        );
    }
    for m in common::sorted_malware(r) {
        let id = format!("malware/{}", m.name);
        run.rule(
            &id,
            || Rule {
                name: "Malware".into(),
                short: m.name.clone(),
                full: if m.description.is_empty() {
                    format!("Malicious file: {}", m.name)
                } else {
                    m.description.clone()
                },
                help: format!(
                    "Malicious file {} detected by {}. Remove it and rebuild the image.",
                    m.name, m.engine
                ),
                help_uri: None,
                severity: m.severity,
                tags: vec!["security", "malware"],
            },
            m.severity,
        );
        let msg = format!("Malicious file {} ({})", m.name, m.engine);
        let mut props = vec![("engine", json!(m.engine)), ("size", json!(m.size))];
        if !m.sha256.is_empty() {
            props.push(("sha256", json!(m.sha256)));
        }
        run.result(
            &id,
            m.severity,
            msg,
            &m.origin,
            None,
            &[m.sha256.as_str()],
            props,
            None,
        );
    }
    for m in common::sorted_misconfigs(r) {
        let id = format!("misconfig/{}", m.id);
        run.rule(
            &id,
            || Rule {
                name: "Misconfiguration".into(),
                short: m.title.clone(),
                full: m.title.clone(),
                help: if m.resolution.is_empty() {
                    m.title.clone()
                } else {
                    m.resolution.clone()
                },
                help_uri: None,
                severity: m.severity,
                tags: vec!["security", "misconfiguration"],
            },
            m.severity,
        );
        let msg = if m.message.is_empty() {
            m.title.clone()
        } else {
            m.message.clone()
        };
        run.result(
            &id,
            m.severity,
            msg,
            &m.origin,
            None,
            &[m.message.as_str()],
            vec![("category", json!(m.category))],
            None,
        );
    }
    for c in common::sorted_compliance(r) {
        let id = format!("compliance/{}", c.id);
        run.rule(
            &id,
            || Rule {
                name: "Compliance".into(),
                short: c.title.clone(),
                full: c.title.clone(),
                help: c.title.clone(),
                help_uri: None,
                severity: c.severity,
                tags: vec!["compliance"],
            },
            c.severity,
        );
        let mut props = Vec::new();
        if let Some(p) = &c.package {
            props.push(("package", json!(p)));
        }
        run.result(
            &id,
            c.severity,
            c.title.clone(),
            &c.origin,
            None,
            &[],
            props,
            None,
        );
    }
    let index: BTreeMap<&String, usize> =
        run.rules.keys().enumerate().map(|(i, k)| (k, i)).collect();
    let results: Vec<Value> = run
        .results
        .iter()
        .map(|(id, o)| {
            let mut o = o.clone();
            o.insert("ruleIndex".into(), json!(index[id]));
            Value::Object(o)
        })
        .collect();
    let rules: Vec<Value> = run
        .rules
        .iter()
        .map(|(id, r)| {
            let short = if r.short.is_empty() {
                id.clone()
            } else {
                r.short.clone()
            };
            let full = if r.full.is_empty() {
                short.clone()
            } else {
                r.full.clone()
            };
            let help = if r.help.is_empty() {
                short.clone()
            } else {
                r.help.clone()
            };
            let mut props = json!({"tags": r.tags, "precision": "very-high"});
            if let Some(s) = common::security_severity(r.severity) {
                props["security-severity"] = json!(s);
            }
            let mut o = json!({
                "id": id,
                "name": r.name,
                "shortDescription": {"text": short},
                "fullDescription": {"text": full},
                "help": {"text": help},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": props,
            });
            if let Some(u) = r.help_uri.as_ref().filter(|u| is_absolute_uri(u)) {
                o["helpUri"] = json!(u);
            }
            o
        })
        .collect();
    let mut props = Map::new();
    props.insert("target".into(), json!(r.target));
    props.insert("imageName".into(), json!(common::image_name(r)));
    if let Some(d) = &r.image.digest {
        props.insert("digest".into(), json!(d));
    }
    if let Some(d) = &r.image.config_digest {
        props.insert("configDigest".into(), json!(d));
    }
    if !r.image.repo_tags.is_empty() {
        props.insert("repoTags".into(), json!(r.image.repo_tags));
    }
    if let Some(p) = &r.image.platform {
        props.insert("platform".into(), json!(p.to_string()));
    }
    if let Some(os) = &r.image.os {
        props.insert(
            "os".into(),
            json!({"family": os.family, "name": os.name, "version": os.version}),
        );
    }
    let mut o = json!({
        "tool": {"driver": {
            "name": common::TOOL,
            "version": common::VERSION,
            "semanticVersion": common::VERSION,
            "rules": rules,
        }},
        "results": results,
        "originalUriBaseIds": {"ROOTFS": {
            "uri": "file:///",
            "description": {"text": format!("The root of the filesystem of image {}", common::image_name(r))},
        }},
        "columnKind": "utf16CodeUnits",
        "invocations": [invocation(r)],
        "properties": props,
    });
    if let Some(l) = label {
        o["automationDetails"] = json!({"id": format!("strata/{l}/")});
    }
    o
}

/// The invocation: successful (a report exists), with every diagnostic as a tool execution
/// notification (`descriptor.id` = the diagnostic code).
fn invocation(r: &Report) -> Value {
    let notes: Vec<Value> = r
        .diagnostics
        .iter()
        .map(|d| {
            let level = match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Info => "note",
            };
            let mut n = json!({
                "level": level,
                "message": {"text": d.message},
                "descriptor": {"id": d.code},
            });
            if let Some(p) = d.path.as_deref().filter(|p| !p.is_empty()) {
                n["locations"] = json!([{"physicalLocation": {"artifactLocation": {
                    "uri": common::uri_path(p.trim_start_matches('/')),
                    "uriBaseId": "ROOTFS",
                }}}]);
            }
            if let Some(i) = d.layer_index {
                n["properties"] = json!({"layerIndex": i});
            }
            n
        })
        .collect();
    json!({"executionSuccessful": true, "toolExecutionNotifications": notes})
}

/// A crude absolute-URI check (`scheme:` then something), enough for `helpUri`.
fn is_absolute_uri(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, rest)) => {
            !rest.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// Builds the log.
pub(crate) fn document(out: &ScanOutput) -> Value {
    let runs: Vec<Value> = common::labelled(out)
        .into_iter()
        .map(|(l, r)| run(r, l.as_deref()))
        .collect();
    json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": runs,
    })
}
