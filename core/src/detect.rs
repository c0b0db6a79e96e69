//! Detectors and analyzers: the plug-in points of the scan.
//!
//! A [`Detector`] declares an [`Interest`] (which files it wants); the engine compiles every
//! interest into one dispatch table, reads each wanted file body once per layer and hands
//! it to every interested [`DetectorRun`]. Runs are per layer (layers are analysed
//! independently, in parallel, and cached), so a detector sees one layer's files at a time
//! and must not depend on other layers: cross-file, cross-layer conclusions belong in an
//! [`Analyzer`], which runs once on the merged [`Inventory`].

use std::collections::BTreeMap;

use crate::finding::{Diagnostic, Finding};
use crate::image::ImageInfo;
use crate::path::ImagePath;

/// Kind of a filesystem entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// Regular file.
    File,
    /// Directory.
    Dir,
    /// Symbolic link.
    Symlink,
    /// Hard link to another path.
    Hardlink,
    /// Device, FIFO, socket.
    Other,
}

/// Metadata of one entry as a layer (or directory) recorded it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileMeta {
    /// Kind.
    pub kind: EntryKind,
    /// Permission bits and type bits as stored (`0o100755`); only the low 12 bits are
    /// guaranteed.
    pub mode: u32,
    /// Owner.
    pub uid: u64,
    /// Group.
    pub gid: u64,
    /// Size in bytes (0 for non-files).
    pub size: u64,
    /// Modification time (seconds since the epoch).
    #[serde(default)]
    pub mtime: u64,
    /// Symlink or hard-link target, raw bytes as stored.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_bytes")]
    pub link: Option<Vec<u8>>,
}

mod opt_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.serialize_str(&crate::path::bytes_to_repr(b)),
            None => s.serialize_none(),
        }
    }
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(s) => crate::path::repr_to_bytes(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("invalid link encoding")),
            None => Ok(None),
        }
    }
}

impl FileMeta {
    /// Whether any execute bit is set on a regular file.
    pub fn is_executable(&self) -> bool {
        self.kind == EntryKind::File && self.mode & 0o111 != 0
    }
}

/// A file handed to a detector: its path and metadata. The body comes alongside as a
/// byte slice.
#[derive(Clone, Copy, Debug)]
pub struct FileRef<'a> {
    path: &'a ImagePath,
    meta: &'a FileMeta,
    truncated: bool,
}

impl<'a> FileRef<'a> {
    /// Builds a file reference (the engine does this; tests and tools may too).
    pub fn new(path: &'a ImagePath, meta: &'a FileMeta, truncated: bool) -> Self {
        FileRef { path, meta, truncated }
    }

    /// The path in the image.
    pub fn path(&self) -> &'a ImagePath {
        self.path
    }

    /// The path as a (lossy) string, for findings.
    pub fn path_string(&self) -> String {
        self.path.to_string_lossy()
    }

    /// Metadata.
    pub fn meta(&self) -> &'a FileMeta {
        self.meta
    }

    /// The full size of the file (the body slice may be shorter: see [`Self::truncated`]).
    pub fn size(&self) -> u64 {
        self.meta.size
    }

    /// Whether the body handed over is shorter than the file (capped by `max_bytes`).
    pub fn truncated(&self) -> bool {
        self.truncated
    }
}

/// Which files a detector wants. A file is dispatched when any selector matches, no
/// exclusion matches, and it is a regular file within `max_file_size`.
///
/// Globs use globset syntax on absolute paths (`/var/lib/dpkg/info/*.list`,
/// `**/node_modules/**/package.json`); `*` also crosses `/`.
#[derive(Clone, Debug, Default)]
pub struct Interest {
    pub(crate) paths: Vec<String>,
    pub(crate) globs: Vec<String>,
    pub(crate) basenames: Vec<String>,
    pub(crate) extensions: Vec<String>,
    pub(crate) magic: Vec<Vec<u8>>,
    pub(crate) any_file: bool,
    pub(crate) executables: bool,
    pub(crate) exclude: Vec<String>,
    pub(crate) max_file_size: Option<u64>,
    pub(crate) max_bytes: Option<u64>,
    pub(crate) text_only: bool,
}

/// Bytes at the start of a body sniffed for a NUL byte by [`Interest::text_only`].
pub const TEXT_SNIFF: usize = 8 * 1024;

impl Interest {
    /// No files.
    pub fn none() -> Self {
        Interest::default()
    }

    /// Every regular file (secrets, malware): combine with `exclude` and size caps.
    pub fn any_file() -> Self {
        Interest { any_file: true, ..Default::default() }
    }

    /// Adds exact absolute paths.
    pub fn paths<S: AsRef<str>>(mut self, paths: &[S]) -> Self {
        self.paths.extend(paths.iter().map(|s| s.as_ref().to_owned()));
        self
    }

    /// Adds globs.
    pub fn globs<S: AsRef<str>>(mut self, globs: &[S]) -> Self {
        self.globs.extend(globs.iter().map(|s| s.as_ref().to_owned()));
        self
    }

    /// Adds file names (`package.json`).
    pub fn basenames<S: AsRef<str>>(mut self, names: &[S]) -> Self {
        self.basenames.extend(names.iter().map(|s| s.as_ref().to_owned()));
        self
    }

    /// Adds extensions without the dot (`jar`), matched case-insensitively.
    pub fn extensions<S: AsRef<str>>(mut self, exts: &[S]) -> Self {
        self.extensions.extend(exts.iter().map(|s| s.as_ref().to_ascii_lowercase()));
        self
    }

    /// Adds magic prefixes (checked against the first 512 bytes).
    pub fn magic(mut self, prefixes: &[&[u8]]) -> Self {
        self.magic.extend(prefixes.iter().map(|p| p.to_vec()));
        self
    }

    /// Adds executable files: any execute bit, or an ELF header (shared objects are often
    /// mode 0644).
    pub fn executables(mut self) -> Self {
        self.executables = true;
        self
    }

    /// Excludes globs (applied after the selectors).
    pub fn exclude<S: AsRef<str>>(mut self, globs: &[S]) -> Self {
        self.exclude.extend(globs.iter().map(|s| s.as_ref().to_owned()));
        self
    }

    /// Skips files larger than `n` bytes entirely.
    pub fn max_file_size(mut self, n: u64) -> Self {
        self.max_file_size = Some(n);
        self
    }

    /// Reads at most `n` bytes of a body (the rest is not copied); the file is marked
    /// truncated.
    pub fn max_bytes(mut self, n: u64) -> Self {
        self.max_bytes = Some(n);
        self
    }

    /// Only text files: files whose first [`TEXT_SNIFF`] bytes hold a NUL byte are not
    /// given to this detector. The engine reads those bytes first and, when no other
    /// detector wants a binary file, reads no more of it (secrets on a host full of build
    /// artifacts read 41 GB without this).
    pub fn text_only(mut self) -> Self {
        self.text_only = true;
        self
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        !self.any_file
            && !self.executables
            && self.paths.is_empty()
            && self.globs.is_empty()
            && self.basenames.is_empty()
            && self.extensions.is_empty()
            && self.magic.is_empty()
    }
}

/// Where a detector or analyzer puts its results.
#[derive(Debug, Default)]
pub struct Output {
    pub(crate) findings: Vec<Finding>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Output {
    /// A new, empty output.
    pub fn new() -> Self {
        Output::default()
    }

    /// Reports a finding.
    pub fn push(&mut self, finding: impl Into<Finding>) {
        self.findings.push(finding.into());
    }

    /// Makes room for `additional` more findings (a detector that knows how many it will
    /// push saves the regrowing).
    pub fn reserve(&mut self, additional: usize) {
        self.findings.reserve(additional);
    }

    /// Adds many findings at once, in order. When the output holds none yet, `findings`
    /// becomes its list as is (no copy).
    pub fn append(&mut self, mut findings: Vec<Finding>) {
        if self.findings.is_empty() {
            self.findings = findings;
        } else {
            self.findings.append(&mut findings);
        }
    }

    /// Reports a diagnostic.
    pub fn diagnostic(&mut self, diag: Diagnostic) {
        self.diagnostics.push(diag);
    }

    /// Findings so far.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Diagnostics so far.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Takes everything out.
    pub fn into_parts(self) -> (Vec<Finding>, Vec<Diagnostic>) {
        (self.findings, self.diagnostics)
    }
}

macro_rules! into_finding {
    ($($t:ident),*) => {$(
        impl From<crate::finding::$t> for Finding {
            fn from(x: crate::finding::$t) -> Finding { Finding::$t(x) }
        }
    )*};
}
into_finding!(Vulnerability, Secret, Malware, Misconfiguration, Compliance);

impl From<crate::finding::Package> for Finding {
    fn from(x: crate::finding::Package) -> Finding {
        Finding::Package(Box::new(x))
    }
}

impl From<crate::finding::OwnedFiles> for Finding {
    fn from(x: crate::finding::OwnedFiles) -> Finding {
        Finding::Owned(x)
    }
}

impl From<crate::finding::OsInfo> for Finding {
    fn from(x: crate::finding::OsInfo) -> Finding {
        Finding::Os(x)
    }
}

/// A per-file detector. Implementations are immutable and shared across threads; per-layer
/// state lives in the [`DetectorRun`] returned by [`Detector::start`].
pub trait Detector: Send + Sync + 'static {
    /// Stable id, kebab-case path (`os/dpkg`, `secrets`). Used in reports, `--scanners`
    /// and the cache key.
    fn id(&self) -> &'static str;

    /// The scanner group this detector belongs to (`os`, `lang`, `secret`, `malware`,
    /// `config`, `compliance`), for `--scanners`.
    fn group(&self) -> &'static str;

    /// Bump when the detector's output for the same input changes: invalidates cached
    /// layer results.
    fn version(&self) -> u32 {
        1
    }

    /// A hash of configuration that changes the output (rule sets, caps); part of the
    /// cache key.
    fn config_fingerprint(&self) -> u64 {
        0
    }

    /// The files this detector wants; read once when the engine is built.
    fn interest(&self) -> Interest;

    /// Starts a run over one layer (or one directory tree).
    fn start(&self) -> Box<dyn DetectorRun + '_>;
}

/// Per-layer state of a detector.
pub trait DetectorRun: Send {
    /// One wanted file: `data` is its body, capped at the interest's `max_bytes`.
    /// Problems become diagnostics in `out`; nothing here may panic on file contents (the
    /// engine catches panics anyway and reports them as errors).
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output);

    /// End of the layer: emit results that combine several files of this layer.
    fn finish(self: Box<Self>, out: &mut Output) {
        let _ = out;
    }
}

/// The merged view analyzers read: image facts, the merged filesystem metadata and every
/// finding that survived the layer merge (plus those of earlier analyzers).
#[derive(Debug)]
pub struct Inventory<'a> {
    /// The image.
    pub image: &'a ImageInfo,
    /// The detected OS, if any.
    pub os: Option<&'a crate::finding::OsInfo>,
    /// Findings so far.
    pub findings: &'a [Finding],
    /// The merged filesystem: path to (metadata, layer index).
    pub files: &'a BTreeMap<ImagePath, (FileMeta, u32)>,
}

impl Inventory<'_> {
    /// Packages so far.
    pub fn packages(&self) -> impl Iterator<Item = &crate::finding::Package> {
        self.findings.iter().filter_map(|f| match f {
            Finding::Package(p) => Some(&**p),
            _ => None,
        })
    }
}

/// A post-merge analyzer: vulnerability matching, compliance, base image, image-config
/// checks.
pub trait Analyzer: Send + Sync + 'static {
    /// Stable id (`vulns`).
    fn id(&self) -> &'static str;

    /// The scanner group (`vuln`, `compliance`, `secret`, `config`, ...).
    fn group(&self) -> &'static str;

    /// Runs on the merged findings before any `analyze`, in registration order: may refine
    /// findings in place (purls that need the OS, attaching owned files to packages,
    /// marking application packages owned by an OS package). Default: nothing.
    fn refine(
        &self,
        image: &ImageInfo,
        os: Option<&crate::finding::OsInfo>,
        findings: &mut Vec<Finding>,
        out: &mut Output,
    ) {
        let _ = (image, os, findings, out);
    }

    /// Reads the inventory, reports findings and diagnostics.
    fn analyze(&self, inventory: &Inventory<'_>, out: &mut Output);
}
