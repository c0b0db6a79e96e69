//! Node: package.json, package-lock.json, yarn.lock, pnpm-lock.yaml.

use std::collections::BTreeSet;

use serde_json::Value;
use strata_core::Ecosystem;

use crate::{detector, direct_of, expected, fixture, read, run, strings};

type Row = (String, String, bool, Option<bool>, Vec<String>);

fn want_rows(want: &Value) -> BTreeSet<Row> {
    want.as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap().to_owned(),
                        p["version"].as_str().unwrap().to_owned(),
                        p["dev"].as_bool().unwrap_or(false),
                        direct_of(p.get("relationship")),
                        strings(p.get("licenses")),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn got_rows(pkgs: &[strata_core::Package]) -> BTreeSet<Row> {
    pkgs.iter()
        .map(|p| {
            (
                p.name.clone(),
                p.version.clone(),
                p.properties.contains_key("dev"),
                p.direct,
                p.licenses.clone(),
            )
        })
        .collect()
}

#[test]
fn package_lock_matches_trivy() {
    let exp = expected("node/trivy/expected-npm.json");
    let det = detector("lang/node");
    let mut n = 0;
    for case in exp["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let body = read(&format!("node/trivy/{input}"));
        let (pkgs, diags) = run(&*det, &[("/app/package-lock.json", &body)]);
        assert!(diags.is_empty(), "{input}: {diags:?}");
        assert_eq!(got_rows(&pkgs), want_rows(&case["want"]), "{input}");
        assert_eq!(
            pkgs.len(),
            want_rows(&case["want"]).len(),
            "{input}: duplicates"
        );
        for p in &pkgs {
            assert_eq!(p.origin.path, "/app/package-lock.json");
            assert_eq!(p.evidence.as_deref(), Some("package-lock.json"));
        }
        n += 1;
    }
    assert_eq!(n, 10);
}

#[test]
fn scoped_purl() {
    let body = read("node/trivy/package-lock_v3.json");
    let (pkgs, _) = run(
        &*detector("lang/node"),
        &[("/app/package-lock.json", &body)],
    );
    let p = pkgs
        .iter()
        .find(|p| p.name == "@babel/helper-string-parser")
        .unwrap();
    assert_eq!(
        p.purl.as_deref(),
        Some("pkg:npm/%40babel/helper-string-parser@7.19.4")
    );
    assert_eq!(p.ecosystem, Ecosystem::Npm);
}

#[test]
fn installed_package_json_matches_trivy() {
    let exp = expected("node/trivy/expected-packagejson.json");
    let det = detector("lang/node");
    let mut n = 0;
    for case in exp["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let body = read(&format!("node/trivy/{input}"));
        let path = "/usr/lib/node_modules/x/package.json";
        let (pkgs, diags) = run(&*det, &[(path, &body)]);
        n += 1;
        if case.get("want_error").is_some() {
            assert!(pkgs.is_empty(), "{input}");
            assert_eq!(diags.len(), 1, "{input}");
            continue;
        }
        assert!(diags.is_empty(), "{input}: {diags:?}");
        let want = &case["want"]["package"];
        match (want["name"].as_str(), want["version"].as_str()) {
            (Some(name), Some(version)) => {
                assert_eq!(pkgs.len(), 1, "{input}");
                assert_eq!(pkgs[0].name, name);
                assert_eq!(pkgs[0].version, version);
                assert_eq!(pkgs[0].licenses, strings(want.get("licenses")), "{input}");
                assert_eq!(pkgs[0].evidence.as_deref(), Some("package.json"));
                assert_eq!(pkgs[0].origin.path, path);
            }
            // Trivy's analyzer skips manifests without a name or a version.
            _ => assert!(pkgs.is_empty(), "{input}"),
        }
    }
    assert_eq!(n, 13);
    // A package.json outside node_modules is the project, not an installed package.
    let (pkgs, _) = run(
        &*det,
        &[("/app/package.json", &read("node/trivy/package.json"))],
    );
    assert!(pkgs.is_empty());
}

/// Every file of a fixture directory, as image paths under `/app`.
fn tree(rel: &str) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                out.push((format!("/app/{rel}"), std::fs::read(&p).unwrap()));
            }
        }
    }
    let base = fixture(rel);
    let mut out = Vec::new();
    walk(&base, &base, &mut out);
    out.sort();
    out
}

#[test]
fn lock_with_node_modules_matches_trivy() {
    let exp = expected("node-modules/trivy/expected-npm.json");
    let det = detector("lang/node");
    for case in exp["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let files = tree(&format!("node-modules/trivy/{input}"));
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let (pkgs, diags) = run(&*det, &refs);
        let want = case["want"]
            .get("applications")
            .map(|a| &a[0]["packages"])
            .cloned()
            .unwrap_or(Value::Null);
        if want.is_null() {
            assert!(pkgs.is_empty(), "{input}");
            assert_eq!(diags.len(), 1, "{input}: broken lock gives one diagnostic");
            continue;
        }
        assert!(diags.is_empty(), "{input}: {diags:?}");
        assert_eq!(got_rows(&pkgs), want_rows(&want), "{input}");
        assert_eq!(
            pkgs.len(),
            want.as_array().unwrap().len(),
            "{input}: installed copies reported once"
        );
        assert!(
            pkgs.iter()
                .all(|p| p.origin.path == "/app/package-lock.json")
        );
    }
}

#[test]
fn installed_packages_without_lock_are_reported() {
    let files = tree("node-modules/trivy/happy");
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .filter(|(p, _)| p.contains("node_modules"))
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let (pkgs, diags) = run(&*detector("lang/node"), &refs);
    assert!(diags.is_empty());
    // 8 manifests: @babel/parser, body-parser (+ nested debug, ms), express (+ nested debug, ms), ms.
    assert_eq!(pkgs.len(), 8);
    assert!(
        pkgs.iter()
            .all(|p| p.evidence.as_deref() == Some("package.json") && p.licenses == ["MIT"])
    );
    let ms: BTreeSet<&str> = pkgs
        .iter()
        .filter(|p| p.name == "ms")
        .map(|p| p.version.as_str())
        .collect();
    assert_eq!(ms, BTreeSet::from(["2.0.0", "2.1.1"]));
}

const YARN_V1: &str = r#"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.12.11"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.11.tgz"
  dependencies:
    "@babel/highlight" "^7.10.4"

js-tokens@^4.0.0:
  version "4.0.0"

local-pkg@file:./local:
  version "1.0.0"
"#;

pub(crate) const YARN_BERRY: &str = r#"# This file is generated by running "yarn install" inside your project.

__metadata:
  version: 6
  cacheKey: 8

"@babel/code-frame@npm:^7.0.0, @babel/code-frame@npm:^7.10.4":
  version: 7.12.11
  resolution: "@babel/code-frame@npm:7.12.11"
  dependencies:
    "@babel/highlight": ^7.10.4
  languageName: node
  linkType: hard

"my-app@workspace:.":
  version: 0.0.0-use.local
  resolution: "my-app@workspace:."
  languageName: unknown
  linkType: soft

"version@npm:^1.0.0":
  version: 1.2.0
  resolution: "version@npm:1.2.0"
"#;

#[test]
fn yarn_classic_and_berry() {
    let det = detector("lang/node");
    let (pkgs, diags) = run(&*det, &[("/srv/yarn.lock", YARN_V1.as_bytes())]);
    assert!(diags.is_empty());
    let got: Vec<(&str, &str)> = pkgs
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str()))
        .collect();
    assert_eq!(
        got,
        [("@babel/code-frame", "7.12.11"), ("js-tokens", "4.0.0")]
    );
    assert_eq!(pkgs[0].evidence.as_deref(), Some("yarn.lock"));
    // With the project's package.json: direct from its lists, dev if reachable only from
    // devDependencies (through the lock's dependency graph).
    let manifest = br#"{"name":"srv","dependencies":{"@babel/code-frame":"^7.0.0"},"devDependencies":{"js-tokens":"^4.0.0"}}"#;
    let lock = YARN_V1.replace(
        "js-tokens@^4.0.0:\n  version \"4.0.0\"\n",
        "js-tokens@^4.0.0:\n  version \"4.0.0\"\n  dependencies:\n    ms \"^2.1.0\"\n\nms@^2.1.0:\n  version \"2.1.3\"\n",
    );
    let (pkgs, diags) = run(
        &*det,
        &[
            ("/srv/package.json", manifest),
            ("/srv/yarn.lock", lock.as_bytes()),
        ],
    );
    assert!(diags.is_empty());
    let got: Vec<(&str, Option<bool>, bool)> = pkgs
        .iter()
        .map(|p| (p.name.as_str(), p.direct, p.properties.contains_key("dev")))
        .collect();
    assert_eq!(
        got,
        [
            ("@babel/code-frame", Some(true), false),
            ("js-tokens", Some(true), true),
            ("ms", Some(false), true)
        ]
    );
    let (pkgs, diags) = run(&*det, &[("/srv/yarn.lock", YARN_BERRY.as_bytes())]);
    assert!(diags.is_empty());
    let got: Vec<(&str, &str)> = pkgs
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str()))
        .collect();
    assert_eq!(
        got,
        [("@babel/code-frame", "7.12.11"), ("version", "1.2.0")]
    );
}

const PNPM_V5: &str = "lockfileVersion: 5.4\n\nspecifiers:\n  lodash: ^4.17.21\n\ndependencies:\n  lodash: 4.17.21\n\ndevDependencies:\n  '@types/node': 18.0.0\n\npackages:\n\n  /@types/node/18.0.0:\n    resolution: {integrity: sha512-x}\n    dev: true\n\n  /lodash/4.17.21:\n    resolution: {integrity: sha512-y}\n    dev: false\n\n  /ms/2.1.3_peer@1.0.0:\n    resolution: {integrity: sha512-z}\n    dev: false\n";

pub(crate) const PNPM_V9: &str = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      lodash:\n        specifier: ^4.17.21\n        version: 4.17.21\n      ms:\n        specifier: ^2.1.0\n        version: 2.1.3\n\npackages:\n\n  '@babel/core@7.24.0':\n    resolution: {integrity: sha512-a}\n\n  lodash@4.17.21:\n    resolution: {integrity: sha512-b}\n\n  ms@2.0.0:\n    resolution: {integrity: sha512-d}\n\n  ms@2.1.3:\n    resolution: {integrity: sha512-e}\n\n  ws@8.16.0(bufferutil@4.0.8):\n    resolution: {integrity: sha512-c}\n\nsnapshots:\n\n  lodash@4.17.21: {}\n";

#[test]
fn pnpm_v5_and_v9() {
    let det = detector("lang/node");
    let (pkgs, diags) = run(&*det, &[("/srv/pnpm-lock.yaml", PNPM_V5.as_bytes())]);
    assert!(diags.is_empty());
    let got: Vec<(&str, &str, bool, Option<bool>)> = pkgs
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.version.as_str(),
                p.properties.contains_key("dev"),
                p.direct,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("@types/node", "18.0.0", true, Some(true)),
            ("lodash", "4.17.21", false, Some(true)),
            ("ms", "2.1.3", false, Some(false))
        ]
    );
    let (pkgs, diags) = run(&*det, &[("/srv/pnpm-lock.yaml", PNPM_V9.as_bytes())]);
    assert!(diags.is_empty());
    let got: Vec<(&str, &str, Option<bool>)> = pkgs
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str(), p.direct))
        .collect();
    assert_eq!(
        got,
        [
            ("@babel/core", "7.24.0", Some(false)),
            ("lodash", "4.17.21", Some(true)),
            // Same name, other version: not the direct one.
            ("ms", "2.0.0", Some(false)),
            ("ms", "2.1.3", Some(true)),
            ("ws", "8.16.0", Some(false))
        ]
    );
}
