//! Image sources: docker-archive (classic, Docker 25+, gzipped), OCI layout and archive,
//! indexes, platform and reference selection, directories.

use std::io::Write;

use strata_core::{Engine, Platform, ScanError, ScanOptions, ScanOutput};
use strata_testkit::{ImageBuilder, Probe, write_index_blob, write_index_json};

use crate::common::{contents, engine, scan, single};

fn sample() -> ImageBuilder {
    ImageBuilder::new().layer(|l| l.file("etc/os-release", "ID=test\n")).layer(|l| l.file("app/x", "x"))
}

#[test]
fn docker_archive_classic_and_oci_embedded_layouts() {
    let dir = tempfile::tempdir().unwrap();
    for classic in [true, false] {
        let p = dir.path().join(format!("img-{classic}.tar"));
        sample().write_docker_archive(&p, "test:1", classic);
        for target in [format!("docker-archive:{}", p.display()), p.display().to_string()] {
            let r = scan(&target);
            assert_eq!(r.image.repo_tags, vec!["test:1".to_owned()]);
            assert_eq!(r.image.layers.len(), 2);
            assert!(r.image.layers.iter().all(|l| l.diff_id.starts_with("sha256:")));
            assert_eq!(contents(&r).get("/app/x").map(String::as_str), Some("x"));
        }
    }
}

#[test]
fn gzipped_docker_archive_is_spooled_and_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("img.tar");
    sample().write_docker_archive(&p, "test:1", true);
    let gz = dir.path().join("img.tar.gz");
    let mut e = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::fast());
    e.write_all(&std::fs::read(&p).unwrap()).unwrap();
    e.finish().unwrap();
    let r = scan(&gz.display().to_string());
    assert_eq!(contents(&r).get("/etc/os-release").map(String::as_str), Some("ID=test\n"));
}

#[test]
fn oci_archive_and_reference_selection() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("layout");
    let m1 = sample().write_blobs(&layout);
    let m2 = ImageBuilder::new().layer(|l| l.file("only-in-two", "2")).write_blobs(&layout);
    write_index_json(&layout, &[(m1, Some("one".into()), None), (m2, Some("two".into()), None)]);
    let r = scan(&format!("oci:{}:two", layout.display()));
    assert!(contents(&r).contains_key("/only-in-two"));
    // An OCI archive: tar of the layout.
    let ar = dir.path().join("layout.tar");
    let mut b = tar::Builder::new(std::fs::File::create(&ar).unwrap());
    b.append_dir_all(".", &layout).unwrap();
    b.finish().unwrap();
    drop(b);
    let r = scan(&format!("oci-archive:{}:one", ar.display()));
    assert!(contents(&r).contains_key("/app/x"));
    let probe = Probe::default();
    let err = engine(&probe, None).scan(&format!("oci:{}:three", layout.display()), &ScanOptions::default()).unwrap_err();
    assert!(err.to_string().contains("\"three\" not found") && err.to_string().contains("one"), "{err}");
}

#[test]
fn multi_platform_index_scans_every_platform_or_the_chosen_one() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path();
    let amd = ImageBuilder::new().arch("amd64").layer(|l| l.file("arch", "amd64")).write_blobs(layout);
    let i386 = ImageBuilder::new().arch("386").layer(|l| l.file("arch", "386")).write_blobs(layout);
    // A nested index: the top index points at an index that lists the platforms.
    let inner = write_index_blob(layout, &[(amd, "linux/amd64"), (i386, "linux/386")]);
    write_index_json(layout, &[(inner, Some("latest".into()), None)]);
    let probe = Probe::default();
    let e = engine(&probe, None);
    let target = format!("oci:{}", layout.display());
    match e.scan(&target, &ScanOptions::default()).unwrap() {
        ScanOutput::Index(ix) => {
            assert_eq!(ix.summary.platforms, 2);
            let mut archs: Vec<_> = ix
                .platforms
                .iter()
                .map(|r| (r.image.platform.clone().unwrap().architecture, contents(r)["/arch"].clone()))
                .collect();
            archs.sort();
            assert_eq!(archs, vec![("386".to_owned(), "386".to_owned()), ("amd64".to_owned(), "amd64".to_owned())]);
        }
        ScanOutput::Single(_) => panic!("an index gives one report per platform"),
    }
    let opts = ScanOptions { platform: Platform::parse("linux/386"), ..Default::default() };
    let r = single(e.scan(&target, &opts).unwrap());
    assert_eq!(contents(&r)["/arch"], "386");
    let opts = ScanOptions { platform: Platform::parse("linux/arm64"), ..Default::default() };
    assert!(matches!(e.scan(&target, &opts), Err(ScanError::PlatformNotFound(_))));
}

#[test]
fn directory_target_never_follows_symlinks_out() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/hostname"), "box").unwrap();
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret"), "nope").unwrap();
    std::os::unix::fs::symlink(&outside, root.join("link-out")).unwrap();
    let r = scan(&format!("dir:{}", root.display()));
    let c = contents(&r);
    assert_eq!(c.get("/etc/hostname").map(String::as_str), Some("box"));
    assert!(c.keys().all(|k| !k.contains("secret")), "{c:?}");
    assert_eq!(r.files.as_ref().unwrap().symlinks, 1);
}

#[test]
fn engine_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
}

/// A directory target has its own entry cap: a host root routinely holds more files than the
/// per-layer cap meant for image layers allows, so that cap must not apply to it.
#[test]
fn directory_target_uses_the_directory_entry_cap_not_the_layer_cap() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir_all(root.join("d")).unwrap();
    for i in 0..30 {
        std::fs::write(root.join("d").join(format!("f{i}")), "x").unwrap();
    }
    let target = format!("dir:{}", root.display());
    let build = |limits: strata_core::Limits| {
        Engine::builder().detector(Box::new(Probe::default())).limits(limits).threads(1).build().unwrap()
    };
    // 31 entries (d and 30 files): over a 10-entry layer cap, under the directory cap.
    let layer_capped = build(strata_core::Limits { max_entries: 10, ..Default::default() });
    let r = single(layer_capped.scan(&target, &ScanOptions::default()).expect("layer cap must not apply to dir:"));
    assert_eq!(r.files.as_ref().unwrap().count, 30);
    let dir_capped = build(strata_core::Limits { max_dir_entries: 10, ..Default::default() });
    match dir_capped.scan(&target, &ScanOptions::default()) {
        Err(ScanError::Limit { kind: strata_core::LimitKind::Entries, detail }) => {
            assert!(detail.contains("more than 10 entries (max_dir_entries)"), "{detail}")
        }
        other => panic!("expected the directory entry cap to trip, got {:?}", other.map(|_| ())),
    }
}
