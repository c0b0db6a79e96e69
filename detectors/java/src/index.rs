//! The optional, user-supplied SHA-1 -> GAV index for jars without metadata.
//!
//! One entry per line, either CSV `sha1,group:artifact:version` (also `sha1,group,artifact,version`)
//! or a JSON object `{"sha1": "...", "gav": "group:artifact:version"}` (or with `groupId`,
//! `artifactId`, `version` keys). Blank lines and `#` comments are skipped.

use std::collections::HashMap;
use std::path::Path;

use crate::error::JavaError;

/// Maven coordinates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Gav {
    /// Group id.
    pub group: String,
    /// Artifact id.
    pub artifact: String,
    /// Version.
    pub version: String,
}

/// SHA-1 of a jar to its coordinates.
#[derive(Clone, Debug, Default)]
pub struct Sha1Index {
    map: HashMap<[u8; 20], Gav>,
    fingerprint: u64,
}

fn parse_hex20(s: &str) -> Option<[u8; 20]> {
    let s = s.trim().trim_start_matches("sha1:");
    if s.len() != 40 {
        return None;
    }
    let mut out = [0u8; 20];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn parse_gav(s: &str) -> Option<Gav> {
    let mut it = s.trim().split(':');
    let (g, a, v) = (it.next()?.trim(), it.next()?.trim(), it.next()?.trim());
    if it.next().is_some() || g.is_empty() || a.is_empty() || v.is_empty() {
        return None;
    }
    Some(Gav {
        group: g.to_owned(),
        artifact: a.to_owned(),
        version: v.to_owned(),
    })
}

fn parse_line(line: &str) -> Option<([u8; 20], Gav)> {
    if line.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        let sha = parse_hex20(v.get("sha1")?.as_str()?)?;
        let gav = match v.get("gav").and_then(|g| g.as_str()) {
            Some(g) => parse_gav(g)?,
            None => {
                let f = |k: &str| {
                    v.get(k)
                        .and_then(|x| x.as_str())
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                };
                Gav {
                    group: f("groupId")?.to_owned(),
                    artifact: f("artifactId")?.to_owned(),
                    version: f("version")?.to_owned(),
                }
            }
        };
        return Some((sha, gav));
    }
    let fields: Vec<&str> = line.split(',').collect();
    let sha = parse_hex20(fields.first()?)?;
    let gav = match fields.len() {
        2 => parse_gav(fields[1])?,
        4 => parse_gav(&format!("{}:{}:{}", fields[1], fields[2], fields[3]))?,
        _ => return None,
    };
    Some((sha, gav))
}

impl Sha1Index {
    /// Parses an index; `origin` names it in errors. A malformed line is an error (the
    /// file is the user's own, so a typo should not pass silently).
    pub fn parse(text: &str, origin: &str) -> Result<Sha1Index, JavaError> {
        let mut map = HashMap::new();
        let mut fp: u64 = 0xcbf2_9ce4_8422_2325;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (sha, gav) = parse_line(line).ok_or_else(|| JavaError::IndexLine {
                path: origin.to_owned(),
                line: n + 1,
            })?;
            for b in line.bytes() {
                fp = (fp ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
            }
            map.insert(sha, gav);
        }
        Ok(Sha1Index {
            map,
            fingerprint: fp,
        })
    }

    /// Reads and parses an index file.
    pub fn load(path: &Path) -> Result<Sha1Index, JavaError> {
        let text = std::fs::read_to_string(path).map_err(|source| JavaError::IndexIo {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Looks up a SHA-1 digest.
    pub fn get(&self, sha1: &[u8; 20]) -> Option<&Gav> {
        self.map.get(sha1)
    }

    /// Looks up the SHA-1 of `data`.
    pub fn lookup(&self, data: &[u8]) -> Option<&Gav> {
        if self.map.is_empty() {
            return None;
        }
        use sha1::Digest;
        let digest: [u8; 20] = sha1::Sha1::digest(data).into();
        self.get(&digest)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// A hash of the content, for the detector's cache key.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_json_lines() {
        let idx = Sha1Index::parse(
            "# comment\nc666f5bc47eb64ed3bbd13505a26f58be71f33f0,org.springframework:spring-core:5.3.3\n\
             {\"sha1\":\"1C78BBC4D8C58B9AF8EEE82B84F2C26EC48E9A2B\",\"groupId\":\"io.quarkus.gizmo\",\"artifactId\":\"gizmo\",\"version\":\"1.1.0\"}\n",
            "t",
        )
        .unwrap();
        assert_eq!(idx.len(), 2);
        let k = parse_hex20("c666f5bc47eb64ed3bbd13505a26f58be71f33f0").unwrap();
        assert_eq!(idx.get(&k).unwrap().artifact, "spring-core");
        assert!(Sha1Index::parse("zz,a:b:c\n", "t").is_err());
        assert!(Sha1Index::parse("c666f5bc47eb64ed3bbd13505a26f58be71f33f0,a:b\n", "t").is_err());
    }
}
