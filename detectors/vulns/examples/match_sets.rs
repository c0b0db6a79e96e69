//! Runs the benchmark package sets through the matcher, for profiling (callgrind) and for
//! checking that optimisations keep the output byte-identical.
//!
//! `cargo run --release -p strata-detect-vulns --example match_sets -- SET [ITERATIONS] [--dump FILE] [--sequential] [--keep]`
//! with SET one of `synthetic`, `shared`, `ubuntu`, `ubuntu5000`, `debian`, `none` (opens the
//! database and builds the sets only: the baseline to subtract from instruction counts).

use std::sync::Arc;

use strata_core::Output;
use strata_detect_vulns::VulnAnalyzer;

#[path = "../tests/it/synthetic.rs"]
mod sets;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let set = args.first().map(String::as_str).unwrap_or("synthetic");
    let iterations: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    let dump = args.iter().position(|a| a == "--dump").and_then(|i| args.get(i + 1));
    let sequential = args.iter().any(|a| a == "--sequential");
    // Keep every run's output until the end (fresh memory for each run, as criterion's
    // `iter_with_large_drop` and a one-shot scan see it).
    let keep = args.iter().any(|a| a == "--keep");
    let mut kept = Vec::new();
    let t = std::time::Instant::now();
    let db = Arc::new(strata_vulndb_default::database());
    let opened = t.elapsed();
    let keys = db.keys().expect("keys");
    let (os, pkgs) = match set {
        "synthetic" => (sets::ubuntu_18_04(), sets::synthetic(&keys)),
        "shared" => (sets::ubuntu_18_04(), sets::shared_sources(&keys)),
        "ubuntu" => (sets::ubuntu_18_04(), sets::ubuntu_18_04_image(0)),
        "ubuntu5000" => (sets::ubuntu_18_04(), sets::ubuntu_18_04_image(5000)),
        "debian" => (sets::debian_12_os(), sets::debian_12(0)),
        _ => {
            eprintln!("opened the embedded database in {opened:.2?}");
            (sets::ubuntu_18_04(), Vec::new())
        }
    };
    let mut analyzer = VulnAnalyzer::new(db);
    if sequential {
        analyzer = analyzer.with_parallel_threshold(usize::MAX);
    }
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        if pkgs.is_empty() {
            break;
        }
        let mut out = Output::new();
        let t = std::time::Instant::now();
        analyzer.match_packages(Some(&os), &pkgs, &mut out);
        times.push(t.elapsed());
        if keep {
            kept.push(out);
            continue;
        }
        if let Some(path) = dump {
            let s = serde_json::to_string_pretty(&(out.findings(), out.diagnostics())).expect("json");
            std::fs::write(path, s).expect("write dump");
            eprintln!("{set}: {} packages, {} findings, {} diagnostics", pkgs.len(), out.findings().len(), out.diagnostics().len());
        }
    }
    times.sort();
    if let (Some(min), Some(mid)) = (times.first(), times.get(times.len() / 2)) {
        eprintln!("{set}: min {min:.1?}, median {mid:.1?} over {} runs", times.len());
    }
}
