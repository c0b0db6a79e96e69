//! Nested archives built in code: a Spring Boot executable fat jar and an ear holding a
//! war holding jars.

use crate::zipw::ZipW;
use crate::{scan, triples};

/// pom.properties as maven-archiver writes it for log4j-core 2.14.1 (the real jar's
/// metadata; there is no real log4j-core jar in the corpus, so no classes here).
pub(crate) const LOG4J_CORE_POM_PROPERTIES: &[u8] =
    b"#Created by Apache Maven 3.6.3\r\nversion=2.14.1\r\ngroupId=org.apache.logging.log4j\r\nartifactId=log4j-core\r\n";

pub(crate) fn log4j_core_jar() -> Vec<u8> {
    ZipW::new()
        .deflated("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\nBundle-SymbolicName: org.apache.logging.log4j.core\r\nImplementation-Title: Apache Log4j Core\r\nImplementation-Version: 2.14.1\r\nImplementation-Vendor-Id: org.apache.logging.log4j\r\n\r\n")
        .deflated("META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties", LOG4J_CORE_POM_PROPERTIES)
        .deflated(
            "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.xml",
            b"<?xml version=\"1.0\"?>\n<project><parent><groupId>org.apache.logging.log4j</groupId><artifactId>log4j</artifactId><version>2.14.1</version></parent><artifactId>log4j-core</artifactId></project>\n",
        )
        .deflated("org/apache/logging/log4j/core/lookup/JndiLookup.class", &[0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 52])
        .build()
}

pub(crate) fn spring_boot_jar() -> Vec<u8> {
    // spring-core carries only a manifest without a group: the file name names it, and
    // the group comes from the short list of well-known artifacts.
    let spring_core = ZipW::new()
        .deflated("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\nImplementation-Title: spring-core\nImplementation-Version: 5.3.9\nAutomatic-Module-Name: spring.core\n")
        .build();
    ZipW::new()
        // A "fully executable" jar starts with a launch script.
        .prefix(b"#!/bin/bash\n# launch script\nexec java -jar \"$0\" \"$@\"\n")
        .deflated("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.JarLauncher\nStart-Class: com.example.demo.DemoApplication\nSpring-Boot-Version: 2.5.4\nSpring-Boot-Classes: BOOT-INF/classes/\nSpring-Boot-Lib: BOOT-INF/lib/\n")
        .deflated("META-INF/maven/com.example/demo/pom.properties", b"artifactId=demo\ngroupId=com.example\nversion=0.0.1-SNAPSHOT\n")
        .deflated("BOOT-INF/classes/com/example/demo/DemoApplication.class", &[0xCA, 0xFE, 0xBA, 0xBE])
        // Spring Boot stores nested jars uncompressed.
        .stored("BOOT-INF/lib/log4j-core-2.14.1.jar", &log4j_core_jar())
        .stored("BOOT-INF/lib/spring-core-5.3.9.jar", &spring_core)
        .build()
}

#[test]
fn spring_boot_fat_jar_reports_log4j_core_nested() {
    let (pkgs, diags) = scan("/app/app.jar", &spring_boot_jar());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        triples(&pkgs),
        vec![
            (
                "com.example:demo".into(),
                "0.0.1-SNAPSHOT".into(),
                "/app/app.jar".into()
            ),
            (
                "org.apache.logging.log4j:log4j-core".into(),
                "2.14.1".into(),
                "/app/app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar".into()
            ),
            (
                "org.springframework:spring-core".into(),
                "5.3.9".into(),
                "/app/app.jar!/BOOT-INF/lib/spring-core-5.3.9.jar".into()
            ),
        ]
    );
    let log4j = pkgs
        .iter()
        .find(|p| p.name.ends_with(":log4j-core"))
        .unwrap();
    assert_eq!(
        log4j.purl.as_deref(),
        Some("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
    );
    assert_eq!(log4j.origin.real_path.as_deref(), Some("/app/app.jar"));
    assert_eq!(log4j.evidence.as_deref(), Some("pom.properties"));
    assert_eq!(log4j.detector, "lang/java");
    let spring = pkgs
        .iter()
        .find(|p| p.name.ends_with(":spring-core"))
        .unwrap();
    assert_eq!(spring.evidence.as_deref(), Some("file-name"));
    assert_eq!(
        spring
            .properties
            .get("maven.group-source")
            .map(String::as_str),
        Some("known-artifact")
    );
}

#[test]
fn jar_in_war_in_ear_joins_the_chain_with_bang_slash() {
    let lib = ZipW::new()
        .deflated(
            "META-INF/maven/org.example/lib/pom.properties",
            b"groupId=org.example\nartifactId=lib\nversion=1.0\n",
        )
        .build();
    let war = ZipW::new()
        .deflated("WEB-INF/web.xml", b"<web-app/>")
        .deflated("WEB-INF/lib/lib-1.0.jar", &lib)
        .deflated("WEB-INF/lib/log4j-core-2.14.1.jar", &log4j_core_jar())
        .build();
    let ear = ZipW::new()
        .deflated("META-INF/application.xml", b"<application/>")
        .deflated("web.war", &war)
        .build();
    let (pkgs, diags) = scan("/srv/app.ear", &ear);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        triples(&pkgs),
        vec![
            (
                "org.apache.logging.log4j:log4j-core".into(),
                "2.14.1".into(),
                "/srv/app.ear!/web.war!/WEB-INF/lib/log4j-core-2.14.1.jar".into()
            ),
            (
                "org.example:lib".into(),
                "1.0".into(),
                "/srv/app.ear!/web.war!/WEB-INF/lib/lib-1.0.jar".into()
            ),
        ]
    );
    assert!(
        pkgs.iter()
            .all(|p| p.origin.real_path.as_deref() == Some("/srv/app.ear"))
    );
}

#[test]
fn pom_xml_without_pom_properties_inherits_from_parent() {
    let jar = ZipW::new()
        .deflated(
            "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.xml",
            b"<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><parent><groupId>org.apache.logging.log4j</groupId><artifactId>log4j</artifactId><version>2.14.1</version></parent><artifactId>log4j-core</artifactId><licenses><license><name>Apache License, Version 2.0</name></license></licenses></project>",
        )
        .build();
    let (pkgs, diags) = scan("/opt/lib/renamed.jar", &jar);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(pkgs.len(), 1);
    assert_eq!(pkgs[0].name, "org.apache.logging.log4j:log4j-core");
    assert_eq!(pkgs[0].version, "2.14.1");
    assert_eq!(pkgs[0].evidence.as_deref(), Some("pom.xml"));
    assert_eq!(pkgs[0].licenses, vec!["Apache License, Version 2.0"]);
}

#[test]
fn file_name_with_classifier() {
    let jar = ZipW::new()
        .deflated("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n")
        .build();
    let (pkgs, _) = scan(
        "/x/netty-transport-native-epoll-4.1.94.Final-linux-x86_64.jar",
        &jar,
    );
    assert_eq!(pkgs.len(), 1);
    assert_eq!(pkgs[0].name, "netty-transport-native-epoll");
    assert_eq!(pkgs[0].version, "4.1.94.Final");
    assert_eq!(
        pkgs[0]
            .properties
            .get("maven.classifier")
            .map(String::as_str),
        Some("linux-x86_64")
    );
}
