//! Cancellation and progress.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// A cancellation token, checked between files. Clones share the flag.
#[derive(Clone, Debug, Default)]
pub struct Cancel {
    flag: Arc<AtomicBool>,
    deadline: Option<Instant>,
}

impl Cancel {
    /// A token that is never cancelled unless [`Cancel::cancel`] is called.
    pub fn new() -> Self {
        Cancel::default()
    }

    /// A token that also expires at `deadline`.
    pub fn with_deadline(deadline: Instant) -> Self {
        Cancel { flag: Arc::default(), deadline: Some(deadline) }
    }

    /// Requests cancellation.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    /// Whether cancellation was requested or the deadline passed.
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Relaxed) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// `Err(Cancelled)` if cancelled.
    pub fn check(&self) -> crate::Result<()> {
        if self.is_cancelled() { Err(crate::ScanError::Cancelled) } else { Ok(()) }
    }
}

/// Progress events surfaced to the CLI and the bindings.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Progress {
    /// An image (one platform) is about to be scanned.
    ImageStarted {
        /// Platform, if known.
        platform: Option<String>,
        /// Number of layers.
        layers: u32,
        /// Total compressed size of the layers.
        total_bytes: u64,
    },
    /// A layer started.
    LayerStarted {
        /// Index.
        index: u32,
        /// Digest.
        digest: String,
        /// Compressed size.
        size: u64,
    },
    /// Bytes of a layer read so far (compressed), reported every few MiB.
    LayerBytes {
        /// Index.
        index: u32,
        /// Bytes read so far.
        read: u64,
    },
    /// A layer finished.
    LayerFinished {
        /// Index.
        index: u32,
        /// Served from the cache.
        cached: bool,
    },
    /// Analyzers (vulnerability matching, ...) started.
    Analyzing,
    /// The image is done.
    ImageFinished,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;
