//! Report formats: JSON (the contract), table, CycloneDX 1.6, SPDX 2.3, SARIF 2.1.0, CSV and
//! HTML, all rendered from one [`ScanOutput`].
//!
//! ```
//! use strata_core::report::{Report, ScanOutput};
//! use strata_report::{render_with, Format, Options};
//!
//! let out = ScanOutput::Single(Box::new(Report { target: "img.tar".into(), ..Default::default() }));
//! let mut buf = Vec::new();
//! let format = Format::parse("cyclonedx").unwrap();
//! render_with(format, &out, &Options::default().with_created(0), &mut buf).unwrap();
//! assert!(String::from_utf8(buf).unwrap().contains("\"specVersion\": \"1.6\""));
//! ```
//!
//! # Design
//! Every format renders from the same [`ScanOutput`]; none re-reads the image. Secrets are
//! already redacted in the findings and every format shows only `Secret::redacted` (never
//! the fingerprint), so no format can leak a secret value.
//!
//! Output is deterministic: each format sorts what it prints with total keys, the CycloneDX
//! serial number and the SPDX namespace are derived (SHA-256) from the target, the digests
//! and the creation time, and the creation time itself comes from [`Options::created`],
//! else `SOURCE_DATE_EPOCH`, else the clock. Two renderings of the same scan with the same
//! time are byte-identical.
//!
//! The JSON documents are built as `serde_json::Value`s with `json!` rather than typed
//! models: the CycloneDX crate stops at spec 1.5, and a typed SARIF or SPDX model would be
//! a large dependency for the handful of fields written here. Conformance is proved instead
//! by the integration tests, which validate every output against the official JSON schemas
//! (vendored under `testdata/schemas/`) with the `jsonschema` crate. License strings are
//! checked against the SPDX license list with the `spdx` crate (no default features), so
//! `licenseDeclared` is always a valid expression, `NOASSERTION` or a `LicenseRef-`.

#![deny(missing_docs)]

use std::fmt;
use std::io::{self, Write};

use strata_core::report::{Report, ScanOutput};

mod common;
mod csv;
mod cyclonedx;
mod html;
mod sarif;
mod spdx_json;
mod table;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// JSON, `schema_version: 1`.
    Json,
    /// Human-readable tables.
    Table,
    /// CycloneDX 1.6 JSON (packages, OS, vulnerabilities, layer provenance as properties).
    CycloneDx,
    /// SPDX 2.3 JSON (packages, OS, layer provenance as annotations).
    Spdx,
    /// SARIF 2.1.0 (one run per platform; vulnerabilities, secrets, malware,
    /// misconfigurations and compliance findings as results).
    Sarif,
    /// CSV (RFC 4180), one row per package and per finding, with a `kind` column.
    Csv,
    /// One self-contained HTML page (no scripts, no external assets).
    Html,
}

impl Format {
    /// All format names.
    pub const NAMES: &'static [&'static str] =
        &["json", "table", "cyclonedx", "spdx", "sarif", "csv", "html"];

    /// Parses a format name.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "json" => Some(Format::Json),
            "table" => Some(Format::Table),
            "cyclonedx" => Some(Format::CycloneDx),
            "spdx" => Some(Format::Spdx),
            "sarif" => Some(Format::Sarif),
            "csv" => Some(Format::Csv),
            "html" => Some(Format::Html),
            _ => None,
        }
    }

    /// The name [`Format::parse`] accepts.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Table => "table",
            Format::CycloneDx => "cyclonedx",
            Format::Spdx => "spdx",
            Format::Sarif => "sarif",
            Format::Csv => "csv",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Rendering options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Creation time written into CycloneDX, SPDX and HTML documents, in seconds since
    /// the Unix epoch. `None`: `SOURCE_DATE_EPOCH` if set and valid, else the current time.
    pub created: Option<u64>,
}

impl Options {
    /// Sets the creation time (seconds since the Unix epoch), for reproducible documents.
    pub fn with_created(mut self, secs: u64) -> Self {
        self.created = Some(secs);
        self
    }

    pub(crate) fn created_secs(&self) -> u64 {
        if let Some(s) = self.created {
            return s;
        }
        if let Some(s) = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|v| v.trim().parse().ok())
        {
            return s;
        }
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }
}

/// Errors while rendering.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Writing failed.
    #[error("failed to write the report")]
    Io(#[from] io::Error),
    /// Serialisation failed.
    #[error("failed to serialise the report")]
    Json(#[from] serde_json::Error),
}

/// Renders `out` in `format` into `w`, with default [`Options`].
pub fn render(format: Format, out: &ScanOutput, w: &mut dyn Write) -> Result<(), Error> {
    render_with(format, out, &Options::default(), w)
}

/// Renders `out` in `format` into `w`.
pub fn render_with(
    format: Format,
    out: &ScanOutput,
    options: &Options,
    w: &mut dyn Write,
) -> Result<(), Error> {
    match format {
        Format::Json => write_json(&out, w)?,
        Format::Table => table::render(out, w)?,
        Format::CycloneDx => write_json(&cyclonedx::document(out, options.created_secs()), w)?,
        Format::Spdx => write_json(&spdx_json::document(out, options.created_secs()), w)?,
        Format::Sarif => write_json(&sarif::document(out), w)?,
        Format::Csv => csv::render(out, w)?,
        Format::Html => html::render(out, options.created_secs(), w)?,
    }
    Ok(())
}

fn write_json<T: serde::Serialize + ?Sized>(value: &T, w: &mut dyn Write) -> Result<(), Error> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    w.write_all(b"\n")?;
    Ok(())
}

/// Renders one report as JSON into a string.
pub fn to_json(report: &Report) -> Result<String, Error> {
    Ok(serde_json::to_string_pretty(report)?)
}

#[cfg(test)]
mod tests;
