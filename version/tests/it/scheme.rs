//! Namespace mapping.

use strata_version::Scheme;

#[test]
fn namespaces() {
    let cases = [
        ("debian:12", Scheme::Dpkg),
        ("ubuntu:22.04", Scheme::Dpkg),
        ("Debian:12", Scheme::Dpkg),
        ("alpine:3.18", Scheme::Apk),
        ("Alpine:v3.18", Scheme::Apk),
        ("wolfi", Scheme::Apk),
        ("redhat:9", Scheme::Rpm),
        ("Red Hat:enterprise_linux:9::appstream", Scheme::Rpm),
        ("almalinux:8", Scheme::Rpm),
        ("AlmaLinux:8", Scheme::Rpm),
        ("rocky:9", Scheme::Rpm),
        ("Rocky Linux:9", Scheme::Rpm),
        ("centos:7", Scheme::Rpm),
        ("oracle:8", Scheme::Rpm),
        ("fedora:39", Scheme::Rpm),
        ("amazon:2023", Scheme::Rpm),
        ("sles:15.5", Scheme::Rpm),
        ("SUSE:Linux Enterprise Server 15 SP5", Scheme::Rpm),
        ("opensuse-leap:15.5", Scheme::Rpm),
        ("openSUSE:Tumbleweed", Scheme::Rpm),
        ("openeuler:22.03", Scheme::Rpm),
        ("openEuler:22.03-LTS-SP3", Scheme::Rpm),
        ("euleros:2.0", Scheme::Rpm),
        ("hce:2.0", Scheme::Rpm),
        ("kylin:10", Scheme::Rpm),
        ("uos:20", Scheme::Rpm),
        ("ctyunos:2", Scheme::Rpm),
        ("maven", Scheme::Maven),
        ("Maven", Scheme::Maven),
        ("pypi", Scheme::Pep440),
        ("PyPI", Scheme::Pep440),
        ("npm", Scheme::Npm),
        ("go", Scheme::Go),
        ("Go", Scheme::Go),
        ("crates.io", Scheme::Cargo),
        ("packagist", Scheme::Composer),
        ("Packagist", Scheme::Composer),
        ("rubygems", Scheme::RubyGems),
        ("RubyGems", Scheme::RubyGems),
        ("nuget", Scheme::NuGet),
        ("NuGet", Scheme::NuGet),
        ("Bitnami", Scheme::Semver),
        ("Ubuntu:Pro:22.04:LTS", Scheme::Dpkg),
        // strata_core::Ecosystem::as_str() names.
        ("deb", Scheme::Dpkg),
        ("rpm", Scheme::Rpm),
        ("apk", Scheme::Apk),
        ("golang", Scheme::Go),
        ("cargo", Scheme::Cargo),
        ("composer", Scheme::Composer),
        ("gem", Scheme::RubyGems),
    ];
    for (ns, want) in cases {
        assert_eq!(Scheme::for_namespace(ns), Some(want), "{ns}");
    }
    for ns in ["", "GIT", "OSS-Fuzz", "Hackage", "x".repeat(1000).as_str()] {
        assert_eq!(Scheme::for_namespace(ns), None, "{ns}");
    }
    assert_eq!(Scheme::Pep440.to_string(), "pep440");
}

#[test]
fn names_round_trip() {
    for scheme in Scheme::ALL {
        assert_eq!(scheme.name().parse::<Scheme>().unwrap(), scheme);
        assert_eq!(
            scheme.to_string().to_uppercase().parse::<Scheme>().unwrap(),
            scheme
        );
    }
    assert!("debian".parse::<Scheme>().is_err());
}
