//! The crate's error type: why one file could not be parsed.

/// Why a file could not be parsed. Detectors turn these into diagnostics.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The JSON document is invalid (or nested too deeply).
    #[error("invalid json")]
    Json {
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
    /// The file is not of the expected format.
    #[error("malformed {what}: {detail}")]
    Malformed {
        /// Which format.
        what: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// A required field is missing.
    #[error("missing {0}")]
    Missing(&'static str),
    /// Data lies past the end of the (possibly truncated) input.
    #[error("{0} lies beyond the end of the data")]
    OutOfBounds(&'static str),
    /// Decompressed data exceeds the configured cap.
    #[error("decompressed data exceeds {limit} bytes")]
    TooLarge {
        /// The cap.
        limit: u64,
    },
    /// Decompression failed.
    #[error("decompression failed")]
    Decompress {
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn malformed(what: &'static str, detail: impl Into<String>) -> Self {
        Error::Malformed {
            what,
            detail: detail.into(),
        }
    }

    /// A stable kebab-case suffix for diagnostic codes.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Json { .. } => "invalid-json",
            Error::Malformed { .. } => "malformed",
            Error::Missing(_) => "missing-field",
            Error::OutOfBounds(_) => "out-of-bounds",
            Error::TooLarge { .. } => "too-large",
            Error::Decompress { .. } => "decompress",
        }
    }

    /// The message with its causes, for diagnostics.
    pub fn chain(&self) -> String {
        let mut s = self.to_string();
        let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(self);
        while let Some(e) = cur {
            s.push_str(": ");
            s.push_str(&e.to_string());
            cur = e.source();
        }
        s
    }
}

impl From<serde_json::Error> for Error {
    fn from(source: serde_json::Error) -> Self {
        Error::Json { source }
    }
}

/// Result alias.
pub(crate) type Result<T> = std::result::Result<T, Error>;
