//! Layers: a source of entries. [`TarLayer`] streams a blob (tar, tar+gzip, tar+zstd by
//! magic), verifying its digest and diff_id while it reads; [`crate::source::dir::DirLayer`]
//! walks an unpacked root filesystem.

use std::fmt;
use std::io::{self, BufReader, Read};
use std::sync::Arc;

use sha2::{Digest as _, Sha256};

use crate::cancel::{Cancel, Progress, ProgressFn};
use crate::detect::{EntryKind, FileMeta};
use crate::error::{LimitKind, Result, ScanError};
use crate::finding::Diagnostic;
use crate::image::LayerInfo;
use crate::limits::Limits;
use crate::path::{ImagePath, PathProblem};

/// What a layer entry is, after whiteout interpretation.
pub enum EntryEvent<'a> {
    /// A file, directory, link or special file; `body` yields a regular file's content.
    Entry {
        /// Normalised path.
        path: ImagePath,
        /// Metadata.
        meta: FileMeta,
        /// The body (empty for non-files).
        body: &'a mut dyn Read,
    },
    /// `.wh.NAME`: `path` (and everything below) is deleted from lower layers.
    Whiteout(ImagePath),
    /// `.wh..wh..opq`: lower-layer contents of the directory `path` are hidden.
    Opaque(ImagePath),
}

/// Figures of one layer read.
#[derive(Clone, Debug, Default)]
pub struct LayerStats {
    /// Compressed bytes read.
    pub bytes_read: u64,
    /// Uncompressed bytes.
    pub bytes_uncompressed: u64,
    /// Entries seen.
    pub entries: u64,
}

/// Context handed to a layer walk.
pub struct WalkContext<'a> {
    /// Limits.
    pub limits: &'a Limits,
    /// Cancellation.
    pub cancel: &'a Cancel,
    /// Progress.
    pub progress: Option<&'a ProgressFn>,
    /// Diagnostics of the walk itself (bad paths, skipped entries).
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

/// A source of entries: one image layer or one directory tree.
pub trait Layer: Send + Sync + fmt::Debug {
    /// Facts for the report.
    fn info(&self) -> &LayerInfo;

    /// A key under which the walk's results may be cached; `None` for sources whose content
    /// is not content-addressed (directories).
    fn cache_key(&self) -> Option<String>;

    /// Streams every entry once, in archive order.
    fn walk(
        &self,
        cx: &mut WalkContext<'_>,
        visit: &mut dyn FnMut(EntryEvent<'_>) -> Result<()>,
    ) -> Result<LayerStats>;
}

/// Opens blobs by digest: the seam for image sources (archives, OCI layouts, and later
/// registries and local container storage).
pub trait BlobStore: Send + Sync + fmt::Debug {
    /// Opens a fresh stream over the blob's bytes.
    fn open(&self, digest: &str) -> io::Result<Box<dyn Read + Send + '_>>;
}

/// Blobs held in memory (tests, fuzzing, small sources).
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    blobs: std::collections::HashMap<String, Arc<[u8]>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// Adds a blob under a key (`index.json`, `blobs/sha256/<hex>`).
    pub fn insert(&mut self, key: impl Into<String>, bytes: impl Into<Arc<[u8]>>) {
        self.blobs.insert(key.into(), bytes.into());
    }
}

impl BlobStore for MemoryStore {
    fn open(&self, key: &str) -> io::Result<Box<dyn Read + Send + '_>> {
        let b = self
            .blobs
            .get(key)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("{key} not found")))?;
        Ok(Box::new(io::Cursor::new(b.clone())))
    }
}

/// Compression detected from a blob's first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Plain tar.
    None,
    /// gzip.
    Gzip,
    /// zstd.
    Zstd,
}

impl Compression {
    /// Detects compression by magic bytes.
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

/// A reader that hashes what passes through it and counts bytes.
pub(crate) struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    count: u64,
}

impl<R: Read> HashingReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        HashingReader { inner, hasher: Sha256::new(), count: 0 }
    }

    pub(crate) fn finish(self) -> (String, u64) {
        (format!("sha256:{}", hex::encode(self.hasher.finalize())), self.count)
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}

/// Stops with an error once more than `limit` bytes passed (decompression bombs).
struct LimitReader<R> {
    inner: R,
    left: u64,
    tripped: Arc<std::sync::atomic::AtomicBool>,
}

impl<R: Read> Read for LimitReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            // Readers above (tar) may rewrap the error: the flag says what happened.
            self.tripped.store(true, std::sync::atomic::Ordering::Relaxed);
            return Err(io::Error::other(LimitExceeded));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

#[derive(Debug)]
struct LimitExceeded;
impl fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("uncompressed size limit exceeded")
    }
}
impl std::error::Error for LimitExceeded {}

/// Shares the compressed-side hasher between the decoder chain and the caller.
struct SharedCount<R> {
    inner: R,
    read: Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for SharedCount<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// A layer stored as a blob: tar, tar+gzip or tar+zstd.
#[derive(Debug)]
pub struct TarLayer {
    info: LayerInfo,
    store: Arc<dyn BlobStore>,
    /// Blob key in the store (usually the digest; a path for classic docker archives).
    key: String,
    /// Whether `info.digest` is a real blob digest to verify (false when unknown).
    verify_digest: bool,
    /// Whether `info.diff_id` came from the config and must be verified.
    verify_diff_id: bool,
}

impl TarLayer {
    /// A layer read from `store` under `key`. `info.digest`/`info.diff_id` are verified when
    /// the flags say they are known.
    pub fn new(
        info: LayerInfo,
        store: Arc<dyn BlobStore>,
        key: String,
        verify_digest: bool,
        verify_diff_id: bool,
    ) -> Self {
        TarLayer { info, store, key, verify_digest, verify_diff_id }
    }
}

fn layer_err_with(info: &LayerInfo, source: io::Error, tripped: &std::sync::atomic::AtomicBool) -> ScanError {
    if tripped.load(std::sync::atomic::Ordering::Relaxed) {
        return ScanError::Limit {
            kind: LimitKind::TotalBytes,
            detail: format!("layer {} ({}) decompresses to more than allowed", info.index, info.digest),
        };
    }
    ScanError::Layer { index: info.index, digest: info.digest.clone(), source }
}

fn layer_err(info: &LayerInfo, source: io::Error) -> ScanError {
    layer_err_with(info, source, &std::sync::atomic::AtomicBool::new(false))
}

impl Layer for TarLayer {
    fn info(&self) -> &LayerInfo {
        &self.info
    }

    fn cache_key(&self) -> Option<String> {
        if self.verify_diff_id {
            Some(format!("{}|{}", self.info.digest, self.info.diff_id))
        } else {
            None
        }
    }

    fn walk(
        &self,
        cx: &mut WalkContext<'_>,
        visit: &mut dyn FnMut(EntryEvent<'_>) -> Result<()>,
    ) -> Result<LayerStats> {
        let info = &self.info;
        let raw = self.store.open(&self.key).map_err(|e| layer_err(info, e))?;
        let compressed_count = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let mut blob = HashingReader::new(SharedCount { inner: raw, read: compressed_count.clone() });
        let mut head = [0u8; 4];
        let head_len = read_full(&mut blob, &mut head).map_err(|e| layer_err(info, e))?;
        let chained = (&head[..head_len]).chain(&mut blob);
        let compression = Compression::sniff(&head[..head_len]);
        let decoder: Box<dyn Read + '_> = match compression {
            Compression::None => Box::new(chained),
            Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(256 << 10, chained))),
            Compression::Zstd => Box::new(
                ruzstd::decoding::StreamingDecoder::new(BufReader::with_capacity(256 << 10, chained))
                    .map_err(|e| layer_err(info, io::Error::new(io::ErrorKind::InvalidData, e.to_string())))?,
            ),
        };
        let tripped = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let limited = LimitReader { inner: decoder, left: cx.limits.max_layer_bytes, tripped: tripped.clone() };
        let layer_err = |info: &LayerInfo, e: io::Error| layer_err_with(info, e, &tripped);
        let mut tar_stream = HashingReader::new(BufReader::with_capacity(256 << 10, limited));
        let mut stats = LayerStats::default();
        {
            let mut archive = tar::Archive::new(&mut tar_stream);
            archive.set_ignore_zeros(false);
            let entries = archive.entries().map_err(|e| layer_err(info, e))?;
            let mut last_progress = 0u64;
            for entry in entries {
                cx.cancel.check()?;
                let mut entry = entry.map_err(|e| layer_err(info, e))?;
                stats.entries += 1;
                if stats.entries > cx.limits.max_entries {
                    return Err(ScanError::Limit {
                        kind: LimitKind::Entries,
                        detail: format!(
                            "layer {} has more than {} entries",
                            info.index, cx.limits.max_entries
                        ),
                    });
                }
                if let Some(p) = cx.progress {
                    let read = compressed_count.load(std::sync::atomic::Ordering::Relaxed);
                    if read - last_progress >= 4 << 20 {
                        last_progress = read;
                        p(&Progress::LayerBytes { index: info.index, read });
                    }
                }
                handle_tar_entry(&mut entry, info, cx, visit).map_err(|e| match e {
                    // A body read by the visitor hit the size limit.
                    ScanError::Layer { source, .. } if tripped.load(std::sync::atomic::Ordering::Relaxed) => {
                        layer_err(info, source)
                    }
                    e => e,
                })?;
            }
        }
        // Drain what the tar reader left (padding, trailing blocks) so both digests cover
        // the whole stream.
        io::copy(&mut tar_stream, &mut io::sink()).map_err(|e| layer_err(info, e))?;
        let (diff_id, uncompressed) = tar_stream.finish();
        io::copy(&mut blob, &mut io::sink()).map_err(|e| layer_err(info, e))?;
        let (digest, compressed) = blob.finish();
        stats.bytes_read = compressed;
        stats.bytes_uncompressed = uncompressed;
        if self.verify_digest && digest != info.digest {
            return Err(ScanError::Digest { expected: info.digest.clone(), actual: digest });
        }
        if self.verify_diff_id && diff_id != info.diff_id {
            return Err(ScanError::Digest {
                expected: format!("{} (diff_id of layer {})", info.diff_id, info.index),
                actual: diff_id,
            });
        }
        Ok(stats)
    }
}

/// Reads until `buf` is full or EOF; returns the count.
pub(crate) fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn path_diag(cx: &mut WalkContext<'_>, info: &LayerInfo, raw: &[u8], problem: PathProblem) {
    let (code, what) = match problem {
        PathProblem::EscapesRoot => ("path-escapes-root", "climbs above the image root"),
        PathProblem::Empty => ("path-empty", "is empty"),
        PathProblem::Nul => ("path-nul", "contains a NUL byte"),
    };
    let mut d = Diagnostic::warning(
        code,
        format!("entry {:?} {what}; skipped", String::from_utf8_lossy(raw)),
    );
    d.layer = Some(info.diff_id.clone());
    d.layer_index = Some(info.index);
    cx.diagnostics.push(d);
}

fn handle_tar_entry<R: Read>(
    entry: &mut tar::Entry<'_, R>,
    info: &LayerInfo,
    cx: &mut WalkContext<'_>,
    visit: &mut dyn FnMut(EntryEvent<'_>) -> Result<()>,
) -> Result<()> {
    let raw_path = entry.path_bytes().into_owned();
    let header = entry.header();
    let etype = header.entry_type();
    let kind = match etype {
        tar::EntryType::Regular | tar::EntryType::Continuous => EntryKind::File,
        tar::EntryType::Directory => EntryKind::Dir,
        tar::EntryType::Symlink => EntryKind::Symlink,
        tar::EntryType::Link => EntryKind::Hardlink,
        tar::EntryType::Char | tar::EntryType::Block | tar::EntryType::Fifo => EntryKind::Other,
        // Metadata entries (PAX, GNU long names) are consumed by the tar reader; anything
        // else is skipped.
        _ => return Ok(()),
    };
    let path = match ImagePath::normalize(&raw_path) {
        Ok(p) => p,
        Err(PathProblem::Empty) if kind == EntryKind::Dir => return Ok(()), // "./"
        Err(problem) => {
            path_diag(cx, info, &raw_path, problem);
            return Ok(());
        }
    };
    if path.depth() > cx.limits.max_path_depth {
        let mut d = Diagnostic::warning(
            "path-too-deep",
            format!(
                "entry at depth {} exceeds max path depth {}; skipped",
                path.depth(),
                cx.limits.max_path_depth
            ),
        );
        d.layer = Some(info.diff_id.clone());
        d.layer_index = Some(info.index);
        let lossy = path.to_string_lossy();
        d.path = Some(lossy.chars().take(200).collect());
        cx.diagnostics.push(d);
        return Ok(());
    }
    let name = path.file_name();
    if let Some(rest) = name.strip_prefix(b".wh.") {
        let parent = path.parent().unwrap_or_else(ImagePath::root);
        if rest == b".wh..opq" {
            return visit(EntryEvent::Opaque(parent));
        }
        if rest.starts_with(b".wh.") {
            // AUFS internals (.wh..wh.plnk, .wh..wh.aufs): not content.
            return Ok(());
        }
        if rest.is_empty() {
            return Ok(());
        }
        let mut target = parent.as_bytes().to_vec();
        if target != b"/" {
            target.push(b'/');
        } else {
            target.clear();
            target.push(b'/');
        }
        target.extend_from_slice(rest);
        return match ImagePath::normalize(&target) {
            Ok(t) => visit(EntryEvent::Whiteout(t)),
            Err(problem) => {
                path_diag(cx, info, &raw_path, problem);
                Ok(())
            }
        };
    }
    let link = match kind {
        EntryKind::Symlink | EntryKind::Hardlink => {
            entry.link_name_bytes().map(|l| l.into_owned())
        }
        _ => None,
    };
    let header = entry.header();
    let meta = FileMeta {
        kind,
        mode: header.mode().unwrap_or(0),
        uid: header.uid().unwrap_or(0),
        gid: header.gid().unwrap_or(0),
        size: if kind == EntryKind::File { entry.size() } else { 0 },
        mtime: header.mtime().unwrap_or(0),
        link,
    };
    let mut empty = io::empty();
    let body: &mut dyn Read = if kind == EntryKind::File { entry } else { &mut empty };
    visit(EntryEvent::Entry { path, meta, body })
}
