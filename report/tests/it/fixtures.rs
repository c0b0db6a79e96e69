//! Reports built in code with every field populated.

use std::collections::BTreeMap;

use strata_core::finding::{
    Compliance, Cvss, Diagnostic, Ecosystem, Malware, Misconfiguration, Origin, Package, Secret,
    Severity, VulnStatus, Vulnerability,
};
use strata_core::image::{LayerInfo, Platform};
use strata_core::report::{
    BaseImage, FileSummary, ImageSection, IndexReport, LargeFile, LayerFiles, OsSummary, Report,
    ScanOutput, ScanStats,
};

/// The full AWS example key: it must never appear in any output (it is not in the input).
pub(crate) const FULL_SECRET: &str = "AKIAIOSFODNN7EXAMPLE";
/// What the secrets detector leaves of it.
pub(crate) const MASKED: &str = "AKIA****************";
/// The fingerprint (a hash over the secret): only the JSON contract carries it.
pub(crate) const FINGERPRINT: &str =
    "9f1c0ffee0ddf00d9f1c0ffee0ddf00d9f1c0ffee0ddf00d9f1c0ffee0ddf00d";
/// A hostile package name.
pub(crate) const SCRIPT_NAME: &str = "<script>alert(1)</script>";

fn layer(i: u32) -> String {
    format!("sha256:{}", format!("{i}").repeat(64))
}

fn at(path: &str, l: u32) -> Origin {
    Origin {
        layer: Some(layer(l)),
        layer_index: Some(l),
        ..Origin::file(path)
    }
}

fn nested(real: &str, inner: &str, l: u32) -> Origin {
    Origin {
        layer: Some(layer(l)),
        layer_index: Some(l),
        ..Origin::nested(real, inner)
    }
}

fn pkg(
    eco: Ecosystem,
    name: &str,
    version: &str,
    purl: Option<&str>,
    licenses: &[&str],
    o: Origin,
) -> Package {
    Package {
        name: name.into(),
        version: version.into(),
        ecosystem: eco,
        purl: purl.map(String::from),
        licenses: licenses.iter().map(|s| s.to_string()).collect(),
        detector: format!("test/{eco}"),
        origin: o,
        ..Default::default()
    }
}

#[allow(clippy::too_many_arguments)]
fn vuln(
    id: &str,
    p: &Package,
    status: VulnStatus,
    severity: Severity,
    fixed: Option<&str>,
    cvss: Vec<Cvss>,
    title: &str,
    description: &str,
) -> Vulnerability {
    Vulnerability {
        id: id.into(),
        package: p.name.as_str().into(),
        version: p.version.as_str().into(),
        ecosystem: p.ecosystem,
        purl: p.purl.as_deref().map(Into::into),
        fixed_version: fixed.map(Into::into),
        status,
        severity,
        cvss: cvss.into(),
        title: title.into(),
        description: description.into(),
        references: vec![format!("https://nvd.nist.gov/vuln/detail/{id}")].into(),
        solution: fixed.map(|f| format!("upgrade {} to {f}", p.name).into()),
        data_source: "test-feed".into(),
        origin: p.origin.clone().into(),
        ..Default::default()
    }
}

fn cvss(source: &str, vector: &str, score: f64) -> Cvss {
    Cvss {
        source: source.into(),
        vector: vector.into(),
        score: Some(score),
    }
}

/// One image report with every section and field populated.
pub(crate) fn full_report() -> Report {
    let mut openssl = pkg(
        Ecosystem::Deb,
        "openssl",
        "3.0.11-1~deb12u2",
        Some("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12"),
        &["Apache-2.0", "GPL-2+"],
        at("/var/lib/dpkg/status", 0),
    );
    openssl.arch = Some("amd64".into());
    openssl.source_name = Some("openssl".into());
    openssl.source_version = Some("3.0.11-1~deb12u2".into());
    openssl.vendor = Some("Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>".into());
    openssl.evidence = Some("dpkg-status".into());
    openssl.files = ["/usr/bin/openssl"].into_iter().collect();
    let mut bash = pkg(
        Ecosystem::Rpm,
        "bash",
        "5.1.8-6.el9",
        Some("pkg:rpm/redhat/bash@5.1.8-6.el9?arch=x86_64"),
        &["GPLv3+"],
        at("/var/lib/rpm/rpmdb.sqlite", 0),
    );
    bash.vendor = Some("Red Hat, Inc.".into());
    bash.arch = Some("x86_64".into());
    bash.properties = BTreeMap::from([("modularitylabel".to_string(), "".to_string())]);
    let musl = pkg(
        Ecosystem::Apk,
        "musl",
        "1.2.4-r2",
        Some("pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64"),
        &["MIT"],
        at("/lib/apk/db/installed", 0),
    );
    let mut log4j = pkg(
        Ecosystem::Maven,
        "org.apache.logging.log4j:log4j-core",
        "2.14.1",
        Some("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"),
        &["Apache-2.0"],
        nested("/app/app.war", "WEB-INF/lib/log4j-core-2.14.1.jar", 1),
    );
    log4j.evidence = Some("pom.properties".into());
    let mut log4j_deep = log4j.clone();
    log4j_deep.origin = nested(
        "/app/app.war",
        "WEB-INF/lib/fat.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar",
        1,
    );
    let requests = pkg(
        Ecosystem::Pypi,
        "requests",
        "2.31.0",
        Some("pkg:pypi/requests@2.31.0"),
        &["Apache-2.0"],
        at(
            "/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA",
            1,
        ),
    );
    let babel = pkg(
        Ecosystem::Npm,
        "@babel/core",
        "7.22.0",
        Some("pkg:npm/%40babel/core@7.22.0"),
        &["MIT"],
        at("/app/node_modules/@babel/core/package.json", 1),
    );
    let script = pkg(
        Ecosystem::Npm,
        SCRIPT_NAME,
        "1.0.0\"><b>",
        None,
        &["<i>evil</i> license"],
        at("/app/node_modules/x/<script>.json", 1),
    );
    let mut gomod = pkg(
        Ecosystem::Golang,
        "github.com/foo/bar",
        "v1.2.3",
        Some("pkg:golang/github.com/foo/bar@v1.2.3"),
        &[],
        at("/usr/local/bin/app", 2),
    );
    gomod.properties = BTreeMap::from([("go_version".to_string(), "go1.21.0".to_string())]);
    gomod.direct = Some(true);
    let serde = pkg(
        Ecosystem::Cargo,
        "serde",
        "1.0.190",
        Some("pkg:cargo/serde@1.0.190"),
        &["MIT OR Apache-2.0"],
        at("/usr/local/bin/rustapp", 2),
    );
    let mut monolog = pkg(
        Ecosystem::Composer,
        "monolog/monolog",
        "3.5.0",
        Some("pkg:composer/monolog/monolog@3.5.0"),
        &["MIT"],
        at("/var/www/composer.lock", 2),
    );
    monolog.direct = Some(false);
    let rails = pkg(
        Ecosystem::Gem,
        "rails",
        "7.1.2",
        Some("pkg:gem/rails@7.1.2"),
        &["MIT"],
        at(
            "/usr/lib/ruby/gems/3.1.0/specifications/rails-7.1.2.gemspec",
            2,
        ),
    );
    let nuget = pkg(
        Ecosystem::Nuget,
        "Newtonsoft.Json",
        "13.0.1",
        Some("pkg:nuget/Newtonsoft.Json@13.0.1"),
        &["MIT"],
        at("/app/app.deps.json", 2),
    );
    let mut nginx = pkg(
        Ecosystem::Binary,
        "nginx",
        "1.25.3",
        None,
        &[],
        at("/usr/sbin/nginx", 2),
    );
    nginx.cpe = Some("cpe:2.3:a:f5:nginx:1.25.3:*:*:*:*:*:*:*".into());
    nginx.os_package = Some("nginx-core".into());

    let log4shell = |p: &Package| {
        let mut v = vuln(
            "CVE-2021-44228",
            p,
            VulnStatus::Fixed,
            Severity::Critical,
            Some("2.15.0"),
            vec![cvss(
                "nvd",
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
                10.0,
            )],
            "Log4Shell",
            "Apache Log4j2 JNDI features do not protect against attacker controlled LDAP.",
        );
        v.aliases = vec!["GHSA-jfh8-c2jp-5v3q".into()].into();
        v.known_exploited = true;
        v.data_source = "ghsa".into();
        v
    };
    let vulnerabilities = vec![
        log4shell(&log4j),
        log4shell(&log4j_deep),
        vuln(
            "CVE-2023-5678",
            &openssl,
            VulnStatus::Affected,
            Severity::Medium,
            None,
            vec![cvss(
                "nvd",
                "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L",
                5.3,
            )],
            "openssl: DH check",
            "",
        ),
        vuln(
            "CVE-2023-0001",
            &bash,
            VulnStatus::WillNotFix,
            Severity::Low,
            None,
            vec![],
            "bash: will not fix",
            "desc",
        ),
        vuln(
            "CVE-2023-0002",
            &musl,
            VulnStatus::FixDeferred,
            Severity::Unknown,
            None,
            vec![],
            "",
            "",
        ),
        vuln(
            "CVE-2023-0003",
            &requests,
            VulnStatus::NotAffected,
            Severity::High,
            None,
            vec![cvss(
                "ghsa",
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                9.3,
            )],
            "requests: not affected",
            "",
        ),
        vuln(
            "CVE-2023-0004",
            &nginx,
            VulnStatus::EndOfLife,
            Severity::High,
            None,
            vec![
                cvss("nvd", "AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5),
                cvss("vendor", "", 7.0),
            ],
            "nginx: eol",
            "",
        ),
        vuln(
            "CVE-2023-0005",
            &script,
            VulnStatus::Fixed,
            Severity::High,
            Some("1.0.1"),
            vec![],
            "<img src=x onerror=alert(1)>",
            "a \"quoted\", multi\nline description",
        ),
    ];

    let secrets = vec![
        Secret {
            rule_id: "aws-access-key-id".into(),
            category: "AWS".into(),
            title: "AWS Access Key ID".into(),
            severity: Severity::Critical,
            line: Some(3),
            redacted: format!("AWS_ACCESS_KEY_ID={MASKED}"),
            fingerprint: FINGERPRINT.into(),
            origin: Origin {
                removed_in_layer: Some(2),
                ..at("/app/.env", 1)
            },
        },
        Secret {
            rule_id: "private-key".into(),
            category: "PrivateKey".into(),
            title: "Private key".into(),
            severity: Severity::High,
            line: None,
            redacted: "-----BEGIN RSA PRIVATE KEY-----****".into(),
            fingerprint: FINGERPRINT.replace('9', "8"),
            origin: nested("/app/app.war", "WEB-INF/classes/key.pem", 1),
        },
    ];
    let malware = vec![Malware {
        name: "EICAR-Test-File".into(),
        engine: "hash".into(),
        severity: Severity::Critical,
        sha256: "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f".into(),
        size: 68,
        description: "EICAR anti-virus test file".into(),
        origin: Origin {
            removed_in_layer: Some(2),
            ..at("/tmp/eicar, copy.com", 1)
        },
    }];
    let misconfigurations = vec![
        Misconfiguration {
            id: "sshd-permit-root-login".into(),
            category: "sshd".into(),
            title: "SSH root login permitted".into(),
            severity: Severity::High,
            message: "PermitRootLogin yes".into(),
            resolution: "Set PermitRootLogin no".into(),
            origin: at("/etc/ssh/sshd_config", 0),
        },
        Misconfiguration {
            id: "CIS-DI-0001".into(),
            category: "image-config".into(),
            title: "Image runs as root".into(),
            severity: Severity::Medium,
            message: String::new(),
            resolution: String::new(),
            origin: Origin::default(),
        },
    ];
    let compliance = vec![Compliance {
        id: "forbidden-tool/gdb".into(),
        title: "Debugger present".into(),
        severity: Severity::Low,
        package: Some("gdb".into()),
        origin: at("/usr/bin/gdb", 2),
    }];
    let packages = vec![
        openssl, bash, musl, log4j, log4j_deep, requests, babel, script, gomod, serde, monolog,
        rails, nuget, nginx,
    ];
    Report {
        schema_version: 1,
        target: "oci:/tmp/app.oci".into(),
        image: ImageSection {
            digest: Some(format!("sha256:{}", "d".repeat(64))),
            config_digest: Some(format!("sha256:{}", "c".repeat(64))),
            repo_tags: vec!["example.com/team/app:1.0".into()],
            platform: Platform::parse("linux/amd64"),
            os: Some(OsSummary {
                family: "debian".into(),
                name: "Debian GNU/Linux".into(),
                version: "12".into(),
            }),
            layers: (0..3)
                .map(|i| LayerInfo {
                    index: i,
                    digest: format!("sha256:{}", "a".repeat(63) + &i.to_string()),
                    diff_id: layer(i),
                    size: 1000 * (u64::from(i) + 1),
                    media_type: "application/vnd.oci.image.layer.v1.tar+gzip".into(),
                    created_by: format!("RUN step {i} && echo \"<done>\""),
                })
                .collect(),
        },
        packages,
        vulnerabilities,
        secrets,
        malware,
        misconfigurations,
        compliance,
        files: Some(FileSummary {
            count: 1234,
            total_size: 98_765_432,
            directories: 321,
            symlinks: 45,
            largest: vec![
                LargeFile {
                    path: "/usr/lib/x86_64-linux-gnu/libLLVM.so".into(),
                    size: 50_000_000,
                    layer_index: 0,
                },
                LargeFile {
                    path: "/app/<big>.bin".into(),
                    size: 10_000_000,
                    layer_index: 2,
                },
            ],
            layers: (0..3)
                .map(|i| LayerFiles {
                    index: i,
                    files: 100 * u64::from(i + 1),
                    size: 1000,
                    whiteouts: u64::from(i),
                    visible_files: 90,
                })
                .collect(),
        }),
        base_image: Some(BaseImage {
            name: "debian".into(),
            version: "12".into(),
            layers: 1,
            evidence: "os-release".into(),
        }),
        diagnostics: vec![
            Diagnostic::warning("rpm-bad-header", "header <truncated>")
                .with_path("/var/lib/rpm/Packages"),
        ],
        stats: ScanStats {
            layers_read: 3,
            ..Default::default()
        },
    }
}

/// A single-image output.
pub(crate) fn single() -> ScanOutput {
    ScanOutput::Single(Box::new(full_report()))
}

/// An index with two platforms.
pub(crate) fn index() -> ScanOutput {
    let amd = full_report();
    let mut arm = full_report();
    arm.image.platform = Platform::parse("linux/arm64/v8");
    arm.image.digest = Some(format!("sha256:{}", "e".repeat(64)));
    arm.packages.retain(|p| p.ecosystem != Ecosystem::Binary);
    arm.vulnerabilities.retain(|v| &*v.package != "nginx");
    ScanOutput::Index(IndexReport::summarize(
        "oci:/tmp/multi.oci".into(),
        Some(format!("sha256:{}", "f".repeat(64))),
        vec![amd, arm],
    ))
}

/// An image with nothing found.
pub(crate) fn empty() -> ScanOutput {
    ScanOutput::Single(Box::new(Report {
        schema_version: 1,
        target: "dir:/empty".into(),
        ..Default::default()
    }))
}
