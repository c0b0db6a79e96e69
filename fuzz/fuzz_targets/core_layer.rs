#![no_main]
//! The layer reader: arbitrary bytes as a layer blob (tar, gzip, zstd by magic).
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use strata_core::layer::{EntryEvent, Layer, MemoryStore, TarLayer, WalkContext};
use strata_core::{Cancel, LayerInfo, Limits};

fuzz_target!(|data: &[u8]| {
    let mut store = MemoryStore::new();
    store.insert("blob", data.to_vec());
    let layer = TarLayer::new(LayerInfo::default(), Arc::new(store), "blob".into(), false, false);
    let limits = Limits { max_layer_bytes: 16 << 20, max_entries: 10_000, ..Default::default() };
    let cancel = Cancel::new();
    let mut diags = Vec::new();
    let mut cx = WalkContext { limits: &limits, cancel: &cancel, progress: None, diagnostics: &mut diags };
    let _ = layer.walk(&mut cx, &mut |ev| {
        if let EntryEvent::Entry { path, body, .. } = ev {
            assert!(!path.as_bytes().windows(3).any(|w| w == b"/.."), "normalised paths have no ..");
            let mut sink = Vec::new();
            let _ = std::io::Read::read_to_end(&mut std::io::Read::take(body, 1 << 20), &mut sink);
        }
        Ok(())
    });
});
