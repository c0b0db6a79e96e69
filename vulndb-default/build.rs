//! Compiles every feed archive in `data/` into the database embedded by `src/lib.rs`.
//! Archives are imported on two threads (one builder each) and merged.

use std::path::{Path, PathBuf};

fn main() {
    let data = Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("data");
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&data)
        .expect("vulndb-default/data is missing")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".tar.zst"))
        .collect();
    files.sort();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("default.vulndb");
    let t = std::time::Instant::now();
    // Largest archives first, spread over two workers.
    files.sort_by_key(|f| std::cmp::Reverse(std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)));
    let mut halves: [Vec<PathBuf>; 2] = [Vec::new(), Vec::new()];
    let mut sizes = [0u64; 2];
    for f in files {
        let i = usize::from(sizes[1] < sizes[0]);
        sizes[i] += std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
        halves[i].push(f);
    }
    let parsed: Vec<strata_vulndb::Builder> = std::thread::scope(|s| {
        let handles: Vec<_> = halves
            .iter()
            .map(|list| {
                s.spawn(move || {
                    let mut b = strata_vulndb::Builder::new();
                    for f in list {
                        b.add_path(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
                    }
                    b
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("import thread")).collect()
    });
    let mut it = parsed.into_iter();
    let mut all = it.next().expect("one builder");
    for b in it {
        all.absorb(b);
    }
    let (bytes, report) = all.finish().expect("building the default database");
    std::fs::write(&out, &bytes).expect("writing the default database");
    let summary = format!(
        "default vulnerability database: {} advisories, {} packages, {} bytes, {} files ({} unrecognised, {} errors) in {:?}\n{report:#?}\n",
        report.info.advisories,
        report.info.packages,
        report.bytes,
        report.files,
        report.unrecognised,
        report.error_count,
        t.elapsed()
    );
    // Kept beside the database (not printed: a build warning on every clean build would
    // drown real ones); `strata_vulndb_default::build_report()` returns it.
    std::fs::write(out.with_file_name("build-report.txt"), summary).expect("writing the build report");
    if report.error_count > 0 {
        println!("cargo:warning=default vulnerability database: {} feed files failed to import", report.error_count);
    }
}
