//! Strata: a container-image security scanner.
//!
//! This facade builds a scan [`Engine`] with the default detectors and analyzers, and
//! re-exports the core types. The CLI and the Python and Node bindings depend on this crate
//! only.
//!
//! ```no_run
//! let scanner = strata::Scanner::new(&strata::ScannerOptions::default())?;
//! let output = scanner.scan("docker-archive:image.tar", &strata::ScanOptions::default())?;
//! for report in output.reports() {
//!     println!("{} packages, {} vulnerabilities", report.packages.len(), report.vulnerabilities.len());
//! }
//! # Ok::<(), strata::Error>(())
//! ```
//!
//! # Design
//! One immutable [`Engine`] per configuration, shared behind an `Arc` (scan from many
//! threads); everything a scan needs per call lives in [`ScanOptions`]. Detector crates
//! know only `strata-core`; this crate is the one place that knows them all.

#![deny(missing_docs)]

use std::path::PathBuf;
use std::sync::Arc;

pub use strata_core::*;
pub use strata_report as report_formats;
pub use strata_vulndb as vulndb;

/// Scanner groups, in report order.
pub const SCANNERS: &[&str] = &["os", "lang", "vuln", "secret", "malware", "config", "compliance"];

/// Where the vulnerability database comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum DbSource {
    /// The database embedded in the binary.
    #[default]
    Embedded,
    /// A database file built with `strata db build`.
    File(PathBuf),
    /// No vulnerability matching.
    None,
}

/// Everything that configures a [`Scanner`].
#[derive(Clone, Debug)]
pub struct ScannerOptions {
    /// Vulnerability database.
    pub db: DbSource,
    /// Layer cache (`None` disables it).
    pub cache: Option<CacheConfig>,
    /// Limits.
    pub limits: Limits,
    /// Threads for layer analysis (0 = CPUs).
    pub threads: usize,
    /// A secret rule configuration file (YAML or TOML).
    pub secret_config: Option<PathBuf>,
}

impl Default for ScannerOptions {
    fn default() -> Self {
        ScannerOptions {
            db: DbSource::Embedded,
            cache: CacheConfig::default_dir().map(|dir| CacheConfig { dir, max_bytes: 2 << 30 }),
            limits: Limits::default(),
            threads: 0,
            secret_config: None,
        }
    }
}

/// Errors of the facade.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The scan failed.
    #[error(transparent)]
    Scan(#[from] ScanError),
    /// The vulnerability database could not be opened.
    #[error("vulnerability database: {0}")]
    Database(String),
    /// Invalid configuration.
    #[error("invalid configuration: {0}")]
    Config(String),
}

/// A configured scanner: cheap to clone, safe to share across threads.
#[derive(Clone, Debug)]
pub struct Scanner {
    engine: Arc<Engine>,
}

impl Scanner {
    /// Builds a scanner with the default detectors and analyzers.
    pub fn new(opts: &ScannerOptions) -> Result<Scanner, Error> {
        let builder = Engine::builder()
            .limits(opts.limits.clone())
            .threads(opts.threads)
            .cache(opts.cache.clone());
        let builder = register_defaults(builder, opts)?;
        let spool = opts.cache.as_ref().map(|c| c.dir.join("tmp"));
        Ok(Scanner { engine: Arc::new(builder.build()?.with_spool_dir(spool)) })
    }

    /// The engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Scans a target (`docker-archive:PATH`, `oci:PATH[:REF]`, `oci-archive:PATH[:REF]`,
    /// `dir:PATH`, or a bare path).
    pub fn scan(&self, target: &str, opts: &ScanOptions) -> Result<ScanOutput, Error> {
        if let Some(s) = &opts.scanners {
            if let Some(bad) = s.iter().find(|x| !SCANNERS.contains(&x.as_str())) {
                return Err(Error::Config(format!(
                    "unknown scanner {bad:?} (expected one of {})",
                    SCANNERS.join(", ")
                )));
            }
        }
        Ok(self.engine.scan(target, opts)?)
    }
}

fn register_defaults(mut b: EngineBuilder, opts: &ScannerOptions) -> Result<EngineBuilder, Error> {
    let os = strata_detect_os::OsConfig::default();
    b = b.detectors(strata_detect_os::detectors(&os)).analyzers(strata_detect_os::analyzers(&os));
    let java = strata_detect_java::JavaConfig::from_limits(&opts.limits);
    b = b.detectors(strata_detect_java::detectors(&java));
    b = b.detectors(strata_detect_lang::detectors(&strata_detect_lang::LangConfig::default()));
    let secrets = match &opts.secret_config {
        Some(p) => strata_detect_secrets::SecretConfig::from_file(p)
            .map_err(|e| Error::Config(format!("secret rules {}: {}", p.display(), error_chain(&e))))?,
        None => strata_detect_secrets::SecretConfig::default(),
    };
    b = b
        .detectors(strata_detect_secrets::detectors(&secrets).map_err(|e| Error::Config(error_chain(&e)))?)
        .analyzers(strata_detect_secrets::analyzers(&secrets).map_err(|e| Error::Config(error_chain(&e)))?);
    let malware = strata_detect_malware::MalwareConfig::default();
    b = b.detectors(strata_detect_malware::detectors(&malware).map_err(|e| Error::Config(error_chain(&e)))?);
    b = b.detectors(strata_detect_binary::detectors(&strata_detect_binary::BinaryConfig::default()));
    if let Some(db) = open_database(&opts.db)? {
        b = b.analyzer(Box::new(strata_detect_vulns::VulnAnalyzer::new(Arc::new(db))));
    }
    Ok(b)
}

/// Opens the configured vulnerability database (`None` when disabled).
pub fn open_database(src: &DbSource) -> Result<Option<strata_vulndb::Database>, Error> {
    match src {
        DbSource::Embedded => Ok(Some(strata_vulndb_default::database())),
        DbSource::File(p) => strata_vulndb::Database::open(p)
            .map(Some)
            .map_err(|e| Error::Database(format!("{}: {}", p.display(), error_chain(&e)))),
        DbSource::None => Ok(None),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}
