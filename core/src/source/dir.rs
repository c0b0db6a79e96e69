//! An unpacked root filesystem (`dir:PATH`, this machine's `/` included). Never follows
//! symlinks; skips other mount points and, for `/`, the kernel's virtual trees.

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::detect::{EntryKind, FileMeta};
use crate::error::{LimitKind, Result, ScanError};
use crate::finding::Diagnostic;
use crate::image::{ImageInfo, LayerInfo};
use crate::layer::{EntryEvent, Layer, LayerStats, WalkContext};
use crate::path::ImagePath;

use super::{Resolved, ResolvedImage};

/// Virtual or volatile trees skipped when scanning a live root.
const LIVE_SKIP: &[&str] = &["/proc", "/sys", "/dev", "/run"];

/// A directory tree as a single layer.
#[derive(Debug)]
pub struct DirLayer {
    root: PathBuf,
    info: LayerInfo,
}

impl DirLayer {
    /// A layer over `root`.
    pub fn new(root: PathBuf) -> Self {
        let info = LayerInfo {
            index: 0,
            digest: format!("dir:{}", root.display()),
            diff_id: format!("dir:{}", root.display()),
            ..Default::default()
        };
        DirLayer { root, info }
    }
}

pub(crate) fn open(path: &Path) -> Result<Resolved> {
    let meta = fs::metadata(path).map_err(|e| ScanError::io(format!("directory {}", path.display()), e))?;
    if !meta.is_dir() {
        return Err(ScanError::Target { target: path.display().to_string(), reason: "not a directory".into() });
    }
    let root = fs::canonicalize(path).map_err(|e| ScanError::io(path.display().to_string(), e))?;
    let layer = DirLayer::new(root);
    let info = ImageInfo { layers: vec![layer.info.clone()], ..Default::default() };
    Ok(Resolved {
        images: vec![ResolvedImage { info, layers: vec![Arc::new(layer) as Arc<dyn Layer>], is_dir: true }],
        is_index: false,
        index_digest: None,
        diagnostics: Vec::new(),
        _spool: None,
    })
}

fn kind_of(ft: &fs::FileType) -> EntryKind {
    if ft.is_file() {
        EntryKind::File
    } else if ft.is_dir() {
        EntryKind::Dir
    } else if ft.is_symlink() {
        EntryKind::Symlink
    } else {
        EntryKind::Other
    }
}

impl Layer for DirLayer {
    fn info(&self) -> &LayerInfo {
        &self.info
    }

    fn cache_key(&self) -> Option<String> {
        None
    }

    fn walk(
        &self,
        cx: &mut WalkContext<'_>,
        visit: &mut dyn FnMut(EntryEvent<'_>) -> Result<()>,
    ) -> Result<LayerStats> {
        let root_dev = fs::metadata(&self.root).map_err(|e| ScanError::io(self.root.display().to_string(), e))?.dev();
        let live_root = self.root == Path::new("/");
        let mut stats = LayerStats::default();
        // Iterative DFS: deep trees never grow the call stack.
        let mut stack: Vec<(PathBuf, ImagePath)> = vec![(self.root.clone(), ImagePath::root())];
        let diag = |cx: &mut WalkContext<'_>, code: &str, msg: String, p: &ImagePath| {
            cx.diagnostics.push(Diagnostic::warning(code, msg).with_path(p.to_string_lossy()));
        };
        while let Some((dir, ipath)) = stack.pop() {
            cx.cancel.check()?;
            let rd = match fs::read_dir(&dir) {
                Ok(rd) => rd,
                Err(e) => {
                    diag(cx, "dir-unreadable", format!("cannot read directory: {e}"), &ipath);
                    continue;
                }
            };
            let mut names: Vec<fs::DirEntry> = rd.filter_map(|e| e.ok()).collect();
            names.sort_by_key(|e| e.file_name());
            for ent in names {
                let name = ent.file_name();
                let child = ipath.join_clamped(name.as_bytes());
                let full = ent.path();
                if live_root && LIVE_SKIP.iter().any(|s| child.as_bytes() == s.as_bytes()) {
                    continue;
                }
                let md = match fs::symlink_metadata(&full) {
                    Ok(m) => m,
                    Err(e) => {
                        diag(cx, "file-unreadable", format!("cannot stat: {e}"), &child);
                        continue;
                    }
                };
                stats.entries += 1;
                if stats.entries > cx.limits.max_dir_entries {
                    return Err(ScanError::Limit {
                        kind: LimitKind::Entries,
                        detail: format!(
                            "{} has more than {} entries (max_dir_entries)",
                            self.root.display(),
                            cx.limits.max_dir_entries
                        ),
                    });
                }
                if child.depth() > cx.limits.max_path_depth {
                    diag(cx, "path-too-deep", format!("deeper than {} components; skipped", cx.limits.max_path_depth), &child);
                    continue;
                }
                let kind = kind_of(&md.file_type());
                if kind == EntryKind::Dir && md.dev() != root_dev {
                    cx.diagnostics.push(
                        Diagnostic::info("mount-point-skipped", "another filesystem is mounted here; skipped")
                            .with_path(child.to_string_lossy()),
                    );
                    continue;
                }
                let link = if kind == EntryKind::Symlink {
                    fs::read_link(&full).ok().map(|t| t.as_os_str().as_bytes().to_vec())
                } else {
                    None
                };
                let meta = FileMeta {
                    kind,
                    mode: md.mode(),
                    uid: u64::from(md.uid()),
                    gid: u64::from(md.gid()),
                    size: if kind == EntryKind::File { md.len() } else { 0 },
                    mtime: md.mtime().max(0) as u64,
                    link,
                };
                if kind == EntryKind::File {
                    match fs::File::open(&full) {
                        Ok(mut f) => {
                            stats.bytes_uncompressed += meta.size;
                            visit(EntryEvent::Entry { path: child, meta, body: &mut f })?;
                        }
                        Err(e) => {
                            diag(cx, "file-unreadable", format!("cannot open: {e}"), &child);
                            // Still record the entry (metadata only).
                            visit(EntryEvent::Entry { path: child, meta, body: &mut std::io::empty() })?;
                        }
                    }
                } else {
                    if kind == EntryKind::Dir {
                        stack.push((full, child.clone()));
                    }
                    visit(EntryEvent::Entry { path: child, meta, body: &mut std::io::empty() })?;
                }
            }
        }
        Ok(stats)
    }
}
