#![no_main]
//! OVAL definitions (Red Hat OVAL v2), plain or bzip2-compressed, plus format detection.
use libfuzzer_sys::fuzz_target;
use strata_vulndb::import::distro::{Format, detect, parse};

fuzz_target!(|data: &[u8]| {
    let _ = parse(Format::Oval, data, "rhel-8.oval.xml");
    let _ = detect(data, "rhel-8.oval.xml.bz2");
});
