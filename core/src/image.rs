//! Image facts shared by the engine, analyzers and reports.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// An OCI platform (`linux/amd64`, `linux/arm/v7`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Platform {
    /// Operating system (`linux`).
    pub os: String,
    /// Architecture (`amd64`).
    pub architecture: String,
    /// Variant (`v7`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

impl Platform {
    /// Parses `os/arch[/variant]`.
    pub fn parse(s: &str) -> Option<Platform> {
        let mut it = s.split('/');
        let os = it.next().filter(|x| !x.is_empty())?.to_owned();
        let architecture = it.next().filter(|x| !x.is_empty())?.to_owned();
        let variant = it.next().map(str::to_owned);
        if it.next().is_some() {
            return None;
        }
        Some(Platform { os, architecture, variant })
    }

    /// Whether `self` (a request) matches `other` (an image's platform): a request without
    /// a variant matches any variant.
    pub fn matches(&self, other: &Platform) -> bool {
        self.os == other.os
            && self.architecture == other.architecture
            && (self.variant.is_none() || self.variant == other.variant)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// One history entry of the image config.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// The command that created the layer.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    /// Creation time.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub created: String,
    /// Comment.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    /// Whether the step produced no layer.
    #[serde(default)]
    pub empty_layer: bool,
}

/// The parts of an OCI/Docker image config that scanners read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageConfig {
    /// `config.Env`.
    #[serde(default)]
    pub env: Vec<String>,
    /// `config.Labels`.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// `config.User`.
    #[serde(default)]
    pub user: String,
    /// `config.Entrypoint`.
    #[serde(default)]
    pub entrypoint: Vec<String>,
    /// `config.Cmd`.
    #[serde(default)]
    pub cmd: Vec<String>,
    /// `config.ExposedPorts` keys.
    #[serde(default)]
    pub exposed_ports: Vec<String>,
    /// `config.Volumes` keys.
    #[serde(default)]
    pub volumes: Vec<String>,
    /// `config.WorkingDir`.
    #[serde(default)]
    pub working_dir: String,
    /// Whether `config.Healthcheck` is set (and not `NONE`).
    #[serde(default)]
    pub healthcheck: Option<Vec<String>>,
    /// `history`.
    #[serde(default)]
    pub history: Vec<History>,
    /// `rootfs.diff_ids`.
    #[serde(default)]
    pub diff_ids: Vec<String>,
    /// `created`.
    #[serde(default)]
    pub created: String,
    /// `os`.
    #[serde(default)]
    pub os: String,
    /// `architecture`.
    #[serde(default)]
    pub architecture: String,
    /// `variant`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

/// One layer as reported.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerInfo {
    /// Index, bottom = 0.
    pub index: u32,
    /// Digest of the (compressed) blob.
    pub digest: String,
    /// Digest of the uncompressed tar.
    pub diff_id: String,
    /// Size of the blob in bytes.
    pub size: u64,
    /// Media type.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub media_type: String,
    /// The history command that created it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub created_by: String,
}

/// Facts about the scanned image (or directory).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageInfo {
    /// The target as given (`docker-archive:img.tar`).
    #[serde(skip)]
    pub target: String,
    /// Manifest digest, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Config blob digest (image id), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_digest: Option<String>,
    /// Repository tags / reference names found in the archive.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repo_tags: Vec<String>,
    /// Platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Layers, bottom to top.
    #[serde(default)]
    pub layers: Vec<LayerInfo>,
    /// The config (absent for directories).
    #[serde(skip)]
    pub config: ImageConfig,
}
