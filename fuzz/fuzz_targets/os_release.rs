#![no_main]
//! Release files of every kind (os-release, lsb-release, *-release lines, SuSE-release,
//! UOS os-version, alpine-release, debian_version): no panic on any input.

use libfuzzer_sys::fuzz_target;
use strata_detect_os::release::{RELEASE_PATHS, ReleaseFile, parse_release_file};

fuzz_target!(|data: &[u8]| {
    for path in RELEASE_PATHS {
        if let Some(kind) = ReleaseFile::from_path(path) {
            let _ = parse_release_file(kind, path, data);
        }
    }
});
