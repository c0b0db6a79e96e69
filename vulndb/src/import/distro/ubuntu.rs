//! Ubuntu CVE Tracker (UCT) files and tar(.zst) archives of them.
//!
//! ```text
//! Candidate: CVE-2012-0876
//! PublicDate: 2012-07-03 19:55:00 UTC
//! Priority: medium
//! lucid_expat: released (2.0.1-7ubuntu1.1)
//! quantal_expat: not-affected (2.1.0-1)
//! ```
//!
//! Status lines become one [`Affected`] per release and source package: `released (v)` ->
//! fixed at `v`; `needed`, `needs-triage`, `pending`, `active` -> affected; `deferred` ->
//! fix deferred; `ignored` -> will not fix (end of life when the note says so);
//! `not-affected` -> not affected; `DNE` and the `upstream`/`devel` pseudo-releases are
//! dropped. `trusty/esm` and `esm-infra/xenial`-style keys go to `ubuntu:<version>-esm`;
//! other sub-releases (`vivid/ubuntu-core`, `fips/...`, ...) are dropped.

use std::io::Read;

use strata_core::{Cvss, Severity};

use super::{
    Error, MAX_DECOMPRESSED_BYTES, Parsed, fixed_affected, known, push_unique, status_affected,
    ubuntu_codename_version,
};
use crate::model::{Advisory, AffectedStatus, NameKind};

/// Largest single UCT file read from an archive.
const MAX_ENTRY: u64 = 8 << 20;

/// Parses a tar archive (zstd-compressed or plain) of UCT files.
pub(crate) fn parse_archive(bytes: &[u8]) -> Result<Parsed, Error> {
    if bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        // Stream the decompression (the archives unpack to ~75 MB), capped.
        let dec = ruzstd::decoding::StreamingDecoder::new(bytes).map_err(|e| {
            Error::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                e.to_string(),
            ))
        })?;
        parse_tar(dec.take(MAX_DECOMPRESSED_BYTES))
    } else {
        parse_tar(bytes)
    }
}

fn parse_tar(r: impl Read) -> Result<Parsed, Error> {
    let mut out = Parsed::default();
    let mut ar = tar::Archive::new(r);
    for entry in ar.entries().map_err(Error::Io)? {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.warnings.push(format!("tar: {e}"));
                break;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let base = path.rsplit('/').next().unwrap_or(&path);
        if !base.starts_with("CVE-") {
            continue;
        }
        if entry.header().size().unwrap_or(0) > MAX_ENTRY {
            out.warnings
                .push(format!("{path}: larger than {MAX_ENTRY} bytes, skipped"));
            continue;
        }
        let mut buf = Vec::new();
        if let Err(e) = (&mut entry).take(MAX_ENTRY).read_to_end(&mut buf) {
            out.warnings.push(format!("{path}: {e}"));
            continue;
        }
        let p = parse_file(&buf, &path);
        out.advisories.extend(p.advisories);
        out.warnings.extend(p.warnings);
    }
    Ok(out)
}

/// Parses one UCT file (never fails: an unusable file yields a warning).
pub(crate) fn parse_file(bytes: &[u8], name_hint: &str) -> Parsed {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Parsed::default();
    let mut adv = Advisory {
        source: "ubuntu-cve-tracker".into(),
        ..Advisory::default()
    };
    let mut priority = Severity::Unknown;
    let mut pkg_priority: Vec<(String, Severity)> = Vec::new();
    let mut field = String::new();
    let mut lines: Vec<(String, String, String)> = Vec::new(); // (release, pkg, rest)
    for raw in text.lines() {
        if raw.starts_with(' ') || raw.starts_with('\t') {
            // continuation of the previous field
            let v = raw.trim();
            match field.as_str() {
                "Description" => {
                    if !adv.description.is_empty() {
                        adv.description.push(' ');
                    }
                    adv.description.push_str(v);
                }
                "References" => push_unique(&mut adv.references, v),
                "CVSS" => push_cvss(&mut adv.cvss, v),
                _ => {}
            }
            continue;
        }
        let line = raw.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        field = key.to_string();
        match key {
            "Candidate" => adv.id = value.to_string(),
            "PublicDate" => {
                if !value.is_empty() && value != "unknown" {
                    adv.published =
                        Some(value.split_whitespace().next().unwrap_or(value).to_string());
                }
            }
            "Priority" => priority = parse_priority(value),
            "Description" => adv.description = value.to_string(),
            "References" => push_unique(&mut adv.references, value),
            "CVSS" => push_cvss(&mut adv.cvss, value),
            _ => {
                if let Some(pkg) = key.strip_prefix("Priority_") {
                    pkg_priority.push((pkg.to_string(), parse_priority(value)));
                } else if key.starts_with(|c: char| c.is_ascii_lowercase()) {
                    if let Some((rel, pkg)) = key.split_once('_') {
                        lines.push((rel.to_string(), pkg.to_string(), value.to_string()));
                    }
                }
            }
        }
    }
    if adv.id.is_empty() {
        let base = name_hint.rsplit('/').next().unwrap_or(name_hint);
        if base.starts_with("CVE-") {
            adv.id = base.to_string();
        } else {
            out.warnings.push(format!("{name_hint}: no Candidate"));
            return out;
        }
    }
    adv.severity = known(priority);
    for (rel, pkg, rest) in lines {
        let (code, sub) = match rel.split_once('/') {
            // Newer trackers: `esm-infra/xenial`, `esm-apps/jammy` (ESM of a release).
            Some((esm, c)) if esm.starts_with("esm-") => (c, Some("esm")),
            Some((c, s)) => (c, Some(s)),
            None => (rel.as_str(), None),
        };
        if code == "upstream" || code == "devel" || code == "product" || code == "snap" {
            continue;
        }
        let Some(ver) = ubuntu_codename_version(code) else {
            if sub.is_some() {
                continue; // `fips/jammy`, `ros-esm/...`: product streams, not releases
            }
            out.warnings
                .push(format!("{}: unknown release {rel:?}", adv.id));
            continue;
        };
        let ns = match sub {
            None => format!("ubuntu:{ver}"),
            Some("esm") => format!("ubuntu:{ver}-esm"),
            Some(_) => continue,
        };
        let (status, note) = match rest.split_once(char::is_whitespace) {
            Some((s, n)) => (s, n.trim()),
            None => (rest.as_str(), ""),
        };
        let note_inner = note
            .trim_start_matches(['(', '['])
            .trim_end_matches([')', ']'])
            .trim();
        let mut aff = match status {
            "released" => {
                let v = note_inner.split_whitespace().next().unwrap_or("");
                if v.is_empty() || !v.starts_with(|c: char| c.is_ascii_digit()) {
                    // released without a version: the fix exists but we cannot bound it
                    out.warnings.push(format!(
                        "{}: {rel}_{pkg} released without a version",
                        adv.id
                    ));
                    continue;
                }
                fixed_affected(ns, pkg.clone(), NameKind::Source, v)
            }
            "needed" | "needs-triage" | "pending" | "active" => {
                status_affected(ns, pkg.clone(), NameKind::Source, AffectedStatus::Affected)
            }
            "deferred" => status_affected(
                ns,
                pkg.clone(),
                NameKind::Source,
                AffectedStatus::FixDeferred,
            ),
            "ignored" => {
                let l = note_inner.to_ascii_lowercase();
                let st = if l.contains("end-of-life")
                    || l.contains("end of life")
                    || l.contains("out of standard support")
                {
                    AffectedStatus::EndOfLife
                } else {
                    AffectedStatus::WillNotFix
                };
                status_affected(ns, pkg.clone(), NameKind::Source, st)
            }
            "not-affected" => status_affected(
                ns,
                pkg.clone(),
                NameKind::Source,
                AffectedStatus::NotAffected,
            ),
            "DNE" => continue,
            other => {
                out.warnings
                    .push(format!("{}: {rel}_{pkg}: unknown status {other:?}", adv.id));
                continue;
            }
        };
        aff.severity = pkg_priority
            .iter()
            .find(|(p, _)| *p == pkg)
            .and_then(|(_, s)| known(*s));
        adv.affected.push(aff);
    }
    out.advisories.push(adv);
    out
}

fn parse_priority(v: &str) -> Severity {
    match v.split_whitespace().next().unwrap_or("") {
        "negligible" | "low" => Severity::Low,
        "medium" => Severity::Medium,
        "high" => Severity::High,
        "critical" => Severity::Critical,
        _ => Severity::Unknown,
    }
}

/// `nvd: CVSS:3.1/AV:N/...` (older files: `nvd: CVSS:3.0/... [7.5 HIGH]`).
fn push_cvss(v: &mut Vec<Cvss>, s: &str) {
    let s = s.trim();
    if s.is_empty() {
        return;
    }
    let (source, rest) = match s.split_once(':') {
        Some((src, r)) if !src.contains('/') && !src.starts_with("CVSS") => {
            (src.trim().to_string(), r.trim())
        }
        _ => (String::new(), s),
    };
    let vector = rest.split_whitespace().next().unwrap_or("").to_string();
    if vector.is_empty() {
        return;
    }
    let score = rest
        .split_once('[')
        .and_then(|(_, r)| r.split_whitespace().next())
        .and_then(|x| x.parse::<f64>().ok());
    v.push(Cvss {
        source,
        vector,
        score,
    });
}
