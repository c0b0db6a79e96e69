#![no_main]
//! Red Hat CSAF VEX / advisories, AlmaLinux errata and Alpine secdb (JSON/YAML importers).
use libfuzzer_sys::fuzz_target;
use strata_vulndb::import::distro::{Format, parse};

fuzz_target!(|data: &[u8]| {
    let _ = parse(Format::Csaf, data, "cve.json");
    let _ = parse(Format::AlmaErrata, data, "alma/8/x.json");
    let _ = parse(Format::AlpineSecdb, data, "v3.18/main.yaml");
});
