//! Debian security tracker JSON: the vuln-list-debian tree (per-CVE/DSA/DLA annotation files
//! plus per-release source versions) and the tracker's own `data/json` export.
//!
//! The vuln-list tree is resolved the way the security tracker itself reads its lists:
//! - a release line (`[buster] - pkg 1.2-3` or `<no-dsa>`/`<ignored>`/`<postponed>`) is the
//!   answer for that release, and a DSA/DLA naming a newer fixed version replaces it;
//! - a release without a line inherits the unstable (`- pkg 1.2-3`) fix when the release's
//!   own source version already reaches it, and is otherwise affected;
//! - `<not-affected>` (per release, or for unstable: every release) suppresses the entry;
//! - a release fix newer than every version the release ships is not released yet: affected.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use strata_core::Severity;

use super::{
    Error, Parsed, debian_codename_version, fixed_affected, known, push_unique, status_affected,
};
use crate::model::{Advisory, AffectedStatus, NameKind};

#[derive(Deserialize, Default)]
struct Bug {
    #[serde(rename = "Header", default)]
    header: Header,
    #[serde(rename = "Annotations", default)]
    annotations: Vec<Annotation>,
}

#[derive(Deserialize, Default)]
struct Header {
    #[serde(rename = "ID", default)]
    id: String,
    #[serde(rename = "Description", default)]
    description: String,
}

#[derive(Deserialize, Default)]
struct Annotation {
    #[serde(rename = "Type", default)]
    kind_of: String,
    #[serde(rename = "Release", default)]
    release: String,
    #[serde(rename = "Package", default)]
    package: String,
    #[serde(rename = "Kind", default)]
    kind: String,
    #[serde(rename = "Version", default)]
    version: String,
    #[serde(rename = "Severity", default)]
    severity: String,
    #[serde(rename = "Bugs", default)]
    bugs: Vec<String>,
}

#[derive(Deserialize)]
struct SourcePkg {
    #[serde(rename = "Package", default)]
    package: Vec<String>,
    #[serde(rename = "Version", default)]
    version: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Sources {
    One(SourcePkg),
    Many(Vec<SourcePkg>),
}

#[derive(Clone, Default)]
struct Adv {
    fixed: String,
    state: String,
    severity: Severity,
    vendor_ids: Vec<String>,
}

/// Collects the files of a vuln-list-debian tree (`tracker/distributions.json`,
/// `tracker/source/<release>/**.json`, `tracker/updates-source/<release>/**.json`,
/// `tracker/CVE/*.json`, `tracker/DLA/*.json`, `tracker/DSA/*.json`) and resolves them into
/// one [`Advisory`] per CVE (or per DSA/DLA without CVEs).
#[derive(Default)]
pub struct DebianVulnList {
    /// codename -> major version
    distributions: BTreeMap<String, String>,
    /// (codename, source package) -> newest version
    pkg_versions: BTreeMap<(String, String), String>,
    /// (package, vuln) -> (unstable fixed version, severity)
    sid: BTreeMap<(String, String), (String, Severity)>,
    /// (codename, package, vuln)
    advisories: BTreeMap<(String, String, String), Adv>,
    not_affected: BTreeSet<(String, String, String)>,
    titles: BTreeMap<String, String>,
    cve_bugs: Vec<Bug>,
    vendor_bugs: Vec<(u8, Bug)>,
    warnings: Vec<String>,
}

impl DebianVulnList {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `path` is a file of a vuln-list-debian tree that [`DebianVulnList::add_file`]
    /// takes (`distributions.json`, `source/<release>/**.json`,
    /// `updates-source/<release>/**.json`, `CVE/*.json`, `DSA/*.json`, `DLA/*.json`), so a
    /// directory walk can route these files here instead of to [`super::parse`].
    pub fn wants(path: &str) -> bool {
        let path = path.replace('\\', "/");
        if !path.ends_with(".json") {
            return false;
        }
        let parts: Vec<&str> = path.split('/').collect();
        let name = parts.last().copied().unwrap_or("");
        // Only inside a Debian tree (`vuln-list-debian/tracker/...`, `vuln-list/debian/...`).
        if !parts
            .iter()
            .any(|p| *p == "tracker" || p.to_ascii_lowercase().contains("debian"))
        {
            return false;
        }
        if name == "distributions.json" {
            return true;
        }
        if parts
            .iter()
            .rev()
            .skip(1)
            .any(|p| *p == "source" || *p == "updates-source")
        {
            return true;
        }
        matches!(
            parts.iter().rev().nth(1).copied(),
            Some("CVE" | "DSA" | "DLA")
        ) && (name.starts_with("CVE-")
            || name.starts_with("DSA-")
            || name.starts_with("DLA-")
            || name.starts_with("TEMP-"))
    }

    /// Adds one file of the tree; `path` is its path (relative or absolute) and decides
    /// what the file is.
    pub fn add_file(&mut self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let path = path.replace('\\', "/");
        let name = path.rsplit('/').next().unwrap_or(&path);
        if name == "distributions.json" {
            let parsed: BTreeMap<String, serde_json::Value> =
                serde_json::from_slice(bytes).map_err(Error::Json)?;
            for (code, v) in parsed {
                if let Some(mv) = v.get("major-version").and_then(|m| m.as_str()) {
                    if !mv.is_empty() {
                        self.distributions.insert(code, mv.to_string());
                    }
                }
            }
            return Ok(());
        }
        let parts: Vec<&str> = path.split('/').collect();
        if let Some(i) = parts
            .iter()
            .position(|p| *p == "source" || *p == "updates-source")
        {
            let Some(code) = parts.get(i + 1) else {
                return Ok(());
            };
            let sources: Sources = serde_json::from_slice(bytes).map_err(Error::Json)?;
            let list = match sources {
                Sources::One(s) => vec![s],
                Sources::Many(v) => v,
            };
            for s in list {
                let (Some(p), Some(v)) = (s.package.first(), s.version.first()) else {
                    continue;
                };
                let key = (code.to_string(), p.clone());
                let newer = match self.pkg_versions.get(&key) {
                    Some(old) => compare_debian(old, v) == std::cmp::Ordering::Less,
                    None => true,
                };
                if newer {
                    self.pkg_versions.insert(key, v.clone());
                }
            }
            return Ok(());
        }
        let bug: Bug = serde_json::from_slice(bytes).map_err(Error::Json)?;
        let dir_kind = parts.iter().rev().nth(1).copied().unwrap_or("");
        let id = bug.header.id.clone();
        if dir_kind == "CVE" || (!matches!(dir_kind, "DSA" | "DLA") && id.starts_with("CVE-")) {
            self.cve_bugs.push(bug);
        } else {
            // DLA are applied before DSA, as the tracker does.
            let order = if dir_kind == "DLA" || id.starts_with("DLA-") {
                0
            } else {
                1
            };
            self.vendor_bugs.push((order, bug));
        }
        Ok(())
    }

    fn major(&self, code: &str) -> Option<String> {
        if let Some(m) = self.distributions.get(code) {
            return Some(m.clone());
        }
        if self.distributions.is_empty() {
            return debian_codename_version(code).map(str::to_string);
        }
        None
    }

    /// Resolves everything added so far.
    pub fn finish(mut self) -> Parsed {
        for bug in std::mem::take(&mut self.cve_bugs) {
            self.apply_cve(&bug);
        }
        let mut vendor = std::mem::take(&mut self.vendor_bugs);
        vendor.sort_by_key(|(o, _)| *o);
        for (_, bug) in vendor {
            self.apply_vendor(&bug);
        }

        // Resolve every (release, package, vuln).
        let mut out: BTreeMap<(String, String, String), Adv> = BTreeMap::new();
        let codes: Vec<String> = if self.distributions.is_empty() {
            Vec::new()
        } else {
            self.distributions.keys().cloned().collect()
        };
        for ((pkg, vuln), (sid_ver, sid_sev)) in &self.sid {
            if self
                .not_affected
                .contains(&(String::new(), pkg.clone(), vuln.clone()))
            {
                continue;
            }
            for code in &codes {
                let bkt = (code.clone(), pkg.clone(), vuln.clone());
                if self.not_affected.contains(&bkt) {
                    continue;
                }
                let mut adv = self.advisories.get(&bkt).cloned();
                if adv.as_ref().is_some_and(|a| a.state.is_empty()) {
                    continue; // an explicit release answer, emitted below
                }
                let Some(code_ver) = self.pkg_versions.get(&(code.clone(), pkg.clone())) else {
                    continue;
                };
                let fixed = !sid_ver.is_empty()
                    && compare_debian(code_ver, sid_ver) != std::cmp::Ordering::Less;
                let mut a = adv.take().unwrap_or_default();
                if fixed {
                    a.fixed = sid_ver.clone();
                    a.state.clear();
                    self.advisories.remove(&bkt);
                }
                a.severity = *sid_sev;
                out.insert(bkt, a);
            }
        }
        for (bkt, a) in std::mem::take(&mut self.advisories) {
            out.insert(bkt, a);
        }

        let mut parsed = Parsed {
            warnings: std::mem::take(&mut self.warnings),
            ..Parsed::default()
        };
        let mut by_vuln: BTreeMap<String, Advisory> = BTreeMap::new();
        for ((code, pkg, vuln), a) in out {
            let Some(major) = self.major(&code) else {
                continue;
            };
            let ns = format!("debian:{major}");
            let mut fixed = a.fixed.clone();
            let mut status = state_status(&a.state);
            // A release fix newer than anything the release ships is not released yet.
            if !fixed.is_empty() {
                if let Some(cv) = self.pkg_versions.get(&(code.clone(), pkg.clone())) {
                    if compare_debian(cv, &fixed) == std::cmp::Ordering::Less {
                        fixed.clear();
                        status = AffectedStatus::Affected;
                    }
                }
            }
            let mut aff = if fixed.is_empty() {
                status_affected(ns, pkg.clone(), NameKind::Source, status)
            } else {
                fixed_affected(ns, pkg.clone(), NameKind::Source, &fixed)
            };
            aff.severity = known(a.severity);
            let adv = by_vuln.entry(vuln.clone()).or_insert_with(|| Advisory {
                id: vuln.clone(),
                source: "debian-tracker".into(),
                title: self.titles.get(&vuln).cloned().unwrap_or_default(),
                ..Advisory::default()
            });
            for v in &a.vendor_ids {
                if *v != vuln {
                    push_unique(&mut adv.aliases, v);
                }
            }
            adv.affected.push(aff);
        }
        parsed.advisories = by_vuln.into_values().collect();
        parsed
    }

    fn apply_cve(&mut self, bug: &Bug) {
        let cve = bug.header.id.clone();
        if cve.is_empty() {
            self.warnings
                .push("CVE annotation file without an id".into());
            return;
        }
        self.titles
            .insert(cve.clone(), header_title(&bug.header.description));
        let mut severities: BTreeMap<String, Severity> = BTreeMap::new();
        for ann in &bug.annotations {
            if ann.kind_of != "package" {
                continue;
            }
            let bkt = (ann.release.clone(), ann.package.clone(), cve.clone());
            if matches!(ann.kind.as_str(), "not-affected" | "undetermined") {
                self.not_affected.insert(bkt);
                continue;
            }
            if ann.release.is_empty() {
                let mut sev = Severity::Unknown;
                if !ann.severity.is_empty() {
                    sev = severity_from_urgency(&ann.severity);
                    severities.insert(ann.package.clone(), sev);
                }
                self.sid.insert(
                    (ann.package.clone(), cve.clone()),
                    (ann.version.clone(), sev),
                );
                continue;
            }
            let mut adv = Adv {
                fixed: ann.version.clone(),
                severity: severities.get(&ann.package).copied().unwrap_or_default(),
                ..Adv::default()
            };
            if ann.version.is_empty() {
                adv.state = ann.kind.clone();
            }
            self.advisories.insert(bkt, adv);
        }
    }

    fn apply_vendor(&mut self, bug: &Bug) {
        let id = bug.header.id.clone();
        let mut cves: Vec<String> = Vec::new();
        let mut titled = false;
        for ann in &bug.annotations {
            if ann.kind_of == "xref" {
                cves = ann.bugs.clone();
                continue;
            }
            if ann.kind_of != "package" {
                continue;
            }
            let vulns = if cves.is_empty() {
                vec![id.clone()]
            } else {
                cves.clone()
            };
            if cves.is_empty() && !titled {
                self.titles
                    .entry(id.clone())
                    .or_insert_with(|| header_title(&bug.header.description));
                titled = true;
            }
            for vuln in vulns {
                let bkt = (ann.release.clone(), ann.package.clone(), vuln);
                if matches!(ann.kind.as_str(), "not-affected" | "undetermined") {
                    self.not_affected.insert(bkt);
                    continue;
                }
                match self.advisories.get_mut(&bkt) {
                    Some(adv) => {
                        if compare_opt(&ann.version, &adv.fixed) == std::cmp::Ordering::Greater {
                            adv.fixed = ann.version.clone();
                            adv.state.clear();
                        }
                        adv.vendor_ids.push(id.clone());
                    }
                    None => {
                        self.advisories.insert(
                            bkt,
                            Adv {
                                fixed: ann.version.clone(),
                                vendor_ids: vec![id.clone()],
                                ..Adv::default()
                            },
                        );
                    }
                }
            }
        }
    }
}

fn header_title(desc: &str) -> String {
    let d = desc.trim();
    let d = d
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(d);
    d.to_string()
}

fn state_status(state: &str) -> AffectedStatus {
    match state {
        "ignored" => AffectedStatus::WillNotFix,
        "postponed" => AffectedStatus::FixDeferred,
        "end-of-life" => AffectedStatus::EndOfLife,
        "not-affected" => AffectedStatus::NotAffected,
        // no-dsa, unfixed, removed, "" with no fix
        _ => AffectedStatus::Affected,
    }
}

/// Debian urgency -> severity (`unimportant` counts as low, as the tracker's consumers do).
pub(crate) fn severity_from_urgency(u: &str) -> Severity {
    match u.trim().trim_end_matches('*') {
        "unimportant" | "low" => Severity::Low,
        "medium" => Severity::Medium,
        "high" => Severity::High,
        _ => Severity::Unknown,
    }
}

fn compare_opt(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => std::cmp::Ordering::Equal,
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        _ => compare_debian(a, b),
    }
}

/// dpkg version comparison (epoch, upstream, revision; `~` sorts before everything).
pub(crate) fn compare_debian(a: &str, b: &str) -> std::cmp::Ordering {
    fn split(v: &str) -> (u64, &str, &str) {
        let v = v.trim();
        let (epoch, rest) = match v.find(':') {
            Some(i) => (v[..i].parse().unwrap_or(0), &v[i + 1..]),
            None => (0, v),
        };
        match rest.rfind('-') {
            Some(i) => (epoch, &rest[..i], &rest[i + 1..]),
            None => (epoch, rest, ""),
        }
    }
    fn order(c: u8) -> i32 {
        if c == b'~' {
            -1
        } else if c.is_ascii_alphabetic() {
            c as i32
        } else {
            c as i32 + 256
        }
    }
    fn part(a: &str, b: &str) -> std::cmp::Ordering {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            // non-digit prefix
            while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit())
            {
                let ac = if i < a.len() && !a[i].is_ascii_digit() {
                    order(a[i])
                } else {
                    0
                };
                let bc = if j < b.len() && !b[j].is_ascii_digit() {
                    order(b[j])
                } else {
                    0
                };
                if ac != bc {
                    return ac.cmp(&bc);
                }
                if i < a.len() && !a[i].is_ascii_digit() {
                    i += 1;
                }
                if j < b.len() && !b[j].is_ascii_digit() {
                    j += 1;
                }
            }
            while i < a.len() && a[i] == b'0' {
                i += 1;
            }
            while j < b.len() && b[j] == b'0' {
                j += 1;
            }
            let si = i;
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (da, db) = (&a[si..i], &b[sj..j]);
            let c = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
            if c != std::cmp::Ordering::Equal {
                return c;
            }
        }
        std::cmp::Ordering::Equal
    }
    let (ea, ua, ra) = split(a);
    let (eb, ub, rb) = split(b);
    ea.cmp(&eb)
        .then_with(|| part(ua, ub))
        .then_with(|| part(ra, rb))
}

/// The tracker's JSON export: `{pkg: {CVE: {description, releases: {codename: {status,
/// fixed_version, urgency, nodsa_reason}}}}}`.
pub(crate) fn parse_tracker_json(bytes: &[u8]) -> Result<Parsed, Error> {
    #[derive(Deserialize, Default)]
    struct Rel {
        #[serde(default)]
        status: String,
        #[serde(default)]
        fixed_version: Option<String>,
        #[serde(default)]
        urgency: String,
        #[serde(default)]
        nodsa_reason: Option<String>,
    }
    #[derive(Deserialize, Default)]
    struct Cve {
        #[serde(default)]
        description: Option<String>,
        #[serde(default)]
        releases: BTreeMap<String, Rel>,
    }
    let data: BTreeMap<String, BTreeMap<String, Cve>> =
        serde_json::from_slice(bytes).map_err(Error::Json)?;
    let mut parsed = Parsed::default();
    let mut by_vuln: BTreeMap<String, Advisory> = BTreeMap::new();
    for (pkg, cves) in data {
        for (vuln, cve) in cves {
            for (code, rel) in cve.releases {
                let Some(major) = debian_codename_version(&code) else {
                    if code != "sid" && code != "experimental" {
                        parsed
                            .warnings
                            .push(format!("{vuln}: unknown release {code:?}"));
                    }
                    continue;
                };
                let ns = format!("debian:{major}");
                let fixed = rel.fixed_version.clone().unwrap_or_default();
                let mut aff = match rel.status.as_str() {
                    "resolved" if fixed == "0" => status_affected(
                        ns,
                        pkg.clone(),
                        NameKind::Source,
                        AffectedStatus::NotAffected,
                    ),
                    "resolved" if !fixed.is_empty() => {
                        fixed_affected(ns, pkg.clone(), NameKind::Source, &fixed)
                    }
                    "open" | "undetermined" | "resolved" => {
                        let st = match rel.nodsa_reason.as_deref() {
                            Some("ignored") => AffectedStatus::WillNotFix,
                            Some("postponed") => AffectedStatus::FixDeferred,
                            _ if rel.urgency == "end-of-life" => AffectedStatus::EndOfLife,
                            _ => AffectedStatus::Affected,
                        };
                        status_affected(ns, pkg.clone(), NameKind::Source, st)
                    }
                    other => {
                        parsed
                            .warnings
                            .push(format!("{vuln}: unknown status {other:?}"));
                        continue;
                    }
                };
                aff.severity = known(severity_from_urgency(&rel.urgency));
                let adv = by_vuln.entry(vuln.clone()).or_insert_with(|| Advisory {
                    id: vuln.clone(),
                    source: "debian-tracker".into(),
                    ..Advisory::default()
                });
                if adv.description.is_empty() {
                    if let Some(d) = &cve.description {
                        adv.description = d.clone();
                    }
                }
                adv.affected.push(aff);
            }
        }
    }
    parsed.advisories = by_vuln.into_values().collect();
    Ok(parsed)
}
