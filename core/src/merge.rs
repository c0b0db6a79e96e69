//! Merging per-layer results bottom-up with whiteout semantics.
//!
//! Rules (OCI image spec, "Representing Changes"): in each layer, opaque markers apply
//! first (hiding lower contents of the directory, never the layer's own), then whiteouts
//! (deleting a lower path and everything below it), then the layer's entries in tar order
//! (a later entry for the same path wins; a non-directory replacing a directory removes its
//! subtree; a path under a lower non-directory replaces it).
//!
//! Findings of state kind (packages, OS, settings) survive only when their file is the
//! visible one; content findings (secrets, malware) always survive, marked
//! `removed_in_layer` when a later layer deleted or replaced their file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;

use crate::detect::{EntryKind, FileMeta};
use crate::engine::LayerResult;
use crate::finding::{Diagnostic, Finding, Persistence};
use crate::image::LayerInfo;
use crate::path::ImagePath;

/// The merged filesystem: path to (metadata, index of the layer that wrote it).
pub type Tree = BTreeMap<ImagePath, (FileMeta, u32)>;

pub(crate) struct Merged {
    pub(crate) tree: Tree,
    pub(crate) findings: Vec<Finding>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Removes `dir`'s descendants (not `dir` itself), only those written by layers below
/// `below` when given. Keys with the byte prefix `dir` are contiguous in the map; those
/// with the prefix `dir/` are the descendants.
fn remove_children(tree: &mut Tree, dir: &ImagePath, below: Option<u32>) {
    let keep = |l: u32| below.is_some_and(|b| l >= b);
    let keys: Vec<ImagePath> = if dir.is_root() {
        tree.iter().filter(|(k, (_, l))| !k.is_root() && !keep(*l)).map(|(k, _)| k.clone()).collect()
    } else {
        let mut prefix = dir.as_bytes().to_vec();
        prefix.push(b'/');
        tree.range((Bound::Included(dir.clone()), Bound::Unbounded))
            .take_while(|(k, _)| k.as_bytes().starts_with(dir.as_bytes()))
            .filter(|(k, (_, l))| k.as_bytes().starts_with(&prefix) && !keep(*l))
            .map(|(k, _)| k.clone())
            .collect()
    };
    for k in keys {
        tree.remove(&k);
    }
}

pub(crate) fn merge(layers: &[LayerInfo], results: &mut [LayerResult]) -> Merged {
    let mut tree: Tree = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for (i, r) in results.iter().enumerate() {
        let i = i as u32;
        for dir in &r.opaques {
            remove_children(&mut tree, dir, Some(i));
        }
        for wh in &r.whiteouts {
            if tree.get(wh).is_some_and(|(_, l)| *l < i) {
                tree.remove(wh);
            }
            remove_children(&mut tree, wh, Some(i));
        }
        for (p, meta) in &r.entries {
            if let Some((old, _)) = tree.get(p) {
                if old.kind == EntryKind::Dir && meta.kind != EntryKind::Dir {
                    remove_children(&mut tree, p, None);
                }
            }
            if i > 0 {
                let mut anc = p.parent();
                while let Some(a) = anc {
                    if a.is_root() {
                        break;
                    }
                    if let Some((m, _)) = tree.get(&a) {
                        if m.kind == EntryKind::File || m.kind == EntryKind::Other || m.kind == EntryKind::Hardlink {
                            tree.remove(&a);
                        }
                        break;
                    }
                    anc = a.parent();
                }
            }
            tree.insert(p.clone(), (meta.clone(), i));
        }
    }

    let taken: Vec<(Vec<Finding>, Vec<Diagnostic>)> = results
        .iter_mut()
        .map(|r| (std::mem::take(&mut r.findings), std::mem::take(&mut r.diagnostics)))
        .collect();
    // Per-layer sets for "who removed this file".
    let touched: Vec<(HashSet<&ImagePath>, &[ImagePath], &[ImagePath])> = results
        .iter()
        .map(|r| (r.entries.iter().map(|(p, _)| p).collect(), &r.whiteouts[..], &r.opaques[..]))
        .collect();
    let removed_by = |from: usize, p: &ImagePath| -> Option<u32> {
        for (j, (entries, whs, opqs)) in touched.iter().enumerate().skip(from + 1) {
            if entries.contains(p)
                || whs.iter().any(|w| p.starts_with(w))
                || opqs.iter().any(|o| p != o && p.starts_with(o))
            {
                return Some(j as u32);
            }
            let mut anc = p.parent();
            while let Some(a) = anc {
                if a.is_root() {
                    break;
                }
                if let Some((m, _)) = entries.get(&a).and(tree.get(&a)) {
                    if m.kind != EntryKind::Dir {
                        return Some(j as u32);
                    }
                }
                anc = a.parent();
            }
        }
        None
    };

    let mut findings = Vec::new();
    // (db path, name, version, arch) -> layers where the package was listed.
    let mut pkg_layers: HashMap<(String, String, String, Option<String>), Vec<u32>> = HashMap::new();
    let mut db_layers: HashMap<String, Vec<u32>> = HashMap::new();
    for (i, (layer_findings, mut layer_diags)) in taken.into_iter().enumerate() {
        let info = &layers[i];
        let layer_id = if info.diff_id.is_empty() { info.digest.clone() } else { info.diff_id.clone() };
        for d in &mut layer_diags {
            d.layer_index = Some(i as u32);
            d.layer = Some(layer_id.clone());
        }
        diagnostics.append(&mut layer_diags);
        let mut seen_db = HashSet::new();
        for mut f in layer_findings {
            {
                let o = f.origin_mut();
                o.layer = Some(layer_id.clone());
                o.layer_index = Some(i as u32);
            }
            let file = ImagePath::normalize(f.origin().file_path().as_bytes()).ok();
            if let Finding::Package(p) = &f {
                let key = (p.origin.path.clone(), p.name.clone(), p.version.clone(), p.arch.clone());
                pkg_layers.entry(key).or_default().push(i as u32);
                if seen_db.insert(p.origin.path.clone()) {
                    db_layers.entry(p.origin.path.clone()).or_default().push(i as u32);
                }
            }
            let visible = match &file {
                Some(fp) => match tree.get(fp) {
                    Some((_, l)) => *l == i as u32,
                    None => removed_by(i, fp).is_none(),
                },
                None => true,
            };
            match (f.persistence(), visible) {
                (_, true) => findings.push(f),
                (Persistence::State, false) => {}
                (Persistence::Content, false) => {
                    f.origin_mut().removed_in_layer = file.as_ref().and_then(|fp| removed_by(i, fp));
                    findings.push(f);
                }
            }
        }
    }
    // A package listed in the same database in consecutive lower layers was installed by the
    // lowest of them.
    for f in &mut findings {
        if let Finding::Package(p) = f {
            let Some(cur) = p.origin.layer_index else { continue };
            let key = (p.origin.path.clone(), p.name.clone(), p.version.clone(), p.arch.clone());
            let (Some(has), Some(dbs)) = (pkg_layers.get(&key), db_layers.get(&p.origin.path)) else { continue };
            let mut first = cur;
            for &l in dbs.iter().rev().filter(|&&l| l < cur) {
                if has.contains(&l) {
                    first = l;
                } else {
                    break;
                }
            }
            if first != cur {
                p.origin.layer_index = Some(first);
                let info = &layers[first as usize];
                p.origin.layer = Some(if info.diff_id.is_empty() { info.digest.clone() } else { info.diff_id.clone() });
            }
        }
    }
    Merged { tree, findings, diagnostics }
}

/// Why a link could not be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    /// A relative target climbs above the image root.
    EscapesRoot,
    /// More hops than allowed (a loop).
    Loop,
}

/// Resolves `path` in the merged tree, following symlinks in every component, inside the
/// image root only. Returns the final path (which may not exist).
pub fn resolve(tree: &Tree, path: &ImagePath, max_hops: u32) -> Result<ImagePath, LinkProblem> {
    let mut hops = 0;
    let mut current = ImagePath::root();
    let mut rest: Vec<Vec<u8>> =
        path.as_bytes().split(|&b| b == b'/').filter(|c| !c.is_empty()).map(<[u8]>::to_vec).rev().collect();
    while let Some(comp) = rest.pop() {
        let next = current.join_clamped(&comp);
        match tree.get(&next) {
            Some((m, _)) if m.kind == EntryKind::Symlink => {
                hops += 1;
                if hops > max_hops {
                    return Err(LinkProblem::Loop);
                }
                let target = m.link.clone().unwrap_or_default();
                if target.first() == Some(&b'/') {
                    current = ImagePath::root();
                } else {
                    // Check for an escape: resolving the raw target from `current`.
                    let mut joined = current.as_bytes().to_vec();
                    joined.push(b'/');
                    joined.extend_from_slice(&target);
                    if ImagePath::normalize(&joined).is_err() {
                        return Err(LinkProblem::EscapesRoot);
                    }
                }
                for c in target.split(|&b| b == b'/').filter(|c| !c.is_empty()).rev() {
                    rest.push(c.to_vec());
                }
            }
            _ => current = next,
        }
    }
    Ok(current)
}

/// Diagnostics for symlinks that escape the root or loop, and hard links to missing targets.
pub(crate) fn link_diagnostics(tree: &Tree, max_hops: u32, layers: &[LayerInfo]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (p, (m, l)) in tree {
        let problem = match m.kind {
            EntryKind::Symlink => match resolve(tree, p, max_hops) {
                Err(LinkProblem::EscapesRoot) => Some((
                    "symlink-escapes-root",
                    format!(
                        "symlink to {:?} points outside the image root; resolved inside the root only",
                        String::from_utf8_lossy(m.link.as_deref().unwrap_or_default())
                    ),
                )),
                Err(LinkProblem::Loop) => Some(("symlink-loop", format!("symlink loop (more than {max_hops} hops)"))),
                Ok(_) => None,
            },
            EntryKind::Hardlink => {
                let target = m.link.as_deref().and_then(|t| ImagePath::normalize(t).ok());
                match target {
                    Some(t) if tree.contains_key(&t) => None,
                    _ => Some((
                        "hardlink-missing-target",
                        format!(
                            "hard link to {:?}, which is not in the image",
                            String::from_utf8_lossy(m.link.as_deref().unwrap_or_default())
                        ),
                    )),
                }
            }
            _ => None,
        };
        if let Some((code, msg)) = problem {
            let mut d = Diagnostic::warning(code, msg).with_path(p.to_string_lossy());
            d.layer_index = Some(*l);
            d.layer = layers.get(*l as usize).map(|i| i.diff_id.clone());
            out.push(d);
        }
    }
    out
}

/// One layer's changes, for [`merge_trees`].
#[derive(Clone, Debug, Default)]
pub struct LayerChanges {
    /// Entries in tar order.
    pub entries: Vec<(ImagePath, FileMeta)>,
    /// Whiteout targets.
    pub whiteouts: Vec<ImagePath>,
    /// Opaque directories.
    pub opaques: Vec<ImagePath>,
}

/// Merges layer changes bottom-up (the same rules as a scan) and returns the tree.
pub fn merge_trees(layers: Vec<LayerChanges>) -> Tree {
    let infos: Vec<LayerInfo> =
        (0..layers.len()).map(|i| LayerInfo { index: i as u32, ..Default::default() }).collect();
    let mut results: Vec<LayerResult> = layers
        .into_iter()
        .map(|l| LayerResult { entries: l.entries, whiteouts: l.whiteouts, opaques: l.opaques, ..Default::default() })
        .collect();
    merge(&infos, &mut results).tree
}
