//! `lang/java-runtime`: Tomcat, WildFly/EAP and JDK installs through the Detector trait.

use strata_core::{Finding, Package};
use strata_detect_java::{JavaConfig, detectors};

use crate::detector::run;
use crate::zipw::ZipW;

fn runtime_packages(path: &str, data: &[u8]) -> (Vec<Package>, Vec<String>) {
    let dets = detectors(&JavaConfig::default());
    let det = dets.iter().find(|d| d.id() == "lang/java-runtime").unwrap();
    let out = run(det.as_ref(), path, data);
    let pkgs = out
        .findings()
        .iter()
        .filter_map(|f| match f {
            Finding::Package(p) => Some((**p).clone()),
            _ => None,
        })
        .collect();
    (
        pkgs,
        out.diagnostics().iter().map(|d| d.code.clone()).collect(),
    )
}

/// catalina.jar as Tomcat 9.0.80 ships it (ServerInfo.properties as in the release).
fn catalina_jar() -> Vec<u8> {
    ZipW::new()
        .deflated("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\nImplementation-Title: Apache Tomcat\r\nImplementation-Vendor: Apache Software Foundation\r\nImplementation-Version: 9.0.80\r\n\r\n")
        .deflated("org/apache/catalina/startup/Catalina.class", &[0xCA, 0xFE, 0xBA, 0xBE])
        .deflated(
            "org/apache/catalina/util/ServerInfo.properties",
            b"# Licensed to the Apache Software Foundation (ASF)\nserver.info=Apache Tomcat/9.0.80\nserver.number=9.0.80.0\nserver.built=Aug 23 2023 15:35:48 UTC\n",
        )
        .build()
}

#[test]
fn tomcat_from_catalina_jar() {
    let (pkgs, diags) = runtime_packages("/usr/local/tomcat/lib/catalina.jar", &catalina_jar());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(pkgs.len(), 1);
    let p = &pkgs[0];
    assert_eq!(p.name, "org.apache.tomcat:tomcat-catalina");
    assert_eq!(p.version, "9.0.80");
    assert_eq!(p.ecosystem, strata_core::Ecosystem::Maven);
    assert_eq!(
        p.purl.as_deref(),
        Some("pkg:maven/org.apache.tomcat/tomcat-catalina@9.0.80")
    );
    assert_eq!(
        p.cpe.as_deref(),
        Some("cpe:2.3:a:apache:tomcat:9.0.80:*:*:*:*:*:*:*")
    );
    assert_eq!(p.origin.path, "/usr/local/tomcat/lib/catalina.jar");
    assert_eq!(p.detector, "lang/java-runtime");
    // The archive detector does not invent a package from the manifest's vendor name.
    let (jar_pkgs, _) = crate::scan("/usr/local/tomcat/lib/catalina.jar", &catalina_jar());
    assert!(jar_pkgs.is_empty(), "{jar_pkgs:?}");
}

#[test]
fn broken_catalina_jar_is_a_diagnostic() {
    let mut jar = catalina_jar();
    jar.truncate(jar.len() - 10);
    let (pkgs, diags) = runtime_packages("/opt/tomcat/lib/catalina.jar", &jar);
    assert!(pkgs.is_empty());
    assert_eq!(diags, vec!["java-archive-malformed"]);
}

#[test]
fn jdk_release_file() {
    // The release file of Eclipse Temurin 17.0.8+7 (x86_64).
    let release = b"IMPLEMENTOR=\"Eclipse Adoptium\"\nIMPLEMENTOR_VERSION=\"Temurin-17.0.8+7\"\nJAVA_VERSION=\"17.0.8\"\nJAVA_VERSION_DATE=\"2023-07-18\"\nMODULES=\"java.base java.compiler\"\nOS_ARCH=\"x86_64\"\nOS_NAME=\"Linux\"\nSOURCE=\".:git:3d0d1f7d2e2f\"\nBUILD_SOURCE=\"git:c4a4d2ee\"\nFULL_VERSION=\"17.0.8+7\"\nSEMANTIC_VERSION=\"17.0.8+7\"\nBUILD_INFO=\"OS: Linux Version: 5.4.0-150-generic\"\nJVM_VARIANT=\"Hotspot\"\nJVM_VERSION=\"17.0.8+7\"\nIMAGE_TYPE=\"JDK\"\n";
    let (pkgs, diags) = runtime_packages("/opt/java/openjdk/release", release);
    assert!(diags.is_empty());
    assert_eq!(pkgs.len(), 1);
    assert_eq!(pkgs[0].name, "openjdk");
    assert_eq!(pkgs[0].version, "17.0.8");
    assert_eq!(pkgs[0].ecosystem, strata_core::Ecosystem::Binary);
    assert_eq!(
        pkgs[0].cpe.as_deref(),
        Some("cpe:2.3:a:oracle:openjdk:17.0.8:*:*:*:*:*:*:*")
    );
    assert_eq!(pkgs[0].vendor.as_deref(), Some("Eclipse Adoptium"));
    // Some other program's `release` file is not a JDK.
    let (pkgs, _) = runtime_packages("/etc/release", b"NAME=foo\nVERSION=1\n");
    assert!(pkgs.is_empty());
}

#[test]
fn wildfly_and_eap() {
    let (pkgs, _) = runtime_packages(
        "/opt/jboss/wildfly/modules/system/layers/base/org/jboss/as/product/wildfly-full/dir/META-INF/MANIFEST.MF",
        b"Manifest-Version: 1.0\r\nJBoss-Product-Release-Name: WildFly Full\r\nJBoss-Product-Release-Version: 26.1.3.Final\r\nJBoss-Product-Console-Slot: main\r\n",
    );
    assert_eq!(pkgs.len(), 1);
    assert_eq!(
        (pkgs[0].name.as_str(), pkgs[0].version.as_str()),
        ("wildfly", "26.1.3.Final")
    );
    let (pkgs, _) = runtime_packages(
        "/opt/eap/version.txt",
        b"Red Hat JBoss Enterprise Application Platform - Version 7.4.0.GA\n",
    );
    assert_eq!(
        (pkgs[0].name.as_str(), pkgs[0].version.as_str()),
        ("jboss-eap", "7.4.0.GA")
    );
    // Unrelated version.txt files are ignored.
    let (pkgs, _) = runtime_packages("/usr/share/doc/x/version.txt", b"3.2.1\n");
    assert!(pkgs.is_empty());
}

#[test]
fn real_debian_files() {
    // Debian's Tomcat 10 ServerInfo.properties ("Apache Tomcat/10.1.60 (Debian)"), in a
    // catalina.jar built here around it.
    let info = crate::testdata("debian-tomcat10-ServerInfo.properties");
    let jar = ZipW::new()
        .deflated("org/apache/catalina/util/ServerInfo.properties", &info)
        .build();
    let (pkgs, diags) = runtime_packages("/usr/local/tomcat/lib/catalina.jar", &jar);
    assert!(diags.is_empty());
    assert_eq!(pkgs[0].version, "10.1.60");
    assert_eq!(
        pkgs[0].cpe.as_deref(),
        Some("cpe:2.3:a:apache:tomcat:10.1.60:*:*:*:*:*:*:*")
    );
    assert_eq!(
        pkgs[0]
            .properties
            .get("tomcat.server-info")
            .map(String::as_str),
        Some("Apache Tomcat/10.1.60 (Debian)")
    );
    // Debian's OpenJDK 17 release file.
    let (pkgs, _) = runtime_packages(
        "/usr/lib/jvm/java-17-openjdk-amd64/release",
        &crate::testdata("debian-openjdk-17-release"),
    );
    assert_eq!(pkgs.len(), 1);
    assert_eq!(
        (pkgs[0].name.as_str(), pkgs[0].version.as_str()),
        ("openjdk", "17.0.21.1")
    );
    assert_eq!(pkgs[0].vendor.as_deref(), Some("Debian"));
    assert_eq!(
        pkgs[0]
            .properties
            .get("java.runtime-version")
            .map(String::as_str),
        Some("17.0.21.1+2-1-deb12u1-Debian")
    );
}
