#![no_main]
//! Java properties / pom.properties parsing.

use libfuzzer_sys::fuzz_target;
use strata_detect_java::{PomProperties, parse_properties, tomcat_from_server_info};

fuzz_target!(|data: &[u8]| {
    let _ = parse_properties(data);
    let _ = PomProperties::parse(data);
    let _ = tomcat_from_server_info(data);
});
