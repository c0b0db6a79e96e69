#![no_main]
//! apk `installed` database parsing: no panic on any input.

use libfuzzer_sys::fuzz_target;
use strata_core::Output;

fuzz_target!(|data: &[u8]| {
    let mut out = Output::new();
    strata_detect_os::apk::parse_installed(data, "/lib/apk/db/installed", "os/apk", &mut out);
});
