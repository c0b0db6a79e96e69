//! Artifact and version from an archive's file name (`log4j-core-2.14.1.jar`).

/// What a file name says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileName {
    /// Artifact id (`log4j-core`).
    pub artifact: String,
    /// Version (`2.14.1`, `1.0.0-SNAPSHOT`), if the name has one.
    pub version: Option<String>,
    /// Classifier after the version (`linux-x86_64`, `sources`), if any.
    pub classifier: Option<String>,
}

/// Archive extensions this crate opens.
pub const ARCHIVE_EXTENSIONS: &[&str] = &[
    "jar", "war", "ear", "par", "sar", "jpi", "hpi", "kar", "nar", "rar",
];

/// The extension of `name` if it is a Java archive one (case-insensitive).
pub(crate) fn archive_extension(name: &str) -> Option<&'static str> {
    let (_, ext) = name.rsplit_once('.')?;
    ARCHIVE_EXTENSIONS
        .iter()
        .copied()
        .find(|e| e.eq_ignore_ascii_case(ext))
}

/// Whether a dash-separated segment after the version still belongs to it.
fn is_version_part(seg: &str) -> bool {
    let l = seg.to_ascii_lowercase();
    if l.starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    let numbered = |p: &str| {
        l.strip_prefix(p)
            .is_some_and(|r| r.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
    };
    matches!(
        l.as_str(),
        "snapshot" | "final" | "ga" | "release" | "jre" | "android" | "sec"
    ) || [
        "rc",
        "cr",
        "alpha",
        "beta",
        "m",
        "sp",
        "b",
        "ea",
        "milestone",
        "incubating",
    ]
    .iter()
    .any(|p| numbered(p) && l.len() > 1 && l != "b" && l != "m")
}

/// Splits `name` (a base name, with or without an archive extension). The artifact runs
/// to the first dash-separated segment that starts with a digit; the version takes that
/// segment and following qualifiers (`SNAPSHOT`, `Final`, `jre`, `rc1`, timestamps); the
/// rest is a classifier. `None` for names that are not archives or have no artifact.
pub fn parse_file_name(name: &str) -> Option<FileName> {
    let base = name.rsplit('/').next().unwrap_or(name);
    let ext = archive_extension(base)?;
    let stem = &base[..base.len() - ext.len() - 1];
    let segs: Vec<&str> = stem.split('-').collect();
    let first_ver = segs
        .iter()
        .skip(1)
        .position(|s| s.starts_with(|c: char| c.is_ascii_digit()))
        .map(|p| p + 1);
    let Some(vi) = first_ver else {
        if stem.is_empty() {
            return None;
        }
        return Some(FileName {
            artifact: stem.to_owned(),
            version: None,
            classifier: None,
        });
    };
    let artifact = segs[..vi].join("-");
    if artifact.is_empty() {
        return None;
    }
    let mut end = vi + 1;
    while end < segs.len() && is_version_part(segs[end]) {
        end += 1;
    }
    let version = segs[vi..end].join("-");
    let classifier = (end < segs.len()).then(|| segs[end..].join("-"));
    Some(FileName {
        artifact,
        version: Some(version),
        classifier,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(n: &str) -> (String, Option<String>, Option<String>) {
        let f = parse_file_name(n).unwrap();
        (f.artifact, f.version, f.classifier)
    }

    #[test]
    fn names() {
        assert_eq!(
            p("log4j-core-2.14.1.jar"),
            ("log4j-core".into(), Some("2.14.1".into()), None)
        );
        assert_eq!(
            p("heuristic-1.0.0-SNAPSHOT.jar"),
            ("heuristic".into(), Some("1.0.0-SNAPSHOT".into()), None)
        );
        assert_eq!(
            p("io.quarkus.gizmo.gizmo-1.1.jar"),
            ("io.quarkus.gizmo.gizmo".into(), Some("1.1".into()), None)
        );
        assert_eq!(
            p("guava-29.0-jre.jar"),
            ("guava".into(), Some("29.0-jre".into()), None)
        );
        assert_eq!(
            p("netty-transport-native-epoll-4.1.94.Final-linux-x86_64.jar"),
            (
                "netty-transport-native-epoll".into(),
                Some("4.1.94.Final".into()),
                Some("linux-x86_64".into())
            )
        );
        assert_eq!(
            p("foo-1.0-20230102.101010-3.jar"),
            ("foo".into(), Some("1.0-20230102.101010-3".into()), None)
        );
        assert_eq!(
            p("app-2.0-rc1-sources.JAR"),
            ("app".into(), Some("2.0-rc1".into()), Some("sources".into()))
        );
        assert_eq!(p("catalina.jar"), ("catalina".into(), None, None));
        assert_eq!(parse_file_name("x.zip"), None);
        assert_eq!(parse_file_name(".jar"), None);
    }
}
