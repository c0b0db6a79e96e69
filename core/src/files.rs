//! [`FileList`]: the paths an OS package owns, stored compactly.
//!
//! A 1,000-package rpm image owns ~60,000 files. As `Vec<String>` that is one allocation per
//! path, which dominated reading an rpm database; here all paths share one text buffer and a
//! `u32` end offset each (one allocation per package, 4 bytes of overhead per path). It
//! serializes as a plain JSON array of strings, so reports and the layer cache are unchanged.

use std::fmt;

use serde::de::{SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Paths owned by a package, in insertion order, in one buffer.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct FileList {
    text: String,
    ends: Vec<u32>,
}

/// The list is full: its text would pass 4 GiB (`u32` offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileListFull;

impl fmt::Display for FileListFull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("file list text exceeds 4 GiB")
    }
}

impl std::error::Error for FileListFull {}

impl FileList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty list with room for `paths` paths of `text_bytes` bytes in all.
    pub fn with_capacity(paths: usize, text_bytes: usize) -> Self {
        FileList {
            text: String::with_capacity(text_bytes),
            ends: Vec::with_capacity(paths),
        }
    }

    /// A list from a text buffer and the end offset of each path in it (the layout other
    /// readers, like `strata-rpmdb`, build directly). `None` unless the offsets are
    /// non-decreasing, end at `text.len()`, and fall on character boundaries.
    pub fn from_parts(text: String, ends: Vec<u32>) -> Option<Self> {
        let mut prev = 0u32;
        for &e in &ends {
            if e < prev || !text.is_char_boundary(e as usize) {
                return None;
            }
            prev = e;
        }
        if prev as usize != text.len() {
            return None;
        }
        Some(FileList { text, ends })
    }

    /// Number of paths.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no paths.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Total bytes of path text.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Appends one path.
    pub fn push(&mut self, path: &str) -> Result<(), FileListFull> {
        self.push_parts(path, "")
    }

    /// Appends the path `dir` + `base` without building it first (rpm stores directory
    /// names and base names apart).
    pub fn push_parts(&mut self, dir: &str, base: &str) -> Result<(), FileListFull> {
        let end = self.text.len() + dir.len() + base.len();
        let end = u32::try_from(end).map_err(|_| FileListFull)?;
        self.text.push_str(dir);
        self.text.push_str(base);
        self.ends.push(end);
        Ok(())
    }

    /// The `i`th path.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }

    /// The paths in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            list: self,
            front: 0,
            back: self.ends.len(),
        }
    }

    /// Appends every path of `other`.
    pub fn extend_from(&mut self, other: &FileList) -> Result<(), FileListFull> {
        let base = self.text.len();
        if base + other.text.len() > u32::MAX as usize {
            return Err(FileListFull);
        }
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|e| e + base as u32));
        Ok(())
    }

    /// The paths as owned strings (tests, callers that need a `Vec`).
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }

    /// Drops every path and releases the memory.
    pub fn clear(&mut self) {
        *self = FileList::default();
    }
}

/// Iterator over a [`FileList`].
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    list: &'a FileList,
    front: usize,
    back: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.front >= self.back {
            return None;
        }
        let s = self.list.get(self.front);
        self.front += 1;
        s
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.list.get(self.back)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a FileList {
    type Item = &'a str;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<S: AsRef<str>> FromIterator<S> for FileList {
    /// Collects paths; stops at the 4 GiB text cap (unreachable under the scan limits).
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut list = FileList::new();
        for s in iter {
            if list.push(s.as_ref()).is_err() {
                break;
            }
        }
        list
    }
}

impl fmt::Debug for FileList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<S: AsRef<str>> PartialEq<[S]> for FileList {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for FileList {
    fn eq(&self, other: &[S; N]) -> bool {
        *self == other[..]
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for FileList {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == other[..]
    }
}

impl Serialize for FileList {
    fn serialize<Ser: Serializer>(&self, serializer: Ser) -> Result<Ser::Ok, Ser::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for s in self.iter() {
            seq.serialize_element(s)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for FileList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FileList;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of paths")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FileList, A::Error> {
                let mut list = FileList::new();
                // Borrowed when the format allows it, owned otherwise.
                while let Some(s) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
                    list.push(&s).map_err(serde::de::Error::custom)?;
                }
                Ok(list)
            }
        }
        deserializer.deserialize_seq(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_get_iter() {
        let mut l = FileList::new();
        assert!(l.is_empty());
        l.push("/bin/bash").unwrap();
        l.push_parts("/usr/lib/", "libc.so.6").unwrap();
        l.push("").unwrap();
        assert_eq!(l.len(), 3);
        assert_eq!(l.get(1), Some("/usr/lib/libc.so.6"));
        assert_eq!(l.get(2), Some(""));
        assert_eq!(l.get(3), None);
        assert_eq!(l, ["/bin/bash", "/usr/lib/libc.so.6", ""]);
        assert_eq!(l.iter().next_back(), Some(""));
        assert_eq!(l.iter().len(), 3);
    }

    #[test]
    fn extend_rebases_offsets() {
        let mut a: FileList = ["/a", "/bb"].into_iter().collect();
        let b: FileList = ["/ccc", "/d"].into_iter().collect();
        a.extend_from(&b).unwrap();
        assert_eq!(a, ["/a", "/bb", "/ccc", "/d"]);
        assert_eq!(a.text_len(), 11);
    }

    #[test]
    fn serde_is_a_plain_array() {
        let l: FileList = ["/etc/passwd", "/usr/bin/ü"].into_iter().collect();
        let json = serde_json::to_string(&l).unwrap();
        assert_eq!(json, r#"["/etc/passwd","/usr/bin/ü"]"#);
        let back: FileList = serde_json::from_str(&json).unwrap();
        assert_eq!(back, l);
        // Escaped strings cannot be borrowed; they still decode.
        let esc: FileList = serde_json::from_str(r#"["/a\"b","/c\\d"]"#).unwrap();
        assert_eq!(esc, ["/a\"b", "/c\\d"]);
        assert!(serde_json::from_str::<FileList>(r#"[1]"#).is_err());
        assert!(serde_json::from_str::<FileList>(r#""/x""#).is_err());
    }

    #[test]
    fn from_parts_validates() {
        let l = FileList::from_parts("/a/bc".into(), vec![2, 5]).unwrap();
        assert_eq!(l, ["/a", "/bc"]);
        assert!(FileList::from_parts("/a/bc".into(), vec![3, 2]).is_none());
        assert!(FileList::from_parts("/a/bc".into(), vec![2]).is_none());
        assert!(FileList::from_parts("/a/bc".into(), vec![2, 6]).is_none());
        assert!(FileList::from_parts("/é".into(), vec![2, 3]).is_none());
        assert_eq!(
            FileList::from_parts(String::new(), vec![]).unwrap().len(),
            0
        );
        assert_eq!(
            FileList::from_parts(String::new(), vec![0, 0]).unwrap(),
            ["", ""]
        );
    }

    #[test]
    fn debug_lists_paths() {
        let l: FileList = ["/x"].into_iter().collect();
        assert_eq!(format!("{l:?}"), r#"["/x"]"#);
    }
}
