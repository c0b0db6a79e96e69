//! Limits: configuration with safe defaults. Images are attacker-controlled.

use serde::{Deserialize, Serialize};

/// Caps applied while reading images. Every cap is configurable; the defaults suit a
/// scanning service (large real images pass, bombs trip).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Max bytes of one file body read for detectors (a detector's own `max_bytes` may be
    /// lower).
    pub max_file_bytes: u64,
    /// Max uncompressed bytes of one layer (gzip bombs).
    pub max_layer_bytes: u64,
    /// Max entries in one image layer (tar bombs).
    pub max_entries: u64,
    /// Max entries in a directory target (`dir:PATH`, a live root included). Separate from
    /// `max_entries` because a host filesystem routinely holds several times the files of
    /// any image layer (a build host's `/` here: 687,011), and its entries cannot be
    /// inflated from a small download: each one is a real inode on disk. The cap still
    /// bounds the merged index (about 200 bytes per entry).
    pub max_dir_entries: u64,
    /// Max path depth (components); deeper entries are skipped with a diagnostic.
    pub max_path_depth: usize,
    /// Max symlink hops when resolving links in the merged filesystem.
    pub max_symlink_hops: u32,
    /// Max nesting of archives inside archives (jar in war in ear).
    pub max_archive_depth: u32,
    /// Max bytes uncompressed from one archive, including nested members.
    pub max_archive_bytes: u64,
    /// Max size of a manifest, index or config document.
    pub max_metadata_bytes: u64,
    /// Max nested index depth.
    pub max_index_depth: u32,
    /// Max layers per image.
    pub max_layers: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 256 << 20,
            max_layer_bytes: 64 << 30,
            max_entries: 500_000,
            max_dir_entries: 10_000_000,
            max_path_depth: 256,
            max_symlink_hops: 40,
            max_archive_depth: 5,
            max_archive_bytes: 1 << 30,
            max_metadata_bytes: 8 << 20,
            max_index_depth: 4,
            max_layers: 512,
        }
    }
}
