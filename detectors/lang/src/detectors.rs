//! The detectors: adapters from files to parsers to [`Package`] findings.

use std::collections::{BTreeMap, BTreeSet};

use strata_core::{
    Detector, DetectorRun, Diagnostic, Ecosystem, FileRef, Interest, Origin, Output, Package,
};

use crate::LangConfig;
use crate::error::Error;
use crate::parsers::{self, Record};
use crate::purl;

/// Builds a package finding from a parser record.
fn package(
    r: &Record,
    eco: Ecosystem,
    purl: String,
    evidence: &str,
    origin: Origin,
    detector: &str,
) -> Package {
    let mut p = Package {
        name: r.name.clone(),
        version: r.version.clone(),
        ecosystem: eco,
        purl: Some(purl),
        licenses: r.licenses.clone(),
        evidence: Some(evidence.to_owned()),
        direct: r.direct,
        origin,
        detector: detector.to_owned(),
        ..Default::default()
    };
    if r.dev {
        p.properties.insert("dev".into(), "true".into());
    }
    if r.root {
        p.properties.insert("relationship".into(), "root".into());
    }
    p
}

fn diag(out: &mut Output, code: &str, err: &Error, path: &str) {
    out.diagnostic(
        Diagnostic::warning(
            format!("{code}-{}", err.kind()),
            format!("{path}: {}", err.chain()),
        )
        .with_path(path),
    );
}

/// The directory part of a path string (`/a/b/c` -> `/a/b`).
fn dir_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => "",
    }
}

fn join(dir: &str, rest: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{rest}")
    } else {
        format!("{dir}/{rest}")
    }
}

macro_rules! detector {
    ($ty:ident, $id:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, Debug, Default)]
        pub struct $ty {
            cfg: LangConfig,
        }

        impl $ty {
            /// A detector with the given configuration.
            pub fn new(cfg: LangConfig) -> Self {
                $ty { cfg }
            }

            /// Its id.
            pub const ID: &'static str = $id;
        }
    };
}

// ---------------------------------------------------------------------------------------
// Python

detector!(
    PythonDetector,
    "lang/python",
    "Python distributions: `*.dist-info/METADATA`, `*.egg-info/PKG-INFO`, `*.egg-info` files, \
     `EGG-INFO/PKG-INFO` and zipped `.egg` files. Purl names follow purl-spec (lowercase, `_` to `-`), as Trivy writes them."
);

impl Detector for PythonDetector {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn group(&self) -> &'static str {
        "lang"
    }
    fn config_fingerprint(&self) -> u64 {
        self.cfg.fingerprint()
    }
    fn interest(&self) -> Interest {
        Interest::none()
            .globs(&[
                "**/*.dist-info/METADATA",
                "**/*.egg-info/PKG-INFO",
                "**/*.egg-info",
                "**/EGG-INFO/PKG-INFO",
            ])
            .extensions(&["egg"])
            .max_file_size(self.cfg.max_manifest_bytes)
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(PythonRun { cfg: &self.cfg })
    }
}

struct PythonRun<'a> {
    cfg: &'a LangConfig,
}

impl DetectorRun for PythonRun<'_> {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        let (body, origin, evidence): (std::borrow::Cow<'_, [u8]>, Origin, &str) =
            if path.ends_with(".egg") {
                const MEMBER: &str = "EGG-INFO/PKG-INFO";
                match parsers::zip::read_member(data, MEMBER, self.cfg.max_decompressed_bytes) {
                    Ok(Some(b)) => (b.into(), Origin::nested(path.clone(), MEMBER), "egg"),
                    Ok(None) => return,
                    Err(e) => return diag(out, "lang-python-egg", &e, &path),
                }
            } else {
                let ev = if path.ends_with("/METADATA") {
                    "dist-info"
                } else if path.ends_with("/PKG-INFO") {
                    "egg-info"
                } else {
                    "egg-info-file"
                };
                (data.into(), Origin::file(path.clone()), ev)
            };
        match parsers::python::parse_metadata(&body) {
            Ok(r) => {
                let purl = purl::pypi(&r.name, &r.version);
                out.push(package(
                    &r,
                    Ecosystem::Pypi,
                    purl,
                    evidence,
                    origin,
                    PythonDetector::ID,
                ));
            }
            Err(e) => diag(out, "lang-python-metadata", &e, &path),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Node

detector!(
    NodeDetector,
    "lang/node",
    "Node.js packages: `node_modules/**/package.json` (installed packages with a name and a \
     version), `package-lock.json` v1-v3, `yarn.lock` (classic and berry) and `pnpm-lock.yaml` \
     (v5-v9) outside `node_modules`. A lock file's packages take licenses from the installed \
     manifests under its `node_modules`; an installed package also listed by the lock file \
     beside it is reported once, from the lock file (which knows direct and dev)."
);

impl Detector for NodeDetector {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn group(&self) -> &'static str {
        "lang"
    }
    fn config_fingerprint(&self) -> u64 {
        self.cfg.fingerprint()
    }
    fn interest(&self) -> Interest {
        Interest::none()
            .basenames(&[
                "package.json",
                "package-lock.json",
                "yarn.lock",
                "pnpm-lock.yaml",
            ])
            .max_file_size(self.cfg.max_manifest_bytes)
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(NodeRun {
            cfg: &self.cfg,
            manifests: Vec::new(),
            projects: BTreeMap::new(),
            locks: Vec::new(),
        })
    }
}

/// Licenses of installed copies of one name@version and the manifests they came from.
type Installed<'a> = (&'a Vec<String>, Vec<usize>);

struct NodeRun<'a> {
    cfg: &'a LangConfig,
    /// (path, name, version, licenses)
    manifests: Vec<(String, String, String, Vec<String>)>,
    /// Project manifests outside node_modules: dir -> (dependencies, devDependencies).
    projects: BTreeMap<String, ProjectDeps>,
    /// (lock path, evidence, packages)
    locks: Vec<(String, &'static str, LockData)>,
}

type ProjectDeps = (Vec<(String, String)>, Vec<(String, String)>);

enum LockData {
    Records(Vec<Record>),
    /// yarn.lock: direct and dev need the project's package.json, joined in `finish`.
    Yarn(parsers::yarn::Lock),
}

impl DetectorRun for NodeRun<'_> {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        let name = path.rsplit('/').next().unwrap_or("");
        let in_node_modules = path.contains("/node_modules/");
        if name == "package.json" {
            match parsers::npm::parse_package_json(data) {
                Ok(m) if in_node_modules => {
                    if let (Some(n), Some(v)) = (m.name, m.version) {
                        self.manifests.push((path, n, v, m.licenses));
                    }
                }
                // The project's own manifest: only its dependency lists matter.
                Ok(m) => {
                    self.projects.insert(
                        dir_of(&path).to_owned(),
                        (m.dependencies, m.dev_dependencies),
                    );
                }
                Err(e) if in_node_modules => diag(out, "lang-node-package-json", &e, &path),
                Err(_) => {}
            }
            return;
        }
        if in_node_modules {
            return;
        }
        let (res, evidence) = match name {
            "package-lock.json" => (
                parsers::npm::parse_lock(data).map(LockData::Records),
                "package-lock.json",
            ),
            "yarn.lock" => (
                parsers::yarn::parse_graph(data).map(LockData::Yarn),
                "yarn.lock",
            ),
            "pnpm-lock.yaml" => (
                parsers::pnpm::parse(data).map(LockData::Records),
                "pnpm-lock.yaml",
            ),
            _ => return,
        };
        match res {
            Ok(lock) => self.locks.push((path, evidence, lock)),
            Err(e) => diag(out, "lang-node-lock", &e, &path),
        }
    }

    fn finish(self: Box<Self>, out: &mut Output) {
        // Installed manifests covered by a lock file in an ancestor project directory.
        let mut covered: BTreeSet<usize> = BTreeSet::new();
        for (lock_path, evidence, lock) in self.locks {
            let dir = dir_of(&lock_path);
            let mut recs = match lock {
                LockData::Records(r) => r,
                LockData::Yarn(mut l) => {
                    if let Some((prod, dev)) = self.projects.get(dir) {
                        l.apply_manifest(prod, dev);
                    }
                    l.records
                }
            };
            recs.retain(|r| !r.name.is_empty() && (self.cfg.include_dev || !r.dev));
            let nm = join(dir, "node_modules/");
            let mut licenses: BTreeMap<(&str, &str), Installed<'_>> = BTreeMap::new();
            for (i, (p, n, v, l)) in self.manifests.iter().enumerate() {
                if p.starts_with(&nm) {
                    let e = licenses
                        .entry((n.as_str(), v.as_str()))
                        .or_insert((l, Vec::new()));
                    e.1.push(i);
                }
            }
            for mut r in recs {
                if let Some((l, idx)) = licenses.get(&(r.name.as_str(), r.version.as_str())) {
                    if r.licenses.is_empty() {
                        r.licenses = (*l).clone();
                    }
                    covered.extend(idx.iter().copied());
                }
                let purl = purl::npm(&r.name, &r.version);
                out.push(package(
                    &r,
                    Ecosystem::Npm,
                    purl,
                    evidence,
                    Origin::file(lock_path.clone()),
                    NodeDetector::ID,
                ));
            }
        }
        for (i, (p, n, v, l)) in self.manifests.into_iter().enumerate() {
            if covered.contains(&i) {
                continue;
            }
            let r = Record {
                licenses: l,
                ..Record::new(n, v)
            };
            let purl = purl::npm(&r.name, &r.version);
            out.push(package(
                &r,
                Ecosystem::Npm,
                purl,
                "package.json",
                Origin::file(p),
                NodeDetector::ID,
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Go

detector!(
    GoBinaryDetector,
    "lang/go-binary",
    "Go executables: the build information the Go linker embeds (`.go.buildinfo`; pointer and \
     inline formats): the main module, every dependency (replacements applied) and the Go \
     version as a `stdlib` package, as Trivy reports them. ELF, and PE/Mach-O built by Go 1.18+."
);

impl Detector for GoBinaryDetector {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn group(&self) -> &'static str {
        "lang"
    }
    fn config_fingerprint(&self) -> u64 {
        self.cfg.fingerprint()
    }
    fn interest(&self) -> Interest {
        Interest::none()
            .executables()
            .max_bytes(self.cfg.max_binary_bytes)
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(GoRun)
    }
}

struct GoRun;

impl DetectorRun for GoRun {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        let info = match parsers::gobuildinfo::read(data) {
            Ok(Some(i)) => i,
            Ok(None) => return,
            Err(e) => {
                let e = if file.truncated() {
                    Error::malformed(
                        "go build info",
                        format!("{} (file read only up to {} bytes)", e.chain(), data.len()),
                    )
                } else {
                    e
                };
                return diag(out, "lang-go-buildinfo", &e, &path);
            }
        };
        for p in go_packages(&info, &path) {
            out.push(p);
        }
    }
}

fn devel(v: &str) -> &str {
    if v == "(devel)" { "" } else { v }
}

/// Packages of one Go binary: `stdlib`, the dependencies, then the main module.
pub(crate) fn go_packages(info: &parsers::gobuildinfo::BuildInfo, path: &str) -> Vec<Package> {
    let mut out = Vec::new();
    let go = info
        .go_version
        .strip_prefix("go")
        .unwrap_or(&info.go_version);
    let go = go.split(' ').next().unwrap_or("");
    let origin = || Origin::file(path.to_owned());
    let mk = |name: &str, version: &str, direct: Option<bool>, root: bool| {
        let r = Record {
            direct,
            root,
            ..Record::new(name, version)
        };
        let mut p = package(
            &r,
            Ecosystem::Golang,
            purl::golang(name, version),
            "go-buildinfo",
            origin(),
            GoBinaryDetector::ID,
        );
        p.properties
            .insert("go_version".into(), info.go_version.clone());
        p
    };
    // Development toolchains (`devel go1.22-abc123`) name no release.
    if !go.is_empty() && !go.starts_with("devel") {
        out.push(mk("stdlib", &format!("v{go}"), Some(true), false));
    }
    for d in &info.deps {
        if d.path.is_empty() {
            continue;
        }
        let m = d.replace.as_deref().unwrap_or(d);
        let mut p = mk(&m.path, devel(&m.version), None, false);
        if d.replace.is_some() {
            p.properties
                .insert("replaces".into(), format!("{} {}", d.path, d.version));
        }
        out.push(p);
    }
    if let Some(main) = info.main.as_ref().filter(|m| !m.path.is_empty()) {
        let mut version = devel(&main.version).to_owned();
        let ld = ldflags_version(&main.path, info);
        if version.is_empty() || (version.starts_with("v0.0.0") && !ld.is_empty()) {
            version = ld;
        }
        out.push(mk(&main.path, &version, None, true));
    }
    out
}

/// A version stamped with `-ldflags "-X pkg.version=1.2.3"` (Trivy's fallback for `(devel)`
/// main modules): keys ending in `.version`/`.ver` with a semver-looking value, preferring
/// `<module>/cmd/...` keys, then `main`/`common`/`version`/`cmd` packages, then others; an
/// ambiguous category gives no version.
fn ldflags_version(module: &str, info: &parsers::gobuildinfo::BuildInfo) -> String {
    let Some((_, flags)) = info.settings.iter().find(|(k, _)| k == "-ldflags") else {
        return String::new();
    };
    let toks: Vec<&str> = flags.split_whitespace().collect();
    let mut cats: [Vec<String>; 3] = Default::default();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        let kv = if t == "-X" || t == "--X" {
            i += 1;
            toks.get(i).copied()
        } else {
            t.strip_prefix("-X=")
        };
        i += 1;
        let Some(kv) = kv else { continue };
        let kv = kv.trim_matches(|c| c == '\'' || c == '"');
        let Some((k, v)) = kv.split_once('=') else {
            continue;
        };
        let lk = k.to_ascii_lowercase();
        if !(lk.ends_with(".version") || lk.ends_with(".ver")) || !semverish(v) {
            continue;
        }
        let prefix = k
            .rsplit('/')
            .next()
            .unwrap_or(k)
            .split('.')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let cat = if k.starts_with(&format!("{module}/cmd/")) {
            0
        } else if matches!(prefix.as_str(), "main" | "common" | "version" | "cmd") {
            1
        } else {
            2
        };
        if !cats[cat].iter().any(|x| x == v) {
            cats[cat].push(v.to_owned());
        }
    }
    for c in cats {
        match c.len() {
            0 => continue,
            1 => return c.into_iter().next().unwrap_or_default(),
            _ => return String::new(),
        }
    }
    String::new()
}

fn semverish(v: &str) -> bool {
    let v = v.strip_prefix('v').unwrap_or(v);
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    !parts.is_empty()
        && parts.len() <= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

// ---------------------------------------------------------------------------------------
// Rust

detector!(
    RustBinaryDetector,
    "lang/rust-binary",
    "Rust executables built with cargo-auditable: the zlib-compressed JSON dependency list in \
     the `.dep-v0` ELF section (runtime crates; the root crate gets `relationship=root`)."
);

impl Detector for RustBinaryDetector {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn group(&self) -> &'static str {
        "lang"
    }
    fn config_fingerprint(&self) -> u64 {
        self.cfg.fingerprint()
    }
    fn interest(&self) -> Interest {
        Interest::none()
            .executables()
            .max_bytes(self.cfg.max_binary_bytes)
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(RustRun { cfg: &self.cfg })
    }
}

struct RustRun<'a> {
    cfg: &'a LangConfig,
}

impl DetectorRun for RustRun<'_> {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        let section = match parsers::rustaudit::find_section(data) {
            Ok(Some(s)) => s,
            Ok(None) => return,
            Err(e) => return diag(out, "lang-rust-audit", &e, &path),
        };
        match parsers::rustaudit::parse_compressed(section, self.cfg.max_decompressed_bytes) {
            Ok(recs) => {
                for r in recs {
                    let purl = purl::cargo(&r.name, &r.version);
                    out.push(package(
                        &r,
                        Ecosystem::Cargo,
                        purl,
                        "cargo-auditable",
                        Origin::file(path.clone()),
                        RustBinaryDetector::ID,
                    ));
                }
            }
            Err(e) => diag(out, "lang-rust-audit", &e, &path),
        }
    }
}

// ---------------------------------------------------------------------------------------
// PHP

detector!(
    PhpDetector,
    "lang/php",
    "PHP Composer packages: `vendor/composer/installed.json` (v1 and v2) and `composer.lock` \
     (direct/indirect from the `composer.json` beside it, when that parses). An installed \
     package also in the project's lock file is reported once, from the lock file."
);

impl Detector for PhpDetector {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn group(&self) -> &'static str {
        "lang"
    }
    fn config_fingerprint(&self) -> u64 {
        self.cfg.fingerprint()
    }
    fn interest(&self) -> Interest {
        Interest::none()
            .basenames(&["composer.lock", "composer.json"])
            .globs(&["**/vendor/composer/installed.json"])
            .max_file_size(self.cfg.max_manifest_bytes)
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(PhpRun {
            cfg: &self.cfg,
            manifests: BTreeMap::new(),
            locks: Vec::new(),
            installed: Vec::new(),
        })
    }
}

struct PhpRun<'a> {
    cfg: &'a LangConfig,
    /// dir -> direct names (None when composer.json did not parse).
    manifests: BTreeMap<String, Option<BTreeSet<String>>>,
    locks: Vec<(String, Vec<Record>)>,
    installed: Vec<(String, Vec<Record>)>,
}

impl DetectorRun for PhpRun<'_> {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        if path.contains("/vendor/") && !path.ends_with("/vendor/composer/installed.json") {
            return;
        }
        let keep = |mut v: Vec<Record>| {
            if !self.cfg.include_dev {
                v.retain(|r| !r.dev);
            }
            v
        };
        if path.ends_with("/composer.json") {
            self.manifests.insert(
                dir_of(&path).to_owned(),
                parsers::composer::parse_manifest(data).ok(),
            );
        } else if path.ends_with("/composer.lock") {
            match parsers::composer::parse_lock(data) {
                Ok(v) => {
                    let v = keep(v);
                    self.locks.push((path, v));
                }
                Err(e) => diag(out, "lang-php-lock", &e, &path),
            }
        } else {
            match parsers::composer::parse_installed(data) {
                Ok(v) => {
                    let v = keep(v);
                    self.installed.push((path, v));
                }
                Err(e) => diag(out, "lang-php-installed", &e, &path),
            }
        }
    }

    fn finish(self: Box<Self>, out: &mut Output) {
        let mut locked: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
        for (path, recs) in &self.locks {
            let dir = dir_of(path);
            let direct = self.manifests.get(dir).and_then(Option::as_ref);
            let set = locked
                .entry(join(dir, "vendor/composer/installed.json"))
                .or_default();
            for r in recs {
                let mut r = r.clone();
                r.direct = direct.map(|d| d.contains(&r.name));
                set.insert((r.name.clone(), r.version.clone()));
                let purl = purl::composer(&r.name, &r.version);
                out.push(package(
                    &r,
                    Ecosystem::Composer,
                    purl,
                    "composer.lock",
                    Origin::file(path.clone()),
                    PhpDetector::ID,
                ));
            }
        }
        for (path, recs) in self.installed {
            let skip = locked.get(&path);
            for r in recs {
                if skip.is_some_and(|s| s.contains(&(r.name.clone(), r.version.clone()))) {
                    continue;
                }
                let purl = purl::composer(&r.name, &r.version);
                out.push(package(
                    &r,
                    Ecosystem::Composer,
                    purl,
                    "installed.json",
                    Origin::file(path.clone()),
                    PhpDetector::ID,
                ));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Ruby

detector!(
    RubyDetector,
    "lang/ruby",
    "Installed Ruby gems: `specifications/*.gemspec` (name, version, licenses)."
);

impl Detector for RubyDetector {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn group(&self) -> &'static str {
        "lang"
    }
    fn config_fingerprint(&self) -> u64 {
        self.cfg.fingerprint()
    }
    fn interest(&self) -> Interest {
        Interest::none()
            .globs(&["**/specifications/*.gemspec"])
            .max_file_size(self.cfg.max_manifest_bytes)
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(RubyRun)
    }
}

struct RubyRun;

impl DetectorRun for RubyRun {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        match parsers::gemspec::parse(data) {
            Ok(r) => {
                let purl = purl::gem(&r.name, &r.version);
                out.push(package(
                    &r,
                    Ecosystem::Gem,
                    purl,
                    "gemspec",
                    Origin::file(path),
                    RubyDetector::ID,
                ));
            }
            Err(e) => diag(out, "lang-ruby-gemspec", &e, &path),
        }
    }
}

// ---------------------------------------------------------------------------------------
// .NET

detector!(
    DotnetDetector,
    "lang/dotnet",
    ".NET applications: `*.deps.json` libraries of type `package`."
);

impl Detector for DotnetDetector {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn group(&self) -> &'static str {
        "lang"
    }
    fn config_fingerprint(&self) -> u64 {
        self.cfg.fingerprint()
    }
    fn interest(&self) -> Interest {
        Interest::none()
            .globs(&["**/*.deps.json"])
            .max_file_size(self.cfg.max_manifest_bytes)
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(DotnetRun)
    }
}

struct DotnetRun;

impl DetectorRun for DotnetRun {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        match parsers::dotnet::parse(data) {
            Ok(recs) => {
                for r in recs {
                    let purl = purl::nuget(&r.name, &r.version);
                    out.push(package(
                        &r,
                        Ecosystem::Nuget,
                        purl,
                        "deps.json",
                        Origin::file(path.clone()),
                        DotnetDetector::ID,
                    ));
                }
            }
            Err(e) => diag(out, "lang-dotnet-deps", &e, &path),
        }
    }
}
