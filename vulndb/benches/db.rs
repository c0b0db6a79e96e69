//! Opening the database and looking up 5,000 packages, on a database built from every
//! feed archive in vulndb-default/data (built once at start, written to a temp file).

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use strata_vulndb::{Builder, Database};

fn build_db() -> PathBuf {
    let data = PathBuf::from(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("../vulndb-default/data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".tar.zst"))
        .collect();
    files.sort();
    let mut b = Builder::new();
    for f in &files {
        b.add_path(f).unwrap();
    }
    let (bytes, _) = b.finish().unwrap();
    let out = std::env::temp_dir().join(format!("strata-vulndb-bench-{}.db", std::process::id()));
    std::fs::write(&out, bytes).unwrap();
    out
}

fn bench(c: &mut Criterion) {
    let path = build_db();
    c.bench_function("open", |b| b.iter(|| Database::open(&path).unwrap()));
    let db = Database::open(&path).unwrap();
    let keys = db.keys().unwrap();
    // 5,000 packages spread over every namespace (every n-th key).
    let step = (keys.len() / 5000).max(1);
    let sample: Vec<&(String, String)> = keys.iter().step_by(step).take(5000).collect();
    c.bench_function("lookup_5000_packages", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for (ns, pkg) in &sample {
                n += db.lookup(ns, pkg).unwrap().len();
            }
            n
        })
    });
    let _ = std::fs::remove_file(&path);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
