//! Hostile input: diagnostics, bounded work, no panic.

use std::io::Write;

use strata_detect_lang::LangConfig;
use strata_detect_lang::parsers::{elf, gobuildinfo, npm, pnpm, python, rustaudit, yarn};

use crate::binaries::zlib as zlib_compress;
use crate::{detector, read, run, run_capped};

#[test]
fn truncated_go_binaries_never_panic() {
    let bin = read("go/trivy/test.elf");
    let det = detector("lang/go-binary");
    // Cut at many points: the header, the section table, the build-info strings.
    for cut in (0..bin.len())
        .step_by(bin.len() / 97)
        .chain([0, 1, 4, 52, 63, 64, bin.len() - 1])
    {
        let (pkgs, diags) = run(&*det, &[("/bin/t", &bin[..cut])]);
        assert!(pkgs.is_empty() || diags.is_empty());
    }
    // Delivered truncated (max_bytes): a diagnostic says so when the info is cut off.
    let (_, diags) = run_capped(&*det, &[("/bin/t", &bin)], bin.len() / 2);
    for d in &diags {
        assert!(d.message.contains("read only up to"), "{d:?}");
    }
}

#[test]
fn buildinfo_pointers_out_of_range() {
    // Old pointer format with pointers to nowhere.
    let mut hdr = gobuildinfo::MAGIC.to_vec();
    hdr.push(8);
    hdr.push(0);
    hdr.extend_from_slice(&u64::MAX.to_le_bytes());
    hdr.extend_from_slice(&0xdead_beefu64.to_le_bytes());
    let bin = elf::build_elf64(&[(".go.buildinfo", 0x1000, &hdr)]);
    let (pkgs, diags) = run(&*detector("lang/go-binary"), &[("/bin/t", &bin)]);
    assert!(pkgs.is_empty());
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "lang-go-buildinfo-out-of-bounds");
    // A string header whose length is huge.
    let mut hdr = gobuildinfo::MAGIC.to_vec();
    hdr.push(8);
    hdr.push(0);
    hdr.extend_from_slice(&0x1020u64.to_le_bytes()); // version header at +32
    hdr.extend_from_slice(&0x1020u64.to_le_bytes());
    hdr.resize(32, 0);
    hdr.extend_from_slice(&0x1000u64.to_le_bytes());
    hdr.extend_from_slice(&(u64::MAX / 2).to_le_bytes());
    let bin = elf::build_elf64(&[(".go.buildinfo", 0x1000, &hdr)]);
    assert!(gobuildinfo::read(&bin).is_err());
    // Bad pointer size.
    let mut hdr = gobuildinfo::MAGIC.to_vec();
    hdr.extend_from_slice(&[3, 0]);
    hdr.resize(64, 0);
    assert!(gobuildinfo::read(&elf::build_elf64(&[(".go.buildinfo", 0x1000, &hdr)])).is_err());
}

#[test]
fn huge_varints_are_rejected() {
    let mut blob = gobuildinfo::MAGIC.to_vec();
    blob.extend_from_slice(&[8, 2]);
    blob.resize(32, 0);
    blob.extend_from_slice(&[0xff; 11]);
    assert!(gobuildinfo::read(&blob).is_err());
    let mut blob2 = blob[..32].to_vec();
    blob2.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]); // 4 GiB declared, nothing there
    assert!(gobuildinfo::read(&blob2).is_err());
}

#[test]
fn elf_headers_that_lie() {
    let mut bin = elf::build_elf64(&[(".dep-v0", 0, b"xx")]);
    // Section table offset past the end; absurd entry counts.
    bin[0x28..0x30].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(elf::Elf::parse(&bin).unwrap().sections.is_empty());
    bin[0x3c..0x3e].copy_from_slice(&u16::MAX.to_le_bytes());
    let _ = elf::Elf::parse(&bin);
    // A section whose offset + size lies beyond the data.
    let mut bin = elf::build_elf64(&[(".dep-v0", 0, b"xx")]);
    let shoff = u64::from_le_bytes(bin[0x28..0x30].try_into().unwrap()) as usize;
    let first = shoff + 64;
    bin[first + 32..first + 40].copy_from_slice(&(1u64 << 40).to_le_bytes());
    let (pkgs, diags) = run(&*detector("lang/rust-binary"), &[("/bin/t", &bin)]);
    assert!(pkgs.is_empty());
    assert_eq!(diags[0].code, "lang-rust-audit-out-of-bounds");
}

#[test]
fn deflate_bomb_in_dep_v0_is_capped() {
    // 64 MiB of zeros compresses to ~64 KiB; the cap is 16 MiB.
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        e.write_all(&zeros).unwrap();
    }
    let bomb = e.finish().unwrap();
    let limit = LangConfig::default().max_decompressed_bytes;
    assert!(matches!(
        rustaudit::parse_compressed(&bomb, limit),
        Err(strata_detect_lang::Error::TooLarge { .. })
    ));
    let bin = elf::build_elf64(&[(".dep-v0", 0, &bomb)]);
    let (pkgs, diags) = run(&*detector("lang/rust-binary"), &[("/bin/t", &bin)]);
    assert!(pkgs.is_empty());
    assert_eq!(diags[0].code, "lang-rust-audit-too-large");
    // Garbage that is not zlib, and zlib that is not JSON.
    assert!(rustaudit::parse_compressed(b"not zlib at all", limit).is_err());
    assert!(rustaudit::parse_compressed(&zlib_compress(b"{\"packages\": 3}"), limit).is_err());
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(npm::parse_lock(deep.as_bytes()).is_err());
    assert!(npm::parse_package_json(deep.as_bytes()).is_err());
    let deep_obj = format!(
        "{{\"lockfileVersion\":1,\"dependencies\":{}{}}}",
        "{\"a\":{\"version\":\"1\",\"dependencies\":".repeat(5000),
        "}}".repeat(5000)
    );
    let _ = npm::parse_lock(deep_obj.as_bytes());
    assert!(rustaudit::parse_json(deep.as_bytes()).is_err());
    let (pkgs, diags) = run(
        &*detector("lang/node"),
        &[("/app/package-lock.json", deep.as_bytes())],
    );
    assert!(pkgs.is_empty());
    assert_eq!(diags[0].code, "lang-node-lock-invalid-json");
}

#[test]
fn malformed_text_formats() {
    for junk in [
        &b""[..],
        b"\xff\xfe\x00",
        b":::\n  \n\t",
        b"lockfileVersion: x\npackages:\n  /:\n    dev: true\n",
    ] {
        let _ = yarn::parse(junk);
        let _ = pnpm::parse(junk);
        let _ = python::parse_metadata(junk);
        let _ = strata_detect_lang::parsers::gemspec::parse(junk);
    }
    assert!(yarn::parse(b"this is not a lock file").is_err());
    assert!(pnpm::parse(b"packages:\n  /a/1.0.0:\n").is_err());
    // A gemspec line repeating `.licenses = [` without a closing bracket (linear scan).
    let gem = format!(
        "Gem::Specification.new do |s|\n s.name = \"x\"\n s.version = \"1\"\n s{}\n",
        ".licenses = [\"a\",".repeat(200_000)
    );
    let r = strata_detect_lang::parsers::gemspec::parse(gem.as_bytes()).unwrap();
    assert!(r.licenses.is_empty());
    // Hostile workspace globs cannot blow up.
    let lock = format!(
        "{{\"lockfileVersion\":3,\"packages\":{{\"\":{{\"workspaces\":[\"{}b\"]}},\"node_modules/x\":{{\"link\":true,\"resolved\":\"{}\"}},\"{}\":{{\"version\":\"1.0.0\"}}}}}}",
        "*a".repeat(200),
        "a".repeat(300),
        "a".repeat(300)
    );
    let recs = npm::parse_lock(lock.as_bytes()).unwrap();
    assert_eq!(recs.len(), 1);
}

#[test]
fn egg_bombs_and_garbage() {
    let det = detector("lang/python");
    let (pkgs, diags) = run(&*det, &[("/x/a.egg", b"PK\x05\x06 but not really")]);
    assert!(pkgs.is_empty());
    assert_eq!(diags.len(), 1);
    // 17 MiB inflated from a few KiB, past the 16 MiB cap.
    let egg = crate::python::zip_one("EGG-INFO/PKG-INFO", &vec![b'a'; 17 << 20], true);
    let (pkgs, diags) = run(&*det, &[("/x/a.egg", &egg)]);
    assert!(pkgs.is_empty());
    assert_eq!(diags[0].code, "lang-python-egg-too-large");
}

/// A tiny deterministic generator (xorshift), so mutations are reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_fixtures_through_every_parser() {
    let seeds: Vec<Vec<u8>> = [
        "python/trivy/networkx-3.0.METADATA",
        "node/trivy/package-lock_v1.json",
        "node/trivy/package-lock_v3_with_workspace.json",
        "node/trivy/legacy_package.json",
        "php/trivy/composer/with-dev/composer.lock",
        "ruby/trivy/multiple_licenses.gemspec",
    ]
    .iter()
    .map(|p| read(p))
    .chain([
        gobuildinfo::build_inline(
            "go1.21.3",
            "path\ta\nmod\ta\tv1.0.0\t\ndep\tb\tv2.0.0\th1:x=\n=>\tc\tv3.0.0\t\n",
        ),
        crate::node::PNPM_V9.as_bytes().to_vec(),
        crate::node::YARN_BERRY.as_bytes().to_vec(),
    ])
    .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut parsed = 0;
    for seed in &seeds {
        for _ in 0..120 {
            let mut d = seed.clone();
            for _ in 0..(1 + rng.next() % 4) {
                let i = (rng.next() as usize) % d.len().max(1);
                match rng.next() % 3 {
                    0 if !d.is_empty() => d[i] = rng.next() as u8,
                    1 => d.truncate(i),
                    _ => d.insert(i.min(d.len()), b"{[\"\n:|@/"[(rng.next() % 8) as usize]),
                }
            }
            parsed += usize::from(npm::parse_lock(&d).is_ok());
            let _ = npm::parse_package_json(&d);
            let _ = python::parse_metadata(&d);
            let _ = yarn::parse(&d);
            let _ = pnpm::parse(&d);
            let _ = strata_detect_lang::parsers::gemspec::parse(&d);
            let _ = strata_detect_lang::parsers::composer::parse_lock(&d);
            let _ = gobuildinfo::read(&d);
            let _ = gobuildinfo::read(&elf::build_elf64(&[(".go.buildinfo", 0x1000, &d)]));
        }
    }
    // Some mutants stay valid JSON lock files: the mutation loop did reach the parsers' insides.
    assert!(parsed > 0);
}
