//! The scan engine: built once, shared (`Arc<Engine>`), scans many images.

use std::collections::BinaryHeap;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cache::{CacheConfig, LayerCache};
use crate::cancel::{Cancel, Progress, ProgressFn};
use crate::detect::{Analyzer, Detector, EntryKind, FileMeta, FileRef, Inventory, Output, TEXT_SNIFF};
use crate::dispatch::{Dispatch, PEEK};
use crate::error::{Result, ScanError};
use crate::finding::{Diagnostic, Finding, Level, OsInfo};
use crate::layer::{EntryEvent, Layer, WalkContext, read_full};
use crate::limits::Limits;
use crate::merge::{self, Tree};
use crate::path::ImagePath;
use crate::report::{
    FileSummary, ImageSection, IndexReport, LargeFile, LayerFiles, OsSummary, Report, SCHEMA_VERSION,
    ScanOutput, ScanStats,
};
use crate::source::{self, OpenOptions, Resolved, ResolvedImage, Target};

/// What one layer produced; cached as is.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct LayerResult {
    pub(crate) entries: Vec<(ImagePath, FileMeta)>,
    pub(crate) whiteouts: Vec<ImagePath>,
    pub(crate) opaques: Vec<ImagePath>,
    pub(crate) findings: Vec<Finding>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) bytes_read: u64,
    pub(crate) bytes_uncompressed: u64,
    pub(crate) entry_count: u64,
    pub(crate) bodies_read: u64,
}

/// Options of one scan.
#[derive(Clone, Default)]
pub struct ScanOptions {
    /// Only this platform of an index.
    pub platform: Option<crate::image::Platform>,
    /// Cancellation.
    pub cancel: Cancel,
    /// Progress callback.
    pub progress: Option<ProgressFn>,
    /// Scanner groups to run (`os`, `lang`, `secret`, `malware`, `vuln`, `config`,
    /// `compliance`); all when `None`.
    pub scanners: Option<Vec<String>>,
}

impl std::fmt::Debug for ScanOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanOptions")
            .field("platform", &self.platform)
            .field("scanners", &self.scanners)
            .finish_non_exhaustive()
    }
}

/// Builds an [`Engine`].
pub struct EngineBuilder {
    detectors: Vec<Arc<dyn Detector>>,
    analyzers: Vec<Arc<dyn Analyzer>>,
    limits: Limits,
    threads: usize,
    cache: Option<CacheConfig>,
    largest: usize,
}

impl Default for EngineBuilder {
    fn default() -> Self {
        EngineBuilder {
            detectors: Vec::new(),
            analyzers: Vec::new(),
            limits: Limits::default(),
            threads: 0,
            cache: None,
            largest: 50,
        }
    }
}

impl EngineBuilder {
    /// Adds a detector.
    pub fn detector(mut self, d: Box<dyn Detector>) -> Self {
        self.detectors.push(Arc::from(d));
        self
    }

    /// Adds detectors.
    pub fn detectors(mut self, ds: impl IntoIterator<Item = Box<dyn Detector>>) -> Self {
        self.detectors.extend(ds.into_iter().map(Arc::from));
        self
    }

    /// Adds an analyzer (run in registration order).
    pub fn analyzer(mut self, a: Box<dyn Analyzer>) -> Self {
        self.analyzers.push(Arc::from(a));
        self
    }

    /// Adds analyzers.
    pub fn analyzers(mut self, xs: impl IntoIterator<Item = Box<dyn Analyzer>>) -> Self {
        self.analyzers.extend(xs.into_iter().map(Arc::from));
        self
    }

    /// Sets limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Threads for layer analysis (0 = number of CPUs).
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n;
        self
    }

    /// Enables the on-disk layer cache.
    pub fn cache(mut self, cfg: Option<CacheConfig>) -> Self {
        self.cache = cfg;
        self
    }

    /// How many of the largest files the report lists (default 50).
    pub fn largest_files(mut self, n: usize) -> Self {
        self.largest = n;
        self
    }

    /// Builds the engine.
    pub fn build(self) -> Result<Engine> {
        let mut b = rayon::ThreadPoolBuilder::new().thread_name(|i| format!("strata-layer-{i}"));
        if self.threads > 0 {
            b = b.num_threads(self.threads);
        }
        let pool = b.build().map_err(|e| ScanError::Image(format!("cannot start the thread pool: {e}")))?;
        let mut ids = std::collections::HashSet::new();
        for d in &self.detectors {
            if !ids.insert(d.id()) {
                return Err(ScanError::Image(format!("detector id {:?} registered twice", d.id())));
            }
        }
        Ok(Engine {
            detectors: self.detectors,
            analyzers: self.analyzers,
            limits: self.limits,
            pool,
            cache: self.cache.map(LayerCache::new),
            cache_dir: None,
            largest: self.largest,
        })
    }
}

/// The scan engine. Immutable once built; share it with `Arc` and scan from many threads.
pub struct Engine {
    detectors: Vec<Arc<dyn Detector>>,
    analyzers: Vec<Arc<dyn Analyzer>>,
    limits: Limits,
    pool: rayon::ThreadPool,
    cache: Option<LayerCache>,
    cache_dir: Option<PathBuf>,
    largest: usize,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("detectors", &self.detectors.iter().map(|d| d.id()).collect::<Vec<_>>())
            .field("analyzers", &self.analyzers.iter().map(|a| a.id()).collect::<Vec<_>>())
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

struct Active<'a> {
    detectors: Vec<&'a Arc<dyn Detector>>,
    analyzers: Vec<&'a Arc<dyn Analyzer>>,
    dispatch: Dispatch,
    fingerprint: String,
}

impl Engine {
    /// A builder.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// Limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Ids of registered detectors and analyzers with their groups.
    pub fn components(&self) -> Vec<(&'static str, &'static str)> {
        self.detectors
            .iter()
            .map(|d| (d.id(), d.group()))
            .chain(self.analyzers.iter().map(|a| (a.id(), a.group())))
            .collect()
    }

    /// Scans a target string (`docker-archive:PATH`, `oci:PATH[:REF]`, `oci-archive:PATH`,
    /// `dir:PATH` or a bare path).
    pub fn scan(&self, target: &str, opts: &ScanOptions) -> Result<ScanOutput> {
        let t = Target::parse(target)?;
        let resolved = source::open(
            &t,
            target,
            &OpenOptions {
                platform: opts.platform.clone(),
                limits: self.limits.clone(),
                spool_dir: self.cache_dir.clone(),
            },
        )?;
        self.scan_resolved(resolved, target, opts)
    }

    /// Scans an already opened target (for custom sources).
    pub fn scan_resolved(&self, resolved: Resolved, target: &str, opts: &ScanOptions) -> Result<ScanOutput> {
        let active = self.active(opts)?;
        let mut reports = Vec::new();
        for img in &resolved.images {
            let mut r = self.scan_image(img, &active, opts)?;
            r.target = target.to_owned();
            r.diagnostics.extend(resolved.diagnostics.iter().cloned());
            reports.push(r);
        }
        if resolved.is_index {
            Ok(ScanOutput::Index(IndexReport::summarize(target.to_owned(), resolved.index_digest, reports)))
        } else {
            Ok(ScanOutput::Single(Box::new(reports.pop().expect("resolve yields at least one image"))))
        }
    }

    fn active(&self, opts: &ScanOptions) -> Result<Active<'_>> {
        let wanted = |g: &str| opts.scanners.as_ref().is_none_or(|s| s.iter().any(|x| x == g));
        let detectors: Vec<_> = self.detectors.iter().filter(|d| wanted(d.group())).collect();
        let analyzers: Vec<_> = self.analyzers.iter().filter(|a| wanted(a.group())).collect();
        let interests: Vec<_> = detectors.iter().map(|d| d.interest()).collect();
        let dispatch = Dispatch::new(&interests, self.limits.max_file_bytes)?;
        let mut fingerprint = format!("engine={};limits={:?}", env!("CARGO_PKG_VERSION"), self.limits);
        for d in &detectors {
            fingerprint.push_str(&format!(";{}@{}#{:x}", d.id(), d.version(), d.config_fingerprint()));
        }
        Ok(Active { detectors, analyzers, dispatch, fingerprint })
    }

    fn scan_image(&self, img: &ResolvedImage, active: &Active<'_>, opts: &ScanOptions) -> Result<Report> {
        let started = Instant::now();
        if let Some(p) = &opts.progress {
            p(&Progress::ImageStarted {
                platform: img.info.platform.as_ref().map(|p| p.to_string()),
                layers: img.layers.len() as u32,
                total_bytes: img.info.layers.iter().map(|l| l.size).sum(),
            });
        }
        let outcomes: Vec<Result<(LayerResult, bool)>> = self.pool.install(|| {
            img.layers.par_iter().map(|layer| self.layer_result(layer.as_ref(), active, opts)).collect()
        });
        let mut results = Vec::with_capacity(outcomes.len());
        let mut stats = ScanStats::default();
        for o in outcomes {
            let (r, cached) = o?;
            if cached {
                stats.layers_cached += 1;
            } else {
                stats.layers_read += 1;
                stats.bytes_read += r.bytes_read;
                stats.bytes_uncompressed += r.bytes_uncompressed;
                stats.bodies_read += r.bodies_read;
            }
            stats.entries += r.entry_count;
            results.push(r);
        }
        opts.cancel.check()?;
        if let Some(p) = &opts.progress {
            p(&Progress::Analyzing);
        }
        let per_layer = layer_figures(&results);
        let merged = merge::merge(&img.info.layers, &mut results);
        drop(results);
        let mut diagnostics = merged.diagnostics;
        diagnostics.extend(merge::link_diagnostics(&merged.tree, self.limits.max_symlink_hops, &img.info.layers));
        let mut findings = merged.findings;
        let os = pick_os(&findings);
        let info = &img.info;
        for a in &active.analyzers {
            let mut out = Output::new();
            let res = catch_unwind(AssertUnwindSafe(|| a.refine(info, os.as_ref(), &mut findings, &mut out)));
            if res.is_err() {
                diagnostics.push(Diagnostic::error("analyzer-panic", format!("analyzer {} panicked while refining", a.id())));
            }
            diagnostics.append(&mut out.diagnostics);
        }
        // Refining may complete the OS (facts from other files, e.g. Ubuntu Pro services):
        // pick it again so the analyzers and the report see the refined one.
        let os = pick_os(&findings);
        for a in &active.analyzers {
            opts.cancel.check()?;
            let mut out = Output::new();
            let inv = Inventory { image: info, os: os.as_ref(), findings: &findings, files: &merged.tree };
            let res = catch_unwind(AssertUnwindSafe(|| a.analyze(&inv, &mut out)));
            if res.is_err() {
                diagnostics.push(Diagnostic::error("analyzer-panic", format!("analyzer {} panicked", a.id())));
            }
            findings.append(&mut out.findings);
            diagnostics.append(&mut out.diagnostics);
        }
        let files = file_summary(&merged.tree, per_layer, self.largest);
        let mut report = Report {
            schema_version: SCHEMA_VERSION,
            target: info.target.clone(),
            image: ImageSection {
                digest: info.digest.clone(),
                config_digest: info.config_digest.clone(),
                repo_tags: info.repo_tags.clone(),
                platform: info.platform.clone(),
                os: os.as_ref().map(OsSummary::from),
                layers: info.layers.clone(),
            },
            files: Some(files),
            ..Default::default()
        };
        for f in findings {
            match f {
                Finding::Package(mut p) => {
                    p.files.clear();
                    report.packages.push(*p);
                }
                Finding::Vulnerability(v) => report.vulnerabilities.push(v),
                Finding::Secret(s) => report.secrets.push(s),
                Finding::Malware(m) => report.malware.push(m),
                Finding::Misconfiguration(m) => report.misconfigurations.push(m),
                Finding::Compliance(c) => report.compliance.push(c),
                Finding::Os(_) | Finding::Owned(_) => {}
            }
        }
        sort_report(&mut report);
        report.diagnostics = cap_diagnostics(diagnostics);
        stats.duration_ms = started.elapsed().as_millis() as u64;
        report.stats = stats;
        if let Some(p) = &opts.progress {
            p(&Progress::ImageFinished);
        }
        Ok(report)
    }

    fn layer_result(&self, layer: &dyn Layer, active: &Active<'_>, opts: &ScanOptions) -> Result<(LayerResult, bool)> {
        opts.cancel.check()?;
        let info = layer.info();
        if let Some(p) = &opts.progress {
            p(&Progress::LayerStarted { index: info.index, digest: info.digest.clone(), size: info.size });
        }
        let key = match (&self.cache, layer.cache_key()) {
            (Some(_), Some(k)) => Some(LayerCache::key(&k, &active.fingerprint)),
            _ => None,
        };
        if let (Some(cache), Some(k)) = (&self.cache, &key) {
            if let Some(r) = cache.get(k) {
                if let Some(p) = &opts.progress {
                    p(&Progress::LayerFinished { index: info.index, cached: true });
                }
                return Ok((r, true));
            }
        }
        let mut result = self.analyze_layer(layer, active, opts)?;
        if let (Some(cache), Some(k)) = (&self.cache, &key) {
            if let Err(e) = cache.put(k, &result) {
                result.diagnostics.push(Diagnostic::warning("cache-write-failed", format!("layer result not cached: {e}")));
            }
        }
        if let Some(p) = &opts.progress {
            p(&Progress::LayerFinished { index: info.index, cached: false });
        }
        Ok((result, false))
    }

    fn analyze_layer(&self, layer: &dyn Layer, active: &Active<'_>, opts: &ScanOptions) -> Result<LayerResult> {
        let mut runs: Vec<Option<Box<dyn crate::detect::DetectorRun + '_>>> =
            active.detectors.iter().map(|d| Some(d.start())).collect();
        let mut outputs: Vec<Output> = active.detectors.iter().map(|_| Output::new()).collect();
        let mut result = LayerResult::default();
        let mut walk_diags = Vec::new();
        let mut wanted: Vec<usize> = Vec::new();
        let mut hits: Vec<usize> = Vec::new();
        let mut buf: Vec<u8> = Vec::new();
        let dispatch = &active.dispatch;
        let mut visit = |ev: EntryEvent<'_>| -> Result<()> {
            match ev {
                EntryEvent::Whiteout(p) => result.whiteouts.push(p),
                EntryEvent::Opaque(p) => result.opaques.push(p),
                EntryEvent::Entry { path, meta, body } => {
                    if meta.kind == EntryKind::File {
                        dispatch.by_name(&path, &meta, &mut wanted, &mut hits);
                        buf.clear();
                        let mut head_len = 0;
                        if (dispatch.needs_peek || !wanted.is_empty()) && meta.size > 0 {
                            buf.resize(PEEK.min(meta.size as usize), 0);
                            head_len = read_full(body, &mut buf).map_err(|e| ScanError::Layer {
                                index: layer.info().index,
                                digest: layer.info().digest.clone(),
                                source: e,
                            })?;
                            buf.truncate(head_len);
                            dispatch.by_magic(&buf, &mut wanted);
                        }
                        dispatch.finalize(&path, meta.size, &mut wanted);
                        if wanted.iter().any(|&i| dispatch.text_only[i]) {
                            // Sniff for binary content before reading the rest.
                            let sniff = TEXT_SNIFF.min(meta.size as usize);
                            if sniff > head_len {
                                body.take((sniff - head_len) as u64).read_to_end(&mut buf).map_err(|e| ScanError::Layer {
                                    index: layer.info().index,
                                    digest: layer.info().digest.clone(),
                                    source: e,
                                })?;
                                head_len = buf.len();
                            }
                            if memchr::memchr(0, &buf[..head_len.min(TEXT_SNIFF)]).is_some() {
                                wanted.retain(|&i| !dispatch.text_only[i]);
                            }
                        }
                        if !wanted.is_empty() {
                            let need = wanted.iter().map(|&i| dispatch.max_bytes[i]).max().unwrap_or(0);
                            let need = need.min(meta.size);
                            if need as usize > head_len {
                                let more = need as usize - head_len;
                                buf.reserve(more);
                                body.take(more as u64).read_to_end(&mut buf).map_err(|e| ScanError::Layer {
                                    index: layer.info().index,
                                    digest: layer.info().digest.clone(),
                                    source: e,
                                })?;
                            }
                            result.bodies_read += 1;
                            for &i in &wanted {
                                let Some(run) = runs[i].as_mut() else { continue };
                                let cap = (dispatch.max_bytes[i] as usize).min(buf.len());
                                let truncated = (cap as u64) < meta.size;
                                let file = FileRef::new(&path, &meta, truncated);
                                let out = &mut outputs[i];
                                let ok = catch_unwind(AssertUnwindSafe(|| run.file(&file, &buf[..cap], out))).is_ok();
                                if !ok {
                                    runs[i] = None;
                                    outputs[i].diagnostic(
                                        Diagnostic::error(
                                            "detector-panic",
                                            format!("detector {} panicked; its results for this layer are incomplete", active.detectors[i].id()),
                                        )
                                        .with_path(path.to_string_lossy()),
                                    );
                                }
                            }
                        }
                    }
                    result.entries.push((path, meta));
                }
            }
            Ok(())
        };
        let stats = {
            let mut cx = WalkContext {
                limits: &self.limits,
                cancel: &opts.cancel,
                progress: opts.progress.as_ref(),
                diagnostics: &mut walk_diags,
            };
            layer.walk(&mut cx, &mut visit)?
        };
        for (i, run) in runs.into_iter().enumerate() {
            if let Some(run) = run {
                let out = &mut outputs[i];
                if catch_unwind(AssertUnwindSafe(|| run.finish(out))).is_err() {
                    outputs[i].diagnostic(Diagnostic::error(
                        "detector-panic",
                        format!("detector {} panicked while finishing a layer", active.detectors[i].id()),
                    ));
                }
            }
        }
        for out in outputs {
            let (f, d) = out.into_parts();
            result.findings.extend(f);
            result.diagnostics.extend(d);
        }
        result.diagnostics.extend(walk_diags);
        result.bytes_read = stats.bytes_read;
        result.bytes_uncompressed = stats.bytes_uncompressed;
        result.entry_count = stats.entries;
        Ok(result)
    }
}

fn pick_os(findings: &[Finding]) -> Option<OsInfo> {
    findings
        .iter()
        .filter_map(|f| match f {
            Finding::Os(o) => Some(o),
            _ => None,
        })
        .max_by_key(|o| (o.precedence, o.origin.layer_index))
        .cloned()
}

fn layer_figures(results: &[LayerResult]) -> Vec<LayerFiles> {
    results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let files = r.entries.iter().filter(|(_, m)| m.kind == EntryKind::File);
            LayerFiles {
                index: i as u32,
                files: files.clone().count() as u64,
                size: files.map(|(_, m)| m.size).sum(),
                whiteouts: (r.whiteouts.len() + r.opaques.len()) as u64,
                visible_files: 0,
            }
        })
        .collect()
}

fn file_summary(tree: &Tree, mut layers: Vec<LayerFiles>, largest: usize) -> FileSummary {
    let mut s = FileSummary::default();
    let mut heap: BinaryHeap<std::cmp::Reverse<(u64, ImagePath, u32)>> = BinaryHeap::new();
    for (p, (m, l)) in tree {
        match m.kind {
            EntryKind::File => {
                s.count += 1;
                s.total_size += m.size;
                if let Some(lf) = layers.get_mut(*l as usize) {
                    lf.visible_files += 1;
                }
                if largest > 0 {
                    heap.push(std::cmp::Reverse((m.size, p.clone(), *l)));
                    if heap.len() > largest {
                        heap.pop();
                    }
                }
            }
            EntryKind::Dir => s.directories += 1,
            EntryKind::Symlink => s.symlinks += 1,
            _ => {}
        }
    }
    let mut big: Vec<_> = heap.into_iter().map(|r| r.0).collect();
    big.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    s.largest = big
        .into_iter()
        .map(|(size, p, l)| LargeFile { path: p.to_string_lossy(), size, layer_index: l })
        .collect();
    s.layers = layers;
    s
}

fn sort_report(r: &mut Report) {
    r.packages.sort_by(|a, b| {
        (a.ecosystem, &a.name, &a.version, &a.origin.path).cmp(&(b.ecosystem, &b.name, &b.version, &b.origin.path))
    });
    r.vulnerabilities.sort_by(|a, b| {
        b.severity.cmp(&a.severity).then_with(|| (&a.id, &a.package, &a.origin.path).cmp(&(&b.id, &b.package, &b.origin.path)))
    });
    r.secrets.sort_by(|a, b| (&a.origin.path, a.line, &a.rule_id).cmp(&(&b.origin.path, b.line, &b.rule_id)));
    r.malware.sort_by(|a, b| (&a.origin.path, &a.name).cmp(&(&b.origin.path, &b.name)));
    r.misconfigurations.sort_by(|a, b| (&a.id, &a.origin.path).cmp(&(&b.id, &b.origin.path)));
    r.compliance.sort_by(|a, b| (&a.id, &a.origin.path).cmp(&(&b.id, &b.origin.path)));
}

/// Keeps at most 100 diagnostics per code, plus one line saying how many were dropped.
fn cap_diagnostics(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    const PER_CODE: usize = 100;
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let mut out = Vec::new();
    for d in diags {
        let n = counts.entry(d.code.clone()).or_default();
        *n += 1;
        if *n <= PER_CODE {
            out.push(d);
        }
    }
    for (code, n) in counts {
        if n > PER_CODE {
            out.push(Diagnostic::new(Level::Info, "diagnostics-suppressed", format!("{} more {code} diagnostics not shown", n - PER_CODE)));
        }
    }
    out
}

impl Engine {
    /// Sets where compressed archives are spooled (inside the cache dir).
    pub fn with_spool_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.cache_dir = dir;
        self
    }
}
