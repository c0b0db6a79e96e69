//! Byte excerpts of real Debian bookworm binaries (testdata/ATTRIBUTION.md): each is
//! identified with the upstream part of the Debian package version.

use std::path::Path;

use strata_core::Detector as _;
use strata_core::{EntryKind, FileMeta, FileRef, ImagePath, Output};
use strata_detect_binary::{BinaryConfig, BinaryDetector, classify};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
            .join("testdata/debian")
            .join(name),
    )
    .unwrap()
}

/// (fixture, path in the image, package, version (upstream part of the Debian version), cpe)
const CASES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "nginx",
        "/usr/sbin/nginx",
        "nginx",
        "1.22.1",
        "cpe:2.3:a:f5:nginx:1.22.1:*:*:*:*:*:*:*",
    ),
    (
        "apache2",
        "/usr/sbin/apache2",
        "httpd",
        "2.4.71",
        "cpe:2.3:a:apache:http_server:2.4.71:*:*:*:*:*:*:*",
    ),
    (
        "mariadbd",
        "/usr/sbin/mariadbd",
        "mariadb",
        "10.11.19",
        "cpe:2.3:a:mariadb:mariadb:10.11.19:*:*:*:*:*:*:*",
    ),
    (
        "postgres",
        "/usr/lib/postgresql/15/bin/postgres",
        "postgresql",
        "15.20",
        "cpe:2.3:a:postgresql:postgresql:15.20:*:*:*:*:*:*:*",
    ),
    (
        "redis-check-rdb",
        "/usr/bin/redis-check-rdb",
        "redis",
        "7.0.15",
        "cpe:2.3:a:redis:redis:7.0.15:*:*:*:*:*:*:*",
    ),
    (
        "redis-check-rdb",
        "/usr/local/bin/redis-server",
        "redis",
        "7.0.15",
        "cpe:2.3:a:redis:redis:7.0.15:*:*:*:*:*:*:*",
    ),
    (
        "memcached",
        "/usr/bin/memcached",
        "memcached",
        "1.6.18",
        "cpe:2.3:a:memcached:memcached:1.6.18:*:*:*:*:*:*:*",
    ),
    (
        "busybox",
        "/bin/busybox",
        "busybox",
        "1.35.0",
        "cpe:2.3:a:busybox:busybox:1.35.0:*:*:*:*:*:*:*",
    ),
    (
        "curl",
        "/usr/bin/curl",
        "curl",
        "7.88.1",
        "cpe:2.3:a:haxx:curl:7.88.1:*:*:*:*:*:*:*",
    ),
    (
        "libcurl.so.4.8.0",
        "/usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0",
        "curl",
        "7.88.1",
        "cpe:2.3:a:haxx:curl:7.88.1:*:*:*:*:*:*:*",
    ),
    (
        "haproxy",
        "/usr/sbin/haproxy",
        "haproxy",
        "2.6.12",
        "cpe:2.3:a:haproxy:haproxy:2.6.12:*:*:*:*:*:*:*",
    ),
    (
        "php8.2",
        "/usr/bin/php8.2",
        "php",
        "8.2.36",
        "cpe:2.3:a:php:php:8.2.36:*:*:*:*:*:*:*",
    ),
    (
        "libruby-3.1.so.3.1.7",
        "/usr/lib/x86_64-linux-gnu/libruby-3.1.so.3.1.7",
        "ruby",
        "3.1.7",
        "cpe:2.3:a:ruby-lang:ruby:3.1.7:*:*:*:*:*:*:*",
    ),
    (
        "java",
        "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
        "java",
        "17.0.21.1+2",
        "cpe:2.3:a:oracle:openjdk:17.0.21.1\\+2:*:*:*:*:*:*:*",
    ),
    (
        "libjvm.so",
        "/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so",
        "java",
        "17.0.21.1+2",
        "cpe:2.3:a:oracle:openjdk:17.0.21.1\\+2:*:*:*:*:*:*:*",
    ),
    (
        "libcrypto.so.3",
        "/usr/lib/x86_64-linux-gnu/libcrypto.so.3",
        "openssl",
        "3.0.22",
        "cpe:2.3:a:openssl:openssl:3.0.22:*:*:*:*:*:*:*",
    ),
    (
        "openssl",
        "/usr/bin/openssl",
        "openssl",
        "3.0.22",
        "cpe:2.3:a:openssl:openssl:3.0.22:*:*:*:*:*:*:*",
    ),
    (
        "bash",
        "/usr/bin/bash",
        "bash",
        "5.2.15",
        "cpe:2.3:a:gnu:bash:5.2.15:*:*:*:*:*:*:*",
    ),
    (
        "perl",
        "/usr/bin/perl",
        "perl",
        "5.36.0",
        "cpe:2.3:a:perl:perl:5.36.0:*:*:*:*:*:*:*",
    ),
];

#[test]
fn real_debian_excerpts_are_identified() {
    for (file, path, name, version, cpe) in CASES {
        let data = fixture(file);
        let c = classify(path, &data).unwrap_or_else(|| panic!("{path}: not identified"));
        assert_eq!(
            (c.package, c.version.as_str(), c.cpe.as_str()),
            (*name, *version, *cpe),
            "{path}"
        );
        let purl_version = version.replace('+', "%2B");
        assert_eq!(
            c.purl,
            format!("pkg:generic/{name}@{purl_version}"),
            "{path}"
        );
    }
}

#[test]
fn the_file_name_selects_the_classifier() {
    // The nginx excerpt under another name is nobody's; busybox bytes named nginx neither.
    assert!(classify("/usr/bin/sometool", &fixture("nginx")).is_none());
    assert!(classify("/usr/sbin/nginx", &fixture("busybox")).is_none());
    // Directory prefixes are not file names.
    assert!(classify("/usr/sbin/nginx/x", &fixture("busybox")).is_none());
}

#[test]
fn a_body_must_be_elf() {
    let mut text = fixture("nginx");
    text[..4].copy_from_slice(b"#!/b");
    assert!(classify("/usr/sbin/nginx", &text).is_none());
}

#[test]
fn versions_are_taken_from_the_version_string_not_from_anywhere() {
    // mariadbd's help text mentions "10.1.1-MariaDB-mariadb1precise-log" after a space: only
    // the NUL-delimited server version counts.
    let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
    elf.extend_from_slice(b"for example 10.1.1-MariaDB-mariadb1precise-log.\0");
    assert!(classify("/usr/sbin/mariadbd", &elf).is_none());
    elf.extend_from_slice(b"\x0010.11.6-MariaDB\0");
    assert_eq!(
        classify("/usr/sbin/mariadbd", &elf).unwrap().version,
        "10.11.6"
    );
    // postgres mentions old releases in messages ("upgrading to PostgreSQL 9.1.").
    let mut pg = b"\x7fELF\x02\x01\x01\0before upgrading to PostgreSQL 9.1.\0".to_vec();
    assert!(classify("/usr/lib/postgresql/16/bin/postgres", &pg).is_none());
    pg.extend_from_slice(b"\0PostgreSQL 16.4 on x86_64-pc-linux-gnu\0");
    assert_eq!(
        classify("/usr/lib/postgresql/16/bin/postgres", &pg)
            .unwrap()
            .version,
        "16.4"
    );
}

#[test]
fn the_detector_reports_a_binary_package_with_its_origin() {
    let det = BinaryDetector::new(&BinaryConfig::default());
    assert_eq!((det.id(), det.group()), ("binary/classifier", "lang"));
    let data = fixture("nginx");
    let p = ImagePath::from_str_lossy("/opt/nginx/sbin/nginx");
    let meta = FileMeta {
        kind: EntryKind::File,
        mode: 0o755,
        uid: 0,
        gid: 0,
        size: data.len() as u64,
        mtime: 0,
        link: None,
    };
    let mut out = Output::new();
    let mut run = det.start();
    run.file(&FileRef::new(&p, &meta, false), &data, &mut out);
    run.finish(&mut out);
    let pkgs: Vec<_> = out
        .findings()
        .iter()
        .filter_map(|f| match f {
            strata_core::Finding::Package(p) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(pkgs.len(), 1);
    let p = pkgs[0];
    assert_eq!(p.ecosystem, strata_core::Ecosystem::Binary);
    assert_eq!((p.name.as_str(), p.version.as_str()), ("nginx", "1.22.1"));
    assert_eq!(p.purl.as_deref(), Some("pkg:generic/nginx@1.22.1"));
    assert_eq!(p.evidence.as_deref(), Some("binary-classifier"));
    assert_eq!(p.origin.path, "/opt/nginx/sbin/nginx");
    assert_eq!(p.detector, "binary/classifier");
    assert_eq!(
        p.properties.get("classifier").map(String::as_str),
        Some("nginx-binary")
    );
}
