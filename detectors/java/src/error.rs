//! The crate's error type.

/// Errors of this crate: reading archives and the optional SHA-1 index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JavaError {
    /// A zip archive could not be read.
    #[error("failed to read zip archive")]
    Zip(#[source] ZipError),
    /// The SHA-1 -> GAV index could not be read.
    #[error("failed to read sha1 index {path}")]
    IndexIo {
        /// The index file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A line of the SHA-1 -> GAV index is malformed.
    #[error("malformed sha1 index line {line} in {path}")]
    IndexLine {
        /// The index file.
        path: String,
        /// 1-based line number.
        line: usize,
    },
}

/// Why a zip archive (or one member) could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ZipError {
    /// No end-of-central-directory record: not a zip, or truncated.
    #[error("no end of central directory record (not a zip or truncated)")]
    NoEndOfCentralDirectory,
    /// A record runs past the end of the data.
    #[error("truncated archive")]
    Truncated,
    /// Split archives are not supported.
    #[error("multi-disk archive")]
    MultiDisk,
    /// The central directory is inconsistent.
    #[error("malformed central directory")]
    BadCentralDirectory,
    /// The Zip64 records are inconsistent.
    #[error("malformed zip64 record")]
    BadZip64,
    /// More members than allowed.
    #[error("archive declares {declared} entries, more than the limit of {max}")]
    TooManyEntries {
        /// Declared count.
        declared: u64,
        /// The cap.
        max: u64,
    },
    /// Two members share bytes (overlapping-entries bomb or quine).
    #[error("overlapping entries at offset {offset}")]
    OverlappingEntries {
        /// Offset of the second member's local header.
        offset: u64,
    },
    /// A local header is missing or malformed.
    #[error("bad local header for {name}")]
    BadLocalHeader {
        /// Member name.
        name: String,
    },
    /// The member is encrypted.
    #[error("encrypted member")]
    Encrypted,
    /// Compression method other than stored or deflate.
    #[error("unsupported compression method {0}")]
    UnsupportedMethod(u16),
    /// The member is larger than the remaining budget.
    #[error("member declares {declared} bytes uncompressed, more than the remaining {max}")]
    TooLarge {
        /// Declared uncompressed size.
        declared: u64,
        /// What was allowed.
        max: u64,
    },
    /// Declared sizes are impossible for deflate.
    #[error("declared ratio impossible for deflate ({declared} bytes from {compressed})")]
    Ratio {
        /// Declared uncompressed size.
        declared: u64,
        /// Compressed size.
        compressed: u64,
    },
    /// The actual size differs from the declared one.
    #[error("size of {name} differs from the central directory")]
    SizeMismatch {
        /// Member name.
        name: String,
    },
    /// Inflating failed.
    #[error("failed to inflate {name}")]
    Inflate {
        /// Member name.
        name: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl ZipError {
    /// A kebab-case diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            ZipError::TooManyEntries { .. } | ZipError::TooLarge { .. } => "java-archive-limit",
            ZipError::OverlappingEntries { .. } | ZipError::Ratio { .. } => "java-archive-bomb",
            ZipError::Encrypted | ZipError::UnsupportedMethod(_) => "java-archive-unsupported",
            _ => "java-archive-malformed",
        }
    }
}
