//! Trivy's secret-scanner test table (testdata/trivy, transcribed in expected.json): every
//! expected finding is found with the mapped rule, line, severity and masked match, and
//! nothing else is found.

use std::path::{Path, PathBuf};

use serde_json::Value;
use strata_core::Severity;
use strata_detect_secrets::{Scanner, SecretConfig};

fn dir() -> PathBuf {
    Path::new(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into())).join("testdata/trivy")
}

/// Trivy rule id -> our rule ids that may report the same secret. Custom rules from the
/// case configs keep their ids.
const RULE_MAP: &[(&str, &[&str])] = &[
    ("aws-access-key-id", &["aws-access-key-id"]),
    ("aws-secret-access-key", &["aws-secret-access-key"]),
    ("github-pat", &["github-pat"]),
    ("github-fine-grained-pat", &["github-fine-grained-pat"]),
    ("dockerconfig-secret", &["dockerconfig-secret"]),
    ("hugging-face-access-token", &["hugging-face-access-token"]),
    ("grafana-api-token", &["grafana-api-token"]),
    ("jwt-token", &["jwt-token"]),
    (
        "private-key",
        &["rsa-private-key", "pkcs8-private-key", "private-key"],
    ),
    ("azure-storage-account-key", &["azure-storage-account-key"]),
    ("azure-devops-pat", &["azure-devops-pat"]),
    ("rule1", &["rule1"]),
    ("multi-line-secret", &["multi-line-secret"]),
];

fn our_ids(theirs: &str) -> &'static [&'static str] {
    RULE_MAP
        .iter()
        .find(|(t, _)| *t == theirs)
        .map(|(_, o)| *o)
        .unwrap_or_else(|| panic!("no mapping for trivy rule {theirs}"))
}

/// Trivy masks the whole secret; we may keep up to 4 leading characters, and our secret
/// span excludes surrounding quotes that some Trivy regexes include. Everything Trivy
/// shows unmasked must be identical, and we must never unmask more than that.
pub(crate) fn compatible(ours: &str, theirs: &str) -> bool {
    let o: Vec<char> = ours.chars().collect();
    let t: Vec<char> = theirs.chars().collect();
    if o.len() != t.len() {
        return false;
    }
    let mut kept = 0;
    for (a, b) in o.iter().zip(&t) {
        if a == b {
            continue;
        }
        if *b != '*' || *a == '*' {
            return false;
        }
        if *a != '"' && *a != '\'' {
            kept += 1;
        }
    }
    kept <= 4
}

/// Trivy builds some expected matches in Go (`"AccountKey=" + strings.Repeat("*", 88)`).
fn expected_match(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(o) => {
            let l = o["l"].as_str().unwrap();
            let args = o["r"]["args"].as_array().unwrap();
            let n = args[1].as_u64().unwrap() as usize;
            format!("{l}{}", args[0].as_str().unwrap().repeat(n))
        }
        other => panic!("unexpected match {other}"),
    }
}

fn severity(s: &str) -> Severity {
    Severity::parse_lenient(s)
}

#[test]
fn trivy_secret_scanner_table() {
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir().join("expected.json")).unwrap()).unwrap();
    let cases = expected["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 35);
    let mut checked_findings = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let cfg = match case["config"].as_str() {
            Some(c) => {
                SecretConfig::from_file(dir().join(c)).unwrap_or_else(|e| panic!("{name}: {e}"))
            }
            None => SecretConfig::default(),
        };
        let scanner = Scanner::new(&cfg).unwrap_or_else(|e| panic!("{name}: {e}"));
        let input = case["input"].as_str().unwrap();
        let data = std::fs::read(dir().join(input)).unwrap();
        // Trivy's test scans `testdata/<input>`; negative cases record no path.
        let path = format!("/testdata/{input}");
        if let Some(p) = case["expected_file_path"].as_str() {
            assert_eq!(format!("/{p}"), path);
        }
        let mut found = scanner.scan(&path, &data).findings;
        let want = case["expected_findings"].as_array().unwrap();
        let summary = |f: &[strata_core::Secret]| {
            f.iter()
                .map(|s| format!("{}@{:?}: {}", s.rule_id, s.line, s.redacted))
                .collect::<Vec<_>>()
        };
        let all = summary(&found);
        for w in want {
            let theirs = w["rule_id"].as_str().unwrap();
            let line = w["start_line"].as_u64().unwrap() as u32;
            let m = expected_match(&w["match"]);
            let ids = our_ids(theirs);
            let pos = found.iter().position(|f| {
                ids.contains(&f.rule_id.as_str())
                    && f.line == Some(line)
                    && if f.category == "PrivateKey" {
                        f.redacted.starts_with("-----BEGIN") && f.redacted.ends_with("-----")
                    } else {
                        compatible(&f.redacted, &m)
                    }
            });
            let Some(pos) = pos else {
                panic!("{name}: missing {theirs} line {line} {m:?}; found {all:?}");
            };
            let f = found.remove(pos);
            assert_eq!(
                f.severity,
                severity(w["severity"].as_str().unwrap()),
                "{name}: {theirs}"
            );
            assert_eq!(f.fingerprint.len(), 64);
            assert_eq!(f.origin.path, path);
            checked_findings += 1;
        }
        assert!(found.is_empty(), "{name}: unexpected {:?}", summary(&found));
    }
    assert_eq!(checked_findings, 38);
}

#[test]
fn comparator_rejects_leaks_and_context_changes() {
    assert!(compatible(
        "KEY=AKIA****************",
        "KEY=********************"
    ));
    assert!(!compatible(
        "KEY=AKIA5***************",
        "KEY=********************"
    ));
    assert!(!compatible(
        "KEX=AKIA****************",
        "KEY=********************"
    ));
    assert!(!compatible("KEY=****", "KEY=**"));
}
