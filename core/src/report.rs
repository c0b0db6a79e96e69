//! The report contract (JSON, `schema_version: 1`).

use serde::{Deserialize, Serialize};

use crate::finding::{
    Compliance, Diagnostic, Malware, Misconfiguration, OsInfo, Package, Secret, Severity,
    Vulnerability,
};
use crate::image::{LayerInfo, Platform};

/// Current report schema version.
pub const SCHEMA_VERSION: u32 = 1;

/// OS summary in the report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsSummary {
    /// Family (`debian`).
    pub family: String,
    /// Name (`Debian GNU/Linux`).
    pub name: String,
    /// Version (`12`).
    pub version: String,
}

impl From<&OsInfo> for OsSummary {
    fn from(os: &OsInfo) -> Self {
        OsSummary { family: os.family.clone(), name: os.name.clone(), version: os.version.clone() }
    }
}

/// The `image` section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageSection {
    /// Manifest digest.
    #[serde(default)]
    pub digest: Option<String>,
    /// Config digest (image id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_digest: Option<String>,
    /// Tags found in the archive.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repo_tags: Vec<String>,
    /// Platform.
    #[serde(default)]
    pub platform: Option<Platform>,
    /// Operating system.
    #[serde(default)]
    pub os: Option<OsSummary>,
    /// Layers, bottom to top.
    #[serde(default)]
    pub layers: Vec<LayerInfo>,
}

/// One of the largest files.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LargeFile {
    /// Path.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Layer index that wrote it.
    pub layer_index: u32,
}

/// Per-layer file figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerFiles {
    /// Layer index.
    pub index: u32,
    /// Regular files in the layer's tar.
    pub files: u64,
    /// Their total size.
    pub size: u64,
    /// Whiteouts (deletions) in the layer.
    pub whiteouts: u64,
    /// Files still visible in the merged filesystem.
    pub visible_files: u64,
}

/// The `files` section: file information of the merged filesystem.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSummary {
    /// Regular files visible in the merged filesystem.
    pub count: u64,
    /// Their total size in bytes.
    pub total_size: u64,
    /// Directories.
    pub directories: u64,
    /// Symlinks.
    pub symlinks: u64,
    /// The largest files (50 by default), largest first.
    pub largest: Vec<LargeFile>,
    /// Per-layer figures.
    pub layers: Vec<LayerFiles>,
}

/// The `base_image` section.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseImage {
    /// Name (`debian`).
    pub name: String,
    /// Version or tag (`12`, `bookworm-slim`).
    pub version: String,
    /// How many bottom layers belong to it.
    #[serde(default)]
    pub layers: u32,
    /// How it was identified.
    #[serde(default)]
    pub evidence: String,
}

/// Figures about the scan itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanStats {
    /// Layers read (not served from cache).
    pub layers_read: u32,
    /// Layers served from the cache.
    pub layers_cached: u32,
    /// Compressed bytes read.
    pub bytes_read: u64,
    /// Uncompressed bytes read.
    pub bytes_uncompressed: u64,
    /// Entries seen.
    pub entries: u64,
    /// File bodies handed to detectors.
    pub bodies_read: u64,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
}

/// The report of one image (one platform).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Schema version (1).
    pub schema_version: u32,
    /// The target as given.
    pub target: String,
    /// Image facts.
    pub image: ImageSection,
    /// Installed packages.
    pub packages: Vec<Package>,
    /// Vulnerabilities.
    pub vulnerabilities: Vec<Vulnerability>,
    /// Secrets.
    pub secrets: Vec<Secret>,
    /// Malicious files.
    pub malware: Vec<Malware>,
    /// Unsafe settings.
    pub misconfigurations: Vec<Misconfiguration>,
    /// Compliance findings.
    pub compliance: Vec<Compliance>,
    /// File information.
    pub files: Option<FileSummary>,
    /// Base image.
    pub base_image: Option<BaseImage>,
    /// Everything skipped or odd.
    pub diagnostics: Vec<Diagnostic>,
    /// Scan figures.
    #[serde(default)]
    pub stats: ScanStats,
}

impl Report {
    /// The highest severity among vulnerabilities, secrets, malware, misconfigurations and
    /// compliance findings.
    pub fn max_severity(&self) -> Option<Severity> {
        self.vulnerabilities
            .iter()
            .filter(|v| v.status != crate::finding::VulnStatus::NotAffected)
            .map(|v| v.severity)
            .chain(self.secrets.iter().map(|s| s.severity))
            .chain(self.malware.iter().map(|m| m.severity))
            .chain(self.misconfigurations.iter().map(|m| m.severity))
            .chain(self.compliance.iter().map(|c| c.severity))
            .max()
    }

    /// Number of findings at or above `threshold`.
    pub fn count_at_least(&self, threshold: Severity) -> usize {
        self.vulnerabilities
            .iter()
            .filter(|v| v.status != crate::finding::VulnStatus::NotAffected)
            .filter(|v| v.severity >= threshold)
            .count()
            + self.secrets.iter().filter(|s| s.severity >= threshold).count()
            + self.malware.iter().filter(|m| m.severity >= threshold).count()
            + self.misconfigurations.iter().filter(|m| m.severity >= threshold).count()
            + self.compliance.iter().filter(|c| c.severity >= threshold).count()
    }
}

/// Combined figures of a multi-platform scan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Platforms scanned.
    pub platforms: u32,
    /// Packages over all platforms.
    pub packages: u64,
    /// Distinct vulnerability ids over all platforms.
    pub vulnerabilities: u64,
    /// Secrets over all platforms.
    pub secrets: u64,
    /// Malware over all platforms.
    pub malware: u64,
    /// Misconfigurations over all platforms.
    pub misconfigurations: u64,
    /// Compliance findings over all platforms.
    pub compliance: u64,
}

/// What a scan returns: one report, or one per platform of an index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ScanOutput {
    /// An index: one report per platform plus a summary.
    Index(IndexReport),
    /// A single image or directory.
    Single(Box<Report>),
}

/// The report of an image index.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexReport {
    /// Schema version (1).
    pub schema_version: u32,
    /// The target.
    pub target: String,
    /// Index digest, if known.
    #[serde(default)]
    pub digest: Option<String>,
    /// One report per platform.
    pub platforms: Vec<Report>,
    /// Combined figures.
    pub summary: Summary,
}

impl ScanOutput {
    /// All reports (one for a single image).
    pub fn reports(&self) -> Vec<&Report> {
        match self {
            ScanOutput::Single(r) => vec![r],
            ScanOutput::Index(i) => i.platforms.iter().collect(),
        }
    }

    /// Highest severity over every report.
    pub fn max_severity(&self) -> Option<Severity> {
        self.reports().iter().filter_map(|r| r.max_severity()).max()
    }
}

impl IndexReport {
    /// Builds the summary from the platform reports.
    pub fn summarize(target: String, digest: Option<String>, platforms: Vec<Report>) -> Self {
        let mut ids = std::collections::BTreeSet::new();
        let mut s = Summary { platforms: platforms.len() as u32, ..Default::default() };
        for r in &platforms {
            s.packages += r.packages.len() as u64;
            for v in &r.vulnerabilities {
                ids.insert(v.id.clone());
            }
            s.secrets += r.secrets.len() as u64;
            s.malware += r.malware.len() as u64;
            s.misconfigurations += r.misconfigurations.len() as u64;
            s.compliance += r.compliance.len() as u64;
        }
        s.vulnerabilities = ids.len() as u64;
        IndexReport { schema_version: SCHEMA_VERSION, target, digest, platforms, summary: s }
    }
}
