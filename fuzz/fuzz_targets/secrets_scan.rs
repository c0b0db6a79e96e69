//! Secret scanning of arbitrary bytes (binaries included): no panic, bounded output.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use strata_detect_secrets::{MAX_FINDINGS_PER_FILE, Scanner, SecretConfig};

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| {
        Scanner::new(&SecretConfig {
            scan_binaries: true,
            ..Default::default()
        })
        .expect("built-in rules compile")
    })
}

fuzz_target!(|data: &[u8]| {
    let res = scanner().scan("/fuzz/input.env", data);
    assert!(res.findings.len() <= MAX_FINDINGS_PER_FILE);
    for f in &res.findings {
        assert!(f.line.is_some_and(|l| l >= 1));
        assert_eq!(f.fingerprint.len(), 64);
    }
    // User configs are parsed from text too.
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(cfg) = SecretConfig::from_yaml_str(text) {
            let _ = Scanner::new(&cfg);
        }
    }
});
