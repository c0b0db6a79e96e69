#![no_main]
//! Any bytes as Python core metadata (METADATA / PKG-INFO) and as a zipped `.egg`.

use libfuzzer_sys::fuzz_target;
use strata_detect_lang::parsers::{python, zip};

fuzz_target!(|data: &[u8]| {
    let _ = python::parse_metadata(data);
    if let Ok(Some(member)) = zip::read_member(data, "EGG-INFO/PKG-INFO", 1 << 20) {
        let _ = python::parse_metadata(&member);
    }
});
