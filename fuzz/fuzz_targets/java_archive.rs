#![no_main]
//! The Java zip walker (central directory, members, nested archives) on arbitrary bytes,
//! with small budgets so that nesting and limits are reached quickly.

use libfuzzer_sys::fuzz_target;
use strata_detect_java::{JavaConfig, scan_archive};

fuzz_target!(|data: &[u8]| {
    let cfg = JavaConfig { max_depth: 3, max_archive_bytes: 4 << 20, max_entries: 2000, sha1_index: None };
    let _ = scan_archive(&cfg, None, "/fuzz/app-1.0.jar", data);
});
