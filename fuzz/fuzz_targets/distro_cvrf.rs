#![no_main]
//! CVRF 1.1 (SUSE, openSUSE, openEuler, EulerOS, HCE) and yum updateinfo.xml (plain or gzip).
use libfuzzer_sys::fuzz_target;
use strata_vulndb::import::distro::{Format, parse};

fuzz_target!(|data: &[u8]| {
    let _ = parse(Format::Cvrf, data, "cvrf.xml");
    let _ = parse(Format::Updateinfo, data, "updateinfo.xml");
});
