#![no_main]
//! MANIFEST.MF main-section parsing and coordinate/license derivation.

use libfuzzer_sys::fuzz_target;
use strata_detect_java::{Manifest, jboss_from_product_manifest};

fuzz_target!(|data: &[u8]| {
    let m = Manifest::parse(data);
    let _ = m.coordinates();
    let _ = m.licenses();
    let _ = jboss_from_product_manifest(data);
});
