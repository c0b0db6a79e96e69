//! Config files (YAML and TOML), defaults and errors.

use std::io::Write;

use globset::{Glob, GlobSetBuilder};
use strata_core::Severity;
use strata_detect_secrets::{DEFAULT_EXCLUDE_PATHS, Error, Scanner, SecretConfig, detectors};

fn write(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::File::create(&p)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    (dir, p)
}

#[test]
fn yaml_and_toml_configs_read_the_same_keys() {
    let (_d1, y) = write(
        "secret.yaml",
        "rules:\n  - id: corp-token\n    category: Corp\n    title: Corp token\n    severity: high\n    keywords: [corp_]\n    regex: 'corp_[a-z0-9]{16}'\n\
         disable-rules: [github-pat]\nexclude-paths: ['/opt/fixtures/*']\ndefault-exclude-paths: ['/usr/*']\nmax-file-size: 1048576\nscan-binaries: true\n",
    );
    let (_d2, t) = write(
        "secret.toml",
        "disable-rules = [\"github-pat\"]\nexclude-paths = [\"/opt/fixtures/*\"]\ndefault-exclude-paths = [\"/usr/*\"]\nmax-file-size = 1048576\nscan-binaries = true\n\
         [[rules]]\nid = \"corp-token\"\ncategory = \"Corp\"\ntitle = \"Corp token\"\nseverity = \"high\"\nkeywords = [\"corp_\"]\nregex = 'corp_[a-z0-9]{16}'\n",
    );
    let a = SecretConfig::from_file(&y).unwrap();
    let b = SecretConfig::from_file(&t).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.max_file_size, 1 << 20);
    assert!(a.scan_binaries);
    assert_eq!(
        a.effective_exclude_paths(),
        vec!["/usr/*".to_owned(), "/opt/fixtures/*".to_owned()]
    );
    let s = Scanner::new(&a).unwrap();
    assert!(s.rule_ids().any(|i| i == "corp-token"));
    assert!(!s.rule_ids().any(|i| i == "github-pat"));
    let f = s
        .scan(
            "/app/x.cfg",
            b"t = corp_0123456789abcdef\nghp_012345678901234567890123456789abcdef\n",
        )
        .findings;
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule_id, "corp-token");
    assert_eq!(f[0].severity, Severity::High);
    assert_eq!(f[0].redacted, format!("t = {}", "*".repeat(21)));
}

#[test]
fn default_config_matches_the_service_defaults() {
    let c = SecretConfig::default();
    assert_eq!(c.max_file_size, 20 * 1024 * 1024);
    assert!(!c.scan_binaries);
    assert_eq!(
        c.effective_exclude_paths().len(),
        DEFAULT_EXCLUDE_PATHS.len()
    );
    // The engine's globs: `*` crosses `/`.
    let mut b = GlobSetBuilder::new();
    for g in c.effective_exclude_paths() {
        b.add(Glob::new(&g).unwrap());
    }
    let set = b.build().unwrap();
    for p in [
        "/usr/lib/python3/dist-packages/x.py",
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/bin/sh",
        "/var/lib/dpkg/status",
        "/var/log/apt/history.log",
        "/app/node_modules/left-pad/README.md",
        "/app/node_modules/a/node_modules/b/docs/x.md",
        "/app/node_modules/left-pad/test/fixtures/key.pem",
        "/go/src/github.com/aws/aws-sdk-go/service/iam/examples_test.go",
        "/usr/share/grafana/public/build/app.123.js",
        "/opt/grafana/public/build/vendor/x.js",
    ] {
        assert!(set.is_match(p), "{p} should be excluded");
    }
    for p in [
        "/app/.env",
        "/root/.docker/config.json",
        "/etc/app/config.yaml",
        "/app/node_modules/x/index.js",
        "/home/u/.git-credentials",
    ] {
        assert!(!set.is_match(p), "{p} should be scanned");
    }
}

#[test]
fn overriding_defaults_with_an_empty_list_scans_everything() {
    let c = SecretConfig::from_yaml_str("default-exclude-paths: []\nexclude-paths: ['/data/*']\n")
        .unwrap();
    assert_eq!(c.effective_exclude_paths(), vec!["/data/*".to_owned()]);
    assert!(SecretConfig::from_yaml_str("").unwrap() == SecretConfig::default());
}

#[test]
fn bad_configs_are_errors_not_panics() {
    let bad_regex =
        SecretConfig::from_yaml_str("rules:\n  - id: r\n    regex: '(unclosed'\n").unwrap();
    assert!(matches!(Scanner::new(&bad_regex), Err(Error::Rule { ref rule, .. }) if rule == "r"));
    let no_regex = SecretConfig::from_yaml_str("rules:\n  - id: r\n").unwrap();
    assert!(matches!(Scanner::new(&no_regex), Err(Error::Rule { .. })));
    let dup = SecretConfig::from_yaml_str("rules:\n  - {id: r, regex: a}\n  - {id: r, regex: b}\n")
        .unwrap();
    assert!(matches!(Scanner::new(&dup), Err(Error::Rule { .. })));
    let bad_group = SecretConfig::from_yaml_str(
        "rules:\n  - {id: r, regex: 'a(?P<x>b)', secret-group-name: secret}\n",
    )
    .unwrap();
    assert!(matches!(Scanner::new(&bad_group), Err(Error::Rule { .. })));
    let bad_glob = SecretConfig {
        exclude_paths: vec!["/a/[".into()],
        ..Default::default()
    };
    assert!(matches!(detectors(&bad_glob), Err(Error::Glob { .. })));
    assert!(matches!(
        SecretConfig::from_yaml_str("rules: 3"),
        Err(Error::Yaml { .. })
    ));
    assert!(matches!(
        SecretConfig::from_toml_str("rules = 3"),
        Err(Error::Toml { .. })
    ));
    assert!(matches!(
        SecretConfig::from_yaml_str("exclude-path: ['/x/*']"),
        Err(Error::Yaml { .. })
    ));
    assert!(matches!(
        SecretConfig::from_toml_str("scan-binary = true"),
        Err(Error::Toml { .. })
    ));
    // snake_case spellings of our keys are accepted.
    let c = SecretConfig::from_toml_str("scan_binaries = true\nmax_file_size = 5").unwrap();
    assert!(c.scan_binaries);
    assert_eq!(c.max_file_size, 5);
    assert!(matches!(
        SecretConfig::from_file("/nonexistent/secret.yaml"),
        Err(Error::Io { .. })
    ));
    // Display: lowercase, no trailing period.
    let e = Scanner::new(&bad_regex).unwrap_err().to_string();
    assert!(e.starts_with("invalid secret rule r"), "{e}");
}

#[test]
fn a_custom_rule_replaces_the_builtin_with_its_id() {
    let c = SecretConfig::from_yaml_str(
        "rules:\n  - {id: github-pat, category: X, title: mine, severity: low, keywords: [ghp_], regex: 'ghp_[0-9a-zA-Z]{36}'}\n",
    )
    .unwrap();
    let s = Scanner::new(&c).unwrap();
    assert_eq!(s.rule_ids().filter(|i| *i == "github-pat").count(), 1);
    let f = s
        .scan("/x", b"ghp_012345678901234567890123456789abcdef")
        .findings;
    assert_eq!(f[0].title, "mine");
    assert_eq!(f[0].severity, Severity::Low);
}
