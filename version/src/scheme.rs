//! The version schemes and the mapping from advisory namespaces to them.

use std::fmt;

/// A version ordering, one per package ecosystem family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// Debian and Ubuntu: `dpkg --compare-versions`.
    Dpkg,
    /// Red Hat family and SUSE: `rpmvercmp` on epoch, version and release.
    Rpm,
    /// Alpine, Wolfi and Chainguard: apk-tools.
    Apk,
    /// Maven `ComparableVersion`.
    Maven,
    /// Python: PEP 440 as implemented by pypa/packaging.
    Pep440,
    /// Strict Semantic Versioning 2.0.0 (OSV `SEMVER` ranges, Bitnami).
    Semver,
    /// npm: node-semver (strict mode).
    Npm,
    /// Cargo: SemVer 2.0.0 with Cargo's requirement syntax.
    Cargo,
    /// Go modules: golang.org/x/mod/semver (`v` prefix, `+incompatible`).
    Go,
    /// RubyGems `Gem::Version`.
    RubyGems,
    /// Composer (Packagist): composer/semver normalisation.
    Composer,
    /// NuGet: `NuGetVersion` (up to four numbers, case-insensitive labels).
    NuGet,
}

impl Scheme {
    /// Every scheme, in declaration order.
    pub const ALL: [Scheme; 12] = [
        Scheme::Dpkg,
        Scheme::Rpm,
        Scheme::Apk,
        Scheme::Maven,
        Scheme::Pep440,
        Scheme::Semver,
        Scheme::Npm,
        Scheme::Cargo,
        Scheme::Go,
        Scheme::RubyGems,
        Scheme::Composer,
        Scheme::NuGet,
    ];

    /// Short lowercase name (`"dpkg"`, `"pep440"`, ...), used in errors.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Dpkg => "dpkg",
            Scheme::Rpm => "rpm",
            Scheme::Apk => "apk",
            Scheme::Maven => "maven",
            Scheme::Pep440 => "pep440",
            Scheme::Semver => "semver",
            Scheme::Npm => "npm",
            Scheme::Cargo => "cargo",
            Scheme::Go => "go",
            Scheme::RubyGems => "rubygems",
            Scheme::Composer => "composer",
            Scheme::NuGet => "nuget",
        }
    }

    /// Maps an advisory namespace or OSV ecosystem name to its scheme.
    ///
    /// Accepts Strata/Grype-style namespaces (`debian:12`, `alpine:3.18`,
    /// `redhat:9`, `pypi`, `crates.io`) and OSV ecosystem names (`Debian:12`,
    /// `Alpine:v3.18`, `Rocky Linux:9`, `Red Hat:...`, `SUSE:...`, `PyPI`,
    /// `Packagist`, `Bitnami`), case-insensitively. Only the part before the
    /// first `:` matters. Returns `None` for unknown namespaces.
    ///
    /// ```
    /// use strata_version::Scheme;
    /// assert_eq!(Scheme::for_namespace("ubuntu:22.04"), Some(Scheme::Dpkg));
    /// assert_eq!(Scheme::for_namespace("openEuler:22.03-LTS-SP3"), Some(Scheme::Rpm));
    /// assert_eq!(Scheme::for_namespace("Bitnami"), Some(Scheme::Semver));
    /// assert_eq!(Scheme::for_namespace("GIT"), None);
    /// ```
    pub fn for_namespace(namespace: &str) -> Option<Scheme> {
        let base = namespace.split(':').next().unwrap_or("").trim();
        if base.len() > 32 {
            return None;
        }
        let lower = base.to_ascii_lowercase();
        let s = lower.as_str();
        let scheme = match s {
            "debian" | "ubuntu" | "deb" | "dpkg" => Scheme::Dpkg,
            "alpine"
            | "wolfi"
            | "chainguard"
            | "apk"
            | "alpaquita"
            | "bellsoft hardened containers" => Scheme::Apk,
            "redhat" | "red hat" | "rhel" | "almalinux" | "alma" | "rocky" | "rocky linux"
            | "rockylinux" | "centos" | "oracle" | "oracle linux" | "ol" | "fedora" | "amazon"
            | "amazon linux" | "amazonlinux" | "amzn" | "sles" | "suse" | "sle" | "openeuler"
            | "euleros" | "hce" | "kylin" | "uos" | "ctyunos" | "photon" | "photon os"
            | "mariner" | "azure linux" | "azurelinux" | "mageia" | "rpm" => Scheme::Rpm,
            _ if s.starts_with("opensuse") => Scheme::Rpm,
            "maven" => Scheme::Maven,
            "pypi" | "python" | "pip" | "pep440" => Scheme::Pep440,
            "npm" | "node" => Scheme::Npm,
            "go" | "golang" => Scheme::Go,
            "crates.io" | "cargo" | "rust" => Scheme::Cargo,
            "packagist" | "composer" | "php" => Scheme::Composer,
            "rubygems" | "gem" | "ruby" => Scheme::RubyGems,
            "nuget" | "dotnet" => Scheme::NuGet,
            "bitnami" | "semver" | "hex" => Scheme::Semver,
            _ => return None,
        };
        Some(scheme)
    }
}

impl std::str::FromStr for Scheme {
    type Err = crate::VersionError;

    /// Parses a scheme name as printed by [`Scheme::name`] (`"dpkg"`,
    /// `"pep440"`, ...), case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scheme::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| crate::VersionError::UnknownScheme {
                name: s.chars().take(64).collect(),
            })
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
