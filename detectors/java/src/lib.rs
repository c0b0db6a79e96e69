//! Java components in images: Maven packages inside jar/war/ear (and par, sar, jpi, hpi,
//! kar, nar) archives, including archives nested in archives (Spring Boot
//! `BOOT-INF/lib`, `WEB-INF/lib`, jars in wars in ears), and Java runtimes identified from
//! their own version files (Tomcat, WildFly/JBoss EAP, JDK/JRE installs). Unpacked
//! applications are covered through their `META-INF/maven/<g>/<a>/pom.properties` on disk.
//!
//! ```
//! use strata_core::{EntryKind, FileMeta, FileRef, ImagePath, Output};
//! use strata_detect_java::{JavaConfig, detectors};
//!
//! let dets = detectors(&JavaConfig::default());
//! assert_eq!(dets[0].id(), "lang/java");
//! let path = ImagePath::from_str_lossy("/app/not-a.jar");
//! let meta = FileMeta { kind: EntryKind::File, mode: 0o644, uid: 0, gid: 0, size: 3, mtime: 0, link: None };
//! let mut out = Output::new();
//! let mut run = dets[0].start();
//! run.file(&FileRef::new(&path, &meta, false), b"abc", &mut out);
//! run.finish(&mut out);
//! assert!(out.findings().is_empty());
//! assert_eq!(out.diagnostics()[0].code, "java-archive-malformed");
//! ```
//!
//! # Design
//! The engine hands each archive's body over once; everything else happens in memory. A
//! small zip reader of our own (the private `zip` module, raw DEFLATE through `flate2` with the
//! pure-Rust zlib-rs backend already used by the workspace) parses the central directory
//! and reads only the members that matter: `pom.properties`, the Maven `pom.xml`,
//! `META-INF/MANIFEST.MF`, one LICENSE file and nested archives; classes are never
//! touched. Stored nested archives (Spring Boot stores `BOOT-INF/lib` jars uncompressed)
//! are borrowed from the outer body without a copy; deflated ones are inflated into one
//! buffer each, charged to a per-outer-archive byte budget. A reader of our own rather
//! than the `zip` crate because hostile input is the normal case here: every size is
//! checked before allocating (declared size against the remaining budget and against
//! deflate's best ratio, actual size against the declared one), members that overlap
//! (the overlapping-entries bomb, quines) are refused, data prepended to the archive is
//! handled as `java.util.zip` does, and the whole thing is ~300 lines with no extra
//! dependency and a fuzz target. Evidence is taken in the order pom.properties (every one
//! is a package: shaded jars hold several), Maven pom.xml (parent inheritance, entities
//! never expanded), then, for an archive whose own package is still unknown, the
//! optional SHA-1 index, MANIFEST.MF and the file name. See [`JavaConfig`] for the caps.

#![deny(missing_docs)]

mod archive;
mod error;
mod filename;
mod index;
mod manifest;
mod pom_xml;
mod properties;
mod runtime;
mod zip;

use std::path::PathBuf;
use std::sync::Arc;

use strata_core::{Detector, DetectorRun, Diagnostic, FileRef, Finding, Interest, Output, Package};

pub use error::{JavaError, ZipError};
pub use filename::{ARCHIVE_EXTENSIONS, FileName, parse_file_name};
pub use index::{Gav, Sha1Index};
pub use manifest::Manifest;
pub use pom_xml::PomXml;
pub use properties::{PomProperties, parse_properties};
pub use runtime::{
    jboss_from_product_manifest, jboss_from_version_txt, jdk_from_release, tomcat_from_server_info,
};

/// Configuration of the Java detectors.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct JavaConfig {
    /// Max nesting of archives inside the outer archive (a jar in a war is 1, a jar in a
    /// war in an ear is 2). Default 5.
    pub max_depth: u32,
    /// Max bytes uncompressed from one outer archive, nested members included. Default
    /// 1 GiB.
    pub max_archive_bytes: u64,
    /// Max zip entries listed in one outer archive, nested archives included. Default
    /// 500 000.
    pub max_entries: u64,
    /// Optional user-supplied SHA-1 -> GAV index (see [`Sha1Index`]) for jars without
    /// Maven metadata.
    pub sha1_index: Option<PathBuf>,
}

impl Default for JavaConfig {
    fn default() -> Self {
        JavaConfig {
            max_depth: 5,
            max_archive_bytes: 1 << 30,
            max_entries: 500_000,
            sha1_index: None,
        }
    }
}

impl JavaConfig {
    /// The archive caps of the engine's [`Limits`](strata_core::Limits)
    /// (`max_archive_depth`, `max_archive_bytes`, `max_entries`), no SHA-1 index.
    pub fn from_limits(limits: &strata_core::Limits) -> Self {
        JavaConfig {
            max_depth: limits.max_archive_depth,
            max_archive_bytes: limits.max_archive_bytes,
            max_entries: limits.max_entries,
            sha1_index: None,
        }
    }

    fn fingerprint(&self, index: &IndexState) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut mix = |x: u64| {
            for b in x.to_le_bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
            }
        };
        mix(u64::from(self.max_depth));
        mix(self.max_archive_bytes);
        mix(self.max_entries);
        match index {
            IndexState::None => mix(0),
            IndexState::Loaded(i) => mix(i.fingerprint()),
            IndexState::Failed(_) => mix(1),
        }
        h
    }
}

#[derive(Debug)]
enum IndexState {
    None,
    Loaded(Sha1Index),
    Failed(String),
}

/// The detectors of this crate: `lang/java` (archives) and `lang/java-runtime`
/// (Tomcat, WildFly/EAP, JDK). If the configured SHA-1 index cannot be read, the archive
/// detector still runs and reports a `java-sha1-index-unreadable` error diagnostic in
/// every layer; use [`try_detectors`] to fail early instead.
pub fn detectors(cfg: &JavaConfig) -> Vec<Box<dyn Detector>> {
    let index = match &cfg.sha1_index {
        None => IndexState::None,
        Some(path) => match Sha1Index::load(path) {
            Ok(i) => IndexState::Loaded(i),
            Err(e) => IndexState::Failed(error_chain(&e)),
        },
    };
    build(cfg, index)
}

/// Like [`detectors`], but an unreadable or malformed SHA-1 index is an error.
pub fn try_detectors(cfg: &JavaConfig) -> Result<Vec<Box<dyn Detector>>, JavaError> {
    let index = match &cfg.sha1_index {
        None => IndexState::None,
        Some(path) => IndexState::Loaded(Sha1Index::load(path)?),
    };
    Ok(build(cfg, index))
}

/// The detectors with an index already in memory.
pub fn detectors_with_index(cfg: &JavaConfig, index: Sha1Index) -> Vec<Box<dyn Detector>> {
    build(cfg, IndexState::Loaded(index))
}

fn build(cfg: &JavaConfig, index: IndexState) -> Vec<Box<dyn Detector>> {
    let shared = Arc::new(Shared {
        fingerprint: cfg.fingerprint(&index),
        cfg: cfg.clone(),
        index,
    });
    vec![
        Box::new(JavaArchiveDetector {
            shared: shared.clone(),
        }),
        Box::new(JavaRuntimeDetector { shared }),
    ]
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(&format!(": {c}"));
        src = c.source();
    }
    s
}

#[derive(Debug)]
struct Shared {
    cfg: JavaConfig,
    index: IndexState,
    fingerprint: u64,
}

/// What [`scan_archive`] found in one outer archive, and what it cost.
#[derive(Clone, Debug, Default)]
pub struct ArchiveScan {
    /// Packages, de-duplicated by name, version and origin path.
    pub packages: Vec<Package>,
    /// Problems met (limits, malformed members, unexpanded entities).
    pub diagnostics: Vec<Diagnostic>,
    /// Bytes read out of members (inflated or borrowed), nested archives included: never
    /// more than [`JavaConfig::max_archive_bytes`].
    pub bytes_read: u64,
    /// Central-directory entries listed, nested archives included: never more than
    /// [`JavaConfig::max_entries`].
    pub entries_listed: u64,
    /// The deepest nesting opened (0 = only the outer archive).
    pub max_depth_opened: u32,
}

/// Identifies the Maven packages in one archive body (and the archives nested in it),
/// as the `lang/java` detector does. `path` is the archive's path in the image; packages
/// of nested archives get `Origin::nested(path, "inner!/chain")`. Exposed for tools,
/// tests and fuzzing.
pub fn scan_archive(
    cfg: &JavaConfig,
    index: Option<&Sha1Index>,
    path: &str,
    data: &[u8],
) -> ArchiveScan {
    let mut w = archive::Walker::new(cfg, index, path);
    w.walk(data, "", 0);
    w.finish();
    let (bytes_read, entries_listed, max_depth_opened) = w.stats();
    let mut packages = w.packages;
    // The same name and version at the same place (duplicate pom.properties) once.
    let mut seen = std::collections::HashSet::new();
    packages.retain(|p| seen.insert((p.name.clone(), p.version.clone(), p.origin.path.clone())));
    ArchiveScan {
        packages,
        diagnostics: w.diagnostics,
        bytes_read,
        entries_listed,
        max_depth_opened,
    }
}

/// The Maven descriptor of an unpacked application.
const UNPACKED_POM_PROPERTIES: &str = "**/META-INF/maven/*/*/pom.properties";

/// `lang/java`: Maven packages in Java archives.
struct JavaArchiveDetector {
    shared: Arc<Shared>,
}

impl Detector for JavaArchiveDetector {
    fn id(&self) -> &'static str {
        archive::DETECTOR_ID
    }
    fn group(&self) -> &'static str {
        "lang"
    }
    fn config_fingerprint(&self) -> u64 {
        self.shared.fingerprint
    }
    fn interest(&self) -> Interest {
        // `.rar` is only opened when nested (resource adapters in ears): on its own it is
        // far more often a RAR archive.
        let exts: Vec<&str> = ARCHIVE_EXTENSIONS
            .iter()
            .copied()
            .filter(|e| *e != "rar")
            .collect();
        // Unpacked applications (`jar -xf`, Spring Boot layer extraction) keep their Maven
        // descriptor on disk.
        Interest::none()
            .extensions(&exts)
            .globs(&[UNPACKED_POM_PROPERTIES])
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(ArchiveRun {
            shared: &self.shared,
            index_reported: false,
        })
    }
}

struct ArchiveRun<'a> {
    shared: &'a Shared,
    index_reported: bool,
}

impl DetectorRun for ArchiveRun<'_> {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        if let IndexState::Failed(msg) = &self.shared.index
            && !self.index_reported
        {
            self.index_reported = true;
            out.diagnostic(Diagnostic::error("java-sha1-index-unreadable", msg.clone()));
        }
        if file.truncated() {
            out.diagnostic(
                Diagnostic::warning(
                    "java-archive-truncated",
                    format!(
                        "only {} of {} bytes were read; archive skipped",
                        data.len(),
                        file.size()
                    ),
                )
                .with_path(path),
            );
            return;
        }
        if path.ends_with("/pom.properties") {
            if let Some(p) = PomProperties::parse(data) {
                let mut pkg = archive::maven_package(
                    Some(&p.group_id),
                    &p.artifact_id,
                    &p.version,
                    "pom.properties",
                );
                pkg.origin = strata_core::Origin::file(path);
                pkg.detector = archive::DETECTOR_ID.to_owned();
                pkg.properties
                    .insert("maven.unpacked".into(), "true".into());
                out.push(Finding::from(pkg));
            }
            return;
        }
        let index = match &self.shared.index {
            IndexState::Loaded(i) => Some(i),
            _ => None,
        };
        let scan = scan_archive(&self.shared.cfg, index, &path, data);
        for p in scan.packages {
            out.push(Finding::from(p));
        }
        for d in scan.diagnostics {
            out.diagnostic(d);
        }
    }
}

/// `lang/java-runtime`: Tomcat, WildFly/JBoss EAP and JDK installs.
struct JavaRuntimeDetector {
    shared: Arc<Shared>,
}

const RUNTIME_GLOBS: &[&str] = &[
    "**/lib/catalina.jar",
    "**/org/jboss/as/product/*/dir/META-INF/MANIFEST.MF",
    "**/version.txt",
    "**/release",
];

impl Detector for JavaRuntimeDetector {
    fn id(&self) -> &'static str {
        runtime::DETECTOR_ID
    }
    fn group(&self) -> &'static str {
        "lang"
    }
    fn config_fingerprint(&self) -> u64 {
        self.shared.fingerprint
    }
    fn interest(&self) -> Interest {
        // catalina.jar is about 2 MiB; the text files are tiny.
        Interest::none()
            .globs(RUNTIME_GLOBS)
            .max_file_size(64 << 20)
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(RuntimeRun {
            shared: &self.shared,
        })
    }
}

struct RuntimeRun<'a> {
    shared: &'a Shared,
}

impl DetectorRun for RuntimeRun<'_> {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        let base = path.rsplit('/').next().unwrap_or("");
        let found = if base == "catalina.jar" {
            match runtime::tomcat(&path, data, self.shared.cfg.max_entries) {
                Ok(p) => p,
                Err(d) => {
                    out.diagnostic(d);
                    None
                }
            }
        } else if base == "MANIFEST.MF" {
            jboss_from_product_manifest(data)
        } else if base == "version.txt" {
            jboss_from_version_txt(data)
        } else if base == "release" {
            jdk_from_release(data)
        } else {
            None
        };
        if let Some(mut p) = found {
            if p.origin.path.is_empty() {
                p.origin = strata_core::Origin::file(path);
            }
            p.detector = runtime::DETECTOR_ID.to_owned();
            out.push(Finding::from(p));
        }
    }
}
