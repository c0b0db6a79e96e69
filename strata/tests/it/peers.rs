//! Side by side with the peers: Strata's packages and secrets on the real test images
//! against Trivy 0.76 and Syft 1.18 on the very same images (scripts/compare-peers.sh,
//! which runs both offline and writes their findings as TSV files).
//!
//! Every difference is a named exception in a table below, with its reason; an exception
//! that no longer applies fails the test too, so the tables stay true. docs/peers.md has
//! the same tables with the figures.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use strata::{Ecosystem, Package, Report, ScanOptions, ScanOutput, Scanner, ScannerOptions};

fn images() -> PathBuf {
    let dir = std::env::var_os("STRATA_IMAGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/strata-images")
        });
    assert!(
        dir.join("apps.oci/index.json").exists() && dir.join("layered.oci/index.json").exists(),
        "real test images missing in {}: run scripts/build-test-images.sh (scripts/test.sh does)",
        dir.display()
    );
    dir
}

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| {
        Scanner::new(&ScannerOptions {
            cache: None,
            ..Default::default()
        })
        .unwrap()
    })
}

/// Scans an image once per test binary (the apps image takes seconds).
fn report(image: &str) -> &'static Report {
    static R: OnceLock<Mutex<BTreeMap<String, &'static Report>>> = OnceLock::new();
    let mut map = R
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    map.entry(image.to_owned()).or_insert_with(|| {
        let target = format!("oci:{}", images().join(format!("{image}.oci")).display());
        match scanner().scan(&target, &ScanOptions::default()).unwrap() {
            ScanOutput::Single(r) => Box::leak(r),
            ScanOutput::Index(_) => panic!("{image}: expected one image"),
        }
    })
}

/// The diff_ids of an image's layers, bottom to top, as Strata read them.
fn diff_ids(image: &str) -> Vec<String> {
    report(image)
        .image
        .layers
        .iter()
        .map(|l| l.diff_id.clone())
        .collect()
}

/// The diff_ids each peer report of `image` was made from (empty when a report is missing
/// or unreadable).
fn peer_diff_ids(image: &str) -> Vec<Vec<String>> {
    let dir = images().join("peers");
    let read = |f: &str| -> serde_json::Value {
        std::fs::read(dir.join(format!("{image}.{f}")))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    };
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect()
    };
    let cdx = read("trivy.cdx.json");
    let trivy_pkgs: Vec<String> = cdx["metadata"]["component"]["properties"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == "aquasecurity:trivy:DiffID")
        .filter_map(|p| p["value"].as_str().map(str::to_owned))
        .collect();
    let trivy_secrets = strings(&read("trivy-secrets.json")["Metadata"]["DiffIDs"]);
    let syft = read("syft.json");
    let syft: Vec<String> = syft["source"]["metadata"]["layers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["digest"].as_str().map(str::to_owned))
        .collect();
    vec![trivy_pkgs, trivy_secrets, syft]
}

/// The peers' output file `peers/IMAGE.SUFFIX`. When the peers' reports are missing, or
/// were made from other layers than the image Strata scans (the test images can be rebuilt,
/// and the layered/apps layer digests change on each rebuild), scripts/compare-peers.sh
/// runs both peers offline first; when that fails, the test fails with the reason: a
/// comparison never passes without the peers' results for this very image.
fn peer_file(image: &str, suffix: &str) -> PathBuf {
    static RUN: Mutex<()> = Mutex::new(());
    let _guard = RUN.lock().unwrap_or_else(|e| e.into_inner());
    let dir = images();
    // As sets: Trivy's CycloneDX properties come sorted by value, not in layer order.
    let want: BTreeSet<String> = diff_ids(image).into_iter().collect();
    let fresh = || {
        peer_diff_ids(image)
            .into_iter()
            .all(|ids| ids.into_iter().collect::<BTreeSet<_>>() == want)
    };
    if !fresh() {
        let script = Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("../scripts/compare-peers.sh");
        eprintln!(
            "peers' reports of {image} missing or from other layers: running {} {image}",
            script.display()
        );
        let status = std::process::Command::new("bash")
            .arg(&script)
            .arg(image)
            .env("STRATA_IMAGES", &dir)
            .status();
        assert!(
            matches!(status, Ok(s) if s.success()),
            "cannot get the peers' results for {image}: `{} {image}` failed ({status:?}); it needs trivy, \
             syft, jq and skopeo (scripts/setup.sh installs them)",
            script.display()
        );
        assert!(
            fresh(),
            "{image}: the peers' reports still do not match the image's layers {want:?}"
        );
    }
    let file = dir.join("peers").join(format!("{image}.{suffix}"));
    assert!(
        file.exists(),
        "{} missing after compare-peers.sh",
        file.display()
    );
    file
}

/// One row of `peers/IMAGE.{trivy,syft}.tsv`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct PeerPkg {
    name: String,
    version: String,
    ty: String,
    purl: String,
    path: String,
}

fn peer_packages(image: &str, peer: &str) -> Vec<PeerPkg> {
    let file = peer_file(image, &format!("{peer}.tsv"));
    let text = std::fs::read_to_string(&file).unwrap();
    let rows: Vec<PeerPkg> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 5, "{}: bad row {l:?}", file.display());
            PeerPkg {
                name: c[0].into(),
                version: c[1].into(),
                ty: c[2].into(),
                purl: c[3].into(),
                path: c[4].into(),
            }
        })
        .collect();
    assert!(
        !rows.is_empty(),
        "{}: no packages: the peer failed",
        file.display()
    );
    rows
}

/// A purl split into its parts, qualifiers in a map (so their order does not matter),
/// percent-escapes of the name and version decoded.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Purl {
    ty: String,
    namespace: String,
    name: String,
    version: String,
    qualifiers: BTreeMap<String, String>,
}

fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or(""), 16)
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn parse_purl(s: &str) -> Purl {
    let rest = s
        .strip_prefix("pkg:")
        .unwrap_or_else(|| panic!("not a purl: {s:?}"));
    let (rest, qs) = rest.split_once('?').unwrap_or((rest, ""));
    let (path, version) = rest.rsplit_once('@').unwrap_or((rest, ""));
    let mut segs: Vec<&str> = path.split('/').collect();
    let ty = segs.remove(0).to_owned();
    let name = unescape(segs.pop().unwrap_or_default());
    let namespace = segs
        .iter()
        .map(|x| unescape(x))
        .collect::<Vec<_>>()
        .join("/");
    let qualifiers = qs
        .split('&')
        .filter(|q| !q.is_empty())
        .map(|q| {
            let (k, v) = q.split_once('=').unwrap_or((q, ""));
            (k.to_owned(), unescape(v))
        })
        .collect();
    Purl {
        ty,
        namespace,
        name,
        version: unescape(version),
        qualifiers,
    }
}

// ------------------------------------------------------------------------------ OS packages

/// A difference between Strata's and a peer's purls for OS packages: the peer's purl is
/// rewritten by `fix` before the comparison; the exception must be needed at least once.
struct PurlException {
    id: &'static str,
    peer: &'static str,
    reason: &'static str,
    /// Rewrites the peer's purl into Strata's convention; returns whether it changed it.
    fix: fn(&mut Purl, strata: &Purl) -> bool,
}

const OS_PURL_EXCEPTIONS: &[PurlException] = &[
    PurlException {
        id: "trivy-distro-point-release",
        peer: "trivy",
        reason: "Trivy writes distro=debian-12.N from /etc/debian_version (a point release \
                 changes every few months); Strata, like Syft, writes os-release's VERSION_ID \
                 (debian-12), the release that advisories name",
        fix: |p, s| {
            let (Some(peer), Some(ours)) = (p.qualifiers.get("distro"), s.qualifiers.get("distro"))
            else {
                return false;
            };
            if peer != ours && peer.starts_with(&format!("{ours}.")) {
                p.qualifiers.insert("distro".into(), ours.clone());
                true
            } else {
                false
            }
        },
    },
    PurlException {
        id: "trivy-epoch-qualifier",
        peer: "trivy",
        reason: "Trivy moves a Debian epoch into an `epoch=` qualifier (the rpm convention); \
                 Strata, like Syft, keeps it in the version as dpkg prints it (1:2.38.1-5)",
        fix: |p, s| {
            let Some(epoch) = p.qualifiers.get("epoch").cloned() else {
                return false;
            };
            if s.version == format!("{epoch}:{}", p.version) {
                p.qualifiers.remove("epoch");
                p.version = s.version.clone();
                true
            } else {
                false
            }
        },
    },
];

fn strata_debs(r: &Report) -> BTreeMap<String, &Package> {
    let mut map = BTreeMap::new();
    for p in r.packages.iter().filter(|p| p.ecosystem == Ecosystem::Deb) {
        let old = map.insert(format!("{} {}", p.name, p.version), p);
        assert!(old.is_none(), "{} {} listed twice", p.name, p.version);
    }
    map
}

/// Compares the OS packages of one image with one peer: same (name, version) set, and
/// for each package the same purl once the named exceptions are applied. Returns how often
/// each exception applied.
fn compare_os(image: &str, peer: &str, os_type: &str) -> BTreeMap<&'static str, usize> {
    let r = report(image);
    let ours = strata_debs(r);
    let theirs: BTreeMap<String, PeerPkg> = peer_packages(image, peer)
        .into_iter()
        .filter(|p| p.ty == os_type)
        .map(|p| (format!("{} {}", p.name, p.version), p))
        .collect();
    let only_ours: Vec<_> = ours.keys().filter(|k| !theirs.contains_key(*k)).collect();
    let only_theirs: Vec<_> = theirs.keys().filter(|k| !ours.contains_key(*k)).collect();
    assert!(
        only_ours.is_empty() && only_theirs.is_empty(),
        "{image}: OS packages differ from {peer}'s: only Strata {only_ours:?}, only {peer} {only_theirs:?}"
    );
    let mut used: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (key, t) in &theirs {
        let s = ours[key];
        let s_purl = parse_purl(
            s.purl
                .as_deref()
                .unwrap_or_else(|| panic!("{key}: Strata gave no purl")),
        );
        let mut t_purl = parse_purl(&t.purl);
        for e in OS_PURL_EXCEPTIONS.iter().filter(|e| e.peer == peer) {
            if (e.fix)(&mut t_purl, &s_purl) {
                *used.entry(e.id).or_default() += 1;
            }
        }
        if peer == "syft" {
            // Syft adds `upstream=SOURCE[@VERSION]` when the source package differs from the
            // binary one; Strata has the same fact in `source_name`/`source_version` instead
            // of the purl (purl-spec defines no `upstream` qualifier). Checked, then dropped.
            if let Some(up) = t_purl.qualifiers.remove("upstream") {
                let (src, ver) = up.split_once('@').unwrap_or((&up, ""));
                assert_eq!(
                    s.source_name.as_deref(),
                    Some(src),
                    "{image}: {key}: source package vs Syft's upstream={up}"
                );
                if !ver.is_empty() {
                    let ours_ver = s.source_version.as_deref().unwrap_or(&s.version);
                    assert_eq!(
                        ours_ver, ver,
                        "{image}: {key}: source version vs Syft's upstream={up}"
                    );
                }
                *used.entry("syft-upstream-qualifier").or_default() += 1;
            }
        }
        assert_eq!(
            s_purl, t_purl,
            "{image}: {key}: purl {:?} vs {peer}'s {:?}",
            s.purl, t.purl
        );
    }
    used
}

#[test]
fn os_packages_equal_trivy_and_syft_on_minbase_layered_and_zstd() {
    for peer in ["trivy", "syft"] {
        let os_type = if peer == "trivy" { "debian" } else { "deb" };
        let mut used: BTreeMap<&str, usize> = BTreeMap::new();
        for image in ["minbase", "layered", "zstd"] {
            let n = compare_os(image, peer, os_type);
            for (k, v) in n {
                *used.entry(k).or_default() += v;
            }
            // The peers list nothing else on these images.
            let other: Vec<_> = peer_packages(image, peer)
                .into_iter()
                .filter(|p| p.ty != os_type)
                .collect();
            assert!(
                other.is_empty(),
                "{image}: {peer} lists non-OS packages {other:?}"
            );
            // Nor does Strata: software its binary classifiers find in a file that a Debian
            // package installed is covered by that package, as in both peers.
            let ours: Vec<_> = report(image)
                .packages
                .iter()
                .filter(|p| p.ecosystem != Ecosystem::Deb)
                .collect();
            assert!(
                ours.is_empty(),
                "{image}: Strata lists non-OS packages {ours:?}"
            );
        }
        for e in OS_PURL_EXCEPTIONS.iter().filter(|e| e.peer == peer) {
            assert!(
                used.get(e.id).copied().unwrap_or(0) > 0,
                "exception {} ({}) no longer applies: remove it",
                e.id,
                e.reason
            );
        }
        eprintln!("{peer}: OS purl exceptions applied: {used:?}");
    }
}

// ------------------------------------------------------------------ application packages

/// What identifies an application package across tools: ecosystem, name as the ecosystem
/// compares it (Maven `group:artifact` from the purl, PyPI normalised per PEP 503), version.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    eco: Ecosystem,
    name: String,
    version: String,
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}@{}", self.eco.as_str(), self.name, self.version)
    }
}

fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = if matches!(c, '_' | '.' | '-') {
            '-'
        } else {
            c.to_ascii_lowercase()
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out
}

/// The key of a package from its ecosystem, name, version and purl. Maven names come from
/// the purl (`namespace:name`) on both sides: Strata names a jar identified by its file
/// name alone `artifact` but writes the same purl as the peers.
fn key(eco: Ecosystem, name: &str, version: &str, purl: Option<&str>) -> Key {
    let name = match (eco, purl) {
        (Ecosystem::Maven, Some(purl)) => {
            let p = parse_purl(purl);
            format!("{}:{}", p.namespace.replace('/', "."), p.name)
        }
        (Ecosystem::Pypi, _) => pep503(name),
        _ => name.to_owned(),
    };
    Key {
        eco,
        name,
        version: version.to_owned(),
    }
}

fn peer_eco(ty: &str) -> Ecosystem {
    match ty {
        "node-pkg" | "npm" => Ecosystem::Npm,
        "python-pkg" | "python" => Ecosystem::Pypi,
        "jar" | "java-archive" => Ecosystem::Maven,
        _ => panic!("unknown peer package type {ty:?}: extend peer_eco and the tables"),
    }
}

fn peer_key(p: &PeerPkg) -> Key {
    key(
        peer_eco(&p.ty),
        &p.name,
        &p.version,
        Some(&p.purl).filter(|x| !x.is_empty()).map(|x| x.as_str()),
    )
}

fn strata_key(p: &Package) -> Key {
    key(p.ecosystem, &p.name, &p.version, p.purl.as_deref())
}

/// Whether Strata found `p` where the peer found its package: the same file (Trivy
/// writes a member of a jar as `OUTER/INNER`, Strata as `OUTER!/INNER`, Syft names the
/// outer file), or, for a package Strata read from a Node lock file, the peer's
/// `node_modules/**/package.json` (or the project's package.json) of the same project.
fn same_place(peer_path: &str, p: &Package) -> bool {
    if peer_path == p.origin.path.replace("!/", "/") || peer_path == p.origin.file_path() {
        return true;
    }
    let lock = matches!(
        p.evidence.as_deref(),
        Some("package-lock.json" | "yarn.lock" | "pnpm-lock.yaml")
    );
    match p.origin.path.rsplit_once('/') {
        Some((dir, _)) if lock => {
            peer_path.starts_with(&format!("{dir}/node_modules/"))
                || peer_path == format!("{dir}/package.json")
        }
        _ => false,
    }
}

/// How a peer's application package relates to Strata's list when it is not in it as is.
enum Relation {
    /// The peer names it differently; Strata lists it (at the same place) under this key.
    Renamed(fn(&PeerPkg) -> Key),
    /// Strata does not list it.
    NotListed,
}

/// An explained difference on the application side (docs/peers.md has the same table).
struct AppException {
    id: &'static str,
    peer: &'static str,
    applies: fn(&PeerPkg) -> bool,
    relation: Relation,
    reason: &'static str,
}

const MONGODB_JARS: &[&str] = &[
    "/usr/share/java/bson-3.6.3.jar",
    "/usr/share/java/mongo-java-driver-3.6.3.jar",
    "/usr/share/java/mongodb-driver-async-3.6.3.jar",
    "/usr/share/java/mongodb-driver-core-3.6.3.jar",
];

const APP_EXCEPTIONS: &[AppException] = &[
    AppException {
        id: "project-root-package",
        peer: "trivy",
        applies: |p| p.path == "/srv/webapp/package.json",
        relation: Relation::NotListed,
        reason: "the scanned project itself (strata-test-webapp, the lock file's root entry), \
                 not an installed dependency: Strata lists what /srv/webapp/package-lock.json \
                 installs; the project has no advisories of its own",
    },
    AppException {
        id: "project-root-package",
        peer: "syft",
        applies: |p| p.path == "/srv/webapp/package.json",
        relation: Relation::NotListed,
        reason: "as for Trivy",
    },
    AppException {
        id: "debian-nodejs-modules",
        peer: "syft",
        applies: |p| p.ty == "npm" && p.path.starts_with("/usr/share/nodejs/"),
        relation: Relation::NotListed,
        reason: "modules Debian installs under /usr/share/nodejs (owned by the nodejs, node-acorn, \
                 node-busboy, node-undici, node-xtend, node-cjs-module-lexer packages): they are \
                 Debian packages, listed as such with Debian's versions and fixed by Debian's \
                 advisories, and lie outside any node_modules tree or lock file, which is what \
                 Strata's Node detector reads; Trivy does not list them either",
    },
    AppException {
        id: "syft-spring-boot-name",
        peer: "syft",
        applies: |p| p.path == "/app/app.jar" && p.name == "app",
        relation: Relation::Renamed(|p| {
            key(Ecosystem::Maven, "com.example:demo", &p.version, None)
        }),
        reason: "Syft lists the Spring Boot jar twice: as com.example:demo (its \
                 BOOT-INF/classes/META-INF/maven/com.example/demo/pom.properties, as Trivy and \
                 Strata do) and once more named after its file (app) with the Main-Class \
                 (org.springframework.boot.loader.JarLauncher) as group; Strata lists it once",
    },
    AppException {
        id: "syft-bundle-symbolic-name-group",
        peer: "syft",
        applies: |p| MONGODB_JARS.contains(&p.path.as_str()),
        relation: Relation::Renamed(|p| {
            key(
                Ecosystem::Maven,
                &format!("org.mongodb:{}", p.name),
                &p.version,
                None,
            )
        }),
        reason: "Debian's MongoDB jars have no pom.properties; Syft takes the whole OSGi \
                 Bundle-SymbolicName as group (org.mongodb.bson:bson), Strata its part before \
                 the artifact (org.mongodb:bson), which are the jars' real Maven coordinates",
    },
    AppException {
        id: "commons-logging-manifest-guess",
        peer: "syft",
        applies: |p| p.path.starts_with("/usr/share/java/commons-logging") && p.name == "logging",
        relation: Relation::Renamed(|p| {
            key(
                Ecosystem::Maven,
                "org.apache:Commons Logging",
                &p.version,
                None,
            )
        }),
        reason: "Debian's commons-logging jars have no pom.properties; both tools guess from \
                 MANIFEST.MF and both miss the real coordinates (commons-logging:commons-logging): \
                 Syft takes the last word of Bundle-SymbolicName (logging), Strata the \
                 Implementation-Title (`Commons Logging`); group org.apache from \
                 Implementation-Vendor-Id in both. A known weakness of Strata's Java detector",
    },
];

/// Application packages Strata lists that a peer does not, each with its reason.
struct Extra {
    id: &'static str,
    peer: &'static str,
    applies: fn(&Package) -> bool,
    reason: &'static str,
}

const STRATA_EXTRAS: &[Extra] = &[
    Extra {
        id: "debian-owned-jars",
        peer: "trivy",
        applies: |p| {
            p.ecosystem == Ecosystem::Maven
                && p.origin.file_path().starts_with("/usr/share/java/")
                && p.os_package.is_some()
        },
        reason: "jars that Debian packages install (liblog4j2-java's log4j-core 2.19.0, \
                 httpclient, slf4j, ...): Trivy drops every file an OS package owns; Strata \
                 (like Syft) lists them, as vendor copies of the upstream artifact",
    },
    Extra {
        id: "debian-owned-python",
        peer: "trivy",
        applies: |p| {
            p.ecosystem == Ecosystem::Pypi
                && p.origin.path.starts_with("/usr/lib/python3/dist-packages/")
                && p.os_package.is_some()
        },
        reason: "python3-requests' own requests 2.28.1 and its Debian dependencies (urllib3, \
                 idna, certifi, chardet, charset-normalizer, six): Trivy drops files owned by \
                 an OS package; Strata (like Syft) lists them",
    },
];

fn strata_apps(r: &Report) -> Vec<&Package> {
    r.packages
        .iter()
        .filter(|p| {
            !matches!(
                p.ecosystem,
                Ecosystem::Deb | Ecosystem::Rpm | Ecosystem::Apk
            )
        })
        .collect()
}

#[test]
fn apps_image_application_packages_cover_trivy_and_syft() {
    let r = report("apps");
    let apps = strata_apps(r);
    let mut failures = Vec::new();
    let mut matched_by: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for peer in ["trivy", "syft"] {
        let os_type = if peer == "trivy" { "debian" } else { "deb" };
        let mut used: BTreeMap<&str, usize> = BTreeMap::new();
        let matched = matched_by.entry(peer).or_default();
        let rows: Vec<PeerPkg> = peer_packages("apps", peer)
            .into_iter()
            .filter(|p| p.ty != os_type)
            .collect();
        let mut per_eco: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &rows {
            *per_eco.entry(peer_eco(&p.ty).as_str()).or_default() += 1;
            let k = peer_key(p);
            let find = |k: &Key| {
                apps.iter()
                    .position(|s| strata_key(s) == *k && same_place(&p.path, s))
            };
            let exc = APP_EXCEPTIONS
                .iter()
                .find(|e| e.peer == peer && (e.applies)(p));
            match (exc, find(&k)) {
                (None, Some(i)) => {
                    matched.insert(i);
                }
                (None, None) => failures.push(format!(
                    "{peer} lists {k} at {} ({}); Strata does not",
                    p.path, p.purl
                )),
                (Some(e), found) => {
                    *used.entry(e.id).or_default() += 1;
                    if found.is_some() {
                        failures.push(format!(
                            "{}: Strata lists {k} at {} as {peer} does: remove the exception",
                            e.id, p.path
                        ));
                    }
                    if let Relation::Renamed(f) = e.relation {
                        match find(&f(p)) {
                            Some(i) => {
                                matched.insert(i);
                            }
                            None => failures.push(format!(
                                "{}: {peer}'s {k} at {} should be Strata's {}, which is missing",
                                e.id,
                                p.path,
                                f(p)
                            )),
                        }
                    }
                }
            }
        }
        for e in APP_EXCEPTIONS.iter().filter(|e| e.peer == peer) {
            if !used.contains_key(e.id) {
                failures.push(format!(
                    "{peer} exception {} no longer applies ({})",
                    e.id, e.reason
                ));
            }
        }
        eprintln!(
            "{peer}: {} application packages {per_eco:?}; exceptions applied {used:?}",
            rows.len()
        );
    }
    // What Strata lists that a peer does not: each such package has its explained entry.
    for (peer, matched) in &matched_by {
        let mut used: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, p) in apps
            .iter()
            .enumerate()
            .filter(|(i, _)| !matched.contains(i))
        {
            match STRATA_EXTRAS
                .iter()
                .find(|e| e.peer == *peer && (e.applies)(p))
            {
                Some(e) => *used.entry(e.id).or_default() += 1,
                None => failures.push(format!(
                    "Strata lists {} at {} ({:?}), {peer} does not: unexplained",
                    strata_key(p),
                    p.origin.path,
                    p.purl
                )),
            }
        }
        for e in STRATA_EXTRAS.iter().filter(|e| e.peer == *peer) {
            if !used.contains_key(e.id) {
                failures.push(format!(
                    "extra {} over {peer} no longer applies ({})",
                    e.id, e.reason
                ));
            }
        }
        eprintln!("Strata-only over {peer}: {used:?}");
    }
    let mut per_eco: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &apps {
        *per_eco.entry(p.ecosystem.as_str()).or_default() += 1;
    }
    eprintln!("strata: {} application packages {per_eco:?}", apps.len());
    if !failures.is_empty() {
        for p in &apps {
            eprintln!(
                "strata\t{}\t{}\t{:?}\t{}",
                strata_key(p),
                p.origin.path,
                p.purl,
                p.evidence.as_deref().unwrap_or("")
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The four cases the apps image was built for, found where they are, with the right
/// identity: the vendor jar of liblog4j2-java, python3-requests' own copy, the npm tree,
/// and the log4j-core 2.14.1 stand-in nested in the Spring Boot jar.
#[test]
fn apps_image_planted_cases_match_the_peers() {
    let r = report("apps");
    let find = |eco: Ecosystem, name: &str, version: &str| -> Vec<&Package> {
        r.packages
            .iter()
            .filter(|p| p.ecosystem == eco && p.name == name && p.version == version)
            .collect()
    };
    let dpkg_query = std::fs::read_to_string(images().join("apps.dpkg-query.txt")).unwrap();
    let deb_version = |name: &str| -> String {
        dpkg_query
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} not installed"))
            .to_owned()
    };
    // liblog4j2-java: the Debian package, and its jar as Syft lists it.
    assert_eq!(
        find(
            Ecosystem::Deb,
            "liblog4j2-java",
            &deb_version("liblog4j2-java")
        )
        .len(),
        1
    );
    let syft = peer_packages("apps", "syft");
    let jar = find(
        Ecosystem::Maven,
        "org.apache.logging.log4j:log4j-core",
        "2.19.0",
    );
    assert_eq!(jar.len(), 1, "{jar:?}");
    assert!(
        syft.iter()
            .any(|s| s.purl == *jar[0].purl.as_ref().unwrap() && s.path == jar[0].origin.path)
    );
    // python3-requests: the Debian package and the egg-info it installs.
    assert_eq!(
        find(
            Ecosystem::Deb,
            "python3-requests",
            &deb_version("python3-requests")
        )
        .len(),
        1
    );
    let req = find(Ecosystem::Pypi, "requests", "2.28.1");
    assert_eq!(req.len(), 1);
    // Both are vendor copies, marked with the Debian package that owns them.
    assert_eq!(req[0].os_package.as_deref(), Some("python3-requests"));
    assert_eq!(jar[0].os_package.as_deref(), Some("liblog4j2-java"));
    // The fat jar's nested log4j-core 2.14.1: same purl as both peers, Trivy's path.
    let nested = find(
        Ecosystem::Maven,
        "org.apache.logging.log4j:log4j-core",
        "2.14.1",
    );
    assert_eq!(nested.len(), 1, "{nested:?}");
    let trivy = peer_packages("apps", "trivy");
    let t = trivy
        .iter()
        .find(|t| t.name == "log4j-core" && t.version == "2.14.1")
        .expect("Trivy lists log4j-core 2.14.1");
    assert_eq!(nested[0].purl.as_deref(), Some(t.purl.as_str()));
    assert_eq!(nested[0].origin.path.replace("!/", "/"), t.path);
    assert_eq!(nested[0].origin.real_path.as_deref(), Some("/app/app.jar"));
    // npm: the lock file's 52 packages, each with Trivy's purl.
    let npm: BTreeSet<&str> = r
        .packages
        .iter()
        .filter(|p| p.ecosystem == Ecosystem::Npm)
        .filter_map(|p| p.purl.as_deref())
        .collect();
    let trivy_npm: BTreeSet<&str> = trivy
        .iter()
        .filter(|t| t.ty == "node-pkg" && t.path != "/srv/webapp/package.json")
        .map(|t| t.purl.as_str())
        .collect();
    assert_eq!(trivy_npm.len(), 52);
    assert_eq!(npm, trivy_npm);
}

// ----------------------------------------------------------------------------- secrets

/// One row of `peers/IMAGE.trivy-secrets.tsv`.
#[derive(Debug)]
struct PeerSecret {
    path: String,
    rule: String,
    severity: String,
    line: u32,
    layer: String,
}

fn trivy_secrets(image: &str) -> Vec<PeerSecret> {
    let file = peer_file(image, "trivy-secrets.tsv");
    // The TSV is empty when Trivy found nothing: make sure Trivy did run (its JSON report).
    let json = peer_file(image, "trivy-secrets.json");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(
        doc["SchemaVersion"],
        2,
        "{}: not a Trivy report",
        json.display()
    );
    std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 5, "{}: bad row {l:?}", file.display());
            PeerSecret {
                path: c[0].into(),
                rule: c[1].into(),
                severity: c[2].into(),
                line: c[3].parse().unwrap(),
                layer: c[4].into(),
            }
        })
        .collect()
}

#[test]
fn minbase_no_secrets_in_trivy_nor_strata() {
    assert!(trivy_secrets("minbase").is_empty());
    assert!(
        report("minbase").secrets.is_empty(),
        "{:?}",
        report("minbase").secrets
    );
}

/// A Trivy rule that Strata names differently: Strata's finding at the same file and line
/// carries `strata_rule`.
struct RuleException {
    trivy_rule: &'static str,
    strata_rule: &'static str,
    reason: &'static str,
}

const SECRET_RULE_EXCEPTIONS: &[RuleException] = &[RuleException {
    trivy_rule: "private-key",
    strata_rule: "rsa-private-key",
    reason: "Trivy has one `private-key` rule for every PEM private key type; Strata has one \
             rule per key type (rsa-, ec-, dsa-, openssh-, pkcs8-, encrypted-private-key, ...), so an \
             `-----BEGIN RSA PRIVATE KEY-----` block is `rsa-private-key`; same line (the first \
             line of the key body), same severity",
}];

/// Secrets Strata reports that Trivy does not, by rule.
const SECRET_EXTRAS: &[(&str, &str)] = &[(
    "git-credentials",
    "a URL with embedded credentials in a git-credentials store (https://USER:TOKEN@HOST); \
     Trivy has no such rule and reports only the GitHub token inside it (github-pat), which \
     Strata reports as well",
)];

#[test]
fn layered_every_trivy_secret_is_found_at_the_same_file_line_and_layer() {
    let r = report("layered");
    let theirs = trivy_secrets("layered");
    assert!(
        theirs.len() >= 4,
        "Trivy found {} secrets on layered",
        theirs.len()
    );
    let mut failures = Vec::new();
    let mut matched = BTreeSet::new();
    let mut renamed = BTreeSet::new();
    for t in &theirs {
        let rule = match SECRET_RULE_EXCEPTIONS
            .iter()
            .find(|e| e.trivy_rule == t.rule)
        {
            Some(e) => {
                renamed.insert(e.trivy_rule);
                e.strata_rule
            }
            None => t.rule.as_str(),
        };
        let found = r
            .secrets
            .iter()
            .position(|s| s.origin.path == t.path && s.rule_id == rule && s.line == Some(t.line));
        match found {
            Some(i) => {
                let s = &r.secrets[i];
                if s.origin.layer.as_deref() != Some(t.layer.as_str()) {
                    failures.push(format!(
                        "{} {}: layer {:?} vs Trivy's {}",
                        t.path, t.rule, s.origin.layer, t.layer
                    ));
                }
                if !s.severity.to_string().eq_ignore_ascii_case(&t.severity) {
                    failures.push(format!(
                        "{} {}: severity {} vs Trivy's {}",
                        t.path, t.rule, s.severity, t.severity
                    ));
                }
                matched.insert(i);
            }
            None => failures.push(format!("Trivy finds {t:?}; Strata does not")),
        }
    }
    for e in SECRET_RULE_EXCEPTIONS
        .iter()
        .filter(|e| !renamed.contains(e.trivy_rule))
    {
        failures.push(format!(
            "rule exception {} -> {} no longer applies ({})",
            e.trivy_rule, e.strata_rule, e.reason
        ));
    }
    let mut extras_used = BTreeSet::new();
    for (_, s) in r
        .secrets
        .iter()
        .enumerate()
        .filter(|(i, _)| !matched.contains(i))
    {
        match SECRET_EXTRAS.iter().find(|(rule, _)| *rule == s.rule_id) {
            Some((rule, _)) => {
                extras_used.insert(*rule);
            }
            None => failures.push(format!(
                "Strata-only secret, unexplained: {} {} line {:?}",
                s.origin.path, s.rule_id, s.line
            )),
        }
    }
    for (rule, why) in SECRET_EXTRAS
        .iter()
        .filter(|(rule, _)| !extras_used.contains(rule))
    {
        failures.push(format!(
            "extra secret rule {rule} no longer reported ({why})"
        ));
    }
    // Trivy reports the secrets of deleted files too (/app/.env, deleted by layer 2);
    // Strata reports them with the layer that removed them.
    let env: Vec<_> = r
        .secrets
        .iter()
        .filter(|s| s.origin.path == "/app/.env")
        .collect();
    assert!(
        !env.is_empty() && env.iter().all(|s| s.origin.removed_in_layer == Some(2)),
        "{env:?}"
    );
    eprintln!(
        "layered: Trivy {} secrets, Strata {} ({} matched)",
        theirs.len(),
        r.secrets.len(),
        matched.len()
    );
    if !failures.is_empty() {
        for s in &r.secrets {
            eprintln!(
                "strata secret: {} {} {:?} line {:?} layer {:?} removed {:?}",
                s.origin.path,
                s.rule_id,
                s.severity,
                s.line,
                s.origin.layer_index,
                s.origin.removed_in_layer
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
