//! docker-archive: `docker save` output. Classic layout (`<id>/layer.tar`, `<id>.json`) and
//! the Docker 25+ layout that embeds an OCI layout (`blobs/sha256/...`); optionally gzipped.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::error::{LimitKind, Result, ScanError};
use crate::image::{ImageInfo, LayerInfo};
use crate::layer::{BlobStore, Layer, TarLayer};

use super::archive::TarFileStore;
use super::oci::{layer_commands, parse_config};
use super::{OpenOptions, Resolved, ResolvedImage, read_capped, sha256_digest};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Entry {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

/// `blobs/sha256/<hex>` -> `sha256:<hex>`.
fn digest_of_blob_path(p: &str) -> Option<String> {
    let p = p.strip_prefix("./").unwrap_or(p);
    let hex = p.strip_prefix("blobs/sha256/")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| format!("sha256:{hex}"))
}

pub(crate) fn open(path: &Path, opts: &OpenOptions) -> Result<Resolved> {
    let limits = &opts.limits;
    let (store, spool) = TarFileStore::open(path, opts)?;
    let store = Arc::new(store);
    let mbytes = read_capped(
        store.open("manifest.json").map_err(|e| ScanError::io(format!("manifest.json of {}", path.display()), e))?,
        limits,
        "manifest.json",
    )?;
    let entries: Vec<Entry> = serde_json::from_slice(&mbytes)
        .map_err(|e| ScanError::Image(format!("invalid manifest.json: {e}")))?;
    if entries.is_empty() {
        return Err(ScanError::Image("manifest.json lists no image".to_owned()));
    }
    let dyn_store: Arc<dyn BlobStore> = store.clone();
    let mut images = Vec::new();
    for e in entries {
        let cbytes = read_capped(
            store.open(&e.config).map_err(|err| ScanError::io(format!("config {}", e.config), err))?,
            limits,
            "image config",
        )?;
        let config_digest = sha256_digest(&cbytes);
        // The config file is named after its digest: verify it.
        let expected = digest_of_blob_path(&e.config).or_else(|| {
            let stem = e.config.strip_suffix(".json")?;
            (stem.len() == 64 && stem.bytes().all(|b| b.is_ascii_hexdigit())).then(|| format!("sha256:{stem}"))
        });
        if let Some(exp) = expected {
            if exp != config_digest {
                return Err(ScanError::Digest { expected: exp, actual: config_digest });
            }
        }
        let config = parse_config(&cbytes)?;
        if e.layers.len() as u64 > u64::from(limits.max_layers) {
            return Err(ScanError::Limit { kind: LimitKind::Layers, detail: format!("{} layers", e.layers.len()) });
        }
        if config.diff_ids.len() != e.layers.len() {
            return Err(ScanError::Image(format!(
                "manifest.json lists {} layers but the config has {} diff_ids",
                e.layers.len(),
                config.diff_ids.len()
            )));
        }
        let cmds = layer_commands(&config, e.layers.len());
        let mut layers: Vec<Arc<dyn Layer>> = Vec::new();
        let mut infos = Vec::new();
        for (i, lp) in e.layers.iter().enumerate() {
            let key = lp.strip_prefix("./").unwrap_or(lp).to_owned();
            if !store.contains(&key) {
                return Err(ScanError::Image(format!("layer blob {key} is missing from the archive")));
            }
            let blob_digest = digest_of_blob_path(&key);
            let diff_id = config.diff_ids[i].clone();
            let info = LayerInfo {
                index: i as u32,
                digest: blob_digest.clone().unwrap_or_else(|| diff_id.clone()),
                diff_id,
                size: store.size_of(&key).unwrap_or(0),
                media_type: String::new(),
                created_by: cmds[i].clone(),
            };
            infos.push(info.clone());
            layers.push(Arc::new(TarLayer::new(info, dyn_store.clone(), key, blob_digest.is_some(), true)));
        }
        let platform = (!config.architecture.is_empty()).then(|| crate::image::Platform {
            os: config.os.clone(),
            architecture: config.architecture.clone(),
            variant: config.variant.clone(),
        });
        images.push(ResolvedImage {
            info: ImageInfo {
                target: String::new(),
                digest: None,
                config_digest: Some(config_digest),
                repo_tags: e.repo_tags.unwrap_or_default(),
                platform,
                layers: infos,
                config,
            },
            layers,
            is_dir: false,
        });
    }
    let is_index = images.len() > 1;
    Ok(Resolved { images, is_index, index_digest: None, diagnostics: Vec::new(), _spool: spool })
}
