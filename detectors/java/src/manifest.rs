//! `META-INF/MANIFEST.MF`: the main section of a JAR manifest.
//!
//! Lines end with CRLF, LF or a lone CR; a line starting with one space continues the
//! previous value (joined without the space, as `java.util.jar.Manifest` does); the main
//! section ends at the first empty line. Keys compare case-insensitively.

/// Max bytes of a manifest that are parsed (real ones are a few KiB).
pub(crate) const MAX_MANIFEST_BYTES: usize = 1 << 20;
const MAX_ATTRIBUTES: usize = 4096;

/// The main section of a manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    attrs: Vec<(String, String)>,
}

impl Manifest {
    /// Parses the main section; never fails (garbage gives fewer attributes). Input past
    /// 1 MiB is ignored.
    pub fn parse(data: &[u8]) -> Manifest {
        let data = &data[..data.len().min(MAX_MANIFEST_BYTES)];
        let text = String::from_utf8_lossy(data);
        let mut attrs: Vec<(String, String)> = Vec::new();
        let mut current: Option<String> = None;
        let flush = |cur: &mut Option<String>, attrs: &mut Vec<(String, String)>| {
            if let Some(line) = cur.take()
                && let Some((k, v)) = line.split_once(':')
                && attrs.len() < MAX_ATTRIBUTES
            {
                let k = k.trim();
                if !k.is_empty() && !k.contains(' ') {
                    attrs.push((k.to_owned(), v.trim().to_owned()));
                }
            }
        };
        for line in split_lines(&text) {
            if line.is_empty() {
                break;
            }
            if let Some(cont) = line.strip_prefix(' ') {
                if let Some(cur) = current.as_mut() {
                    cur.push_str(cont);
                }
                continue;
            }
            flush(&mut current, &mut attrs);
            current = Some(line.to_owned());
        }
        flush(&mut current, &mut attrs);
        Manifest { attrs }
    }

    /// The value of an attribute (case-insensitive key), if present and not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(key) && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// All attributes in order.
    pub fn attributes(&self) -> &[(String, String)] {
        &self.attrs
    }

    /// A value usable as a coordinate: present, not a `%placeholder` of OSGi localisation.
    fn coord(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.starts_with('%'))
    }

    /// Group, artifact and version: a Jenkins plugin's `Group-Id`, `Short-Name` and
    /// `Plugin-Version` when present; otherwise as Trivy derives them: group from
    /// `Implementation-Vendor-Id`, the `Bundle-SymbolicName` prefix, `Implementation-Vendor`
    /// or `Specification-Vendor`; artifact from `Implementation-Title`,
    /// `Specification-Title` or `Bundle-Name`; version from `Implementation-Version`,
    /// `Specification-Version` or `Bundle-Version`. Unlike Trivy, a group containing
    /// whitespace (a vendor's display name such as "Apache Software Foundation") is not a
    /// Maven group id and gives `None`.
    pub fn coordinates(&self) -> Option<(String, String, String)> {
        // Jenkins plugins (.hpi/.jpi) name themselves exactly.
        if let (Some(g), Some(a), Some(v)) = (
            self.coord("Group-Id"),
            self.coord("Short-Name"),
            self.coord("Plugin-Version"),
        ) && !g.contains(char::is_whitespace)
        {
            return Some((g.to_owned(), a.to_owned(), v.to_owned()));
        }
        let group = if let Some(g) = self.coord("Implementation-Vendor-Id") {
            g.to_owned()
        } else if let Some(b) = self.coord("Bundle-SymbolicName") {
            // `com.fasterxml.jackson.core.jackson-databind;singleton:=true` -> prefix
            let b = b.split(';').next().unwrap_or(b).trim();
            b.rsplit_once('.').map(|(p, _)| p).unwrap_or(b).to_owned()
        } else if let Some(v) = self.coord("Implementation-Vendor") {
            v.to_owned()
        } else {
            self.coord("Specification-Vendor")?.to_owned()
        };
        let artifact = self
            .coord("Implementation-Title")
            .or_else(|| self.coord("Specification-Title"))
            .or_else(|| self.coord("Bundle-Name"))?;
        let version = self
            .coord("Implementation-Version")
            .or_else(|| self.coord("Specification-Version"))
            .or_else(|| self.coord("Bundle-Version"))?;
        if group.is_empty() || group.chars().any(char::is_whitespace) {
            return None;
        }
        Some((group, artifact.to_owned(), version.to_owned()))
    }

    /// License names declared by the manifest: Jenkins `Plugin-License-Name[-N]`, else
    /// OSGi `Bundle-License` entries that are SPDX-like identifiers (not URLs).
    pub fn licenses(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .attrs
            .iter()
            .filter(|(k, v)| {
                !v.is_empty()
                    && (k == "Plugin-License-Name"
                        || k.strip_prefix("Plugin-License-Name-")
                            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit())))
            })
            .map(|(_, v)| v.clone())
            .collect();
        if out.is_empty()
            && let Some(b) = self.get("Bundle-License")
        {
            for entry in b.split(',') {
                let id = entry
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches('"');
                if !id.is_empty()
                    && !id.contains("://")
                    && !id.contains(' ')
                    && !id.starts_with('<')
                {
                    out.push(id.to_owned());
                }
            }
        }
        out
    }
}

/// Splits on CRLF, LF and lone CR.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find(['\r', '\n']) {
            Some(i) => {
                let line = &rest[..i];
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
                Some(line)
            }
            None => {
                let line = rest;
                rest = "";
                Some(line)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_lines_and_line_endings() {
        let m = Manifest::parse(
            b"Manifest-Version: 1.0\r\nImplementation-URL: https://www.apache.org/hadoop-sh\r\n aded-guava/\rImplementation-Title: x\n\nName: a\nImplementation-Title: other\n",
        );
        assert_eq!(
            m.get("implementation-url"),
            Some("https://www.apache.org/hadoop-shaded-guava/")
        );
        assert_eq!(m.get("Implementation-Title"), Some("x"));
        assert_eq!(m.attributes().len(), 3);
    }

    #[test]
    fn coordinates_follow_trivy_order_but_reject_display_names() {
        let m = Manifest::parse(b"Bundle-SymbolicName: org.springframework.core\nImplementation-Title: Spring Framework\nImplementation-Version: 2.5.6.SEC03\n");
        assert_eq!(
            m.coordinates(),
            Some((
                "org.springframework".into(),
                "Spring Framework".into(),
                "2.5.6.SEC03".into()
            ))
        );
        let m = Manifest::parse(b"Implementation-Vendor: JBoss by Red Hat\nImplementation-Title: Gizmo\nImplementation-Version: 1.1\n");
        assert_eq!(m.coordinates(), None);
        let m = Manifest::parse(
            b"Implementation-Vendor-Id: g\nBundle-Name: %name\nImplementation-Version: 1\n",
        );
        assert_eq!(m.coordinates(), None);
    }

    #[test]
    fn jenkins_plugin_coordinates() {
        let m = Manifest::parse(b"Manifest-Version: 1.0\nGroup-Id: org.jenkins-ci.plugins\nShort-Name: git\nLong-Name: Jenkins Git plugin\nImplementation-Title: git\nImplementation-Version: 4.11.0\nPlugin-Version: 4.11.0\n");
        assert_eq!(
            m.coordinates(),
            Some((
                "org.jenkins-ci.plugins".into(),
                "git".into(),
                "4.11.0".into()
            ))
        );
    }

    #[test]
    fn licenses() {
        let m = Manifest::parse(b"Plugin-License-Name: Apache License, Version 2.0\nPlugin-License-Name-2: MIT License\nBundle-License: EPL-2.0\n");
        assert_eq!(
            m.licenses(),
            vec!["Apache License, Version 2.0", "MIT License"]
        );
        let m = Manifest::parse(
            b"Bundle-License: EPL-2.0;link=x, https://www.apache.org/licenses/LICENSE-2.0.txt\n",
        );
        assert_eq!(m.licenses(), vec!["EPL-2.0"]);
    }
}
