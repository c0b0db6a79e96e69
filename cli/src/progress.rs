//! A one-line progress display on stderr (only when stderr is a terminal).

use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct State {
    layers: u32,
    done: u32,
    total: u64,
    read: std::collections::HashMap<u32, u64>,
    sizes: std::collections::HashMap<u32, u64>,
}

/// Shared progress state.
#[derive(Clone, Default)]
pub(crate) struct Bar(Arc<Mutex<State>>);

impl Bar {
    pub(crate) fn new() -> Bar {
        Bar::default()
    }

    pub(crate) fn update(&self, p: &strata::Progress) {
        let Ok(mut s) = self.0.lock() else { return };
        match p {
            strata::Progress::ImageStarted { layers, total_bytes, .. } => {
                s.layers = *layers;
                s.total = *total_bytes;
                s.done = 0;
                s.read.clear();
            }
            strata::Progress::LayerStarted { index, size, .. } => {
                s.sizes.insert(*index, *size);
            }
            strata::Progress::LayerBytes { index, read } => {
                s.read.insert(*index, *read);
            }
            strata::Progress::LayerFinished { index, .. } => {
                s.done += 1;
                let size = s.sizes.get(index).copied().unwrap_or(0);
                s.read.insert(*index, size);
            }
            strata::Progress::Analyzing => {
                eprint!("\r\x1b[2Kanalyzing...");
                return;
            }
            strata::Progress::ImageFinished => return,
        }
        let read: u64 = s.read.values().sum();
        let pct = read.saturating_mul(100).checked_div(s.total).map_or(0, |p| p.min(100));
        eprint!("\r\x1b[2Klayers {}/{}  {:>3}%  {} MiB", s.done, s.layers, pct, read >> 20);
        let _ = std::io::stderr().flush();
    }

    pub(crate) fn finish(&self) {
        eprint!("\r\x1b[2K");
    }
}
