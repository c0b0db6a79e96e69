#![no_main]
//! Opening a database file and reading everything it claims to hold.
use libfuzzer_sys::fuzz_target;
use strata_vulndb::Database;

fuzz_target!(|data: &[u8]| {
    // Also exercise valid headers with fuzzed bodies.
    let mut framed = b"STRATAVD".to_vec();
    framed.extend_from_slice(&strata_vulndb::db::SCHEMA_VERSION.to_le_bytes());
    framed.extend_from_slice(data);
    for bytes in [data.to_vec(), framed] {
        if let Ok(db) = Database::from_bytes(bytes) {
            let _ = db.info();
            if let Ok(keys) = db.keys() {
                for (ns, pkg) in keys.iter().take(64) {
                    let _ = db.lookup_advisories(ns, pkg);
                    // The borrowed view the matcher uses.
                    if let Ok(Some(block)) = db.package_block(ns, pkg) {
                        if let Ok(st) = block.statements() {
                            for a in st.iter() {
                                let _ = (a.ranges().count(), a.fixed_version(), a.to_affected());
                            }
                        }
                    }
                }
            }
            for i in 0..db.advisory_count().min(64) as u32 {
                let _ = db.advisory(i);
            }
        }
    }
});
