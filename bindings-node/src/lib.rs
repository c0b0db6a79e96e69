//! Node.js bindings of Strata, built with napi-rs 3.
//!
//! # Design
//! The binding only converts: options into [`strata::ScannerOptions`] and
//! [`strata::ScanOptions`] (`convert.rs`), facade errors into JS errors with a stable `code`
//! (`error.rs`), and reports into plain JS objects through their JSON form, serialised on the
//! worker thread and `JSON.parse`d on the main thread, so JS sees exactly the JSON report.
//! `scan` is an [`AsyncTask`] (libuv's pool; the event loop stays free) whose `AbortSignal` is
//! wired to the scan's [`strata::Cancel`], so an abort stops a running scan, not only a
//! queued one. Progress events reach `onProgress` through a threadsafe function; the task
//! waits until every queued event was delivered before it settles, so a throwing callback
//! cancels the scan and rejects the promise with its own error. `scanSync` runs the same
//! scan on the calling thread (no progress, no signal). No `panic = "abort"`: napi turns a
//! panic into a JS exception.

#![deny(missing_docs)]

mod convert;
mod error;

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, ScopedTask};
use napi_derive::napi;

use strata::report_formats::{self, Format};
use strata::{Cancel, Progress, ProgressFn, ScanOutput};

pub use convert::ScannerOptions;

/// How long a finished scan waits for queued progress events to be delivered.
const PROGRESS_DRAIN: Duration = Duration::from_secs(30);

/// A configured scanner (the engine with the default detectors). Build it once and reuse it;
/// scans may run concurrently.
#[napi]
pub struct Scanner {
    inner: strata::Scanner,
    scanners: Option<Vec<String>>,
}

#[napi]
impl Scanner {
    /// Builds a scanner. Throws with `code` `ERR_STRATA_CONFIG` (bad option) or
    /// `ERR_STRATA_DATABASE`.
    #[napi(constructor)]
    pub fn new(env: Env, options: Option<ScannerOptions>) -> Result<Self> {
        let (opts, scanners) = convert::scanner_options(&env, options.unwrap_or_default())?;
        let inner = strata::Scanner::new(&opts).map_err(|e| error::to_js(&env, &e))?;
        Ok(Scanner { inner, scanners })
    }

    /// Scanner groups this scanner runs (`null`: all).
    #[napi(getter)]
    pub fn scanners(&self) -> Option<Vec<String>> {
        self.scanners.clone()
    }

    /// Scans a target (`oci:DIR[:REF]`, `oci-archive:FILE[:REF]`, `docker-archive:FILE`,
    /// `dir:DIR` or a bare path) on libuv's thread pool. Resolves to the JSON report as a
    /// plain object (an index report with `platforms` for a multi-platform index); rejects
    /// with an `Error` whose `code` is `ENOENT`, `ERR_STRATA_IMAGE`, `ERR_STRATA_LIMIT`,
    /// `ERR_STRATA_CANCELLED`, `ERR_STRATA_CONFIG` or `ERR_STRATA_DATABASE`.
    #[napi(ts_args_type = "target: string, options?: ScanOptions | undefined | null", ts_return_type = "Promise<ScanOutput>")]
    pub fn scan(&self, env: Env, target: String, options: Option<Object<'_>>) -> AsyncTask<ScanTask> {
        let cancel = Cancel::new();
        let mut task = ScanTask {
            scanner: self.inner.clone(),
            target,
            opts: strata::ScanOptions { cancel: cancel.clone(), scanners: self.scanners.clone(), ..Default::default() },
            delivery: None,
            early: None,
        };
        // Invalid options reject the promise (never a synchronous throw).
        if let Err(e) = scan_options(&env, options, &cancel, &mut task) {
            task.early = Some(e);
        }
        AsyncTask::new(task)
    }

    /// Scans on the calling thread (blocks the event loop: for scripts). Returns the report
    /// or throws like `scan` rejects.
    #[napi(ts_args_type = "target: string, options?: ScanSyncOptions | undefined | null", ts_return_type = "ScanOutput")]
    pub fn scan_sync<'env>(&self, env: &'env Env, target: String, options: Option<Object<'_>>) -> Result<Unknown<'env>> {
        let platform = match options {
            Some(o) => convert::platform(env, o.get::<String>("platform")?)?,
            None => None,
        };
        let opts = strata::ScanOptions { platform, scanners: self.scanners.clone(), ..Default::default() };
        let out = self.inner.scan(&target, &opts).map_err(|e| error::to_js(env, &e))?;
        let text = serde_json::to_string(&out).map_err(|e| Error::from_reason(e.to_string()))?;
        convert::parse_json(env, &text)
    }
}

/// Reads `{ platform, signal, onProgress }` into the task.
fn scan_options(env: &Env, options: Option<Object<'_>>, cancel: &Cancel, task: &mut ScanTask) -> Result<()> {
    let Some(o) = options else { return Ok(()) };
    task.opts.platform = convert::platform(env, o.get::<String>("platform")?)?;
    if let Some(signal_obj) = o.get::<Object>("signal")? {
        if signal_obj.get::<bool>("aborted")?.unwrap_or(false) {
            cancel.cancel();
        }
        if let Some(signal) = o.get::<AbortSignal>("signal")? {
            let c = cancel.clone();
            signal.on_abort(move || c.cancel());
        }
    }
    if let Some(cb) = o.get::<Function<serde_json::Value, Unknown>>("onProgress")? {
        let tsfn = cb.build_threadsafe_function::<serde_json::Value>().callee_handled::<false>().build()?;
        let state = Arc::new(Delivery::default());
        task.opts.progress = Some(progress_fn(tsfn, state.clone(), cancel.clone()));
        task.delivery = Some(state);
    }
    Ok(())
}

/// Bookkeeping of progress events in flight: the scan waits for `pending` to reach zero,
/// and keeps the first exception thrown by the callback.
#[derive(Default)]
pub struct Delivery {
    pending: Mutex<usize>,
    drained: Condvar,
    failure: Mutex<Option<Error>>,
}

impl Delivery {
    fn done(&self) {
        let mut n = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        *n = n.saturating_sub(1);
        if *n == 0 {
            self.drained.notify_all();
        }
    }

    fn wait(&self) {
        let n = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let _ = self.drained.wait_timeout_while(n, PROGRESS_DRAIN, |n| *n > 0);
    }
}

type ProgressTsfn = ThreadsafeFunction<serde_json::Value, Unknown<'static>, serde_json::Value, Status, false>;

/// The engine's progress callback: queues each event (as its JSON object) to the JS
/// callback without blocking the engine. A throwing callback cancels the scan.
fn progress_fn(tsfn: ProgressTsfn, delivery: Arc<Delivery>, cancel: Cancel) -> ProgressFn {
    Arc::new(move |event: &Progress| {
        if delivery.failure.lock().unwrap_or_else(|p| p.into_inner()).is_some() {
            return;
        }
        let Ok(value) = serde_json::to_value(event) else { return };
        *delivery.pending.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        let d = delivery.clone();
        let c = cancel.clone();
        let status = tsfn.call_with_return_value(value, ThreadsafeFunctionCallMode::NonBlocking, move |ret, _env| {
            if let Err(e) = ret {
                let mut slot = d.failure.lock().unwrap_or_else(|p| p.into_inner());
                if slot.is_none() {
                    *slot = Some(e);
                    c.cancel();
                }
            }
            d.done();
            Ok(())
        });
        if status != Status::Ok {
            delivery.done();
        }
    })
}

/// What the worker thread hands back to the main thread.
pub enum Outcome {
    /// The JSON report.
    Json(String),
    /// The scan failed.
    Failed(strata::Error),
    /// The scan did not start (see `ScanTask::early`).
    Early,
}

/// A scan on libuv's thread pool.
pub struct ScanTask {
    scanner: strata::Scanner,
    target: String,
    opts: strata::ScanOptions,
    delivery: Option<Arc<Delivery>>,
    /// An error found before the scan (invalid options): the promise rejects with it.
    early: Option<Error>,
}

impl<'task> ScopedTask<'task> for ScanTask {
    type Output = Outcome;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> Result<Outcome> {
        if self.early.is_some() {
            return Ok(Outcome::Early);
        }
        let result = self.scanner.scan(&self.target, &self.opts);
        // Drop the engine's handle on the callback so the event loop is not kept alive.
        self.opts.progress = None;
        if let Some(d) = &self.delivery {
            d.wait();
        }
        Ok(match result {
            Ok(out) => Outcome::Json(serde_json::to_string(&out).map_err(|e| Error::from_reason(e.to_string()))?),
            Err(e) => Outcome::Failed(e),
        })
    }

    fn resolve(&mut self, env: &'task Env, output: Outcome) -> Result<Unknown<'task>> {
        if let Some(e) = self.early.take() {
            return Err(e);
        }
        if let Some(d) = &self.delivery {
            if let Some(e) = d.failure.lock().unwrap_or_else(|p| p.into_inner()).take() {
                return Err(e);
            }
        }
        match output {
            Outcome::Json(text) => convert::parse_json(env, &text),
            Outcome::Failed(e) => Err(error::to_js(env, &e)),
            Outcome::Early => Err(Error::from_reason("scan did not start")),
        }
    }
}

/// Renders a report returned by `scan` in a format of `formats()` (`json`, `table`, ...).
/// Throws with `code` `ERR_STRATA_CONFIG` for an unknown format or an object that is not a
/// report.
#[napi(ts_args_type = "report: ScanOutput, format: string")]
pub fn render(env: Env, report: Unknown<'_>, format: String) -> Result<String> {
    let Some(fmt) = Format::parse(&format) else {
        return Err(error::config(
            &env,
            format!("unknown format {format:?} (expected one of {})", Format::NAMES.join(", ")),
        ));
    };
    let text = convert::stringify(&env, report)?;
    let out: ScanOutput =
        serde_json::from_str(&text).map_err(|e| error::config(&env, format!("not a strata report: {e}")))?;
    let mut buf = Vec::new();
    report_formats::render(fmt, &out, &mut buf)
        .map_err(|e| error::with_code(&env, error::OTHER, format!("cannot render {format}: {}", error::chain(&e))))?;
    String::from_utf8(buf).map_err(|_| Error::from_reason(format!("the {format} rendering is not UTF-8")))
}

/// Names accepted by `render` (`json`, `table`, ...).
#[napi]
pub fn formats() -> Vec<String> {
    Format::NAMES.iter().map(|s| (*s).to_owned()).collect()
}

/// Scanner group names accepted by `new Scanner({ scanners })`.
#[napi]
pub fn scanner_groups() -> Vec<String> {
    strata::SCANNERS.iter().map(|s| (*s).to_owned()).collect()
}

/// The binding's version.
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
