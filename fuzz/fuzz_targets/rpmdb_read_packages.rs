#![no_main]
//! Any bytes through the rpm database readers (format sniffed, then each format forced).

use libfuzzer_sys::fuzz_target;
use strata_rpmdb::{DbFormat, read_packages, read_packages_as};

fuzz_target!(|data: &[u8]| {
    let _ = read_packages(data);
    for format in [DbFormat::BerkeleyDb, DbFormat::Ndb, DbFormat::Sqlite] {
        let _ = read_packages_as(data, format);
    }
});
