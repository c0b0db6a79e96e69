//! Report formats: JSON (the contract), table, and (in their own modules) SARIF, CycloneDX,
//! SPDX, CSV and HTML.
//!
//! # Design
//! Every format renders from the same [`ScanOutput`]; none re-reads the image. Secrets are
//! already redacted in the findings, so no format can leak a secret value.

#![deny(missing_docs)]

use std::fmt;
use std::io::{self, Write};

use strata_core::report::{Report, ScanOutput};

mod table;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// JSON, `schema_version: 1`.
    Json,
    /// Human-readable tables.
    Table,
}

impl Format {
    /// All format names.
    pub const NAMES: &'static [&'static str] = &["json", "table"];

    /// Parses a format name.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "json" => Some(Format::Json),
            "table" => Some(Format::Table),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Json => "json",
            Format::Table => "table",
        })
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

/// Renders `out` in `format` into `w`.
pub fn render(format: Format, out: &ScanOutput, w: &mut dyn Write) -> Result<(), Error> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *w, out)?;
            w.write_all(b"\n")?;
        }
        Format::Table => table::render(out, w)?,
    }
    Ok(())
}

/// Renders one report as JSON into a string.
pub fn to_json(report: &Report) -> Result<String, Error> {
    Ok(serde_json::to_string_pretty(report)?)
}
