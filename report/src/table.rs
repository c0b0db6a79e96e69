//! Plain-text tables for terminals.

use std::io::{self, Write};

use strata_core::report::{Report, ScanOutput};

fn row(w: &mut dyn Write, widths: &[usize], cells: &[String]) -> io::Result<()> {
    let mut line = String::new();
    for (i, c) in cells.iter().enumerate() {
        let width = widths[i];
        let cell: String = if c.chars().count() > width {
            c.chars()
                .take(width.saturating_sub(1))
                .chain(['…'])
                .collect()
        } else {
            c.clone()
        };
        line.push_str(&cell);
        if i + 1 < cells.len() {
            line.push_str(&" ".repeat(width - cell.chars().count() + 2));
        }
    }
    writeln!(w, "{}", line.trim_end())
}

fn table(
    w: &mut dyn Write,
    title: &str,
    header: &[&str],
    rows: Vec<Vec<String>>,
    max: &[usize],
) -> io::Result<()> {
    writeln!(w, "\n{title} ({})", rows.len())?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count()).min(max[i]);
        }
    }
    row(
        w,
        &widths,
        &header.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    )?;
    row(
        w,
        &widths,
        &widths.iter().map(|n| "-".repeat(*n)).collect::<Vec<_>>(),
    )?;
    for r in rows {
        row(w, &widths, &r)?;
    }
    Ok(())
}

fn layer(l: Option<u32>) -> String {
    l.map(|l| l.to_string()).unwrap_or_default()
}

fn one(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    let os = r
        .image
        .os
        .as_ref()
        .map(|o| format!("{} {}", o.name, o.version))
        .unwrap_or_else(|| "unknown".into());
    let plat = r
        .image
        .platform
        .as_ref()
        .map(|p| p.to_string())
        .unwrap_or_default();
    writeln!(
        w,
        "{} {plat}\nOS: {os}; {} layers",
        r.target,
        r.image.layers.len()
    )?;
    if let Some(f) = &r.files {
        writeln!(
            w,
            "Files: {} ({} bytes), {} directories, {} symlinks",
            f.count, f.total_size, f.directories, f.symlinks
        )?;
    }
    if let Some(b) = &r.base_image {
        writeln!(w, "Base image: {} {}", b.name, b.version)?;
    }
    let vulns = r
        .vulnerabilities
        .iter()
        .map(|v| {
            vec![
                v.severity.to_string(),
                v.id.to_string(),
                v.package.to_string(),
                v.version.to_string(),
                v.fixed_version
                    .as_deref()
                    .map_or_else(|| format!("{:?}", v.status).to_lowercase(), str::to_owned),
                layer(v.origin.layer_index),
                v.origin.path.clone(),
            ]
        })
        .collect();
    table(
        w,
        "Vulnerabilities",
        &[
            "SEVERITY", "ID", "PACKAGE", "VERSION", "FIXED", "LAYER", "PATH",
        ],
        vulns,
        &[8, 20, 30, 30, 30, 5, 60],
    )?;
    let pkgs = r
        .packages
        .iter()
        .map(|p| {
            vec![
                p.ecosystem.to_string(),
                p.name.clone(),
                p.version.clone(),
                layer(p.origin.layer_index),
                p.origin.path.clone(),
            ]
        })
        .collect();
    table(
        w,
        "Packages",
        &["TYPE", "NAME", "VERSION", "LAYER", "PATH"],
        pkgs,
        &[8, 40, 40, 5, 70],
    )?;
    let secrets = r
        .secrets
        .iter()
        .map(|s| {
            vec![
                s.severity.to_string(),
                s.rule_id.clone(),
                format!("{}:{}", s.origin.path, s.line.unwrap_or(0)),
                layer(s.origin.layer_index),
                s.origin
                    .removed_in_layer
                    .map(|l| format!("removed in {l}"))
                    .unwrap_or_default(),
                s.redacted.clone(),
            ]
        })
        .collect();
    table(
        w,
        "Secrets",
        &["SEVERITY", "RULE", "LOCATION", "LAYER", "STATE", "MATCH"],
        secrets,
        &[8, 30, 60, 5, 14, 50],
    )?;
    let mal = r
        .malware
        .iter()
        .map(|m| {
            vec![
                m.severity.to_string(),
                m.name.clone(),
                m.engine.clone(),
                m.origin.path.clone(),
                layer(m.origin.layer_index),
                m.origin
                    .removed_in_layer
                    .map(|l| format!("removed in {l}"))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    table(
        w,
        "Malware",
        &["SEVERITY", "NAME", "ENGINE", "PATH", "LAYER", "STATE"],
        mal,
        &[8, 30, 6, 60, 5, 14],
    )?;
    let mis = r
        .misconfigurations
        .iter()
        .map(|m| {
            vec![
                m.severity.to_string(),
                m.id.clone(),
                m.title.clone(),
                m.origin.path.clone(),
            ]
        })
        .collect();
    table(
        w,
        "Misconfigurations",
        &["SEVERITY", "ID", "TITLE", "PATH"],
        mis,
        &[8, 30, 60, 50],
    )?;
    let comp = r
        .compliance
        .iter()
        .map(|c| {
            vec![
                c.severity.to_string(),
                c.id.clone(),
                c.origin.path.clone(),
                layer(c.origin.layer_index),
            ]
        })
        .collect();
    table(
        w,
        "Compliance",
        &["SEVERITY", "ID", "PATH", "LAYER"],
        comp,
        &[8, 30, 60, 5],
    )?;
    if !r.diagnostics.is_empty() {
        writeln!(
            w,
            "\nDiagnostics: {} (see --format json)",
            r.diagnostics.len()
        )?;
    }
    Ok(())
}

pub(crate) fn render(out: &ScanOutput, w: &mut dyn Write) -> io::Result<()> {
    for (i, r) in out.reports().into_iter().enumerate() {
        if i > 0 {
            writeln!(w, "\n{}", "=".repeat(72))?;
        }
        one(r, w)?;
    }
    Ok(())
}
