//! Strata core: image sources, the layered filesystem, detector dispatch, the per-layer
//! cache and the scan engine.
//!
//! ```no_run
//! use strata_core::{Engine, ScanOptions};
//! let engine = Engine::builder().build()?;
//! let out = engine.scan("docker-archive:image.tar", &ScanOptions::default())?;
//! for report in out.reports() {
//!     println!("{} files", report.files.as_ref().map_or(0, |f| f.count));
//! }
//! # Ok::<(), strata_core::ScanError>(())
//! ```
//!
//! # Design
//! Layers are analysed independently and in parallel: each layer's blob is hashed,
//! decompressed and walked once; every entry is matched against one dispatch table built
//! from all detectors' [`Interest`]s, and a body is read (once) only when some detector
//! wants it. Per-layer results (findings, file metadata, whiteouts) are cached on disk by
//! the layer's verified digests, then merged bottom-up with whiteout semantics, and the
//! [`Analyzer`]s (vulnerability matching, compliance, base image) run on the merged
//! [`Inventory`]. See ARCHITECTURE.md.

#![deny(missing_docs)]

pub mod cache;
pub mod cancel;
pub mod detect;
mod dispatch;
pub mod engine;
pub mod error;
pub mod files;
pub mod finding;
pub mod image;
pub mod layer;
pub mod limits;
pub mod merge;
pub mod path;
pub mod report;
pub mod source;
mod urls;

pub use cache::CacheConfig;
pub use cancel::{Cancel, Progress, ProgressFn};
pub use detect::{
    Analyzer, Detector, DetectorRun, EntryKind, FileMeta, FileRef, Interest, Inventory, Output,
    TEXT_SNIFF,
};
pub use engine::{Engine, EngineBuilder, ScanOptions};
pub use error::{LimitKind, Result, ScanError};
pub use files::FileList;
pub use finding::{
    Compliance, Cvss, Diagnostic, Ecosystem, Finding, Level, Malware, Misconfiguration, Origin,
    OsInfo, OwnedFiles, Package, Persistence, Secret, Severity, VulnStatus, Vulnerability,
};
pub use image::{History, ImageConfig, ImageInfo, LayerInfo, Platform};
pub use limits::Limits;
pub use path::ImagePath;
pub use report::{Report, ScanOutput};
pub use source::Target;
pub use urls::{UrlList, Urls};
