//! Findings: the cross-language contract. Everything a detector or analyzer reports is a
//! [`Finding`]; the engine stamps its [`Origin`] layer, merges layers and sorts findings
//! into the [`crate::report::Report`].
//!
//! Structs have public fields and `Default`, so detector crates build them with
//! `Package { name, version, ..Default::default() }` and new fields stay additive.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::files::FileList;
use crate::urls::UrlList;

/// Where a finding comes from: the file (and, for nested archives, the path inside it) and
/// the layer that wrote it. Detectors fill `path` (and `real_path` for virtual paths); the
/// engine fills the layer fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The path shown to users. For members of archives it is virtual, joined with `!/`:
    /// `/app/app.war!/WEB-INF/lib/log4j-core-2.14.1.jar`.
    #[serde(default)]
    pub path: String,
    /// The real file in the image when `path` is virtual; `None` when `path` is real.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub real_path: Option<String>,
    /// The diff_id (or digest) of the layer that last wrote the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Index of that layer, bottom = 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_index: Option<u32>,
    /// Set when a later layer deleted or replaced the file: the file is not in the merged
    /// filesystem but still ships in the image's blobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_in_layer: Option<u32>,
}

impl Origin {
    /// An origin for a real file path.
    pub fn file(path: impl Into<String>) -> Self {
        Origin { path: path.into(), ..Default::default() }
    }

    /// An origin for a member of an archive: `outer!/inner`.
    pub fn nested(real: impl Into<String>, inner: &str) -> Self {
        let real = real.into();
        Origin { path: format!("{real}!/{inner}"), real_path: Some(real), ..Default::default() }
    }

    /// The real file in the image this finding is attached to.
    pub fn file_path(&self) -> &str {
        self.real_path.as_deref().unwrap_or(&self.path)
    }
}

/// Package ecosystems, serialised as in the report contract.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    /// Debian packages (dpkg).
    Deb,
    /// RPM packages.
    Rpm,
    /// Alpine packages.
    Apk,
    /// Java (Maven coordinates).
    Maven,
    /// Python.
    Pypi,
    /// Node.js.
    Npm,
    /// Go modules.
    Golang,
    /// Rust crates.
    Cargo,
    /// PHP Composer packages.
    Composer,
    /// Ruby gems.
    Gem,
    /// .NET NuGet packages.
    Nuget,
    /// Software identified from a binary (nginx, redis-server, ...).
    #[default]
    Binary,
}

impl Ecosystem {
    /// The serialised name (`deb`, `rpm`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Deb => "deb",
            Ecosystem::Rpm => "rpm",
            Ecosystem::Apk => "apk",
            Ecosystem::Maven => "maven",
            Ecosystem::Pypi => "pypi",
            Ecosystem::Npm => "npm",
            Ecosystem::Golang => "golang",
            Ecosystem::Cargo => "cargo",
            Ecosystem::Composer => "composer",
            Ecosystem::Gem => "gem",
            Ecosystem::Nuget => "nuget",
            Ecosystem::Binary => "binary",
        }
    }

    /// Whether packages of this ecosystem are operating-system packages.
    pub fn is_os(self) -> bool {
        matches!(self, Ecosystem::Deb | Ecosystem::Rpm | Ecosystem::Apk)
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An installed package (OS or application).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// Package name as its ecosystem spells it (Maven: `group:artifact`).
    pub name: String,
    /// Version as the ecosystem's own tool prints it: dpkg-query `${Version}`, rpm
    /// `[epoch:]version-release`, apk `version`.
    pub version: String,
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Package URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// CPE 2.3 string, for binaries identified by pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// Architecture (`amd64`, `x86_64`, `noarch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// Source package name (dpkg `Source:`, rpm source rpm name, apk origin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    /// Source package version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    /// Declared licenses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    /// Vendor or maintainer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// How the package was identified (`pom.properties`, `MANIFEST.MF`, `dpkg-status`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// For application packages: the file belongs to an OS package (vendor-patched copy);
    /// the name of that OS package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_package: Option<String>,
    /// Whether this is a direct dependency (lock files) or indirect; `None` if unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct: Option<bool>,
    /// Files the package owns (dpkg `.list`, rpm file lists, apk `R:` lines). Kept for
    /// ownership checks; not part of the JSON report's package objects.
    #[serde(default, skip_serializing_if = "FileList::is_empty")]
    pub files: FileList,
    /// Extra key/value facts (go version, rpm modularity label, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
    /// Where it was found: the database or manifest path, and the layer.
    #[serde(flatten)]
    pub origin: Origin,
    /// The detector that reported it (`os/dpkg`).
    #[serde(default)]
    pub detector: String,
}

/// The operating system of an image.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsInfo {
    /// Family used for vulnerability matching: `debian`, `ubuntu`, `alpine`, `redhat`,
    /// `centos`, `rocky`, `alma`, `oracle`, `fedora`, `amazon`, `sles`, `opensuse`,
    /// `openeuler`, `euleros`, `hce`, `kylin`, `uos`, `ctyunos`, `distroless`, `unknown`;
    /// also `slem`, `photon`, `cbl-mariner`, `azurelinux`, `wolfi`, `chainguard`,
    /// `bottlerocket`, `echo`, `minimos`, `activestate`, `coreos`.
    pub family: String,
    /// Human name (`Debian GNU/Linux`).
    pub name: String,
    /// Normalised version (`12`, `22.03-LTS-SP3`, `V10-SP3`).
    pub version: String,
    /// Code name (`bookworm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codename: Option<String>,
    /// PRETTY_NAME or the release line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
    /// Raw key/values of the file it was read from (kept for unknown systems).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// When several files name an OS, the highest precedence wins (os-release = 10,
    /// vendor release files higher, hints lower).
    #[serde(default)]
    pub precedence: u8,
    /// Where it was read.
    #[serde(flatten)]
    pub origin: Origin,
}

/// Severity, ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Not rated.
    #[default]
    Unknown,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// Parses vendor spellings (`moderate`, `important`, `negligible`, ...).
    pub fn parse_lenient(s: &str) -> Severity {
        match s.trim().to_ascii_lowercase().as_str() {
            "critical" => Severity::Critical,
            "high" | "important" => Severity::High,
            "medium" | "moderate" => Severity::Medium,
            "low" | "negligible" | "minor" => Severity::Low,
            _ => Severity::Unknown,
        }
    }

    /// From a CVSS v3/v4 base score.
    pub fn from_cvss_score(score: f64) -> Severity {
        if score >= 9.0 {
            Severity::Critical
        } else if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Medium
        } else if score > 0.0 {
            Severity::Low
        } else {
            Severity::Unknown
        }
    }

    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "unknown",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match Severity::parse_lenient(s) {
            Severity::Unknown if !s.eq_ignore_ascii_case("unknown") => {
                Err(format!("unknown severity {s:?} (expected low, medium, high, critical)"))
            }
            sev => Ok(sev),
        }
    }
}

/// A CVSS rating.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cvss {
    /// Who rated it (`nvd`, `debian`, `ghsa`, ...).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// Vector string (`CVSS:3.1/AV:N/...`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub vector: String,
    /// Base score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// Whether and how a vulnerability applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VulnStatus {
    /// A fixed version exists.
    #[default]
    Fixed,
    /// Affected, and the feed names no fix yet.
    Affected,
    /// The vendor will not fix it.
    WillNotFix,
    /// Fix deferred by the vendor.
    FixDeferred,
    /// The vendor states the package is not affected (shown, not counted).
    NotAffected,
    /// Past the vendor's support.
    EndOfLife,
}

/// A vulnerability matched to a package.
///
/// The advisory's text (title, description, references, ratings, aliases, source) is
/// shared (`Arc`) between the findings of one advisory, and the package's identity
/// (name, version, purl, origin) between the findings of one package: a database record
/// hit by thousands of packages is held once, and a finding is built without allocating.
/// Serialised, these fields are plain strings and lists.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Vulnerability {
    /// Advisory or CVE id (the CVE where known).
    pub id: Arc<str>,
    /// Other ids of the same vulnerability (shared by the findings of one advisory).
    #[serde(default, skip_serializing_if = "slice_is_empty")]
    pub aliases: Arc<[String]>,
    /// Package name (shared by the findings of one package).
    pub package: Arc<str>,
    /// Installed version (shared by the findings of one package).
    pub version: Arc<str>,
    /// Ecosystem of the package.
    pub ecosystem: Ecosystem,
    /// Package URL of the installed package (shared by the findings of one package).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<Arc<str>>,
    /// The first fixed version, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_version: Option<Arc<str>>,
    /// Status.
    pub status: VulnStatus,
    /// Severity (vendor first, CVSS-derived otherwise).
    pub severity: Severity,
    /// Ratings (shared by the findings of one advisory).
    #[serde(default, skip_serializing_if = "slice_is_empty")]
    pub cvss: Arc<[Cvss]>,
    /// Short title (shared by the findings of one advisory).
    #[serde(default, skip_serializing_if = "str_is_empty")]
    pub title: Arc<str>,
    /// Description (shared by the findings of one advisory).
    #[serde(default, skip_serializing_if = "str_is_empty")]
    pub description: Arc<str>,
    /// Reference URLs (shared by the findings of one advisory).
    #[serde(default, skip_serializing_if = "UrlList::is_empty")]
    pub references: UrlList,
    /// What to do: `upgrade openssl to 3.0.15-1~deb12u1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution: Option<Arc<str>>,
    /// Known exploited (CISA KEV).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub known_exploited: bool,
    /// Feed the record came from (`debian-dsa`, `osv-pypi`, ...; shared by the findings of
    /// one advisory).
    #[serde(default)]
    pub data_source: Arc<str>,
    /// Where the package was found (shared by the findings of one package; change it
    /// with [`Arc::make_mut`]).
    #[serde(flatten)]
    pub origin: Arc<Origin>,
}

fn str_is_empty(s: &Arc<str>) -> bool {
    s.is_empty()
}

fn slice_is_empty<T>(s: &Arc<[T]>) -> bool {
    s.is_empty()
}

/// A secret found in a file or in the image config. Never holds the secret value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secret {
    /// Rule id (`aws-access-key-id`).
    pub rule_id: String,
    /// Category (`AWS`, `GitHub`, `PrivateKey`, ...).
    pub category: String,
    /// Title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// 1-based line number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The matched text with the secret part masked (`AKIA****************`).
    pub redacted: String,
    /// A stable fingerprint (sha256 over rule id and secret), for suppression.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fingerprint: String,
    /// Where it was found.
    #[serde(flatten)]
    pub origin: Origin,
}

/// A malicious or known-bad file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Malware {
    /// Detection name (`EICAR-Test-File`, a YARA rule name).
    pub name: String,
    /// Engine: `hash`, `yara`, `clamd`.
    pub engine: String,
    /// Severity.
    pub severity: Severity,
    /// SHA-256 of the file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
    /// Size in bytes.
    #[serde(default)]
    pub size: u64,
    /// More detail (matched rule tags, hash list name).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Where it was found.
    #[serde(flatten)]
    pub origin: Origin,
}

/// An unsafe setting (sshd, passwords, image config, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Misconfiguration {
    /// Check id (`sshd-permit-root-login`, `CIS-DI-0001`).
    pub id: String,
    /// Category (`sshd`, `password`, `image-config`, ...).
    pub category: String,
    /// Title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// What was found.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// How to fix it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resolution: String,
    /// Where it was found.
    #[serde(flatten)]
    pub origin: Origin,
}

/// A software-compliance finding (a forbidden tool present in the image).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliance {
    /// Rule id (`forbidden-tool/gdb`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// The package providing the file, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// Where it was found.
    #[serde(flatten)]
    pub origin: Origin,
}

/// Files owned by an OS package, from a separate file (dpkg `info/<pkg>.list`). Not shown
/// in reports: analyzers use it to attach `files` to packages and to mark application files
/// that belong to an OS package.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnedFiles {
    /// Package name (dpkg: without the `:arch` suffix of the .list name).
    pub package: String,
    /// Architecture from the file name (`libc6:amd64.list`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// Ecosystem of the owning package.
    pub ecosystem: Ecosystem,
    /// Absolute paths the package owns.
    pub files: FileList,
    /// The list file.
    #[serde(flatten)]
    pub origin: Origin,
}

/// Everything a detector or analyzer can report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Finding {
    /// An installed package (boxed: the largest finding by far, and every finding in an
    /// [`crate::Output`] is as large as its largest kind).
    Package(Box<Package>),
    /// An operating-system identification.
    Os(OsInfo),
    /// A vulnerability.
    Vulnerability(Vulnerability),
    /// A secret.
    Secret(Secret),
    /// A malicious file.
    Malware(Malware),
    /// An unsafe setting.
    Misconfiguration(Misconfiguration),
    /// A compliance finding.
    Compliance(Compliance),
    /// Files owned by an OS package (internal; not in reports).
    Owned(OwnedFiles),
}

/// How a finding behaves when a later layer deletes or replaces its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    /// Describes the final filesystem (packages, OS, settings): dropped when shadowed.
    State,
    /// Describes shipped bytes (secrets, malware): kept and marked `removed_in_layer`.
    Content,
}

impl Finding {
    /// The origin of the finding.
    pub fn origin(&self) -> &Origin {
        match self {
            Finding::Package(x) => &x.origin,
            Finding::Os(x) => &x.origin,
            Finding::Vulnerability(x) => &x.origin,
            Finding::Secret(x) => &x.origin,
            Finding::Malware(x) => &x.origin,
            Finding::Misconfiguration(x) => &x.origin,
            Finding::Compliance(x) => &x.origin,
            Finding::Owned(x) => &x.origin,
        }
    }

    /// The origin, mutably.
    pub fn origin_mut(&mut self) -> &mut Origin {
        match self {
            Finding::Package(x) => &mut x.origin,
            Finding::Os(x) => &mut x.origin,
            Finding::Vulnerability(x) => Arc::make_mut(&mut x.origin),
            Finding::Secret(x) => &mut x.origin,
            Finding::Malware(x) => &mut x.origin,
            Finding::Misconfiguration(x) => &mut x.origin,
            Finding::Compliance(x) => &mut x.origin,
            Finding::Owned(x) => &mut x.origin,
        }
    }

    /// Merge behaviour.
    pub fn persistence(&self) -> Persistence {
        match self {
            Finding::Secret(_) | Finding::Malware(_) => Persistence::Content,
            _ => Persistence::State,
        }
    }
}

/// Diagnostic level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Informational (a file skipped by configuration).
    Info,
    /// Something odd or skipped that may hide a finding.
    #[default]
    Warning,
    /// Part of the scan failed.
    Error,
}

/// Something skipped or odd, so nothing is silently lost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Level.
    pub level: Level,
    /// Stable code (`path-escapes-root`, `rpm-bad-header`, `limit-file-size`).
    pub code: String,
    /// Human message.
    pub message: String,
    /// Layer diff_id, if tied to a layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Layer index, if tied to a layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer_index: Option<u32>,
    /// Path, if tied to a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl Diagnostic {
    /// A new diagnostic.
    pub fn new(level: Level, code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { level, code: code.into(), message: message.into(), ..Default::default() }
    }

    /// A warning.
    pub fn warning(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Level::Warning, code, message)
    }

    /// Info.
    pub fn info(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Level::Info, code, message)
    }

    /// An error.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Level::Error, code, message)
    }

    /// Attaches a path.
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
}
