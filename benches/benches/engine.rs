//! Engine overhead on synthetic images: dispatch cost with no detector, with a detector that
//! wants every file, and with the default detector set; layer cache hits.

use criterion::{Criterion, criterion_group, criterion_main};
use strata::{Engine, ScanOptions, Scanner, ScannerOptions};
use strata_testkit::{Compression, ImageBuilder, Probe};

fn image(dir: &std::path::Path, files: usize) {
    let mut b = ImageBuilder::new().compression(Compression::Gzip);
    for layer in 0..3 {
        b = b.layer(|mut l| {
            for i in 0..files {
                l = l.file(format!("usr/share/l{layer}/d{}/f{i}.txt", i % 50), format!("line {i}\nPASSWORD=notasecret{i}\n").repeat(20));
            }
            l
        });
    }
    b.write_oci_layout(dir, "bench");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), 5_000);
    let target = format!("oci:{}", dir.path().display());
    let mut g = c.benchmark_group("scan-15k-files");
    g.sample_size(10);
    let bare = Engine::builder().build().unwrap();
    g.bench_function("no-detectors", |b| b.iter(|| bare.scan(&target, &ScanOptions::default()).unwrap()));
    let probe = Engine::builder().detector(Box::new(Probe::default())).build().unwrap();
    g.bench_function("probe-every-file", |b| b.iter(|| probe.scan(&target, &ScanOptions::default()).unwrap()));
    let opts = ScannerOptions { cache: None, ..Default::default() };
    let scanner = Scanner::new(&opts).unwrap();
    g.bench_function("default-detectors", |b| b.iter(|| scanner.scan(&target, &ScanOptions::default()).unwrap()));
    let cache = tempfile::tempdir().unwrap();
    let opts = ScannerOptions {
        cache: Some(strata::CacheConfig { dir: cache.path().to_owned(), max_bytes: 1 << 30 }),
        ..Default::default()
    };
    let cached = Scanner::new(&opts).unwrap();
    cached.scan(&target, &ScanOptions::default()).unwrap();
    g.bench_function("default-detectors-cached", |b| b.iter(|| cached.scan(&target, &ScanOptions::default()).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
