//! Hostile input: each case gets a clear error or a diagnostic, never a panic, never a
//! write outside the cache.

use std::io::Write;

use strata_core::{Engine, LimitKind, Limits, ScanError, ScanOptions};
use strata_testkit::{Compression, ImageBuilder, LayerBuilder, Probe, compress, digest, write_blob};

use crate::common::{codes, contents, engine, scan, single};

fn engine_with(limits: Limits) -> Engine {
    Engine::builder().detector(Box::new(Probe::default())).limits(limits).threads(1).build().unwrap()
}

fn blob_file(layout: &std::path::Path, d: &str) -> std::path::PathBuf {
    layout.join("blobs/sha256").join(d.trim_start_matches("sha256:"))
}

fn layer_digest(layout: &std::path::Path, index: usize) -> String {
    let idx: serde_json::Value = serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    let m = idx["manifests"][0]["digest"].as_str().unwrap().to_owned();
    let man: serde_json::Value = serde_json::from_slice(&std::fs::read(blob_file(layout, &m)).unwrap()).unwrap();
    man["layers"][index]["digest"].as_str().unwrap().to_owned()
}

#[test]
fn truncated_gzip_and_zstd_layers_are_clear_errors() {
    for c in [Compression::Gzip, Compression::Zstd] {
        let dir = tempfile::tempdir().unwrap();
        ImageBuilder::new().compression(c).layer(|l| l.file("a", vec![1u8; 200_000])).write_oci_layout(dir.path(), "x");
        let d = layer_digest(dir.path(), 0);
        let f = blob_file(dir.path(), &d);
        let bytes = std::fs::read(&f).unwrap();
        std::fs::write(&f, &bytes[..bytes.len() / 2]).unwrap();
        let err = engine_with(Limits::default()).scan(&format!("oci:{}", dir.path().display()), &ScanOptions::default()).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, ScanError::Layer { index: 0, .. } | ScanError::Digest { .. }),
            "{c:?}: {msg}"
        );
        assert!(msg.contains(&d) || msg.contains("layer 0"), "{msg}");
    }
}

#[test]
fn a_blob_whose_digest_does_not_match_names_the_blob() {
    let dir = tempfile::tempdir().unwrap();
    ImageBuilder::new().compression(Compression::None).layer(|l| l.file("a", "original")).write_oci_layout(dir.path(), "x");
    let d = layer_digest(dir.path(), 0);
    let f = blob_file(dir.path(), &d);
    let mut bytes = std::fs::read(&f).unwrap();
    let pos = bytes.windows(8).position(|w| w == b"original").unwrap();
    bytes[pos] = b'O';
    std::fs::write(&f, &bytes).unwrap();
    let err = engine_with(Limits::default()).scan(&format!("oci:{}", dir.path().display()), &ScanOptions::default()).unwrap_err();
    match err {
        ScanError::Digest { expected, .. } => assert_eq!(expected, d),
        other => panic!("expected a digest error, got {other}"),
    }
}

#[test]
fn manifest_referencing_a_missing_blob() {
    let dir = tempfile::tempdir().unwrap();
    ImageBuilder::new().layer(|l| l.file("a", "1")).write_oci_layout(dir.path(), "x");
    let d = layer_digest(dir.path(), 0);
    std::fs::remove_file(blob_file(dir.path(), &d)).unwrap();
    let err = engine_with(Limits::default()).scan(&format!("oci:{}", dir.path().display()), &ScanOptions::default()).unwrap_err();
    let chain = format!("{err}: {}", std::error::Error::source(&err).map(|s| s.to_string()).unwrap_or_default());
    assert!(chain.contains(d.trim_start_matches("sha256:")), "{chain}");
}

#[test]
fn traversal_absolute_and_non_utf8_names() {
    let dir = tempfile::tempdir().unwrap();
    ImageBuilder::new()
        .layer(|l| {
            l.file("../../etc/evil", "x")
                .file("a/../../escape", "x")
                .file("/abs/file", "abs")
                .file(b"bin/\xff\xfename".as_slice(), "bytes")
                .file("./normal", "n")
        })
        .write_oci_layout(dir.path(), "x");
    let r = scan(&format!("oci:{}", dir.path().display()));
    let c = contents(&r);
    assert_eq!(codes(&r).iter().filter(|c| *c == "path-escapes-root").count(), 2, "{:?}", r.diagnostics);
    assert_eq!(c.get("/abs/file").map(String::as_str), Some("abs"), "absolute names are rooted in the image");
    assert!(c.contains_key("/normal"));
    assert!(c.keys().any(|k| k.starts_with("/bin/") && k.contains('\u{fffd}')), "{c:?}");
    assert!(!c.keys().any(|k| k.contains("evil") || k.contains("escape")));
}

#[test]
fn deep_directories_are_skipped_with_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "d/".repeat(10_000) + "file";
    ImageBuilder::new().layer(|l| l.file(deep.as_bytes(), "deep").file("shallow", "s")).write_oci_layout(dir.path(), "x");
    let r = scan(&format!("oci:{}", dir.path().display()));
    assert!(codes(&r).contains(&"path-too-deep".to_owned()));
    assert!(contents(&r).contains_key("/shallow"));
}

#[test]
fn gzip_bomb_trips_the_layer_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 64 MiB of zeros in one file compresses to ~64 KiB.
    ImageBuilder::new().layer(|l| l.file("zeros", vec![0u8; 64 << 20])).write_oci_layout(dir.path(), "x");
    let limits = Limits { max_layer_bytes: 8 << 20, ..Default::default() };
    let err = engine_with(limits).scan(&format!("oci:{}", dir.path().display()), &ScanOptions::default()).unwrap_err();
    assert!(matches!(err, ScanError::Limit { kind: LimitKind::TotalBytes, .. }), "{err}");
}

#[test]
fn a_million_empty_entries_trip_the_entry_limit() {
    let dir = tempfile::tempdir().unwrap();
    // Stream the tar straight into gzip: 1,000,000 headers.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut hasher_tar = Vec::new();
    {
        let mut b = tar::Builder::new(&mut hasher_tar);
        for i in 0..1_000_000u32 {
            let mut h = tar::Header::new_gnu();
            h.set_size(0);
            h.set_mode(0o644);
            b.append_data(&mut h, format!("f{i}"), std::io::empty()).unwrap();
        }
        b.finish().unwrap();
    }
    gz.write_all(&hasher_tar).unwrap();
    let blob = gz.finish().unwrap();
    let diff_id = digest(&hasher_tar);
    drop(hasher_tar);
    let layout = dir.path();
    let ld = write_blob(layout, &blob);
    let config = serde_json::to_vec(&serde_json::json!({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[diff_id]}})).unwrap();
    let cd = write_blob(layout, &config);
    let man = serde_json::to_vec(&serde_json::json!({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":cd,"size":config.len()},
        "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":ld,"size":blob.len()}]})).unwrap();
    let md = write_blob(layout, &man);
    strata_testkit::write_index_json(
        layout,
        &[(strata_testkit::Blob { digest: md, size: man.len() as u64, media_type: "application/vnd.oci.image.manifest.v1+json".into() }, None, None)],
    );
    let err = engine_with(Limits::default()).scan(&format!("oci:{}", layout.display()), &ScanOptions::default()).unwrap_err();
    assert!(matches!(err, ScanError::Limit { kind: LimitKind::Entries, .. }), "{err}");
}

#[test]
fn garbage_layer_and_garbage_metadata() {
    // A layer blob that is not a tar at all.
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path();
    let garbage = b"this is not a tar archive, just text that goes on and on".repeat(20);
    let ld = write_blob(layout, &garbage);
    let config = serde_json::to_vec(&serde_json::json!({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[digest(&garbage)]}})).unwrap();
    let cd = write_blob(layout, &config);
    let man = serde_json::to_vec(&serde_json::json!({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":cd,"size":config.len()},
        "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":ld,"size":garbage.len()}]})).unwrap();
    let md = write_blob(layout, &man);
    strata_testkit::write_index_json(
        layout,
        &[(strata_testkit::Blob { digest: md, size: man.len() as u64, media_type: "application/vnd.oci.image.manifest.v1+json".into() }, None, None)],
    );
    let res = engine_with(Limits::default()).scan(&format!("oci:{}", layout.display()), &ScanOptions::default());
    assert!(res.is_err(), "a non-tar layer is an error");
    // index.json that is not JSON.
    std::fs::write(layout.join("index.json"), b"{not json").unwrap();
    let err = engine_with(Limits::default()).scan(&format!("oci:{}", layout.display()), &ScanOptions::default()).unwrap_err();
    assert!(matches!(err, ScanError::Image(_)), "{err}");
    // A docker archive that is an empty file.
    let empty = dir.path().join("empty.tar");
    std::fs::write(&empty, b"").unwrap();
    assert!(engine_with(Limits::default()).scan(&format!("docker-archive:{}", empty.display()), &ScanOptions::default()).is_err());
}

#[test]
fn nothing_is_written_outside_the_cache_dir() {
    let dir = tempfile::tempdir().unwrap();
    let cwd_before: Vec<_> = std::fs::read_dir(".").unwrap().flatten().map(|e| e.file_name()).collect();
    ImageBuilder::new()
        .layer(|l| l.file("../../../../tmp/strata-evil", "x").symlink("link", "/tmp/strata-evil2").file("/tmp/strata-evil3", "y"))
        .write_oci_layout(dir.path(), "x");
    let cache = tempfile::tempdir().unwrap();
    let probe = Probe::default();
    let _ = single(engine(&probe, Some(cache.path())).scan(&format!("oci:{}", dir.path().display()), &ScanOptions::default()).unwrap());
    for p in ["/tmp/strata-evil", "/tmp/strata-evil2", "/tmp/strata-evil3"] {
        assert!(!std::path::Path::new(p).exists(), "{p} must not be created");
    }
    let cwd_after: Vec<_> = std::fs::read_dir(".").unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(cwd_before.len(), cwd_after.len());
    let _ = (LayerBuilder::default(), compress(b"", Compression::None));
}
