//! Importers for Linux distribution advisory feeds.
//!
//! Each importer turns one vendor document into [`Advisory`] records of the crate's model:
//! one record per CVE (`id` = the CVE, `aliases` = the vendor advisories naming it), or one
//! per vendor advisory when it names no CVE. Namespaces are lowercase `distro:release`
//! (`debian:12`, `ubuntu:22.04`, `redhat:9`, `almalinux:8`, `sles:15.5`,
//! `opensuse-leap:15.5`, `openeuler:22.03-lts-sp3`, `alpine:3.18`); Debian and Ubuntu
//! entries name source packages ([`NameKind::Source`]).
//!
//! Entry points: [`detect`] guesses the [`Format`] of a file from its name and first bytes
//! (so the database builder can walk a directory), [`parse`] imports one file. The Debian
//! vuln-list layout spreads one CVE over several files (per-CVE annotations, DSA/DLA lists,
//! per-release source versions); [`DebianVulnList`] collects those files and resolves them
//! together.
//!
//! Design: every format is parsed into the shared model directly (no per-format public
//! types), so the database builder needs nothing but `detect` + `parse`. XML goes through a
//! bounded element tree on `quick-xml` (no entity expansion, size/depth caps); JSON through
//! `serde_json` into private structs; YAML through `serde_norway`; Ubuntu's `.tar.zst`
//! archives through `ruzstd` + `tar` and OVAL `.bz2` streams through `bzip2` on the pure-Rust
//! `libbz2-rs-sys` backend, gzip through `flate2` (zlib-rs), so the crate stays free of C
//! code.

mod alma;
mod alpine;
mod csaf;
mod cvrf;
mod debian_json;
mod debian_list;
mod oval;
mod ubuntu;
mod updateinfo;
mod xml;

#[cfg(test)]
mod tests;

use std::io::Read;

use strata_core::Severity;

use crate::model::{Advisory, Affected, AffectedStatus, Event, NameKind, Range, RangeKind};

pub use debian_json::DebianVulnList;

/// Largest document [`parse`] accepts (the biggest real feed files are a few megabytes; the
/// Ubuntu tracker archive is about 5 MB compressed).
pub const MAX_DOCUMENT_BYTES: usize = 256 << 20;

/// Largest decompressed size accepted from a compressed feed file.
pub const MAX_DECOMPRESSED_BYTES: u64 = 512 << 20;

/// A distro feed format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Debian security tracker text lists (`data/DSA/list`, `DLA/list`, `DTSA/list`).
    DebianList,
    /// The Debian security tracker JSON export (package -> CVE -> release -> status).
    DebianTrackerJson,
    /// One vuln-list-debian `CVE/`, `DSA/` or `DLA/` JSON file (use [`DebianVulnList`] for a
    /// whole tree).
    DebianVulnListBug,
    /// One Ubuntu CVE Tracker file (`active/CVE-*`).
    UbuntuCve,
    /// A tar archive (optionally zstd-compressed) of Ubuntu CVE Tracker files.
    UbuntuCveArchive,
    /// A Red Hat CSAF 2.0 VEX (or advisory) JSON document.
    Csaf,
    /// An OVAL definitions document (Red Hat OVAL v2 streams; optionally bzip2-compressed).
    Oval,
    /// A CVRF 1.1 document (SUSE, openSUSE, openEuler, EulerOS, HCE).
    Cvrf,
    /// AlmaLinux errata JSON (vuln-list layout, or the errata.json export array).
    AlmaErrata,
    /// Alpine secdb (YAML or JSON).
    AlpineSecdb,
    /// yum/dnf `updateinfo.xml` (Amazon Linux, Rocky Linux; optionally gzip-compressed).
    Updateinfo,
}

/// What an importer produced from one document.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    /// The records.
    pub advisories: Vec<Advisory>,
    /// Recoverable problems (skipped entries), one line each.
    pub warnings: Vec<String>,
}

/// Why a document could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Invalid JSON.
    #[error("invalid json")]
    Json(#[source] serde_json::Error),
    /// Invalid YAML.
    #[error("invalid yaml")]
    Yaml(#[source] serde_norway::Error),
    /// Invalid XML.
    #[error("invalid xml: {0}")]
    Xml(String),
    /// I/O error while decompressing or reading an archive.
    #[error("cannot read compressed data")]
    Io(#[source] std::io::Error),
    /// The document is larger than the importer accepts.
    #[error("input larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// The document does not have the expected structure.
    #[error("malformed document: {0}")]
    Malformed(String),
}

/// Guesses the format of a feed file from its file name (`name_hint`, a path or base name)
/// and its first bytes. Returns `None` for files no distro importer handles.
pub fn detect(bytes: &[u8], name_hint: &str) -> Option<Format> {
    let name = name_hint.rsplit('/').next().unwrap_or(name_hint);
    let lower = name.to_ascii_lowercase();
    let head = &bytes[..bytes.len().min(4096)];
    let head_str = String::from_utf8_lossy(head);
    if head.starts_with(b"BZh") {
        // bzip2: only OVAL streams are shipped this way.
        if lower.contains("oval") {
            return Some(Format::Oval);
        }
        return None;
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        // gzip: yum repositories ship updateinfo this way.
        return lower.contains("updateinfo").then_some(Format::Updateinfo);
    }
    if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return if lower.contains("cve")
            || lower.starts_with("active")
            || lower.starts_with("retired")
        {
            Some(Format::UbuntuCveArchive)
        } else {
            None
        };
    }
    if lower.ends_with(".tar")
        && (lower.contains("active") || lower.contains("retired") || lower.contains("ubuntu"))
    {
        return Some(Format::UbuntuCveArchive);
    }
    let first_line = head_str.lines().next().unwrap_or("");
    if first_line.starts_with('[') && debian_list::is_header(first_line) {
        return Some(Format::DebianList);
    }
    let trimmed = head_str.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('<') {
        if head_str.contains("cvrfdoc") {
            return Some(Format::Cvrf);
        }
        if head_str.contains("oval_definitions") || head_str.contains("oval-def") {
            return Some(Format::Oval);
        }
        if head_str.contains("<updates") && head_str.contains("<update ") {
            return Some(Format::Updateinfo);
        }
        return None;
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if head_str.contains("\"csaf_version\"") || head_str.contains("\"product_tree\"") {
            return Some(Format::Csaf);
        }
        if head_str.contains("\"Annotations\"") || head_str.contains("\"Header\"") {
            return Some(Format::DebianVulnListBug);
        }
        if head_str.contains("\"updateinfo_id\"") {
            return Some(Format::AlmaErrata);
        }
        if head_str.contains("\"secfixes\"") || head_str.contains("\"distroversion\"") {
            return Some(Format::AlpineSecdb);
        }
        if head_str.contains("\"releases\"")
            && head_str.contains("\"urgency\"")
            && (head_str.contains("\"CVE-") || head_str.contains("\"TEMP-"))
        {
            return Some(Format::DebianTrackerJson);
        }
        // The CSAF VEX of Red Hat puts "document" first; sniff further into big files.
        let more = String::from_utf8_lossy(&bytes[..bytes.len().min(64 << 10)]);
        if more.contains("\"csaf_version\"") {
            return Some(Format::Csaf);
        }
        return None;
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") || head_str.contains("distroversion:") {
        if head_str.contains("distroversion")
            || head_str.contains("secfixes")
            || head_str.contains("apkurl")
        {
            return Some(Format::AlpineSecdb);
        }
        return None;
    }
    if head_str.starts_with("Candidate:")
        || head_str.contains("\nCandidate:")
        || head_str.starts_with("PublicDateAtUSN:")
    {
        return Some(Format::UbuntuCve);
    }
    None
}

/// Imports one document in `format`. `name_hint` is the file's path or name (used for
/// namespaces some formats do not carry in their content, e.g. `v3.10/main.yaml` for an
/// Alpine secdb without `distroversion`, or `alma/8/...` for AlmaLinux errata).
pub fn parse(format: Format, bytes: &[u8], name_hint: &str) -> Result<Parsed, Error> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(Error::TooLarge {
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    match format {
        Format::DebianList => Ok(debian_list::parse(bytes, name_hint)),
        Format::DebianTrackerJson => debian_json::parse_tracker_json(bytes),
        Format::DebianVulnListBug => {
            let mut v = DebianVulnList::new();
            v.add_file(name_hint, bytes)?;
            Ok(v.finish())
        }
        Format::UbuntuCve => Ok(ubuntu::parse_file(bytes, name_hint)),
        Format::UbuntuCveArchive => ubuntu::parse_archive(bytes),
        Format::Csaf => csaf::parse(bytes),
        Format::Oval => {
            if bytes.starts_with(b"BZh") {
                let xml = bunzip2(bytes)?;
                oval::parse(&xml, name_hint)
            } else {
                oval::parse(bytes, name_hint)
            }
        }
        Format::Cvrf => cvrf::parse(bytes),
        Format::AlmaErrata => alma::parse(bytes, name_hint),
        Format::AlpineSecdb => alpine::parse(bytes, name_hint),
        Format::Updateinfo => {
            if bytes.starts_with(&[0x1f, 0x8b]) {
                let xml = read_capped(flate2::read::MultiGzDecoder::new(bytes))?;
                updateinfo::parse(&xml)
            } else {
                updateinfo::parse(bytes)
            }
        }
    }
}

/// Decompresses a bzip2 stream, capped at [`MAX_DECOMPRESSED_BYTES`].
pub(crate) fn bunzip2(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let dec = bzip2::read::MultiBzDecoder::new(bytes);
    read_capped(dec)
}

fn read_capped(r: impl Read) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    r.take(MAX_DECOMPRESSED_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(Error::Io)?;
    if out.len() as u64 > MAX_DECOMPRESSED_BYTES {
        return Err(Error::TooLarge {
            limit: MAX_DECOMPRESSED_BYTES as usize,
        });
    }
    Ok(out)
}

/// Maps a Debian codename to its version (`bookworm` -> `12`); `None` for unknown names,
/// `sid` and `experimental`.
pub fn debian_codename_version(codename: &str) -> Option<&'static str> {
    Some(match codename.trim().to_ascii_lowercase().as_str() {
        "buzz" => "1.1",
        "rex" => "1.2",
        "bo" => "1.3",
        "hamm" => "2.0",
        "slink" => "2.1",
        "potato" => "2.2",
        "woody" => "3.0",
        "sarge" => "3.1",
        "etch" => "4",
        "lenny" => "5",
        "squeeze" => "6",
        "wheezy" => "7",
        "jessie" => "8",
        "stretch" => "9",
        "buster" => "10",
        "bullseye" => "11",
        "bookworm" => "12",
        "trixie" => "13",
        "forky" => "14",
        "duke" => "15",
        _ => return None,
    })
}

/// Maps an Ubuntu codename (first word, lowercase) to its version (`jammy` -> `22.04`).
pub fn ubuntu_codename_version(codename: &str) -> Option<&'static str> {
    Some(match codename.trim().to_ascii_lowercase().as_str() {
        "warty" => "4.10",
        "hoary" => "5.04",
        "breezy" => "5.10",
        "dapper" => "6.06",
        "edgy" => "6.10",
        "feisty" => "7.04",
        "gutsy" => "7.10",
        "hardy" => "8.04",
        "intrepid" => "8.10",
        "jaunty" => "9.04",
        "karmic" => "9.10",
        "lucid" => "10.04",
        "maverick" => "10.10",
        "natty" => "11.04",
        "oneiric" => "11.10",
        "precise" => "12.04",
        "quantal" => "12.10",
        "raring" => "13.04",
        "saucy" => "13.10",
        "trusty" => "14.04",
        "utopic" => "14.10",
        "vivid" => "15.04",
        "wily" => "15.10",
        "xenial" => "16.04",
        "yakkety" => "16.10",
        "zesty" => "17.04",
        "artful" => "17.10",
        "bionic" => "18.04",
        "cosmic" => "18.10",
        "disco" => "19.04",
        "eoan" => "19.10",
        "focal" => "20.04",
        "groovy" => "20.10",
        "hirsute" => "21.04",
        "impish" => "21.10",
        "jammy" => "22.04",
        "kinetic" => "22.10",
        "lunar" => "23.04",
        "mantic" => "23.10",
        "noble" => "24.04",
        "oracular" => "24.10",
        "plucky" => "25.04",
        "questing" => "25.10",
        _ => return None,
    })
}

/// An [`Affected`] entry with a `fixed` event (`introduced: 0`, `fixed: version`).
pub(crate) fn fixed_affected(
    namespace: String,
    package: String,
    kind: NameKind,
    fixed: &str,
) -> Affected {
    Affected {
        namespace,
        package,
        name_kind: kind,
        status: AffectedStatus::Fixed,
        ranges: vec![Range {
            kind: RangeKind::Ecosystem,
            events: vec![
                Event::Introduced("0".into()),
                Event::Fixed(fixed.to_string()),
            ],
        }],
        ..Affected::default()
    }
}

/// An [`Affected`] entry with a status and no fix (`introduced: 0` for affected statuses,
/// no range for `not_affected`).
pub(crate) fn status_affected(
    namespace: String,
    package: String,
    kind: NameKind,
    status: AffectedStatus,
) -> Affected {
    let ranges = if status == AffectedStatus::NotAffected {
        Vec::new()
    } else {
        vec![Range {
            kind: RangeKind::Ecosystem,
            events: vec![Event::Introduced("0".into())],
        }]
    };
    Affected {
        namespace,
        package,
        name_kind: kind,
        status,
        ranges,
        ..Affected::default()
    }
}

/// Non-empty severity, or `None`.
pub(crate) fn known(sev: Severity) -> Option<Severity> {
    (sev != Severity::Unknown).then_some(sev)
}

/// Pushes `s` to `v` unless already present.
pub(crate) fn push_unique(v: &mut Vec<String>, s: &str) {
    if !s.is_empty() && !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// True for `CVE-YYYY-NNNN...`.
pub(crate) fn is_cve(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 13
        && s.starts_with("CVE-")
        && b[4..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'-'
        && b[9..].iter().all(u8::is_ascii_digit)
}

/// Splits a `name-[epoch:]version-release.arch` NEVRA (arch optional when `has_arch` is
/// false) into `(name, evr, arch)`. Strips `.rpm`.
pub(crate) fn split_nevra(s: &str, has_arch: bool) -> Option<(String, String, String)> {
    let s = s.trim().trim_end_matches(".rpm");
    let (rest, arch) = if has_arch {
        let i = s.rfind('.')?;
        (&s[..i], s[i + 1..].to_string())
    } else {
        (s, String::new())
    };
    let r = rest.rfind('-')?;
    let v = rest[..r].rfind('-')?;
    let name = &rest[..v];
    let evr = &rest[v + 1..];
    if name.is_empty() || evr.is_empty() {
        return None;
    }
    Some((name.to_string(), evr.to_string(), arch))
}
