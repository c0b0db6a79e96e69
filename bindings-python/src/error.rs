//! The error map: the one place where a [`strata::Error`] becomes a Python exception.
//!
//! The exception classes live in `strata/_errors.py` (plain Python, so that
//! `ImageNotFoundError` can derive from both `ImageError` and `FileNotFoundError`, and
//! `ConfigError` from `ValueError`); this module looks them up by name.

use pyo3::exceptions::PyRuntimeError;
use pyo3::call::PyCallArgs;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

use strata::{Error, ScanError};

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// `ENOENT`, the errno of a missing file (the same on every platform Python runs on).
const ENOENT: i32 = 2;

/// The class name in `strata._errors` for an error.
fn class_of(e: &Error) -> &'static str {
    match e {
        Error::Scan(s) if s.is_not_found() => "ImageNotFoundError",
        Error::Scan(ScanError::Limit { .. }) => "LimitExceeded",
        Error::Scan(ScanError::Cancelled) => "Cancelled",
        Error::Scan(_) => "ImageError",
        Error::Database(_) => "DatabaseError",
        Error::Config(_) => "ConfigError",
        _ => "StrataError",
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

fn make<'py>(py: Python<'py>, class: &str, args: impl PyCallArgs<'py>) -> PyErr {
    let built = ERRORS
        .get_or_try_init(py, || py.import("strata._errors").map(Bound::unbind))
        .and_then(|m| m.bind(py).getattr(class))
        .and_then(|cls| cls.call1(args));
    match built {
        Ok(value) => PyErr::from_value(value),
        Err(e) => e,
    }
}

/// Converts a facade error.
pub(crate) fn to_py(py: Python<'_>, e: &Error) -> PyErr {
    let class = class_of(e);
    let msg = chain(e);
    if class == "ImageNotFoundError" {
        // An OSError subclass: (errno, strerror) sets `.errno` and prints `[Errno 2] ...`.
        make(py, class, (ENOENT, msg))
    } else {
        make(py, class, (msg,))
    }
}

/// An invalid argument (bad platform string, unknown limit or format).
pub(crate) fn config(py: Python<'_>, msg: impl Into<String>) -> PyErr {
    make(py, "ConfigError", (msg.into(),))
}

/// A failure of the binding itself (a report that cannot be rendered).
pub(crate) fn internal(msg: impl Into<String>) -> PyErr {
    PyRuntimeError::new_err(msg.into())
}
