//! The per-layer result cache: one file per (layer, detector set, config), written
//! atomically (temp file + rename), so several processes can share a directory without a
//! lock. A size cap evicts the least recently used entries.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest as _, Sha256};

use crate::engine::LayerResult;

/// Cache settings.
#[derive(Clone, Debug)]
pub struct CacheConfig {
    /// Directory (created if missing).
    pub dir: PathBuf,
    /// Size cap in bytes; least recently used entries are evicted above it.
    pub max_bytes: u64,
}

impl CacheConfig {
    /// The default location: `$XDG_CACHE_HOME/strata` or `~/.cache/strata`.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|x| !x.is_empty()) {
            return Some(PathBuf::from(x).join("strata"));
        }
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("strata"))
    }
}

/// Format version of cache entries; bump on any change to [`LayerResult`].
const FORMAT: u32 = 1;

pub(crate) struct LayerCache {
    cfg: CacheConfig,
}

impl LayerCache {
    pub(crate) fn new(cfg: CacheConfig) -> Self {
        LayerCache { cfg }
    }

    pub(crate) fn key(layer_key: &str, engine_fingerprint: &str) -> String {
        let mut h = Sha256::new();
        h.update(FORMAT.to_le_bytes());
        h.update(layer_key.as_bytes());
        h.update([0]);
        h.update(engine_fingerprint.as_bytes());
        hex::encode(h.finalize())
    }

    fn path(&self, key: &str) -> PathBuf {
        self.cfg.dir.join("layers").join(&key[..2]).join(format!("{key}.json.gz"))
    }

    /// A cached result, or `None` (missing, unreadable or corrupt: treated as a miss).
    pub(crate) fn get(&self, key: &str) -> Option<LayerResult> {
        let path = self.path(key);
        let f = fs::File::open(&path).ok()?;
        let mut buf = Vec::new();
        // Cap what we inflate: a cache entry is ours, but the directory may be shared.
        flate2::read::GzDecoder::new(f).take(4 << 30).read_to_end(&mut buf).ok()?;
        match serde_json::from_slice::<LayerResult>(&buf) {
            Ok(r) => {
                // Touch for LRU eviction.
                let _ = fs::File::options().append(true).open(&path).and_then(|f| f.set_modified(SystemTime::now()));
                Some(r)
            }
            Err(_) => {
                let _ = fs::remove_file(&path);
                None
            }
        }
    }

    /// Stores a result atomically; errors are returned for a diagnostic, never fatal.
    pub(crate) fn put(&self, key: &str, result: &LayerResult) -> std::io::Result<()> {
        let path = self.path(key);
        let dir = path.parent().expect("cache paths have a parent");
        fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        {
            let mut enc = flate2::write::GzEncoder::new(tmp.as_file_mut(), flate2::Compression::fast());
            serde_json::to_writer(&mut enc, result).map_err(std::io::Error::other)?;
            enc.finish()?.flush()?;
        }
        tmp.persist(&path).map_err(|e| e.error)?;
        self.evict()
    }

    fn evict(&self) -> std::io::Result<()> {
        let root = self.cfg.dir.join("layers");
        let mut files = Vec::new();
        let mut total = 0u64;
        walk(&root, &mut |p, md| {
            total += md.len();
            files.push((md.modified().unwrap_or(SystemTime::UNIX_EPOCH), md.len(), p.to_owned()));
        })?;
        if total <= self.cfg.max_bytes {
            return Ok(());
        }
        files.sort();
        let target = self.cfg.max_bytes / 10 * 9;
        for (_, len, p) in files {
            if total <= target {
                break;
            }
            if fs::remove_file(&p).is_ok() {
                total -= len;
            }
        }
        Ok(())
    }
}

fn walk(dir: &Path, f: &mut dyn FnMut(&Path, &fs::Metadata)) -> std::io::Result<()> {
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for e in rd.flatten() {
        let md = match e.metadata() {
            Ok(m) => m,
            Err(_) => continue,
        };
        if md.is_dir() {
            walk(&e.path(), f)?;
        } else if e.file_name().to_string_lossy().ends_with(".json.gz") {
            f(&e.path(), &md);
        }
    }
    Ok(())
}
