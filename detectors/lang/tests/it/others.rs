//! PHP, Ruby, .NET.

use std::collections::BTreeSet;

use strata_core::Ecosystem;

type Row = (String, String, bool, Option<bool>, Vec<String>);

use crate::{detector, direct_of, expected, fixture, read, run, strings};

#[test]
fn composer_matches_trivy() {
    let exp = expected("php/trivy/expected-composer.json");
    let det = detector("lang/php");
    let mut n = 0;
    for case in exp["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let mut files = Vec::new();
        for name in ["composer.json", "composer.lock"] {
            let p = fixture(&format!("php/trivy/{input}/{name}"));
            if p.exists() {
                files.push((format!("/srv/app/{name}"), std::fs::read(p).unwrap()));
            }
        }
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let (pkgs, diags) = run(&*det, &refs);
        n += 1;
        let Some(apps) = case["want"].get("applications") else {
            assert!(pkgs.is_empty(), "{input}");
            assert_eq!(diags.len(), 1, "{input}");
            continue;
        };
        assert!(diags.is_empty(), "{input}: {diags:?}");
        let want: BTreeSet<Row> = apps[0]["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_owned(),
                    p["version"].as_str().unwrap().to_owned(),
                    p["dev"].as_bool().unwrap_or(false),
                    direct_of(p.get("relationship")),
                    strings(p.get("licenses")),
                )
            })
            .collect();
        let got: BTreeSet<_> = pkgs
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.version.clone(),
                    p.properties.contains_key("dev"),
                    p.direct,
                    p.licenses.clone(),
                )
            })
            .collect();
        assert_eq!(got, want, "{input}");
        assert_eq!(pkgs.len(), want.len());
        assert!(pkgs.iter().all(
            |p| p.origin.path == "/srv/app/composer.lock" && p.ecosystem == Ecosystem::Composer
        ));
    }
    assert_eq!(n, 5);
}

#[test]
fn composer_installed_json_v1_v2_and_dedup_with_lock() {
    let v2 = br#"{"packages":[{"name":"pear/log","version":"1.13.3","license":["MIT"]},
        {"name":"phpunit/phpunit","version":"9.6.0","license":["BSD-3-Clause"]}],
        "dev":true,"dev-package-names":["phpunit/phpunit"]}"#;
    let v1 = br#"[{"name":"monolog/monolog","version":"2.9.1","license":["MIT"]}]"#;
    let det = detector("lang/php");
    let (pkgs, diags) = run(&*det, &[("/var/www/vendor/composer/installed.json", v2)]);
    assert!(diags.is_empty());
    let got: Vec<(&str, bool)> = pkgs
        .iter()
        .map(|p| (p.purl.as_deref().unwrap(), p.properties.contains_key("dev")))
        .collect();
    assert_eq!(
        got,
        [
            ("pkg:composer/pear/log@1.13.3", false),
            ("pkg:composer/phpunit/phpunit@9.6.0", true)
        ]
    );
    assert_eq!(pkgs[0].evidence.as_deref(), Some("installed.json"));
    let (pkgs, _) = run(&*det, &[("/var/www/vendor/composer/installed.json", v1)]);
    assert_eq!(pkgs.len(), 1);
    assert_eq!(pkgs[0].licenses, ["MIT"]);
    // With the project's lock file beside vendor/, shared packages are reported once.
    let lock = read("php/trivy/composer/happy/composer.lock");
    let (pkgs, _) = run(
        &*det,
        &[
            ("/var/www/composer.lock", &lock),
            ("/var/www/vendor/composer/installed.json", v2),
        ],
    );
    let rows: Vec<(&str, &str)> = pkgs
        .iter()
        .map(|p| (p.name.as_str(), p.evidence.as_deref().unwrap()))
        .collect();
    assert_eq!(
        rows,
        [
            ("pear/log", "composer.lock"),
            ("pear/pear_exception", "composer.lock"),
            ("phpunit/phpunit", "installed.json")
        ]
    );
}

#[test]
fn gemspec_matches_trivy() {
    let exp = expected("ruby/trivy/expected-gemspec.json");
    let det = detector("lang/ruby");
    let mut n = 0;
    for case in exp["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let path = format!("/usr/local/bundle/specifications/{input}");
        let (pkgs, diags) = run(&*det, &[(&path, &read(&format!("ruby/trivy/{input}")))]);
        n += 1;
        if case.get("want_error").is_some() {
            assert!(pkgs.is_empty(), "{input}");
            assert_eq!(diags.len(), 1, "{input}");
            assert!(diags[0].code.starts_with("lang-ruby-gemspec"));
            continue;
        }
        let want = &case["want"][0];
        assert_eq!(pkgs.len(), 1, "{input}");
        assert_eq!(pkgs[0].name, want["name"].as_str().unwrap());
        assert_eq!(pkgs[0].version, want["version"].as_str().unwrap());
        assert_eq!(pkgs[0].licenses, strings(want.get("licenses")), "{input}");
        assert_eq!(pkgs[0].ecosystem, Ecosystem::Gem);
        assert_eq!(
            pkgs[0].purl.as_deref(),
            Some(format!("pkg:gem/{}@{}", pkgs[0].name, pkgs[0].version).as_str())
        );
    }
    assert_eq!(n, 6);
}

#[test]
fn dotnet_deps_json() {
    let deps = br#"{
      "runtimeTarget": {"name": ".NETCoreApp,Version=v6.0"},
      "targets": {".NETCoreApp,Version=v6.0": {"app/1.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1"}}}},
      "libraries": {
        "app/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
        "Newtonsoft.Json/13.0.1": {"type": "package", "serviceable": true, "sha512": "sha512-x"},
        "System.Text.Json/4.7.2": {"type": "package"}
      }
    }"#;
    let (pkgs, diags) = run(&*detector("lang/dotnet"), &[("/app/app.deps.json", deps)]);
    assert!(diags.is_empty());
    let purls: Vec<&str> = pkgs.iter().map(|p| p.purl.as_deref().unwrap()).collect();
    assert_eq!(
        purls,
        [
            "pkg:nuget/Newtonsoft.Json@13.0.1",
            "pkg:nuget/System.Text.Json@4.7.2"
        ]
    );
    assert!(
        pkgs.iter()
            .all(|p| p.ecosystem == Ecosystem::Nuget && p.evidence.as_deref() == Some("deps.json"))
    );
    let (pkgs, diags) = run(
        &*detector("lang/dotnet"),
        &[("/app/app.deps.json", b"{\"x\": 1}")],
    );
    assert!(pkgs.is_empty());
    assert_eq!(diags[0].code, "lang-dotnet-deps-missing-field");
}
