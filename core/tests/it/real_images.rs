//! Real images built from Debian packages by scripts/build-test-images.sh: the merged view
//! equals what `umoci unpack` produces.

use std::collections::BTreeMap;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use strata_core::{Engine, ScanOptions};
use strata_testkit::TreeLister;

use crate::common::{single, tree};

pub(crate) fn images_dir() -> PathBuf {
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

/// Regular files (and hard links) under an unpacked rootfs: path -> size.
fn walk_rootfs(root: &Path) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let md = std::fs::symlink_metadata(e.path()).unwrap();
            if md.is_dir() {
                stack.push(e.path());
            } else if md.is_file() {
                let rel = e.path().strip_prefix(root).unwrap().as_os_str().as_bytes().to_vec();
                out.insert(format!("/{}", String::from_utf8_lossy(&rel)), md.len());
            }
        }
    }
    out
}

fn merged_files(target: &str) -> BTreeMap<String, (String, u32)> {
    let e = Engine::builder().analyzer(Box::new(TreeLister)).build().unwrap();
    let r = single(e.scan(target, &ScanOptions::default()).unwrap());
    assert!(
        r.diagnostics.iter().all(|d| d.code != "path-escapes-root" && d.level != strata_core::Level::Error),
        "{:?}",
        r.diagnostics
    );
    tree(&r).into_iter().filter(|(_, (k, _))| k == "file" || k == "hardlink").collect()
}

#[test]
fn merged_view_equals_umoci_unpack() {
    let dir = images_dir();
    for (image, rootfs) in [("minbase", "minbase.rootfs"), ("layered", "layered.rootfs"), ("zstd", "layered.rootfs")] {
        // umoci unpack writes BUNDLE/rootfs; the build script may keep just the rootfs.
        let bundle = dir.join(rootfs);
        let root = if bundle.join("rootfs").is_dir() { bundle.join("rootfs") } else { bundle };
        let want = walk_rootfs(&root);
        let got = merged_files(&format!("oci:{}", dir.join(format!("{image}.oci")).display()));
        let want_paths: Vec<_> = want.keys().cloned().collect();
        let got_paths: Vec<_> = got.keys().cloned().collect();
        let missing: Vec<_> = want_paths.iter().filter(|p| !got.contains_key(*p)).take(10).collect();
        let extra: Vec<_> = got_paths.iter().filter(|p| !want.contains_key(*p)).take(10).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{image}: missing {missing:?}, extra {extra:?}");
        assert!(want.len() > 1000, "{image}: a real rootfs ({} files)", want.len());
    }
}

#[test]
fn docker_archive_and_oci_layout_of_the_same_image_agree() {
    let dir = images_dir();
    for image in ["minbase", "layered"] {
        let a = merged_files(&format!("oci:{}", dir.join(format!("{image}.oci")).display()));
        let b = merged_files(&format!("docker-archive:{}", dir.join(format!("{image}.tar")).display()));
        assert_eq!(a.len(), b.len(), "{image}");
        assert!(a.keys().eq(b.keys()), "{image}");
    }
}
