//! OCI image layouts (directories and archives), image indexes (nested, multi-platform)
//! and manifests; also Docker's manifest list / schema 2 media types.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;

use crate::error::{LimitKind, Result, ScanError};
use crate::finding::Diagnostic;
use crate::image::{History, ImageConfig, ImageInfo, LayerInfo, Platform};
use crate::layer::{BlobStore, Layer, TarLayer};
use crate::limits::Limits;

use super::{OpenOptions, Resolved, ResolvedImage, blob_path, read_capped, read_verified, sha256_digest};

/// An OCI layout directory as a blob store. Keys are relative paths checked to stay inside.
#[derive(Debug)]
pub(crate) struct DirStore {
    root: PathBuf,
}

impl DirStore {
    pub(crate) fn new(root: PathBuf) -> Self {
        DirStore { root }
    }
}

impl BlobStore for DirStore {
    fn open(&self, key: &str) -> io::Result<Box<dyn Read + Send + '_>> {
        if key.split('/').any(|c| c == ".." || c.is_empty()) || key.starts_with('/') {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("invalid blob path {key:?}")));
        }
        let f = File::open(self.root.join(key))
            .map_err(|e| io::Error::new(e.kind(), format!("{key}: {e}")))?;
        Ok(Box::new(f))
    }
}

const MT_OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const MT_DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
const MT_OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const MT_DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";

/// A content descriptor.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Descriptor {
    #[serde(default)]
    pub(crate) media_type: String,
    pub(crate) digest: String,
    #[serde(default)]
    pub(crate) size: u64,
    #[serde(default)]
    pub(crate) annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) platform: Option<DescPlatform>,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct DescPlatform {
    #[serde(default)]
    os: String,
    #[serde(default)]
    architecture: String,
    #[serde(default)]
    variant: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Index {
    #[serde(default)]
    media_type: String,
    #[serde(default)]
    manifests: Vec<Descriptor>,
    /// Present when a "manifest" was given where an index was expected.
    #[serde(default)]
    layers: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    #[serde(default)]
    media_type: String,
    config: Descriptor,
    #[serde(default)]
    layers: Vec<Descriptor>,
}

/// The raw image config JSON (OCI and Docker share it).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawConfig {
    #[serde(default)]
    architecture: String,
    #[serde(default)]
    os: String,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    config: Option<RawRunConfig>,
    #[serde(default)]
    rootfs: Option<RawRootfs>,
    #[serde(default)]
    history: Vec<RawHistory>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawRunConfig {
    #[serde(default)]
    env: Option<Vec<String>>,
    #[serde(default)]
    labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    entrypoint: Option<Vec<String>>,
    #[serde(default)]
    cmd: Option<Vec<String>>,
    #[serde(default)]
    exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    volumes: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    working_dir: Option<String>,
    #[serde(default)]
    healthcheck: Option<RawHealth>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawHealth {
    #[serde(default)]
    test: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
struct RawRootfs {
    #[serde(default)]
    diff_ids: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawHistory {
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    created_by: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    empty_layer: Option<bool>,
}

/// Parses an image config.
pub(crate) fn parse_config(bytes: &[u8]) -> Result<ImageConfig> {
    let raw: RawConfig = serde_json::from_slice(bytes)
        .map_err(|e| ScanError::Image(format!("invalid image config: {e}")))?;
    let rc = raw.config.unwrap_or_default();
    Ok(ImageConfig {
        env: rc.env.unwrap_or_default(),
        labels: rc.labels.unwrap_or_default(),
        user: rc.user.unwrap_or_default(),
        entrypoint: rc.entrypoint.unwrap_or_default(),
        cmd: rc.cmd.unwrap_or_default(),
        exposed_ports: rc.exposed_ports.map(|m| m.into_keys().collect()).unwrap_or_default(),
        volumes: rc.volumes.map(|m| m.into_keys().collect()).unwrap_or_default(),
        working_dir: rc.working_dir.unwrap_or_default(),
        healthcheck: rc.healthcheck.and_then(|h| h.test),
        history: raw
            .history
            .into_iter()
            .map(|h| History {
                created_by: h.created_by.unwrap_or_default(),
                created: h.created.unwrap_or_default(),
                comment: h.comment.unwrap_or_default(),
                empty_layer: h.empty_layer.unwrap_or(false),
            })
            .collect(),
        diff_ids: raw.rootfs.map(|r| r.diff_ids).unwrap_or_default(),
        created: raw.created.unwrap_or_default(),
        os: raw.os,
        architecture: raw.architecture,
        variant: raw.variant,
    })
}

/// `created_by` of each non-empty history entry, aligned with layers.
pub(crate) fn layer_commands(config: &ImageConfig, n: usize) -> Vec<String> {
    let cmds: Vec<String> =
        config.history.iter().filter(|h| !h.empty_layer).map(|h| h.created_by.clone()).collect();
    if cmds.len() == n { cmds } else { vec![String::new(); n] }
}

fn is_index_type(mt: &str) -> bool {
    mt == MT_OCI_INDEX || mt == MT_DOCKER_LIST
}

fn is_attestation(d: &Descriptor) -> bool {
    d.annotations.get("vnd.docker.reference.type").is_some_and(|t| t == "attestation-manifest")
        || d.platform.as_ref().is_some_and(|p| p.os == "unknown" && p.architecture == "unknown")
}

fn ref_matches(d: &Descriptor, reference: &str) -> bool {
    if d.digest == reference {
        return true;
    }
    ["org.opencontainers.image.ref.name", "io.containerd.image.name"].iter().any(|k| {
        d.annotations.get(*k).is_some_and(|v| {
            v == reference
                || v.rsplit_once(':').is_some_and(|(_, tag)| tag == reference)
                || reference.rsplit_once(':').is_some_and(|(_, tag)| tag == v)
        })
    })
}

struct Leaf {
    desc: Descriptor,
    platform: Option<Platform>,
    names: Vec<String>,
}

fn collect_leaves(
    store: &dyn BlobStore,
    descs: Vec<Descriptor>,
    depth: u32,
    limits: &Limits,
    out: &mut Vec<Leaf>,
    diags: &mut Vec<Diagnostic>,
) -> Result<()> {
    if depth > limits.max_index_depth {
        return Err(ScanError::Limit {
            kind: LimitKind::IndexDepth,
            detail: format!("image indexes nested deeper than {}", limits.max_index_depth),
        });
    }
    for d in descs {
        if is_attestation(&d) {
            diags.push(Diagnostic::info("attestation-skipped", format!("attestation manifest {} skipped", d.digest)));
            continue;
        }
        let mut mt = d.media_type.clone();
        let mut bytes = None;
        if mt.is_empty() {
            // Sniff the document when the descriptor has no media type.
            let b = read_verified(store, &d.digest, limits, "manifest")?;
            let v: Index = serde_json::from_slice(&b)
                .map_err(|e| ScanError::Image(format!("invalid manifest {}: {e}", d.digest)))?;
            mt = if !v.media_type.is_empty() {
                v.media_type
            } else if v.layers.is_none() && !v.manifests.is_empty() {
                MT_OCI_INDEX.to_owned()
            } else {
                MT_OCI_MANIFEST.to_owned()
            };
            bytes = Some(b);
        }
        if is_index_type(&mt) {
            let b = match bytes {
                Some(b) => b,
                None => read_verified(store, &d.digest, limits, "image index")?,
            };
            let idx: Index = serde_json::from_slice(&b)
                .map_err(|e| ScanError::Image(format!("invalid image index {}: {e}", d.digest)))?;
            collect_leaves(store, idx.manifests, depth + 1, limits, out, diags)?;
        } else if mt == MT_OCI_MANIFEST || mt == MT_DOCKER_MANIFEST {
            let names = ["org.opencontainers.image.ref.name", "io.containerd.image.name"]
                .iter()
                .filter_map(|k| d.annotations.get(*k).cloned())
                .collect();
            let platform = d.platform.as_ref().map(|p| Platform {
                os: p.os.clone(),
                architecture: p.architecture.clone(),
                variant: p.variant.clone().filter(|v| !v.is_empty()),
            });
            out.push(Leaf { desc: d, platform, names });
        } else {
            diags.push(Diagnostic::info(
                "unknown-manifest-type",
                format!("descriptor {} of media type {mt:?} skipped", d.digest),
            ));
        }
    }
    Ok(())
}

/// Builds the layers of one manifest.
pub(crate) fn image_from_manifest(
    store: &Arc<dyn BlobStore>,
    manifest_digest: &str,
    limits: &Limits,
) -> Result<ResolvedImage> {
    let mbytes = read_verified(store.as_ref(), manifest_digest, limits, "manifest")?;
    let m: Manifest = serde_json::from_slice(&mbytes)
        .map_err(|e| ScanError::Image(format!("invalid manifest {manifest_digest}: {e}")))?;
    let _ = &m.media_type;
    let cbytes = read_verified(store.as_ref(), &m.config.digest, limits, "image config")?;
    let config = parse_config(&cbytes)?;
    if m.layers.len() as u64 > u64::from(limits.max_layers) {
        return Err(ScanError::Limit { kind: LimitKind::Layers, detail: format!("{} layers", m.layers.len()) });
    }
    if !config.diff_ids.is_empty() && config.diff_ids.len() != m.layers.len() {
        return Err(ScanError::Image(format!(
            "manifest {manifest_digest} has {} layers but its config lists {} diff_ids",
            m.layers.len(),
            config.diff_ids.len()
        )));
    }
    let cmds = layer_commands(&config, m.layers.len());
    let mut layers: Vec<Arc<dyn Layer>> = Vec::new();
    let mut infos = Vec::new();
    for (i, l) in m.layers.iter().enumerate() {
        let key = blob_path(&l.digest)?;
        let diff_id = config.diff_ids.get(i).cloned();
        let info = LayerInfo {
            index: i as u32,
            digest: l.digest.clone(),
            diff_id: diff_id.clone().unwrap_or_default(),
            size: l.size,
            media_type: l.media_type.clone(),
            created_by: cmds[i].clone(),
        };
        infos.push(info.clone());
        layers.push(Arc::new(TarLayer::new(info, store.clone(), key, true, diff_id.is_some())));
    }
    let platform = if config.os.is_empty() && config.architecture.is_empty() {
        None
    } else {
        Some(Platform { os: config.os.clone(), architecture: config.architecture.clone(), variant: config.variant.clone() })
    };
    Ok(ResolvedImage {
        info: ImageInfo {
            target: String::new(),
            digest: Some(manifest_digest.to_owned()),
            config_digest: Some(m.config.digest.clone()),
            repo_tags: Vec::new(),
            platform,
            layers: infos,
            config,
        },
        layers,
        is_dir: false,
    })
}

/// Resolves an OCI layout (directory or archive) into images.
pub(crate) fn resolve(store: Arc<dyn BlobStore>, reference: Option<&str>, opts: &OpenOptions) -> Result<Resolved> {
    let limits = &opts.limits;
    let r = store.open("index.json").map_err(|e| ScanError::io("index.json of the OCI layout", e))?;
    let bytes = read_capped(r, limits, "index.json")?;
    let index_digest = sha256_digest(&bytes);
    let idx: Index = serde_json::from_slice(&bytes)
        .map_err(|e| ScanError::Image(format!("invalid index.json: {e}")))?;
    let mut descs = idx.manifests;
    if let Some(r) = reference {
        let available: Vec<String> = descs
            .iter()
            .filter_map(|d| d.annotations.get("org.opencontainers.image.ref.name").cloned())
            .collect();
        descs.retain(|d| ref_matches(d, r));
        if descs.is_empty() {
            return Err(ScanError::Image(format!(
                "reference {r:?} not found in the layout (available: {})",
                if available.is_empty() { "none".to_owned() } else { available.join(", ") }
            )));
        }
    }
    // Same digest listed under several tags: scan once.
    let mut seen = std::collections::HashSet::new();
    descs.retain(|d| seen.insert(d.digest.clone()));
    let top_is_index = descs.len() == 1 && is_index_type(&descs[0].media_type);
    let mut leaves = Vec::new();
    let mut diagnostics = Vec::new();
    collect_leaves(store.as_ref(), descs, 0, limits, &mut leaves, &mut diagnostics)?;
    let mut images = Vec::new();
    for leaf in leaves {
        let mut img = image_from_manifest(&store, &leaf.desc.digest, limits)?;
        if img.info.platform.is_none() {
            img.info.platform = leaf.platform.clone();
        }
        if let (Some(lp), Some(ip)) = (&leaf.platform, &mut img.info.platform) {
            if ip.variant.is_none() {
                ip.variant = lp.variant.clone();
            }
        }
        img.info.repo_tags = leaf.names;
        images.push(img);
    }
    if let Some(want) = &opts.platform {
        images.retain(|i| i.info.platform.as_ref().is_some_and(|p| want.matches(p)));
        if images.is_empty() {
            return Err(ScanError::PlatformNotFound(want.to_string()));
        }
    }
    if images.is_empty() {
        return Err(ScanError::Image("the layout holds no image manifest".to_owned()));
    }
    let is_index = images.len() > 1 || (top_is_index && opts.platform.is_none());
    Ok(Resolved { images, is_index, index_digest: Some(index_digest), diagnostics, _spool: None })
}
