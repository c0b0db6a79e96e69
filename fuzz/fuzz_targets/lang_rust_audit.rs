#![no_main]
//! Any bytes through the cargo-auditable reader: as an executable, as a compressed
//! `.dep-v0` payload (capped inflate), and as its JSON.

use libfuzzer_sys::fuzz_target;
use strata_detect_lang::parsers::rustaudit;

fuzz_target!(|data: &[u8]| {
    if let Ok(Some(section)) = rustaudit::find_section(data) {
        let _ = rustaudit::parse_compressed(section, 1 << 20);
    }
    let _ = rustaudit::parse_compressed(data, 1 << 20);
    let _ = rustaudit::parse_json(data);
});
