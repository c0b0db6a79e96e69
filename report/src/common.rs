//! Helpers shared by the formats: names, sorting, time, identifiers, licenses, escaping.

use std::cmp::Ordering;

use sha2::{Digest, Sha256};
use strata_core::finding::{
    Compliance, Malware, Misconfiguration, Origin, Package, Secret, Severity, VulnStatus,
    Vulnerability,
};
use strata_core::report::{Report, ScanOutput};

/// The tool name written into documents.
pub(crate) const TOOL: &str = "strata";
/// The tool version written into documents.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The name shown for an image: its first repo tag (sorted) when it names a repository
/// (`debian:12`, `example.com/app:1.0`); a bare OCI layout ref name (`latest`) is joined to the
/// target's file name (`layered.oci:latest`); without tags, the target.
pub(crate) fn image_name(r: &Report) -> String {
    let mut tags: Vec<&String> = r.image.repo_tags.iter().collect();
    tags.sort();
    match tags
        .iter()
        .find(|t| t.contains([':', '/']))
        .or(tags.first())
    {
        Some(t) if t.contains([':', '/']) => t.to_string(),
        Some(t) => format!("{}:{t}", target_base(&r.target)),
        None => r.target.clone(),
    }
}

/// The file name of a target (`oci:/tmp/app.oci` -> `app.oci`).
fn target_base(target: &str) -> &str {
    let t = target.trim_end_matches('/');
    let t = t.rsplit('/').next().unwrap_or(t);
    let t = t
        .rsplit_once(':')
        .map_or(t, |(_, b)| if b.is_empty() { t } else { b });
    if t.is_empty() { "image" } else { t }
}

/// The platform label of a report (`linux/amd64`), or `platform-<i>` when unknown.
pub(crate) fn platform_label(r: &Report, i: usize) -> String {
    r.image
        .platform
        .as_ref()
        .map(|p| p.to_string())
        .unwrap_or_else(|| format!("platform-{i}"))
}

/// The reports with their platform labels; labels are `None` for a single image.
pub(crate) fn labelled(out: &ScanOutput) -> Vec<(Option<String>, &Report)> {
    match out {
        ScanOutput::Single(r) => vec![(None, r.as_ref())],
        ScanOutput::Index(i) => {
            let mut seen = std::collections::BTreeSet::new();
            i.platforms
                .iter()
                .enumerate()
                .map(|(n, r)| {
                    let mut label = platform_label(r, n);
                    if !seen.insert(label.clone()) {
                        label = format!("{label}#{n}");
                        seen.insert(label.clone());
                    }
                    (Some(label), r)
                })
                .collect()
        }
    }
}

/// A `pkg:oci` purl for an image with a manifest digest.
pub(crate) fn oci_purl(r: &Report) -> Option<String> {
    let digest = r.image.digest.as_deref()?;
    let (repo, tag) = split_reference(&image_name(r));
    let name = repo
        .rsplit('/')
        .next()
        .unwrap_or(&repo)
        .to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    let mut q = Vec::new();
    if let Some(p) = &r.image.platform {
        q.push(format!("arch={}", pct(&p.architecture)));
    }
    if repo.contains('/') {
        q.push(format!(
            "repository_url={}",
            pct(&repo.to_ascii_lowercase())
        ));
    }
    if let Some(t) = tag {
        q.push(format!("tag={}", pct(&t)));
    }
    let mut s = format!("pkg:oci/{}@{}", pct(&name), pct(digest));
    if !q.is_empty() {
        s.push('?');
        s.push_str(&q.join("&"));
    }
    Some(s)
}

/// Splits `registry/repo:tag` (or `repo@digest`) into repository and tag.
pub(crate) fn split_reference(s: &str) -> (String, Option<String>) {
    let s = s.split('@').next().unwrap_or(s);
    let last_slash = s.rfind('/').map(|i| i + 1).unwrap_or(0);
    match s[last_slash..].rfind(':') {
        Some(c) => (
            s[..last_slash + c].to_string(),
            Some(s[last_slash + c + 1..].to_string()),
        ),
        None => (s.to_string(), None),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn pct(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

/// Percent-encodes a path for a URI reference: keeps unreserved characters, sub-delims,
/// `:`, `@` and `/` (so `a.war!/b.jar` stays readable), encodes the rest.
pub(crate) fn uri_path(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
                    | b'/'
            )
        {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

/// RFC 3339 UTC time (`2024-01-02T03:04:05Z`) from seconds since the epoch.
pub(crate) fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// SHA-256 of the parts, each terminated by a NUL byte.
pub(crate) fn digest_parts(parts: &[&str]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    h.finalize().into()
}

/// A name-based UUID (RFC 9562 version 8, SHA-256) from the parts.
pub(crate) fn uuid(parts: &[&str]) -> String {
    let mut b = digest_parts(parts);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(&b[..16]);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The identity of a scan for serial numbers: target, digests and creation time.
pub(crate) fn scan_identity(out: &ScanOutput, created: u64) -> Vec<String> {
    let mut parts = vec![created.to_string()];
    if let ScanOutput::Index(i) = out {
        parts.push(i.target.clone());
        parts.push(i.digest.clone().unwrap_or_default());
    }
    for r in out.reports() {
        parts.push(r.target.clone());
        parts.push(r.image.digest.clone().unwrap_or_default());
        parts.push(r.image.config_digest.clone().unwrap_or_default());
    }
    parts
}

/// The target shown for the whole output.
pub(crate) fn output_name(out: &ScanOutput) -> String {
    match out {
        ScanOutput::Single(r) => image_name(r),
        ScanOutput::Index(i) => i.target.clone(),
    }
}

fn origin_key(o: &Origin) -> (&str, Option<u32>, Option<u32>) {
    (&o.path, o.layer_index, o.removed_in_layer)
}

/// Packages in a stable order.
pub(crate) fn sorted_packages(r: &Report) -> Vec<&Package> {
    let mut v: Vec<&Package> = r.packages.iter().collect();
    v.sort_by(|a, b| {
        (
            a.ecosystem,
            &a.name,
            &a.version,
            origin_key(&a.origin),
            &a.purl,
            &a.arch,
        )
            .cmp(&(
                b.ecosystem,
                &b.name,
                &b.version,
                origin_key(&b.origin),
                &b.purl,
                &b.arch,
            ))
    });
    v
}

/// Vulnerabilities in a stable order (id, package, version, path).
pub(crate) fn sorted_vulns(r: &Report) -> Vec<&Vulnerability> {
    let mut v: Vec<&Vulnerability> = r.vulnerabilities.iter().collect();
    v.sort_by(|a, b| {
        (
            &a.id,
            &a.package,
            &a.version,
            origin_key(&a.origin),
            &a.fixed_version,
        )
            .cmp(&(
                &b.id,
                &b.package,
                &b.version,
                origin_key(&b.origin),
                &b.fixed_version,
            ))
    });
    v
}

/// Secrets in a stable order.
pub(crate) fn sorted_secrets(r: &Report) -> Vec<&Secret> {
    let mut v: Vec<&Secret> = r.secrets.iter().collect();
    v.sort_by(|a, b| {
        (origin_key(&a.origin), a.line, &a.rule_id, &a.redacted).cmp(&(
            origin_key(&b.origin),
            b.line,
            &b.rule_id,
            &b.redacted,
        ))
    });
    v
}

/// Malware in a stable order.
pub(crate) fn sorted_malware(r: &Report) -> Vec<&Malware> {
    let mut v: Vec<&Malware> = r.malware.iter().collect();
    v.sort_by(|a, b| (origin_key(&a.origin), &a.name).cmp(&(origin_key(&b.origin), &b.name)));
    v
}

/// Misconfigurations in a stable order.
pub(crate) fn sorted_misconfigs(r: &Report) -> Vec<&Misconfiguration> {
    let mut v: Vec<&Misconfiguration> = r.misconfigurations.iter().collect();
    v.sort_by(|a, b| {
        (&a.id, origin_key(&a.origin), &a.message).cmp(&(&b.id, origin_key(&b.origin), &b.message))
    });
    v
}

/// Compliance findings in a stable order.
pub(crate) fn sorted_compliance(r: &Report) -> Vec<&Compliance> {
    let mut v: Vec<&Compliance> = r.compliance.iter().collect();
    v.sort_by(|a, b| (&a.id, origin_key(&a.origin)).cmp(&(&b.id, origin_key(&b.origin))));
    v
}

/// Severity descending, for "worst first" ordering.
pub(crate) fn by_severity_desc(a: Severity, b: Severity) -> Ordering {
    b.cmp(&a)
}

/// The serialised status name (`will_not_fix`).
pub(crate) fn status_str(s: VulnStatus) -> &'static str {
    match s {
        VulnStatus::Fixed => "fixed",
        VulnStatus::Affected => "affected",
        VulnStatus::WillNotFix => "will_not_fix",
        VulnStatus::FixDeferred => "fix_deferred",
        VulnStatus::NotAffected => "not_affected",
        VulnStatus::EndOfLife => "end_of_life",
    }
}

/// The CVSS method of a vector, as CycloneDX names it.
pub(crate) fn cvss_method(vector: &str) -> &'static str {
    if vector.starts_with("CVSS:3.1/") {
        "CVSSv31"
    } else if vector.starts_with("CVSS:3.0/") {
        "CVSSv3"
    } else if vector.starts_with("CVSS:4.0/") {
        "CVSSv4"
    } else if vector.starts_with("AV:") || vector.starts_with("(AV:") {
        "CVSSv2"
    } else {
        "other"
    }
}

/// One declared license, classified against the SPDX license list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum License {
    /// A single SPDX license id (`MIT`, `GPL-2.0`).
    Id(String),
    /// A valid SPDX expression that is not a bare list id (`MIT OR Apache-2.0`, `GPL-2.0+`).
    Expression(String),
    /// Anything else (`GPL-2+`, `Artistic`, free text).
    Name(String),
}

/// Classifies a license string.
pub(crate) fn classify_license(s: &str) -> License {
    let s = s.trim();
    if spdx::license_id(s).is_some_and(|id| id.name == s) {
        return License::Id(s.to_string());
    }
    // `<id>+` ("or later") is a valid simple expression but not a list id.
    if let Some(base) = s.strip_suffix('+') {
        if spdx::license_id(base).is_some_and(|id| id.name == base) {
            return License::Expression(s.to_string());
        }
    }
    let mode = spdx::ParseMode {
        allow_deprecated: true,
        ..spdx::ParseMode::STRICT
    };
    match spdx::Expression::parse_mode(s, mode) {
        Ok(e) if e.requirements().count() > 0 => {
            if s.starts_with("LicenseRef-") || s.starts_with("DocumentRef-") {
                License::Name(s.to_string())
            } else {
                License::Expression(s.to_string())
            }
        }
        _ => License::Name(s.to_string()),
    }
}

/// The SPDX license list version the license checks use.
pub(crate) fn license_list_version() -> &'static str {
    spdx::identifiers::VERSION
}

/// `LicenseRef-` id for a free-text license: sanitised text plus a short hash.
pub(crate) fn license_ref(name: &str) -> String {
    let h = hex::encode(&digest_parts(&[name])[..4]);
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(48)
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches('-');
    if s.is_empty() {
        format!("LicenseRef-{h}")
    } else {
        format!("LicenseRef-{s}-{h}")
    }
}

/// Keeps `[A-Za-z0-9.-]`, maps the rest to `-`, caps the length.
pub(crate) fn spdx_id_part(s: &str, max: usize) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(max)
        .collect();
    if s.is_empty() { "x".into() } else { s }
}

/// Layer provenance and location of a finding as `(name, value)` pairs, `strata:` names.
pub(crate) fn origin_props(o: &Origin) -> Vec<(String, String)> {
    let mut v = Vec::new();
    if !o.path.is_empty() {
        v.push(("strata:path".to_string(), o.path.clone()));
    }
    if let Some(p) = &o.real_path {
        v.push(("strata:real_path".to_string(), p.clone()));
    }
    if let Some(l) = &o.layer {
        v.push(("strata:layer:diff_id".to_string(), l.clone()));
    }
    if let Some(i) = o.layer_index {
        v.push(("strata:layer:index".to_string(), i.to_string()));
    }
    if let Some(i) = o.removed_in_layer {
        v.push(("strata:layer:removed_in".to_string(), i.to_string()));
    }
    v
}

/// Every fact of a package besides name, version, purl, cpe and licenses, as `strata:`
/// properties, sorted by name.
pub(crate) fn package_props(p: &Package) -> Vec<(String, String)> {
    let mut v = vec![(
        "strata:package:ecosystem".to_string(),
        p.ecosystem.to_string(),
    )];
    let mut opt = |k: &str, x: &Option<String>| {
        if let Some(x) = x {
            v.push((format!("strata:package:{k}"), x.clone()));
        }
    };
    opt("arch", &p.arch);
    opt("source_name", &p.source_name);
    opt("source_version", &p.source_version);
    opt("evidence", &p.evidence);
    opt("os_package", &p.os_package);
    if let Some(d) = p.direct {
        v.push(("strata:package:direct".into(), d.to_string()));
    }
    if !p.detector.is_empty() {
        v.push(("strata:package:detector".into(), p.detector.clone()));
    }
    for (k, x) in &p.properties {
        v.push((format!("strata:package:property:{k}"), x.clone()));
    }
    v.extend(origin_props(&p.origin));
    v.sort();
    v
}

/// The CVSS-like score GitHub code scanning reads from `security-severity`.
pub(crate) fn security_severity(s: Severity) -> Option<&'static str> {
    match s {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("2.0"),
        Severity::Unknown => None,
    }
}

/// HTML-escapes text for element content and quoted attribute values.
pub(crate) fn html_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}
