#![no_main]
//! Debian security tracker text lists (DSA/DLA/DTSA) and the vuln-list JSON annotations.
use libfuzzer_sys::fuzz_target;
use strata_vulndb::import::distro::{DebianVulnList, Format, parse};

fuzz_target!(|data: &[u8]| {
    let _ = parse(Format::DebianList, data, "DSA.list");
    let _ = parse(Format::DebianTrackerJson, data, "json");
    let mut v = DebianVulnList::new();
    let _ = v.add_file("tracker/CVE/CVE-2021-1.json", data);
    let _ = v.add_file("tracker/source/bullseye/main/x.json", data);
    let _ = v.finish();
});
