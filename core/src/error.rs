//! Errors that stop a scan. One file's or one detector's problem is a
//! [`crate::Diagnostic`], not an error.

use std::io;

/// Which limit tripped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LimitKind {
    /// Too many entries in one layer.
    Entries,
    /// Too many uncompressed bytes in one layer or image.
    TotalBytes,
    /// A manifest, index or config larger than allowed.
    MetadataSize,
    /// Nested indexes deeper than allowed.
    IndexDepth,
    /// Too many layers.
    Layers,
}

impl std::fmt::Display for LimitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LimitKind::Entries => "max entries per layer",
            LimitKind::TotalBytes => "max uncompressed bytes",
            LimitKind::MetadataSize => "max metadata size",
            LimitKind::IndexDepth => "max index depth",
            LimitKind::Layers => "max layers",
        })
    }
}

/// A fatal scan error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The target string could not be understood.
    #[error("invalid target {target:?}: {reason}")]
    Target {
        /// The target.
        target: String,
        /// Why.
        reason: String,
    },
    /// An I/O error opening or reading the image.
    #[error("failed to read {what}")]
    Io {
        /// What was being read.
        what: String,
        /// Cause.
        #[source]
        source: io::Error,
    },
    /// The image metadata (manifest, index, config) is invalid.
    #[error("invalid image: {0}")]
    Image(String),
    /// A blob does not match its descriptor's digest.
    #[error("digest mismatch for blob {expected}: content hashes to {actual}")]
    Digest {
        /// Expected digest.
        expected: String,
        /// Actual digest.
        actual: String,
    },
    /// A layer could not be read (corrupt compression or tar).
    #[error("failed to read layer {index} ({digest})")]
    Layer {
        /// Layer index.
        index: u32,
        /// Layer digest.
        digest: String,
        /// Cause.
        #[source]
        source: io::Error,
    },
    /// A configured limit tripped.
    #[error("limit exceeded: {kind} ({detail})")]
    Limit {
        /// Which limit.
        kind: LimitKind,
        /// Details (the value and the limit).
        detail: String,
    },
    /// The scan was cancelled.
    #[error("scan cancelled")]
    Cancelled,
    /// A requested platform is not in the index.
    #[error("platform {0} not found in the image index")]
    PlatformNotFound(String),
}

impl ScanError {
    /// Shorthand for an I/O error with context.
    pub fn io(what: impl Into<String>, source: io::Error) -> Self {
        ScanError::Io { what: what.into(), source }
    }

    /// Whether this is a not-found I/O error (bindings map it to `FileNotFoundError`).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ScanError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }
}

/// Result alias.
pub type Result<T, E = ScanError> = std::result::Result<T, E>;
