//! Matching 5,000 packages against the embedded default database.
//!
//! - `match_5000_synthetic`: the packages `tests/it/default_db.rs` builds: 2,500
//!   `ubuntu:18.04` keys as deb packages (one binary per source) and 2,500 language
//!   packages (PyPI, npm, Maven, Go, crates.io, RubyGems, Packagist), all at old versions:
//!   about 32,000 findings.
//! - `match_5000_shared_sources`: an Ubuntu 18.04 image's shape, where several binary
//!   packages come from one source package (`libssl1.1`, `libssl-dev`, `openssl` from
//!   `openssl`): 1,000 sources with 5 binaries each, at old source versions.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use strata_core::{Ecosystem, OsInfo, Output, Package};
use strata_detect_vulns::VulnAnalyzer;

#[path = "../tests/it/synthetic.rs"]
mod synthetic_set;
use synthetic_set::synthetic;


fn shared_sources(keys: &[(String, String)]) -> Vec<Package> {
    let mut pkgs = Vec::new();
    for (_, src) in keys.iter().filter(|(ns, _)| ns == "ubuntu:18.04").take(1000) {
        for (i, bin) in [format!("lib{src}0"), format!("lib{src}-dev"), src.to_string(), format!("{src}-doc"), format!("{src}-common")]
            .into_iter()
            .enumerate()
        {
            pkgs.push(Package {
                name: bin,
                version: "1.0-1ubuntu1".into(),
                ecosystem: Ecosystem::Deb,
                arch: Some(if i == 3 { "all" } else { "amd64" }.into()),
                source_name: Some(src.clone()),
                source_version: Some("1.0-1ubuntu1".into()),
                ..Default::default()
            });
        }
    }
    pkgs
}

fn bench(c: &mut Criterion) {
    let db = Arc::new(strata_vulndb_default::database());
    let keys = db.keys().expect("keys");
    let os = OsInfo { family: "ubuntu".into(), version: "18.04".into(), ..Default::default() };
    let analyzer = VulnAnalyzer::new(db);
    for (name, pkgs) in [("match_5000_synthetic", synthetic(&keys)), ("match_5000_shared_sources", shared_sources(&keys))] {
        // The findings are the caller's: freeing them is not part of matching.
        c.bench_function(name, |b| {
            b.iter_with_large_drop(|| {
                let mut out = Output::new();
                analyzer.match_packages(Some(&os), &pkgs, &mut out);
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
