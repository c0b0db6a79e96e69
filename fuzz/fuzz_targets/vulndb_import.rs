#![no_main]
//! Format detection and the OSV/rubysec/composer/npm/KEV importers.
use libfuzzer_sys::fuzz_target;
use strata_vulndb::import;

fuzz_target!(|data: &[u8]| {
    let _ = import::detect(data);
    let _ = import::parse_file("fuzz", data);
    let _ = strata_vulndb::cvss::base_score(&String::from_utf8_lossy(data));
});
