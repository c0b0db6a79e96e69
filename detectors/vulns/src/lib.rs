//! Vulnerability matching of the inventory against the database.
//!
//! # Design
//!
//! [`VulnAnalyzer`] is an [`Analyzer`]: it runs once on the merged inventory, because the
//! namespace of an OS package depends on the image's OS (found in another layer). For each
//! package it picks one namespace ([`namespace_for`]): the OS release for OS packages
//! (`debian:12`, `ubuntu:22.04`, `alpine:3.18`, `almalinux:9`; a Debian 12 package is never
//! matched against Debian 11 data) and the ecosystem for language packages (`maven`,
//! `pypi`, `go`, ...). Debian, Ubuntu and Alpine feeds name source packages, so those are
//! looked up by source name first. The database lookup is lazy (only the packages' own
//! blocks are inflated) and the advisory text is only decoded for matches. Versions are
//! compared with `strata-version`, whose schemes follow each ecosystem's reference tool;
//! an unparsable installed version is a diagnostic and never a match.

mod matcher;

use std::collections::HashMap;
use std::sync::Arc;

use strata_core::{
    Analyzer, Diagnostic, Ecosystem, Inventory, OsInfo, Output, Package, Severity, Vulnerability, VulnStatus,
};
use strata_version::Scheme;
use strata_vulndb::{Advisory, AffectedStatus, Database};

pub use matcher::{affects, best_fixed_version};

/// Matches every package of the inventory against a [`Database`].
pub struct VulnAnalyzer {
    db: Arc<Database>,
}

impl VulnAnalyzer {
    /// An analyzer over `db` (e.g. `strata_vulndb_default::database()`).
    pub fn new(db: Arc<Database>) -> Self {
        VulnAnalyzer { db }
    }

    /// The database.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// Matches packages directly (the analyzer's work without an inventory): findings and
    /// diagnostics go to `out`.
    pub fn match_packages<'a>(
        &self,
        os: Option<&OsInfo>,
        packages: impl IntoIterator<Item = &'a Package>,
        out: &mut Output,
    ) {
        let os_ns = os.and_then(os_namespace);
        let mut os_warned = false;
        let mut feed_errors = 0usize;
        // Phase 1: per package, the statements that cover its version.
        let mut hits: Vec<(&Package, Scheme, String, strata_vulndb::Candidate)> = Vec::new();
        for pkg in packages {
            // A language package whose files belong to an OS package is the distro's
            // (possibly patched) copy: the OS package's own advisories cover it.
            if !pkg.ecosystem.is_os() && pkg.os_package.is_some() {
                continue;
            }
            let Some(ns) = namespace_for(pkg, os_ns.as_deref()) else {
                if pkg.ecosystem.is_os() && !os_warned {
                    os_warned = true;
                    out.diagnostic(Diagnostic::info(
                        "vuln-os-unsupported",
                        format!(
                            "no advisory namespace for the operating system {}; OS packages were not matched",
                            os.map(|o| format!("{} {}", o.family, o.version)).unwrap_or_else(|| "(none detected)".into())
                        ),
                    ));
                }
                continue;
            };
            let Some(scheme) = Scheme::for_namespace(&ns) else { continue };
            let version = match_version(pkg, &ns);
            if let Err(e) = strata_version::validate(scheme, &version) {
                out.diagnostic(
                    Diagnostic::warning(
                        "vuln-unparsable-version",
                        format!("{} {}: version not comparable ({e}); not matched", pkg.name, pkg.version),
                    )
                    .with_path(pkg.origin.path.clone()),
                );
                continue;
            }
            for name in lookup_names(pkg, &ns) {
                let candidates = match self.db.lookup(&ns, &name) {
                    Ok(c) => c,
                    Err(e) => {
                        out.diagnostic(Diagnostic::error("vuln-db-error", format!("{ns}/{name}: {e}")));
                        continue;
                    }
                };
                for cand in candidates {
                    let aff = &cand.affected;
                    if !aff.arches.is_empty() {
                        if let Some(arch) = &pkg.arch {
                            if !aff.arches.iter().any(|a| a == arch) {
                                continue;
                            }
                        }
                    }
                    match affects(aff, scheme, &version) {
                        Ok(true) => hits.push((pkg, scheme, version.clone(), cand)),
                        Ok(false) => {}
                        Err(_) => feed_errors += 1,
                    }
                }
            }
        }
        if feed_errors > 0 {
            out.diagnostic(Diagnostic::info(
                "vuln-feed-version-error",
                format!("{feed_errors} advisory statements had versions the scheme could not parse and were skipped"),
            ));
        }
        // Phase 2: the advisories' text, each compressed block inflated once.
        let wanted: Vec<u32> = hits.iter().map(|h| h.3.advisory).collect();
        let advisories = match self.db.advisories(&wanted) {
            Ok(a) => a,
            Err(e) => {
                out.diagnostic(Diagnostic::error("vuln-db-error", e.to_string()));
                return;
            }
        };
        // Phase 3: findings, deduplicated per (id, package, version, path).
        let mut found: Vec<Vulnerability> = Vec::new();
        let mut index: HashMap<(String, String, String, String), usize> = HashMap::new();
        for (pkg, scheme, version, cand) in &hits {
            let Some(adv) = advisories.get(&cand.advisory) else { continue };
            for v in self.findings(pkg, adv, &cand.affected, *scheme, version) {
                let key = (v.id.clone(), v.package.clone(), v.version.clone(), v.origin.path.clone());
                match index.get(&key) {
                    Some(&i) => merge(&mut found[i], v),
                    None => {
                        index.insert(key, found.len());
                        found.push(v);
                    }
                }
            }
        }
        for v in found {
            out.push(v);
        }
    }

    fn findings(
        &self,
        pkg: &Package,
        adv: &Advisory,
        aff: &strata_vulndb::Affected,
        scheme: Scheme,
        version: &str,
    ) -> Vec<Vulnerability> {
        let status = match aff.status {
            AffectedStatus::Fixed => VulnStatus::Fixed,
            AffectedStatus::Affected => VulnStatus::Affected,
            AffectedStatus::WillNotFix => VulnStatus::WillNotFix,
            AffectedStatus::FixDeferred => VulnStatus::FixDeferred,
            AffectedStatus::NotAffected => VulnStatus::NotAffected,
            AffectedStatus::EndOfLife => VulnStatus::EndOfLife,
        };
        let fixed = if status == VulnStatus::Fixed {
            best_fixed_version(aff, scheme, version).or_else(|| aff.fixed_hint.clone())
        } else {
            None
        };
        let status = if status == VulnStatus::Fixed && fixed.is_none() { VulnStatus::Affected } else { status };
        let severity = aff
            .severity
            .or(adv.severity)
            .filter(|s| *s != Severity::Unknown)
            .or_else(|| {
                adv.cvss.iter().filter_map(|c| c.score).reduce(f64::max).map(Severity::from_cvss_score)
            })
            .unwrap_or_default();
        // One finding per CVE: the CVE id when the record is one or names them, the record
        // id otherwise.
        let mut ids: Vec<&str> = Vec::new();
        if adv.id.starts_with("CVE-") {
            ids.push(&adv.id);
        } else {
            ids.extend(adv.aliases.iter().filter(|a| a.starts_with("CVE-")).map(String::as_str));
            if ids.is_empty() {
                ids.push(&adv.id);
            }
        }
        let solution = fixed.as_ref().map(|f| {
            let name = match pkg.ecosystem {
                Ecosystem::Deb | Ecosystem::Apk => pkg.name.clone(),
                _ => pkg.name.clone(),
            };
            if f.starts_with(['<', '>', '=', '~', '^']) {
                format!("upgrade {name} to a version matching {f}")
            } else {
                format!("upgrade {name} to {f}")
            }
        });
        ids.iter()
            .map(|id| {
                let mut aliases: Vec<String> = Vec::new();
                for a in std::iter::once(&adv.id).chain(adv.aliases.iter()) {
                    if a != id && !aliases.contains(a) {
                        aliases.push(a.clone());
                    }
                }
                let known_exploited =
                    self.db.is_known_exploited(id) || adv.aliases.iter().any(|a| self.db.is_known_exploited(a));
                Vulnerability {
                    id: (*id).to_owned(),
                    aliases,
                    package: pkg.name.clone(),
                    version: pkg.version.clone(),
                    ecosystem: pkg.ecosystem,
                    purl: pkg.purl.clone(),
                    fixed_version: fixed.clone(),
                    status,
                    severity,
                    cvss: adv.cvss.clone(),
                    title: adv.title.clone(),
                    description: adv.description.clone(),
                    references: adv.references.clone(),
                    solution: solution.clone(),
                    known_exploited,
                    data_source: adv.source.clone(),
                    origin: pkg.origin.clone(),
                }
            })
            .collect()
    }
}

fn status_rank(s: VulnStatus) -> u8 {
    match s {
        VulnStatus::NotAffected => 0,
        VulnStatus::EndOfLife => 1,
        VulnStatus::FixDeferred | VulnStatus::WillNotFix => 2,
        VulnStatus::Affected => 3,
        VulnStatus::Fixed => 4,
    }
}

/// Merges a duplicate finding (same id, package, version and path) into `into`: the
/// statement that affects the package wins over `not_affected`, a fixed version is kept.
fn merge(into: &mut Vulnerability, other: Vulnerability) {
    let take = status_rank(other.status) > status_rank(into.status)
        || (status_rank(other.status) == status_rank(into.status) && into.fixed_version.is_none() && other.fixed_version.is_some());
    let mut aliases = std::mem::take(&mut into.aliases);
    for a in &other.aliases {
        if !aliases.contains(a) && *a != into.id {
            aliases.push(a.clone());
        }
    }
    let ke = into.known_exploited || other.known_exploited;
    if take {
        *into = other;
    }
    into.aliases = aliases;
    into.known_exploited = ke;
}

impl Analyzer for VulnAnalyzer {
    fn id(&self) -> &'static str {
        "vulns"
    }

    fn group(&self) -> &'static str {
        "vuln"
    }

    fn analyze(&self, inventory: &Inventory<'_>, out: &mut Output) {
        self.match_packages(inventory.os, inventory.packages(), out);
    }
}

/// The advisory namespace of an operating system: `debian:12`, `ubuntu:22.04`,
/// `alpine:3.18`, `almalinux:9`, `redhat:8` (also for CentOS), `amazon:2`, `sles:15.5`,
/// `openeuler:22.03-lts-sp3`. `None` for unknown systems.
pub fn os_namespace(os: &OsInfo) -> Option<String> {
    let family = os.family.to_ascii_lowercase();
    let version = os.version.trim().to_ascii_lowercase();
    if version.is_empty() {
        return None;
    }
    let major = version.split(['.', '-', ' ']).next().unwrap_or(&version).to_owned();
    let major_minor = {
        let mut it = version.split('.');
        match (it.next(), it.next()) {
            (Some(a), Some(b)) => format!("{a}.{}", b.split(|c: char| !c.is_ascii_digit()).next().unwrap_or(b)),
            _ => version.clone(),
        }
    };
    let ns = match family.as_str() {
        "debian" => format!("debian:{major}"),
        "ubuntu" => format!("ubuntu:{major_minor}"),
        "alpine" => format!("alpine:{major_minor}"),
        "redhat" | "centos" | "rhel" => format!("redhat:{major}"),
        "alma" | "almalinux" => format!("almalinux:{major}"),
        "rocky" => format!("rocky:{major}"),
        "oracle" => format!("oracle:{major}"),
        "fedora" => format!("fedora:{major}"),
        "amazon" => format!("amazon:{major}"),
        "sles" => format!("sles:{major_minor}"),
        "opensuse" => format!("opensuse-leap:{major_minor}"),
        "photon" => format!("photon:{major_minor}"),
        "mariner" | "azurelinux" | "cbl-mariner" => format!("mariner:{major_minor}"),
        "openeuler" | "euleros" | "hce" => format!("{family}:{version}"),
        _ => return None,
    };
    Some(ns)
}

/// The namespace a package is matched in, given the OS namespace.
pub fn namespace_for(pkg: &Package, os_ns: Option<&str>) -> Option<String> {
    let ns = match pkg.ecosystem {
        Ecosystem::Deb | Ecosystem::Rpm | Ecosystem::Apk => return os_ns.map(str::to_owned),
        Ecosystem::Maven => "maven",
        Ecosystem::Pypi => "pypi",
        Ecosystem::Npm => "npm",
        Ecosystem::Golang => "go",
        Ecosystem::Cargo => "crates.io",
        Ecosystem::Composer => "packagist",
        Ecosystem::Gem => "rubygems",
        Ecosystem::Nuget => "nuget",
        Ecosystem::Binary => {
            if pkg.purl.as_deref().is_some_and(|p| p.starts_with("pkg:bitnami/")) {
                "bitnami"
            } else {
                return None;
            }
        }
    };
    Some(ns.to_owned())
}

/// The names to look a package up by: Debian, Ubuntu and Alpine feeds name source
/// packages (`openssl` for `libssl3`), so the source name comes first.
fn lookup_names(pkg: &Package, ns: &str) -> Vec<String> {
    let by_source = ns.starts_with("debian:") || ns.starts_with("ubuntu:") || ns.starts_with("alpine:");
    let mut names = Vec::new();
    if by_source {
        if let Some(src) = pkg.source_name.as_ref().filter(|s| !s.is_empty()) {
            names.push(src.clone());
        }
    }
    if !names.contains(&pkg.name) {
        names.push(pkg.name.clone());
    }
    names
}

/// The version compared: the source version for Debian/Ubuntu (their feeds give source
/// versions), `v`-prefixed for Go (`go1.21.3` -> `v1.21.3` for the standard library).
fn match_version(pkg: &Package, ns: &str) -> String {
    if ns.starts_with("debian:") || ns.starts_with("ubuntu:") {
        if let Some(v) = pkg.source_version.as_ref().filter(|v| !v.is_empty()) {
            return v.clone();
        }
    }
    if ns == "go" {
        if let Some(rest) = pkg.version.strip_prefix("go") {
            return format!("v{rest}");
        }
    }
    pkg.version.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(family: &str, version: &str) -> OsInfo {
        OsInfo { family: family.into(), version: version.into(), ..Default::default() }
    }

    #[test]
    fn os_namespaces() {
        let ns = |f, v| os_namespace(&os(f, v));
        assert_eq!(ns("debian", "12.5").as_deref(), Some("debian:12"));
        assert_eq!(ns("debian", "11").as_deref(), Some("debian:11"));
        assert_eq!(ns("ubuntu", "22.04").as_deref(), Some("ubuntu:22.04"));
        assert_eq!(ns("alpine", "3.18.4").as_deref(), Some("alpine:3.18"));
        assert_eq!(ns("alma", "8.9").as_deref(), Some("almalinux:8"));
        assert_eq!(ns("centos", "7.9.2009").as_deref(), Some("redhat:7"));
        assert_eq!(ns("rocky", "9.3").as_deref(), Some("rocky:9"));
        assert_eq!(ns("amazon", "2").as_deref(), Some("amazon:2"));
        assert_eq!(ns("sles", "15.5").as_deref(), Some("sles:15.5"));
        assert_eq!(ns("openeuler", "22.03-LTS-SP3").as_deref(), Some("openeuler:22.03-lts-sp3"));
        assert_eq!(ns("distroless", "").as_deref(), None);
        assert_eq!(ns("unknown", "1").as_deref(), None);
    }

    #[test]
    fn language_namespaces_and_names() {
        let p = |eco, name: &str| Package { name: name.into(), version: "1".into(), ecosystem: eco, ..Default::default() };
        assert_eq!(namespace_for(&p(Ecosystem::Maven, "g:a"), None).as_deref(), Some("maven"));
        assert_eq!(namespace_for(&p(Ecosystem::Golang, "golang.org/x/text"), None).as_deref(), Some("go"));
        assert_eq!(namespace_for(&p(Ecosystem::Cargo, "smallvec"), None).as_deref(), Some("crates.io"));
        assert_eq!(namespace_for(&p(Ecosystem::Deb, "bash"), None), None);
        assert_eq!(namespace_for(&p(Ecosystem::Deb, "bash"), Some("debian:12")).as_deref(), Some("debian:12"));
        let mut deb = p(Ecosystem::Deb, "libssl3");
        deb.source_name = Some("openssl".into());
        assert_eq!(lookup_names(&deb, "debian:12"), ["openssl", "libssl3"]);
        let mut rpm = p(Ecosystem::Rpm, "openssl-libs");
        rpm.source_name = Some("openssl".into());
        assert_eq!(lookup_names(&rpm, "almalinux:9"), ["openssl-libs"]);
        let mut go = p(Ecosystem::Golang, "stdlib");
        go.version = "go1.21.3".into();
        assert_eq!(match_version(&go, "go"), "v1.21.3");
    }
}
