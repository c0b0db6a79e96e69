//! OS detection and OS package inventory: release files, dpkg, apk and rpm databases.
//!
//! ```
//! use strata_core::{FileMeta, FileRef, EntryKind, ImagePath, Output, Finding};
//!
//! let cfg = strata_detect_os::OsConfig::default();
//! let detectors = strata_detect_os::detectors(&cfg);
//! let release = detectors.iter().find(|d| d.id() == "os/release").unwrap();
//! let path = ImagePath::from_str_lossy("/etc/os-release");
//! let body = b"ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";
//! let meta = FileMeta { kind: EntryKind::File, mode: 0o644, uid: 0, gid: 0, size: body.len() as u64, mtime: 0, link: None };
//! let mut out = Output::new();
//! let mut run = release.start();
//! run.file(&FileRef::new(&path, &meta, false), body, &mut out);
//! run.finish(&mut out);
//! let Finding::Os(os) = &out.findings()[0] else { unreachable!() };
//! assert_eq!((os.family.as_str(), os.version.as_str()), ("debian", "12"));
//! ```
//!
//! # Design
//!
//! Four detectors (`os/release`, `os/dpkg`, `os/apk`, `os/rpm`) each read one kind of file
//! of one layer and report what that file alone says: an [`OsInfo`] per release file with
//! a precedence (the engine keeps the best one visible in the merged image, so a
//! `centos-release` refines an `os-release` even when they come from different layers),
//! packages per database, and dpkg `info/*.list` file lists as [`OwnedFiles`]. Everything
//! that needs the final OS or several files at once (purls with their `distro=`
//! qualifier, attaching `.list` files to dpkg packages, flagging third-party rpm vendors,
//! choosing one rpm database when a layer converted it to another format) happens in one
//! [`Analyzer::refine`] step after the layer merge, so per-layer results stay cacheable.
//! The dpkg and apk parsers walk the body once with `memchr` over byte slices and allocate
//! only for reported packages; rpm databases are decoded by `strata-rpmdb` (pure Rust, no
//! librpm). Dependencies: `memchr` (line splitting) and `strata-rpmdb`; purls are built by
//! a small local encoder rather than a crate because only three types are needed.
//! Ubuntu Pro is the one cross-file fact of `os/release`: the enabled services of
//! `/var/lib/ubuntu-advantage/status.json` travel as an internal marker finding and the
//! analyzer writes them into the Ubuntu OS as `fields["ubuntu_pro_services"]`
//! ([`release::ubuntu_pro`]); status.json is read with `serde_json`.
//! Malformed input never panics: bad entries are skipped with a diagnostic (at most
//! [`MAX_DIAGNOSTICS_PER_FILE`] per file, then a summary).

#![deny(missing_docs)]

pub mod apk;
pub mod dpkg;
pub mod purl;
pub mod refine;
pub mod release;
pub mod rpm;

use std::collections::BTreeMap;

use strata_core::{Analyzer, Detector, DetectorRun, Diagnostic, FileRef, Interest, Output};
pub use strata_core::{OsInfo, OwnedFiles};

pub use refine::OsPackagesAnalyzer;

/// At most this many warnings are reported per file; the rest are counted in one summary.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 20;

/// Body cap for release files and Ubuntu Pro's status.json (a few KiB each).
const RELEASE_MAX_BYTES: u64 = 1024 * 1024;
/// Body cap for dpkg and apk databases (a 1,000-package dpkg status is about 3 MiB).
const PKGDB_MAX_BYTES: u64 = 256 * 1024 * 1024;
/// Body cap for rpm databases.
const RPMDB_MAX_BYTES: u64 = 1024 * 1024 * 1024;

/// Configuration of the OS detectors and of the package analyzer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OsConfig {
    /// For each OS family (as in [`OsInfo::family`]), the vendor names of its own rpm
    /// packages, matched case-insensitively as substrings of the rpm `Vendor` tag. An rpm
    /// package whose vendor matches none of its OS family's names gets the property
    /// `third_party=true` (it is still reported). Families without an entry, and packages
    /// without a vendor, are never flagged.
    pub rpm_vendors: BTreeMap<String, Vec<String>>,
}

impl Default for OsConfig {
    fn default() -> Self {
        let table: &[(&str, &[&str])] = &[
            ("redhat", &["Red Hat"]),
            ("centos", &["CentOS"]),
            ("rocky", &["Rocky"]),
            ("alma", &["AlmaLinux"]),
            ("oracle", &["Oracle"]),
            ("fedora", &["Fedora"]),
            ("amazon", &["Amazon"]),
            ("sles", &["SUSE"]),
            ("slem", &["SUSE"]),
            ("opensuse", &["openSUSE", "SUSE"]),
            ("openeuler", &["openEuler"]),
            ("euleros", &["Huawei", "EulerOS"]),
            ("hce", &["Huawei", "HCE"]),
            ("kylin", &["Kylin"]),
            ("uos", &["UnionTech", "UOS"]),
            ("ctyunos", &["CTyunOS", "ctyun"]),
            ("cbl-mariner", &["Microsoft"]),
            ("azurelinux", &["Microsoft"]),
            ("photon", &["VMware", "Broadcom"]),
        ];
        OsConfig {
            rpm_vendors: table
                .iter()
                .map(|(f, v)| ((*f).to_owned(), v.iter().map(|s| (*s).to_owned()).collect()))
                .collect(),
        }
    }
}

/// The four detectors: `os/release`, `os/dpkg`, `os/apk`, `os/rpm` (group `os`).
pub fn detectors(cfg: &OsConfig) -> Vec<Box<dyn Detector>> {
    // The configuration only affects the analyzer: per-layer results do not depend on it.
    let _ = cfg;
    vec![
        Box::new(ReleaseDetector),
        Box::new(DpkgDetector),
        Box::new(ApkDetector),
        Box::new(RpmDetector),
    ]
}

/// The analyzer that completes OS packages after the layer merge (purls, dpkg file lists,
/// third-party rpm vendors): see [`OsPackagesAnalyzer`].
pub fn analyzers(cfg: &OsConfig) -> Vec<Box<dyn Analyzer>> {
    vec![Box::new(OsPackagesAnalyzer::new(cfg.clone()))]
}

/// Caps the warnings of one file.
pub(crate) struct DiagnosticBudget {
    path: String,
    emitted: usize,
    dropped: usize,
}

impl DiagnosticBudget {
    pub(crate) fn new(path: &str) -> Self {
        DiagnosticBudget {
            path: path.to_owned(),
            emitted: 0,
            dropped: 0,
        }
    }

    pub(crate) fn warn(&mut self, out: &mut Output, code: &str, message: String) {
        if self.emitted < MAX_DIAGNOSTICS_PER_FILE {
            self.emitted += 1;
            out.diagnostic(Diagnostic::warning(code, message).with_path(self.path.clone()));
        } else {
            self.dropped += 1;
        }
    }

    pub(crate) fn flush(&mut self, out: &mut Output) {
        if self.dropped > 0 {
            out.diagnostic(
                Diagnostic::warning(
                    "diagnostics-truncated",
                    format!("{} more problems not reported", self.dropped),
                )
                .with_path(self.path.clone()),
            );
            self.dropped = 0;
        }
    }
}

/// Keeps the complete paragraphs of a truncated body (up to the last blank line), so a cut
/// entry is never reported with a cut version.
fn complete_paragraphs(data: &[u8]) -> &[u8] {
    match memchr::memmem::rfind(data, b"\n\n") {
        Some(i) => &data[..i + 1],
        None => &[],
    }
}

fn truncated_warning(file: &FileRef<'_>, out: &mut Output) {
    out.diagnostic(
        Diagnostic::warning(
            "limit-max-bytes",
            format!(
                "only the first bytes of this {}-byte database were read",
                file.size()
            ),
        )
        .with_path(file.path_string()),
    );
}

/// `os/release`: one [`OsInfo`] per release file, and the Ubuntu Pro marker from
/// status.json.
struct ReleaseDetector;

struct ReleaseRun {
    saw_release: bool,
    status_d: Option<String>,
    /// A UOS `/etc/os-version` answer, held until `finish` to take the code name of the
    /// same layer's os-release (os-version has none).
    uos_version: Option<OsInfo>,
    /// The code name of this layer's UOS os-release (`/etc` preferred over `/usr/lib`).
    uos_codename: Option<(bool, String)>,
}

impl Detector for ReleaseDetector {
    fn id(&self) -> &'static str {
        "os/release"
    }
    fn group(&self) -> &'static str {
        "os"
    }
    fn interest(&self) -> Interest {
        Interest::none()
            .paths(release::RELEASE_PATHS)
            .paths(&[release::ubuntu_pro::STATUS_PATH])
            .globs(&["/var/lib/dpkg/status.d/*"])
            .max_bytes(RELEASE_MAX_BYTES)
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(ReleaseRun {
            saw_release: false,
            status_d: None,
            uos_version: None,
            uos_codename: None,
        })
    }
}

impl DetectorRun for ReleaseRun {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        if dpkg::is_status_d_entry(&path) {
            if self.status_d.is_none() {
                self.status_d = Some(path);
            }
            return;
        }
        if path == release::ubuntu_pro::STATUS_PATH {
            match release::ubuntu_pro::enabled_services(data) {
                Ok(services) => {
                    if let Some(m) = release::ubuntu_pro::marker(&path, services) {
                        out.push(m);
                    }
                }
                Err(e) => out.diagnostic(
                    Diagnostic::warning("ubuntu-pro-status-invalid", e.to_string()).with_path(path),
                ),
            }
            return;
        }
        let Some(kind) = release::ReleaseFile::from_path(&path) else {
            return;
        };
        self.saw_release = true;
        match release::parse_release_file(kind, &path, data) {
            Some(info) if kind == release::ReleaseFile::UosVersion => {
                self.uos_version = Some(info);
            }
            Some(info) => {
                if let (release::ReleaseFile::OsRelease { usr_lib }, "uos", Some(c)) =
                    (kind, info.family.as_str(), &info.codename)
                {
                    if self
                        .uos_codename
                        .as_ref()
                        .is_none_or(|(u, _)| *u && !usr_lib)
                    {
                        self.uos_codename = Some((usr_lib, c.clone()));
                    }
                }
                out.push(info);
            }
            None => out.diagnostic(
                Diagnostic::info(
                    "os-release-unrecognised",
                    "release file names no known operating system",
                )
                .with_path(path),
            ),
        }
    }

    fn finish(self: Box<Self>, out: &mut Output) {
        if let Some(mut v) = self.uos_version {
            if v.codename.is_none() {
                v.codename = self.uos_codename.map(|(_, c)| c);
            }
            out.push(v);
        }
        if let (false, Some(path)) = (self.saw_release, self.status_d) {
            out.push(release::distroless(&path));
        }
    }
}

/// `os/dpkg`: dpkg and opkg status databases and dpkg `.list` files.
struct DpkgDetector;
struct DpkgRun;

impl Detector for DpkgDetector {
    fn id(&self) -> &'static str {
        "os/dpkg"
    }
    fn group(&self) -> &'static str {
        "os"
    }
    fn interest(&self) -> Interest {
        Interest::none()
            .paths(&[
                "/var/lib/dpkg/status",
                "/var/lib/opkg/status",
                "/usr/lib/opkg/status",
            ])
            .globs(&["/var/lib/dpkg/status.d/*", "/var/lib/dpkg/info/*.list"])
            .exclude(&["/var/lib/dpkg/status.d/*.md5sums"])
            .max_bytes(PKGDB_MAX_BYTES)
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(DpkgRun)
    }
}

impl DetectorRun for DpkgRun {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        let kind = match path.as_str() {
            "/var/lib/dpkg/status" => dpkg::StatusKind::Status,
            "/var/lib/opkg/status" | "/usr/lib/opkg/status" => dpkg::StatusKind::Opkg,
            p if dpkg::is_status_d_entry(p) => dpkg::StatusKind::StatusD,
            p if p.starts_with("/var/lib/dpkg/info/") && p.ends_with(".list") => {
                if file.truncated() {
                    truncated_warning(file, out);
                }
                if let Some(owned) = dpkg::parse_list(&path, data) {
                    out.push(owned);
                }
                return;
            }
            _ => return,
        };
        let data = if file.truncated() {
            truncated_warning(file, out);
            complete_paragraphs(data)
        } else {
            data
        };
        dpkg::parse_status(data, kind, &path, "os/dpkg", out);
    }
}

/// `os/apk`: `/lib/apk/db/installed`.
struct ApkDetector;
struct ApkRun;

impl Detector for ApkDetector {
    fn id(&self) -> &'static str {
        "os/apk"
    }
    fn group(&self) -> &'static str {
        "os"
    }
    fn interest(&self) -> Interest {
        Interest::none()
            .paths(&["/lib/apk/db/installed"])
            .max_bytes(PKGDB_MAX_BYTES)
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(ApkRun)
    }
}

impl DetectorRun for ApkRun {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        let data = if file.truncated() {
            truncated_warning(file, out);
            complete_paragraphs(data)
        } else {
            data
        };
        apk::parse_installed(data, &path, "os/apk", out);
    }
}

/// `os/rpm`: rpm databases in all three formats.
struct RpmDetector;
struct RpmRun;

impl Detector for RpmDetector {
    fn id(&self) -> &'static str {
        "os/rpm"
    }
    fn group(&self) -> &'static str {
        "os"
    }
    fn interest(&self) -> Interest {
        Interest::none()
            .paths(rpm::RPMDB_PATHS)
            .max_bytes(RPMDB_MAX_BYTES)
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(RpmRun)
    }
}

impl DetectorRun for RpmRun {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        if file.truncated() {
            truncated_warning(file, out);
        }
        rpm::parse_rpmdb(data, &file.path_string(), "os/rpm", out);
    }
}
