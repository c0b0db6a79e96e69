//! Scans a target with the language detectors only and prints one package per line
//! (detector, name, version, purl, path, licenses, direct, dev), then the diagnostics.
//!
//! `cargo run -p strata-detect-lang --example scan -- dir:/usr/lib/python3`

use strata_core::{Engine, ScanOptions};
use strata_detect_lang::{LangConfig, detectors};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = std::env::args().nth(1).ok_or("usage: scan TARGET")?;
    let engine = Engine::builder()
        .detectors(detectors(&LangConfig::default()))
        .cache(None)
        .build()?;
    let out = engine.scan(&target, &ScanOptions::default())?;
    for report in out.reports() {
        for p in &report.packages {
            println!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                p.detector,
                p.name,
                p.version,
                p.purl.as_deref().unwrap_or(""),
                p.origin.path,
                p.licenses.join(";"),
                p.direct
                    .map_or("", |d| if d { "direct" } else { "indirect" }),
                p.properties.get("dev").map_or("", |_| "dev")
            );
        }
        for d in &report.diagnostics {
            eprintln!(
                "{} {} {}",
                d.code,
                d.path.as_deref().unwrap_or(""),
                d.message
            );
        }
    }
    Ok(())
}
