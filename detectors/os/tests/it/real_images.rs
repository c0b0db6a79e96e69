//! Real images built from Debian packages by `scripts/build-test-images.sh`
//! (`testdata-images/README.md`), scanned by the core engine with this crate's detectors
//! and analyzer: packages equal `dpkg-query`'s list of the same root filesystem, purls
//! equal Syft's, and `.list` files reach their packages.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use strata_core::{Analyzer, Engine, Inventory, Output, Report, ScanOptions, ScanOutput};
use strata_detect_os::{OsConfig, analyzers, detectors};

fn images_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("STRATA_IMAGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/strata-images")
        });
    if dir.join("layered.oci/index.json").exists() && dir.join("peers/minbase.syft.tsv").exists() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: real test images missing in {}: run scripts/build-test-images.sh and scripts/compare-peers.sh",
            dir.display()
        );
        None
    }
}

/// Package name and the files attached to it.
type NamedFiles = Vec<(String, Vec<String>)>;

/// Records, after the refine step, the files attached to each dpkg package.
struct FilesProbe(Arc<Mutex<NamedFiles>>);

impl Analyzer for FilesProbe {
    fn id(&self) -> &'static str {
        "test/files-probe"
    }
    fn group(&self) -> &'static str {
        "os"
    }
    fn analyze(&self, inventory: &Inventory<'_>, _out: &mut Output) {
        let mut seen = self.0.lock().unwrap();
        for p in inventory.packages() {
            seen.push((p.name.clone(), p.files.to_vec()));
        }
    }
}

fn scan(target: &str) -> (Report, NamedFiles) {
    let cfg = OsConfig::default();
    let files = Arc::new(Mutex::new(Vec::new()));
    let engine = Engine::builder()
        .detectors(detectors(&cfg))
        .analyzers(analyzers(&cfg))
        .analyzer(Box::new(FilesProbe(files.clone())))
        .build()
        .unwrap();
    let report = match engine.scan(target, &ScanOptions::default()).unwrap() {
        ScanOutput::Single(r) => *r,
        ScanOutput::Index(_) => panic!("{target}: one image expected"),
    };
    let files = files.lock().unwrap().clone();
    (report, files)
}

fn lines(path: PathBuf) -> BTreeSet<String> {
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Syft's deb purls, without its `upstream=` qualifier (not part of this crate's purls).
fn syft_deb_purls(dir: &std::path::Path, image: &str) -> BTreeSet<String> {
    lines(dir.join(format!("peers/{image}.syft.tsv")))
        .iter()
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.get(2) == Some(&"deb")).then(|| {
                let purl = cols[3];
                match purl.find("&upstream=") {
                    Some(i) => purl[..i].to_owned(),
                    None => purl.to_owned(),
                }
            })
        })
        .collect()
}

#[test]
fn debian_images_match_dpkg_query_and_syft() {
    let Some(dir) = images_dir() else { return };
    for (image, target, reference) in [
        (
            "minbase",
            format!("oci:{}", dir.join("minbase.oci").display()),
            "minbase",
        ),
        (
            "minbase",
            format!("docker-archive:{}", dir.join("minbase.tar").display()),
            "minbase",
        ),
        (
            "layered",
            format!("oci:{}", dir.join("layered.oci").display()),
            "layered",
        ),
        (
            "zstd",
            format!("oci:{}", dir.join("zstd.oci").display()),
            "layered",
        ),
        (
            "apps",
            format!("oci:{}", dir.join("apps.oci").display()),
            "apps",
        ),
    ] {
        let (report, files) = scan(&target);
        let os = report
            .image
            .os
            .as_ref()
            .unwrap_or_else(|| panic!("{target}: no OS"));
        assert_eq!(
            (os.family.as_str(), os.version.as_str()),
            ("debian", "12"),
            "{target}"
        );

        let ours: BTreeSet<String> = report
            .packages
            .iter()
            .filter(|p| p.detector == "os/dpkg")
            .map(|p| format!("{} {}", p.name, p.version))
            .collect();
        let dpkg_query = lines(dir.join(format!("{reference}.dpkg-query.txt")));
        assert_eq!(
            ours, dpkg_query,
            "{target}: packages differ from dpkg-query"
        );

        let purls: BTreeSet<String> = report
            .packages
            .iter()
            .filter(|p| p.detector == "os/dpkg")
            .map(|p| p.purl.clone().unwrap())
            .collect();
        assert_eq!(
            purls,
            syft_deb_purls(&dir, image),
            "{target}: purls differ from Syft's"
        );

        let bash = files
            .iter()
            .find(|(n, _)| n == "bash")
            .unwrap_or_else(|| panic!("{target}: bash"));
        assert!(
            bash.1.iter().any(|f| f == "/bin/bash"),
            "{target}: bash files {:?}",
            bash.1
        );
        let with_files = files.iter().filter(|(_, f)| !f.is_empty()).count();
        assert_eq!(
            with_files,
            files.len(),
            "{target}: every dpkg package has a .list"
        );
        assert!(
            !report
                .diagnostics
                .iter()
                .any(|d| d.code.starts_with("dpkg") || d.code.starts_with("os-")),
            "{target}: {:?}",
            report.diagnostics
        );
    }
}

#[test]
fn multiarch_index_gives_one_debian_report_per_platform() {
    let Some(dir) = images_dir() else { return };
    if !dir.join("peers/multiarch-i386.syft.tsv").exists() {
        eprintln!("SKIPPED: peers/multiarch-i386.syft.tsv missing: run scripts/compare-peers.sh");
        return;
    }
    let cfg = OsConfig::default();
    let engine = Engine::builder()
        .detectors(detectors(&cfg))
        .analyzers(analyzers(&cfg))
        .build()
        .unwrap();
    let target = format!("oci:{}", dir.join("multiarch.oci").display());
    let out = engine.scan(&target, &ScanOptions::default()).unwrap();
    let reports = out.reports();
    assert_eq!(reports.len(), 2, "two platforms");
    let mut seen_arches = BTreeSet::new();
    for r in reports {
        let os = r.image.os.as_ref().unwrap();
        assert_eq!((os.family.as_str(), os.version.as_str()), ("debian", "12"));
        let purls: BTreeSet<String> = r
            .packages
            .iter()
            .filter(|p| p.detector == "os/dpkg")
            .map(|p| p.purl.clone().unwrap())
            .collect();
        // Each platform's packages carry their own architecture (or `all`).
        let arch = if purls.iter().any(|p| p.contains("arch=i386")) {
            "i386"
        } else {
            "amd64"
        };
        assert!(
            purls
                .iter()
                .all(|p| p.contains(&format!("arch={arch}")) || p.contains("arch=all"))
        );
        let peer = if arch == "i386" {
            "multiarch-i386"
        } else {
            "multiarch"
        };
        assert_eq!(
            purls,
            syft_deb_purls(&dir, peer),
            "{target} {arch}: purls differ from Syft's"
        );
        seen_arches.insert(arch);
    }
    assert_eq!(seen_arches.len(), 2);
}
