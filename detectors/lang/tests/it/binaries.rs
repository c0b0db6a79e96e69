//! Go and Rust binaries.

use std::collections::BTreeSet;

use strata_core::Ecosystem;
use strata_detect_lang::parsers::{elf, gobuildinfo};

use crate::{detector, expected, read, run, strings};

#[test]
fn go_elf_matches_trivy() {
    let exp = expected("go/trivy/expected-binary.json");
    let case = &exp["cases"][0];
    let bin = read("go/trivy/test.elf");
    let (pkgs, diags) = run(
        &*detector("lang/go-binary"),
        &[("/usr/local/bin/test", &bin)],
    );
    assert!(diags.is_empty(), "{diags:?}");
    let got: BTreeSet<(String, String, Option<bool>, bool)> = pkgs
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.version.clone(),
                p.direct,
                p.properties.get("relationship").map(String::as_str) == Some("root"),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, Option<bool>, bool)> = case["wantPkgs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let rel = p["relationship"].as_str();
            (
                p["name"].as_str().unwrap().to_owned(),
                p["version"].as_str().unwrap().to_owned(),
                (rel == Some("RelationshipDirect")).then_some(true),
                rel == Some("RelationshipRoot"),
            )
        })
        .collect();
    assert_eq!(got, want);
    for p in &pkgs {
        assert_eq!(p.ecosystem, Ecosystem::Golang);
        assert_eq!(p.origin.path, "/usr/local/bin/test");
        assert_eq!(p.detector, "lang/go-binary");
        assert_eq!(p.evidence.as_deref(), Some("go-buildinfo"));
        assert_eq!(
            p.properties.get("go_version").map(String::as_str),
            Some("go1.15.2")
        );
    }
    let stdlib = pkgs.iter().find(|p| p.name == "stdlib").unwrap();
    assert_eq!(stdlib.purl.as_deref(), Some("pkg:golang/stdlib@v1.15.2"));
    let x = pkgs
        .iter()
        .find(|p| p.name == "golang.org/x/xerrors")
        .unwrap();
    assert_eq!(
        x.purl.as_deref(),
        Some("pkg:golang/golang.org/x/xerrors@v0.0.0-20200804184101-5ec99f83aff1")
    );
}

#[test]
fn go_elf_old_format_parses_directly() {
    let info = gobuildinfo::read(&read("go/trivy/test.elf"))
        .unwrap()
        .unwrap();
    assert_eq!(info.go_version, "go1.15.2");
    assert_eq!(info.path, "github.com/aquasecurity/test");
    assert_eq!(info.main.as_ref().unwrap().version, "(devel)");
    assert_eq!(info.deps.len(), 3);
}

const MODINFO: &str = "path\texample.com/cmd/app\nmod\texample.com\t(devel)\t\ndep\tgithub.com/a/b\tv1.2.3\th1:abc=\ndep\tgithub.com/old/x\tv0.1.0\th1:x=\n=>\tgithub.com/new/x\tv0.2.0\th1:y=\nbuild\t-ldflags=\"-s -w -X main.version=1.4.2\"\nbuild\tGOOS=linux\n";

#[test]
fn go_inline_format_in_built_elf_with_replacement_and_ldflags_version() {
    let blob = gobuildinfo::build_inline("go1.21.3 X:boringcrypto", MODINFO);
    let bin = elf::build_elf64(&[
        (".text", 0x401000, b"\x90\x90\x90\x90"),
        (".go.buildinfo", 0x500000, &blob),
    ]);
    let (pkgs, diags) = run(&*detector("lang/go-binary"), &[("/app/server", &bin)]);
    assert!(diags.is_empty(), "{diags:?}");
    let names: Vec<(&str, &str)> = pkgs
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("stdlib", "v1.21.3"),
            ("github.com/a/b", "v1.2.3"),
            ("github.com/new/x", "v0.2.0"),
            ("example.com", "1.4.2")
        ]
    );
    let repl = &pkgs[2];
    assert_eq!(
        repl.properties.get("replaces").map(String::as_str),
        Some("github.com/old/x v0.1.0")
    );
    assert_eq!(
        pkgs[3].properties.get("relationship").map(String::as_str),
        Some("root")
    );
    assert_eq!(pkgs[0].purl.as_deref(), Some("pkg:golang/stdlib@v1.21.3"));
}

#[test]
fn go_inline_format_found_by_magic_scan_without_elf() {
    // A PE/Mach-O stand-in: no ELF header; the 16-byte aligned header is found by scanning.
    let mut data = vec![0u8; 4096];
    data[100..114].copy_from_slice(gobuildinfo::MAGIC); // unaligned literal: ignored
    data.extend_from_slice(&gobuildinfo::build_inline("go1.22.0", MODINFO));
    let info = gobuildinfo::read(&data).unwrap().unwrap();
    assert_eq!(info.go_version, "go1.22.0");
    assert_eq!(
        info.deps[1].replace.as_ref().unwrap().path,
        "github.com/new/x"
    );
    assert_eq!(info.settings[1], ("GOOS".to_owned(), "linux".to_owned()));
}

#[test]
fn non_go_executables_give_nothing() {
    let bin = elf::build_elf64(&[(".text", 0x401000, b"\x90\x90")]);
    for body in [&bin[..], b"#!/bin/sh\necho hi\n"] {
        let (pkgs, diags) = run(&*detector("lang/go-binary"), &[("/bin/x", body)]);
        assert!(pkgs.is_empty() && diags.is_empty());
        let (pkgs, diags) = run(&*detector("lang/rust-binary"), &[("/bin/x", body)]);
        assert!(pkgs.is_empty() && diags.is_empty());
    }
}

#[test]
fn rust_auditable_elf_matches_trivy() {
    let exp = expected("rust/trivy/expected-binary.json");
    let bin = read("rust/trivy/test.elf");
    let (pkgs, diags) = run(&*detector("lang/rust-binary"), &[("/usr/bin/app", &bin)]);
    assert!(diags.is_empty(), "{diags:?}");
    let got: BTreeSet<(String, String, bool)> = pkgs
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.version.clone(),
                p.properties.contains_key("relationship"),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, bool)> = exp["cases"][0]["want"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["version"].as_str().unwrap().to_owned(),
                p["relationship"].as_str() == Some("RelationshipRoot"),
            )
        })
        .collect();
    assert_eq!(got, want);
    let lib = pkgs.iter().find(|p| p.name == "library_crate").unwrap();
    assert_eq!(lib.purl.as_deref(), Some("pkg:cargo/library_crate@0.1.0"));
    assert_eq!(lib.ecosystem, Ecosystem::Cargo);
    assert_eq!(lib.evidence.as_deref(), Some("cargo-auditable"));
    assert_eq!(lib.origin.path, "/usr/bin/app");
    let _ = strings(None);
}

pub(crate) fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn rust_build_dependencies_are_left_out() {
    let json = br#"{"packages":[{"name":"app","version":"0.3.0","source":"local","root":true,"dependencies":[1,2]},
        {"name":"serde","version":"1.0.1","source":"crates.io"},
        {"name":"cc","version":"1.0.0","source":"crates.io","kind":"build"}]}"#;
    let bin = elf::build_elf64(&[(".dep-v0", 0, &zlib(json))]);
    let (pkgs, diags) = run(&*detector("lang/rust-binary"), &[("/usr/bin/app", &bin)]);
    assert!(diags.is_empty(), "{diags:?}");
    let names: Vec<&str> = pkgs.iter().map(|p| p.purl.as_deref().unwrap()).collect();
    assert_eq!(names, ["pkg:cargo/app@0.3.0", "pkg:cargo/serde@1.0.1"]);
}

#[test]
fn go_header_in_writable_segment_without_section() {
    // No .go.buildinfo section (renamed .data): the header is found by searching the
    // writable segment, and only at a 16-byte aligned offset. Section bodies start at
    // file offset 64: a 16-byte .text puts .data at 80, so 32 bytes of padding align the
    // magic (112) and 40 do not (120).
    let text: &[u8] = &[0x90; 16];
    for (pad, aligned) in [(32usize, true), (40, false)] {
        let mut blob = vec![0u8; pad];
        blob.extend_from_slice(&gobuildinfo::build_inline("go1.20.1", MODINFO));
        let bin = elf::build_elf64(&[(".text", 0x401000, text), (".data", 0x600000, &blob)]);
        assert_eq!(
            bin.windows(14).position(|w| w == gobuildinfo::MAGIC),
            Some(80 + pad)
        );
        let info = gobuildinfo::read(&bin).unwrap();
        assert_eq!(
            info.map(|i| i.go_version),
            aligned.then(|| "go1.20.1".to_owned())
        );
        let (pkgs, _) = run(&*detector("lang/go-binary"), &[("/bin/x", &bin)]);
        assert_eq!(pkgs.len(), if aligned { 4 } else { 0 });
    }
}

#[test]
fn devel_toolchain_gives_no_stdlib() {
    let blob = gobuildinfo::build_inline("devel go1.22-abc123 Tue Jan 2", MODINFO);
    let bin = elf::build_elf64(&[(".go.buildinfo", 0x500000, &blob)]);
    let (pkgs, _) = run(&*detector("lang/go-binary"), &[("/bin/x", &bin)]);
    assert!(!pkgs.is_empty());
    assert!(pkgs.iter().all(|p| p.name != "stdlib"));
}
