//! Trivy's end-to-end repository cases (integration/repo_test.go): the advisory fixtures
//! of trivy-db are converted into the model, the packages of each golden report are built
//! directly, and the matched ids and fixed versions must equal the golden's exactly.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::Value;
use strata_core::{Ecosystem, Output, Package};
use strata_detect_vulns::VulnAnalyzer;
use strata_vulndb::import::Parsed;
use strata_vulndb::{Advisory, Affected, AffectedStatus, Builder, Database};

use crate::{testdata, vulns};

/// trivy-db bucket prefix -> namespace.
fn namespace(bucket: &str) -> Option<&'static str> {
    Some(match bucket.split("::").next()? {
        "pip" => "pypi",
        "npm" => "npm",
        "go" => "go",
        "maven" => "maven",
        "cargo" => "crates.io",
        "composer" => "packagist",
        "nuget" => "nuget",
        "rubygems" => "rubygems",
        _ => return None,
    })
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|x| match x {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn fixture_db() -> Database {
    let mut parsed = Parsed::default();
    for f in ["python", "nodejs", "go", "java", "rust", "composer", "nuget"] {
        let text = std::fs::read(testdata(&format!("trivy/db-fixtures/{f}.yaml"))).unwrap();
        let doc: Value = serde_norway::from_slice(&text).unwrap();
        for bucket in doc.as_array().unwrap() {
            let name = bucket["bucket"].as_str().unwrap();
            let Some(ns) = namespace(name) else { continue };
            for pkg in bucket["pairs"].as_array().unwrap() {
                let pkg_name = pkg["bucket"].as_str().unwrap();
                for pair in pkg["pairs"].as_array().unwrap() {
                    let id = pair["key"].as_str().unwrap();
                    let patched = strings(pair["value"].get("PatchedVersions"));
                    let vulnerable = strings(pair["value"].get("VulnerableVersions"));
                    parsed.advisories.push(Advisory {
                        id: id.to_owned(),
                        source: name.to_owned(),
                        affected: vec![Affected {
                            namespace: ns.to_owned(),
                            package: pkg_name.to_owned(),
                            status: if patched.is_empty() { AffectedStatus::Affected } else { AffectedStatus::Fixed },
                            unaffected: if vulnerable.is_empty() { patched.clone() } else { Vec::new() },
                            constraints: vulnerable,
                            fixed_hint: (!patched.is_empty()).then(|| patched.join(", ")),
                            ..Default::default()
                        }],
                        ..Default::default()
                    });
                }
            }
        }
    }
    let mut b = Builder::new();
    b.merge(parsed);
    Database::from_bytes(b.finish().unwrap().0).unwrap()
}

fn ecosystem(kind: &str) -> Option<Ecosystem> {
    Some(match kind {
        "npm" | "pnpm" | "yarn" => Ecosystem::Npm,
        "pip" | "poetry" | "pipenv" => Ecosystem::Pypi,
        "gomod" => Ecosystem::Golang,
        "gradle" | "pom" => Ecosystem::Maven,
        "cargo" => Ecosystem::Cargo,
        "composer" => Ecosystem::Composer,
        "nuget" | "dotnet-core" => Ecosystem::Nuget,
        _ => return None,
    })
}

type Row = (String, String, String, Option<String>);

/// Runs one golden: returns (expected, actual) rows.
fn run(db: &Arc<Database>, golden: &str) -> Vec<(String, BTreeSet<Row>, BTreeSet<Row>)> {
    let g: Value =
        serde_json::from_slice(&std::fs::read(testdata(&format!("trivy/goldens/{golden}.golden.json"))).unwrap())
            .unwrap();
    let analyzer = VulnAnalyzer::new(db.clone());
    let mut results = Vec::new();
    for r in g["Results"].as_array().unwrap() {
        let Some(eco) = ecosystem(r["Type"].as_str().unwrap_or("")) else { continue };
        let expected: BTreeSet<Row> = r["Vulnerabilities"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| {
                (
                    v["VulnerabilityID"].as_str().unwrap().to_owned(),
                    v["PkgName"].as_str().unwrap().to_owned(),
                    v["InstalledVersion"].as_str().unwrap().to_owned(),
                    v["FixedVersion"].as_str().map(str::to_owned),
                )
            })
            .collect();
        // The golden's package list when it has one (listAllPkgs), else the vulnerable
        // packages it names.
        let mut pkgs: BTreeSet<(String, String)> = r["Packages"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| (p["Name"].as_str().unwrap().to_owned(), p["Version"].as_str().unwrap().to_owned()))
            .collect();
        if pkgs.is_empty() {
            pkgs = expected.iter().map(|(_, n, v, _)| (n.clone(), v.clone())).collect();
        }
        let packages: Vec<Package> = pkgs
            .into_iter()
            .map(|(name, version)| Package { name, version, ecosystem: eco, ..Default::default() })
            .collect();
        let mut out = Output::new();
        analyzer.match_packages(None, &packages, &mut out);
        let actual: BTreeSet<Row> = vulns(&out)
            .into_iter()
            .map(|v| (v.id.to_string(), v.package.to_string(), v.version.to_string(), v.fixed_version.as_deref().map(str::to_owned)))
            .collect();
        results.push((r["Target"].as_str().unwrap().to_owned(), expected, actual));
    }
    results
}

#[test]
fn trivy_repository_cases_match_goldens_exactly() {
    let db = Arc::new(fixture_db());
    let cases: Value = serde_json::from_slice(&std::fs::read(testdata("trivy/cases.json")).unwrap()).unwrap();
    let mut checked = 0;
    for case in cases["cases"].as_array().unwrap() {
        let golden = case["golden"].as_str().unwrap().trim_start_matches("goldens/").trim_end_matches(".golden.json");
        // Cases whose golden was not copied need a feed or ecosystem we do not match
        // (conan, pub, hex) or differ only by scan options (skip dirs, severity source).
        if !testdata(&format!("trivy/goldens/{golden}.golden.json")).exists() {
            continue;
        }
        for (target, expected, actual) in run(&db, golden) {
            assert_eq!(actual, expected, "case {:?}, target {target}", case["name"]);
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} targets checked");
}
