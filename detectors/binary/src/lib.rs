//! Middleware and runtimes identified from ELF binaries and shared objects by byte
//! patterns: nginx, httpd, MariaDB/MySQL, PostgreSQL, Redis, memcached, OpenSSL, Node.js,
//! Python, Java, BusyBox, curl, HAProxy, PHP, Ruby, Bash, Perl.
//!
//! ```
//! use strata_detect_binary::{classify, BinaryConfig};
//! let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
//! elf.extend_from_slice(b"\0nginx version: nginx/1.25.3\n\0");
//! let hit = classify("/usr/sbin/nginx", &elf).unwrap();
//! assert_eq!((hit.package, hit.version.as_str()), ("nginx", "1.25.3"));
//! let _detectors = strata_detect_binary::detectors(&BinaryConfig::default());
//! ```
//!
//! # Design
//! Software installed outside a package manager (a `COPY`ed nginx, a runtime unpacked
//! from a tarball) leaves no database behind, only its binary; the version is a string in
//! `.rodata`. A classifier names the files it applies to (globs on the file name) and the
//! byte patterns that carry the version. The detector's [`Interest`] is those file names
//! only, so the engine reads no other body (an `executables()` interest would make it read
//! every ELF of the image); a body must start with the ELF magic. Each pattern has an
//! anchor literal found with `memchr::memmem` (SIMD), and its `regex::bytes` pattern
//! runs only on a small window around each anchor; the first match wins, and at most
//! [`BinaryConfig::max_bytes`] leading bytes are read (64 MiB by default: version strings
//! sit in `.rodata`, well inside it). Results are `binary` packages with a CPE and a
//! `pkg:generic` purl; files owned by an OS package are still reported (ownership is
//! marked later by an analyzer).

#![deny(missing_docs)]

mod classifiers;

use std::collections::BTreeMap;
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use memchr::memmem;
use regex::bytes::Regex;
use strata_core::{Detector, DetectorRun, Ecosystem, FileRef, Interest, Origin, Output, Package};

pub use classifiers::{Classifier, builtin};

/// The evidence string on every package this crate reports.
pub const EVIDENCE: &str = "binary-classifier";
/// The detector id.
pub const DETECTOR_ID: &str = "binary/classifier";
/// At most this many anchor hits are examined per pattern (bounds work on hostile files).
const MAX_ANCHOR_HITS: usize = 4096;

/// Configuration.
#[derive(Clone, Debug)]
pub struct BinaryConfig {
    /// At most this many leading bytes of a file are read and searched (default 64 MiB).
    pub max_bytes: u64,
}

impl Default for BinaryConfig {
    fn default() -> Self {
        BinaryConfig {
            max_bytes: 64 << 20,
        }
    }
}

/// The detectors of this crate: one, `binary/classifier` (group `lang`).
pub fn detectors(cfg: &BinaryConfig) -> Vec<Box<dyn Detector>> {
    vec![Box::new(BinaryDetector::new(cfg))]
}

/// A classification result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classification {
    /// Classifier id (`nginx-binary`).
    pub class: &'static str,
    /// Canonical package name (`nginx`).
    pub package: &'static str,
    /// Version (`1.25.3`).
    pub version: String,
    /// CPE 2.3 (`cpe:2.3:a:f5:nginx:1.25.3:*:*:*:*:*:*:*`).
    pub cpe: String,
    /// Package URL (`pkg:generic/nginx@1.25.3`).
    pub purl: String,
}

impl Classification {
    /// The package finding for a file at `path`.
    pub fn to_package(&self, path: &str) -> Package {
        let mut properties = BTreeMap::new();
        properties.insert("classifier".to_owned(), self.class.to_owned());
        Package {
            name: self.package.to_owned(),
            version: self.version.clone(),
            ecosystem: Ecosystem::Binary,
            purl: Some(self.purl.clone()),
            cpe: Some(self.cpe.clone()),
            evidence: Some(EVIDENCE.to_owned()),
            properties,
            origin: Origin::file(path),
            detector: DETECTOR_ID.to_owned(),
            ..Default::default()
        }
    }
}

/// The classifiers with their file-name globs compiled.
#[derive(Debug)]
pub struct Classifiers {
    list: Vec<Classifier>,
    names: GlobSet,
    /// Glob index → classifier index.
    owner: Vec<usize>,
}

impl Classifiers {
    /// The built-in classifiers.
    pub fn builtin() -> Self {
        let list = classifiers::builtin();
        let mut b = GlobSetBuilder::new();
        let mut owner = Vec::new();
        for (i, c) in list.iter().enumerate() {
            for n in c.names {
                b.add(
                    GlobBuilder::new(n)
                        .literal_separator(true)
                        .build()
                        .expect("built-in glob is valid (tested)"),
                );
                owner.push(i);
            }
        }
        let names = b.build().expect("built-in globs compile (tested)");
        Classifiers { list, names, owner }
    }

    /// The classifiers, in priority order.
    pub fn list(&self) -> &[Classifier] {
        &self.list
    }

    /// Every file-name glob.
    pub fn name_globs(&self) -> Vec<&'static str> {
        self.list
            .iter()
            .flat_map(|c| c.names.iter().copied())
            .collect()
    }

    /// Indices of the classifiers whose file-name globs match `name`, in priority order.
    pub fn for_name(&self, name: &str) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .names
            .matches(name)
            .into_iter()
            .map(|g| self.owner[g])
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Classifies a file: the first classifier (in priority order) whose file-name glob
    /// matches `path`'s file name and whose patterns find a version. `data` must start with
    /// the ELF magic.
    pub fn classify(&self, path: &str, data: &[u8]) -> Option<Classification> {
        if !data.starts_with(b"\x7fELF") {
            return None;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        for i in self.for_name(name) {
            let c = &self.list[i];
            let hay = &data[..data.len().min(c.max_bytes)];
            if let Some(version) = run_classifier(c, name, hay) {
                let version = post_process(c, &version);
                if version.is_empty() {
                    continue;
                }
                return Some(Classification {
                    class: c.class,
                    package: c.package,
                    cpe: cpe(c.cpe.0, c.cpe.1, &version),
                    purl: format!("pkg:generic/{}@{}", c.package, purl_escape(&version)),
                    version,
                });
            }
        }
        None
    }
}

/// Classifies with the built-in classifiers (compiled once per process).
pub fn classify(path: &str, data: &[u8]) -> Option<Classification> {
    static BUILTIN: std::sync::OnceLock<Classifiers> = std::sync::OnceLock::new();
    BUILTIN
        .get_or_init(Classifiers::builtin)
        .classify(path, data)
}

fn run_classifier(c: &Classifier, name: &str, hay: &[u8]) -> Option<String> {
    if let Some(t) = &c.name_template {
        let v = t.name.captures(name.as_bytes())?.name("v")?;
        let v = std::str::from_utf8(v.as_bytes()).ok()?;
        let esc = regex::escape(v);
        let re = Regex::new(&format!("(?-u){}", t.template.replace("{v}", &esc))).ok()?;
        let anchor = t.anchor.replace("{v}", v).into_bytes();
        let mt = classifiers::Matcher {
            anchor: Some(anchor),
            re,
            before: 8,
            after: 64,
        };
        return run_matcher(&mt, hay);
    }
    c.matchers.iter().find_map(|mt| run_matcher(mt, hay))
}

fn run_matcher(mt: &classifiers::Matcher, hay: &[u8]) -> Option<String> {
    let capture = |window: &[u8]| -> Option<String> {
        let caps = mt.re.captures(window)?;
        let v = caps.name("version")?;
        std::str::from_utf8(v.as_bytes()).ok().map(str::to_owned)
    };
    match &mt.anchor {
        None => capture(hay),
        Some(a) => memmem::find_iter(hay, a)
            .take(MAX_ANCHOR_HITS)
            .find_map(|pos| {
                let start = pos.saturating_sub(mt.before);
                let end = pos
                    .saturating_add(a.len())
                    .saturating_add(mt.after)
                    .min(hay.len());
                capture(&hay[start..end])
            }),
    }
}

fn post_process(c: &Classifier, v: &str) -> String {
    match c.post {
        classifiers::Post::None => v.to_owned(),
        classifiers::Post::JavaBuild => match v.find('+') {
            Some(plus) => match v[plus..].find('-') {
                Some(dash) => v[..plus + dash].to_owned(),
                None => v.to_owned(),
            },
            None => v.to_owned(),
        },
    }
}

/// A CPE 2.3 formatted string; the version is escaped as the specification requires
/// (`+` → `\+`).
fn cpe(vendor: &str, product: &str, version: &str) -> String {
    let mut v = String::new();
    for ch in version.chars() {
        if !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '-' || ch == '.') {
            v.push('\\');
        }
        v.push(ch);
    }
    format!("cpe:2.3:a:{vendor}:{product}:{v}:*:*:*:*:*:*:*")
}

/// Percent-encodes a purl version (everything but unreserved characters).
fn purl_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `binary/classifier` detector.
#[derive(Debug)]
pub struct BinaryDetector {
    classifiers: Arc<Classifiers>,
    max_bytes: u64,
}

impl BinaryDetector {
    /// Builds the detector with the built-in classifiers.
    pub fn new(cfg: &BinaryConfig) -> Self {
        BinaryDetector {
            classifiers: Arc::new(Classifiers::builtin()),
            max_bytes: cfg.max_bytes,
        }
    }
}

impl Detector for BinaryDetector {
    fn id(&self) -> &'static str {
        DETECTOR_ID
    }

    fn group(&self) -> &'static str {
        "lang"
    }

    fn config_fingerprint(&self) -> u64 {
        self.max_bytes
    }

    fn interest(&self) -> Interest {
        // `*` crosses `/` in the engine's globs: `*/libssl.so*` matches at any depth.
        let globs: Vec<String> = self
            .classifiers
            .name_globs()
            .iter()
            .map(|g| format!("*/{g}"))
            .collect();
        Interest::none().globs(&globs).max_bytes(self.max_bytes)
    }

    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(Run { det: self })
    }
}

struct Run<'a> {
    det: &'a BinaryDetector,
}

impl DetectorRun for Run<'_> {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        if let Some(c) = self.det.classifiers.classify(&path, data) {
            out.push(c.to_package(&path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpe_and_purl_escape_the_version() {
        assert_eq!(
            cpe("oracle", "openjdk", "17.0.21.1+2"),
            "cpe:2.3:a:oracle:openjdk:17.0.21.1\\+2:*:*:*:*:*:*:*"
        );
        assert_eq!(purl_escape("17.0.21.1+2"), "17.0.21.1%2B2");
        assert_eq!(purl_escape("1.8.0_352-b08"), "1.8.0_352-b08");
    }

    #[test]
    fn java_versions_lose_the_distribution_suffix_only() {
        let java = Classifiers::builtin();
        let c = java
            .list()
            .iter()
            .find(|c| c.class == "java-binary-openjdk")
            .unwrap();
        assert_eq!(
            post_process(c, "17.0.21.1+2-1-deb12u1-Debian"),
            "17.0.21.1+2"
        );
        assert_eq!(post_process(c, "21.0.5+11-LTS"), "21.0.5+11");
        assert_eq!(post_process(c, "1.8.0_352-b08"), "1.8.0_352-b08");
    }

    #[test]
    fn interest_globs_select_files_not_directory_trees() {
        let globs = Classifiers::builtin().name_globs();
        let mut b = GlobSetBuilder::new();
        for g in &globs {
            // As the engine builds them: `*` crosses `/`.
            b.add(globset::Glob::new(&format!("*/{g}")).unwrap());
        }
        let set = b.build().unwrap();
        for yes in [
            "/usr/bin/python3.11",
            "/usr/local/bin/python3",
            "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0",
            "/usr/lib/x86_64-linux-gnu/libssl.so.3",
            "/usr/sbin/php-fpm8.2",
            "/usr/bin/perl5.36.0",
            "/nginx",
        ] {
            assert!(set.is_match(yes), "{yes}");
        }
        for no in [
            "/usr/lib/python3/dist-packages/requests/api.py",
            "/usr/lib/python3.11/os.py",
            "/usr/share/doc/php8.2-cli/changelog.gz",
            "/usr/share/perl5/Debconf/Log.pm",
            "/usr/lib/ruby/3.1.0/set.rb",
            "/usr/share/doc/libssl3/copyright",
        ] {
            assert!(!set.is_match(no), "{no}");
        }
    }

    #[test]
    fn every_builtin_pattern_has_a_version_group() {
        for c in Classifiers::builtin().list() {
            for m in &c.matchers {
                assert!(
                    m.re.capture_names().any(|n| n == Some("version")),
                    "{}",
                    c.class
                );
            }
            assert!(!c.names.is_empty(), "{}", c.class);
        }
    }
}
