#![no_main]
//! pom.xml scanning (entities never expanded) and property resolution.

use libfuzzer_sys::fuzz_target;
use strata_detect_java::PomXml;

fuzz_target!(|data: &[u8]| {
    let _ = PomXml::parse(data).coordinates();
});
