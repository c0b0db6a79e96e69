#![no_main]
//! Any bytes as an installed `.gemspec`.

use libfuzzer_sys::fuzz_target;
use strata_detect_lang::parsers::gemspec;

fuzz_target!(|data: &[u8]| {
    let _ = gemspec::parse(data);
});
