//! OS package inventory cost: reading a dpkg status file and rpm databases through the
//! detectors' public parsers, and the share of a whole scan that the detectors take on a
//! real image.
//!
//! `cargo bench -p strata-benches --bench inventory` (images from
//! scripts/build-test-images.sh, `STRATA_BIG=1` for the `big` one; the rpm fixtures from
//! rpmdb/testdata). Inputs:
//!
//! * dpkg: the real `/var/lib/dpkg/status` of the `apps` image (151 packages) and of `big`
//!   when built; `synthetic-1000`: apps' paragraphs repeated with renamed packages until
//!   there are at least 1,000 (the per-package cost of a real paragraph mix);
//! * rpm: go-rpmdb's real SQLite (129 packages), NDB (35) and BerkeleyDB (1) databases, and
//!   `sqlite-x8` (1,032 rows): the 129 real header blobs written 8 times into a new SQLite
//!   `Packages(hnum, blob)` table by Python's `sqlite3` (skipped without python3);
//! * scan: one image (`STRATA_BENCH_IMAGE`, default `apps`) with no detector, with each
//!   scanner group alone, and with all of them (no cache).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use strata::{Engine, ScanOptions, Scanner, ScannerOptions};
use strata_detect_os::dpkg::{StatusKind, parse_status};

fn images_dir() -> PathBuf {
    std::env::var_os("STRATA_IMAGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/strata-images")
        })
}

fn repo() -> PathBuf {
    PathBuf::from(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("..")
}

/// Parses a status body, returning how many packages it gave.
fn dpkg(data: &[u8]) -> usize {
    let mut out = strata::Output::new();
    parse_status(
        data,
        StatusKind::Status,
        "/var/lib/dpkg/status",
        "os/dpkg",
        &mut out,
    );
    out.findings().len()
}

/// `status` repeated with `Package: NAME` renamed to `NAME-copyN` until `target` packages.
fn replicate_status(status: &[u8], target: usize) -> Vec<u8> {
    let text = String::from_utf8_lossy(status);
    let paras: Vec<&str> = text
        .split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.is_empty())
        .collect();
    let mut out = String::new();
    let mut n = 0;
    let mut copy = 0;
    while n < target {
        for p in &paras {
            if copy == 0 {
                out.push_str(p);
            } else {
                for line in p.lines() {
                    match line.strip_prefix("Package: ") {
                        Some(name) => out.push_str(&format!("Package: {name}-copy{copy}")),
                        None => out.push_str(line),
                    }
                    out.push('\n');
                }
            }
            out.push_str("\n\n");
            n += 1;
        }
        copy += 1;
    }
    out.into_bytes()
}

/// The 129-package SQLite rpm database with its header blobs written `times` times into a
/// fresh database, by Python's sqlite3 module.
fn replicate_sqlite(src: &Path, dst: &Path, times: usize) -> bool {
    let script = r#"
import sqlite3, sys
src, dst, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
blobs = [b for (b,) in sqlite3.connect(src).execute("SELECT blob FROM Packages ORDER BY hnum")]
db = sqlite3.connect(dst)
db.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)")
db.executemany("INSERT INTO Packages (blob) VALUES (?)", [(b,) for _ in range(times) for b in blobs])
db.commit()
db.close()
"#;
    std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(src)
        .arg(dst)
        .arg(times.to_string())
        .status()
        .is_ok_and(|s| s.success())
}

fn dpkg_benches(c: &mut Criterion) {
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for image in ["apps", "big"] {
        match std::fs::read(images_dir().join(format!("{image}.rootfs/var/lib/dpkg/status"))) {
            Ok(data) => inputs.push((image.to_owned(), data)),
            Err(_) => eprintln!("{image}: not built, skipped (scripts/build-test-images.sh)"),
        }
    }
    if let Some((_, apps)) = inputs.iter().find(|(n, _)| n == "apps") {
        let synth = replicate_status(apps, 1_000);
        inputs.push(("synthetic-1000".into(), synth));
    }
    let mut g = c.benchmark_group("dpkg-status");
    for (name, data) in &inputs {
        let n = dpkg(data);
        assert!(n > 0, "{name}: no package parsed");
        println!(
            "dpkg-status/{name}: {n} packages, {} KiB",
            data.len() / 1024
        );
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{name}-{n}")),
            data,
            |b, d| b.iter(|| dpkg(black_box(d))),
        );
    }
    g.finish();
}

fn rpm_benches(c: &mut Criterion) {
    let testdata = repo().join("rpmdb/testdata");
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, file) in [
        ("sqlite", "sqlite-cbl-mariner-2.0/rpmdb.sqlite"),
        ("ndb", "ndb-sle15-bci/Packages.db"),
        ("bdb", "bdb-rhel8-libuuid/Packages"),
    ] {
        inputs.push((
            name.into(),
            std::fs::read(testdata.join(file)).expect("rpmdb/testdata fixture"),
        ));
    }
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("rpmdb.sqlite");
    if replicate_sqlite(
        &testdata.join("sqlite-cbl-mariner-2.0/rpmdb.sqlite"),
        &big,
        8,
    ) {
        inputs.push(("sqlite-x8".into(), std::fs::read(&big).unwrap()));
    } else {
        eprintln!("sqlite-x8: python3 with sqlite3 unavailable, skipped");
    }
    let mut g = c.benchmark_group("rpmdb");
    for (name, data) in &inputs {
        let (pkgs, problems) = strata_rpmdb::read_packages(data).unwrap();
        assert!(problems.is_empty(), "{name}: {problems:?}");
        let n = pkgs.len();
        println!("rpmdb/{name}: {n} packages, {} KiB", data.len() / 1024);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{name}-{n}")),
            data,
            |b, d| b.iter(|| strata_rpmdb::read_packages(black_box(d)).unwrap().0.len()),
        );
    }
    g.finish();
}

fn scan_benches(c: &mut Criterion) {
    let image = std::env::var("STRATA_BENCH_IMAGE").unwrap_or_else(|_| "apps".into());
    let layout = images_dir().join(format!("{image}.oci"));
    if !layout.join("index.json").exists() {
        eprintln!("{image}: not built, scan benchmarks skipped (scripts/build-test-images.sh)");
        return;
    }
    let target = format!("oci:{}", layout.display());
    let mut g = c.benchmark_group(format!("scan-{image}"));
    g.sample_size(10);
    let bare = Engine::builder().build().unwrap();
    g.bench_function("no-detectors", |b| {
        b.iter(|| bare.scan(&target, &ScanOptions::default()).unwrap())
    });
    let scanner = Scanner::new(&ScannerOptions {
        cache: None,
        ..Default::default()
    })
    .unwrap();
    for group in ["os", "lang", "secret"] {
        let opts = ScanOptions {
            scanners: Some(vec![group.to_owned()]),
            ..Default::default()
        };
        g.bench_function(format!("only-{group}"), |b| {
            b.iter(|| scanner.scan(&target, &opts).unwrap())
        });
    }
    g.bench_function("all-detectors", |b| {
        b.iter(|| scanner.scan(&target, &ScanOptions::default()).unwrap())
    });
    g.finish();
}

criterion_group!(benches, dpkg_benches, rpm_benches, scan_benches);
criterion_main!(benches);
