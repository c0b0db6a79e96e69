//! `pom.xml`: just enough of the project model for coordinates and licenses.
//!
//! A small hand-written scanner rather than an XML library: it reads elements, text,
//! CDATA, comments and processing instructions, skips the DOCTYPE (noting entity
//! declarations) and NEVER expands entities other than the five predefined ones and
//! character references: a value that uses any other entity is unresolved and dropped,
//! so "billion laughs" costs nothing. Input is capped at 1 MiB, element
//! depth at 64, properties at 256.

/// Max bytes of a pom.xml that are parsed.
pub(crate) const MAX_POM_BYTES: usize = 1 << 20;
const MAX_DEPTH: usize = 64;
const MAX_PROPS: usize = 256;
const MAX_VALUE: usize = 4096;

/// What a pom.xml says about its project.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PomXml {
    /// `project/groupId`.
    pub group_id: Option<String>,
    /// `project/artifactId`.
    pub artifact_id: Option<String>,
    /// `project/version`.
    pub version: Option<String>,
    /// `project/parent/groupId`.
    pub parent_group_id: Option<String>,
    /// `project/parent/artifactId`.
    pub parent_artifact_id: Option<String>,
    /// `project/parent/version`.
    pub parent_version: Option<String>,
    /// `project/licenses/license/name`.
    pub licenses: Vec<String>,
    /// `project/properties/*`.
    pub properties: Vec<(String, String)>,
    /// The DOCTYPE declares entities (never expanded).
    pub declares_entities: bool,
    /// Some value referenced an entity that was not expanded (the value was dropped).
    pub unexpanded_entities: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Group,
    Artifact,
    Version,
    ParentGroup,
    ParentArtifact,
    ParentVersion,
    License,
    Property,
}

fn target(stack: &[String]) -> Option<Target> {
    let s: Vec<&str> = stack.iter().map(String::as_str).collect();
    Some(match s.as_slice() {
        ["project", "groupId"] => Target::Group,
        ["project", "artifactId"] => Target::Artifact,
        ["project", "version"] => Target::Version,
        ["project", "parent", "groupId"] => Target::ParentGroup,
        ["project", "parent", "artifactId"] => Target::ParentArtifact,
        ["project", "parent", "version"] => Target::ParentVersion,
        ["project", "licenses", "license", "name"] => Target::License,
        ["project", "properties", _] => Target::Property,
        _ => return None,
    })
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Decodes predefined entities and character references; returns whether an unknown
/// entity was met (left out).
fn decode_into(raw: &[u8], out: &mut String) -> bool {
    let text = String::from_utf8_lossy(raw);
    let mut unknown = false;
    let mut rest: &str = &text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 12) else {
            unknown = true;
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let ch = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse::<u32>().ok().and_then(char::from_u32)
                } else {
                    None
                }
            }
        };
        match ch {
            Some(c) => out.push(c),
            None => unknown = true,
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    unknown
}

impl PomXml {
    /// Scans a pom.xml. Never fails: malformed XML yields what was read before the error.
    pub fn parse(data: &[u8]) -> PomXml {
        let d = &data[..data.len().min(MAX_POM_BYTES)];
        let mut pom = PomXml::default();
        let mut stack: Vec<String> = Vec::new();
        // (target, depth, value, saw unknown entity)
        let mut capture: Option<(Target, usize, String, bool)> = None;
        let mut pos = 0;
        while pos < d.len() {
            let Some(lt) = memchr(b'<', d, pos) else {
                break;
            };
            if let Some((_, _, v, unk)) = capture.as_mut()
                && v.len() < MAX_VALUE
            {
                *unk |= decode_into(&d[pos..lt], v);
            }
            let rest = &d[lt..];
            if rest.starts_with(b"<!--") {
                pos = find(d, lt + 4, b"-->").map_or(d.len(), |e| e + 3);
            } else if rest.starts_with(b"<![CDATA[") {
                let end = find(d, lt + 9, b"]]>").unwrap_or(d.len());
                if let Some((_, _, v, _)) = capture.as_mut()
                    && v.len() < MAX_VALUE
                {
                    v.push_str(&String::from_utf8_lossy(&d[lt + 9..end]));
                }
                pos = end.saturating_add(3);
            } else if rest.starts_with(b"<!") {
                // DOCTYPE (with an optional internal subset in brackets) or other declaration.
                let mut i = lt + 2;
                let mut bracket = 0usize;
                let mut quote: Option<u8> = None;
                while i < d.len() {
                    let b = d[i];
                    match quote {
                        Some(q) if b == q => quote = None,
                        Some(_) => {}
                        None => match b {
                            b'"' | b'\'' => quote = Some(b),
                            b'[' => bracket += 1,
                            b']' => bracket = bracket.saturating_sub(1),
                            b'>' if bracket == 0 => break,
                            b'<' if d[i..].starts_with(b"<!ENTITY") => pom.declares_entities = true,
                            _ => {}
                        },
                    }
                    i += 1;
                }
                pos = i + 1;
            } else if rest.starts_with(b"<?") {
                pos = find(d, lt + 2, b"?>").map_or(d.len(), |e| e + 2);
            } else if rest.starts_with(b"</") {
                let end = memchr(b'>', d, lt).unwrap_or(d.len());
                if let Some((t, depth, v, unk)) = capture.take() {
                    if depth == stack.len() {
                        pom.store(t, stack.last().map(String::as_str).unwrap_or(""), v, unk);
                    } else {
                        capture = Some((t, depth, v, unk));
                    }
                }
                stack.pop();
                pos = end + 1;
            } else {
                // Start tag: name, then attributes up to '>' (quotes respected).
                let mut i = lt + 1;
                while i < d.len() && !matches!(d[i], b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>') {
                    i += 1;
                }
                let qname = String::from_utf8_lossy(&d[lt + 1..i]).into_owned();
                let local = qname.rsplit(':').next().unwrap_or(&qname).to_owned();
                let mut quote: Option<u8> = None;
                while i < d.len() {
                    let b = d[i];
                    match quote {
                        Some(q) if b == q => quote = None,
                        Some(_) => {}
                        None if b == b'"' || b == b'\'' => quote = Some(b),
                        None if b == b'>' => break,
                        None => {}
                    }
                    i += 1;
                }
                let self_closing = i > lt + 1 && d.get(i - 1) == Some(&b'/');
                pos = i + 1;
                if self_closing {
                    continue;
                }
                if stack.len() >= MAX_DEPTH {
                    break;
                }
                stack.push(local);
                if capture.is_none()
                    && let Some(t) = target(&stack)
                {
                    capture = Some((t, stack.len(), String::new(), false));
                }
            }
        }
        pom
    }

    fn store(&mut self, t: Target, element: &str, value: String, unknown_entity: bool) {
        if unknown_entity {
            self.unexpanded_entities = true;
            return;
        }
        let v = value.trim().to_owned();
        if v.is_empty() {
            return;
        }
        match t {
            Target::Group => self.group_id = Some(v),
            Target::Artifact => self.artifact_id = Some(v),
            Target::Version => self.version = Some(v),
            Target::ParentGroup => self.parent_group_id = Some(v),
            Target::ParentArtifact => self.parent_artifact_id = Some(v),
            Target::ParentVersion => self.parent_version = Some(v),
            Target::License => self.licenses.push(v),
            Target::Property => {
                if self.properties.len() < MAX_PROPS {
                    self.properties.push((element.to_owned(), v));
                }
            }
        }
    }

    /// Group, artifact and version, with the group and version inherited from the parent
    /// when the project does not set them, and `${...}` references to the project's
    /// coordinates or its `<properties>` resolved (bounded). `None` if something stays
    /// unresolved.
    pub fn coordinates(&self) -> Option<(String, String, String)> {
        let group = self.group_id.as_ref().or(self.parent_group_id.as_ref())?;
        let artifact = self.artifact_id.as_ref()?;
        let version = self.version.as_ref().or(self.parent_version.as_ref())?;
        let g = self.resolve(group)?;
        let a = self.resolve(artifact)?;
        let v = self.resolve(version)?;
        Some((g, a, v))
    }

    fn lookup(&self, key: &str) -> Option<&str> {
        let key = key.trim();
        match key {
            "project.version" | "pom.version" | "version" => {
                self.version.as_deref().or(self.parent_version.as_deref())
            }
            "project.groupId" | "pom.groupId" | "groupId" => {
                self.group_id.as_deref().or(self.parent_group_id.as_deref())
            }
            "project.artifactId" | "pom.artifactId" | "artifactId" => self.artifact_id.as_deref(),
            "project.parent.version" | "parent.version" => self.parent_version.as_deref(),
            "project.parent.groupId" | "parent.groupId" => self.parent_group_id.as_deref(),
            _ => self
                .properties
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
        }
    }

    fn resolve(&self, value: &str) -> Option<String> {
        let mut v = value.to_owned();
        for _ in 0..8 {
            let Some(start) = v.find("${") else { break };
            let end = v[start..].find('}')? + start;
            let rep = self.lookup(&v[start + 2..end])?.to_owned();
            v.replace_range(start..=end, &rep);
            if v.len() > MAX_VALUE {
                return None;
            }
        }
        if v.contains("${") || v.is_empty() {
            None
        } else {
            Some(v)
        }
    }
}

fn memchr(b: u8, hay: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .iter()
        .position(|&x| x == b)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_inheritance_and_properties() {
        let pom = PomXml::parse(
            br#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment with <groupId>nope</groupId> -->
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.apache.logging.log4j</groupId>
    <artifactId>log4j</artifactId>
    <version>2.14.1</version>
    <relativePath>../</relativePath>
  </parent>
  <artifactId>log4j-core</artifactId>
  <name>Apache Log4j Core</name>
  <properties><core.ver>${project.version}</core.ver></properties>
  <dependencies><dependency><groupId>x</groupId><version>9</version></dependency></dependencies>
  <licenses><license><name><![CDATA[Apache License, Version 2.0]]></name></license></licenses>
</project>"#,
        );
        assert_eq!(
            pom.coordinates(),
            Some((
                "org.apache.logging.log4j".into(),
                "log4j-core".into(),
                "2.14.1".into()
            ))
        );
        assert_eq!(pom.licenses, vec!["Apache License, Version 2.0"]);
        assert_eq!(pom.lookup("core.ver"), Some("${project.version}"));
    }

    #[test]
    fn entities_are_never_expanded() {
        let pom = PomXml::parse(
            br#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<project><groupId>g&amp;h</groupId><artifactId>&lol3;</artifactId><version>1&#46;0</version></project>"#,
        );
        assert!(pom.declares_entities);
        assert!(pom.unexpanded_entities);
        assert_eq!(pom.group_id.as_deref(), Some("g&h"));
        assert_eq!(pom.artifact_id, None);
        assert_eq!(pom.version.as_deref(), Some("1.0"));
        assert_eq!(pom.coordinates(), None);
    }

    #[test]
    fn unresolved_property_gives_none() {
        let pom = PomXml::parse(b"<project><groupId>g</groupId><artifactId>a</artifactId><version>${revision}</version></project>");
        assert_eq!(pom.coordinates(), None);
    }
}
