//! Integration tests: every format rendered from reports built in code (and from a real
//! scan when the CLI and the test image are present), validated against the official JSON
//! schemas and checked field by field.

mod content;
mod fixtures;
mod python;
mod real;
mod schemas;

use strata_core::report::ScanOutput;
use strata_report::{Format, Options, render_with};

/// A fixed creation time (2024-05-06T07:08:09Z), so documents are reproducible.
pub(crate) const CREATED: u64 = 1_714_979_289;

/// Renders `out` in the named format.
pub(crate) fn render(name: &str, out: &ScanOutput) -> String {
    let mut buf = Vec::new();
    render_with(
        Format::parse(name).unwrap(),
        out,
        &Options::default().with_created(CREATED),
        &mut buf,
    )
    .unwrap();
    String::from_utf8(buf).unwrap()
}

/// Renders and parses a JSON format.
pub(crate) fn render_json(name: &str, out: &ScanOutput) -> serde_json::Value {
    serde_json::from_str(&render(name, out)).unwrap()
}
