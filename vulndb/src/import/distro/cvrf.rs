//! CVRF 1.1 documents: SUSE/openSUSE (`SUSE-SU-*`, `openSUSE-SU-*`) and openEuler-style
//! (`openEuler-SA-*`, and EulerOS/HCE, which share the format).
//!
//! Two ways the product tree ties packages to releases:
//! - SUSE: `Relationship` elements (`pkg-1.2-3.1` "Default Component Of" `SUSE Linux
//!   Enterprise Server 12 SP4`) and status product ids `release:pkg-version`;
//! - openEuler: a `Product Name` branch names the release (`openEuler-22.03-LTS-SP1`, with a
//!   CPE) and `Package Arch` branches list the fixed rpms (`name-ver-rel.arch.rpm`) with the
//!   same CPE; statuses name the release only.
//!
//! One [`Advisory`] per CVE (alias: the document id), with the CVE's own impact and CVSS.

use std::collections::BTreeMap;

use strata_core::{Cvss, Severity};

use super::xml::{self, Element};
use super::{Error, Parsed, fixed_affected, known, push_unique, split_nevra, status_affected};
use crate::model::{Advisory, Affected, AffectedStatus, NameKind};

/// Parses one CVRF document.
pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, Error> {
    let root = xml::parse(bytes)?;
    if root.name != "cvrfdoc" {
        return Err(Error::Malformed(format!(
            "expected cvrfdoc, found <{}>",
            root.name
        )));
    }
    let mut out = Parsed::default();
    let doc_id = root
        .path(&["DocumentTracking", "Identification", "ID"])
        .map(|e| e.text.trim().to_string())
        .unwrap_or_default();
    let title = root.child_text("DocumentTitle").to_string();
    let published = root
        .path(&["DocumentTracking", "InitialReleaseDate"])
        .map(|e| date_only(e.text.trim()));
    let modified = root
        .path(&["DocumentTracking", "CurrentReleaseDate"])
        .map(|e| date_only(e.text.trim()));
    let mut doc_severity = Severity::parse_lenient(root.child_text("AggregateSeverity"));
    let mut doc_description = String::new();
    if let Some(notes) = root.child("DocumentNotes") {
        for n in notes.children_named("Note") {
            match n.attr("Title").unwrap_or("") {
                "Severity" if doc_severity == Severity::Unknown => {
                    doc_severity = Severity::parse_lenient(&n.text)
                }
                "Description" | "Details" => doc_description = n.text.trim().to_string(),
                _ => {}
            }
        }
    }
    let mut references = Vec::new();
    if let Some(refs) = root.child("DocumentReferences") {
        for r in refs.children_named("Reference") {
            push_unique(&mut references, r.child_text("URL"));
        }
    }

    let tree = Tree::new(root.child("ProductTree"));
    for v in root.children_named("Vulnerability") {
        let cve = v.child_text("CVE").to_string();
        let id = if cve.is_empty() { doc_id.clone() } else { cve };
        if id.is_empty() {
            out.warnings
                .push("vulnerability without CVE in a document without id".into());
            continue;
        }
        let mut adv = Advisory {
            id: id.clone(),
            source: if doc_id.to_ascii_lowercase().contains("suse") {
                "suse-cvrf".into()
            } else {
                "openeuler-cvrf".into()
            },
            title: title.clone(),
            references: references.clone(),
            published: published.clone(),
            modified: modified.clone(),
            ..Advisory::default()
        };
        if !doc_id.is_empty() && doc_id != id {
            adv.aliases.push(doc_id.clone());
        }
        if let Some(notes) = v.child("Notes") {
            if let Some(n) = notes.children_named("Note").next() {
                adv.description = n.text.trim().to_string();
            }
        }
        if adv.description.is_empty() {
            adv.description = doc_description.clone();
        }
        let mut sev = Severity::Unknown;
        if let Some(threats) = v.child("Threats") {
            for t in threats.children_named("Threat") {
                if t.attr("Type") == Some("Impact") {
                    sev = Severity::parse_lenient(t.child_text("Description"));
                }
            }
        }
        adv.severity = known(if sev == Severity::Unknown {
            doc_severity
        } else {
            sev
        });
        if let Some(sets) = v.child("CVSSScoreSets") {
            let mut push = |e: &Element| {
                let vector = e.child_text("Vector").to_string();
                let score = e.child_text("BaseScore").parse::<f64>().ok();
                if !vector.is_empty() || score.is_some() {
                    adv.cvss.push(Cvss {
                        source: String::new(),
                        vector,
                        score,
                    });
                }
            };
            if sets.child("ScoreSet").is_some() || sets.child("ScoreSetV3").is_some() {
                for s in sets
                    .children
                    .iter()
                    .filter(|c| c.name.starts_with("ScoreSet"))
                {
                    push(s);
                }
            } else {
                push(sets);
            }
        }
        if let Some(st) = v.child("ProductStatuses") {
            for s in st.children_named("Status") {
                let status = match s.attr("Type").unwrap_or("") {
                    "Fixed" | "First Fixed" | "Recommended" => None,
                    "Known Not Affected" => Some(AffectedStatus::NotAffected),
                    "Known Affected"
                    | "First Affected"
                    | "Last Affected"
                    | "Under Investigation" => Some(AffectedStatus::Affected),
                    other => {
                        out.warnings
                            .push(format!("{id}: unknown product status {other:?}"));
                        continue;
                    }
                };
                for p in s.children_named("ProductID") {
                    let pid = p.text.trim();
                    let resolved = tree.resolve(pid);
                    if resolved.is_empty() {
                        out.warnings.push(format!(
                            "{id}: product {pid:?} names no release and package"
                        ));
                    }
                    for (ns, name, evr) in resolved {
                        let aff = match status {
                            None if evr.is_empty() => {
                                out.warnings
                                    .push(format!("{id}: fixed product {pid:?} without a version"));
                                continue;
                            }
                            None => fixed_affected(ns, name, NameKind::Binary, &evr),
                            Some(st) => status_affected(ns, name, NameKind::Binary, st),
                        };
                        if !adv.affected.iter().any(|a| same(a, &aff)) {
                            adv.affected.push(aff);
                        }
                    }
                }
            }
        }
        out.advisories.push(adv);
    }
    Ok(out)
}

fn same(a: &Affected, b: &Affected) -> bool {
    a.namespace == b.namespace
        && a.package == b.package
        && a.status == b.status
        && a.ranges == b.ranges
}

fn date_only(s: &str) -> String {
    s.split('T').next().unwrap_or(s).to_string()
}

struct Tree {
    /// product id -> product name (releases)
    products: BTreeMap<String, String>,
    /// release product id -> (CPE)
    cpes: BTreeMap<String, String>,
    /// CPE -> packages (name, evr) from `Package Arch` branches
    by_cpe: BTreeMap<String, Vec<(String, String)>>,
    /// relationship product id -> (package product reference, release product reference)
    relations: BTreeMap<String, (String, String)>,
}

impl Tree {
    fn new(tree: Option<&Element>) -> Self {
        let mut t = Tree {
            products: BTreeMap::new(),
            cpes: BTreeMap::new(),
            by_cpe: BTreeMap::new(),
            relations: BTreeMap::new(),
        };
        let Some(tree) = tree else { return t };
        t.branch(tree, "", "");
        for r in tree.children_named("Relationship") {
            let (Some(pr), Some(rel)) = (
                r.attr("ProductReference"),
                r.attr("RelatesToProductReference"),
            ) else {
                continue;
            };
            if let Some(f) = r.child("FullProductName") {
                if let Some(pid) = f.attr("ProductID") {
                    t.relations
                        .insert(pid.to_string(), (pr.to_string(), rel.to_string()));
                }
            }
        }
        t
    }

    fn branch(&mut self, e: &Element, kind: &str, name: &str) {
        for c in &e.children {
            match c.name.as_str() {
                "Branch" => {
                    let k = c.attr("Type").unwrap_or("");
                    let n = c.attr("Name").unwrap_or("");
                    self.branch(c, k, n);
                }
                "FullProductName" => {
                    let pid = c.attr("ProductID").unwrap_or("").to_string();
                    let text = c.text.trim().to_string();
                    let cpe = c.attr("CPE").unwrap_or("").to_string();
                    match kind {
                        "Package Arch" => {
                            if name == "src" || text.ends_with(".src.rpm") {
                                continue;
                            }
                            if let Some((n, evr, _arch)) = split_nevra(&text, true) {
                                let list = self.by_cpe.entry(cpe).or_default();
                                if !list.iter().any(|(a, b)| *a == n && *b == evr) {
                                    list.push((n, evr));
                                }
                            }
                        }
                        "Product Version" => {}
                        _ => {
                            self.products.insert(pid.clone(), text);
                            if !cpe.is_empty() {
                                self.cpes.insert(pid, cpe);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A status product id -> (namespace, package, version) triples.
    fn resolve(&self, pid: &str) -> Vec<(String, String, String)> {
        // SUSE relationship: "release:pkg-ver-rel"
        if let Some((pkg, rel)) = self.relations.get(pid) {
            let rel_name = self.products.get(rel).map(String::as_str).unwrap_or(rel);
            return namespace_of(rel_name)
                .map(|ns| vec![name_version(ns, pkg)])
                .unwrap_or_default();
        }
        // openEuler: the release itself; packages come from its CPE.
        if let Some(cpe) = self.cpes.get(pid) {
            let name = self.products.get(pid).map(String::as_str).unwrap_or(pid);
            let Some(ns) = namespace_of(name) else {
                return Vec::new();
            };
            return self
                .by_cpe
                .get(cpe)
                .map(|l| {
                    l.iter()
                        .map(|(n, v)| (ns.clone(), n.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default();
        }
        // "release:pkg-ver-rel" without a relationship element.
        if let Some((rel, pkg)) = pid.split_once(':') {
            if let Some(ns) = namespace_of(rel) {
                return vec![name_version(ns, pkg)];
            }
        }
        Vec::new()
    }
}

/// `pkg-1.2-3.1` -> (`pkg`, `1.2-3.1`); a bare name (`kernel-default`, as "Known Affected"
/// statuses write it) keeps an empty version.
fn name_version(ns: String, pkg: &str) -> (String, String, String) {
    let looks_versioned = pkg
        .rsplit('-')
        .nth(1)
        .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()));
    match split_nevra(pkg, false) {
        Some((n, evr, _)) if looks_versioned => (ns, n, evr),
        _ => (ns, pkg.to_string(), String::new()),
    }
}

/// Release product name -> namespace:
/// `SUSE Linux Enterprise Server 12 SP4(-LTSS)` -> `sles:12.4`; `... Module for X 15` ->
/// `sles:15`; `SUSE Linux Enterprise Micro 5.1` -> `sle-micro:5.1`; `openSUSE Leap 15.0`
/// -> `opensuse-leap:15.0`; `openSUSE 13.2` -> `opensuse:13.2`; `openSUSE Tumbleweed` ->
/// `opensuse-tumbleweed`; `openEuler-22.03-LTS-SP1` -> `openeuler:22.03-lts-sp1`;
/// `EulerOS V2.0SP5` -> `euleros:2.0sp5`; `HCE 2.0` -> `hce:2.0`.
pub(crate) fn namespace_of(product: &str) -> Option<String> {
    let p = product.trim();
    if let Some(rest) = p.strip_prefix("SUSE Linux Enterprise Micro ") {
        return Some(format!("sle-micro:{}", rest.split_whitespace().next()?));
    }
    if p.starts_with("SUSE Linux Enterprise") {
        let words: Vec<&str> = p.split_whitespace().collect();
        let i = words
            .iter()
            .position(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))?;
        let major: String = words[i]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let sp = words
            .get(i + 1)
            .and_then(|w| w.strip_prefix("SP"))
            .map(|s| s.split('-').next().unwrap_or(s).to_string());
        return Some(match sp {
            Some(sp) if !sp.is_empty() => format!("sles:{major}.{sp}"),
            _ => format!("sles:{major}"),
        });
    }
    if let Some(rest) = p.strip_prefix("openSUSE Leap Micro ") {
        return Some(format!(
            "opensuse-leap-micro:{}",
            rest.split_whitespace().next()?
        ));
    }
    if let Some(rest) = p.strip_prefix("openSUSE Leap ") {
        return Some(format!("opensuse-leap:{}", rest.split_whitespace().next()?));
    }
    if p == "openSUSE Tumbleweed" {
        return Some("opensuse-tumbleweed".into());
    }
    if let Some(rest) = p.strip_prefix("openSUSE ") {
        let v = rest.split_whitespace().next()?;
        if v.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            return Some(format!("opensuse:{v}"));
        }
        return None;
    }
    // openEuler-22.03-LTS-SP1, EulerOS V2.0SP5, HCE 2.0
    let (distro, ver) = match p.split_once(['-', ' ']) {
        Some((d, v)) => (d, v),
        None => return None,
    };
    let ver = ver.trim().to_ascii_lowercase();
    let ver = ver.strip_prefix('v').unwrap_or(&ver).replace(' ', "-");
    if distro.is_empty() || ver.is_empty() || !ver.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(format!("{}:{}", distro.to_ascii_lowercase(), ver))
}
