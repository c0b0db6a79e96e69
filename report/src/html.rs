//! One self-contained HTML page: inline CSS, no scripts, no external assets, and a
//! Content-Security-Policy that forbids scripts and remote loads. Every piece of text from
//! the report is HTML-escaped; links are written only for `http(s)` reference URLs.

use std::io::{self, Write};

use strata_core::finding::{Severity, VulnStatus};
use strata_core::report::{Report, ScanOutput};

use crate::common::{self, html_escape as e};

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}\
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}\
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}\
th{background:#f0f0f0}td.path{font-family:monospace;word-break:break-all}\
.critical{background:#7a0000;color:#fff}.high{background:#d9480f;color:#fff}\
.medium{background:#f2c94c}.low{background:#d8f0d8}.unknown{background:#eee}\
section{border-top:2px solid #444;margin-top:2em}";

fn sev(s: Severity) -> String {
    format!("<td class=\"{0}\">{0}</td>", s.as_str())
}

fn td(s: &str) -> String {
    format!("<td>{}</td>", e(s))
}

fn td_path(s: &str) -> String {
    format!("<td class=\"path\">{}</td>", e(s))
}

fn opt(x: Option<u32>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

fn table(w: &mut dyn Write, title: &str, header: &[&str], rows: &[String]) -> io::Result<()> {
    table_headed(w, &format!("{} ({})", title, rows.len()), header, rows)
}

fn table_headed(
    w: &mut dyn Write,
    heading: &str,
    header: &[&str],
    rows: &[String],
) -> io::Result<()> {
    writeln!(w, "<h3>{}</h3>", e(heading))?;
    if rows.is_empty() {
        return Ok(());
    }
    write!(w, "<table><thead><tr>")?;
    for h in header {
        write!(w, "<th>{}</th>", e(h))?;
    }
    writeln!(w, "</tr></thead><tbody>")?;
    for r in rows {
        writeln!(w, "<tr>{r}</tr>")?;
    }
    writeln!(w, "</tbody></table>")
}

fn link(u: &str) -> String {
    if u.starts_with("https://") || u.starts_with("http://") {
        format!("<a href=\"{0}\" rel=\"noreferrer\">{0}</a>", e(u))
    } else {
        e(u)
    }
}

fn counts(w: &mut dyn Write, r: &Report) -> io::Result<()> {
    let sevs = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Unknown,
    ];
    let kinds: [(&str, Vec<Severity>); 5] = [
        (
            "vulnerabilities",
            r.vulnerabilities
                .iter()
                .filter(|v| v.status != VulnStatus::NotAffected)
                .map(|v| v.severity)
                .collect(),
        ),
        ("secrets", r.secrets.iter().map(|s| s.severity).collect()),
        ("malware", r.malware.iter().map(|m| m.severity).collect()),
        (
            "misconfigurations",
            r.misconfigurations.iter().map(|m| m.severity).collect(),
        ),
        (
            "compliance",
            r.compliance.iter().map(|c| c.severity).collect(),
        ),
    ];
    let rows: Vec<String> = kinds
        .iter()
        .map(|(k, v)| {
            let mut s = td(k);
            for x in sevs {
                s.push_str(&format!(
                    "<td>{}</td>",
                    v.iter().filter(|y| **y == x).count()
                ));
            }
            s.push_str(&format!("<td>{}</td>", v.len()));
            s
        })
        .collect();
    table_headed(
        w,
        "Findings by severity",
        &[
            "kind", "critical", "high", "medium", "low", "unknown", "total",
        ],
        &rows,
    )
}

fn one(w: &mut dyn Write, r: &Report, label: Option<&str>) -> io::Result<()> {
    writeln!(w, "<section>")?;
    match label {
        Some(l) => writeln!(w, "<h2>{}: {}</h2>", e(l), e(&common::image_name(r)))?,
        None => writeln!(w, "<h2>{}</h2>", e(&common::image_name(r)))?,
    }
    let mut facts: Vec<(&str, String)> = vec![("Target", r.target.clone())];
    if let Some(d) = &r.image.digest {
        facts.push(("Digest", d.clone()));
    }
    if let Some(d) = &r.image.config_digest {
        facts.push(("Config digest", d.clone()));
    }
    if !r.image.repo_tags.is_empty() {
        facts.push(("Tags", r.image.repo_tags.join(", ")));
    }
    if let Some(p) = &r.image.platform {
        facts.push(("Platform", p.to_string()));
    }
    let os = r
        .image
        .os
        .as_ref()
        .map(|o| format!("{} {} ({})", o.name, o.version, o.family))
        .unwrap_or_else(|| "unknown".into());
    facts.push(("OS", os));
    if let Some(b) = &r.base_image {
        facts.push((
            "Base image",
            format!(
                "{} {} ({} layers; {})",
                b.name, b.version, b.layers, b.evidence
            ),
        ));
    }
    facts.push(("Layers", r.image.layers.len().to_string()));
    facts.push(("Packages", r.packages.len().to_string()));
    if let Some(f) = &r.files {
        facts.push((
            "Files",
            format!(
                "{} files ({} bytes), {} directories, {} symlinks",
                f.count, f.total_size, f.directories, f.symlinks
            ),
        ));
    }
    writeln!(w, "<table>")?;
    for (k, v) in facts {
        writeln!(w, "<tr><th>{}</th><td>{}</td></tr>", e(k), e(&v))?;
    }
    writeln!(w, "</table>")?;
    counts(w, r)?;

    let layers: Vec<String> = r
        .image
        .layers
        .iter()
        .map(|l| {
            format!(
                "{}{}{}{}{}",
                td(&l.index.to_string()),
                td_path(&l.diff_id),
                td_path(&l.digest),
                td(&l.size.to_string()),
                td(&l.created_by)
            )
        })
        .collect();
    table(
        w,
        "Layers",
        &["index", "diff_id", "digest", "size", "created by"],
        &layers,
    )?;

    let mut vulns = common::sorted_vulns(r);
    vulns.sort_by(|a, b| common::by_severity_desc(a.severity, b.severity));
    let rows: Vec<String> = vulns
        .iter()
        .map(|v| {
            let refs: Vec<String> = v.references.iter().take(3).map(link).collect();
            format!(
                "{}{}{}{}{}{}{}{}{}<td>{}</td>",
                sev(v.severity),
                td(&v.id),
                td(&v.package),
                td(&v.version),
                td(v.fixed_version.as_deref().unwrap_or("")),
                td(common::status_str(v.status)),
                td(&opt(v.origin.layer_index)),
                td_path(&v.origin.path),
                td(&if v.known_exploited {
                    format!("{} [known exploited]", v.title)
                } else {
                    v.title.to_string()
                }),
                refs.join("<br>")
            )
        })
        .collect();
    table(
        w,
        "Vulnerabilities",
        &[
            "severity",
            "id",
            "package",
            "version",
            "fixed",
            "status",
            "layer",
            "path",
            "title",
            "references",
        ],
        &rows,
    )?;

    let rows: Vec<String> = common::sorted_packages(r)
        .iter()
        .map(|p| {
            format!(
                "{}{}{}{}{}{}{}",
                td(p.ecosystem.as_str()),
                td(&p.name),
                td(&p.version),
                td(&p.licenses.join(", ")),
                td(p.purl.as_deref().unwrap_or("")),
                td(&opt(p.origin.layer_index)),
                td_path(&p.origin.path)
            )
        })
        .collect();
    table(
        w,
        "Packages",
        &[
            "type", "name", "version", "licenses", "purl", "layer", "path",
        ],
        &rows,
    )?;

    let rows: Vec<String> = common::sorted_secrets(r)
        .iter()
        .map(|s| {
            format!(
                "{}{}{}{}{}{}{}",
                sev(s.severity),
                td(&s.rule_id),
                td(&s.title),
                td_path(&format!("{}:{}", s.origin.path, opt(s.line))),
                td(&opt(s.origin.layer_index)),
                td(&s
                    .origin
                    .removed_in_layer
                    .map(|l| format!("removed in layer {l}"))
                    .unwrap_or_default()),
                td_path(&s.redacted)
            )
        })
        .collect();
    table(
        w,
        "Secrets",
        &[
            "severity",
            "rule",
            "title",
            "location",
            "layer",
            "state",
            "match (redacted)",
        ],
        &rows,
    )?;

    let rows: Vec<String> = common::sorted_malware(r)
        .iter()
        .map(|m| {
            format!(
                "{}{}{}{}{}{}{}",
                sev(m.severity),
                td(&m.name),
                td(&m.engine),
                td_path(&m.sha256),
                td_path(&m.origin.path),
                td(&opt(m.origin.layer_index)),
                td(&m
                    .origin
                    .removed_in_layer
                    .map(|l| format!("removed in layer {l}"))
                    .unwrap_or_default())
            )
        })
        .collect();
    table(
        w,
        "Malware",
        &[
            "severity", "name", "engine", "sha256", "path", "layer", "state",
        ],
        &rows,
    )?;

    let rows: Vec<String> = common::sorted_misconfigs(r)
        .iter()
        .map(|m| {
            format!(
                "{}{}{}{}{}{}",
                sev(m.severity),
                td(&m.id),
                td(&m.title),
                td(&m.message),
                td(&m.resolution),
                td_path(&m.origin.path)
            )
        })
        .collect();
    table(
        w,
        "Misconfigurations",
        &["severity", "id", "title", "message", "resolution", "path"],
        &rows,
    )?;

    let rows: Vec<String> = common::sorted_compliance(r)
        .iter()
        .map(|c| {
            format!(
                "{}{}{}{}{}{}",
                sev(c.severity),
                td(&c.id),
                td(&c.title),
                td(c.package.as_deref().unwrap_or("")),
                td_path(&c.origin.path),
                td(&opt(c.origin.layer_index))
            )
        })
        .collect();
    table(
        w,
        "Compliance",
        &["severity", "id", "title", "package", "path", "layer"],
        &rows,
    )?;

    if let Some(f) = &r.files {
        let rows: Vec<String> = f
            .largest
            .iter()
            .take(50)
            .map(|x| {
                format!(
                    "{}{}{}",
                    td_path(&x.path),
                    td(&x.size.to_string()),
                    td(&x.layer_index.to_string())
                )
            })
            .collect();
        table(w, "Largest files", &["path", "size", "layer"], &rows)?;
        let rows: Vec<String> = f
            .layers
            .iter()
            .map(|l| {
                format!(
                    "{}{}{}{}{}",
                    td(&l.index.to_string()),
                    td(&l.files.to_string()),
                    td(&l.size.to_string()),
                    td(&l.whiteouts.to_string()),
                    td(&l.visible_files.to_string())
                )
            })
            .collect();
        table(
            w,
            "Files per layer",
            &["layer", "files", "size", "whiteouts", "still visible"],
            &rows,
        )?;
    }

    let rows: Vec<String> = r
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}{}{}{}{}",
                td(&format!("{:?}", d.level).to_lowercase()),
                td(&d.code),
                td(&d.message),
                td_path(d.path.as_deref().unwrap_or("")),
                td(&opt(d.layer_index))
            )
        })
        .collect();
    table(
        w,
        "Diagnostics",
        &["level", "code", "message", "path", "layer"],
        &rows,
    )?;
    writeln!(w, "</section>")
}

pub(crate) fn render(out: &ScanOutput, created: u64, w: &mut dyn Write) -> io::Result<()> {
    let name = common::output_name(out);
    writeln!(w, "<!DOCTYPE html>")?;
    writeln!(w, "<html lang=\"en\"><head><meta charset=\"utf-8\">")?;
    writeln!(
        w,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'\">"
    )?;
    writeln!(
        w,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(w, "<title>Strata report: {}</title>", e(&name))?;
    writeln!(w, "<style>{STYLE}</style></head><body>")?;
    writeln!(w, "<h1>Strata report: {}</h1>", e(&name))?;
    writeln!(
        w,
        "<p>Generated by {} {} at {}.</p>",
        common::TOOL,
        common::VERSION,
        common::rfc3339(created)
    )?;
    if let ScanOutput::Index(i) = out {
        let s = &i.summary;
        writeln!(
            w,
            "<p>Index {}: {} platforms, {} packages, {} distinct vulnerabilities, {} secrets, {} malware, {} misconfigurations, {} compliance findings.</p>",
            e(i.digest.as_deref().unwrap_or("(no digest)")),
            s.platforms,
            s.packages,
            s.vulnerabilities,
            s.secrets,
            s.malware,
            s.misconfigurations,
            s.compliance
        )?;
    }
    for (label, r) in common::labelled(out) {
        one(w, r, label.as_deref())?;
    }
    writeln!(w, "</body></html>")
}
