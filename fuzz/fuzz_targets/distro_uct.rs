#![no_main]
//! Ubuntu CVE Tracker files and tar(.zst) archives of them.
use libfuzzer_sys::fuzz_target;
use strata_vulndb::import::distro::{Format, parse};

fuzz_target!(|data: &[u8]| {
    let _ = parse(Format::UbuntuCve, data, "active/CVE-2020-0001");
    let _ = parse(Format::UbuntuCveArchive, data, "active.tar.zst");
});
