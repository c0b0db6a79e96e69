//! Secrets in files and in the image config: cloud keys, VCS/CI and registry tokens, SaaS
//! API keys, private keys, JWTs, database URLs with passwords, `.env`-style assignments,
//! kubeconfig, docker/npm/pypi/git credential files.
//!
//! ```
//! use strata_detect_secrets::{Scanner, SecretConfig};
//!
//! let scanner = Scanner::new(&SecretConfig::default()).unwrap();
//! let body = b"GITHUB_PAT=ghp_012345678901234567890123456789abcdef\n";
//! let found = scanner.scan("/app/.env", body).findings;
//! assert_eq!(found[0].rule_id, "github-pat");
//! assert_eq!(found[0].redacted, "GITHUB_PAT=ghp_************************************");
//! ```
//!
//! # Design
//! Speed comes from not running regexes: one Aho-Corasick automaton (ASCII
//! case-insensitive, `aho-corasick`) holds every rule's keywords; a rule's regex runs only
//! when one of its keywords occurs, and then only on a window around each occurrence (its
//! line, bounded to 4 KiB each side, or a longer forward reach for multi-line rules such as
//! PEM blocks). The windows are searched with `regex-automata`'s meta engine (the engine of
//! `regex::bytes`) through a bounded `Input` span, so anchors and word boundaries still see
//! the surrounding bytes and a windowed search finds exactly what a whole-file search would
//! find inside that window. Binaries are skipped by a NUL sniff of the first 8 KiB; line
//! numbers are counted with `memchr` only up to each hit.
//!
//! Findings never carry a secret: `redacted` masks it (a rule may keep up to 4 leading
//! characters of tokens with well-known prefixes, never more than a quarter of the secret;
//! private keys show only their BEGIN line), and the fingerprint is
//! `sha256(rule_id ":" path ":" line)`, as Trivy and gitleaks do: stable for suppression
//! files, and not a hash of the secret, which for short or low-entropy secrets would be
//! guessable offline. Nothing in this crate logs or `Debug`-prints matched bytes.
//!
//! Rules live in `rules/builtin.toml` (compiled in; `toml`). User configs use Trivy's
//! secret-config keys (YAML via `serde_yaml_ng`, or TOML), so Trivy users keep their files.
//!
//! Limits, by design: a keyed rule's match must start on the line of one of its keywords
//! (multi-line rules reach forward from there); catch-all `generic` rules yield to any
//! specific rule on the same bytes; one file yields at most [`MAX_FINDINGS_PER_FILE`]
//! findings (a `secrets-too-many` diagnostic says so).

#![deny(missing_docs)]

use std::sync::Arc;

use strata_core::{
    Analyzer, Detector, DetectorRun, Diagnostic, FileRef, Interest, Inventory, Output,
};

pub mod config;
mod rules;
mod scan;

pub use config::{
    AllowRuleSpec, AssignSpec, DEFAULT_EXCLUDE_PATHS, DEFAULT_MAX_FILE_SIZE, ExcludeBlockSpec,
    RedactMode, RuleSpec, SecretConfig, builtin_allow_rules,
};
pub use rules::builtin_rules;
pub use scan::{MAX_FINDINGS_PER_FILE, ScanResult, Scanner};

/// Errors of this crate (all about configuration: scanning itself never fails).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The config file could not be read.
    #[error("failed to read secret config {path}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The YAML config is invalid.
    #[error("invalid YAML secret config")]
    Yaml {
        /// The cause.
        #[source]
        source: serde_yaml_ng::Error,
    },
    /// The TOML config is invalid.
    #[error("invalid TOML secret config")]
    Toml {
        /// The cause.
        #[source]
        source: toml::de::Error,
    },
    /// A rule (or allow rule, exclude block) is invalid.
    #[error("invalid secret rule {rule}: {reason}")]
    Rule {
        /// The rule id.
        rule: String,
        /// What is wrong.
        reason: String,
    },
    /// An excluded path glob is invalid.
    #[error("invalid exclude glob {glob:?}")]
    Glob {
        /// The glob.
        glob: String,
        /// The cause.
        #[source]
        source: globset::Error,
    },
}

/// The id of the file detector.
pub const DETECTOR_ID: &str = "secrets";
/// The id of the image-config analyzer.
pub const ANALYZER_ID: &str = "secrets/image-config";
/// The scanner group of both.
pub const GROUP: &str = "secret";

/// The file detector (one), built from `cfg`.
pub fn detectors(cfg: &SecretConfig) -> Result<Vec<Box<dyn Detector>>, Error> {
    let excludes = cfg.effective_exclude_paths();
    for g in &excludes {
        globset::Glob::new(g).map_err(|source| Error::Glob {
            glob: g.clone(),
            source,
        })?;
    }
    Ok(vec![Box::new(SecretDetector {
        scanner: Arc::new(Scanner::new(cfg)?),
        excludes,
        max_file_size: cfg.max_file_size,
        scan_binaries: cfg.scan_binaries,
        fingerprint: config_fingerprint(cfg),
    })])
}

/// The image-config analyzer (one), built from `cfg`: env, labels and history commands.
pub fn analyzers(cfg: &SecretConfig) -> Result<Vec<Box<dyn Analyzer>>, Error> {
    Ok(vec![Box::new(ConfigAnalyzer {
        scanner: Arc::new(Scanner::new(cfg)?),
    })])
}

/// A hash of everything in the config that changes findings, plus the rule file.
fn config_fingerprint(cfg: &SecretConfig) -> u64 {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(cfg).unwrap_or_default());
    h.update(serde_json::to_vec(&builtin_rules()).unwrap_or_default());
    let d = h.finalize();
    u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

struct SecretDetector {
    scanner: Arc<Scanner>,
    excludes: Vec<String>,
    max_file_size: u64,
    scan_binaries: bool,
    fingerprint: u64,
}

impl Detector for SecretDetector {
    fn id(&self) -> &'static str {
        DETECTOR_ID
    }

    fn group(&self) -> &'static str {
        GROUP
    }

    fn config_fingerprint(&self) -> u64 {
        self.fingerprint
    }

    fn interest(&self) -> Interest {
        let it = Interest::any_file()
            .exclude(&self.excludes)
            .max_file_size(self.max_file_size)
            .max_bytes(self.max_file_size);
        // The engine's sniff is the scanner's own (a NUL in the first 8 KiB): binaries are
        // then not read past their first bytes unless another detector wants them.
        if self.scan_binaries { it } else { it.text_only() }
    }

    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(SecretRun {
            scanner: &self.scanner,
        })
    }
}

struct SecretRun<'a> {
    scanner: &'a Scanner,
}

impl DetectorRun for SecretRun<'_> {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        if file.truncated() {
            out.diagnostic(
                Diagnostic::info(
                    "secrets-truncated",
                    "file body truncated; only its start was scanned",
                )
                .with_path(path.clone()),
            );
        }
        let res = self.scanner.scan(&path, data);
        if res.capped {
            out.diagnostic(
                Diagnostic::warning(
                    "secrets-too-many",
                    format!("more than {MAX_FINDINGS_PER_FILE} secrets; the rest are not reported"),
                )
                .with_path(path),
            );
        }
        for f in res.findings {
            out.push(f);
        }
    }
}

struct ConfigAnalyzer {
    scanner: Arc<Scanner>,
}

impl ConfigAnalyzer {
    fn scan_item(&self, path: &str, text: &str, line: Option<u32>, out: &mut Output) {
        for mut f in self.scanner.scan(path, text.as_bytes()).findings {
            if let Some(l) = line {
                f.line = Some(l);
                f.fingerprint = fingerprint(&f.rule_id, path, l);
            }
            out.push(f);
        }
    }
}

fn fingerprint(rule: &str, path: &str, line: u32) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(format!("{rule}:{path}:{line}")))
}

impl Analyzer for ConfigAnalyzer {
    fn id(&self) -> &'static str {
        ANALYZER_ID
    }

    fn group(&self) -> &'static str {
        GROUP
    }

    /// Env entries (`config:env`, line = entry number), labels (`config:labels`, line =
    /// label number in key order, scanned as `key=value`) and each history command
    /// (`config:history[i]`, line within the command).
    fn analyze(&self, inventory: &Inventory<'_>, out: &mut Output) {
        let cfg = &inventory.image.config;
        for (i, env) in cfg.env.iter().enumerate() {
            self.scan_item("config:env", env, Some(i as u32 + 1), out);
        }
        for (i, (k, v)) in cfg.labels.iter().enumerate() {
            self.scan_item(
                "config:labels",
                &format!("{k}={v}"),
                Some(i as u32 + 1),
                out,
            );
        }
        for (i, h) in cfg.history.iter().enumerate() {
            if !h.created_by.is_empty() {
                self.scan_item(&format!("config:history[{i}]"), &h.created_by, None, out);
            }
        }
    }
}
