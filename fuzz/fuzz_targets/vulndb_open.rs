#![no_main]
//! Opening a database file and reading everything it claims to hold.
use libfuzzer_sys::fuzz_target;
use strata_vulndb::Database;

fuzz_target!(|data: &[u8]| {
    // Also exercise valid headers with fuzzed bodies.
    let mut framed = b"STRATAVD\x01\x00\x00\x00".to_vec();
    framed.extend_from_slice(data);
    for bytes in [data.to_vec(), framed] {
        if let Ok(db) = Database::from_bytes(bytes) {
            let _ = db.info();
            if let Ok(keys) = db.keys() {
                for (ns, pkg) in keys.iter().take(64) {
                    let _ = db.lookup_advisories(ns, pkg);
                }
            }
            for i in 0..db.advisory_count().min(64) as u32 {
                let _ = db.advisory(i);
            }
        }
    }
});
