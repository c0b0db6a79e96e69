//! The error map: the one place where a [`strata::Error`] becomes a JS `Error` with a
//! stable `code` (the same codes as the Python exception classes' `code`).

use napi::bindgen_prelude::*;
use napi::{Env, JsValue};

use strata::{Error as StrataError, ScanError};

/// `code` of an image that does not exist (as Node's own fs errors).
pub(crate) const ENOENT: &str = "ENOENT";
/// The image could not be read (invalid, corrupt, unknown target, platform not found).
pub(crate) const IMAGE: &str = "ERR_STRATA_IMAGE";
/// The vulnerability database could not be opened.
pub(crate) const DATABASE: &str = "ERR_STRATA_DATABASE";
/// A limit tripped.
pub(crate) const LIMIT: &str = "ERR_STRATA_LIMIT";
/// The scan was cancelled (AbortSignal).
pub(crate) const CANCELLED: &str = "ERR_STRATA_CANCELLED";
/// Invalid options.
pub(crate) const CONFIG: &str = "ERR_STRATA_CONFIG";
/// Anything else.
pub(crate) const OTHER: &str = "ERR_STRATA";

/// The `code` for a facade error.
pub(crate) fn code_of(e: &StrataError) -> &'static str {
    match e {
        StrataError::Scan(s) if s.is_not_found() => ENOENT,
        StrataError::Scan(ScanError::Limit { .. }) => LIMIT,
        StrataError::Scan(ScanError::Cancelled) => CANCELLED,
        StrataError::Scan(_) => IMAGE,
        StrataError::Database(_) => DATABASE,
        StrataError::Config(_) => CONFIG,
        _ => OTHER,
    }
}

/// The message with its cause chain: `failed to read /x: No such file or directory (os error 2)`.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// A JS `Error` with `message` and `code`, ready to be thrown or to reject a promise.
pub(crate) fn with_code(env: &Env, code: &str, message: String) -> Error {
    let built = env.create_error(Error::new(Status::GenericFailure, message)).and_then(|mut obj| {
        obj.set_named_property("code", code)?;
        if code == ENOENT {
            obj.set_named_property("errno", -2)?;
        }
        Ok(Error::from(obj.to_unknown()))
    });
    built.unwrap_or_else(|e| e)
}

/// Converts a facade error.
pub(crate) fn to_js(env: &Env, e: &StrataError) -> Error {
    with_code(env, code_of(e), chain(e))
}

/// An invalid option (`ERR_STRATA_CONFIG`).
pub(crate) fn config(env: &Env, message: impl Into<String>) -> Error {
    with_code(env, CONFIG, message.into())
}
