//! Package URLs for OS packages (purl-spec): `pkg:type/namespace/name@version?qualifiers`,
//! components percent-encoded, qualifiers sorted by key, empty qualifiers dropped.

use std::fmt::Write;

/// Percent-encodes a purl component: everything but `A-Za-z0-9.-_~` (and `:` in
/// versions, which purl-spec leaves unencoded) becomes `%XX`; `+` becomes `%2B`.
pub fn encode(s: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'.' | b'-' | b'_' | b'~')
            || (keep_colon && b == b':')
        {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Builds a purl. `qualifiers` need not be sorted; empty values are dropped.
pub fn build(
    ty: &str,
    namespace: Option<&str>,
    name: &str,
    version: &str,
    qualifiers: &[(&str, &str)],
) -> String {
    let mut s = format!("pkg:{ty}/");
    if let Some(ns) = namespace.filter(|n| !n.is_empty()) {
        for seg in ns.split('/').filter(|x| !x.is_empty()) {
            s.push_str(&encode(seg, false));
            s.push('/');
        }
    }
    s.push_str(&encode(name, false));
    if !version.is_empty() {
        s.push('@');
        s.push_str(&encode(version, true));
    }
    let mut q: Vec<(String, &str)> = qualifiers
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_ascii_lowercase(), *v))
        .collect();
    q.sort_by(|a, b| a.0.cmp(&b.0));
    for (i, (k, v)) in q.iter().enumerate() {
        s.push(if i == 0 { '?' } else { '&' });
        s.push_str(k);
        s.push('=');
        s.push_str(&encode(v, true));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_plus_and_sorts_qualifiers() {
        assert_eq!(
            build(
                "deb",
                Some("debian"),
                "bash",
                "5.2.15-2+b2",
                &[("distro", "debian-12"), ("arch", "amd64")]
            ),
            "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12"
        );
        assert_eq!(
            build(
                "rpm",
                Some("redhat"),
                "openssl",
                "3.0.7-24.el9",
                &[("epoch", "1"), ("arch", "x86_64"), ("distro", "")]
            ),
            "pkg:rpm/redhat/openssl@3.0.7-24.el9?arch=x86_64&epoch=1"
        );
        assert_eq!(build("apk", None, "a b", "1:2", &[]), "pkg:apk/a%20b@1:2");
    }
}
