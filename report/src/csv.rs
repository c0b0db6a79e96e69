//! CSV (RFC 4180): one row per package and per finding of every kind.
//!
//! Columns: `platform` (empty for a single image), `kind` (`package`, `vulnerability`,
//! `secret`, `malware`, `misconfiguration`, `compliance`), `severity`, `id` (purl for
//! packages, vulnerability id, rule id, malware name), `package`, `version`,
//! `fixed_version`, `status`, `path`, `line`, `layer_index`, `layer`, `removed_in_layer`,
//! `title` (the ecosystem for packages; title and masked match for secrets). Fields are quoted when they hold a comma, quote, CR or LF; lines end in CRLF.
//! A field starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so spreadsheets
//! do not evaluate attacker-chosen names as formulas.

use std::io::{self, Write};

use strata_core::finding::Origin;
use strata_core::report::ScanOutput;

use crate::common;

/// The header row.
pub(crate) const HEADER: &[&str] = &[
    "platform",
    "kind",
    "severity",
    "id",
    "package",
    "version",
    "fixed_version",
    "status",
    "path",
    "line",
    "layer_index",
    "layer",
    "removed_in_layer",
    "title",
];

fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn row(w: &mut dyn Write, cells: &[&str]) -> io::Result<()> {
    let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
    w.write_all(line.join(",").as_bytes())?;
    w.write_all(b"\r\n")
}

struct Row<'a> {
    kind: &'a str,
    severity: String,
    id: &'a str,
    package: &'a str,
    version: &'a str,
    fixed: &'a str,
    status: &'a str,
    line: Option<u32>,
    title: &'a str,
}

fn emit(w: &mut dyn Write, platform: &str, r: Row<'_>, o: &Origin) -> io::Result<()> {
    let opt = |x: Option<u32>| x.map(|x| x.to_string()).unwrap_or_default();
    row(
        w,
        &[
            platform,
            r.kind,
            &r.severity,
            r.id,
            r.package,
            r.version,
            r.fixed,
            r.status,
            &o.path,
            &opt(r.line),
            &opt(o.layer_index),
            o.layer.as_deref().unwrap_or(""),
            &opt(o.removed_in_layer),
            r.title,
        ],
    )
}

pub(crate) fn render(out: &ScanOutput, w: &mut dyn Write) -> io::Result<()> {
    row(w, HEADER)?;
    for (label, r) in common::labelled(out) {
        let pl = label.as_deref().unwrap_or("");
        for p in common::sorted_packages(r) {
            let row = Row {
                kind: "package",
                severity: String::new(),
                id: p.purl.as_deref().unwrap_or(""),
                package: &p.name,
                version: &p.version,
                fixed: "",
                status: "",
                line: None,
                title: p.ecosystem.as_str(),
            };
            emit(w, pl, row, &p.origin)?;
        }
        for v in common::sorted_vulns(r) {
            let row = Row {
                kind: "vulnerability",
                severity: v.severity.to_string(),
                id: &v.id,
                package: &v.package,
                version: &v.version,
                fixed: v.fixed_version.as_deref().unwrap_or(""),
                status: common::status_str(v.status),
                line: None,
                title: &v.title,
            };
            emit(w, pl, row, &v.origin)?;
        }
        for s in common::sorted_secrets(r) {
            let title = format!("{}: {}", s.title, s.redacted);
            let row = Row {
                kind: "secret",
                severity: s.severity.to_string(),
                id: &s.rule_id,
                package: "",
                version: "",
                fixed: "",
                status: "",
                line: s.line,
                title: &title,
            };
            emit(w, pl, row, &s.origin)?;
        }
        for m in common::sorted_malware(r) {
            let row = Row {
                kind: "malware",
                severity: m.severity.to_string(),
                id: &m.name,
                package: "",
                version: "",
                fixed: "",
                status: "",
                line: None,
                title: if m.description.is_empty() {
                    &m.engine
                } else {
                    &m.description
                },
            };
            emit(w, pl, row, &m.origin)?;
        }
        for m in common::sorted_misconfigs(r) {
            let row = Row {
                kind: "misconfiguration",
                severity: m.severity.to_string(),
                id: &m.id,
                package: "",
                version: "",
                fixed: "",
                status: "",
                line: None,
                title: &m.title,
            };
            emit(w, pl, row, &m.origin)?;
        }
        for c in common::sorted_compliance(r) {
            let row = Row {
                kind: "compliance",
                severity: c.severity.to_string(),
                id: &c.id,
                package: c.package.as_deref().unwrap_or(""),
                version: "",
                fixed: "",
                status: "",
                line: None,
                title: &c.title,
            };
            emit(w, pl, row, &c.origin)?;
        }
    }
    Ok(())
}
