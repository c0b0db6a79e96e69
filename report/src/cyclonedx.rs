//! CycloneDX 1.6 JSON.
//!
//! A single image is the BOM's `metadata.component` (type `container`); its OS is an
//! `operating-system` component and every package a `library` (`application` for binaries),
//! with the layer provenance as `strata:` properties. An index is one BOM whose
//! `metadata.component` is the index and whose components are the platform images, each
//! with its OS and packages nested in `components`. `dependencies`: image (or index) on each
//! platform image, image on the OS and on every application package, OS on every OS
//! package. Vulnerabilities are grouped by id per platform, `affects` naming every affected
//! component.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};
use strata_core::finding::{Package, Severity, VulnStatus, Vulnerability};
use strata_core::report::{Report, ScanOutput};

use crate::common::{self, License};

fn props(v: Vec<(String, String)>) -> Value {
    Value::Array(
        v.into_iter()
            .map(|(name, value)| json!({"name": name, "value": value}))
            .collect(),
    )
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Unknown => "unknown",
    }
}

/// `licenses` for a package: license objects (`id` for SPDX ids, `name` otherwise), or one
/// `expression` when every license is a valid SPDX expression and one is compound.
fn licenses(p: &Package) -> Option<Value> {
    if p.licenses.is_empty() {
        return None;
    }
    let classified: Vec<License> = p
        .licenses
        .iter()
        .map(|l| common::classify_license(l))
        .collect();
    let all_valid = classified.iter().all(|c| !matches!(c, License::Name(_)));
    let any_compound = classified
        .iter()
        .any(|c| matches!(c, License::Expression(_)));
    if all_valid && any_compound {
        let parts: Vec<String> = classified
            .iter()
            .map(|c| match c {
                License::Id(s) => s.clone(),
                License::Expression(s) | License::Name(s) => {
                    if classified.len() > 1 {
                        format!("({s})")
                    } else {
                        s.clone()
                    }
                }
            })
            .collect();
        return Some(json!([{"expression": parts.join(" AND ")}]));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for c in classified {
        let v = match &c {
            License::Id(s) => json!({"license": {"id": s}}),
            License::Expression(s) | License::Name(s) => json!({"license": {"name": s}}),
        };
        if seen.insert(v.to_string()) {
            out.push(v);
        }
    }
    Some(Value::Array(out))
}

/// Allocates unique bom-refs.
#[derive(Default)]
struct Refs {
    used: BTreeSet<String>,
}

impl Refs {
    fn take(&mut self, base: String, path: &str) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let with_path = format!("{base}#{path}");
        if self.used.insert(with_path.clone()) {
            return with_path;
        }
        let mut n = 2;
        loop {
            let r = format!("{with_path}#{n}");
            if self.used.insert(r.clone()) {
                return r;
            }
            n += 1;
        }
    }
}

fn component(p: &Package, bom_ref: &str) -> Value {
    let mut c = Map::new();
    c.insert("bom-ref".into(), json!(bom_ref));
    let kind = if p.ecosystem == strata_core::finding::Ecosystem::Binary {
        "application"
    } else {
        "library"
    };
    c.insert("type".into(), json!(kind));
    let (group, name) = match p.ecosystem {
        strata_core::finding::Ecosystem::Maven => match p.name.split_once(':') {
            Some((g, a)) if !g.is_empty() && !a.is_empty() => (Some(g), a),
            _ => (None, p.name.as_str()),
        },
        _ => (None, p.name.as_str()),
    };
    if let Some(g) = group {
        c.insert("group".into(), json!(g));
    }
    c.insert("name".into(), json!(name));
    if !p.version.is_empty() {
        c.insert("version".into(), json!(p.version));
    }
    if let Some(v) = &p.vendor {
        c.insert("supplier".into(), json!({"name": v}));
    }
    if let Some(l) = licenses(p) {
        c.insert("licenses".into(), l);
    }
    if let Some(cpe) = &p.cpe {
        c.insert("cpe".into(), json!(cpe));
    }
    if let Some(purl) = &p.purl {
        c.insert("purl".into(), json!(purl));
    }
    c.insert("properties".into(), props(common::package_props(p)));
    Value::Object(c)
}

fn image_component(r: &Report, bom_ref: &str, label: Option<&str>) -> Value {
    let mut c = Map::new();
    c.insert("bom-ref".into(), json!(bom_ref));
    c.insert("type".into(), json!("container"));
    c.insert("name".into(), json!(common::image_name(r)));
    if let Some(d) = &r.image.digest {
        c.insert("version".into(), json!(d));
    }
    if let Some(purl) = common::oci_purl(r) {
        c.insert("purl".into(), json!(purl));
    }
    let mut p = vec![("strata:target".to_string(), r.target.clone())];
    if let Some(l) = label {
        p.push(("strata:platform:label".into(), l.to_string()));
    }
    if let Some(d) = &r.image.config_digest {
        p.push(("strata:image:config_digest".into(), d.clone()));
    }
    if let Some(pl) = &r.image.platform {
        p.push(("strata:image:platform".into(), pl.to_string()));
    }
    for t in &r.image.repo_tags {
        p.push(("strata:image:repo_tag".into(), t.clone()));
    }
    if let Some(b) = &r.base_image {
        p.push((
            "strata:base_image".into(),
            format!("{}:{}", b.name, b.version),
        ));
        p.push(("strata:base_image:layers".into(), b.layers.to_string()));
    }
    for l in &r.image.layers {
        let k = format!("strata:layer:{}", l.index);
        p.push((format!("{k}:digest"), l.digest.clone()));
        p.push((format!("{k}:diff_id"), l.diff_id.clone()));
        p.push((format!("{k}:size"), l.size.to_string()));
        if !l.created_by.is_empty() {
            p.push((format!("{k}:created_by"), l.created_by.clone()));
        }
    }
    c.insert("properties".into(), props(p));
    Value::Object(c)
}

/// Components, dependencies and vulnerabilities of one report.
struct Part {
    components: Vec<Value>,
    dependencies: Vec<Value>,
    vulnerabilities: Vec<Value>,
    direct: Vec<String>,
}

fn part(r: &Report, prefix: &str, refs: &mut Refs) -> Part {
    let mut components = Vec::new();
    let mut direct = Vec::new();
    let mut os_children = Vec::new();
    let mut os_ref = None;
    if let Some(os) = &r.image.os {
        let base = format!("{prefix}os:{}@{}", os.family, os.version);
        let bref = refs.take(base, "os");
        let mut c = json!({
            "bom-ref": bref,
            "type": "operating-system",
            "name": os.family,
        });
        if !os.version.is_empty() {
            c["version"] = json!(os.version);
        }
        if !os.name.is_empty() {
            c["description"] = json!(os.name);
        }
        components.push(c);
        direct.push(bref.clone());
        os_ref = Some(bref);
    }
    // (ecosystem, name, version, path) -> bom-ref, to link vulnerabilities.
    let mut by_key: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    let mut by_path: BTreeMap<(String, String, String, String), String> = BTreeMap::new();
    for p in common::sorted_packages(r) {
        let base = match &p.purl {
            Some(u) => format!("{prefix}{u}"),
            None => format!("{prefix}{}:{}@{}", p.ecosystem, p.name, p.version),
        };
        let bref = refs.take(base, &p.origin.path);
        components.push(component(p, &bref));
        if p.ecosystem.is_os() && os_ref.is_some() {
            os_children.push(bref.clone());
        } else {
            direct.push(bref.clone());
        }
        let key = (p.ecosystem.to_string(), p.name.clone(), p.version.clone());
        by_path
            .entry((
                key.0.clone(),
                key.1.clone(),
                key.2.clone(),
                p.origin.path.clone(),
            ))
            .or_insert(bref.clone());
        by_key.entry(key).or_default().push(bref);
    }
    let mut dependencies = Vec::new();
    if let Some(os) = &os_ref {
        dependencies.push(json!({"ref": os, "dependsOn": os_children}));
    }
    let vulnerabilities = vulns(r, prefix, &by_key, &by_path);
    Part {
        components,
        dependencies,
        vulnerabilities,
        direct,
    }
}

fn vulns(
    r: &Report,
    prefix: &str,
    by_key: &BTreeMap<(String, String, String), Vec<String>>,
    by_path: &BTreeMap<(String, String, String, String), String>,
) -> Vec<Value> {
    let mut groups: BTreeMap<&str, Vec<&Vulnerability>> = BTreeMap::new();
    for v in common::sorted_vulns(r) {
        groups.entry(&v.id).or_default().push(v);
    }
    let mut out = Vec::new();
    for (id, vs) in groups {
        let mut affects: BTreeMap<String, (String, bool)> = BTreeMap::new();
        for v in &vs {
            let eco = v.ecosystem.to_string();
            let refs: Vec<String> = match by_path.get(&(
                eco.clone(),
                v.package.to_string(),
                v.version.to_string(),
                v.origin.path.clone(),
            )) {
                Some(r) => vec![r.clone()],
                None => by_key
                    .get(&(eco, v.package.to_string(), v.version.to_string()))
                    .cloned()
                    .unwrap_or_default(),
            };
            for rf in refs {
                let e = affects.entry(rf).or_insert((v.version.to_string(), true));
                if v.status != VulnStatus::NotAffected {
                    e.1 = false;
                }
            }
        }
        let first = vs[0];
        let mut o = Map::new();
        o.insert("bom-ref".into(), json!(format!("{prefix}vuln:{id}")));
        o.insert("id".into(), json!(id));
        let mut source = Map::new();
        if !first.data_source.is_empty() {
            source.insert("name".into(), json!(first.data_source));
        }
        if let Some(u) = first.references.first() {
            source.insert("url".into(), json!(u));
        }
        if !source.is_empty() {
            o.insert("source".into(), Value::Object(source));
        }
        let aliases: BTreeSet<&String> = vs
            .iter()
            .flat_map(|v| v.aliases.iter())
            .filter(|a| *a != id)
            .collect();
        if !aliases.is_empty() {
            o.insert(
                "references".into(),
                Value::Array(
                    aliases
                        .iter()
                        .map(|a| json!({"id": a, "source": {"name": first.data_source}}))
                        .collect(),
                ),
            );
        }
        let mut ratings = Vec::new();
        let mut seen = BTreeSet::new();
        let sev = vs.iter().map(|v| v.severity).max().unwrap_or_default();
        for c in vs.iter().flat_map(|v| v.cvss.iter()) {
            let key = format!("{}|{}|{:?}", c.source, c.vector, c.score);
            if !seen.insert(key) {
                continue;
            }
            let mut rt = Map::new();
            if !c.source.is_empty() {
                rt.insert("source".into(), json!({"name": c.source}));
            }
            if let Some(s) = c.score {
                if s.is_finite() {
                    rt.insert("score".into(), json!(s));
                    rt.insert(
                        "severity".into(),
                        json!(severity(Severity::from_cvss_score(s))),
                    );
                }
            }
            rt.insert("method".into(), json!(common::cvss_method(&c.vector)));
            if !c.vector.is_empty() {
                rt.insert("vector".into(), json!(c.vector));
            }
            ratings.push(Value::Object(rt));
        }
        let mut vendor = json!({"severity": severity(sev), "method": "other"});
        if !first.data_source.is_empty() {
            vendor["source"] = json!({"name": first.data_source});
        }
        ratings.insert(0, vendor);
        o.insert("ratings".into(), Value::Array(ratings));
        let description = if first.description.is_empty() {
            &first.title
        } else {
            &first.description
        };
        if !description.is_empty() {
            o.insert("description".into(), json!(description));
        }
        let solutions: BTreeSet<&str> = vs.iter().filter_map(|v| v.solution.as_deref()).collect();
        if !solutions.is_empty() {
            o.insert(
                "recommendation".into(),
                json!(solutions.into_iter().collect::<Vec<_>>().join("; ")),
            );
        }
        let urls: BTreeSet<&str> = vs.iter().flat_map(|v| v.references.iter()).collect();
        if !urls.is_empty() {
            o.insert(
                "advisories".into(),
                Value::Array(urls.iter().map(|u| json!({"url": u})).collect()),
            );
        }
        let mut statuses: Vec<VulnStatus> = Vec::new();
        for v in &vs {
            if !statuses.contains(&v.status) {
                statuses.push(v.status);
            }
        }
        statuses.sort_by_key(|s| common::status_str(*s));
        let mut analysis = Map::new();
        if statuses.iter().all(|s| *s == VulnStatus::NotAffected) {
            analysis.insert("state".into(), json!("not_affected"));
            analysis.insert(
                "detail".into(),
                json!("the vendor states the package is not affected"),
            );
        } else {
            let mut response = Vec::new();
            if statuses.contains(&VulnStatus::WillNotFix) {
                response.push("will_not_fix");
            }
            if statuses.contains(&VulnStatus::Fixed) {
                response.push("update");
            }
            if statuses.contains(&VulnStatus::FixDeferred)
                || statuses.contains(&VulnStatus::EndOfLife)
            {
                response.push("can_not_fix");
            }
            if !response.is_empty() {
                analysis.insert("response".into(), json!(response));
            }
        }
        if !analysis.is_empty() {
            o.insert("analysis".into(), Value::Object(analysis));
        }
        o.insert(
            "affects".into(),
            Value::Array(
                affects
                    .into_iter()
                    .map(|(rf, (ver, unaffected))| {
                        json!({"ref": rf, "versions": [{"version": ver, "status": if unaffected { "unaffected" } else { "affected" }}]})
                    })
                    .collect(),
            ),
        );
        let mut p = Vec::new();
        if !first.title.is_empty() {
            p.push(("strata:title".to_string(), first.title.to_string()));
        }
        for s in &statuses {
            p.push(("strata:status".into(), common::status_str(*s).into()));
        }
        let fixed: BTreeSet<&str> = vs.iter().filter_map(|v| v.fixed_version.as_deref()).collect();
        for f in fixed {
            p.push(("strata:fixed_version".into(), f.to_owned()));
        }
        if vs.iter().any(|v| v.known_exploited) {
            p.push(("strata:known_exploited".into(), "true".into()));
        }
        o.insert("properties".into(), props(p));
        out.push(Value::Object(o));
    }
    out
}

/// Builds the BOM.
pub(crate) fn document(out: &ScanOutput, created: u64) -> Value {
    let ident = common::scan_identity(out, created);
    let ident: Vec<&str> = ident.iter().map(String::as_str).collect();
    let serial = format!("urn:uuid:{}", common::uuid(&ident));
    let tool = json!({"type": "application", "name": common::TOOL, "version": common::VERSION});
    let mut refs = Refs::default();
    let mut components = Vec::new();
    let mut dependencies = Vec::new();
    let mut vulnerabilities = Vec::new();
    let root = match out {
        ScanOutput::Single(r) => {
            let root_ref = "image".to_string();
            refs.used.insert(root_ref.clone());
            let p = part(r, "", &mut refs);
            components = p.components;
            dependencies.push(json!({"ref": root_ref, "dependsOn": p.direct}));
            dependencies.extend(p.dependencies);
            vulnerabilities = p.vulnerabilities;
            image_component(r, &root_ref, None)
        }
        ScanOutput::Index(i) => {
            let root_ref = "index".to_string();
            refs.used.insert(root_ref.clone());
            let mut platforms = Vec::new();
            for (label, r) in common::labelled(out) {
                let label = label.unwrap_or_default();
                let img_ref = refs.take(format!("image:{label}"), &label);
                let p = part(r, &format!("{label}/"), &mut refs);
                let mut c = image_component(r, &img_ref, Some(&label));
                if !p.components.is_empty() {
                    c["components"] = Value::Array(p.components);
                }
                components.push(c);
                dependencies.push(json!({"ref": img_ref, "dependsOn": p.direct}));
                dependencies.extend(p.dependencies);
                vulnerabilities.extend(p.vulnerabilities);
                platforms.push(img_ref);
            }
            dependencies.insert(0, json!({"ref": root_ref, "dependsOn": platforms}));
            let mut c = json!({"bom-ref": root_ref, "type": "container", "name": i.target});
            if let Some(d) = &i.digest {
                c["version"] = json!(d);
            }
            c["properties"] = props(vec![(
                "strata:platforms".into(),
                i.platforms.len().to_string(),
            )]);
            c
        }
    };
    let mut bom = json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial,
        "version": 1,
        "metadata": {
            "timestamp": common::rfc3339(created),
            "tools": {"components": [tool]},
            "component": root,
        },
        "components": components,
        "dependencies": dependencies,
    });
    if !vulnerabilities.is_empty() {
        bom["vulnerabilities"] = Value::Array(vulnerabilities);
    }
    bom
}
