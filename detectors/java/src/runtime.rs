//! Java runtimes and servers identified from their own version files: Tomcat
//! (`lib/catalina.jar` -> `ServerInfo.properties`), WildFly / JBoss EAP (the product
//! module's `MANIFEST.MF`, `version.txt`) and JDK/JRE installs (`release`).
//!
//! Tomcat is reported as the Maven package `org.apache.tomcat:tomcat-catalina` because the
//! OSV Maven data (GHSA) lists Tomcat's CVEs under that name, so the vulnerability
//! matcher can compare versions; a CPE is attached too for NVD-based matching. WildFly,
//! JBoss EAP and the JDK have no Maven coordinates that advisories use for the product as
//! a whole, so they are `binary` packages with a CPE.

use strata_core::{Diagnostic, Ecosystem, Origin, Package};

use crate::archive::{maven_package, purl_encode};
use crate::manifest::Manifest;
use crate::properties::{get, parse_properties};
use crate::zip::Archive;

/// Detector id of the runtime detector.
pub(crate) const DETECTOR_ID: &str = "lang/java-runtime";

/// Path of Tomcat's version file inside `catalina.jar`.
pub(crate) const TOMCAT_SERVER_INFO: &str = "org/apache/catalina/util/ServerInfo.properties";
const MAX_SMALL_FILE: usize = 64 << 10;

fn cpe(vendor: &str, product: &str, version: &str) -> String {
    let esc: String = version
        .chars()
        .flat_map(|c| {
            let needs = !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
            needs.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect();
    format!("cpe:2.3:a:{vendor}:{product}:{esc}:*:*:*:*:*:*:*")
}

fn starts_with_digit(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit())
}

/// Tomcat from the body of `catalina.jar`.
pub(crate) fn tomcat(
    path: &str,
    data: &[u8],
    max_entries: u64,
) -> Result<Option<Package>, Diagnostic> {
    let archive = Archive::parse(data, max_entries).map_err(|e| {
        Diagnostic::warning(e.code(), format!("catalina.jar not readable: {e}")).with_path(path)
    })?;
    let Some(entry) = archive
        .entries
        .iter()
        .find(|e| e.name == TOMCAT_SERVER_INFO)
    else {
        return Ok(None);
    };
    let body = archive.read(entry, MAX_SMALL_FILE as u64).map_err(|e| {
        Diagnostic::warning(e.code(), format!("cannot read {TOMCAT_SERVER_INFO}: {e}"))
            .with_path(path)
    })?;
    Ok(tomcat_from_server_info(&body).map(|mut p| {
        p.origin = Origin::file(path);
        p.detector = DETECTOR_ID.to_owned();
        p
    }))
}

/// Tomcat's version from `ServerInfo.properties`: the part of `server.info` after the last
/// `/` (`Apache Tomcat/9.0.80`), else `server.number` without a trailing `.0` build part.
pub fn tomcat_from_server_info(data: &[u8]) -> Option<Package> {
    let pairs = parse_properties(data);
    let from_info = get(&pairs, "server.info")
        .and_then(|i| i.rsplit_once('/'))
        // `Apache Tomcat/10.1.60 (Debian)`: the first word after the slash.
        .and_then(|(_, v)| v.split_whitespace().next())
        .filter(|v| starts_with_digit(v));
    let version = match from_info {
        Some(v) => v.to_owned(),
        None => {
            let n = get(&pairs, "server.number")?.trim();
            if !starts_with_digit(n) {
                return None;
            }
            let parts: Vec<&str> = n.split('.').collect();
            if parts.len() == 4 && parts[3] == "0" {
                parts[..3].join(".")
            } else {
                n.to_owned()
            }
        }
    };
    let mut p = maven_package(
        Some("org.apache.tomcat"),
        "tomcat-catalina",
        &version,
        "ServerInfo.properties",
    );
    p.cpe = Some(cpe("apache", "tomcat", &version));
    p.vendor = Some("Apache Software Foundation".into());
    if let Some(info) = get(&pairs, "server.info") {
        p.properties
            .insert("tomcat.server-info".into(), info.to_owned());
    }
    if let Some(n) = get(&pairs, "server.number") {
        p.properties
            .insert("tomcat.server-number".into(), n.to_owned());
    }
    Some(p)
}

fn binary_package(name: &str, version: &str, cpe_str: String, evidence: &str) -> Package {
    Package {
        name: name.to_owned(),
        version: version.to_owned(),
        ecosystem: Ecosystem::Binary,
        purl: Some(format!(
            "pkg:generic/{}@{}",
            purl_encode(name),
            purl_encode(version)
        )),
        cpe: Some(cpe_str),
        evidence: Some(evidence.to_owned()),
        ..Default::default()
    }
}

/// The CPE version of a JBoss/WildFly release (`26.1.3.Final` -> `26.1.3`, `7.4.0.GA` ->
/// `7.4.0`), as NVD writes them.
fn jboss_cpe_version(v: &str) -> &str {
    for suffix in [".Final", ".GA", ".CR", ".Beta", ".Alpha"] {
        if let Some(i) = v.find(suffix) {
            return &v[..i];
        }
    }
    v
}

fn jboss_package(product: &str, version: &str, evidence: &str) -> Option<Package> {
    if !starts_with_digit(version) {
        return None;
    }
    let lower = product.to_ascii_lowercase();
    let cv = jboss_cpe_version(version);
    let (name, cpe_str) =
        if lower.contains("enterprise application platform") || lower.contains("eap") {
            (
                "jboss-eap",
                cpe("redhat", "jboss_enterprise_application_platform", cv),
            )
        } else if lower.contains("wildfly") {
            ("wildfly", cpe("redhat", "wildfly", cv))
        } else {
            return None;
        };
    let mut p = binary_package(name, version, cpe_str, evidence);
    p.vendor = Some("Red Hat".into());
    p.properties
        .insert("jboss.product".into(), product.to_owned());
    Some(p)
}

/// WildFly/EAP from the product module's `MANIFEST.MF`
/// (`JBoss-Product-Release-Name`, `JBoss-Product-Release-Version`).
pub fn jboss_from_product_manifest(data: &[u8]) -> Option<Package> {
    let m = Manifest::parse(data);
    let name = m.get("JBoss-Product-Release-Name")?;
    let version = m.get("JBoss-Product-Release-Version")?;
    jboss_package(name, version, "JBoss-Product-Release-Version")
}

/// JBoss EAP / WildFly from `version.txt`
/// (`Red Hat JBoss Enterprise Application Platform - Version 7.4.0.GA`).
pub fn jboss_from_version_txt(data: &[u8]) -> Option<Package> {
    let text = String::from_utf8_lossy(&data[..data.len().min(MAX_SMALL_FILE)]);
    let line = text.lines().find(|l| !l.trim().is_empty())?.trim();
    let (product, version) = match line.rsplit_once(" - Version ") {
        Some((p, v)) => (p.trim(), v.trim()),
        None => {
            // `WildFly Full 26.1.3.Final (WildFly Core 18.1.2.Final)`
            let head = line.split('(').next().unwrap_or(line).trim();
            let (p, v) = head.rsplit_once(' ')?;
            (p.trim(), v.trim())
        }
    };
    jboss_package(product, version.split_whitespace().next()?, "version.txt")
}

/// A JDK/JRE install from its `release` file (`JAVA_VERSION="17.0.8"`, `IMPLEMENTOR`).
pub fn jdk_from_release(data: &[u8]) -> Option<Package> {
    let text = String::from_utf8_lossy(&data[..data.len().min(MAX_SMALL_FILE)]);
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let k = k.trim();
        if k.is_empty()
            || !k
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        {
            continue;
        }
        fields.push((k.to_owned(), v.trim().trim_matches('"').to_owned()));
        if fields.len() > 256 {
            break;
        }
    }
    let f = |k: &str| {
        fields
            .iter()
            .find(|(fk, _)| fk == k)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let version = f("JAVA_VERSION").filter(|v| starts_with_digit(v))?;
    let implementor = f("IMPLEMENTOR").unwrap_or("");
    let imp = implementor.to_ascii_lowercase();
    let (name, cpe_str) = if imp.contains("azul") {
        ("zulu", cpe("azul", "zulu", version))
    } else if imp.starts_with("oracle")
        && f("IMPLEMENTOR_VERSION").is_none()
        && f("BUILD_TYPE") == Some("commercial")
    {
        ("jdk", cpe("oracle", "jdk", version))
    } else {
        ("openjdk", cpe("oracle", "openjdk", version))
    };
    let mut p = binary_package(name, version, cpe_str, "release");
    if !implementor.is_empty() {
        p.vendor = Some(implementor.to_owned());
    }
    for (k, prop) in [
        ("JAVA_RUNTIME_VERSION", "java.runtime-version"),
        ("IMPLEMENTOR_VERSION", "java.implementor-version"),
        ("JAVA_VERSION_DATE", "java.version-date"),
        ("OS_ARCH", "java.os-arch"),
    ] {
        if let Some(v) = f(k) {
            p.properties.insert(prop.into(), v.to_owned());
        }
    }
    if let Some(arch) = f("OS_ARCH") {
        p.arch = Some(arch.to_owned());
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tomcat_server_info() {
        let p = tomcat_from_server_info(
            b"server.info=Apache Tomcat/9.0.80\nserver.number=9.0.80.0\nserver.built=Aug 23 2023\n",
        )
        .unwrap();
        assert_eq!(p.name, "org.apache.tomcat:tomcat-catalina");
        assert_eq!(p.version, "9.0.80");
        assert_eq!(
            p.purl.as_deref(),
            Some("pkg:maven/org.apache.tomcat/tomcat-catalina@9.0.80")
        );
        assert_eq!(
            p.cpe.as_deref(),
            Some("cpe:2.3:a:apache:tomcat:9.0.80:*:*:*:*:*:*:*")
        );
        let p = tomcat_from_server_info(b"server.info=Custom Server\nserver.number=10.1.13.0\n")
            .unwrap();
        assert_eq!(p.version, "10.1.13");
        assert!(tomcat_from_server_info(b"server.info=Custom\n").is_none());
    }

    #[test]
    fn jboss() {
        let p = jboss_from_product_manifest(b"Manifest-Version: 1.0\nJBoss-Product-Release-Name: WildFly Full\nJBoss-Product-Release-Version: 26.1.3.Final\n").unwrap();
        assert_eq!(
            (p.name.as_str(), p.version.as_str()),
            ("wildfly", "26.1.3.Final")
        );
        assert_eq!(
            p.cpe.as_deref(),
            Some("cpe:2.3:a:redhat:wildfly:26.1.3:*:*:*:*:*:*:*")
        );
        let p = jboss_from_version_txt(
            b"Red Hat JBoss Enterprise Application Platform - Version 7.4.0.GA\n",
        )
        .unwrap();
        assert_eq!(
            (p.name.as_str(), p.version.as_str()),
            ("jboss-eap", "7.4.0.GA")
        );
        assert_eq!(
            p.cpe.as_deref(),
            Some("cpe:2.3:a:redhat:jboss_enterprise_application_platform:7.4.0:*:*:*:*:*:*:*")
        );
        assert!(jboss_from_version_txt(b"1.2.3\n").is_none());
        assert!(jboss_from_version_txt(b"My App - Version 3\n").is_none());
    }

    #[test]
    fn jdk_release() {
        let p = jdk_from_release(
            b"IMPLEMENTOR=\"Eclipse Adoptium\"\nIMPLEMENTOR_VERSION=\"Temurin-17.0.8+7\"\nJAVA_VERSION=\"17.0.8\"\nJAVA_VERSION_DATE=\"2023-07-18\"\nOS_ARCH=\"x86_64\"\n",
        )
        .unwrap();
        assert_eq!((p.name.as_str(), p.version.as_str()), ("openjdk", "17.0.8"));
        assert_eq!(
            p.cpe.as_deref(),
            Some("cpe:2.3:a:oracle:openjdk:17.0.8:*:*:*:*:*:*:*")
        );
        assert_eq!(p.vendor.as_deref(), Some("Eclipse Adoptium"));
        let p =
            jdk_from_release(b"JAVA_VERSION=\"1.8.0_382\"\nIMPLEMENTOR=\"Azul Systems, Inc.\"\n")
                .unwrap();
        assert_eq!(
            p.cpe.as_deref(),
            Some("cpe:2.3:a:azul:zulu:1.8.0_382:*:*:*:*:*:*:*")
        );
        assert!(jdk_from_release(b"VERSION=1\n").is_none());
    }
}
