//! OS identification from release files.
//!
//! Each file yields at most one [`OsInfo`] with a `precedence`; the engine keeps the
//! highest-precedence one visible in the merged image. The precedences encode which file
//! knows best:
//!
//! | file | precedence | why |
//! |---|---|---|
//! | UnionTech `/etc/os-version` | [`UOS_OS_VERSION`] | the only file naming the UOS minor release (`1050`, `1070`) and edition (`e`, `a`, `d`) |
//! | derivative release files (`hce-`, `kylin-`, `uos-`, `UnionTech-`, `ctyunos-release`) | [`DERIVATIVE_RELEASE`] | a derivative of openEuler/EulerOS/CentOS may keep its base's release file |
//! | vendor release files (`centos-`, `rocky-`, `almalinux-`, `oracle-`, `fedora-`, `euleros-`, `openEuler-release`) | [`VENDOR_RELEASE`] | more precise than os-release (`7.6.1810` vs `7`) |
//! | `/etc/os-release` | [`OS_RELEASE`] | the standard |
//! | `/usr/lib/os-release` | [`USR_LIB_OS_RELEASE`] | `/etc/os-release` overrides it |
//! | `/etc/SuSE-release` | [`SUSE_RELEASE`] | deprecated by SUSE in favour of os-release |
//! | `/etc/redhat-release`, `/etc/system-release` | [`GENERIC_RELEASE`] | derivatives keep RHEL's text (Oracle Linux ships "Red Hat Enterprise Linux Server release 7.5") |
//! | `/etc/lsb-release` | [`LSB_RELEASE`] | a hint |
//! | `/etc/debian_version`, `/etc/alpine-release` | [`VERSION_HINT`] | Ubuntu ships a Debian `debian_version` |
//! | Debian or Alpine os-release without a version | [`VERSIONLESS_OS_RELEASE`] | Debian testing/sid: `debian_version` knows more |
//! | `/var/lib/dpkg/status.d/*` without any release file | [`DISTROLESS`] | last resort |
//!
//! Release files are recognised by their *content*, never by their name alone: AlmaLinux
//! ships a `centos-release` that says "AlmaLinux release 8.3".
//!
//! # Normalised versions
//!
//! [`OsInfo::version`] is the string a vulnerability matcher keys its feed namespace on.
//! The forms below were checked against real release files published by others (see
//! `testdata/ATTRIBUTION.md`); where a system has service packs or editions they are part
//! of the version, in the vendor's own spelling, upper case, joined by `-`:
//!
//! | family | version | from | examples |
//! |---|---|---|---|
//! | `openeuler` | `<release>-LTS[-SP<n>]` | `VERSION` / `openEuler-release` | `20.03-LTS`, `22.03-LTS-SP3`, `24.03-LTS-SP2` (as openEuler's advisories write it) |
//! | `euleros` | `2.0[-SP<n>]` | `euleros-release`, else `VERSION` (architecture suffix dropped) | `2.0-SP8`, `2.0-SP9` (from `2.0 (SP9x86_64)`), `2.0-SP12` |
//! | `hce` | `<release>` | `VERSION_ID` / `hce-release` | `2.0` (no real HCE 1.1 file was found; its release line would give `1.1`) |
//! | `kylin` | `V<n>[-SP<n>]` | `VERSION`: `(SP1)`, or the code name: Tercel = SP1, Sword = SP2, Lance and Halberd = SP3 | `V10-SP1`, `V10-SP3`, `V10` (code name `juniper`), `V11` (code name `Swan25`) |
//! | `uos` | server `20-<minor><edition>`, desktop `20-<minor>`, else `20` | `/etc/os-version` (`MinorVersion`, one-letter server `EditionName`), else os-release | `20-1050e` (openEuler-based, code name `fuyu`), `20-1070a` (Anolis-based, `kongzi`), `20-1050d` (Debian-based, `fou`), `20-1032` (desktop, `eagle`) |
//! | `ctyunos` | `VERSION_ID`, else `VERSION` | os-release / `ctyunos-release` | `2.0.1`, `22.06.2` (no complete real CTyunOS file was found: unverified) |
//! | `sles`, `slem` | `<major>.<sp>` | `VERSION_ID`, else `VERSION` `15-SP5` | `15.5`, `12.3` |
//! | `debian` | major release | `VERSION_ID`, else `debian_version` (full value kept in `fields["debian_version"]`) | `12` |
//! | others | `VERSION_ID` | os-release | `22.04`, `9.4`, `3.19.1` |
//!
//! Kylin and UOS each ship a server (rpm) and a desktop (dpkg) line under the same `ID`;
//! they are told apart by [`OsInfo::name`] (`Kylin Linux Advanced Server` / `Kylin`,
//! `UnionTech OS Server` / `UnionTech OS Desktop`) and, for UOS, by the edition letter
//! that only servers carry. `fields` keeps every key of the winning file (`ID_LIKE`,
//! `PLATFORM_ID`, `EditionName`, ...).

use std::collections::BTreeMap;

use strata_core::{Origin, OsInfo};

/// Precedence of UnionTech's `/etc/os-version` (above the UOS release lines, which name
/// only the major release).
pub const UOS_OS_VERSION: u8 = 24;
/// Precedence of derivative release files (HCE, Kylin, UOS, CTyunOS).
pub const DERIVATIVE_RELEASE: u8 = 22;
/// Precedence of vendor release files (CentOS, Rocky, AlmaLinux, Oracle, Fedora, EulerOS,
/// openEuler).
pub const VENDOR_RELEASE: u8 = 20;
/// Precedence of `/etc/os-release`.
pub const OS_RELEASE: u8 = 10;
/// Precedence of `/usr/lib/os-release`.
pub const USR_LIB_OS_RELEASE: u8 = 9;
/// Precedence of `/etc/SuSE-release`.
pub const SUSE_RELEASE: u8 = 8;
/// Precedence of `/etc/redhat-release` and `/etc/system-release`.
pub const GENERIC_RELEASE: u8 = 6;
/// Precedence of `/etc/lsb-release`.
pub const LSB_RELEASE: u8 = 5;
/// Precedence of `/etc/debian_version` and `/etc/alpine-release`.
pub const VERSION_HINT: u8 = 4;
/// Precedence of an os-release file that names no version.
pub const VERSIONLESS_OS_RELEASE: u8 = 3;
/// Precedence of the distroless fallback (dpkg `status.d` without any release file).
pub const DISTROLESS: u8 = 1;

/// The release files this module reads, by absolute path.
pub const RELEASE_PATHS: &[&str] = &[
    "/etc/os-release",
    "/usr/lib/os-release",
    "/etc/lsb-release",
    "/etc/redhat-release",
    "/etc/centos-release",
    "/etc/rocky-release",
    "/etc/almalinux-release",
    "/etc/oracle-release",
    "/etc/fedora-release",
    "/etc/system-release",
    "/etc/SuSE-release",
    "/etc/euleros-release",
    "/etc/openEuler-release",
    "/etc/hce-release",
    "/etc/kylin-release",
    "/etc/uos-release",
    "/etc/UnionTech-release",
    "/etc/os-version",
    "/etc/ctyunos-release",
    "/etc/alpine-release",
    "/etc/debian_version",
];

/// Which kind of release file a path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReleaseFile {
    /// `/etc/os-release` or `/usr/lib/os-release` (freedesktop format).
    OsRelease {
        /// Whether this is `/usr/lib/os-release` (overridden by `/etc/os-release`).
        usr_lib: bool,
    },
    /// `/etc/lsb-release`.
    Lsb,
    /// A one-line "`<Name> release <version> (<extra>)`" file, with its precedence.
    ReleaseLine(u8),
    /// `/etc/SuSE-release`.
    Suse,
    /// UnionTech `/etc/os-version` (INI `[Version]` section).
    UosVersion,
    /// `/etc/alpine-release`.
    Alpine,
    /// `/etc/debian_version`.
    DebianVersion,
}

impl ReleaseFile {
    /// Classifies an absolute path; `None` for anything else.
    pub fn from_path(path: &str) -> Option<Self> {
        Some(match path {
            "/etc/os-release" => ReleaseFile::OsRelease { usr_lib: false },
            "/usr/lib/os-release" => ReleaseFile::OsRelease { usr_lib: true },
            "/etc/lsb-release" => ReleaseFile::Lsb,
            "/etc/redhat-release" | "/etc/system-release" => {
                ReleaseFile::ReleaseLine(GENERIC_RELEASE)
            }
            "/etc/centos-release"
            | "/etc/rocky-release"
            | "/etc/almalinux-release"
            | "/etc/oracle-release"
            | "/etc/fedora-release"
            | "/etc/euleros-release"
            | "/etc/openEuler-release" => ReleaseFile::ReleaseLine(VENDOR_RELEASE),
            "/etc/hce-release"
            | "/etc/kylin-release"
            | "/etc/uos-release"
            | "/etc/UnionTech-release"
            | "/etc/ctyunos-release" => ReleaseFile::ReleaseLine(DERIVATIVE_RELEASE),
            "/etc/SuSE-release" => ReleaseFile::Suse,
            "/etc/os-version" => ReleaseFile::UosVersion,
            "/etc/alpine-release" => ReleaseFile::Alpine,
            "/etc/debian_version" => ReleaseFile::DebianVersion,
            _ => return None,
        })
    }
}

/// Reads one release file. `Ok(None)` when the file names no OS this module recognises
/// (a `redhat-release` of an unknown derivative, an `lsb-release` of another system):
/// another file decides. os-release files always give an answer (family `unknown` with
/// every field kept when the ID is not recognised).
pub fn parse_release_file(kind: ReleaseFile, path: &str, data: &[u8]) -> Option<OsInfo> {
    let text = String::from_utf8_lossy(data);
    let mut info = match kind {
        ReleaseFile::OsRelease { usr_lib } => {
            let fields = parse_os_release(&text);
            let mut info = from_os_release(fields);
            // A versionless Debian or Alpine os-release (testing, sid) defers to the same
            // system's debian_version / alpine-release; any other keeps its rank, so a
            // hint file cannot turn an unknown system into Debian.
            let same_family_hint = matches!(info.family.as_str(), "debian" | "alpine");
            info.precedence = if info.version.is_empty() && same_family_hint {
                VERSIONLESS_OS_RELEASE
            } else if usr_lib {
                USR_LIB_OS_RELEASE
            } else {
                OS_RELEASE
            };
            info
        }
        ReleaseFile::Lsb => from_lsb_release(parse_os_release(&text))?,
        ReleaseFile::ReleaseLine(precedence) => {
            let mut info = from_release_line(first_line(&text))?;
            info.precedence = precedence;
            info
        }
        ReleaseFile::Suse => from_suse_release(&text)?,
        ReleaseFile::UosVersion => from_uos_os_version(&text)?,
        ReleaseFile::Alpine => {
            let v = first_line(&text);
            if v.is_empty() || !v.as_bytes()[0].is_ascii_digit() {
                return None;
            }
            OsInfo {
                family: "alpine".into(),
                name: "Alpine Linux".into(),
                version: v.to_owned(),
                precedence: VERSION_HINT,
                ..Default::default()
            }
        }
        ReleaseFile::DebianVersion => {
            let v = first_line(&text);
            if v.is_empty() {
                return None;
            }
            let mut fields = BTreeMap::new();
            fields.insert("debian_version".to_owned(), v.to_owned());
            OsInfo {
                family: "debian".into(),
                name: "Debian GNU/Linux".into(),
                version: debian_major(v),
                precedence: VERSION_HINT,
                fields,
                ..Default::default()
            }
        }
    };
    info.origin = Origin::file(path);
    Some(info)
}

/// The distroless fallback: an image with dpkg `status.d` files but no release file.
pub fn distroless(path: &str) -> OsInfo {
    OsInfo {
        family: "distroless".into(),
        name: "Distroless".into(),
        precedence: DISTROLESS,
        origin: Origin::file(path),
        ..Default::default()
    }
}

fn first_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

/// `9.8` -> `9`; `buster/sid` stays as it is.
fn debian_major(v: &str) -> String {
    if v.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        v.split('.').next().unwrap_or(v).to_owned()
    } else {
        v.to_owned()
    }
}

/// Parses the freedesktop os-release format (also used by `lsb-release`): `KEY=value`
/// lines, values optionally single- or double-quoted with backslash escapes in double
/// quotes; comments and malformed lines are skipped. Empty values are kept.
pub fn parse_os_release(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, raw)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        let key = key.strip_prefix("export ").map(str::trim).unwrap_or(key);
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        out.insert(key.to_owned(), unquote(raw.trim()));
    }
    out
}

fn unquote(raw: &str) -> String {
    let mut chars = raw.chars();
    match chars.next() {
        Some('"') => {
            let mut s = String::with_capacity(raw.len());
            let mut escaped = false;
            for c in chars {
                if escaped {
                    s.push(c);
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    break;
                } else {
                    s.push(c);
                }
            }
            s
        }
        Some('\'') => chars.take_while(|&c| c != '\'').collect(),
        _ => raw.to_owned(),
    }
}

/// Splits on whitespace and parentheses and joins with `-`: `22.03 (LTS-SP3)` ->
/// `22.03-LTS-SP3`.
fn dash_join(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Architectures some vendors write where a code name usually goes.
fn is_arch(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "x86_64"
            | "aarch64"
            | "arm64"
            | "amd64"
            | "i686"
            | "loongarch64"
            | "riscv64"
            | "sw_64"
            | "mips64el"
            | "ppc64le"
            | "s390x"
    )
}

/// The text inside the first pair of parentheses.
fn paren(s: &str) -> Option<&str> {
    let start = s.find('(')?;
    let rest = &s[start + 1..];
    let end = rest.find(')').unwrap_or(rest.len());
    Some(rest[..end].trim()).filter(|p| !p.is_empty())
}

/// EulerOS: `2.0 (SP8)` -> `2.0-SP8`, `2.0 (SP9x86_64)` -> `2.0-SP9`, `2.0` -> `2.0`.
fn euleros_version(version: &str) -> String {
    let base = version.split_whitespace().next().unwrap_or("").to_owned();
    match paren(version) {
        Some(p) if p.len() > 2 && p.as_bytes()[..2].eq_ignore_ascii_case(b"SP") => {
            let sp = p
                .trim_end_matches("x86_64")
                .trim_end_matches("aarch64")
                .trim_end_matches("arm64");
            format!("{base}-{}", sp.trim())
        }
        _ => base,
    }
}

/// Kylin service packs by code name (V10 SP1 "Tercel", SP2 "Sword", SP3 "Lance", SP3
/// 2403 "Halberd").
fn kylin_service_pack(codename: &str) -> Option<&'static str> {
    match codename.to_ascii_lowercase().as_str() {
        "tercel" => Some("SP1"),
        "sword" => Some("SP2"),
        "lance" | "halberd" => Some("SP3"),
        _ => None,
    }
}

/// Kylin: base `V10` plus the service pack from the parenthesised part (`SP1`) or its code
/// name (`Sword` -> `SP2`). Returns (version, codename).
fn kylin_version(base: &str, version: &str) -> (String, Option<String>) {
    let base = {
        let b = base.trim();
        match b.as_bytes().first() {
            Some(b'v') => format!("V{}", &b[1..]),
            _ => b.to_owned(),
        }
    };
    let Some(p) = paren(version) else {
        return (base, None);
    };
    if p.len() > 2
        && p.as_bytes()[..2].eq_ignore_ascii_case(b"SP")
        && p.as_bytes()[2].is_ascii_digit()
    {
        return (format!("{base}-{}", p.to_ascii_uppercase()), None);
    }
    match kylin_service_pack(p) {
        Some(sp) => (format!("{base}-{sp}"), Some(p.to_owned())),
        None => (base, Some(p.to_owned())),
    }
}

/// Maps an os-release `ID` to a family; `None` for systems this crate does not know.
fn family_of_id(id: &str) -> Option<&'static str> {
    Some(match id.to_ascii_lowercase().as_str() {
        "debian" => "debian",
        "ubuntu" => "ubuntu",
        "alpine" => "alpine",
        "rhel" | "redhat" => "redhat",
        "centos" => "centos",
        "rocky" => "rocky",
        "almalinux" | "alma" => "alma",
        "ol" | "oracle" => "oracle",
        "fedora" => "fedora",
        "amzn" => "amazon",
        "sles" | "sled" | "sles_sap" => "sles",
        "opensuse" | "opensuse-leap" | "opensuse-tumbleweed" | "opensuse-microos" => "opensuse",
        "sle-micro" | "suse-microos" | "sle-micro-rancher" | "sl-micro" => "slem",
        "openeuler" => "openeuler",
        "euleros" => "euleros",
        "hce" => "hce",
        "kylin" => "kylin",
        "uos" => "uos",
        "ctyunos" => "ctyunos",
        "photon" => "photon",
        "mariner" => "cbl-mariner",
        "azurelinux" => "azurelinux",
        "wolfi" => "wolfi",
        "chainguard" => "chainguard",
        "bottlerocket" => "bottlerocket",
        "echo" => "echo",
        "minimos" => "minimos",
        "activestate" => "activestate",
        "coreos" => "coreos",
        _ => return None,
    })
}

fn non_empty(fields: &BTreeMap<String, String>, key: &str) -> Option<String> {
    fields
        .get(key)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Builds an [`OsInfo`] from os-release key/values (precedence and origin left to the
/// caller).
pub fn from_os_release(fields: BTreeMap<String, String>) -> OsInfo {
    let id = non_empty(&fields, "ID").unwrap_or_default();
    let name = non_empty(&fields, "NAME").unwrap_or_default();
    let pretty = non_empty(&fields, "PRETTY_NAME");
    let version_id = non_empty(&fields, "VERSION_ID");
    let version_str = non_empty(&fields, "VERSION");
    let mut codename = non_empty(&fields, "VERSION_CODENAME");
    let Some(family) = family_of_id(&id) else {
        return OsInfo {
            family: "unknown".into(),
            name: if name.is_empty() { id } else { name },
            version: version_id.unwrap_or_default(),
            codename,
            pretty_name: pretty,
            fields,
            ..Default::default()
        };
    };
    let mut name = if name.is_empty() { id.clone() } else { name };
    let mut version = version_id.clone().unwrap_or_default();
    match family {
        // Debian 7/8: VERSION="8 (jessie)", no VERSION_CODENAME.
        "debian" if codename.is_none() => {
            codename = version_str.as_deref().and_then(paren).map(str::to_owned);
        }
        "ubuntu" if codename.is_none() => {
            codename = non_empty(&fields, "UBUNTU_CODENAME");
        }
        // Alpine edge: VERSION_ID is a snapshot (3.13.0_alpha20201218) and PRETTY_NAME
        // says "edge"; vulnerability feeds call the branch "edge".
        "alpine" if pretty.as_deref().is_some_and(|p| p.ends_with(" edge")) => {
            codename = Some("edge".into());
            version = "edge".into();
        }
        "sles" | "slem" if version.is_empty() => {
            // VERSION="15-SP5" -> 15.5.
            if let Some(v) = version_str.as_deref() {
                version = v.replace("-SP", ".");
            }
        }
        "openeuler" => {
            if let Some(v) = version_str.as_deref() {
                version = dash_join(v);
            }
        }
        "euleros" => {
            if let Some(v) = version_str.as_deref() {
                version = euleros_version(v);
            }
        }
        "kylin" => {
            let base = version_id.clone().unwrap_or_else(|| "V10".into());
            let (v, c) = kylin_version(&base, version_str.as_deref().unwrap_or(""));
            version = v;
            if codename.is_none() {
                codename = c;
            }
        }
        "ctyunos" if version.is_empty() => {
            version = version_str.clone().unwrap_or_default();
        }
        "centos" if name.contains("Stream") => {
            name = "CentOS Stream".into();
        }
        _ => {}
    }
    OsInfo {
        family: family.into(),
        name,
        version,
        codename,
        pretty_name: pretty,
        fields,
        ..Default::default()
    }
}

/// `/etc/lsb-release`: only Ubuntu and Debian are trusted (other systems ship
/// inconsistent files: Kylin server says `DISTRIB_CODENAME=juniper`).
fn from_lsb_release(fields: BTreeMap<String, String>) -> Option<OsInfo> {
    let id = non_empty(&fields, "DISTRIB_ID")?;
    let family = match id.to_ascii_lowercase().as_str() {
        "ubuntu" => "ubuntu",
        "debian" => "debian",
        _ => return None,
    };
    let version = non_empty(&fields, "DISTRIB_RELEASE")?;
    Some(OsInfo {
        family: family.into(),
        name: id,
        version,
        codename: non_empty(&fields, "DISTRIB_CODENAME"),
        pretty_name: non_empty(&fields, "DISTRIB_DESCRIPTION"),
        precedence: LSB_RELEASE,
        fields,
        ..Default::default()
    })
}

/// A `<Name> release <version> (<extra>)` line (`redhat-release` and friends).
pub fn from_release_line(line: &str) -> Option<OsInfo> {
    let line = line.trim();
    let (product, rest) = line.split_once(" release ")?;
    let product = product.trim();
    let rest = rest.trim();
    let first = rest.split_whitespace().next()?;
    let lower = product.to_ascii_lowercase();
    // "Huawei Cloud EulerOS release 1.0 (x86_64)": an architecture is not a code name.
    let extra = paren(rest).filter(|p| !is_arch(p)).map(str::to_owned);
    let (family, name, version, codename): (&str, String, String, Option<String>) =
        if lower.starts_with("centos stream") {
            ("centos", "CentOS Stream".into(), first.into(), None)
        } else if lower.starts_with("centos") {
            ("centos", "CentOS Linux".into(), first.into(), extra)
        } else if lower.starts_with("red hat") {
            ("redhat", product.into(), first.into(), extra)
        } else if lower.starts_with("rocky") {
            ("rocky", product.into(), first.into(), extra)
        } else if lower.starts_with("almalinux") {
            ("alma", product.into(), first.into(), extra)
        } else if lower.starts_with("oracle linux") {
            ("oracle", product.into(), first.into(), extra)
        } else if lower.starts_with("fedora") {
            ("fedora", product.into(), first.into(), extra)
        } else if lower.starts_with("amazon linux") {
            ("amazon", product.into(), first.into(), extra)
        } else if lower.starts_with("huawei cloud euleros") {
            ("hce", product.into(), first.into(), extra)
        } else if lower.starts_with("euleros") {
            ("euleros", product.into(), euleros_version(rest), None)
        } else if lower.starts_with("openeuler") {
            ("openeuler", product.into(), dash_join(rest), None)
        } else if lower.starts_with("kylin") {
            let (v, c) = kylin_version(first, rest);
            ("kylin", product.into(), v, c)
        } else if lower.starts_with("uniontech os") || lower.starts_with("uos") {
            ("uos", product.into(), first.into(), extra)
        } else if lower.starts_with("ctyunos") {
            ("ctyunos", product.into(), first.into(), extra)
        } else {
            return None;
        };
    Some(OsInfo {
        family: family.into(),
        name,
        version,
        codename,
        pretty_name: Some(line.to_owned()),
        ..Default::default()
    })
}

/// `/etc/SuSE-release`: first line names the product, `VERSION = 12`, `PATCHLEVEL = 3`.
fn from_suse_release(text: &str) -> Option<OsInfo> {
    let head = first_line(text);
    let mut version = None;
    let mut patch = None;
    for line in text.lines() {
        if let Some((k, v)) = line.split_once('=') {
            match k.trim() {
                "VERSION" => version = Some(v.trim().to_owned()),
                "PATCHLEVEL" => patch = Some(v.trim().to_owned()),
                _ => {}
            }
        }
    }
    let version = version?;
    let lower = head.to_ascii_lowercase();
    let family = if lower.starts_with("suse linux enterprise") {
        "sles"
    } else if lower.starts_with("opensuse") {
        "opensuse"
    } else {
        return None;
    };
    let version = match patch {
        Some(p) if !version.contains('.') && p != "0" => format!("{version}.{p}"),
        _ => version,
    };
    let name = head.split(" (").next().unwrap_or(head).to_owned();
    Some(OsInfo {
        family: family.into(),
        name,
        version,
        pretty_name: Some(head.to_owned()),
        precedence: SUSE_RELEASE,
        ..Default::default()
    })
}

/// UnionTech `/etc/os-version`: an INI `[Version]` section with `SystemName`,
/// `ProductType` (`Server`, `Desktop`), `EditionName`, `MajorVersion=20` and
/// `MinorVersion=1050`. Servers name their edition by one letter (`e` openEuler-based,
/// `a` Anolis/CentOS-based, `d` Debian-based) and normalise to `20-1050e`; desktops name it
/// by a word or a capital letter (`Professional`, `E`) that is not a server edition, so
/// they normalise to `20-1032` and keep the edition in `fields["EditionName"]`.
fn from_uos_os_version(text: &str) -> Option<OsInfo> {
    let mut fields = BTreeMap::new();
    let mut in_version = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_version = line == "[Version]";
            continue;
        }
        if !in_version {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            fields.insert(k.trim().to_owned(), v.trim().to_owned());
        }
    }
    let name = non_empty(&fields, "SystemName")?;
    // Deepin ships the same file format: only UnionTech's own systems are UOS.
    let lower = name.to_ascii_lowercase();
    if !(lower.contains("uniontech") || lower.contains("uos")) {
        return None;
    }
    let major = non_empty(&fields, "MajorVersion")?;
    let minor = non_empty(&fields, "MinorVersion");
    let server = match non_empty(&fields, "ProductType") {
        Some(t) => t.eq_ignore_ascii_case("server"),
        None => lower.contains("server"),
    };
    let edition = non_empty(&fields, "EditionName")
        .filter(|e| server && e.len() == 1 && e.as_bytes()[0].is_ascii_alphabetic())
        .map(|e| e.to_ascii_lowercase());
    let version = match (&minor, &edition) {
        (Some(m), Some(e)) => format!("{major}-{m}{e}"),
        (Some(m), None) => format!("{major}-{m}"),
        _ => major.clone(),
    };
    Some(OsInfo {
        family: "uos".into(),
        name: name.clone(),
        version,
        pretty_name: Some(name),
        precedence: UOS_OS_VERSION,
        fields,
        ..Default::default()
    })
}

pub mod ubuntu_pro;

#[cfg(test)]
mod tests;
