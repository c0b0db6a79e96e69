#![no_main]
//! Any bytes as an executable through the Go build-info reader (ELF walk, magic search,
//! pointer and varint formats, module-info text).

use libfuzzer_sys::fuzz_target;
use strata_detect_lang::parsers::{elf, gobuildinfo};

fuzz_target!(|data: &[u8]| {
    let _ = gobuildinfo::read(data);
    // Also as the contents of a well-formed `.go.buildinfo` section.
    let bin = elf::build_elf64(&[(".go.buildinfo", 0x1000, data)]);
    let _ = gobuildinfo::read(&bin);
    let _ = gobuildinfo::parse_modinfo(&String::from_utf8_lossy(data));
});
