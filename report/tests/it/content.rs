//! Field-by-field checks of each format on the built reports.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use strata_core::report::ScanOutput;

use crate::fixtures::{self, FINGERPRINT, FULL_SECRET, MASKED, SCRIPT_NAME};
use crate::{render, render_json};

const ALL: &[&str] = &["json", "table", "cyclonedx", "spdx", "sarif", "csv", "html"];

fn layer(i: u32) -> String {
    format!("sha256:{}", format!("{i}").repeat(64))
}

fn props(c: &Value) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in c["properties"].as_array().into_iter().flatten() {
        m.entry(p["name"].as_str().unwrap().to_string())
            .or_default()
            .push(p["value"].as_str().unwrap().to_string());
    }
    m
}

fn one<'a>(m: &'a BTreeMap<String, Vec<String>>, k: &str) -> &'a str {
    let v = m.get(k).unwrap_or_else(|| panic!("no property {k}: {m:?}"));
    assert_eq!(v.len(), 1, "{k}: {v:?}");
    &v[0]
}

fn all_components(v: &Value, out: &mut Vec<Value>) {
    for c in v.as_array().into_iter().flatten() {
        out.push(c.clone());
        all_components(&c["components"], out);
    }
}

#[test]
fn cyclonedx_single_image() {
    let bom = render_json("cyclonedx", &fixtures::single());
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["specVersion"], "1.6");
    assert!(
        bom["serialNumber"]
            .as_str()
            .unwrap()
            .starts_with("urn:uuid:")
    );
    assert_eq!(bom["metadata"]["timestamp"], "2024-05-06T07:08:09Z");
    assert_eq!(bom["metadata"]["tools"]["components"][0]["name"], "strata");
    let root = &bom["metadata"]["component"];
    assert_eq!(root["type"], "container");
    assert_eq!(root["name"], "example.com/team/app:1.0");
    assert_eq!(root["version"], format!("sha256:{}", "d".repeat(64)));
    assert_eq!(
        root["purl"],
        format!(
            "pkg:oci/app@sha256%3A{}?arch=amd64&repository_url=example.com%2Fteam%2Fapp&tag=1.0",
            "d".repeat(64)
        )
    );
    let rp = props(root);
    assert_eq!(one(&rp, "strata:layer:1:diff_id"), layer(1));
    assert_eq!(
        one(&rp, "strata:layer:2:created_by"),
        "RUN step 2 && echo \"<done>\""
    );

    let comps = bom["components"].as_array().unwrap();
    // 14 packages + the OS.
    assert_eq!(comps.len(), 15);
    let os: Vec<&Value> = comps
        .iter()
        .filter(|c| c["type"] == "operating-system")
        .collect();
    assert_eq!(os.len(), 1);
    assert_eq!(
        (os[0]["name"].as_str(), os[0]["version"].as_str()),
        (Some("debian"), Some("12"))
    );

    let log4j: Vec<&Value> = comps.iter().filter(|c| c["name"] == "log4j-core").collect();
    assert_eq!(log4j.len(), 2);
    assert!(
        log4j
            .iter()
            .all(|c| c["group"] == "org.apache.logging.log4j" && c["version"] == "2.14.1")
    );
    assert_ne!(log4j[0]["bom-ref"], log4j[1]["bom-ref"]);
    let paths: BTreeSet<String> = log4j
        .iter()
        .map(|c| one(&props(c), "strata:path").to_string())
        .collect();
    assert_eq!(
        paths,
        BTreeSet::from([
            "/app/app.war!/WEB-INF/lib/fat.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar".to_string(),
            "/app/app.war!/WEB-INF/lib/log4j-core-2.14.1.jar".to_string()
        ])
    );
    let p = props(log4j[0]);
    assert_eq!(one(&p, "strata:real_path"), "/app/app.war");
    assert_eq!(one(&p, "strata:layer:diff_id"), layer(1));
    assert_eq!(one(&p, "strata:layer:index"), "1");
    assert_eq!(one(&p, "strata:package:ecosystem"), "maven");
    assert_eq!(one(&p, "strata:package:evidence"), "pom.properties");

    let by_name = |n: &str| {
        comps
            .iter()
            .find(|c| c["name"] == n)
            .unwrap_or_else(|| panic!("no component {n}"))
    };
    let openssl = by_name("openssl");
    assert_eq!(openssl["type"], "library");
    assert_eq!(
        openssl["licenses"],
        serde_json::json!([{"license": {"id": "Apache-2.0"}}, {"license": {"name": "GPL-2+"}}])
    );
    assert_eq!(
        openssl["supplier"]["name"],
        "Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>"
    );
    let op = props(openssl);
    assert_eq!(one(&op, "strata:package:source_name"), "openssl");
    assert_eq!(one(&op, "strata:package:arch"), "amd64");
    assert_eq!(one(&op, "strata:layer:index"), "0");
    assert_eq!(
        by_name("serde")["licenses"],
        serde_json::json!([{"expression": "MIT OR Apache-2.0"}])
    );
    let nginx = by_name("nginx");
    assert_eq!(nginx["type"], "application");
    assert_eq!(nginx["cpe"], "cpe:2.3:a:f5:nginx:1.25.3:*:*:*:*:*:*:*");
    assert_eq!(
        one(&props(nginx), "strata:package:os_package"),
        "nginx-core"
    );
    let gomod = props(by_name("github.com/foo/bar"));
    assert_eq!(
        one(&gomod, "strata:package:property:go_version"),
        "go1.21.0"
    );
    assert_eq!(one(&gomod, "strata:package:direct"), "true");
    assert_eq!(
        by_name("@babel/core")["purl"],
        "pkg:npm/%40babel/core@7.22.0"
    );

    // Dependencies: the image on the OS and the application packages, the OS on OS packages.
    let deps: BTreeMap<String, BTreeSet<String>> = bom["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let on = d["dependsOn"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            (d["ref"].as_str().unwrap().to_string(), on)
        })
        .collect();
    let os_ref = os[0]["bom-ref"].as_str().unwrap();
    let image = &deps["image"];
    assert!(image.contains(os_ref));
    assert!(
        log4j
            .iter()
            .all(|c| image.contains(c["bom-ref"].as_str().unwrap()))
    );
    assert!(!image.contains(openssl["bom-ref"].as_str().unwrap()));
    let os_children = &deps[os_ref];
    for n in ["openssl", "bash", "musl"] {
        assert!(
            os_children.contains(by_name(n)["bom-ref"].as_str().unwrap()),
            "{n}"
        );
    }
    assert_eq!(image.len() + os_children.len(), 15);

    // Vulnerabilities: grouped by id, affects resolve to components.
    let refs: BTreeSet<&str> = comps
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    let vulns: BTreeMap<&str, &Value> = bom["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["id"].as_str().unwrap(), v))
        .collect();
    assert_eq!(vulns.len(), 7);
    for v in vulns.values() {
        for a in v["affects"].as_array().unwrap() {
            assert!(
                refs.contains(a["ref"].as_str().unwrap()),
                "dangling ref {a}"
            );
        }
    }
    let l = vulns["CVE-2021-44228"];
    assert_eq!(l["affects"].as_array().unwrap().len(), 2);
    assert_eq!(l["source"]["name"], "ghsa");
    assert_eq!(
        l["recommendation"],
        "upgrade org.apache.logging.log4j:log4j-core to 2.15.0"
    );
    assert_eq!(l["references"][0]["id"], "GHSA-jfh8-c2jp-5v3q");
    assert_eq!(l["analysis"]["response"], serde_json::json!(["update"]));
    let cvss31 = l["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["method"] == "CVSSv31")
        .unwrap();
    assert_eq!(
        (cvss31["score"].as_f64(), cvss31["severity"].as_str()),
        (Some(10.0), Some("critical"))
    );
    assert_eq!(one(&props(l), "strata:known_exploited"), "true");
    let methods = |id: &str| -> BTreeSet<String> {
        vulns[id]["ratings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["method"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(methods("CVE-2023-5678").contains("CVSSv3"));
    assert!(methods("CVE-2023-0003").contains("CVSSv4"));
    assert!(methods("CVE-2023-0004").contains("CVSSv2"));
    assert_eq!(vulns["CVE-2023-0003"]["analysis"]["state"], "not_affected");
    assert_eq!(
        vulns["CVE-2023-0003"]["affects"][0]["versions"][0]["status"],
        "unaffected"
    );
    assert_eq!(
        vulns["CVE-2023-0001"]["analysis"]["response"],
        serde_json::json!(["will_not_fix"])
    );
    assert_eq!(vulns["CVE-2023-0002"]["ratings"][0]["severity"], "unknown");
    assert_eq!(
        one(&props(vulns["CVE-2023-0004"]), "strata:status"),
        "end_of_life"
    );
}

#[test]
fn cyclonedx_index_nests_platform_images() {
    let bom = render_json("cyclonedx", &fixtures::index());
    let root = &bom["metadata"]["component"];
    assert_eq!(
        (root["bom-ref"].as_str(), root["name"].as_str()),
        (Some("index"), Some("oci:/tmp/multi.oci"))
    );
    assert_eq!(root["version"], format!("sha256:{}", "f".repeat(64)));
    let images = bom["components"].as_array().unwrap();
    assert_eq!(images.len(), 2);
    assert!(images.iter().all(|c| c["type"] == "container"));
    assert_eq!(
        one(&props(&images[0]), "strata:image:platform"),
        "linux/amd64"
    );
    assert_eq!(
        one(&props(&images[1]), "strata:image:platform"),
        "linux/arm64/v8"
    );
    assert_eq!(images[0]["components"].as_array().unwrap().len(), 15);
    assert_eq!(images[1]["components"].as_array().unwrap().len(), 14);
    let mut all = Vec::new();
    all_components(&bom["components"], &mut all);
    let refs: Vec<&str> = all.iter().map(|c| c["bom-ref"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = refs.iter().copied().collect();
    assert_eq!(
        refs.len(),
        unique.len(),
        "bom-refs must be unique across platforms"
    );
    let index_dep = bom["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["ref"] == "index")
        .unwrap();
    assert_eq!(index_dep["dependsOn"].as_array().unwrap().len(), 2);
    for d in bom["dependencies"].as_array().unwrap() {
        for r in d["dependsOn"].as_array().unwrap() {
            assert!(unique.contains(r.as_str().unwrap()), "dangling {r}");
        }
    }
    // Log4Shell once per platform, each pointing into its own platform.
    let l: Vec<&Value> = bom["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["id"] == "CVE-2021-44228")
        .collect();
    assert_eq!(l.len(), 2);
    assert!(
        l[0]["affects"][0]["ref"]
            .as_str()
            .unwrap()
            .starts_with("linux/amd64/")
    );
    assert!(
        l[1]["affects"][0]["ref"]
            .as_str()
            .unwrap()
            .starts_with("linux/arm64/v8/")
    );
}

fn spdx_ids(doc: &Value) -> Vec<String> {
    doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["SPDXID"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn spdx_single_image() {
    let doc = render_json("spdx", &fixtures::single());
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
    assert_eq!(doc["dataLicense"], "CC0-1.0");
    assert_eq!(doc["SPDXID"], "SPDXRef-DOCUMENT");
    assert_eq!(doc["creationInfo"]["created"], "2024-05-06T07:08:09Z");
    assert_eq!(
        doc["creationInfo"]["creators"],
        serde_json::json!([format!("Tool: strata-{}", env!("CARGO_PKG_VERSION"))])
    );
    assert!(
        doc["documentNamespace"]
            .as_str()
            .unwrap()
            .starts_with("https://spdx.org/spdxdocs/strata-")
    );
    let ids = spdx_ids(&doc);
    // image + OS + 14 packages
    assert_eq!(ids.len(), 16);
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "SPDXIDs unique"
    );
    for id in &ids {
        let rest = id.strip_prefix("SPDXRef-").unwrap();
        assert!(
            !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            "{id}"
        );
    }
    let pk = |n: &str| {
        doc["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == n)
            .unwrap_or_else(|| panic!("{n}"))
            .clone()
    };
    let image = pk("example.com/team/app:1.0");
    assert_eq!(image["primaryPackagePurpose"], "CONTAINER");
    assert_eq!(
        doc["documentDescribes"],
        serde_json::json!([image["SPDXID"]])
    );
    let rels = doc["relationships"].as_array().unwrap();
    assert_eq!(rels[0]["relationshipType"], "DESCRIBES");
    assert_eq!(rels[0]["relatedSpdxElement"], image["SPDXID"]);
    let contained: BTreeSet<&str> = rels
        .iter()
        .filter(|r| r["relationshipType"] == "CONTAINS" && r["spdxElementId"] == image["SPDXID"])
        .map(|r| r["relatedSpdxElement"].as_str().unwrap())
        .collect();
    assert_eq!(contained.len(), 15);
    assert_eq!(pk("debian")["primaryPackagePurpose"], "OPERATING_SYSTEM");

    let openssl = pk("openssl");
    assert_eq!(openssl["downloadLocation"], "NOASSERTION");
    assert_eq!(openssl["filesAnalyzed"], false);
    assert_eq!(openssl["licenseConcluded"], "NOASSERTION");
    let declared = openssl["licenseDeclared"].as_str().unwrap();
    let (first, lref) = declared.split_once(" AND ").unwrap();
    assert_eq!(first, "Apache-2.0");
    let extracted = doc["hasExtractedLicensingInfos"].as_array().unwrap();
    let gpl = extracted.iter().find(|e| e["licenseId"] == lref).unwrap();
    assert_eq!(gpl["extractedText"], "GPL-2+");
    assert_eq!(
        openssl["supplier"],
        "Organization: Debian OpenSSL Team (pkg-openssl-devel@alioth-lists.debian.net)"
    );
    assert_eq!(
        openssl["sourceInfo"],
        "built package from: openssl 3.0.11-1~deb12u2"
    );
    assert_eq!(
        openssl["externalRefs"][0],
        serde_json::json!({"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
            "referenceLocator": "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12"})
    );
    assert_eq!(pk("serde")["licenseDeclared"], "MIT OR Apache-2.0");
    assert_eq!(pk("github.com/foo/bar")["licenseDeclared"], "NOASSERTION");
    assert_eq!(pk("nginx")["externalRefs"][0]["referenceType"], "cpe23Type");
    assert_eq!(pk("nginx")["primaryPackagePurpose"], "APPLICATION");
    let log4j = pk("org.apache.logging.log4j:log4j-core");
    let notes: Vec<&str> = log4j["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["comment"].as_str().unwrap())
        .collect();
    assert!(
        notes.contains(&format!("strata:layer:diff_id={}", layer(1)).as_str()),
        "{notes:?}"
    );
    assert!(notes.contains(&"strata:layer:index=1"));
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("strata:path=/app/app.war!/WEB-INF/lib/"))
    );
}

#[test]
fn spdx_index_has_one_package_per_platform() {
    let doc = render_json("spdx", &fixtures::index());
    let pk = doc["packages"].as_array().unwrap();
    let containers: Vec<&Value> = pk
        .iter()
        .filter(|p| p["primaryPackagePurpose"] == "CONTAINER")
        .collect();
    assert_eq!(containers.len(), 3, "index + two platform images");
    let index_id = doc["documentDescribes"][0].as_str().unwrap();
    assert!(index_id.starts_with("SPDXRef-Index-"));
    let from_index: Vec<&Value> = doc["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["spdxElementId"] == index_id && r["relationshipType"] == "CONTAINS")
        .collect();
    assert_eq!(from_index.len(), 2);
    // 1 index + (1 image + 1 OS + 14) + (1 image + 1 OS + 13)
    assert_eq!(pk.len(), 32);
    let ids = spdx_ids(&doc);
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len());
}

#[test]
fn sarif_single_image() {
    let log = render_json("sarif", &fixtures::single());
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "strata");
    assert_eq!(
        run["properties"]["digest"],
        format!("sha256:{}", "d".repeat(64))
    );
    assert_eq!(run["originalUriBaseIds"]["ROOTFS"]["uri"], "file:///");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        rule_ids.iter().collect::<BTreeSet<_>>().len(),
        rule_ids.len()
    );
    // 7 vulnerability ids, 2 secret rules, 1 malware, 2 misconfigurations, 1 compliance rule
    assert_eq!(rules.len(), 13);
    let rule = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(
        rule("CVE-2021-44228")["properties"]["security-severity"],
        "9.5"
    );
    assert_eq!(
        rule("CVE-2021-44228")["defaultConfiguration"]["level"],
        "error"
    );
    assert_eq!(
        rule("CVE-2021-44228")["helpUri"],
        "https://nvd.nist.gov/vuln/detail/CVE-2021-44228"
    );
    assert_eq!(
        rule("CVE-2023-5678")["properties"]["security-severity"],
        "5.5"
    );
    assert_eq!(
        rule("CVE-2023-5678")["defaultConfiguration"]["level"],
        "warning"
    );
    assert_eq!(
        rule("CVE-2023-0001")["properties"]["security-severity"],
        "2.0"
    );
    assert!(
        rule("CVE-2023-0002")["properties"]
            .get("security-severity")
            .is_none()
    );
    assert_eq!(
        rule("CVE-2023-0004")["properties"]["security-severity"],
        "8.0"
    );
    assert_eq!(
        rule("secret/aws-access-key-id")["properties"]["security-severity"],
        "9.5"
    );
    assert!(rule("malware/EICAR-Test-File").is_object());
    assert!(rule("misconfig/sshd-permit-root-login").is_object());
    assert!(rule("compliance/forbidden-tool/gdb").is_object());

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 8 + 2 + 1 + 2 + 1);
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
            "ROOTFS"
        );
    }
    let uri = |r: &Value| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let l: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "CVE-2021-44228")
        .collect();
    assert_eq!(l.len(), 2);
    let uris: BTreeSet<String> = l.iter().map(|r| uri(r)).collect();
    assert!(
        uris.contains("app/app.war!/WEB-INF/lib/log4j-core-2.14.1.jar"),
        "{uris:?}"
    );
    assert_ne!(l[0]["partialFingerprints"], l[1]["partialFingerprints"]);
    assert_eq!(l[0]["level"], "error");
    assert_eq!(l[0]["properties"]["layerIndex"], 1);
    let aws = results
        .iter()
        .find(|r| r["ruleId"] == "secret/aws-access-key-id")
        .unwrap();
    assert_eq!(
        aws["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert_eq!(uri(aws), "app/.env");
    assert!(aws["message"]["text"].as_str().unwrap().contains(MASKED));
    assert_eq!(aws["properties"]["removedInLayer"], 2);
    let na = results
        .iter()
        .find(|r| r["ruleId"] == "CVE-2023-0003")
        .unwrap();
    assert_eq!(na["suppressions"][0]["status"], "accepted");
    let mal = results
        .iter()
        .find(|r| r["ruleId"] == "malware/EICAR-Test-File")
        .unwrap();
    assert_eq!(uri(mal), "tmp/eicar,%20copy.com");
    let cfg = results
        .iter()
        .find(|r| r["ruleId"] == "misconfig/CIS-DI-0001")
        .unwrap();
    assert_eq!(uri(cfg), ".");
}

#[test]
fn sarif_index_has_one_run_per_platform() {
    let log = render_json("sarif", &fixtures::index());
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["automationDetails"]["id"], "strata/linux/amd64/");
    assert_eq!(runs[1]["automationDetails"]["id"], "strata/linux/arm64/v8/");
    assert_eq!(runs[0]["results"].as_array().unwrap().len(), 14);
    assert_eq!(runs[1]["results"].as_array().unwrap().len(), 13);
}

/// RFC 4180 parser for the checks.
pub(crate) fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
        } else {
            match c {
                '"' => quoted = true,
                ',' => row.push(std::mem::take(&mut field)),
                '\r' => {
                    assert_eq!(chars.next(), Some('\n'), "bare CR outside quotes");
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                '\n' => panic!("bare LF outside quotes"),
                c => field.push(c),
            }
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "last line not terminated"
    );
    rows
}

#[test]
fn csv_rows_for_every_kind() {
    let rows = parse_csv(&render("csv", &fixtures::single()));
    let header = &rows[0];
    assert_eq!(
        header.join(","),
        "platform,kind,severity,id,package,version,fixed_version,status,path,line,layer_index,layer,removed_in_layer,title"
    );
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let count = |k: &str| rows.iter().filter(|r| r[1] == k).count();
    assert_eq!(
        [
            count("package"),
            count("vulnerability"),
            count("secret"),
            count("malware"),
            count("misconfiguration"),
            count("compliance")
        ],
        [14, 8, 2, 1, 2, 1]
    );
    let get = |kind: &str, id: &str| {
        rows.iter()
            .find(|r| r[1] == kind && r[3] == id)
            .unwrap_or_else(|| panic!("{kind} {id}"))
    };
    let l = get("vulnerability", "CVE-2021-44228");
    assert_eq!(
        (
            l[2].as_str(),
            l[4].as_str(),
            l[5].as_str(),
            l[6].as_str(),
            l[7].as_str()
        ),
        (
            "critical",
            "org.apache.logging.log4j:log4j-core",
            "2.14.1",
            "2.15.0",
            "fixed"
        )
    );
    assert_eq!(l[10], "1");
    assert_eq!(l[11], layer(1));
    let s = get("secret", "aws-access-key-id");
    assert_eq!(
        (s[8].as_str(), s[9].as_str(), s[12].as_str()),
        ("/app/.env", "3", "2")
    );
    assert!(s[13].contains(MASKED));
    assert_eq!(get("malware", "EICAR-Test-File")[8], "/tmp/eicar, copy.com");
    let x = get("vulnerability", "CVE-2023-0005");
    assert_eq!(x[4], SCRIPT_NAME);
    assert_eq!(x[5], "1.0.0\"><b>");
    assert_eq!(get("vulnerability", "CVE-2023-0003")[7], "not_affected");

    let rows = parse_csv(&render("csv", &fixtures::index()));
    let platforms: BTreeSet<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(platforms, BTreeSet::from(["linux/amd64", "linux/arm64/v8"]));
    // linux/amd64: 14 packages + 14 findings; linux/arm64/v8 lacks nginx and its vulnerability.
    assert_eq!(rows.len(), 1 + 28 + 26);
}

#[test]
fn csv_neutralises_formulas() {
    let mut r = fixtures::full_report();
    r.packages[0].name = "=HYPERLINK(\"http://x\")".into();
    let rows = parse_csv(&render("csv", &ScanOutput::Single(Box::new(r))));
    assert!(rows.iter().any(|r| r[4] == "'=HYPERLINK(\"http://x\")"));
    assert!(!rows.iter().flatten().any(|c| c.starts_with('=')));
}

#[test]
fn html_is_escaped_and_self_contained() {
    for out in [fixtures::single(), fixtures::index()] {
        let html = render("html", &out);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("1.0.0&quot;&gt;&lt;b&gt;"));
        let lower = html.to_ascii_lowercase();
        for bad in [
            "<script",
            "<img",
            "<b>",
            "<i>",
            "<link",
            "<iframe",
            "<a href=\"javascript",
            "@import",
            "url(",
        ] {
            assert!(!lower.contains(bad), "{bad} in the page");
        }
        assert!(html.contains("Content-Security-Policy"));
        for h in [
            "Vulnerabilities (",
            "Packages (",
            "Secrets (",
            "Malware (",
            "Misconfigurations (",
            "Compliance (",
            "Largest files (",
            "Files per layer (",
            "Diagnostics (",
            "Layers (",
        ] {
            assert!(html.contains(&format!("<h3>{h}")), "{h}");
        }
        // Not-affected vulnerabilities are not counted: critical 2 (log4j twice), high 2,
        // medium 1, low 1, unknown 1 on linux/amd64.
        assert!(html.contains(
            "<tr><td>vulnerabilities</td><td>2</td><td>2</td><td>1</td><td>1</td><td>1</td><td>7</td></tr>"
        ));
    }
    let html = render("html", &fixtures::index());
    // linux/arm64/v8 has no nginx: one high less.
    assert!(html.contains(
        "<tr><td>vulnerabilities</td><td>2</td><td>1</td><td>1</td><td>1</td><td>1</td><td>6</td></tr>"
    ));
    assert!(html.contains("<h2>linux/amd64: example.com/team/app:1.0</h2>"));
    assert!(html.contains("<h2>linux/arm64/v8: example.com/team/app:1.0</h2>"));
}

#[test]
fn no_format_contains_a_secret_value() {
    for out in [fixtures::single(), fixtures::index()] {
        for f in ALL {
            let s = render(f, &out);
            assert!(!s.contains(FULL_SECRET), "{f} leaks the secret");
            assert!(
                !s.contains(&FULL_SECRET[4..]),
                "{f} leaks the secret's tail"
            );
            if *f != "json" {
                assert!(!s.contains(FINGERPRINT), "{f} shows the secret fingerprint");
            }
            match *f {
                "cyclonedx" | "spdx" => {
                    assert!(!s.contains("AKIA"), "{f} is an SBOM: no secrets at all")
                }
                _ => assert!(s.contains(MASKED), "{f} shows the masked match"),
            }
        }
    }
}

#[test]
fn output_is_deterministic() {
    for out in [fixtures::single(), fixtures::index(), fixtures::empty()] {
        for f in ALL {
            assert_eq!(render(f, &out), render(f, &out), "{f}");
        }
    }
    // Order of the input does not matter.
    let mut shuffled = fixtures::full_report();
    shuffled.packages.reverse();
    shuffled.vulnerabilities.reverse();
    shuffled.secrets.reverse();
    shuffled.misconfigurations.reverse();
    let shuffled = ScanOutput::Single(Box::new(shuffled));
    for f in ["cyclonedx", "spdx", "sarif", "csv", "html"] {
        assert_eq!(render(f, &fixtures::single()), render(f, &shuffled), "{f}");
    }
}

#[test]
fn serial_numbers_follow_the_scan_and_time() {
    let a = render_json("cyclonedx", &fixtures::single());
    let b = render_json("cyclonedx", &fixtures::index());
    assert_ne!(a["serialNumber"], b["serialNumber"]);
    let mut later = Vec::new();
    strata_report::render_with(
        strata_report::Format::CycloneDx,
        &fixtures::single(),
        &strata_report::Options::default().with_created(crate::CREATED + 1),
        &mut later,
    )
    .unwrap();
    let later: Value = serde_json::from_slice(&later).unwrap();
    assert_ne!(a["serialNumber"], later["serialNumber"]);
    assert_eq!(later["metadata"]["timestamp"], "2024-05-06T07:08:10Z");
}
