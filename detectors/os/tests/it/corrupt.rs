//! Corrupted copies of real databases and release files: never a panic, bad entries become
//! diagnostics, and a truncated body never yields a cut version.

use crate::harness::{packages, read, run, run_capped};

/// A deterministic byte mangler (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn mangle(body: &[u8], seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut b = body.to_vec();
    for _ in 0..(1 + rng.next() % 40) {
        let i = (rng.next() as usize) % b.len();
        match rng.next() % 4 {
            0 => b[i] = (rng.next() % 256) as u8,
            1 => b[i] = b'\n',
            2 => b[i] = b':',
            _ => {
                let end = (i + (rng.next() as usize) % 64).min(b.len());
                b.drain(i..end);
                if b.is_empty() {
                    b.push(b'\n');
                }
            }
        }
    }
    b
}

#[test]
fn mangled_dpkg_status() {
    let body = read("dpkg/trivy-ubuntu-18.04-valid/rootfs/var/lib/dpkg/status");
    let mut with_diags = 0;
    for seed in 1..300u64 {
        let b = mangle(&body, seed);
        let (findings, diags) = run("os/dpkg", &[("/var/lib/dpkg/status", &b)]);
        let got = packages(&findings);
        assert!(got.len() <= 91, "seed {seed}");
        assert!(
            got.iter()
                .all(|p| !p.name.is_empty() && !p.version.is_empty())
        );
        assert!(diags.len() <= strata_detect_os::MAX_DIAGNOSTICS_PER_FILE + 1);
        with_diags += usize::from(!diags.is_empty());
    }
    assert!(with_diags > 0, "mangling never produced a diagnostic");
}

#[test]
fn mangled_apk_installed() {
    let body = read("apk/trivy-alpine-3.4/rootfs/lib/apk/db/installed");
    for seed in 1..300u64 {
        let b = mangle(&body, seed);
        let (findings, _) = run("os/apk", &[("/lib/apk/db/installed", &b)]);
        assert!(
            packages(&findings)
                .iter()
                .all(|p| !p.name.is_empty() && !p.version.is_empty())
        );
    }
}

#[test]
fn mangled_release_files() {
    let body = read("release/trivy/centos/etc/os-release");
    for seed in 1..200u64 {
        let b = mangle(&body, seed);
        for path in [
            "/etc/os-release",
            "/etc/redhat-release",
            "/etc/SuSE-release",
            "/etc/os-version",
            "/etc/lsb-release",
        ] {
            let _ = run("os/release", &[(path, &b)]);
        }
    }
    // Not UTF-8 at all.
    let (findings, _) = run(
        "os/release",
        &[("/etc/os-release", &[0xff, 0xfe, b'=', 0x80, b'\n'])],
    );
    assert_eq!(
        crate::harness::best_os(&findings).unwrap().family,
        "unknown"
    );
}

#[test]
fn truncated_status_keeps_complete_entries_only() {
    let body = read("dpkg/trivy-ubuntu-18.04-valid/rootfs/var/lib/dpkg/status");
    let (full, _) = run("os/dpkg", &[("/var/lib/dpkg/status", &body)]);
    let full = packages(&full);
    for cap in [10, 1000, 4096, 20_000, 40_001, body.len() - 1] {
        let (findings, diags) =
            run_capped("os/dpkg", &[("/var/lib/dpkg/status", &body)], Some(cap));
        assert!(
            diags.iter().any(|d| d.code == "limit-max-bytes"),
            "cap {cap}"
        );
        for p in packages(&findings) {
            assert!(
                full.iter()
                    .any(|f| f.name == p.name && f.version == p.version),
                "cap {cap}: {}",
                p.name
            );
        }
    }
}

#[test]
fn truncated_rpm_database_is_a_diagnostic() {
    let p = std::path::Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("../../rpmdb/testdata/sqlite-cbl-mariner-2.0/rpmdb.sqlite");
    let body = std::fs::read(p).unwrap();
    for cap in [0, 100, 4096, 100_000] {
        let (findings, diags) =
            run_capped("os/rpm", &[("/var/lib/rpm/rpmdb.sqlite", &body)], Some(cap));
        assert!(diags.iter().any(|d| d.code == "limit-max-bytes"));
        assert!(packages(&findings).len() <= 129);
    }
}

/// Random bytes biased towards the characters the parsers split on, through every
/// detector and every path kind: nothing panics.
#[test]
fn random_bytes_never_panic() {
    const ALPHABET: &[u8] = b":\n\n ()=\"'SPVv.-_0123456789\\#[]/F:R:P:\xc3\xa9\xff\t\r";
    let paths = [
        ("os/release", "/etc/os-release"),
        ("os/release", "/etc/redhat-release"),
        ("os/release", "/etc/kylin-release"),
        ("os/release", "/etc/euleros-release"),
        ("os/release", "/etc/SuSE-release"),
        ("os/release", "/etc/os-version"),
        ("os/release", "/etc/lsb-release"),
        ("os/release", "/etc/debian_version"),
        ("os/release", "/etc/alpine-release"),
        ("os/dpkg", "/var/lib/dpkg/status"),
        ("os/dpkg", "/var/lib/dpkg/status.d/x"),
        ("os/dpkg", "/var/lib/opkg/status"),
        ("os/dpkg", "/var/lib/dpkg/info/x:amd64.list"),
        ("os/apk", "/lib/apk/db/installed"),
        ("os/rpm", "/var/lib/rpm/Packages"),
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..400 {
        let len = (rng.next() % 300) as usize;
        let body: Vec<u8> = (0..len)
            .map(|_| {
                if rng.next() % 4 == 0 {
                    (rng.next() % 256) as u8
                } else {
                    ALPHABET[(rng.next() as usize) % ALPHABET.len()]
                }
            })
            .collect();
        for (id, path) in paths {
            let _ = run(id, &[(path, &body)]);
        }
    }
}
