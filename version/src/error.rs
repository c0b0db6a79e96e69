//! The crate's error type.

use crate::Scheme;

/// Why a version or constraint could not be used.
///
/// Every variant names the scheme; variants about a string carry the input
/// (at most [`crate::MAX_VERSION_LEN`] bytes, since longer inputs are
/// refused with [`VersionError::TooLong`] without being copied).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionError {
    /// The string is not a valid version of the scheme.
    #[error("invalid {scheme} version {input:?}: {reason}")]
    Invalid {
        /// Scheme the version was parsed as.
        scheme: Scheme,
        /// The offending input.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The string is longer than [`crate::MAX_VERSION_LEN`].
    #[error("{scheme} input of {len} bytes exceeds the limit of {max} bytes")]
    TooLong {
        /// Scheme the input was parsed as.
        scheme: Scheme,
        /// Length of the input in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The string is not a valid constraint (range) of the scheme.
    #[error("invalid {scheme} constraint {input:?}: {reason}")]
    Constraint {
        /// Scheme the constraint was parsed as.
        scheme: Scheme,
        /// The offending input.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The name is not one of [`Scheme::name`]'s.
    #[error("unknown version scheme {name:?}")]
    UnknownScheme {
        /// The offending name (at most 64 characters of it).
        name: String,
    },
    /// The two versions are valid but the scheme does not order them
    /// (Composer `dev-` branches with different names).
    #[error("{scheme} versions {a:?} and {b:?} are not ordered")]
    Unordered {
        /// Scheme of the versions.
        scheme: Scheme,
        /// First version.
        a: String,
        /// Second version.
        b: String,
    },
}

impl VersionError {
    pub(crate) fn invalid(scheme: Scheme, input: &str, reason: &'static str) -> Self {
        VersionError::Invalid {
            scheme,
            input: input.to_owned(),
            reason,
        }
    }

    pub(crate) fn constraint(scheme: Scheme, input: &str, reason: &'static str) -> Self {
        VersionError::Constraint {
            scheme,
            input: input.to_owned(),
            reason,
        }
    }
}
