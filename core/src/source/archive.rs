//! A tar file used as a blob store (docker-archive, oci-archive). Entries are indexed once
//! (offsets), then opened by seeking; a gzip-compressed archive is first spooled to a
//! temporary file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{LimitKind, Result, ScanError};
use crate::layer::BlobStore;
use crate::path::ImagePath;

use super::OpenOptions;

/// What a tar file holds at its top level.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ArchiveKind {
    Docker,
    Oci,
    Unknown,
}

/// Peeks a (possibly gzipped) tar for `manifest.json` / `index.json`.
pub(crate) fn sniff_archive(path: &Path) -> Result<ArchiveKind> {
    let file = File::open(path).map_err(|e| ScanError::io(path.display().to_string(), e))?;
    let mut head = [0u8; 2];
    let mut f = io::BufReader::new(file);
    let n = crate::layer::read_full(&mut f, &mut head).map_err(|e| ScanError::io(path.display().to_string(), e))?;
    f.seek(SeekFrom::Start(0)).map_err(|e| ScanError::io(path.display().to_string(), e))?;
    let reader: Box<dyn Read> = if n == 2 && head == [0x1f, 0x8b] {
        Box::new(flate2::read::MultiGzDecoder::new(f))
    } else {
        Box::new(f)
    };
    let mut ar = tar::Archive::new(reader);
    let (mut manifest, mut index) = (false, false);
    let Ok(entries) = ar.entries() else { return Ok(ArchiveKind::Unknown) };
    for (i, e) in entries.enumerate() {
        let Ok(e) = e else { break };
        let name = e.path_bytes();
        let name = name.strip_prefix(b"./").unwrap_or(&name);
        match name {
            b"manifest.json" => manifest = true,
            b"index.json" => index = true,
            _ => {}
        }
        if (manifest && index) || i > 100_000 {
            break;
        }
    }
    Ok(if manifest {
        ArchiveKind::Docker
    } else if index {
        ArchiveKind::Oci
    } else {
        ArchiveKind::Unknown
    })
}

/// A tar file indexed by entry name.
#[derive(Debug)]
pub(crate) struct TarFileStore {
    path: PathBuf,
    entries: HashMap<String, (u64, u64)>,
}

impl TarFileStore {
    /// Indexes `path`; spools it first when gzip-compressed. Returns the spool file to keep
    /// alive.
    pub(crate) fn open(
        path: &Path,
        opts: &OpenOptions,
    ) -> Result<(TarFileStore, Option<Arc<tempfile::NamedTempFile>>)> {
        let what = || path.display().to_string();
        let mut file = File::open(path).map_err(|e| ScanError::io(what(), e))?;
        let mut head = [0u8; 2];
        let n = crate::layer::read_full(&mut file, &mut head).map_err(|e| ScanError::io(what(), e))?;
        file.seek(SeekFrom::Start(0)).map_err(|e| ScanError::io(what(), e))?;
        let mut spool = None;
        let tar_path = if n == 2 && head == [0x1f, 0x8b] {
            let mut tmp = match &opts.spool_dir {
                Some(d) => {
                    std::fs::create_dir_all(d).map_err(|e| ScanError::io(d.display().to_string(), e))?;
                    tempfile::NamedTempFile::new_in(d)
                }
                None => tempfile::NamedTempFile::new(),
            }
            .map_err(|e| ScanError::io("spool file for a compressed archive", e))?;
            let mut dec = flate2::read::MultiGzDecoder::new(io::BufReader::new(file));
            let limit = opts.limits.max_layer_bytes.saturating_mul(4);
            let copied = io::copy(&mut (&mut dec).take(limit + 1), tmp.as_file_mut())
                .map_err(|e| ScanError::io(format!("decompressing {}", what()), e))?;
            if copied > limit {
                return Err(ScanError::Limit {
                    kind: LimitKind::TotalBytes,
                    detail: format!("{} decompresses to more than {limit} bytes", what()),
                });
            }
            let p = tmp.path().to_owned();
            spool = Some(Arc::new(tmp));
            p
        } else {
            path.to_owned()
        };
        let f = File::open(&tar_path).map_err(|e| ScanError::io(what(), e))?;
        let mut ar = tar::Archive::new(f);
        let mut entries = HashMap::new();
        let iter = ar.entries_with_seek().map_err(|e| ScanError::io(what(), e))?;
        for e in iter {
            let e = e.map_err(|e| ScanError::io(what(), e))?;
            if entries.len() as u64 > opts.limits.max_entries {
                return Err(ScanError::Limit {
                    kind: LimitKind::Entries,
                    detail: format!("{} has more than {} entries", what(), opts.limits.max_entries),
                });
            }
            let ty = e.header().entry_type();
            if !(ty.is_file() || ty == tar::EntryType::Continuous) {
                continue;
            }
            let Ok(name) = ImagePath::normalize(&e.path_bytes()) else { continue };
            let key = String::from_utf8_lossy(&name.as_bytes()[1..]).into_owned();
            entries.insert(key, (e.raw_file_position(), e.size()));
        }
        Ok((TarFileStore { path: tar_path, entries }, spool))
    }

    /// Whether an entry exists.
    pub(crate) fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Size of an entry.
    pub(crate) fn size_of(&self, key: &str) -> Option<u64> {
        self.entries.get(key).map(|e| e.1)
    }
}

impl BlobStore for TarFileStore {
    fn open(&self, key: &str) -> io::Result<Box<dyn Read + Send + '_>> {
        let key = key.strip_prefix("./").unwrap_or(key);
        let &(offset, size) = self
            .entries
            .get(key)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("{key} not found in the archive")))?;
        let mut f = File::open(&self.path)?;
        f.seek(SeekFrom::Start(offset))?;
        Ok(Box::new(f.take(size)))
    }
}
