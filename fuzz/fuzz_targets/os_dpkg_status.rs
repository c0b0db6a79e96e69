#![no_main]
//! dpkg status, status.d and opkg parsing, and `.list` files: no panic on any input.

use libfuzzer_sys::fuzz_target;
use strata_core::Output;
use strata_detect_os::dpkg::{StatusKind, parse_list, parse_status};

fuzz_target!(|data: &[u8]| {
    for kind in [StatusKind::Status, StatusKind::StatusD, StatusKind::Opkg] {
        let mut out = Output::new();
        parse_status(data, kind, "/var/lib/dpkg/status", "os/dpkg", &mut out);
    }
    let _ = parse_list("/var/lib/dpkg/info/libc6:amd64.list", data);
});
