//! Test helpers: build real OCI layouts, docker archives and indexes in code (gitoxide's
//! scripted fixtures, in Rust), and probe detectors/analyzers that expose what the engine
//! delivers.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::json;
use sha2::{Digest, Sha256};
use strata_core::{
    Analyzer, Detector, DetectorRun, EntryKind, FileRef, Interest, Inventory, Misconfiguration, Origin, Output,
    Secret, Severity,
};

/// Layer compression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Plain tar.
    None,
    /// gzip.
    Gzip,
    /// zstd.
    Zstd,
}

enum Item {
    File { name: Vec<u8>, data: Vec<u8>, mode: u32 },
    Dir { name: Vec<u8> },
    Symlink { name: Vec<u8>, target: Vec<u8> },
    Hardlink { name: Vec<u8>, target: Vec<u8> },
}

/// One layer's entries, in tar order.
#[derive(Default)]
pub struct LayerBuilder {
    items: Vec<Item>,
    raw: Option<Vec<u8>>,
}

impl LayerBuilder {
    /// A regular file (mode 0644). Names are written as given (no normalisation), so
    /// hostile names (`../x`, `/abs`) can be tested.
    pub fn file(mut self, name: impl AsRef<[u8]>, data: impl AsRef<[u8]>) -> Self {
        self.items.push(Item::File { name: name.as_ref().to_vec(), data: data.as_ref().to_vec(), mode: 0o644 });
        self
    }

    /// A regular file with a mode.
    pub fn file_mode(mut self, name: impl AsRef<[u8]>, data: impl AsRef<[u8]>, mode: u32) -> Self {
        self.items.push(Item::File { name: name.as_ref().to_vec(), data: data.as_ref().to_vec(), mode });
        self
    }

    /// A directory.
    pub fn dir(mut self, name: impl AsRef<[u8]>) -> Self {
        self.items.push(Item::Dir { name: name.as_ref().to_vec() });
        self
    }

    /// A symlink.
    pub fn symlink(mut self, name: impl AsRef<[u8]>, target: impl AsRef<[u8]>) -> Self {
        self.items.push(Item::Symlink { name: name.as_ref().to_vec(), target: target.as_ref().to_vec() });
        self
    }

    /// A hard link.
    pub fn hardlink(mut self, name: impl AsRef<[u8]>, target: impl AsRef<[u8]>) -> Self {
        self.items.push(Item::Hardlink { name: name.as_ref().to_vec(), target: target.as_ref().to_vec() });
        self
    }

    /// A whiteout deleting `path` (writes `dir/.wh.name`).
    pub fn whiteout(self, path: &str) -> Self {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let marker = if dir.is_empty() { format!(".wh.{name}") } else { format!("{dir}/.wh.{name}") };
        self.file(marker, b"")
    }

    /// An opaque marker for `dir` (writes `dir/.wh..wh..opq`).
    pub fn opaque(self, dir: &str) -> Self {
        self.file(format!("{dir}/.wh..wh..opq"), b"")
    }

    /// Uses `tar` as the layer's bytes, as is (real layers from elsewhere).
    pub fn raw(mut self, tar: Vec<u8>) -> Self {
        self.raw = Some(tar);
        self
    }

    /// The uncompressed tar bytes.
    pub fn tar(&self) -> Vec<u8> {
        if let Some(r) = &self.raw {
            return r.clone();
        }
        let mut b = tar::Builder::new(Vec::new());
        for it in &self.items {
            let mut h = tar::Header::new_gnu();
            h.set_mtime(1_700_000_000);
            h.set_uid(0);
            h.set_gid(0);
            match it {
                Item::File { name, data, mode } => {
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_mode(*mode);
                    h.set_size(data.len() as u64);
                    append_raw(&mut b, &mut h, name, None, data);
                }
                Item::Dir { name } => {
                    h.set_entry_type(tar::EntryType::Directory);
                    h.set_mode(0o755);
                    h.set_size(0);
                    append_raw(&mut b, &mut h, name, None, &[]);
                }
                Item::Symlink { name, target } => {
                    h.set_entry_type(tar::EntryType::Symlink);
                    h.set_mode(0o777);
                    h.set_size(0);
                    append_raw(&mut b, &mut h, name, Some(target), &[]);
                }
                Item::Hardlink { name, target } => {
                    h.set_entry_type(tar::EntryType::Link);
                    h.set_mode(0o644);
                    h.set_size(0);
                    append_raw(&mut b, &mut h, name, Some(target), &[]);
                }
            }
        }
        b.into_inner().expect("in-memory tar")
    }
}

/// Appends an entry with raw (unvalidated) names, using GNU long-name records when needed.
fn append_raw(b: &mut tar::Builder<Vec<u8>>, h: &mut tar::Header, name: &[u8], link: Option<&[u8]>, data: &[u8]) {
    let long = |b: &mut tar::Builder<Vec<u8>>, kind: u8, value: &[u8]| {
        let mut lh = tar::Header::new_gnu();
        lh.as_gnu_mut().expect("gnu").name[..13].copy_from_slice(b"././@LongLink");
        lh.set_mode(0o644);
        lh.set_entry_type(tar::EntryType::new(kind));
        let mut v = value.to_vec();
        v.push(0);
        lh.set_size(v.len() as u64);
        lh.set_cksum();
        b.append(&lh, &v[..]).expect("append long name");
    };
    if name.len() > 99 {
        long(b, b'L', name);
    }
    if let Some(l) = link {
        if l.len() > 99 {
            long(b, b'K', l);
        }
    }
    {
        let gnu = h.as_gnu_mut().expect("gnu header");
        let n = name.len().min(99);
        gnu.name = [0; 100];
        gnu.name[..n].copy_from_slice(&name[..n]);
        if let Some(l) = link {
            let n = l.len().min(99);
            gnu.linkname = [0; 100];
            gnu.linkname[..n].copy_from_slice(&l[..n]);
        }
    }
    h.set_cksum();
    b.append(h, data).expect("append entry");
}

/// Compresses tar bytes.
pub fn compress(tar: &[u8], c: Compression) -> Vec<u8> {
    match c {
        Compression::None => tar.to_vec(),
        Compression::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(tar).expect("gzip");
            e.finish().expect("gzip")
        }
        Compression::Zstd => ruzstd::encoding::compress_to_vec(tar, ruzstd::encoding::CompressionLevel::Fastest),
    }
}

/// sha256 digest string of bytes.
pub fn digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

fn media_type(c: Compression) -> &'static str {
    match c {
        Compression::None => "application/vnd.oci.image.layer.v1.tar",
        Compression::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
        Compression::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
    }
}

/// A blob written into a layout.
#[derive(Clone, Debug)]
pub struct Blob {
    /// Digest.
    pub digest: String,
    /// Size.
    pub size: u64,
    /// Media type.
    pub media_type: String,
}

/// Builds one image.
pub struct ImageBuilder {
    layers: Vec<LayerBuilder>,
    compression: Compression,
    arch: String,
    env: Vec<String>,
    history: Vec<String>,
}

impl Default for ImageBuilder {
    fn default() -> Self {
        ImageBuilder { layers: Vec::new(), compression: Compression::Gzip, arch: "amd64".into(), env: Vec::new(), history: Vec::new() }
    }
}

impl ImageBuilder {
    /// A new image (gzip layers, amd64).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a layer built by `f`.
    pub fn layer(mut self, f: impl FnOnce(LayerBuilder) -> LayerBuilder) -> Self {
        self.layers.push(f(LayerBuilder::default()));
        self.history.push(format!("layer {}", self.layers.len() - 1));
        self
    }

    /// Sets layer compression.
    pub fn compression(mut self, c: Compression) -> Self {
        self.compression = c;
        self
    }

    /// Sets the architecture.
    pub fn arch(mut self, a: &str) -> Self {
        self.arch = a.to_owned();
        self
    }

    /// Adds an environment variable to the config.
    pub fn env(mut self, kv: &str) -> Self {
        self.env.push(kv.to_owned());
        self
    }

    fn config_json(&self, diff_ids: &[String]) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "architecture": self.arch, "os": "linux",
            "config": {"Env": self.env},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": self.history.iter().map(|h| json!({"created_by": h})).collect::<Vec<_>>(),
        }))
        .expect("json")
    }

    /// Writes blobs into `dir/blobs/sha256` and returns the manifest descriptor.
    pub fn write_blobs(&self, dir: &Path) -> Blob {
        let mut diff_ids = Vec::new();
        let mut layer_descs = Vec::new();
        for l in &self.layers {
            let tar = l.tar();
            diff_ids.push(digest(&tar));
            let blob = compress(&tar, self.compression);
            let d = write_blob(dir, &blob);
            layer_descs.push(json!({"mediaType": media_type(self.compression), "digest": d, "size": blob.len()}));
        }
        let config = self.config_json(&diff_ids);
        let cd = write_blob(dir, &config);
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": config.len()},
            "layers": layer_descs,
        }))
        .expect("json");
        let md = write_blob(dir, &manifest);
        Blob { digest: md, size: manifest.len() as u64, media_type: "application/vnd.oci.image.manifest.v1+json".into() }
    }

    /// Writes an OCI layout with this image tagged `tag`.
    pub fn write_oci_layout(&self, dir: &Path, tag: &str) -> Blob {
        let m = self.write_blobs(dir);
        write_index_json(dir, &[(m.clone(), Some(tag.to_owned()), None)]);
        m
    }

    /// Writes a docker-archive tarball (`classic`: `<id>/layer.tar` + `<id>.json`;
    /// otherwise the Docker 25+ layout with `blobs/sha256`).
    pub fn write_docker_archive(&self, path: &Path, tag: &str, classic: bool) {
        let mut b = tar::Builder::new(Vec::new());
        let add = |b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]| {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            b.append_data(&mut h, name, data).expect("append");
        };
        let mut diff_ids = Vec::new();
        let mut layer_paths = Vec::new();
        for l in &self.layers {
            let tar = l.tar();
            let d = digest(&tar);
            diff_ids.push(d.clone());
            let hexd = d.trim_start_matches("sha256:").to_owned();
            let p = if classic { format!("{hexd}/layer.tar") } else { format!("blobs/sha256/{hexd}") };
            add(&mut b, &p, &tar);
            layer_paths.push(p);
        }
        let config = self.config_json(&diff_ids);
        let ch = digest(&config).trim_start_matches("sha256:").to_owned();
        let cp = if classic { format!("{ch}.json") } else { format!("blobs/sha256/{ch}") };
        add(&mut b, &cp, &config);
        let manifest = serde_json::to_vec(&json!([{"Config": cp, "RepoTags": [tag], "Layers": layer_paths}])).expect("json");
        add(&mut b, "manifest.json", &manifest);
        fs::write(path, b.into_inner().expect("tar")).expect("write archive");
    }
}

/// Writes a blob; returns its digest.
pub fn write_blob(dir: &Path, bytes: &[u8]) -> String {
    let d = digest(bytes);
    let p = dir.join("blobs/sha256").join(d.trim_start_matches("sha256:"));
    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    fs::write(p, bytes).expect("write blob");
    d
}

/// Writes `oci-layout` and `index.json` listing descriptors with optional tags and
/// platforms (`"linux/amd64"`).
pub fn write_index_json(dir: &Path, entries: &[(Blob, Option<String>, Option<&str>)]) {
    fs::create_dir_all(dir).expect("mkdir");
    fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).expect("write");
    let manifests: Vec<_> = entries.iter().map(|(b, tag, plat)| descriptor(b, tag.as_deref(), *plat)).collect();
    let idx = json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests});
    fs::write(dir.join("index.json"), serde_json::to_vec(&idx).expect("json")).expect("write");
}

/// A descriptor JSON value.
pub fn descriptor(b: &Blob, tag: Option<&str>, plat: Option<&str>) -> serde_json::Value {
    let mut d = json!({"mediaType": b.media_type, "digest": b.digest, "size": b.size});
    if let Some(t) = tag {
        d["annotations"] = json!({"org.opencontainers.image.ref.name": t});
    }
    if let Some(p) = plat {
        let mut it = p.split('/');
        d["platform"] = json!({"os": it.next(), "architecture": it.next()});
        if let Some(v) = it.next() {
            d["platform"]["variant"] = json!(v);
        }
    }
    d
}

/// Writes an image index blob listing platform manifests; returns its descriptor.
pub fn write_index_blob(dir: &Path, entries: &[(Blob, &str)]) -> Blob {
    let manifests: Vec<_> = entries.iter().map(|(b, p)| descriptor(b, None, Some(p))).collect();
    let idx = serde_json::to_vec(&json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests})).expect("json");
    let d = write_blob(dir, &idx);
    Blob { digest: d, size: idx.len() as u64, media_type: "application/vnd.oci.image.index.v1+json".into() }
}

/// A detector that records every body it is handed and reports each file as a state
/// finding (`Misconfiguration` with `id = "probe"`, message = body as lossy UTF-8), so
/// tests see exactly what survives the merge. Files whose name starts with `secret` are
/// also reported as content findings (`Secret`).
#[derive(Clone, Default)]
pub struct Probe {
    /// Every (path, body length, truncated) handed over, across layers.
    pub seen: Arc<Mutex<Vec<(String, usize, bool)>>>,
    /// Optional cap.
    pub max_bytes: Option<u64>,
    /// Panic on files named `panic`.
    pub panic_on_name: bool,
    /// Ask for text files only ([`Interest::text_only`]).
    pub text_only: bool,
}

impl Detector for Probe {
    fn id(&self) -> &'static str {
        "test/probe"
    }
    fn group(&self) -> &'static str {
        "config"
    }
    fn interest(&self) -> Interest {
        let i = Interest::any_file();
        let i = if self.text_only { i.text_only() } else { i };
        match self.max_bytes {
            Some(n) => i.max_bytes(n),
            None => i,
        }
    }
    fn start(&self) -> Box<dyn DetectorRun + '_> {
        Box::new(ProbeRun(self))
    }
}

struct ProbeRun<'a>(&'a Probe);

impl DetectorRun for ProbeRun<'_> {
    fn file(&mut self, file: &FileRef<'_>, data: &[u8], out: &mut Output) {
        let path = file.path_string();
        if self.0.panic_on_name && file.path().file_name() == b"panic" {
            panic!("probe asked to panic");
        }
        self.0.seen.lock().expect("lock").push((path.clone(), data.len(), file.truncated()));
        out.push(Misconfiguration {
            id: "probe".into(),
            category: "probe".into(),
            title: path.clone(),
            message: String::from_utf8_lossy(data).into_owned(),
            origin: Origin::file(path.clone()),
            ..Default::default()
        });
        if file.path().file_name().starts_with(b"secret") {
            out.push(Secret {
                rule_id: "probe-secret".into(),
                category: "probe".into(),
                title: "probe".into(),
                severity: Severity::High,
                redacted: "***".into(),
                origin: Origin::file(path),
                ..Default::default()
            });
        }
    }
}

/// An analyzer that reports every visible entry of the merged filesystem as a
/// `Misconfiguration` with `id = "tree"`, `title` = path, `message` = kind,
/// `category` = the layer index and `resolution` = the resolved target of a symlink.
pub struct TreeLister;

impl Analyzer for TreeLister {
    fn id(&self) -> &'static str {
        "test/tree"
    }
    fn group(&self) -> &'static str {
        "config"
    }
    fn analyze(&self, inv: &Inventory<'_>, out: &mut Output) {
        for (p, (m, l)) in inv.files {
            let kind = match m.kind {
                EntryKind::File => "file",
                EntryKind::Dir => "dir",
                EntryKind::Symlink => "symlink",
                EntryKind::Hardlink => "hardlink",
                EntryKind::Other => "other",
            };
            let resolution = if m.kind == EntryKind::Symlink {
                match strata_core::merge::resolve(inv.files, p, 40) {
                    Ok(t) => t.to_string_lossy(),
                    Err(e) => format!("{e:?}"),
                }
            } else {
                String::new()
            };
            out.push(Misconfiguration {
                id: "tree".into(),
                category: l.to_string(),
                title: p.to_string_lossy(),
                message: kind.into(),
                resolution,
                ..Default::default()
            });
        }
    }
}
