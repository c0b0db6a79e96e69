//! Package URLs (purl-spec) for the language ecosystems.

use std::fmt::Write;

/// Percent-encodes a purl component: everything but `A-Za-z0-9.-_~` becomes `%XX`.
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `pkg:{ty}/{namespace segments}/{name}@{version}`; the version is left out when empty.
pub(crate) fn build(ty: &str, namespace: Option<&str>, name: &str, version: &str) -> String {
    let mut s = format!("pkg:{ty}/");
    if let Some(ns) = namespace {
        for seg in ns.split('/').filter(|x| !x.is_empty()) {
            s.push_str(&encode(seg));
            s.push('/');
        }
    }
    s.push_str(&encode(name));
    if !version.is_empty() {
        s.push('@');
        s.push_str(&encode(version));
    }
    s
}

/// Splits `a/b/c` into (`a/b`, `c`); no namespace without a slash.
fn split_last(name: &str) -> (Option<&str>, &str) {
    match name.rfind('/') {
        Some(i) => (Some(&name[..i]), &name[i + 1..]),
        None => (None, name),
    }
}

/// purl-spec's pypi rule (as Trivy writes it): lowercase, `_` becomes `-`; dots stay.
pub(crate) fn pypi(name: &str, version: &str) -> String {
    build(
        "pypi",
        None,
        &name.trim().to_lowercase().replace('_', "-"),
        version,
    )
}

pub(crate) fn npm(name: &str, version: &str) -> String {
    let (ns, n) = if name.starts_with('@') {
        split_last(name)
    } else {
        (None, name)
    };
    build("npm", ns, n, version)
}

/// Go module purls are lowercased (as Trivy writes them; purl-spec treats golang
/// namespaces and names as case-insensitive).
pub(crate) fn golang(path: &str, version: &str) -> String {
    let path = path.to_lowercase();
    let (ns, n) = split_last(&path);
    build("golang", ns, n, version)
}

pub(crate) fn cargo(name: &str, version: &str) -> String {
    build("cargo", None, name, version)
}

pub(crate) fn composer(name: &str, version: &str) -> String {
    let (ns, n) = split_last(name);
    build("composer", ns, n, version)
}

pub(crate) fn gem(name: &str, version: &str) -> String {
    build("gem", None, name, version)
}

pub(crate) fn nuget(name: &str, version: &str) -> String {
    build("nuget", None, name, version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls() {
        assert_eq!(
            npm("@babel/parser", "7.23.6"),
            "pkg:npm/%40babel/parser@7.23.6"
        );
        assert_eq!(npm("ms", "2.0.0"), "pkg:npm/ms@2.0.0");
        assert_eq!(pypi("Foo.Bar__baz", "1.0"), "pkg:pypi/foo.bar--baz@1.0");
        assert_eq!(
            pypi("lazr.restfulclient", "0.14.5"),
            "pkg:pypi/lazr.restfulclient@0.14.5"
        );
        assert_eq!(pypi("Unidecode", "0.4.1"), "pkg:pypi/unidecode@0.4.1");
        assert_eq!(
            golang(
                "github.com/aquasecurity/go-version",
                "v0.0.0-20210121072130-637058cfe492"
            ),
            "pkg:golang/github.com/aquasecurity/go-version@v0.0.0-20210121072130-637058cfe492"
        );
        assert_eq!(golang("stdlib", "v1.21.3"), "pkg:golang/stdlib@v1.21.3");
        assert_eq!(
            golang("x.io/a", "v2.0.0+incompatible"),
            "pkg:golang/x.io/a@v2.0.0%2Bincompatible"
        );
        assert_eq!(
            composer("pear/log", "1.13.3"),
            "pkg:composer/pear/log@1.13.3"
        );
        assert_eq!(golang("github.com/a/b", ""), "pkg:golang/github.com/a/b");
        assert_eq!(
            golang("github.com/Azure/azure-sdk-for-go/sdk/azcore", "v1.23.2"),
            "pkg:golang/github.com/azure/azure-sdk-for-go/sdk/azcore@v1.23.2"
        );
    }
}
