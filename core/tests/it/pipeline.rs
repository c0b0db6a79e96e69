//! Dispatch, body caps, detector panics, the layer cache, cancellation.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use strata_core::{Cancel, Progress, ScanError, ScanOptions};
use strata_testkit::{ImageBuilder, Probe};

use crate::common::{codes, contents, engine, single};

fn image(dir: &std::path::Path) {
    ImageBuilder::new()
        .layer(|l| l.file("a", "aaaa").file("big", vec![b'z'; 10_000]).file("panic", "x"))
        .layer(|l| l.file("b", "bb"))
        .write_oci_layout(dir, "latest");
}

#[test]
fn bodies_are_read_once_and_capped() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path());
    let probe = Probe { max_bytes: Some(100), ..Default::default() };
    let r = single(engine(&probe, None).scan(&format!("oci:{}", dir.path().display()), &ScanOptions::default()).unwrap());
    let mut seen = probe.seen.lock().unwrap().clone();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("/a".to_owned(), 4, false),
            ("/b".to_owned(), 2, false),
            ("/big".to_owned(), 100, true),
            ("/panic".to_owned(), 1, false)
        ]
    );
    assert_eq!(r.stats.bodies_read, 4);
}

#[test]
fn text_only_detectors_get_no_binaries_and_binaries_are_not_read_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut early_nul = vec![b'x'; 100_000];
    early_nul[5_000] = 0; // past the 512-byte peek, inside the 8 KiB sniff
    let mut late_nul = vec![b'y'; 20_000];
    late_nul[9_000] = 0; // past the sniff: text, as the secrets scanner sees it
    ImageBuilder::new()
        .layer(|l| {
            l.file("text", "hello")
                .file("elf", b"\x7fELF\0\0\0\0")
                .file("early", early_nul)
                .file("late", late_nul)
                .file("empty", "")
        })
        .write_oci_layout(dir.path(), "latest");
    let target = format!("oci:{}", dir.path().display());
    let probe = Probe { text_only: true, ..Default::default() };
    let r = single(engine(&probe, None).scan(&target, &ScanOptions::default()).unwrap());
    let mut seen = probe.seen.lock().unwrap().clone();
    seen.sort();
    assert_eq!(
        seen,
        vec![("/empty".to_owned(), 0, false), ("/late".to_owned(), 20_000, false), ("/text".to_owned(), 5, false)]
    );
    assert_eq!(r.stats.bodies_read, 3);
    // The same detector without the flag gets every file.
    let all = Probe::default();
    let r = single(engine(&all, None).scan(&target, &ScanOptions::default()).unwrap());
    assert_eq!(all.seen.lock().unwrap().len(), 5);
    assert_eq!(r.stats.bodies_read, 5);
}

#[test]
fn a_panicking_detector_becomes_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path());
    let probe = Probe { panic_on_name: true, ..Default::default() };
    let r = single(engine(&probe, None).scan(&format!("oci:{}", dir.path().display()), &ScanOptions::default()).unwrap());
    assert!(codes(&r).contains(&"detector-panic".to_owned()));
    // The other layer is unaffected.
    assert!(contents(&r).contains_key("/b"));
}

#[test]
fn second_scan_is_served_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path());
    let cache = tempfile::tempdir().unwrap();
    let target = format!("oci:{}", dir.path().display());
    let probe = Probe::default();
    let e = engine(&probe, Some(cache.path()));
    let first = single(e.scan(&target, &ScanOptions::default()).unwrap());
    assert_eq!((first.stats.layers_read, first.stats.layers_cached), (2, 0));
    let bodies_after_first = probe.seen.lock().unwrap().len();
    let second = single(e.scan(&target, &ScanOptions::default()).unwrap());
    assert_eq!((second.stats.layers_read, second.stats.layers_cached), (0, 2));
    assert_eq!(probe.seen.lock().unwrap().len(), bodies_after_first, "no body read on a cache hit");
    assert_eq!(contents(&first), contents(&second));
    assert_eq!(first.files, second.files);
    // Another image sharing the base layer reads only its own layer.
    let dir2 = tempfile::tempdir().unwrap();
    ImageBuilder::new()
        .layer(|l| l.file("a", "aaaa").file("big", vec![b'z'; 10_000]).file("panic", "x"))
        .layer(|l| l.file("c", "other top"))
        .write_oci_layout(dir2.path(), "latest");
    let third = single(e.scan(&format!("oci:{}", dir2.path().display()), &ScanOptions::default()).unwrap());
    assert_eq!((third.stats.layers_read, third.stats.layers_cached), (1, 1));
}

#[test]
fn concurrent_scans_share_one_cache_directory() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path());
    let cache = tempfile::tempdir().unwrap();
    let target = format!("oci:{}", dir.path().display());
    let reports: Vec<_> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let probe = Probe::default();
                    single(engine(&probe, Some(cache.path())).scan(&target, &ScanOptions::default()).unwrap())
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in &reports {
        assert_eq!(contents(r), contents(&reports[0]));
    }
    // Every entry in the cache is a complete, readable file (no temp leftovers).
    let mut n = 0;
    for e in walk(cache.path()) {
        assert!(e.to_string_lossy().ends_with(".json.gz"), "stray file {e:?}");
        n += 1;
    }
    assert_eq!(n, 2);
}

fn walk(p: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(p).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn cache_size_cap_evicts() {
    let cache = tempfile::tempdir().unwrap();
    let e = strata_core::Engine::builder()
        .detector(Box::new(Probe::default()))
        .cache(Some(strata_core::CacheConfig { dir: cache.path().to_owned(), max_bytes: 1 }))
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    image(dir.path());
    e.scan(&format!("oci:{}", dir.path().display()), &ScanOptions::default()).unwrap();
    assert!(walk(cache.path()).len() <= 1, "a 1-byte cap keeps at most the entry just written");
}

#[test]
fn cancellation_stops_the_scan_and_progress_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path());
    let probe = Probe::default();
    let e = engine(&probe, None);
    let cancel = Cancel::new();
    cancel.cancel();
    let opts = ScanOptions { cancel, ..Default::default() };
    assert!(matches!(e.scan(&format!("oci:{}", dir.path().display()), &opts), Err(ScanError::Cancelled)));
    let started = Arc::new(AtomicUsize::new(0));
    let s2 = started.clone();
    let opts = ScanOptions {
        progress: Some(Arc::new(move |p: &Progress| {
            if matches!(p, Progress::LayerFinished { .. }) {
                s2.fetch_add(1, Ordering::SeqCst);
            }
        })),
        ..Default::default()
    };
    e.scan(&format!("oci:{}", dir.path().display()), &opts).unwrap();
    assert_eq!(started.load(Ordering::SeqCst), 2);
}
