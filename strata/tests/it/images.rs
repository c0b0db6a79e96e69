use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use strata::{Report, ScanOptions, ScanOutput, Scanner, ScannerOptions};

fn images() -> PathBuf {
    let dir = std::env::var_os("STRATA_IMAGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/strata-images"));
    assert!(
        dir.join("layered.oci/index.json").exists(),
        "real test images missing in {}: run scripts/build-test-images.sh (scripts/test.sh does)",
        dir.display()
    );
    dir
}

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| Scanner::new(&ScannerOptions { cache: None, ..Default::default() }).unwrap())
}

fn scan(target: &str) -> Report {
    match scanner().scan(target, &ScanOptions::default()).unwrap() {
        ScanOutput::Single(r) => *r,
        ScanOutput::Index(_) => panic!("expected one image"),
    }
}

fn dpkg_query(name: &str) -> BTreeSet<String> {
    std::fs::read_to_string(images().join(format!("{name}.dpkg-query.txt")))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

fn deb_packages(r: &Report) -> BTreeSet<String> {
    r.packages.iter().filter(|p| p.ecosystem == strata::Ecosystem::Deb).map(|p| format!("{} {}", p.name, p.version)).collect()
}

#[test]
fn package_lists_equal_dpkg_query_on_the_same_root() {
    for name in ["minbase", "layered"] {
        let r = scan(&format!("oci:{}", images().join(format!("{name}.oci")).display()));
        assert_eq!(deb_packages(&r), dpkg_query(name), "{name}");
        let os = r.image.os.as_ref().expect("OS detected");
        assert_eq!((os.family.as_str(), os.version.as_str()), ("debian", "12"), "{name}");
        for p in r.packages.iter().filter(|p| p.ecosystem == strata::Ecosystem::Deb) {
            assert!(p.origin.layer.as_deref().is_some_and(|l| l.starts_with("sha256:")), "{name}: {p:?}");
            assert!(!p.origin.path.is_empty());
            let purl = p.purl.as_deref().unwrap_or_default();
            assert!(purl.starts_with("pkg:deb/debian/") && purl.contains("distro=debian-12"), "{purl}");
        }
    }
}

#[derive(serde::Deserialize)]
struct Expected {
    planted: Vec<Planted>,
    packages: Vec<ExpPkg>,
}
#[derive(serde::Deserialize)]
struct Planted {
    path: String,
    kind: String,
    #[serde(default)]
    r#match: Option<String>,
    layer: u32,
    deleted_in: Option<u32>,
}
#[derive(serde::Deserialize)]
struct ExpPkg {
    name: String,
    installed_in: u32,
    removed_in: Option<u32>,
}

#[test]
fn layered_image_findings_carry_layer_and_removed_marks() {
    let exp: Expected =
        serde_json::from_slice(&std::fs::read(images().join("layered.expected.json")).unwrap()).unwrap();
    for target in [format!("oci:{}", images().join("layered.oci").display()), format!("docker-archive:{}", images().join("layered.tar").display())] {
        let r = scan(&target);
        for p in exp.planted.iter().filter(|p| p.kind == "secret") {
            let found: Vec<_> = r.secrets.iter().filter(|s| s.origin.path == p.path).collect();
            assert!(!found.is_empty(), "{target}: secret in {} not found", p.path);
            for s in found {
                assert_eq!(s.origin.layer_index, Some(p.layer), "{}", p.path);
                assert_eq!(s.origin.removed_in_layer, p.deleted_in, "{}", p.path);
                if let Some(m) = p.r#match.as_ref().filter(|m| !m.starts_with("-----")) {
                    // The planted value never appears in full, in any field (a PEM header is
                    // not the secret: it is shown as the match).
                    let json = serde_json::to_string(s).unwrap();
                    if m.len() > 12 {
                        assert!(!json.contains(m.as_str()), "secret value leaked: {json}");
                    }
                }
            }
        }
        let names: BTreeSet<_> = r.packages.iter().map(|p| p.name.as_str()).collect();
        for p in &exp.packages {
            match p.removed_in {
                Some(_) => assert!(!names.contains(p.name.as_str()), "{} was removed", p.name),
                None => {
                    let pkg = r.packages.iter().find(|x| x.name == p.name).unwrap();
                    assert_eq!(pkg.origin.layer_index, Some(p.installed_in), "{} installed in", p.name);
                }
            }
        }
        // Base packages are attributed to the base layer, not to the layer that last rewrote
        // /var/lib/dpkg/status.
        let bash = r.packages.iter().find(|p| p.name == "bash").unwrap();
        assert_eq!(bash.origin.layer_index, Some(0));
        let whole = serde_json::to_string(&r).unwrap();
        for p in exp.planted.iter().filter_map(|p| p.r#match.as_ref()).filter(|m| m.len() > 12 && !m.starts_with("-----")) {
            assert!(!whole.contains(p.as_str()), "secret value leaked into the report");
        }
    }
}

#[test]
fn minbase_has_no_secrets() {
    let r = scan(&format!("oci:{}", images().join("minbase.oci").display()));
    assert!(r.secrets.is_empty(), "{:?}", r.secrets);
}

#[test]
fn multiarch_index_gives_one_report_per_platform() {
    let out = scanner().scan(&format!("oci:{}", images().join("multiarch.oci").display()), &ScanOptions::default()).unwrap();
    let ScanOutput::Index(ix) = out else { panic!("an index") };
    assert_eq!(ix.summary.platforms, 2);
    let mut archs: Vec<String> = ix.platforms.iter().map(|r| r.image.platform.as_ref().unwrap().architecture.clone()).collect();
    archs.sort();
    assert_eq!(archs, ["386", "amd64"]);
    for r in &ix.platforms {
        let arch = &r.image.platform.as_ref().unwrap().architecture;
        let deb_arch = if arch == "386" { "i386" } else { "amd64" };
        let libc = r.packages.iter().find(|p| p.name == "libc6").expect("libc6");
        assert_eq!(libc.arch.as_deref(), Some(deb_arch));
    }
    assert_eq!(ix.summary.packages, ix.platforms.iter().map(|r| r.packages.len() as u64).sum::<u64>());
}
