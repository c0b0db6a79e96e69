//! OVAL definitions: Red Hat OVAL v2 streams (`*-including-unpatched`), and the
//! RPM-based OVAL feeds written in the same style (Oracle Linux ELSA, Photon OS PHSA, Azure
//! Linux / CBL-Mariner).
//!
//! The criteria comments carry the package statements in a fixed form:
//! `pkg is earlier than 0:1.2-3.el7` (fixed; Azure writes `Package pkg is earlier than
//! 1.2-3, affected by CVE-…`), `pkg is installed` in a `vulnerability` definition (unfixed;
//! the state comes from `advisory/affected/resolution`), `pkg is not installed` in an
//! "unaffected" definition (not affected), `Module m:s is enabled` (modular package: named
//! `m:s::pkg`), `Red Hat Enterprise Linux 8 is installed` / `Oracle Linux 5` / `Photon OS 3`
//! (the release; otherwise taken from the file name: `rhel-8`, `azurelinux-3.0`,
//! `cbl-mariner-2.0`). Signature criteria are ignored. One [`Advisory`] per CVE of a
//! definition (alias: the RHSA/ELSA/PHSA); definitions without CVE keep their advisory id.

use strata_core::{Cvss, Severity};

use super::xml::{self, Element};
use super::{Error, Parsed, fixed_affected, is_cve, known, push_unique, status_affected};
use crate::model::{Advisory, Affected, AffectedStatus, NameKind};

/// Parses an OVAL definitions document; `name_hint` (e.g. `RHEL8/...`) gives the release
/// when no criterion names it.
pub(crate) fn parse(bytes: &[u8], name_hint: &str) -> Result<Parsed, Error> {
    // Only the definitions are read: tests, objects and states (most of a full stream) are
    // skipped while parsing.
    let root = xml::parse_skipping(bytes, &["tests", "objects", "states", "variables"])?;
    if root.name != "oval_definitions" {
        return Err(Error::Malformed(format!(
            "expected oval_definitions, found <{}>",
            root.name
        )));
    }
    let hint_ns = hint_release(name_hint);
    let mut out = Parsed::default();
    let Some(defs) = root.child("definitions") else {
        return Ok(out);
    };
    for def in defs.children_named("definition") {
        let def_id = def.attr("id").unwrap_or("");
        let class = def.attr("class").unwrap_or("");
        let unaffected_def = def_id.contains(".unaffected:");
        let Some(meta) = def.child("metadata") else {
            continue;
        };
        let title = meta.child_text("title").to_string();
        let description = meta.child_text("description").to_string();
        let advisory = meta.child("advisory");
        // Red Hat/Oracle/Photon: advisory/severity; Azure Linux: metadata/severity.
        let severity = match advisory.map(|a| Severity::parse_lenient(a.child_text("severity"))) {
            Some(s) if s != Severity::Unknown => s,
            _ => Severity::parse_lenient(meta.child_text("severity")),
        };
        let mut vendor_id = String::new();
        let mut cves: Vec<String> = Vec::new();
        let mut references = Vec::new();
        for r in meta.children_named("reference") {
            let rid = r.attr("ref_id").unwrap_or("");
            match r.attr("source").unwrap_or("").to_ascii_uppercase().as_str() {
                "RHSA" | "ELSA" => vendor_id = rid.to_string(),
                "CVE" => {
                    // Photon writes `CVE:00001:CVE-2019-16168`.
                    let id = rid.rsplit(':').next().unwrap_or(rid);
                    if is_cve(id) {
                        push_unique(&mut cves, id);
                    }
                }
                _ => {}
            }
            push_unique(&mut references, r.attr("ref_url").unwrap_or(""));
        }
        if vendor_id.is_empty() {
            // Photon: "PHSA-2020:00001 sqlite Security Update."
            let first = title
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches(':');
            if first.starts_with("PHSA-") {
                vendor_id = first.to_string();
            }
        }
        let mut cve_meta: Vec<(String, Option<Severity>, Vec<Cvss>)> = Vec::new();
        let mut resolutions: Vec<(String, String)> = Vec::new(); // (component, state)
        if let Some(a) = advisory {
            for c in a.children_named("cve") {
                let id = c.text.trim().to_string();
                push_unique(&mut cves, &id);
                let mut cvss = Vec::new();
                for key in ["cvss3", "cvss2"] {
                    if let Some(v) = c.attr(key) {
                        let (score, vector) = v.split_once('/').unwrap_or(("", v));
                        cvss.push(Cvss {
                            source: "redhat".into(),
                            vector: vector.to_string(),
                            score: score.parse().ok(),
                        });
                    }
                }
                let impact = c
                    .attr("impact")
                    .map(Severity::parse_lenient)
                    .and_then(known);
                cve_meta.push((id, impact, cvss));
            }
            for aff in a.children_named("affected") {
                for res in aff.children_named("resolution") {
                    let state = res.attr("state").unwrap_or("").to_string();
                    for comp in res.children_named("component") {
                        resolutions.push((comp.text.trim().to_string(), state.clone()));
                    }
                }
            }
        }
        // Walk the criteria.
        let mut stmts: Vec<Stmt> = Vec::new();
        let mut release: Option<String> = None;
        if let Some(c) = def.child("criteria") {
            walk(c, None, &mut stmts, &mut release, 0);
        }
        let Some(ns) = release.or_else(|| hint_ns.clone()) else {
            if !stmts.is_empty() {
                out.warnings.push(format!("{def_id}: no release named"));
            }
            continue;
        };
        let source = format!("{}-oval", ns.split(':').next().unwrap_or("redhat"));
        let mut affected: Vec<Affected> = Vec::new();
        for s in stmts {
            let a = match s.what {
                What::Earlier(evr) => {
                    if class == "vulnerability" && unaffected_def {
                        continue;
                    }
                    fixed_affected(ns.clone(), s.package, NameKind::Binary, &evr)
                }
                What::Installed => {
                    if class != "vulnerability" || unaffected_def {
                        continue;
                    }
                    let state = resolutions
                        .iter()
                        .find(|(c, _)| *c == s.package || s.package.ends_with(&format!("::{c}")))
                        .map(|(_, st)| st.as_str())
                        .unwrap_or("Affected");
                    let st = match state {
                        "Will not fix" => AffectedStatus::WillNotFix,
                        "Fix deferred" => AffectedStatus::FixDeferred,
                        "Out of support scope" => AffectedStatus::EndOfLife,
                        "Not affected" => AffectedStatus::NotAffected,
                        _ => AffectedStatus::Affected,
                    };
                    status_affected(ns.clone(), s.package, NameKind::Binary, st)
                }
                What::NotInstalled => {
                    if !unaffected_def {
                        continue;
                    }
                    status_affected(
                        ns.clone(),
                        s.package,
                        NameKind::Binary,
                        AffectedStatus::NotAffected,
                    )
                }
            };
            if !affected
                .iter()
                .any(|x| x.package == a.package && x.status == a.status && x.ranges == a.ranges)
            {
                affected.push(a);
            }
        }
        if affected.is_empty() {
            continue;
        }
        let published = advisory
            .and_then(|a| a.child("issued"))
            .and_then(|i| i.attr("date"))
            .map(str::to_string);
        let modified = advisory
            .and_then(|a| a.child("updated"))
            .and_then(|i| i.attr("date"))
            .map(str::to_string);
        let ids = if cves.is_empty() {
            if vendor_id.is_empty() {
                out.warnings
                    .push(format!("{def_id}: no CVE and no advisory id"));
                continue;
            }
            vec![vendor_id.clone()]
        } else {
            cves.clone()
        };
        for id in ids {
            let meta = cve_meta.iter().find(|(c, _, _)| *c == id);
            out.advisories.push(Advisory {
                id: id.clone(),
                aliases: if vendor_id.is_empty() || vendor_id == id {
                    Vec::new()
                } else {
                    vec![vendor_id.clone()]
                },
                source: source.clone(),
                title: title.clone(),
                description: description.clone(),
                severity: meta.and_then(|m| m.1).or(known(severity)),
                cvss: meta.map(|m| m.2.clone()).unwrap_or_default(),
                references: references.clone(),
                published: published.clone(),
                modified: modified.clone(),
                affected: affected.clone(),
                ..Advisory::default()
            });
        }
    }
    Ok(out)
}

enum What {
    Earlier(String),
    Installed,
    NotInstalled,
}

struct Stmt {
    package: String,
    what: What,
}

/// `Red Hat Enterprise Linux 8 is installed` -> `redhat:8`; `Oracle Linux 5 is installed`
/// or `... signed with the Oracle Linux 5 key` -> `oracle:5`; `Photon OS 3 is installed` ->
/// `photon:3`.
fn release_of(comment: &str) -> Option<String> {
    for (prefix, distro) in [
        ("Red Hat Enterprise Linux ", "redhat"),
        ("Oracle Linux ", "oracle"),
        ("Photon OS ", "photon"),
    ] {
        if let Some(i) = comment.find(prefix) {
            let rest = &comment[i + prefix.len()..];
            if rest.ends_with(" is installed") || rest.ends_with(" key") {
                let m: String = rest.chars().take_while(char::is_ascii_digit).collect();
                if !m.is_empty() {
                    return Some(format!("{distro}:{m}"));
                }
            }
        }
    }
    None
}

fn walk(
    c: &Element,
    module: Option<&str>,
    out: &mut Vec<Stmt>,
    release: &mut Option<String>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    // A module statement applies to its whole criteria group.
    let mut module_here: Option<String> = module.map(str::to_string);
    for cr in c.children_named("criterion") {
        let comment = cr.attr("comment").unwrap_or("");
        if let Some(m) = comment
            .strip_prefix("Module ")
            .and_then(|r| r.strip_suffix(" is enabled"))
        {
            module_here = Some(m.trim().to_string());
        }
    }
    for cr in c.children_named("criterion") {
        let comment = cr.attr("comment").unwrap_or("").trim();
        if let Some(r) = release_of(comment) {
            if release.is_none() {
                *release = Some(r);
            }
            continue;
        }
        if comment.starts_with("Module ")
            || comment.contains(" is signed with ")
            || comment.contains("must be installed")
        {
            continue;
        }
        // Azure Linux: "Package golang is earlier than 1.20.7-1, affected by CVE-2023-29409".
        let comment = comment.strip_prefix("Package ").unwrap_or(comment);
        let comment = comment.split(", affected by").next().unwrap_or(comment);
        let name = |p: &str| match &module_here {
            Some(m) => format!("{m}::{p}"),
            None => p.to_string(),
        };
        if let Some((pkg, evr)) = comment.split_once(" is earlier than ") {
            out.push(Stmt {
                package: name(pkg.trim()),
                what: What::Earlier(strip_zero_epoch(evr.trim())),
            });
        } else if let Some(pkg) = comment.strip_suffix(" is not installed") {
            out.push(Stmt {
                package: name(pkg.trim()),
                what: What::NotInstalled,
            });
        } else if let Some(pkg) = comment.strip_suffix(" is installed") {
            if !pkg.contains(' ') {
                out.push(Stmt {
                    package: name(pkg.trim()),
                    what: What::Installed,
                });
            }
        }
    }
    for sub in c.children_named("criteria") {
        walk(sub, module_here.as_deref(), out, release, depth + 1);
    }
}

/// `0:1.2-3.el7` -> `1.2-3.el7` (rpm treats a missing epoch as 0).
fn strip_zero_epoch(evr: &str) -> String {
    evr.strip_prefix("0:").unwrap_or(evr).to_string()
}

/// Release from the file name: `RHEL8/...`, `rhel-8-...` -> `redhat:8`;
/// `azurelinux-3.0-oval.xml` -> `azurelinux:3.0`; `cbl-mariner-2.0-...` -> `cbl-mariner:2.0`.
fn hint_release(hint: &str) -> Option<String> {
    let lower = hint.to_ascii_lowercase();
    let base = lower.rsplit('/').next().unwrap_or(&lower);
    for (prefix, distro) in [
        ("azurelinux-", "azurelinux"),
        ("cbl-mariner-", "cbl-mariner"),
    ] {
        if let Some(rest) = base.strip_prefix(prefix) {
            let v: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let v = v.trim_end_matches('.');
            if !v.is_empty() {
                return Some(format!("{distro}:{v}"));
            }
        }
    }
    let i = lower.find("rhel")?;
    let rest = lower[i + 4..].trim_start_matches(['-', '_']);
    let m: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!m.is_empty()).then(|| format!("redhat:{m}"))
}
