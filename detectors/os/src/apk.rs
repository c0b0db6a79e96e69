//! The apk database `/lib/apk/db/installed`: one paragraph per package, one `K:value`
//! line per field (`P` name, `V` version, `A` arch, `o` origin, `L` license, `m`
//! maintainer, `I` installed size, `F` directory, `R` file in the last `F` directory).

use std::collections::BTreeMap;

use memchr::memchr;
use strata_core::{Ecosystem, FileList, Origin, Output, Package};

use crate::DiagnosticBudget;

#[derive(Default)]
struct Entry<'a> {
    name: Option<&'a [u8]>,
    version: Option<&'a [u8]>,
    arch: Option<&'a [u8]>,
    origin: Option<&'a [u8]>,
    license: Option<&'a [u8]>,
    maintainer: Option<&'a [u8]>,
    installed_size: Option<&'a [u8]>,
    /// `/` + the last `F:` directory + `/`, built once per directory (empty: the root).
    dir: String,
    files: FileList,
    line: usize,
    any: bool,
}

fn text(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}

/// Parses an apk `installed` database and pushes one [`Package`] per entry; entries
/// without a name or version are skipped with an `apk-corrupt-entry` diagnostic.
pub fn parse_installed(data: &[u8], path: &str, detector: &str, out: &mut Output) {
    let mut budget = DiagnosticBudget::new(path);
    let mut entry = Entry::default();
    let mut pos = 0;
    let mut line_no = 0;
    while pos <= data.len() {
        let end = memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i);
        let raw = &data[pos..end];
        pos = end + 1;
        line_no += 1;
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.iter().all(u8::is_ascii_whitespace) {
            if entry.any {
                finish(std::mem::take(&mut entry), path, detector, out, &mut budget);
            }
            continue;
        }
        if !entry.any {
            entry.any = true;
            entry.line = line_no;
        }
        if line.len() < 2 || line[1] != b':' {
            budget.warn(
                out,
                "apk-corrupt-entry",
                format!("line {line_no}: not a K:value field"),
            );
            continue;
        }
        let value = &line[2..];
        match line[0] {
            b'P' => entry.name = Some(value),
            b'V' => entry.version = Some(value),
            b'A' => entry.arch = Some(value),
            b'o' => entry.origin = Some(value),
            b'L' => entry.license = Some(value),
            b'm' => entry.maintainer = Some(value),
            b'I' => entry.installed_size = Some(value),
            b'F' => {
                entry.dir.clear();
                if !value.is_empty() {
                    entry.dir.push('/');
                    entry.dir.push_str(&String::from_utf8_lossy(value));
                    entry.dir.push('/');
                }
            }
            b'R' if !value.is_empty() => {
                let dir = if entry.dir.is_empty() { "/" } else { entry.dir.as_str() };
                if entry.files.push_parts(dir, &String::from_utf8_lossy(value)).is_err() {
                    break;
                }
            }
            _ => {}
        }
    }
    if entry.any {
        finish(entry, path, detector, out, &mut budget);
    }
    budget.flush(out);
}

/// Splits an apk license field: a space-separated list of names (`MIT BSD GPL2+`), unless
/// it is an SPDX expression (`GPL-2.0-or-later AND MIT`), kept whole.
pub fn split_licenses(l: &str) -> Vec<String> {
    let l = l.trim();
    if l.is_empty() {
        return Vec::new();
    }
    let is_expression = l
        .split_whitespace()
        .any(|w| matches!(w, "AND" | "OR" | "WITH" | "and" | "or"))
        || l.contains('(');
    if is_expression {
        vec![l.to_owned()]
    } else {
        l.split_whitespace().map(str::to_owned).collect()
    }
}

fn finish(
    entry: Entry<'_>,
    path: &str,
    detector: &str,
    out: &mut Output,
    budget: &mut DiagnosticBudget,
) {
    let at = entry.line;
    let Some(name) = entry.name.filter(|n| !n.is_empty()) else {
        budget.warn(
            out,
            "apk-corrupt-entry",
            format!("entry at line {at}: no package name"),
        );
        return;
    };
    let name = text(name);
    let Some(version) = entry.version.filter(|v| !v.is_empty()) else {
        budget.warn(
            out,
            "apk-corrupt-entry",
            format!("entry at line {at} ({name}): no version"),
        );
        return;
    };
    let version = text(version);
    let mut properties = BTreeMap::new();
    if let Some(size) = entry
        .installed_size
        .and_then(|s| std::str::from_utf8(s).ok()?.trim().parse::<u64>().ok())
    {
        properties.insert("installed_size".to_owned(), size.to_string());
    }
    out.push(Package {
        source_name: Some(
            entry
                .origin
                .filter(|o| !o.is_empty())
                .map_or_else(|| name.clone(), text),
        ),
        source_version: Some(version.clone()),
        name,
        version,
        ecosystem: Ecosystem::Apk,
        arch: entry.arch.filter(|a| !a.is_empty()).map(text),
        licenses: entry
            .license
            .map(|l| split_licenses(&String::from_utf8_lossy(l)))
            .unwrap_or_default(),
        vendor: entry.maintainer.filter(|m| !m.is_empty()).map(text),
        evidence: Some("apk-installed".to_owned()),
        files: entry.files,
        properties,
        origin: Origin::file(path),
        detector: detector.to_owned(),
        ..Default::default()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licenses() {
        assert_eq!(split_licenses("MIT BSD GPL2+"), ["MIT", "BSD", "GPL2+"]);
        assert_eq!(
            split_licenses("GPL-2.0-or-later AND MIT"),
            ["GPL-2.0-or-later AND MIT"]
        );
        assert!(split_licenses(" ").is_empty());
    }

    #[test]
    fn files_join_directories_and_root() {
        let mut out = Output::new();
        parse_installed(
            b"P:a\nV:1-r0\nR:top\nF:usr/bin\nR:x\nF:etc\n\n",
            "/lib/apk/db/installed",
            "os/apk",
            &mut out,
        );
        let strata_core::Finding::Package(p) = &out.findings()[0] else {
            panic!()
        };
        assert_eq!(p.files, ["/top", "/usr/bin/x"]);
        assert!(out.diagnostics().is_empty());
    }
}
