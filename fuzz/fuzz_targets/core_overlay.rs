#![no_main]
//! The overlay merge: arbitrary layer sequences; no path hidden by a whiteout or an opaque
//! directory of a higher layer survives from a lower one.
use libfuzzer_sys::fuzz_target;
use strata_core::merge::{LayerChanges, merge_trees};
use strata_core::{EntryKind, FileMeta, ImagePath};

const NAMES: &[&str] = &["/a", "/a/b", "/a/b/c", "/a-b", "/d", "/d/e", "/a/x", "/"];

fuzz_target!(|data: &[u8]| {
    let mut layers: Vec<LayerChanges> = Vec::new();
    let mut cur = LayerChanges::default();
    for &b in data.iter().take(4096) {
        let p = ImagePath::normalize(NAMES[(b as usize >> 3) % NAMES.len()].as_bytes()).unwrap_or_else(|_| ImagePath::root());
        match b & 7 {
            0 => layers.push(std::mem::take(&mut cur)),
            1 => cur.whiteouts.push(p),
            2 => cur.opaques.push(p),
            k => {
                let kind = [EntryKind::File, EntryKind::Dir, EntryKind::Symlink, EntryKind::Hardlink, EntryKind::Dir][(k - 3) as usize];
                cur.entries.push((p, FileMeta { kind, mode: 0o644, uid: 0, gid: 0, size: 1, mtime: 0, link: None }));
            }
        }
    }
    layers.push(cur);
    let copy = layers.clone();
    let tree = merge_trees(layers);
    for (path, (_, layer)) in &tree {
        for (j, l) in copy.iter().enumerate().skip(*layer as usize + 1) {
            assert!(!l.whiteouts.iter().any(|w| path.starts_with(w) && !w.is_root() && !l.entries.iter().any(|(e, _)| e == path)),
                "{path:?} from layer {layer} survives a whiteout in layer {j}");
            assert!(!l.opaques.iter().any(|o| path != o && path.starts_with(o) && !l.entries.iter().any(|(e, _)| e == path)),
                "{path:?} from layer {layer} survives an opaque dir in layer {j}");
        }
    }
});
