//! Scan time and peak RSS on real images: `strata scan` (all detectors, no cache) against a
//! bare inflate of the same layer blobs (the physical limit) and against Trivy 0.76 on the
//! same image. Not a test: it prints ratios.
//!
//! `cargo bench -p strata-benches --bench peers` (images from scripts/build-test-images.sh;
//! `STRATA_BENCH_IMAGES=apps,layered` to choose; needs a release `strata` binary, built
//! here if missing).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn images_dir() -> PathBuf {
    std::env::var_os("STRATA_IMAGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/strata-images"))
}

/// Inflates every layer blob of an OCI layout to a sink; returns (seconds, uncompressed bytes).
fn bare_inflate(layout: &Path) -> (f64, u64) {
    let idx: serde_json::Value = serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    let blob = |d: &str| layout.join("blobs/sha256").join(d.trim_start_matches("sha256:"));
    let mut manifests = vec![idx["manifests"][0]["digest"].as_str().unwrap().to_owned()];
    let start = Instant::now();
    let mut total = 0u64;
    while let Some(m) = manifests.pop() {
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(blob(&m)).unwrap()).unwrap();
        if let Some(ms) = doc["manifests"].as_array() {
            manifests.extend(ms.iter().filter_map(|x| x["digest"].as_str().map(str::to_owned)));
            continue;
        }
        for l in doc["layers"].as_array().into_iter().flatten() {
            let f = std::fs::File::open(blob(l["digest"].as_str().unwrap())).unwrap();
            let mut head = [0u8; 4];
            let mut f = std::io::BufReader::with_capacity(256 << 10, f);
            let n = { let buf = std::io::BufRead::fill_buf(&mut f).unwrap(); let n = buf.len().min(4); head[..n].copy_from_slice(&buf[..n]); n };
            let mut r: Box<dyn Read> = if n >= 2 && head[..2] == [0x1f, 0x8b] {
                Box::new(flate2::read::MultiGzDecoder::new(f))
            } else if n == 4 && head == [0x28, 0xb5, 0x2f, 0xfd] {
                Box::new(ruzstd::decoding::StreamingDecoder::new(f).unwrap())
            } else {
                Box::new(f)
            };
            total += std::io::copy(&mut r, &mut std::io::sink()).unwrap();
        }
    }
    (start.elapsed().as_secs_f64(), total)
}

/// Runs a command under GNU time; returns (seconds, peak RSS in KiB).
fn timed(cmd: &mut Command) -> Option<(f64, u64)> {
    let out_file = tempfile::NamedTempFile::new().ok()?;
    let mut wrapped = Command::new("/usr/bin/time");
    wrapped.arg("-v").arg("-o").arg(out_file.path()).arg(cmd.get_program()).args(cmd.get_args());
    wrapped.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    let start = Instant::now();
    let status = wrapped.status().ok()?;
    let secs = start.elapsed().as_secs_f64();
    if !status.success() {
        eprintln!("  (command failed: {:?})", cmd);
    }
    let text = std::fs::read_to_string(out_file.path()).ok()?;
    let rss = text.lines().find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): ")?.parse().ok())?;
    Some((secs, rss))
}

fn main() {
    let root = PathBuf::from(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("..");
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let strata = target_dir.join("release/strata");
    if !strata.exists() {
        let ok = Command::new("cargo").args(["build", "--release", "-p", "strata-cli"]).current_dir(&root).status().map(|s| s.success()).unwrap_or(false);
        assert!(ok, "cannot build the release strata binary");
    }
    let names = std::env::var("STRATA_BENCH_IMAGES").unwrap_or_else(|_| "minbase,layered,apps,big".into());
    println!("{:<10} {:>9} {:>9} {:>9} {:>9} {:>7} {:>9} {:>9} {:>7}", "image", "MiB", "inflate", "strata", "ratio", "RSS-MiB", "trivy", "ratio", "RSS-MiB");
    for name in names.split(',') {
        let layout = images_dir().join(format!("{name}.oci"));
        if !layout.join("index.json").exists() {
            println!("{name:<10} (not built)");
            continue;
        }
        let (inflate, bytes) = bare_inflate(&layout);
        let s = timed(Command::new(&strata).args(["scan", "--no-cache", "--quiet", "-f", "json", "-o", "/dev/null"]).arg(format!("oci:{}", layout.display())));
        let archive = images_dir().join(format!("{name}.tar"));
        let t = if archive.exists() {
            let cache = tempfile::tempdir().unwrap();
            timed(Command::new("trivy").args(["image", "--input"]).arg(&archive).args([
                "--offline-scan", "--skip-db-update", "--skip-java-db-update", "--skip-version-check",
                "--scanners", "secret", "--list-all-pkgs", "--format", "json", "--quiet", "--cache-dir",
            ]).arg(cache.path()))
        } else {
            None
        };
        let (ss, sr) = s.unwrap_or((f64::NAN, 0));
        let (ts, tr) = t.unwrap_or((f64::NAN, 0));
        println!(
            "{name:<10} {:>9.1} {:>8.2}s {:>8.2}s {:>8.2}x {:>7} {:>8.2}s {:>8.2}x {:>7}",
            bytes as f64 / 1048576.0, inflate, ss, ss / inflate, sr / 1024, ts, ts / inflate, tr / 1024
        );
    }
}
