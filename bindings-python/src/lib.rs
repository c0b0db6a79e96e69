//! Python bindings of Strata, built with PyO3 and maturin as the private module
//! `strata._native`; the `strata` package (`python/strata`) puts typed report classes on
//! top.
//!
//! # Design
//! The binding only converts: arguments into [`strata::ScannerOptions`] and
//! [`strata::ScanOptions`] (`convert.rs`), facade errors into the exception classes of
//! `strata._errors` (`error.rs`), and reports into Python values through their serde form,
//! so a new report field needs no binding change. Handles are `frozen` and own only `Send`
//! data (`strata::Scanner` is an `Arc<Engine>`), so scans run with the GIL released, on a
//! scan thread, while the calling thread polls (every 20 ms) for `KeyboardInterrupt` and for
//! a [`CancelToken`] cancelled from another thread. The progress callback is called with the
//! GIL re-acquired; if it raises, the scan is cancelled and its exception re-raised. A panic
//! on the scan thread is resumed on the calling thread, where PyO3 turns it into
//! `PanicException` (no profile sets `panic = "abort"`).

#![deny(missing_docs)]

mod convert;
mod error;

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::prelude::*;

use strata::report_formats::{self, Format};
use strata::{Cancel, Progress, ProgressFn, ScanOptions, ScanOutput};

/// How often the calling thread wakes up during a scan to check signals and cancel tokens.
const POLL: Duration = Duration::from_millis(20);

/// A cancellation token: pass it to `Scanner.scan` and call `cancel()` from any thread.
#[pyclass(frozen, module = "strata._native")]
struct CancelToken {
    inner: Cancel,
}

#[pymethods]
impl CancelToken {
    /// A token that is not cancelled.
    #[new]
    fn new() -> Self {
        CancelToken { inner: Cancel::new() }
    }

    /// Requests cancellation: every scan given this token stops at its next check and
    /// raises `strata.Cancelled`.
    fn cancel(&self) {
        self.inner.cancel();
    }

    /// Whether `cancel()` was called.
    #[getter]
    fn cancelled(&self) -> bool {
        self.inner.is_cancelled()
    }

    fn __repr__(&self) -> String {
        format!("CancelToken(cancelled={})", if self.inner.is_cancelled() { "True" } else { "False" })
    }
}

/// A configured scanner (the engine with the default detectors). Thread-safe: share one
/// scanner between threads; each scan releases the GIL.
#[pyclass(frozen, module = "strata._native")]
struct Scanner {
    inner: strata::Scanner,
    scanners: Option<Vec<String>>,
}

#[pymethods]
impl Scanner {
    /// Builds a scanner. See `strata.Scanner` for the arguments.
    #[new]
    #[pyo3(signature = (db=None, cache_dir=None, scanners=None, limits=None, threads=0, secret_config=None, no_cache=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        db: Option<&Bound<'_, PyAny>>,
        cache_dir: Option<&Bound<'_, PyAny>>,
        scanners: Option<Vec<String>>,
        limits: Option<&Bound<'_, PyAny>>,
        threads: usize,
        secret_config: Option<&Bound<'_, PyAny>>,
        no_cache: bool,
    ) -> PyResult<Self> {
        let cache = if no_cache {
            None
        } else {
            let dir = match cache_dir.filter(|d| !d.is_none()) {
                Some(d) => Some(convert::path(d)?),
                None => strata::CacheConfig::default_dir(),
            };
            dir.map(|dir| strata::CacheConfig { dir, max_bytes: 2 << 30 })
        };
        let opts = strata::ScannerOptions {
            db: convert::db(db)?,
            cache,
            limits: convert::limits(limits)?,
            threads,
            secret_config: secret_config.filter(|s| !s.is_none()).map(convert::path).transpose()?,
        };
        let scanners = convert::scanners(py, scanners)?;
        let inner = py.detach(move || strata::Scanner::new(&opts)).map_err(|e| error::to_py(py, &e))?;
        Ok(Scanner { inner, scanners })
    }

    /// Scans a target; see `strata.Scanner.scan`.
    #[pyo3(signature = (target, platform=None, progress=None, cancel=None))]
    fn scan(
        &self,
        py: Python<'_>,
        target: &Bound<'_, PyAny>,
        platform: Option<&str>,
        progress: Option<Py<PyAny>>,
        cancel: Option<Py<CancelToken>>,
    ) -> PyResult<ScanResult> {
        let target = convert::target(target)?;
        let platform = convert::platform(py, platform)?;
        // The scan gets its own token: a failing callback or Ctrl-C cancels this scan only,
        // never the caller's token (which may be shared by other scans).
        let scan_cancel = Cancel::new();
        let user_cancel = cancel.map(|c| c.get().inner.clone());
        let failure: Arc<Mutex<Option<PyErr>>> = Arc::default();
        let progress = progress.filter(|p| !p.is_none(py)).map(|cb| progress_fn(cb, failure.clone(), scan_cancel.clone()));
        let opts = ScanOptions { platform, cancel: scan_cancel.clone(), progress, scanners: self.scanners.clone() };
        let scanner = self.inner.clone();
        let result = run_scan_thread(py, user_cancel.as_ref(), &scan_cancel, move || scanner.scan(&target, &opts))?;
        if let Some(e) = failure.lock().unwrap_or_else(|p| p.into_inner()).take() {
            return Err(e);
        }
        let output = result.map_err(|e| error::to_py(py, &e))?;
        Ok(ScanResult { output: Arc::new(output), platform: None })
    }

    /// Scanner groups this scanner runs (`None`: all).
    #[getter]
    fn scanners(&self) -> Option<Vec<String>> {
        self.scanners.clone()
    }

    fn __repr__(&self) -> String {
        format!("Scanner(scanners={:?})", self.scanners)
    }
}

/// The progress callback: called on engine threads, it takes the GIL, passes the event as a
/// dict, and on an exception keeps it and cancels the scan (later events are dropped). The
/// mutex is never held while Python runs (the callback may release the GIL).
fn progress_fn(cb: Py<PyAny>, failure: Arc<Mutex<Option<PyErr>>>, cancel: Cancel) -> ProgressFn {
    Arc::new(move |event: &Progress| {
        Python::attach(|py| {
            if failure.lock().unwrap_or_else(|p| p.into_inner()).is_some() {
                return;
            }
            let called = convert::serialize(py, event).and_then(|ev| cb.call1(py, (ev,)));
            if let Err(e) = called {
                cancel.cancel();
                let mut slot = failure.lock().unwrap_or_else(|p| p.into_inner());
                if slot.is_none() {
                    *slot = Some(e);
                }
            }
        })
    })
}

/// Runs `f` on a new thread with the GIL released. Meanwhile the calling thread wakes up
/// every [`POLL`] to forward a cancelled `user` token to `scan` and to check for signals
/// (`KeyboardInterrupt` cancels the scan, waits for it to stop, and is raised). A panic of
/// `f` is resumed here, where PyO3 turns it into `PanicException`.
fn run_scan_thread<T: Send + 'static>(
    py: Python<'_>,
    user: Option<&Cancel>,
    scan: &Cancel,
    f: impl FnOnce() -> T + Send + 'static,
) -> PyResult<T> {
    if user.is_some_and(Cancel::is_cancelled) {
        scan.cancel();
    }
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name("strata-scan".into())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .map_err(|e| error::internal(format!("cannot start the scan thread: {e}")))?;
    let mut interrupted = None;
    let mut rx = rx;
    let outcome = loop {
        // `Receiver` is `Send` but not `Sync`: move it through the GIL-free closure.
        let (received, back) = py.detach(move || (rx.recv_timeout(POLL), rx));
        rx = back;
        match received {
            Ok(v) => break Some(v),
            Err(RecvTimeoutError::Disconnected) => break None,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if user.is_some_and(Cancel::is_cancelled) {
            scan.cancel();
        }
        if interrupted.is_none() {
            if let Err(e) = py.check_signals() {
                scan.cancel();
                interrupted = Some(e);
            }
        }
    };
    let joined = py.detach(move || handle.join());
    if let Err(payload) = joined {
        std::panic::resume_unwind(payload);
    }
    if let Some(e) = interrupted {
        return Err(e);
    }
    outcome.ok_or_else(|| error::internal("the scan thread ended without a result"))
}

/// What a scan returned: one image report, or an index with one report per platform. The
/// `strata.Report` and `strata.IndexReport` classes wrap it.
#[pyclass(frozen, module = "strata._native")]
struct ScanResult {
    output: Arc<ScanOutput>,
    /// For a platform of an index: its position in `platforms`.
    platform: Option<usize>,
}

impl ScanResult {
    /// The selected output as a standalone [`ScanOutput`] (cloned only for a platform).
    fn selected(&self) -> ScanOutput {
        match (self.platform, self.output.as_ref()) {
            (Some(i), ScanOutput::Index(ix)) => ScanOutput::Single(Box::new(ix.platforms[i].clone())),
            (_, out) => out.clone(),
        }
    }

    fn with_selected<R>(&self, f: impl FnOnce(&dyn erased::Ser) -> R) -> R {
        match (self.platform, self.output.as_ref()) {
            (Some(i), ScanOutput::Index(ix)) => f(&ix.platforms[i]),
            (_, out) => f(out),
        }
    }
}

mod erased {
    /// A serialisable value behind a `dyn` (report or whole output).
    pub(crate) trait Ser {
        fn to_value(&self) -> serde_json::Result<serde_json::Value>;
        fn to_string(&self, indent: Option<usize>) -> serde_json::Result<String>;
    }

    impl<T: serde::Serialize> Ser for T {
        fn to_value(&self) -> serde_json::Result<serde_json::Value> {
            serde_json::to_value(self)
        }

        fn to_string(&self, indent: Option<usize>) -> serde_json::Result<String> {
            match indent {
                None => serde_json::to_string(self),
                Some(n) => {
                    let pad = vec![b' '; n];
                    let mut out = Vec::new();
                    let fmt = serde_json::ser::PrettyFormatter::with_indent(&pad);
                    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
                    self.serialize(&mut ser)?;
                    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
                }
            }
        }
    }
}

#[pymethods]
impl ScanResult {
    /// Whether this is an image index (several platforms).
    #[getter]
    fn is_index(&self) -> bool {
        self.platform.is_none() && matches!(self.output.as_ref(), ScanOutput::Index(_))
    }

    /// Number of platform reports of an index (0 for a single image).
    #[getter]
    fn platform_count(&self) -> usize {
        match (self.platform, self.output.as_ref()) {
            (None, ScanOutput::Index(ix)) => ix.platforms.len(),
            _ => 0,
        }
    }

    /// The report of the `index`-th platform of an index.
    fn platform(&self, index: usize) -> PyResult<ScanResult> {
        if index >= self.platform_count() {
            return Err(pyo3::exceptions::PyIndexError::new_err(format!("no platform {index}")));
        }
        Ok(ScanResult { output: self.output.clone(), platform: Some(index) })
    }

    /// The report as plain Python values: exactly the JSON report, parsed.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = self.with_selected(|s| s.to_value()).map_err(|e| error::internal(e.to_string()))?;
        convert::to_py(py, &value)
    }

    /// The JSON report (`schema_version` 1); compact unless `indent` is given.
    #[pyo3(signature = (indent=None))]
    fn to_json(&self, py: Python<'_>, indent: Option<usize>) -> PyResult<String> {
        py.detach(|| self.with_selected(|s| s.to_string(indent))).map_err(|e| error::internal(e.to_string()))
    }

    /// The report rendered in a format of `strata.formats()` (`json`, `table`, ...).
    fn to_format(&self, py: Python<'_>, name: &str) -> PyResult<String> {
        let Some(format) = Format::parse(name) else {
            return Err(error::config(
                py,
                format!("unknown format {name:?} (expected one of {})", Format::NAMES.join(", ")),
            ));
        };
        let rendered = py.detach(|| {
            let out = self.selected();
            let mut buf = Vec::new();
            report_formats::render(format, &out, &mut buf).map(|()| buf)
        });
        let buf = rendered.map_err(|e| error::internal(format!("cannot render {name}: {}", error::chain(&e))))?;
        String::from_utf8(buf).map_err(|_| error::internal(format!("the {name} rendering is not UTF-8")))
    }
}

/// Native part of the `strata` package (use `strata` instead).
#[pymodule]
mod _native {
    #[pymodule_export]
    use super::{CancelToken, ScanResult, Scanner};

    use pyo3::prelude::*;

    /// Names accepted by `Report.to_format`.
    #[pyfunction]
    fn formats() -> Vec<&'static str> {
        strata::report_formats::Format::NAMES.to_vec()
    }

    /// Scanner group names accepted by `Scanner(scanners=...)`.
    #[pyfunction]
    fn scanners() -> Vec<&'static str> {
        strata::SCANNERS.to_vec()
    }

    /// Panics on a scan thread, for the binding's own tests: the panic must come out as
    /// `pyo3_runtime.PanicException`, never abort the interpreter.
    #[pyfunction]
    fn _panic_on_scan_thread(py: Python<'_>) -> PyResult<()> {
        let cancel = strata::Cancel::new();
        super::run_scan_thread(py, None, &cancel, || -> () { panic!("deliberate panic for the binding's tests") })
    }

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
