//! Scans a directory tree with the default rules and prints findings (a quick way to
//! look at false positives): `cargo run --release --example scan_dir -- DIR`.

use std::collections::BTreeMap;
use std::path::Path;

use strata_detect_secrets::{Scanner, SecretConfig};

fn walk(dir: &Path, scanner: &Scanner, counts: &mut BTreeMap<String, usize>, files: &mut usize) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let Ok(ft) = e.file_type() else { continue };
        let p = e.path();
        if ft.is_dir() {
            walk(&p, scanner, counts, files);
        } else if ft.is_file() {
            let Ok(meta) = e.metadata() else { continue };
            if meta.len() > 20 << 20 {
                continue;
            }
            let Ok(data) = std::fs::read(&p) else {
                continue;
            };
            *files += 1;
            let path = p.to_string_lossy();
            for f in scanner.scan(&path, &data).findings {
                *counts.entry(f.rule_id.clone()).or_default() += 1;
                println!(
                    "{}\t{}:{}\t{}",
                    f.rule_id,
                    path,
                    f.line.unwrap_or(0),
                    f.redacted
                );
            }
        }
    }
}

fn main() {
    let scanner = Scanner::new(&SecretConfig::default()).expect("rules compile");
    let mut counts = BTreeMap::new();
    let mut files = 0;
    for d in std::env::args().skip(1) {
        walk(Path::new(&d), &scanner, &mut counts, &mut files);
    }
    eprintln!("{files} files");
    for (r, n) in counts {
        eprintln!("{n:6} {r}");
    }
}
