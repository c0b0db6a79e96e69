#![no_main]
//! Any bytes as `package-lock.json` (v1-v3), `package.json` and composer/deps.json files.

use libfuzzer_sys::fuzz_target;
use strata_detect_lang::parsers::{composer, dotnet, npm};

fuzz_target!(|data: &[u8]| {
    let _ = npm::parse_lock(data);
    let _ = npm::parse_package_json(data);
    let _ = composer::parse_lock(data);
    let _ = composer::parse_installed(data);
    let _ = dotnet::parse(data);
});
