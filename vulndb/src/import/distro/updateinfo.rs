//! yum/dnf `updateinfo.xml` (Amazon Linux ALAS, Rocky Linux RLSA, and other RPM repos),
//! plain or gzip-compressed.
//!
//! Only `type="security"` updates are imported. The namespace comes from the advisory id
//! (`ALAS-` -> `amazon:1`, `ALAS2-` -> `amazon:2`, `ALAS2023-` -> `amazon:2023`) or from the
//! collection/release name (`Rocky Linux 8` -> `rocky:8`, `AlmaLinux 9` -> `almalinux:9`,
//! `Oracle Linux 8` -> `oracle:8`). Modular collections name packages `module:stream::pkg`.

use strata_core::Severity;

use super::xml::{self, Element};
use super::{Error, Parsed, fixed_affected, is_cve, known, push_unique};
use crate::model::{Advisory, Affected, NameKind};

/// Parses one updateinfo document.
pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, Error> {
    let root = xml::parse(bytes)?;
    if root.name != "updates" {
        return Err(Error::Malformed(format!(
            "expected updates, found <{}>",
            root.name
        )));
    }
    let mut out = Parsed::default();
    for u in root.children_named("update") {
        if u.attr("type") != Some("security") {
            continue;
        }
        let vid = u.child_text("id").to_string();
        if vid.is_empty() {
            out.warnings.push("update without id".into());
            continue;
        }
        let release_name = u.child_text("release").to_string();
        let mut affected: Vec<Affected> = Vec::new();
        if let Some(pl) = u.child("pkglist") {
            for c in pl.children_named("collection") {
                let cname = c.child_text("name");
                let Some(ns) = namespace(&vid, cname).or_else(|| namespace(&vid, &release_name))
                else {
                    out.warnings.push(format!(
                        "{vid}: cannot tell the release of collection {cname:?}"
                    ));
                    continue;
                };
                let module = c
                    .child("module")
                    .and_then(|m| Some((m.attr("name")?, m.attr("stream")?)));
                for p in c.children_named("package") {
                    if let Some(a) = package(p, &ns, module) {
                        if !affected
                            .iter()
                            .any(|x| x.namespace == a.namespace && x.package == a.package)
                        {
                            affected.push(a);
                        }
                    }
                }
            }
        }
        let mut cves = Vec::new();
        let mut refs = Vec::new();
        if let Some(r) = u.child("references") {
            for reference in r.children_named("reference") {
                let id = reference.attr("id").unwrap_or("");
                if reference.attr("type") == Some("cve") && is_cve(id) {
                    push_unique(&mut cves, id);
                }
                push_unique(&mut refs, reference.attr("href").unwrap_or(""));
            }
        }
        let published = u
            .child("issued")
            .and_then(|i| i.attr("date"))
            .map(|d| d.split_whitespace().next().unwrap_or(d).to_string());
        let modified = u
            .child("updated")
            .and_then(|i| i.attr("date"))
            .map(|d| d.split_whitespace().next().unwrap_or(d).to_string());
        let ids = if cves.is_empty() {
            vec![vid.clone()]
        } else {
            cves
        };
        for id in ids {
            out.advisories.push(Advisory {
                aliases: if id == vid {
                    Vec::new()
                } else {
                    vec![vid.clone()]
                },
                id,
                source: "updateinfo".into(),
                title: u.child_text("title").to_string(),
                description: u.child_text("description").to_string(),
                severity: known(Severity::parse_lenient(u.child_text("severity"))),
                references: refs.clone(),
                published: published.clone(),
                modified: modified.clone(),
                affected: affected.clone(),
                ..Advisory::default()
            });
        }
    }
    Ok(out)
}

fn package(p: &Element, ns: &str, module: Option<(&str, &str)>) -> Option<Affected> {
    let name = p.attr("name")?;
    let version = p.attr("version")?;
    let release = p.attr("release").unwrap_or("");
    if p.attr("arch") == Some("src") || name.is_empty() || version.is_empty() {
        return None;
    }
    let epoch = p.attr("epoch").unwrap_or("0");
    let vr = if release.is_empty() {
        version.to_string()
    } else {
        format!("{version}-{release}")
    };
    let evr = if epoch.is_empty() || epoch == "0" {
        vr
    } else {
        format!("{epoch}:{vr}")
    };
    let pkg = match module {
        Some((m, s)) => format!("{m}:{s}::{name}"),
        None => name.to_string(),
    };
    Some(fixed_affected(ns.to_string(), pkg, NameKind::Binary, &evr))
}

/// Namespace from the advisory id (Amazon) or a release name.
fn namespace(vid: &str, name: &str) -> Option<String> {
    for (prefix, ns) in [
        ("ALAS2023-", "amazon:2023"),
        ("ALAS2022-", "amazon:2022"),
        ("ALAS2-", "amazon:2"),
        ("ALAS-", "amazon:1"),
    ] {
        if vid.starts_with(prefix) {
            return Some(ns.to_string());
        }
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let i = words
        .iter()
        .position(|w| w.starts_with(|c: char| c.is_ascii_digit()))?;
    let distro = match words[..i].join(" ").to_ascii_lowercase().as_str() {
        "rocky linux" => "rocky",
        "almalinux" => "almalinux",
        "oracle linux" => "oracle",
        "centos" | "centos linux" | "centos stream" => "centos",
        "amazon linux" => "amazon",
        "fedora" => "fedora",
        _ => return None,
    };
    let major: String = words[i].chars().take_while(char::is_ascii_digit).collect();
    Some(format!("{distro}:{major}"))
}
