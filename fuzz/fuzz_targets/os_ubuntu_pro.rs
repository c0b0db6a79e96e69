#![no_main]
//! Ubuntu Pro's status.json: no panic on any input, and every reported service name is a
//! short `[a-z0-9-]` word.

use libfuzzer_sys::fuzz_target;
use strata_detect_os::release::ubuntu_pro::enabled_services;

fuzz_target!(|data: &[u8]| {
    if let Ok(services) = enabled_services(data) {
        for s in services {
            assert!(!s.is_empty() && s.len() <= 64);
            assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        }
    }
});
