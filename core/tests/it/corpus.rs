//! Real images written by others (../shared/corpus/images), with the peers' expectations.

use std::path::PathBuf;

use crate::common::{contents, links, scan, tree};

fn corpus(p: &str) -> PathBuf {
    PathBuf::from(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("testdata/corpus").join(p)
}

#[test]
fn trivy_alpine_docker_archive_gzipped() {
    // aquasecurity/trivy pkg/fanal/test/testdata/alpine-310.tar.gz (Apache-2.0).
    let r = scan(&corpus("trivy-alpine-3.10.tar.gz").display().to_string());
    assert_eq!(r.image.repo_tags, vec!["alpine:3.10".to_owned()]);
    assert_eq!(r.image.layers.len(), 1);
    assert_eq!(contents(&r).get("/etc/alpine-release").map(|s| s.trim()), Some("3.10.4"));
}

#[test]
fn trivy_oci_layouts_open_and_select_by_tag() {
    // aquasecurity/trivy pkg/fanal/test/testdata/test.oci and test_image_tag.oci.
    let r = scan(&format!("oci:{}", corpus("trivy-test-oci").display()));
    assert_eq!(r.image.layers.len(), 1);
    let r = scan(&format!("oci:{}:0.0.1", corpus("trivy-test-image-tag-oci").display()));
    assert_eq!(r.image.layers.len(), 1);
    let e = strata_core::Engine::builder().build().unwrap();
    let err = e
        .scan(&format!("oci:{}:0.0.0", corpus("trivy-test-image-tag-oci").display()), &Default::default())
        .unwrap_err();
    assert!(err.to_string().contains("0.0.0"), "{err}");
}

#[derive(serde::Deserialize)]
struct Expected {
    cases: Vec<Case>,
}
#[derive(serde::Deserialize)]
struct Case {
    fixture: String,
    case: String,
    config: serde_json::Value,
    chain_layers: Vec<Chain>,
}
#[derive(serde::Deserialize)]
struct Chain {
    ignore: bool,
    files: Vec<ExpFile>,
}
#[derive(serde::Deserialize)]
struct ExpFile {
    path: String,
    content: Option<String>,
}

#[test]
fn scalibr_chain_layers_match() {
    // google/osv-scalibr artifact/image/layerscanning/image testdata (Apache-2.0): files
    // visible after each chain of layers, with contents; symlinks read through to their
    // targets. Only the DefaultConfig() cases apply to a full scan (the others test
    // scalibr's required-file filter).
    let exp: Expected =
        serde_json::from_slice(&std::fs::read(corpus("scalibr-expected.json")).unwrap()).unwrap();
    let mut checked = 0;
    for case in exp.cases.into_iter().filter(|c| c.config.as_str() == Some("DefaultConfig()")) {
        let name = case.fixture.rsplit('/').next().unwrap();
        let Some(last) = case.chain_layers.iter().rev().find(|c| !c.ignore) else { continue };
        let r = scan(&format!("docker-archive:{}", corpus(name).display()));
        let c = contents(&r);
        let t = tree(&r);
        let l = links(&r);
        for f in &last.files {
            let p = format!("/{}", f.path.trim_start_matches('/'));
            let kind = &t.get(&p).unwrap_or_else(|| panic!("{}: {p} should be visible; tree {t:?}", case.case)).0;
            let real = if kind == "symlink" { l[&p].clone() } else { p.clone() };
            match (&f.content, c.get(&real)) {
                (Some(want), Some(got)) if !want.is_empty() => assert_eq!(got, want, "{}: content of {p}", case.case),
                (Some(want), None) if !want.is_empty() => panic!("{}: {p} resolves to {real}, which has no content", case.case),
                _ => {}
            }
        }
        // Regular files: exactly the expected ones.
        let want: std::collections::BTreeSet<String> = last
            .files
            .iter()
            .map(|f| format!("/{}", f.path.trim_start_matches('/')))
            .filter(|p| t.get(p).is_some_and(|(k, _)| k == "file"))
            .collect();
        let got: std::collections::BTreeSet<String> =
            t.iter().filter(|(_, (k, _))| k == "file").map(|(p, _)| p.clone()).collect();
        assert_eq!(got, want, "{}", case.case);
        if name.contains("cycle") {
            assert!(r.diagnostics.iter().any(|d| d.code == "symlink-loop"), "{:?}", r.diagnostics);
        }
        checked += 1;
    }
    assert_eq!(checked, 4, "four DefaultConfig() cases");
}

#[test]
fn claircore_whiteout_layers() {
    // quay/claircore whiteout/testdata (Apache-2.0): the opaque marker is one whiteout, a file
    // merely containing ".wh..wh..opq" in its name is not.
    use strata_testkit::ImageBuilder;
    for (name, opaque_dir, deleted) in
        [("claircore-whiteout-opaque.tar", Some("/a"), None), ("claircore-whiteout.tar", None, Some("/etc/profile"))]
    {
        let raw = std::fs::read(corpus(name)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        // A lower layer under the real layer, so the whiteouts have something to act on.
        ImageBuilder::new()
            .layer(|l| l.file("a/old", "old").file("etc/profile", "p").file("b/keep", "k"))
            .layer(|l| l.raw(raw))
            .write_oci_layout(dir.path(), "x");
        let layout = dir.path();
        let r = scan(&format!("oci:{}", layout.display()));
        let t = tree(&r);
        if let Some(d) = opaque_dir {
            assert!(!t.contains_key(&format!("{d}/old")), "{name}: opaque dir hides lower files: {t:?}");
            assert!(t.keys().any(|k| k.starts_with("/b/not.a.wh")), "{name}: not a marker: {t:?}");
        }
        if let Some(p) = deleted {
            assert!(!t.contains_key(p), "{name}: {p} is deleted");
        }
        assert_eq!(r.files.as_ref().unwrap().layers[1].whiteouts, 1, "{name}");
    }
}
