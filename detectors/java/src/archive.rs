//! The archive walker: identifies the packages of one outer archive and of every archive
//! nested in it, in memory, within the configured depth, entry and byte budgets.

use std::borrow::Cow;

use strata_core::{Diagnostic, Ecosystem, Origin, Package};

use crate::JavaConfig;
use crate::error::ZipError;
use crate::filename::{FileName, archive_extension, parse_file_name};
use crate::index::Sha1Index;
use crate::manifest::{MAX_MANIFEST_BYTES, Manifest};
use crate::pom_xml::{MAX_POM_BYTES, PomXml};
use crate::properties::{MAX_PROPERTIES_BYTES, PomProperties};
use crate::zip::{Archive, Entry};

/// Detector id of the archive detector.
pub(crate) const DETECTOR_ID: &str = "lang/java";

/// Max bytes of a packed LICENSE file that are read.
const MAX_LICENSE_BYTES: u64 = 256 << 10;

/// Max packages reported for one outer archive (real fat jars hold a few hundred).
pub(crate) const MAX_PACKAGES: usize = 20_000;

/// Max diagnostics kept for one outer archive; one more says how many were dropped.
pub(crate) const MAX_DIAGNOSTICS: usize = 100;

/// Evidence names, most reliable first.
pub(crate) mod evidence {
    pub(crate) const POM_PROPERTIES: &str = "pom.properties";
    pub(crate) const POM_XML: &str = "pom.xml";
    pub(crate) const SHA1_INDEX: &str = "sha1-index";
    pub(crate) const MANIFEST: &str = "MANIFEST.MF";
    pub(crate) const FILE_NAME: &str = "file-name";
}

/// Percent-encodes a purl segment (everything but unreserved characters).
pub(crate) fn purl_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Builds a Maven package. Without a group, the name is the artifact alone and the purl
/// uses the artifact as namespace, as Syft does (`pkg:maven/log4j-core/log4j-core@2.14.1`).
pub(crate) fn maven_package(
    group: Option<&str>,
    artifact: &str,
    version: &str,
    evidence: &str,
) -> Package {
    let ns = group.unwrap_or(artifact);
    let name = match group {
        Some(g) => format!("{g}:{artifact}"),
        None => artifact.to_owned(),
    };
    Package {
        name,
        version: version.to_owned(),
        ecosystem: Ecosystem::Maven,
        purl: Some(format!(
            "pkg:maven/{}/{}@{}",
            purl_encode(ns),
            purl_encode(artifact),
            purl_encode(version)
        )),
        evidence: Some(evidence.to_owned()),
        ..Default::default()
    }
}

/// Groups of a few widely used artifacts, for jars that carry no metadata at all (the
/// name is then the only evidence). Only unambiguous, well-known artifacts.
const KNOWN_GROUPS: &[(&str, &str)] = &[
    ("log4j-core", "org.apache.logging.log4j"),
    ("log4j-api", "org.apache.logging.log4j"),
    ("log4j", "log4j"),
    ("spring-core", "org.springframework"),
    ("spring-beans", "org.springframework"),
    ("spring-context", "org.springframework"),
    ("spring-web", "org.springframework"),
    ("spring-webmvc", "org.springframework"),
    ("spring-expression", "org.springframework"),
    ("jackson-databind", "com.fasterxml.jackson.core"),
    ("jackson-core", "com.fasterxml.jackson.core"),
    ("jackson-annotations", "com.fasterxml.jackson.core"),
    ("commons-text", "org.apache.commons"),
    ("commons-lang3", "org.apache.commons"),
    ("commons-collections", "commons-collections"),
    ("commons-fileupload", "commons-fileupload"),
    ("snakeyaml", "org.yaml"),
    ("xstream", "com.thoughtworks.xstream"),
    ("struts2-core", "org.apache.struts"),
    ("tomcat-embed-core", "org.apache.tomcat.embed"),
    ("h2", "com.h2database"),
];

/// Bytes, entries and depth left for one outer archive.
struct Budget {
    bytes_left: u64,
    entries_left: u64,
    limit_reported: bool,
    max_depth: u32,
}

/// Walks one outer archive and everything nested in it.
pub(crate) struct Walker<'a> {
    cfg: &'a JavaConfig,
    index: Option<&'a Sha1Index>,
    real: &'a str,
    budget: Budget,
    /// Packages found, in discovery order.
    pub(crate) packages: Vec<Package>,
    /// Problems met.
    pub(crate) diagnostics: Vec<Diagnostic>,
    dropped_diagnostics: usize,
}

/// One nested archive waiting to be opened.
struct Pending<'e> {
    entry: &'e Entry,
}

impl<'a> Walker<'a> {
    /// A walker for the archive at `real` (a path in the image).
    pub(crate) fn new(cfg: &'a JavaConfig, index: Option<&'a Sha1Index>, real: &'a str) -> Self {
        Walker {
            cfg,
            index,
            real,
            budget: Budget {
                bytes_left: cfg.max_archive_bytes,
                entries_left: cfg.max_entries,
                limit_reported: false,
                max_depth: 0,
            },
            packages: Vec::new(),
            diagnostics: Vec::new(),
            dropped_diagnostics: 0,
        }
    }

    /// Bytes read, entries listed and the deepest nesting opened so far.
    pub(crate) fn stats(&self) -> (u64, u64, u32) {
        (
            self.cfg.max_archive_bytes - self.budget.bytes_left,
            self.cfg.max_entries - self.budget.entries_left,
            self.budget.max_depth,
        )
    }

    fn display(&self, chain: &str) -> String {
        if chain.is_empty() {
            self.real.to_owned()
        } else {
            format!("{}!/{chain}", self.real)
        }
    }

    fn origin(&self, chain: &str) -> Origin {
        if chain.is_empty() {
            Origin::file(self.real)
        } else {
            Origin::nested(self.real, chain)
        }
    }

    fn diag(&mut self, d: Diagnostic, chain: &str) {
        if self.diagnostics.len() >= MAX_DIAGNOSTICS {
            self.dropped_diagnostics += 1;
            return;
        }
        let d = d.with_path(self.display(chain));
        self.diagnostics.push(d);
    }

    /// Ends the walk: the note about dropped diagnostics, if any.
    pub(crate) fn finish(&mut self) {
        if self.dropped_diagnostics > 0 {
            let d = Diagnostic::warning(
                "java-diagnostics-dropped",
                format!(
                    "{} more diagnostics for this archive were dropped",
                    self.dropped_diagnostics
                ),
            )
            .with_path(self.real);
            self.diagnostics.push(d);
        }
    }

    fn zip_diag(&mut self, err: &ZipError, chain: &str, what: &str) {
        let code = err.code();
        if code == "java-archive-limit" {
            if self.budget.limit_reported {
                return;
            }
            self.budget.limit_reported = true;
        }
        let mut msg = format!("{what}: {err}");
        let mut src = std::error::Error::source(err);
        while let Some(s) = src {
            msg.push_str(&format!(": {s}"));
            src = s.source();
        }
        self.diag(Diagnostic::warning(code, msg), chain);
    }

    /// Reads one member, charging the byte budget; `cap` bounds metadata members.
    fn read<'d>(
        &mut self,
        archive: &Archive<'d>,
        e: &Entry,
        cap: Option<u64>,
        chain: &str,
    ) -> Option<Cow<'d, [u8]>> {
        if let Some(cap) = cap
            && e.uncompressed_size > cap
        {
            self.diag(
                Diagnostic::info(
                    "java-metadata-too-large",
                    format!(
                        "{} declares {} bytes, more than the {cap} read for metadata; skipped",
                        e.name, e.uncompressed_size
                    ),
                ),
                chain,
            );
            return None;
        }
        match archive.read(e, self.budget.bytes_left) {
            Ok(data) => {
                self.budget.bytes_left = self.budget.bytes_left.saturating_sub(data.len() as u64);
                Some(data)
            }
            Err(err) => {
                let what = format!("cannot read {}", e.name);
                self.zip_diag(&err, chain, &what);
                None
            }
        }
    }

    /// Walks the archive `data`, found at `chain` inside the outer archive (`""` for the
    /// outer archive itself), at nesting `depth` (0 for the outer one).
    pub(crate) fn walk(&mut self, data: &[u8], chain: &str, depth: u32) {
        let archive = match Archive::parse(data, self.budget.entries_left) {
            Ok(a) => a,
            Err(err) => {
                let what = if depth == 0 {
                    "not a readable archive"
                } else {
                    "nested archive not readable"
                };
                self.zip_diag(&err, chain, what);
                return;
            }
        };
        self.budget.entries_left = self
            .budget
            .entries_left
            .saturating_sub(archive.entries.len() as u64);
        self.budget.max_depth = self.budget.max_depth.max(depth);

        let name = if chain.is_empty() { self.real } else { chain };
        let file_name = parse_file_name(name.rsplit('/').next().unwrap_or(name));

        let mut props: Vec<(String, PomProperties)> = Vec::new();
        let mut poms: Vec<(String, PomXml)> = Vec::new();
        let mut manifest: Option<Manifest> = None;
        let mut license_files: Vec<&Entry> = Vec::new();
        let mut nested: Vec<Pending<'_>> = Vec::new();

        for e in &archive.entries {
            if e.is_dir() {
                continue;
            }
            let base = e.base_name();
            if base.ends_with(".class") {
                continue;
            }
            if base == "pom.properties" {
                if let Some(d) = self.read(&archive, e, Some(MAX_PROPERTIES_BYTES as u64), chain)
                    && let Some(p) = PomProperties::parse(&d)
                {
                    props.push((e.name.clone(), p));
                }
            } else if base == "pom.xml" && e.name.starts_with("META-INF/maven/") {
                if let Some(d) = self.read(&archive, e, Some(MAX_POM_BYTES as u64), chain) {
                    let pom = PomXml::parse(&d);
                    if pom.declares_entities || pom.unexpanded_entities {
                        self.diag(
                            Diagnostic::info(
                                "java-pom-entities",
                                format!("{} uses XML entities; they are not expanded", e.name),
                            ),
                            chain,
                        );
                    }
                    poms.push((e.name.clone(), pom));
                }
            } else if e.name.eq_ignore_ascii_case("META-INF/MANIFEST.MF") {
                if let Some(d) = self.read(&archive, e, Some(MAX_MANIFEST_BYTES as u64), chain) {
                    manifest = Some(Manifest::parse(&d));
                }
            } else if archive_extension(base).is_some() {
                nested.push(Pending { entry: e });
            } else if is_license_file(&e.name) {
                license_files.push(e);
            }
        }

        let origin = self.origin(chain);
        let mut own: Vec<Package> = Vec::new();
        // Every pom.properties is a package (shaded jars carry several).
        for (_, p) in &props {
            own.push(maven_package(
                Some(&p.group_id),
                &p.artifact_id,
                &p.version,
                evidence::POM_PROPERTIES,
            ));
        }
        // A Maven descriptor pom.xml without its pom.properties.
        for (path, pom) in &poms {
            let dir = path.strip_suffix("pom.xml").unwrap_or(path);
            if props
                .iter()
                .any(|(p, _)| p.strip_suffix("pom.properties") == Some(dir))
            {
                continue;
            }
            if let Some((g, a, v)) = pom.coordinates() {
                own.push(maven_package(Some(&g), &a, &v, evidence::POM_XML));
            }
        }
        // Licenses declared by embedded pom.xml files, matched by group:artifact.
        for (_, pom) in &poms {
            if pom.licenses.is_empty() {
                continue;
            }
            let (Some(g), Some(a)) = (
                pom.group_id.as_ref().or(pom.parent_group_id.as_ref()),
                pom.artifact_id.as_ref(),
            ) else {
                continue;
            };
            let key = format!("{g}:{a}");
            for p in own
                .iter_mut()
                .filter(|p| p.name == key && p.licenses.is_empty())
            {
                p.licenses = pom.licenses.clone();
            }
        }

        let main = if own.len() == 1 {
            Some(0)
        } else {
            own.iter().position(|p| is_main(p, file_name.as_ref()))
        };
        // Other pom.properties/pom.xml packages are embedded (shaded) copies.
        for (i, p) in own.iter_mut().enumerate() {
            if Some(i) != main {
                p.properties.insert("maven.embedded".into(), "true".into());
            }
        }
        if main.is_none()
            && let Some(p) = self.identify_without_pom(data, manifest.as_ref(), file_name.as_ref())
        {
            own.push(p);
        }

        // Licenses of the archive's own package: only when it is the only package here.
        if own.len() == 1 && own[0].licenses.is_empty() {
            let from_manifest = manifest
                .as_ref()
                .map(Manifest::licenses)
                .unwrap_or_default();
            if !from_manifest.is_empty() {
                own[0].licenses = from_manifest;
            } else if license_files.len() == 1 {
                let e = license_files[0];
                if let Some(d) = self.read(&archive, e, Some(MAX_LICENSE_BYTES), chain)
                    && let Some(id) = classify_license(&d)
                {
                    own[0].licenses = vec![id.to_owned()];
                }
            }
        }

        for mut p in own {
            p.origin = origin.clone();
            p.detector = DETECTOR_ID.to_owned();
            if let Some(c) = file_name.as_ref().and_then(|f| f.classifier.as_ref())
                && p.evidence.as_deref() == Some(evidence::FILE_NAME)
            {
                p.properties.insert("maven.classifier".into(), c.clone());
            }
            if self.packages.len() >= MAX_PACKAGES {
                if !self.budget.limit_reported {
                    self.budget.limit_reported = true;
                    let msg = format!(
                        "more than {MAX_PACKAGES} packages in one archive; the rest is not reported"
                    );
                    self.diag(Diagnostic::warning("java-archive-limit", msg), chain);
                }
                break;
            }
            self.packages.push(p);
        }

        // Nested archives, depth-first, read from memory.
        let mut too_deep = 0usize;
        for pending in nested {
            let e = pending.entry;
            if depth >= self.cfg.max_depth {
                too_deep += 1;
                continue;
            }
            let Some(inner) = self.read(&archive, e, None, chain) else {
                continue;
            };
            let inner_chain = if chain.is_empty() {
                e.name.clone()
            } else {
                format!("{chain}!/{}", e.name)
            };
            self.walk(&inner, &inner_chain, depth + 1);
        }
        if too_deep > 0 {
            self.diag(
                Diagnostic::warning(
                    "java-archive-depth",
                    format!(
                        "{too_deep} nested archive(s) not opened: nesting deeper than {} levels",
                        self.cfg.max_depth
                    ),
                ),
                chain,
            );
        }
    }

    /// The archive's own package when no pom.properties/pom.xml names it: the SHA-1 index,
    /// then MANIFEST.MF, then the file name.
    fn identify_without_pom(
        &self,
        data: &[u8],
        manifest: Option<&Manifest>,
        file_name: Option<&FileName>,
    ) -> Option<Package> {
        if let Some(idx) = self.index
            && let Some(gav) = idx.lookup(data)
        {
            return Some(maven_package(
                Some(&gav.group),
                &gav.artifact,
                &gav.version,
                evidence::SHA1_INDEX,
            ));
        }
        if let Some((g, a, v)) = manifest.and_then(Manifest::coordinates) {
            return Some(maven_package(Some(&g), &a, &v, evidence::MANIFEST));
        }
        let f = file_name?;
        let v = f.version.as_deref()?;
        let group = KNOWN_GROUPS
            .iter()
            .find(|(a, _)| *a == f.artifact)
            .map(|(_, g)| *g);
        let mut p = maven_package(group, &f.artifact, v, evidence::FILE_NAME);
        p.properties.insert(
            "maven.group-source".into(),
            if group.is_some() {
                "known-artifact".into()
            } else {
                "unknown".into()
            },
        );
        Some(p)
    }
}

/// Whether a pom.properties package is the archive's own: its artifact matches the file
/// name (`gizmo` in `io.quarkus.gizmo.gizmo-1.1.jar` counts too).
fn is_main(p: &Package, f: Option<&FileName>) -> bool {
    let Some(f) = f else { return false };
    let Some((g, a)) = p.name.split_once(':') else {
        return false;
    };
    let name_match = f.artifact == a || f.artifact == format!("{g}.{a}");
    name_match && f.version.as_deref().is_none_or(|v| v == p.version)
}

/// A LICENSE/LICENCE file at the root or directly under META-INF.
fn is_license_file(name: &str) -> bool {
    let (dir, base) = name.rsplit_once('/').unwrap_or(("", name));
    if !(dir.is_empty() || dir == "META-INF") {
        return false;
    }
    let stem = base.split('.').next().unwrap_or(base);
    stem.eq_ignore_ascii_case("license") || stem.eq_ignore_ascii_case("licence")
}

/// Recognises the Apache License 2.0, by its full text or by a short notice pointing at
/// its canonical URL (Jackson's); other texts are not classified.
fn classify_license(text: &[u8]) -> Option<&'static str> {
    let head = String::from_utf8_lossy(&text[..text.len().min(4096)]);
    let head: String = head.split_whitespace().collect::<Vec<_>>().join(" ");
    let full_text = head.contains("Apache License") && head.contains("Version 2.0, January 2004");
    let notice = head.contains("Apache") && head.contains("apache.org/licenses/LICENSE-2.0");
    (full_text || notice).then_some("Apache-2.0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purl_encoding() {
        let p = maven_package(
            Some("org.springframework"),
            "Spring Framework",
            "2.5.6.SEC03",
            "x",
        );
        assert_eq!(
            p.purl.as_deref(),
            Some("pkg:maven/org.springframework/Spring%20Framework@2.5.6.SEC03")
        );
        let p = maven_package(None, "heuristic", "1.0.0-SNAPSHOT", "x");
        assert_eq!(p.name, "heuristic");
        assert_eq!(
            p.purl.as_deref(),
            Some("pkg:maven/heuristic/heuristic@1.0.0-SNAPSHOT")
        );
    }

    #[test]
    fn license_files() {
        assert!(is_license_file("LICENSE"));
        assert!(is_license_file("META-INF/LICENSE.txt"));
        assert!(!is_license_file("META-INF/foo/LICENSE"));
        assert!(!is_license_file("META-INF/NOTICE.txt"));
        assert_eq!(
            classify_license(b"  Apache License\n  Version 2.0, January 2004\n"),
            Some("Apache-2.0")
        );
        assert_eq!(
            classify_license(b"MIT License\n\nPermission is hereby granted"),
            None
        );
    }
}
