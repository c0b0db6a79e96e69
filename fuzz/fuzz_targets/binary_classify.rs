//! The binary classifiers over arbitrary bytes (ELF magic prepended so the patterns run),
//! under each classifier's file names: a classification or nothing, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "/usr/sbin/nginx", "/usr/bin/redis-server", "/usr/bin/python3.11", "/usr/lib/libnode.so.108",
    "/usr/bin/java", "/usr/lib/libssl.so.3", "/usr/sbin/haproxy", "/usr/sbin/mariadbd", "/usr/bin/perl",
];

fuzz_target!(|data: &[u8]| {
    let mut elf = b"\x7fELF".to_vec();
    elf.extend_from_slice(data);
    for name in NAMES {
        if let Some(c) = strata_detect_binary::classify(name, &elf) {
            assert!(!c.version.is_empty());
        }
    }
});
