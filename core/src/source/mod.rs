//! Image sources: docker-archive tarballs, OCI layouts and archives, unpacked root
//! filesystems. Each resolves a target into one image or several (an index), each image a
//! list of [`Layer`]s. Registry and container-storage sources plug in through
//! [`BlobStore`](crate::layer::BlobStore) and [`Layer`].

pub mod archive;
pub mod dir;
pub mod docker;
pub mod oci;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{LimitKind, Result, ScanError};
use crate::finding::Diagnostic;
use crate::image::{ImageInfo, Platform};
use crate::layer::{BlobStore, Layer};
use crate::limits::Limits;

/// A scan target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `docker-archive:PATH` (`docker save` output, classic or Docker 25+ layout, optionally
    /// gzip-compressed as a whole).
    DockerArchive(PathBuf),
    /// `oci:PATH[:REF]`, an OCI image layout directory.
    Oci {
        /// Layout directory.
        path: PathBuf,
        /// Tag (`org.opencontainers.image.ref.name`) or digest.
        reference: Option<String>,
    },
    /// `oci-archive:PATH[:REF]`, a tar of an OCI layout.
    OciArchive {
        /// Archive file.
        path: PathBuf,
        /// Tag or digest.
        reference: Option<String>,
    },
    /// `dir:PATH`, an unpacked root filesystem (this machine's `/` included).
    Dir(PathBuf),
}

fn split_ref(rest: &str) -> (PathBuf, Option<String>) {
    if Path::new(rest).exists() {
        return (PathBuf::from(rest), None);
    }
    match rest.rsplit_once(':') {
        Some((p, r)) if !p.is_empty() && !r.contains('/') => (PathBuf::from(p), Some(r.to_owned())),
        _ => (PathBuf::from(rest), None),
    }
}

impl Target {
    /// Parses `docker-archive:PATH`, `oci:PATH[:REF]`, `oci-archive:PATH[:REF]`, `dir:PATH`,
    /// or a bare path that is auto-detected by content.
    pub fn parse(s: &str) -> Result<Target> {
        let bad = |reason: &str| ScanError::Target { target: s.to_owned(), reason: reason.to_owned() };
        if let Some(rest) = s.strip_prefix("docker-archive:") {
            return Ok(Target::DockerArchive(PathBuf::from(rest)));
        }
        if let Some(rest) = s.strip_prefix("oci-archive:") {
            let (path, reference) = split_ref(rest);
            return Ok(Target::OciArchive { path, reference });
        }
        if let Some(rest) = s.strip_prefix("oci:") {
            let (path, reference) = split_ref(rest);
            return Ok(Target::Oci { path, reference });
        }
        if let Some(rest) = s.strip_prefix("dir:") {
            return Ok(Target::Dir(PathBuf::from(rest)));
        }
        if s.is_empty() {
            return Err(bad("empty target"));
        }
        let path = Path::new(s);
        let meta = std::fs::metadata(path).map_err(|e| ScanError::io(format!("target {s}"), e))?;
        if meta.is_dir() {
            if path.join("oci-layout").is_file() && path.join("index.json").is_file() {
                return Ok(Target::Oci { path: path.to_owned(), reference: None });
            }
            return Ok(Target::Dir(path.to_owned()));
        }
        match archive::sniff_archive(path)? {
            archive::ArchiveKind::Docker => Ok(Target::DockerArchive(path.to_owned())),
            archive::ArchiveKind::Oci => Ok(Target::OciArchive { path: path.to_owned(), reference: None }),
            archive::ArchiveKind::Unknown => Err(bad(
                "not a directory, docker-archive or oci-archive (no manifest.json or index.json at the top of the tar)",
            )),
        }
    }
}

/// Options for opening a target.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// Only this platform of an index.
    pub platform: Option<Platform>,
    /// Limits.
    pub limits: Limits,
    /// Where to spool whole-file-compressed archives (inside the scanner's cache); the
    /// system temp dir if `None`.
    pub spool_dir: Option<PathBuf>,
}

/// One image ready to scan.
#[derive(Debug)]
pub struct ResolvedImage {
    /// Facts (digest, platform, layers, config).
    pub info: ImageInfo,
    /// Layers, bottom to top.
    pub layers: Vec<Arc<dyn Layer>>,
    /// Whether this is a directory (no layers, no config).
    pub is_dir: bool,
}

/// An opened target: one image, or the platforms of an index.
#[derive(Debug)]
pub struct Resolved {
    /// Images (one per platform for an index).
    pub images: Vec<ResolvedImage>,
    /// Whether the target was an index (report per platform).
    pub is_index: bool,
    /// Index digest, if known.
    pub index_digest: Option<String>,
    /// Diagnostics from opening (skipped attestation manifests, ...).
    pub diagnostics: Vec<Diagnostic>,
    /// Keeps a spooled archive alive while scanning.
    pub(crate) _spool: Option<Arc<tempfile::NamedTempFile>>,
}

/// Opens a target.
pub fn open(target: &Target, target_str: &str, opts: &OpenOptions) -> Result<Resolved> {
    let mut resolved = match target {
        Target::Dir(path) => dir::open(path)?,
        Target::DockerArchive(path) => docker::open(path, opts)?,
        Target::Oci { path, reference } => {
            if !path.is_dir() {
                return Err(ScanError::io(
                    format!("OCI layout {}", path.display()),
                    std::io::Error::new(std::io::ErrorKind::NotFound, "no such directory"),
                ));
            }
            let store: Arc<dyn BlobStore> = Arc::new(oci::DirStore::new(path.clone()));
            oci::resolve(store, reference.as_deref(), opts)?
        }
        Target::OciArchive { path, reference } => {
            let (store, spool) = archive::TarFileStore::open(path, opts)?;
            let mut r = oci::resolve(Arc::new(store), reference.as_deref(), opts)?;
            r._spool = spool;
            r
        }
    };
    for img in &mut resolved.images {
        img.info.target = target_str.to_owned();
    }
    Ok(resolved)
}

/// Opens an OCI layout served by any [`BlobStore`] (keys `index.json` and
/// `blobs/<alg>/<hex>`): the seam for registry and container-storage sources.
pub fn open_layout(store: Arc<dyn BlobStore>, reference: Option<&str>, opts: &OpenOptions) -> Result<Resolved> {
    oci::resolve(store, reference, opts)
}

/// Reads a whole metadata blob (manifest, index, config) with a size cap.
pub(crate) fn read_capped(mut r: impl Read, limits: &Limits, what: &str) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    let n = (&mut r)
        .take(limits.max_metadata_bytes + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ScanError::io(what.to_owned(), e))?;
    if n as u64 > limits.max_metadata_bytes {
        return Err(ScanError::Limit {
            kind: LimitKind::MetadataSize,
            detail: format!("{what} is larger than {} bytes", limits.max_metadata_bytes),
        });
    }
    Ok(buf)
}

/// sha256 of bytes as `sha256:<hex>`.
pub(crate) fn sha256_digest(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

/// Validates a digest string and returns the relative blob path `blobs/<alg>/<hex>`.
pub(crate) fn blob_path(digest: &str) -> Result<String> {
    let (alg, hex) = digest
        .split_once(':')
        .ok_or_else(|| ScanError::Image(format!("invalid digest {digest:?}")))?;
    let ok_hex = |h: &str, n: usize| h.len() == n && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    match alg {
        "sha256" if ok_hex(hex, 64) => Ok(format!("blobs/sha256/{hex}")),
        "sha512" if ok_hex(hex, 128) => Err(ScanError::Image(format!("unsupported digest algorithm in {digest:?}"))),
        _ => Err(ScanError::Image(format!("invalid digest {digest:?}"))),
    }
}

/// Reads a metadata blob by digest and verifies it.
pub(crate) fn read_verified(store: &dyn BlobStore, digest: &str, limits: &Limits, what: &str) -> Result<Vec<u8>> {
    let path = blob_path(digest)?;
    let r = store.open(&path).map_err(|e| ScanError::io(format!("{what} blob {digest}"), e))?;
    let bytes = read_capped(r, limits, what)?;
    let actual = sha256_digest(&bytes);
    if actual != digest {
        return Err(ScanError::Digest { expected: digest.to_owned(), actual });
    }
    Ok(bytes)
}
