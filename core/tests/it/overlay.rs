//! Whiteouts, opaque directories, replacement, links: the merged view.

use strata_testkit::{Compression, ImageBuilder};

use crate::common::{codes, contents, scan, tree};

#[test]
fn whiteouts_and_opaque_dirs() {
    let dir = tempfile::tempdir().unwrap();
    ImageBuilder::new()
        .layer(|l| {
            l.dir("etc").file("etc/a", "a0").file("etc/b", "b0").dir("app").file("app/conf/x", "x").file("app/conf/y", "y").file("keep", "k")
        })
        .layer(|l| {
            // The opaque marker comes after the layer's own entries: it applies first
            // regardless, hiding only lower contents.
            l.file("app/conf/z", "z").opaque("app/conf").whiteout("etc/a").file("etc/b", "b1")
        })
        .layer(|l| l.whiteout("keep").file("etc/a", "a2"))
        .write_oci_layout(dir.path(), "latest");
    let r = scan(&format!("oci:{}", dir.path().display()));
    let c = contents(&r);
    assert_eq!(c.get("/etc/a").map(String::as_str), Some("a2"));
    assert_eq!(c.get("/etc/b").map(String::as_str), Some("b1"));
    assert_eq!(c.get("/app/conf/z").map(String::as_str), Some("z"));
    assert!(!c.contains_key("/app/conf/x") && !c.contains_key("/app/conf/y"), "{c:?}");
    assert!(!c.contains_key("/keep"));
    let t = tree(&r);
    assert_eq!(t.get("/etc/a"), Some(&("file".to_owned(), 2)));
    assert_eq!(t.get("/etc/b"), Some(&("file".to_owned(), 1)));
    assert!(t.keys().all(|p| !p.contains(".wh.")), "no whiteout marker is visible: {t:?}");
    let files = r.files.as_ref().unwrap();
    assert_eq!(files.count, 3); // /etc/a /etc/b /app/conf/z
    assert_eq!(files.layers[0].whiteouts, 0);
    assert_eq!(files.layers[1].whiteouts, 2);
}

#[test]
fn file_replacing_directory_and_directory_replacing_file() {
    let dir = tempfile::tempdir().unwrap();
    ImageBuilder::new()
        .layer(|l| l.dir("d").file("d/inner", "i").file("f", "file"))
        .layer(|l| l.file("d", "now a file").dir("f").file("f/child", "c"))
        .write_oci_layout(dir.path(), "latest");
    let r = scan(&format!("oci:{}", dir.path().display()));
    let t = tree(&r);
    assert_eq!(t.get("/d").map(|x| x.0.as_str()), Some("file"));
    assert!(!t.contains_key("/d/inner"));
    assert_eq!(t.get("/f").map(|x| x.0.as_str()), Some("dir"));
    assert!(t.contains_key("/f/child"));
}

#[test]
fn whiteout_does_not_hide_its_own_layer_and_sibling_prefixes_survive() {
    let dir = tempfile::tempdir().unwrap();
    ImageBuilder::new()
        .layer(|l| l.file("a/x", "1").file("a-b/y", "2").file("ab", "3"))
        .layer(|l| l.file("a/new", "4").whiteout("a"))
        .write_oci_layout(dir.path(), "latest");
    let r = scan(&format!("oci:{}", dir.path().display()));
    let c = contents(&r);
    assert!(c.contains_key("/a/new"), "a whiteout never hides its own layer: {c:?}");
    assert!(!c.contains_key("/a/x"));
    assert!(c.contains_key("/a-b/y") && c.contains_key("/ab"), "{c:?}");
}

#[test]
fn removed_content_is_reported_with_the_layer_that_removed_it() {
    let dir = tempfile::tempdir().unwrap();
    ImageBuilder::new()
        .layer(|l| l.file("app/secret.env", "k=v").file("app/secret2", "s"))
        .layer(|l| l.file("other", "o"))
        .layer(|l| l.whiteout("app/secret.env").file("app/secret2", "overwritten"))
        .write_oci_layout(dir.path(), "latest");
    let r = scan(&format!("oci:{}", dir.path().display()));
    let mut s: Vec<_> = r.secrets.iter().map(|s| (s.origin.path.clone(), s.origin.layer_index, s.origin.removed_in_layer)).collect();
    s.sort();
    assert_eq!(
        s,
        vec![
            ("/app/secret.env".to_owned(), Some(0), Some(2)),
            ("/app/secret2".to_owned(), Some(0), Some(2)),
            ("/app/secret2".to_owned(), Some(2), None),
        ]
    );
    // State findings of the deleted file are gone.
    assert!(!contents(&r).contains_key("/app/secret.env"));
}

#[test]
fn symlinks_resolve_inside_the_root_and_problems_are_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    ImageBuilder::new()
        .layer(|l| {
            l.file("etc/passwd", "root")
                .symlink("ok", "etc/passwd")
                .symlink("abs", "/etc/passwd")
                .symlink("escape", "../../../../etc/shadow")
                .symlink("loop1", "loop2")
                .symlink("loop2", "loop1")
                .hardlink("hl", "etc/passwd")
                .hardlink("hl-missing", "nowhere")
        })
        .write_oci_layout(dir.path(), "latest");
    let r = scan(&format!("oci:{}", dir.path().display()));
    let c = codes(&r);
    assert_eq!(c.iter().filter(|x| *x == "symlink-escapes-root").count(), 1, "{c:?}");
    assert_eq!(c.iter().filter(|x| *x == "symlink-loop").count(), 2, "{c:?}");
    assert_eq!(c.iter().filter(|x| *x == "hardlink-missing-target").count(), 1, "{c:?}");
    let t = tree(&r);
    assert_eq!(t.get("/ok").map(|x| x.0.as_str()), Some("symlink"));
    assert_eq!(t.get("/hl").map(|x| x.0.as_str()), Some("hardlink"));
}

#[test]
fn zstd_gzip_and_plain_layers_give_the_same_view() {
    let mut views = Vec::new();
    for c in [Compression::None, Compression::Gzip, Compression::Zstd] {
        let dir = tempfile::tempdir().unwrap();
        ImageBuilder::new()
            .compression(c)
            .layer(|l| l.file("a", "1").file("b/c", vec![7u8; 100_000]))
            .layer(|l| l.whiteout("a").file("d", "2"))
            .write_oci_layout(dir.path(), "latest");
        let r = scan(&format!("oci:{}", dir.path().display()));
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        views.push(tree(&r));
    }
    assert_eq!(views[0], views[1]);
    assert_eq!(views[0], views[2]);
    assert!(views[0].contains_key("/b/c") && !views[0].contains_key("/a"));
}
