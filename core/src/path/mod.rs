//! Image paths: absolute, normalised Linux byte paths (never `Path`/`OsStr`: images carry
//! Linux byte paths whatever the host).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An absolute, normalised path inside an image: starts with `/`, no `.` or `..`
/// components, no duplicate or trailing slashes (except the root `/` itself).
///
/// Paths are bytes: a tar entry name need not be UTF-8. Display and serialisation are lossy
/// UTF-8.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ImagePath(Box<[u8]>);

/// Why a raw archive path could not be normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    /// The path climbs above the root with `..`.
    EscapesRoot,
    /// The path is empty or only `.`/`/`.
    Empty,
    /// The path contains a NUL byte.
    Nul,
}

impl ImagePath {
    /// The root `/`.
    pub fn root() -> Self {
        ImagePath(Box::from(&b"/"[..]))
    }

    /// Normalises a raw archive path (`./etc/passwd`, `etc//passwd`, `/etc/passwd`).
    /// `..` that climbs above the root is an error (a tar traversal attempt), never clamped.
    pub fn normalize(raw: &[u8]) -> Result<Self, PathProblem> {
        if memchr::memchr(0, raw).is_some() {
            return Err(PathProblem::Nul);
        }
        let mut parts: Vec<&[u8]> = Vec::new();
        for comp in raw.split(|&b| b == b'/') {
            match comp {
                b"" | b"." => {}
                b".." => {
                    if parts.pop().is_none() {
                        return Err(PathProblem::EscapesRoot);
                    }
                }
                c => parts.push(c),
            }
        }
        if parts.is_empty() {
            return Err(PathProblem::Empty);
        }
        let mut out = Vec::with_capacity(raw.len() + 1);
        for p in parts {
            out.push(b'/');
            out.extend_from_slice(p);
        }
        Ok(ImagePath(out.into_boxed_slice()))
    }

    /// Builds a path from a string that is already absolute and normalised; normalises
    /// otherwise. Panics never: a bad input gives the root.
    pub fn from_str_lossy(s: &str) -> Self {
        Self::normalize(s.as_bytes()).unwrap_or_else(|_| Self::root())
    }

    /// The raw bytes (`/etc/passwd`).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The path as UTF-8, if it is.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// The path as a string, replacing invalid UTF-8.
    pub fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }

    /// Whether this is `/`.
    pub fn is_root(&self) -> bool {
        &*self.0 == b"/"
    }

    /// The last component (`passwd` for `/etc/passwd`); empty for the root.
    pub fn file_name(&self) -> &[u8] {
        match memchr::memrchr(b'/', &self.0) {
            Some(i) => &self.0[i + 1..],
            None => &self.0,
        }
    }

    /// The extension of the file name, without the dot, if any.
    pub fn extension(&self) -> Option<&[u8]> {
        let name = self.file_name();
        let i = memchr::memrchr(b'.', name)?;
        if i == 0 { None } else { Some(&name[i + 1..]) }
    }

    /// The parent directory; `None` for the root.
    pub fn parent(&self) -> Option<ImagePath> {
        if self.is_root() {
            return None;
        }
        let i = memchr::memrchr(b'/', &self.0)?;
        if i == 0 {
            Some(Self::root())
        } else {
            Some(ImagePath(Box::from(&self.0[..i])))
        }
    }

    /// Appends a relative component path (which may contain `/`, `.` and `..`); `..` at
    /// the root stays at the root (symlink resolution semantics).
    pub fn join_clamped(&self, rel: &[u8]) -> ImagePath {
        let mut buf = self.0.to_vec();
        buf.push(b'/');
        buf.extend_from_slice(rel);
        let mut parts: Vec<&[u8]> = Vec::new();
        for comp in buf.split(|&b| b == b'/') {
            match comp {
                b"" | b"." => {}
                b".." => {
                    parts.pop();
                }
                c => parts.push(c),
            }
        }
        if parts.is_empty() {
            return Self::root();
        }
        let mut out = Vec::new();
        for p in parts {
            out.push(b'/');
            out.extend_from_slice(p);
        }
        ImagePath(out.into_boxed_slice())
    }

    /// Whether `self` is `other` or lies below it.
    pub fn starts_with(&self, other: &ImagePath) -> bool {
        if other.is_root() {
            return true;
        }
        self.0.starts_with(&other.0)
            && (self.0.len() == other.0.len() || self.0[other.0.len()] == b'/')
    }

    /// Number of components (`/a/b` has 2).
    pub fn depth(&self) -> usize {
        if self.is_root() { 0 } else { memchr::memchr_iter(b'/', &self.0).count() }
    }
}

impl fmt::Display for ImagePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.0))
    }
}

impl fmt::Debug for ImagePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(&self.0))
    }
}

/// Byte-exact string form: UTF-8 as is; anything else (or a string starting with NUL) as
/// `"\0x" + hex`.
pub(crate) fn bytes_to_repr(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) if !s.starts_with('\0') => s.to_owned(),
        _ => format!("\0x{}", hex::encode(b)),
    }
}

/// Inverse of [`bytes_to_repr`].
pub(crate) fn repr_to_bytes(s: &str) -> Option<Vec<u8>> {
    match s.strip_prefix("\0x") {
        Some(h) => hex::decode(h).ok(),
        None => Some(s.as_bytes().to_vec()),
    }
}

impl Serialize for ImagePath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&bytes_to_repr(&self.0))
    }
}

impl<'de> Deserialize<'de> for ImagePath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let bytes = repr_to_bytes(&s).ok_or_else(|| serde::de::Error::custom("invalid path encoding"))?;
        ImagePath::normalize(&bytes)
            .map_err(|p| serde::de::Error::custom(format!("invalid image path {s:?}: {p:?}")))
    }
}

#[cfg(test)]
mod tests;
