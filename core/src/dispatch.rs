//! The dispatch table: every detector's [`Interest`] compiled once into hash maps and one
//! `GlobSet`, so each entry costs a few lookups whatever the number of detectors.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::detect::{EntryKind, FileMeta, Interest};
use crate::error::{Result, ScanError};
use crate::path::ImagePath;

/// Bytes of a body peeked for magic checks.
pub(crate) const PEEK: usize = 512;

pub(crate) struct Dispatch {
    paths: HashMap<Vec<u8>, Vec<usize>>,
    basenames: HashMap<Vec<u8>, Vec<usize>>,
    extensions: HashMap<Vec<u8>, Vec<usize>>,
    globs: GlobSet,
    glob_owner: Vec<usize>,
    any: Vec<usize>,
    executables: Vec<usize>,
    magic: Vec<(Vec<u8>, usize)>,
    excludes: Vec<Option<GlobSet>>,
    max_file_size: Vec<Option<u64>>,
    /// Per detector: bytes of the body it wants.
    pub(crate) max_bytes: Vec<u64>,
    pub(crate) needs_peek: bool,
    /// Per detector: text files only ([`Interest::text_only`]).
    pub(crate) text_only: Vec<bool>,
}

fn glob(pattern: &str) -> Result<Glob> {
    Glob::new(pattern).map_err(|e| ScanError::Image(format!("invalid detector glob {pattern:?}: {e}")))
}

impl Dispatch {
    pub(crate) fn new(interests: &[Interest], max_file_bytes: u64) -> Result<Dispatch> {
        let mut d = Dispatch {
            paths: HashMap::new(),
            basenames: HashMap::new(),
            extensions: HashMap::new(),
            globs: GlobSet::empty(),
            glob_owner: Vec::new(),
            any: Vec::new(),
            executables: Vec::new(),
            magic: Vec::new(),
            excludes: Vec::new(),
            max_file_size: Vec::new(),
            max_bytes: Vec::new(),
            needs_peek: false,
            text_only: Vec::new(),
        };
        let mut gs = GlobSetBuilder::new();
        for (i, it) in interests.iter().enumerate() {
            for p in &it.paths {
                let key = ImagePath::normalize(p.as_bytes()).map(|p| p.as_bytes().to_vec()).unwrap_or_default();
                d.paths.entry(key).or_default().push(i);
            }
            for b in &it.basenames {
                d.basenames.entry(b.as_bytes().to_vec()).or_default().push(i);
            }
            for e in &it.extensions {
                d.extensions.entry(e.as_bytes().to_vec()).or_default().push(i);
            }
            for g in &it.globs {
                gs.add(glob(g)?);
                d.glob_owner.push(i);
            }
            if it.any_file {
                d.any.push(i);
            }
            if it.executables {
                d.executables.push(i);
                d.needs_peek = true;
            }
            for m in &it.magic {
                d.magic.push((m.clone(), i));
                d.needs_peek = true;
            }
            d.excludes.push(if it.exclude.is_empty() {
                None
            } else {
                let mut b = GlobSetBuilder::new();
                for g in &it.exclude {
                    b.add(glob(g)?);
                }
                Some(b.build().map_err(|e| ScanError::Image(format!("invalid exclude globs: {e}")))?)
            });
            d.max_file_size.push(it.max_file_size);
            d.text_only.push(it.text_only);
            d.max_bytes.push(it.max_bytes.unwrap_or(max_file_bytes).min(max_file_bytes));
        }
        d.globs = gs.build().map_err(|e| ScanError::Image(format!("invalid detector globs: {e}")))?;
        Ok(d)
    }

    /// Detectors that want this file judging by name and metadata alone (no body).
    pub(crate) fn by_name(&self, path: &ImagePath, meta: &FileMeta, out: &mut Vec<usize>, hits: &mut Vec<usize>) {
        out.clear();
        if meta.kind != EntryKind::File {
            return;
        }
        let bytes = path.as_bytes();
        if let Some(v) = self.paths.get(bytes) {
            out.extend_from_slice(v);
        }
        let name = path.file_name();
        if let Some(v) = self.basenames.get(name) {
            out.extend_from_slice(v);
        }
        if let Some(ext) = path.extension() {
            if ext.len() <= 16 {
                let mut lower = [0u8; 16];
                let lower = &mut lower[..ext.len()];
                lower.copy_from_slice(ext);
                lower.make_ascii_lowercase();
                if let Some(v) = self.extensions.get(&lower[..]) {
                    out.extend_from_slice(v);
                }
            }
        }
        if !self.glob_owner.is_empty() {
            self.globs.matches_into(OsStr::from_bytes(bytes), hits);
            out.extend(hits.iter().map(|&g| self.glob_owner[g]));
        }
        out.extend_from_slice(&self.any);
        if meta.is_executable() {
            out.extend_from_slice(&self.executables);
        }
    }

    /// Adds detectors wanting this file by its first bytes.
    pub(crate) fn by_magic(&self, head: &[u8], out: &mut Vec<usize>) {
        if head.starts_with(b"\x7fELF") {
            out.extend_from_slice(&self.executables);
        }
        for (m, i) in &self.magic {
            if head.starts_with(m) {
                out.push(*i);
            }
        }
    }

    /// Removes duplicates and detectors excluding this file or its size.
    pub(crate) fn finalize(&self, path: &ImagePath, size: u64, out: &mut Vec<usize>) {
        out.sort_unstable();
        out.dedup();
        out.retain(|&i| {
            if self.max_file_size[i].is_some_and(|m| size > m) {
                return false;
            }
            match &self.excludes[i] {
                Some(ex) => !ex.is_match(OsStr::from_bytes(path.as_bytes())),
                None => true,
            }
        });
    }
}
