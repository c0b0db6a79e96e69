//! Matching against the embedded default database (package sets in `tests/it/synthetic.rs`).
//!
//! - `match_5000_synthetic`: the worst case: 2,500 `ubuntu:18.04` keys as deb packages
//!   (one binary per source) and 2,500 language packages (PyPI, npm, Maven, Go, crates.io,
//!   RubyGems, Packagist), all at old versions: about 32,000 findings.
//! - `match_5000_shared_sources`: an Ubuntu 18.04 image's shape, where several binary
//!   packages come from one source package (`libssl1.1`, `libssl-dev`, `openssl` from
//!   `openssl`): 1,000 sources with 5 binaries each, at old source versions (~97,000
//!   findings).
//! - `match_5000_ubuntu_image`: a real Ubuntu 18.04 image's 90 packages (Trivy's dpkg
//!   fixture) repeated with distinct origins to 5,000 (~21,000 findings).
//! - `match_debian12_image`: a real Debian 12 image's 799 packages; the embedded data has
//!   no Debian 12, so this is lookups only.
//! - `match_5000_synthetic_sequential`: the worst case on one thread.
//!
//! Measured on the 2-core development machine (shared with other builds, ±10 %), same
//! minute, before and after the parallel, parse-once matcher: synthetic 148 -> 84 ms,
//! shared sources 199 -> 153 ms, Ubuntu image x55 ~43 ms (unchanged here: fresh memory for
//! every run's findings makes page faults and copying the owned text dominate; ~30 ms when
//! memory is reused), Debian 12 image 1.28 -> 1.25 ms, synthetic on one thread 150 -> 125 ms.
//! Instruction counts (callgrind, one thread, `examples/match_sets.rs`): synthetic
//! 700 -> 543 M, shared sources 778 -> 623 M, Ubuntu image x55 152 -> 128 M.
//!
//! Then findings sharing their advisory's text (`Arc`s in `Vulnerability`), same minutes,
//! four runs each: synthetic 87-102 -> 78-87 ms, shared sources 151-171 -> 124-139 ms,
//! Ubuntu image x55 48-52 -> 34-38 ms, Debian 12 image 1.39-1.43 -> 0.93-0.95 ms,
//! synthetic on one thread 121-129 -> 109-120 ms; instructions 544 -> 493 M, 623 -> 364 M,
//! 127 -> 74 M.
//!
//! Then findings built and deduplicated on the worker threads (per run of packages), same
//! minutes, two runs each, with the 2 cores loaded by other builds (load average 3.7):
//! synthetic 120-128 -> 120-127 ms, shared sources 157-162 -> 117-127 ms, Ubuntu image x55
//! 32-37 -> 27-29 ms, Debian 12 image 1.23-1.25 -> 1.26 ms, synthetic on one thread
//! 113-126 -> 118-132 ms; instructions without the drop 511 -> 522 M (synthetic), 389 -> 387 M
//! (shared sources).
//!
//! Then (one session, quiet machine, criterion medians; callgrind one thread, synthetic):
//! findings sharing their package's identity, the version validated in phase 1, advisories
//! of one package side by side in the database, short-string runs validated at once,
//! `strata-version` parsing Composer constraints and Maven versions without allocating,
//! `Finding::Package` boxed, per-worker constraint caches, slots built by index into the
//! output, listed Maven versions pre-filtered by their first number: synthetic 77.6 ->
//! 55-59 ms, shared sources 93 -> 55-60 ms, Ubuntu image x55 27.6 -> 12-15 ms, Debian 12
//! image 1.0 -> 0.56-0.63 ms, synthetic on one thread 121.6 -> 72-76 ms; instructions in
//! `match_packages` 502 -> 319 M.
//!
//! Then (one session, quiet machine, criterion medians of two runs): fewer small
//! allocations per finding (references as one `UrlList`, fixed versions and solutions shared
//! per lookup and package, CVSS lists shared per run), no reference counting in phase-3
//! slots, one constraint cache per pool thread, event indices sorted instead of parsed
//! versions, `introduced 0 / fixed X` as one comparison, the advisory set by bitmap and
//! rank, results released in parallel, sized walk buffers: synthetic 55-59 -> 44.7-47.0 ms,
//! shared sources 55-60 -> 40.4-40.8 ms, Ubuntu image x55 12-15 -> 10.9-13.4 ms, Debian 12
//! image 0.56-0.63 -> 0.57-0.64 ms, synthetic on one thread 72-76 -> 66.9-67.0 ms;
//! instructions 319 -> 289 M.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use strata_core::Output;
use strata_detect_vulns::VulnAnalyzer;

#[path = "../tests/it/synthetic.rs"]
mod sets;

fn bench(c: &mut Criterion) {
    let db = Arc::new(strata_vulndb_default::database());
    let keys = db.keys().expect("keys");
    let ubuntu = sets::ubuntu_18_04();
    let debian = sets::debian_12_os();
    let analyzer = VulnAnalyzer::new(db.clone());
    let sequential = VulnAnalyzer::new(db).with_parallel_threshold(usize::MAX);
    let cases = [
        ("match_5000_synthetic", &analyzer, &ubuntu, sets::synthetic(&keys)),
        ("match_5000_shared_sources", &analyzer, &ubuntu, sets::shared_sources(&keys)),
        ("match_5000_ubuntu_image", &analyzer, &ubuntu, sets::ubuntu_18_04_image(5000)),
        ("match_debian12_image", &analyzer, &debian, sets::debian_12(0)),
        ("match_5000_synthetic_sequential", &sequential, &ubuntu, sets::synthetic(&keys)),
    ];
    for (name, analyzer, os, pkgs) in &cases {
        // The findings are the caller's: freeing them is not part of matching.
        c.bench_function(name, |b| {
            b.iter_with_large_drop(|| {
                let mut out = Output::new();
                analyzer.match_packages(Some(os), pkgs, &mut out);
                out
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
