//! Red Hat CSAF 2.0 documents (VEX per CVE, and security advisories).
//!
//! Products are resolved through `relationships` (component "default_component_of"
//! platform): the component's purl gives the rpm name, `[epoch:]version-release` and arch;
//! the platform's CPE gives the namespace (`cpe:/o:redhat:enterprise_linux:9::baseos` ->
//! `redhat:9`; EUS/AUS/TUS/E4S streams -> `redhat:8.6-eus` etc.). Layered products (OpenShift,
//! middleware, ...) are skipped. Remediations decide the status: `vendor_fix` -> fixed (its
//! URL names the RHSA, kept as alias), `no_fix_planned` -> will not fix,
//! `none_available` -> affected; `known_not_affected` -> not affected. Components given as
//! source rpms (`arch=src`) are named as source packages, except for fixes, where the binary
//! rpms carry the versions. Modular rpms (`rpmmod=` in the purl) are named `module:stream::name`.

use std::collections::BTreeMap;

use serde_json::Value;
use strata_core::{Cvss, Severity};

use super::{Error, Parsed, known, push_unique, status_affected};
use crate::model::{Advisory, Affected, AffectedStatus, Event, NameKind, Range, RangeKind};

#[derive(Default, Clone)]
struct Product {
    name: String,
    cpe: String,
    purl: String,
}

/// Parses one CSAF JSON document.
pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, Error> {
    let doc: Value = serde_json::from_slice(bytes).map_err(Error::Json)?;
    let mut out = Parsed::default();
    let mut products: BTreeMap<String, Product> = BTreeMap::new();
    if let Some(branches) = doc
        .pointer("/product_tree/branches")
        .and_then(Value::as_array)
    {
        walk_branches(branches, &mut products, 0);
    }
    let mut relations: BTreeMap<String, (String, String)> = BTreeMap::new();
    if let Some(rels) = doc
        .pointer("/product_tree/relationships")
        .and_then(Value::as_array)
    {
        for r in rels {
            let pid = str_at(r, "/full_product_name/product_id");
            let comp = str_at(r, "/product_reference");
            let plat = str_at(r, "/relates_to_product_reference");
            if !pid.is_empty() {
                relations.insert(pid.to_string(), (comp.to_string(), plat.to_string()));
            }
        }
    }
    let doc_sev = Severity::parse_lenient(str_at(&doc, "/document/aggregate_severity/text"));
    let doc_id = str_at(&doc, "/document/tracking/id").to_string();
    let title = str_at(&doc, "/document/title").to_string();
    let published = non_empty(str_at(&doc, "/document/tracking/initial_release_date"));
    let modified = non_empty(str_at(&doc, "/document/tracking/current_release_date"));

    let empty = Vec::new();
    for v in doc
        .get("vulnerabilities")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
    {
        let cve = str_at(v, "/cve").to_string();
        let id = if cve.is_empty() {
            doc_id.clone()
        } else {
            cve.clone()
        };
        if id.is_empty() {
            out.warnings
                .push("vulnerability without cve in a document without id".into());
            continue;
        }
        let mut adv = Advisory {
            id: id.clone(),
            source: "redhat-csaf".into(),
            title: if cve.is_empty() || doc_id == cve {
                title.clone()
            } else {
                String::new()
            },
            severity: known(doc_sev),
            published: published.clone(),
            modified: modified.clone(),
            ..Advisory::default()
        };
        if !doc_id.is_empty() && doc_id != id {
            adv.aliases.push(doc_id.clone());
        }
        for n in v.get("notes").and_then(Value::as_array).unwrap_or(&empty) {
            if str_at(n, "/category") == "description" {
                adv.description = str_at(n, "/text").to_string();
            }
        }
        if adv.title.is_empty() {
            adv.title = str_at(v, "/title").to_string();
        }
        for s in v.get("scores").and_then(Value::as_array).unwrap_or(&empty) {
            for key in ["cvss_v3", "cvss_v4", "cvss_v2"] {
                if let Some(c) = s.get(key) {
                    let vector = str_at(c, "/vectorString").to_string();
                    let score = c.get("baseScore").and_then(Value::as_f64);
                    if !vector.is_empty() {
                        adv.cvss.push(Cvss {
                            source: "redhat".into(),
                            vector,
                            score,
                        });
                    }
                }
            }
        }
        for r in v
            .get("references")
            .and_then(Value::as_array)
            .unwrap_or(&empty)
        {
            push_unique(&mut adv.references, str_at(r, "/url"));
        }
        // product id -> impact
        let mut impact: BTreeMap<&str, Severity> = BTreeMap::new();
        for t in v.get("threats").and_then(Value::as_array).unwrap_or(&empty) {
            if str_at(t, "/category") == "impact" {
                let sev = Severity::parse_lenient(str_at(t, "/details"));
                for p in t
                    .get("product_ids")
                    .and_then(Value::as_array)
                    .unwrap_or(&empty)
                {
                    if let Some(p) = p.as_str() {
                        impact.insert(p, sev);
                    }
                }
            }
        }
        let mut entries: Vec<(String, Option<String>, AffectedStatus)> = Vec::new(); // (pid, rhsa, status)
        for r in v
            .get("remediations")
            .and_then(Value::as_array)
            .unwrap_or(&empty)
        {
            let status = match str_at(r, "/category") {
                "vendor_fix" => AffectedStatus::Fixed,
                "no_fix_planned" => AffectedStatus::WillNotFix,
                "none_available" => AffectedStatus::Affected,
                _ => continue,
            };
            let url = str_at(r, "/url");
            let rhsa = url
                .rsplit('/')
                .next()
                .filter(|s| s.starts_with("RH"))
                .map(str::to_string);
            for p in r
                .get("product_ids")
                .and_then(Value::as_array)
                .unwrap_or(&empty)
            {
                if let Some(p) = p.as_str() {
                    entries.push((p.to_string(), rhsa.clone(), status));
                }
            }
        }
        // Statuses without a remediation (older documents list only product_status).
        for (key, status) in [
            ("known_not_affected", AffectedStatus::NotAffected),
            ("known_affected", AffectedStatus::Affected),
            ("fixed", AffectedStatus::Fixed),
        ] {
            for p in v
                .pointer(&format!("/product_status/{key}"))
                .and_then(Value::as_array)
                .unwrap_or(&empty)
            {
                if let Some(p) = p.as_str() {
                    if !entries.iter().any(|(q, _, _)| q == p) {
                        entries.push((p.to_string(), None, status));
                    }
                }
            }
        }
        let mut unresolved = 0usize;
        for (pid, rhsa, status) in entries {
            let Some((comp, plat)) = relations.get(&pid) else {
                unresolved += 1;
                continue;
            };
            let Some(ns) = products.get(plat).and_then(|p| namespace_of_cpe(&p.cpe)) else {
                continue;
            };
            let Some(rpm) = component_rpm(comp, products.get(comp)) else {
                continue; // container images and other non-rpm components
            };
            let sev = impact.get(pid.as_str()).copied().and_then(known);
            if status == AffectedStatus::Fixed {
                if rpm.arch == "src" || rpm.evr.is_empty() {
                    continue;
                }
                if let Some(r) = &rhsa {
                    push_unique(&mut adv.aliases, r);
                }
                let existing = adv.affected.iter_mut().find(|a| {
                    a.namespace == ns
                        && a.package == rpm.name
                        && a.status == AffectedStatus::Fixed
                        && a.fixed_version() == Some(rpm.evr.as_str())
                });
                match existing {
                    Some(a) => {
                        if rpm.arch.is_empty() || rpm.arch == "noarch" {
                            a.arches.clear();
                        } else if !a.arches.is_empty() {
                            push_unique(&mut a.arches, &rpm.arch);
                        }
                    }
                    None => adv.affected.push(Affected {
                        namespace: ns,
                        package: rpm.name,
                        name_kind: NameKind::Binary,
                        status: AffectedStatus::Fixed,
                        ranges: vec![Range {
                            kind: RangeKind::Ecosystem,
                            events: vec![Event::Introduced("0".into()), Event::Fixed(rpm.evr)],
                        }],
                        severity: sev,
                        arches: if rpm.arch.is_empty() || rpm.arch == "noarch" {
                            Vec::new()
                        } else {
                            vec![rpm.arch]
                        },
                        ..Affected::default()
                    }),
                }
            } else {
                let kind = if rpm.arch == "src" {
                    NameKind::Source
                } else {
                    NameKind::Binary
                };
                if adv
                    .affected
                    .iter()
                    .any(|a| a.namespace == ns && a.package == rpm.name && a.status == status)
                {
                    continue;
                }
                let mut a = status_affected(ns, rpm.name, kind, status);
                a.severity = sev;
                adv.affected.push(a);
            }
        }
        if unresolved > 0 {
            out.warnings.push(format!(
                "{id}: {unresolved} product ids without a relationship"
            ));
        }
        out.advisories.push(adv);
    }
    Ok(out)
}

fn walk_branches(branches: &[Value], out: &mut BTreeMap<String, Product>, depth: usize) {
    if depth > 32 {
        return;
    }
    for b in branches {
        if let Some(p) = b.get("product") {
            let pid = str_at(p, "/product_id");
            if !pid.is_empty() {
                out.insert(
                    pid.to_string(),
                    Product {
                        name: str_at(p, "/name").to_string(),
                        cpe: str_at(p, "/product_identification_helper/cpe").to_string(),
                        purl: str_at(p, "/product_identification_helper/purl").to_string(),
                    },
                );
            }
        }
        if let Some(sub) = b.get("branches").and_then(Value::as_array) {
            walk_branches(sub, out, depth + 1);
        }
    }
}

fn str_at<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

const ARCHES: [&str; 12] = [
    "x86_64", "aarch64", "ppc64le", "ppc64", "s390x", "s390", "i686", "i386", "noarch", "src",
    "ppc", "ia64",
];

/// The rpm a component names: from its purl, else from its product id or name
/// (`telnet-1:0.17-65.el7_6.x86_64`, or a bare source name such as `kernel`).
fn component_rpm(pid: &str, product: Option<&Product>) -> Option<Rpm> {
    if let Some(p) = product {
        if !p.purl.is_empty() {
            return if p.purl.starts_with("pkg:rpm/") {
                parse_rpm_purl(&p.purl)
            } else {
                None
            };
        }
    }
    let text = product
        .map(|p| p.name.as_str())
        .filter(|n| !n.is_empty())
        .unwrap_or(pid);
    if let Some((_, arch)) = text.rsplit_once('.') {
        if ARCHES.contains(&arch) {
            let (name, evr, arch) = super::split_nevra(text, true)?;
            return Some(Rpm { name, evr, arch });
        }
    }
    if text.is_empty() || text.contains(char::is_whitespace) {
        return None;
    }
    Some(Rpm {
        name: text.to_string(),
        evr: String::new(),
        arch: "src".into(),
    })
}

struct Rpm {
    name: String,
    evr: String,
    arch: String,
}

/// `pkg:rpm/redhat/test-package@1.0.0-1.el9?arch=x86_64&epoch=1`.
fn parse_rpm_purl(purl: &str) -> Option<Rpm> {
    let rest = purl.strip_prefix("pkg:rpm/")?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = path.split('#').next().unwrap_or(path);
    let (ns_name, version) = path.split_once('@').unwrap_or((path, ""));
    let name = ns_name.rsplit('/').next()?;
    let mut arch = String::new();
    let mut epoch = String::new();
    let mut module = String::new();
    for kv in query.split('&') {
        match kv.split_once('=') {
            Some(("arch", a)) => {
                arch = pct_decode(a);
                if arch == "source" {
                    arch = "src".into();
                }
            }
            Some(("epoch", e)) => epoch = pct_decode(e),
            // `rpmmod=perl-FCGI:0.78:8020020250607180124:89a48cc6`: name:stream of a module.
            Some(("rpmmod", m)) => {
                let m = pct_decode(m);
                let mut it = m.split(':');
                if let (Some(n), Some(st)) = (it.next(), it.next()) {
                    module = format!("{n}:{st}::");
                }
            }
            _ => {}
        }
    }
    let version = pct_decode(version);
    let evr = if version.is_empty() {
        String::new()
    } else if !epoch.is_empty() && epoch != "0" {
        format!("{epoch}:{version}")
    } else {
        version
    };
    Some(Rpm {
        name: format!("{module}{}", pct_decode(name)),
        evr,
        arch,
    })
}

fn pct_decode(s: &str) -> String {
    fn hex(c: u8) -> Option<u8> {
        (c as char).to_digit(16).map(|d| d as u8)
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `cpe:/o:redhat:enterprise_linux:9::baseos` -> `redhat:9`;
/// `cpe:/a:redhat:rhel_eus:8.6::appstream` -> `redhat:8.6-eus`.
pub(crate) fn namespace_of_cpe(cpe: &str) -> Option<String> {
    let rest = cpe.strip_prefix("cpe:/")?;
    let parts: Vec<&str> = rest.split(':').collect();
    if parts.get(1) != Some(&"redhat") {
        return None;
    }
    let product = *parts.get(2)?;
    let version = parts.get(3).copied().unwrap_or("");
    let major: String = version.chars().take_while(char::is_ascii_digit).collect();
    match product {
        "enterprise_linux" | "rhel" if !major.is_empty() => Some(format!("redhat:{major}")),
        "rhel_eus" | "rhel_aus" | "rhel_tus" | "rhel_e4s" | "rhel_els" if !version.is_empty() => {
            Some(format!("redhat:{version}-{}", &product[5..]))
        }
        _ => None,
    }
}
