#![no_main]
//! The manifest / index / config parser: an OCI layout whose index.json is the input and
//! whose blobs are derived from it.
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use strata_core::layer::MemoryStore;
use strata_core::source::{OpenOptions, open_layout};

fuzz_target!(|data: &[u8]| {
    // Split the input into index.json and up to 3 blobs, each stored under its own digest.
    let parts: Vec<&[u8]> = data.splitn(4, |&b| b == 0xff).collect();
    let mut store = MemoryStore::new();
    store.insert("index.json", parts[0].to_vec());
    for p in &parts[1..] {
        use sha2::Digest;
        let hex = hex::encode(sha2::Sha256::digest(p));
        store.insert(format!("blobs/sha256/{hex}"), p.to_vec());
    }
    let _ = open_layout(Arc::new(store), None, &OpenOptions::default());
});
