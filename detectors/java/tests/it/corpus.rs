//! The peers' expectations for their own fixtures (trivy's jar parser tests, syft's
//! shaded-jar case), reproduced exactly.

use serde_json::Value;
use strata_detect_java::{JavaConfig, Sha1Index};

use crate::{scan, scan_with, testdata};

/// Our origin path `/testdata/a.war!/WEB-INF/lib/x.jar` in trivy's spelling
/// `testdata/a.war/WEB-INF/lib/x.jar`.
fn trivy_path(p: &str) -> String {
    p.trim_start_matches('/').replace("!/", "/")
}

type Row = (String, String, String, Vec<String>);

fn expected(case: &str) -> Vec<Row> {
    let v: Value = serde_json::from_slice(&testdata("trivy-expected-jar.json")).unwrap();
    let case = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == case)
        .unwrap();
    let mut rows: Vec<Row> = case["want"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let lic = w["licenses"]
                .as_array()
                .map(|a| a.iter().map(|l| l.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default();
            (
                w["name"].as_str().unwrap().to_owned(),
                w["version"].as_str().unwrap().to_owned(),
                w["file_path"].as_str().unwrap().to_owned(),
                lic,
            )
        })
        .collect();
    rows.sort();
    rows
}

fn actual(input: &str, index: Option<&Sha1Index>) -> Vec<Row> {
    let data = testdata(input);
    let (pkgs, diags) = scan_with(
        &JavaConfig::default(),
        index,
        &format!("/testdata/{input}"),
        &data,
    );
    assert!(
        diags.is_empty(),
        "{input}: unexpected diagnostics {diags:?}"
    );
    let mut rows: Vec<Row> = pkgs
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.version.clone(),
                trivy_path(&p.origin.path),
                p.licenses.clone(),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn trivy_maven_war() {
    assert_eq!(actual("maven.war", None), expected("maven"));
}

#[test]
fn trivy_gradle_war() {
    assert_eq!(actual("gradle.war", None), expected("gradle"));
}

#[test]
fn trivy_nested_jars_three_levels() {
    assert_eq!(actual("nested.jar", None), expected("nested jars"));
    let data = testdata("nested.jar");
    let (pkgs, _) = scan("/testdata/nested.jar", &data);
    let deepest = pkgs.iter().find(|p| p.name == "test:nested3").unwrap();
    assert_eq!(
        deepest.origin.path,
        "/testdata/nested.jar!/META-INF/jars/nested2.jar!/META-INF/jars/nested3.jar"
    );
    assert_eq!(
        deepest.origin.real_path.as_deref(),
        Some("/testdata/nested.jar")
    );
    assert_eq!(
        deepest.purl.as_deref(),
        Some("pkg:maven/test/nested3@0.0.3")
    );
    assert_eq!(deepest.evidence.as_deref(), Some("pom.properties"));
}

#[test]
fn trivy_fat_jar_shaded_packages() {
    assert_eq!(
        actual("hadoop-shaded-guava-1.1.0-SNAPSHOT.jar", None),
        expected("fat jar")
    );
    // The jar's own package is the one matching its file name; the others are embedded.
    let (pkgs, _) = scan(
        "/x/hadoop-shaded-guava-1.1.0-SNAPSHOT.jar",
        &testdata("hadoop-shaded-guava-1.1.0-SNAPSHOT.jar"),
    );
    let embedded: Vec<&str> = pkgs
        .iter()
        .filter(|p| p.properties.contains_key("maven.embedded"))
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(embedded.len(), 4);
    assert!(!embedded.contains(&"org.apache.hadoop.thirdparty:hadoop-shaded-guava"));
}

#[test]
fn trivy_duplicate_libraries() {
    // Trivy's expectation lists gizmo once: its online SHA-1 lookup answers 1.1.0, which
    // its de-duplication folds into 1.1 from pom.properties; here pom.properties is the
    // jar's own package (artifact `gizmo` matches `io.quarkus.gizmo.gizmo-1.1.jar`) and
    // the manifest's vendor display name is not turned into a second package.
    assert_eq!(
        actual("io.quarkus.gizmo.gizmo-1.1.jar", None),
        expected("duplicate libraries")
    );
}

#[test]
fn trivy_multi_license() {
    assert_eq!(
        actual("multi-license-1.0.0.jar", None),
        expected("multiple packed license files")
    );
}

#[test]
fn trivy_jenkins_plugin_manifest_license() {
    assert_eq!(
        actual("license-from-jenkins-plugin.jar", None),
        expected("jenkins plugin manifest license")
    );
}

#[test]
fn trivy_offline_manifest() {
    let rows = actual("test.jar", None);
    assert_eq!(rows, expected("offline"));
    let (pkgs, _) = scan("/testdata/test.jar", &testdata("test.jar"));
    assert_eq!(pkgs[0].evidence.as_deref(), Some("MANIFEST.MF"));
    assert_eq!(
        pkgs[0].purl.as_deref(),
        Some("pkg:maven/org.springframework/Spring%20Framework@2.5.6.SEC03")
    );
}

#[test]
fn trivy_sha1_search_through_the_users_index() {
    // The mapping trivy's test mocks for Maven Central, supplied as a user index.
    let idx = Sha1Index::parse(
        "c666f5bc47eb64ed3bbd13505a26f58be71f33f0,org.springframework:spring-core:5.3.3\n",
        "t",
    )
    .unwrap();
    assert_eq!(actual("test.jar", Some(&idx)), expected("sha1 search"));
    let (pkgs, _) = scan_with(
        &JavaConfig::default(),
        Some(&idx),
        "/testdata/test.jar",
        &testdata("test.jar"),
    );
    assert_eq!(pkgs[0].evidence.as_deref(), Some("sha1-index"));
}

#[test]
fn trivy_artifact_id_search_is_not_reproduced_offline() {
    // Trivy finds the group `com.example` by querying Maven Central for the artifact id;
    // with no network we report what the file name says, group unknown (name = artifact,
    // purl namespace = artifact, as Syft does).
    let want = expected("artifactId search");
    assert_eq!(want[0].0, "com.example:heuristic");
    let (pkgs, _) = scan(
        "/testdata/heuristic-1.0.0-SNAPSHOT.jar",
        &testdata("heuristic-1.0.0-SNAPSHOT.jar"),
    );
    assert_eq!(pkgs.len(), 1);
    assert_eq!(pkgs[0].name, "heuristic");
    assert_eq!(pkgs[0].version, want[0].1);
    assert_eq!(
        pkgs[0].purl.as_deref(),
        Some("pkg:maven/heuristic/heuristic@1.0.0-SNAPSHOT")
    );
    assert_eq!(pkgs[0].evidence.as_deref(), Some("file-name"));
    assert_eq!(
        pkgs[0]
            .properties
            .get("maven.group-source")
            .map(String::as_str),
        Some("unknown")
    );
}

#[test]
fn syft_shaded_joda_time() {
    let v: Value = serde_json::from_slice(&testdata("syft-expected.json")).unwrap();
    let case = &v["cases"][0];
    let input = case["input"].as_str().unwrap();
    let (pkgs, diags) = scan(&format!("/img/{input}"), &testdata(input));
    assert!(diags.is_empty(), "{diags:?}");
    let mut got: Vec<(String, String)> = pkgs
        .iter()
        .map(|p| {
            (
                p.name.rsplit(':').next().unwrap().to_owned(),
                p.version.clone(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = case["packages"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    want.sort();
    assert_eq!(got, want);
    let joda = pkgs
        .iter()
        .find(|p| p.name == "joda-time:joda-time")
        .unwrap();
    assert_eq!(
        joda.purl.as_deref(),
        Some("pkg:maven/joda-time/joda-time@2.9.2")
    );
    assert_eq!(joda.origin.path, format!("/img/{input}"));
    assert!(
        pkgs.iter()
            .any(|p| p.name == "org.anchore:example-java-app-maven")
    );
}
