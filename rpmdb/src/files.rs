//! [`FileNames`]: a package's file paths in one buffer (one allocation per package rather
//! than one per path; a 1,000-package database owns ~60,000 paths).

/// Paths in order, stored as one text buffer and the end offset of each path.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FileNames {
    text: String,
    ends: Vec<u32>,
}

impl FileNames {
    pub(crate) fn with_capacity(paths: usize, text_bytes: usize) -> Self {
        FileNames { text: String::with_capacity(text_bytes), ends: Vec::with_capacity(paths) }
    }

    /// `text` with the end offset of each path (offsets at character boundaries).
    pub(crate) fn from_parts(text: String, ends: Vec<u32>) -> Self {
        FileNames { text, ends }
    }

    /// Appends `dir` + `base`; `false` (nothing appended) once the text would pass 4 GiB.
    pub(crate) fn push_parts(&mut self, dir: &str, base: &str) -> bool {
        let Ok(end) = u32::try_from(self.text.len() + dir.len() + base.len()) else {
            return false;
        };
        self.text.push_str(dir);
        self.text.push_str(base);
        self.ends.push(end);
        true
    }

    /// Number of paths.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The paths in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + '_ {
        (0..self.ends.len()).map(move |i| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
            // Offsets are written by `push_parts` at string ends: always boundaries.
            self.text.get(start..self.ends[i] as usize).unwrap_or_default()
        })
    }

    /// The text buffer and the end offset of each path in it (for `strata_core::FileList::from_parts`).
    pub fn into_parts(self) -> (String, Vec<u32>) {
        (self.text, self.ends)
    }
}

impl std::fmt::Debug for FileNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for FileNames {
    fn eq(&self, other: &[S; N]) -> bool {
        self.len() == N && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}
