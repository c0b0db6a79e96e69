//! Application packages of language ecosystems installed in images: Python
//! (`*.dist-info/METADATA`, `*.egg-info`, `.egg`), Node (`node_modules/**/package.json`,
//! `package-lock.json`, `yarn.lock`, `pnpm-lock.yaml`), Go binaries (build info), Rust
//! binaries (cargo-auditable `.dep-v0`), PHP (composer `installed.json`, `composer.lock`),
//! Ruby (`specifications/*.gemspec`) and .NET (`*.deps.json`).
//!
//! ```
//! use strata_detect_lang::{detectors, LangConfig};
//! let all = detectors(&LangConfig::default());
//! assert!(all.iter().any(|d| d.id() == "lang/go-binary"));
//! ```
//!
//! # Design
//! One [`Detector`] per ecosystem (`lang/python`, `lang/node`, `lang/go-binary`,
//! `lang/rust-binary`, `lang/php`, `lang/ruby`, `lang/dotnet`), all in the `lang` group, so
//! users can select them one by one and each has its own cache version. Each detector is a
//! thin adapter over pure parsers in [`parsers`] that take bytes and return records or a
//! [`Error`]; the adapters turn records into `Package`s (purl, evidence, origin) and
//! errors into `Diagnostic`s. The parsers are public so the fuzz targets drive them
//! directly. Cross-file facts stay inside one layer: Node lock files take licenses from the
//! `node_modules` manifests next to them, and `composer.lock` takes direct/indirect from the
//! `composer.json` beside it, both joined in `finish()`.
//!
//! # Output
//! Every finding is a `Package` with `ecosystem`, `purl` (written as Trivy writes them:
//! Go module paths lowercased, PyPI names lowercased with `_` as `-`), raw declared
//! `licenses` (not SPDX-normalised), `evidence` (`dist-info`, `egg-info`, `egg`,
//! `package.json`, `package-lock.json`, `yarn.lock`, `pnpm-lock.yaml`, `go-buildinfo`,
//! `cargo-auditable`, `composer.lock`, `installed.json`, `gemspec`, `deps.json`),
//! `origin.path` (the metadata or lock file, or the binary; `outer.egg!/EGG-INFO/PKG-INFO`
//! for zipped eggs) and `detector`. `direct` is set where the source knows it (lock files
//! with their project manifest; Go's `stdlib`). Properties: `dev=true` for dev-only
//! lock-file packages, `relationship=root` for a binary's main module or root crate,
//! `go_version` and `replaces` (the module a `=>` replacement stands for) for Go.
//!
//! Crates: `serde_json` for every JSON format (its recursion limit bounds nesting);
//! `flate2` (zlib-rs backend, already in the workspace) for `.dep-v0` and `.egg` members,
//! always read through a size cap; `memchr` for the Go build-info magic. ELF section
//! headers are read by a ~100-line walker ([`parsers::elf`]): we need only section names,
//! addresses and offsets, with every offset bounds-checked, and `object`/`goblin` would add
//! a dependency and compile time for far more than that. `yarn.lock` and `pnpm-lock.yaml`
//! are read by small line-oriented parsers of the subsets these tools write (no YAML crate,
//! no recursion, nothing allocated from declared lengths).

#![deny(missing_docs)]

mod detectors;
mod error;
pub mod parsers;
mod purl;

pub use detectors::{
    DotnetDetector, GoBinaryDetector, NodeDetector, PhpDetector, PythonDetector, RubyDetector,
    RustBinaryDetector,
};
pub use error::Error;
use strata_core::Detector;

/// Configuration shared by the language detectors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LangConfig {
    /// Bytes of an executable handed to the Go and Rust binary detectors (the interest's
    /// `max_bytes`); larger binaries are read up to this size and parsed if their build
    /// information lies within it.
    pub max_binary_bytes: u64,
    /// Largest manifest or lock file parsed (larger ones are skipped by the engine).
    pub max_manifest_bytes: u64,
    /// Cap on decompressed data (`.dep-v0`, `.egg` members): past it the input is
    /// rejected with a diagnostic (deflate bombs).
    pub max_decompressed_bytes: u64,
    /// Whether lock-file packages marked dev-only are reported (with property `dev=true`).
    pub include_dev: bool,
}

impl Default for LangConfig {
    fn default() -> Self {
        LangConfig {
            max_binary_bytes: 256 << 20,
            max_manifest_bytes: 64 << 20,
            max_decompressed_bytes: 16 << 20,
            include_dev: true,
        }
    }
}

impl LangConfig {
    /// FNV-1a over the fields: stable across runs and compiler versions (it keys caches).
    pub(crate) fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let fields = [
            self.max_binary_bytes,
            self.max_manifest_bytes,
            self.max_decompressed_bytes,
            u64::from(self.include_dev),
        ];
        for b in fields.iter().flat_map(|f| f.to_le_bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        h
    }
}

/// Every language detector, configured.
pub fn detectors(cfg: &LangConfig) -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(PythonDetector::new(cfg.clone())),
        Box::new(NodeDetector::new(cfg.clone())),
        Box::new(GoBinaryDetector::new(cfg.clone())),
        Box::new(RustBinaryDetector::new(cfg.clone())),
        Box::new(PhpDetector::new(cfg.clone())),
        Box::new(RubyDetector::new(cfg.clone())),
        Box::new(DotnetDetector::new(cfg.clone())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_follows_the_configuration() {
        let a = LangConfig::default();
        let b = LangConfig {
            include_dev: false,
            ..LangConfig::default()
        };
        assert_eq!(a.fingerprint(), LangConfig::default().fingerprint());
        assert_ne!(a.fingerprint(), b.fingerprint());
        let ds = detectors(&b);
        assert_eq!(ds.len(), 7);
        assert!(
            ds.iter()
                .all(|d| d.group() == "lang" && d.config_fingerprint() == b.fingerprint())
        );
        let ids: Vec<&str> = ds.iter().map(|d| d.id()).collect();
        assert_eq!(
            ids,
            [
                "lang/python",
                "lang/node",
                "lang/go-binary",
                "lang/rust-binary",
                "lang/php",
                "lang/ruby",
                "lang/dotnet"
            ]
        );
    }
}
