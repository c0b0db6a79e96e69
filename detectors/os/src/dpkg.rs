//! dpkg databases: `/var/lib/dpkg/status`, distroless `/var/lib/dpkg/status.d/*`, opkg
//! `/var/lib/opkg/status`, and the `/var/lib/dpkg/info/*.list` file lists.
//!
//! The parser walks the body once with `memchr`, keeping byte slices of the few fields it
//! needs and allocating only for the packages it reports.

use std::collections::BTreeMap;

use memchr::memchr;
use strata_core::{Ecosystem, FileList, Origin, Output, OwnedFiles, Package};

use crate::DiagnosticBudget;

/// Which kind of dpkg database a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusKind {
    /// `/var/lib/dpkg/status`: every entry carries a `Status` field.
    Status,
    /// A distroless `/var/lib/dpkg/status.d/<name>` file: control paragraphs, where a
    /// missing `Status` means installed.
    StatusD,
    /// `/var/lib/opkg/status` (OpenWrt, Yocto).
    Opkg,
}

impl StatusKind {
    /// The `evidence` string of packages read from this kind of file.
    pub fn evidence(self) -> &'static str {
        match self {
            StatusKind::Status => "dpkg-status",
            StatusKind::StatusD => "dpkg-status.d",
            StatusKind::Opkg => "opkg-status",
        }
    }
}

/// The fields of one paragraph this crate uses, as raw slices of the body.
#[derive(Default)]
struct Paragraph<'a> {
    package: Option<&'a [u8]>,
    status: Option<&'a [u8]>,
    version: Option<&'a [u8]>,
    source: Option<&'a [u8]>,
    arch: Option<&'a [u8]>,
    installed_size: Option<&'a [u8]>,
    license: Option<&'a [u8]>,
    maintainer: Option<&'a [u8]>,
    line: usize,
    any: bool,
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if first.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if last.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    s
}

fn text(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}

/// Parses a dpkg status-format body and pushes one [`Package`] per installed entry.
/// Entries that are not installed are skipped silently; malformed ones are skipped with a
/// `dpkg-corrupt-entry` diagnostic.
pub fn parse_status(data: &[u8], kind: StatusKind, path: &str, detector: &str, out: &mut Output) {
    let mut budget = DiagnosticBudget::new(path);
    let mut para = Paragraph::default();
    let mut pos = 0;
    let mut line_no = 0;
    while pos <= data.len() {
        let end = memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i);
        let line = &data[pos..end];
        line_no += 1;
        pos = end + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if trim(line).is_empty() {
            if para.any {
                finish_paragraph(&para, kind, path, detector, out, &mut budget);
            }
            para = Paragraph::default();
            continue;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            // Continuation of a multi-line field (Description, Conffiles): not needed.
            continue;
        }
        if !para.any {
            para.any = true;
            para.line = line_no;
        }
        let Some(colon) = memchr(b':', line) else {
            budget.warn(
                out,
                "dpkg-corrupt-entry",
                format!("line {line_no}: not a field"),
            );
            continue;
        };
        let key = &line[..colon];
        let value = trim(&line[colon + 1..]);
        let slot = match key.len() {
            6 if key.eq_ignore_ascii_case(b"Status") => &mut para.status,
            6 if key.eq_ignore_ascii_case(b"Source") => &mut para.source,
            7 if key.eq_ignore_ascii_case(b"Package") => &mut para.package,
            7 if key.eq_ignore_ascii_case(b"Version") => &mut para.version,
            7 if key.eq_ignore_ascii_case(b"License") => &mut para.license,
            10 if key.eq_ignore_ascii_case(b"Maintainer") => &mut para.maintainer,
            12 if key.eq_ignore_ascii_case(b"Architecture") => &mut para.arch,
            14 if key.eq_ignore_ascii_case(b"Installed-Size") => &mut para.installed_size,
            _ => continue,
        };
        *slot = Some(value);
    }
    if para.any {
        finish_paragraph(&para, kind, path, detector, out, &mut budget);
    }
    budget.flush(out);
}

/// Whether a `Status` value (`want flag status`) says installed: the third word must be
/// `installed` (`install ok installed`, `hold ok installed`, opkg `install user installed`).
fn is_installed(status: &[u8]) -> bool {
    status
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .nth(2)
        == Some(b"installed")
}

fn finish_paragraph(
    para: &Paragraph<'_>,
    kind: StatusKind,
    path: &str,
    detector: &str,
    out: &mut Output,
    budget: &mut DiagnosticBudget,
) {
    let at = para.line;
    if let Some(status) = para.status {
        if !is_installed(status) {
            return;
        }
    }
    let name = para
        .package
        .filter(|n| !n.is_empty() && !n.iter().any(u8::is_ascii_whitespace));
    let Some(name) = name else {
        budget.warn(
            out,
            "dpkg-corrupt-entry",
            format!("entry at line {at}: no package name"),
        );
        return;
    };
    let name = text(name);
    let Some(version) = para.version.filter(|v| !v.is_empty()) else {
        budget.warn(
            out,
            "dpkg-corrupt-entry",
            format!("entry at line {at} ({name}): no version"),
        );
        return;
    };
    if para.status.is_none() && kind != StatusKind::StatusD {
        budget.warn(
            out,
            "dpkg-corrupt-entry",
            format!("entry at line {at} ({name}): no status"),
        );
        return;
    }
    if !valid_version(version) {
        budget.warn(
            out,
            "dpkg-corrupt-entry",
            format!(
                "entry at line {at} ({name}): invalid version {:?}",
                String::from_utf8_lossy(version)
            ),
        );
        return;
    }
    let version = query_version(&text(version));
    let (source_name, source_version) = match para.source.and_then(parse_source) {
        Some((sname, sver)) => (sname, sver.unwrap_or_else(|| version.clone())),
        None => (name.clone(), version.clone()),
    };
    let mut properties = BTreeMap::new();
    if let Some(size) = para.installed_size.and_then(parse_installed_size) {
        properties.insert("installed_size".to_owned(), size.to_string());
    }
    out.push(Package {
        name,
        version,
        ecosystem: Ecosystem::Deb,
        arch: para.arch.filter(|a| !a.is_empty()).map(text),
        source_name: Some(source_name),
        source_version: Some(source_version),
        licenses: para
            .license
            .filter(|l| !l.is_empty())
            .map(text)
            .into_iter()
            .collect(),
        vendor: para.maintainer.filter(|m| !m.is_empty()).map(text),
        evidence: Some(kind.evidence().to_owned()),
        properties,
        origin: Origin::file(path),
        detector: detector.to_owned(),
        ..Default::default()
    });
}

/// A dpkg version: `[epoch:]upstream[-revision]` with a numeric epoch and only the
/// characters dpkg allows (`A-Za-z0-9.+~-:`).
pub fn valid_version(v: &[u8]) -> bool {
    let upstream = match memchr(b':', v) {
        Some(i) => {
            let epoch = &v[..i];
            if epoch.is_empty() || !epoch.iter().all(u8::is_ascii_digit) {
                return false;
            }
            &v[i + 1..]
        }
        None => v,
    };
    !upstream.is_empty()
        && upstream
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'~' | b'-' | b':'))
}

/// The version as `dpkg-query -f '${Version}'` prints it: the epoch as a number, and only
/// when it is not zero or the rest contains a colon (`0:1.2-3` -> `1.2-3`, `01:1.2` ->
/// `1:1.2`). `v` is a [`valid_version`].
pub fn query_version(v: &str) -> String {
    let Some((epoch, rest)) = v.split_once(':') else {
        return v.to_owned();
    };
    let digits = epoch.trim_start_matches('0');
    if digits.is_empty() && !rest.contains(':') {
        rest.to_owned()
    } else if digits.is_empty() {
        format!("0:{rest}")
    } else {
        format!("{digits}:{rest}")
    }
}

/// `Source: gcc-5 (5.1.1-12ubuntu1)` -> (`gcc-5`, `Some(5.1.1-12ubuntu1)`).
fn parse_source(s: &[u8]) -> Option<(String, Option<String>)> {
    let (name, rest) = match memchr(b'(', s) {
        Some(i) => (trim(&s[..i]), Some(&s[i + 1..])),
        None => (trim(s), None),
    };
    if name.is_empty() {
        return None;
    }
    let version = rest.and_then(|r| {
        let r = match memchr(b')', r) {
            Some(j) => &r[..j],
            None => r,
        };
        let r = trim(r);
        (!r.is_empty()).then(|| text(r))
    });
    Some((text(name), version))
}

/// `Installed-Size: 4064` -> 4064; tolerates a unit suffix as some tools write it
/// (`4KB` -> 4000, `4KiB` -> 4096).
fn parse_installed_size(s: &[u8]) -> Option<u64> {
    let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 18 {
        return None;
    }
    let n: u64 = std::str::from_utf8(&s[..digits]).ok()?.parse().ok()?;
    let unit = std::str::from_utf8(trim(&s[digits..]))
        .ok()?
        .to_ascii_lowercase();
    let mult = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1_024,
        "m" | "mb" => 1_000_000,
        "mib" => 1_048_576,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// Reads a `/var/lib/dpkg/info/<pkg>[:<arch>].list` file: the paths the package owns,
/// without directories (dpkg lists a directory right before its contents, so an entry
/// followed by a path below it is a directory; `/.` is dropped too). Empty directories
/// stay, as nothing tells them apart from files.
pub fn parse_list(path: &str, data: &[u8]) -> Option<OwnedFiles> {
    let file_name = path.rsplit('/').next()?;
    let stem = file_name.strip_suffix(".list")?;
    let (package, arch) = match stem.split_once(':') {
        Some((p, a)) => (p, Some(a.to_owned()).filter(|a| !a.is_empty())),
        None => (stem, None),
    };
    if package.is_empty() {
        return None;
    }
    let mut files = FileList::new();
    let mut previous: Option<&[u8]> = None;
    for line in data.split(|&b| b == b'\n') {
        let line = trim(line);
        if line.first() != Some(&b'/') || line == b"/." {
            continue;
        }
        if let Some(prev) = previous {
            let is_dir =
                line.len() > prev.len() && line.starts_with(prev) && line[prev.len()] == b'/';
            if !is_dir {
                files.push(&text(prev)).ok()?;
            }
        }
        previous = Some(line);
    }
    if let Some(prev) = previous {
        files.push(&text(prev)).ok()?;
    }
    Some(OwnedFiles {
        package: package.to_owned(),
        arch,
        ecosystem: Ecosystem::Deb,
        files,
        origin: Origin::file(path),
    })
}

/// Whether a path is a per-package file of a distroless `status.d` directory (not its
/// `.md5sums` companions).
pub fn is_status_d_entry(path: &str) -> bool {
    path.strip_prefix("/var/lib/dpkg/status.d/")
        .is_some_and(|name| !name.is_empty() && !name.contains('/') && !name.ends_with(".md5sums"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_core::Diagnostic;

    fn packages(data: &str, kind: StatusKind) -> (Vec<Package>, Vec<Diagnostic>) {
        let mut out = Output::new();
        parse_status(
            data.as_bytes(),
            kind,
            "/var/lib/dpkg/status",
            "os/dpkg",
            &mut out,
        );
        let (f, d) = out.into_parts();
        let p = f
            .into_iter()
            .filter_map(|f| match f {
                strata_core::Finding::Package(p) => Some(*p),
                _ => None,
            })
            .collect();
        (p, d)
    }

    #[test]
    fn status_words() {
        assert!(is_installed(b"install ok installed"));
        assert!(is_installed(b"hold ok installed"));
        assert!(is_installed(b"install user installed"));
        assert!(!is_installed(b"deinstall ok config-files"));
        assert!(!is_installed(b"install ok half-installed"));
        assert!(!is_installed(b"installed"));
    }

    #[test]
    fn source_with_and_without_version() {
        assert_eq!(
            parse_source(b"gcc-5 (5.1.1-12ubuntu1)"),
            Some(("gcc-5".into(), Some("5.1.1-12ubuntu1".into())))
        );
        assert_eq!(parse_source(b"pam"), Some(("pam".into(), None)));
        assert_eq!(parse_source(b" (1.0)"), None);
        assert_eq!(
            parse_source(b"x (1.0"),
            Some(("x".into(), Some("1.0".into())))
        );
    }

    #[test]
    fn versions_print_like_dpkg_query() {
        assert_eq!(query_version("1:5.1.1-12ubuntu1"), "1:5.1.1-12ubuntu1");
        assert_eq!(query_version("0:1.2-3"), "1.2-3");
        assert_eq!(query_version("00:1.2"), "1.2");
        assert_eq!(query_version("01:1.2"), "1:1.2");
        assert_eq!(query_version("0:1:2-3"), "0:1:2-3");
        assert_eq!(query_version("2020a-0+deb10u1"), "2020a-0+deb10u1");
    }

    #[test]
    fn versions() {
        assert!(valid_version(b"1:5.1.1-12ubuntu1"));
        assert!(valid_version(b"5:20.10.7~3-0~debian-buster"));
        assert!(valid_version(b"2020a-0+deb10u1"));
        assert!(!valid_version(b"1:5.#"));
        assert!(!valid_version(b"a:1.0"));
        assert!(!valid_version(b"1:"));
    }

    #[test]
    fn crlf_hold_and_continuations() {
        let data = "Package: a\r\nStatus: hold ok installed\r\nVersion: 1.0-1\r\nDescription: x\r\n more\r\n\r\nPackage: b\nStatus: install ok not-installed\nVersion: 2\n";
        let (p, d) = packages(data, StatusKind::Status);
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].name.as_str(), p[0].version.as_str()), ("a", "1.0-1"));
        assert!(d.is_empty());
    }

    #[test]
    fn missing_status_is_corrupt_only_in_the_main_database() {
        let data = "Package: a\nVersion: 1\n";
        assert_eq!(packages(data, StatusKind::Status).0.len(), 0);
        assert_eq!(
            packages(data, StatusKind::Status).1[0].code,
            "dpkg-corrupt-entry"
        );
        assert_eq!(packages(data, StatusKind::StatusD).0.len(), 1);
    }

    #[test]
    fn installed_size_units() {
        assert_eq!(parse_installed_size(b"4064"), Some(4064));
        assert_eq!(parse_installed_size(b"4KB"), Some(4000));
        assert_eq!(parse_installed_size(b"4 KiB"), Some(4096));
        assert_eq!(parse_installed_size(b"lots"), None);
        assert_eq!(parse_installed_size(b"99999999999999999999"), None);
    }

    #[test]
    fn list_names() {
        let l = parse_list(
            "/var/lib/dpkg/info/libc6:amd64.list",
            b"/.\n/lib\n/lib/x86_64-linux-gnu/libc.so.6\n",
        )
        .unwrap();
        assert_eq!(
            (l.package.as_str(), l.arch.as_deref()),
            ("libc6", Some("amd64"))
        );
        assert_eq!(l.files, ["/lib/x86_64-linux-gnu/libc.so.6"]);
        let l = parse_list(
            "/var/lib/dpkg/info/x.list",
            b"/.\n/usr\n/usr/bin\n/usr/bin/a\n/usr/bin/b\n/usr/share/empty\n/var\n/var/x\n",
        )
        .unwrap();
        assert_eq!(
            l.files,
            ["/usr/bin/a", "/usr/bin/b", "/usr/share/empty", "/var/x"]
        );
        let l = parse_list("/var/lib/dpkg/info/bash.list", b"/bin/bash").unwrap();
        assert_eq!((l.package.as_str(), l.arch), ("bash", None));
        assert!(parse_list("/var/lib/dpkg/info/bash.md5sums", b"").is_none());
        assert!(is_status_d_entry("/var/lib/dpkg/status.d/base"));
        assert!(!is_status_d_entry("/var/lib/dpkg/status.d/base.md5sums"));
    }
}
