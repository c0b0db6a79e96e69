#![no_main]
//! Any bytes through the rpm header blob parser.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(package) = strata_rpmdb::parse_header(data) {
        let _ = package.evr();
    }
});
