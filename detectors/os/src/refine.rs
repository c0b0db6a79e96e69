//! The post-merge step: purls that depend on the OS, dpkg file lists attached to their
//! packages, third-party rpm vendors, one rpm database when several are visible, Ubuntu
//! Pro services merged into the Ubuntu OS.

use std::collections::HashMap;

use strata_core::{
    Analyzer, Diagnostic, Ecosystem, FileList, Finding, ImageInfo, Inventory, OsInfo, Output,
    Package,
};

use crate::{OsConfig, purl};

/// Completes OS packages after the layer merge (id `os/packages`, group `os`); its
/// `analyze` reports nothing.
#[derive(Clone, Debug, Default)]
pub struct OsPackagesAnalyzer {
    cfg: OsConfig,
}

impl OsPackagesAnalyzer {
    /// An analyzer with this configuration.
    pub fn new(cfg: OsConfig) -> Self {
        OsPackagesAnalyzer { cfg }
    }
}

impl Analyzer for OsPackagesAnalyzer {
    fn id(&self) -> &'static str {
        "os/packages"
    }

    fn group(&self) -> &'static str {
        "os"
    }

    fn refine(
        &self,
        _image: &ImageInfo,
        os: Option<&OsInfo>,
        findings: &mut Vec<Finding>,
        out: &mut Output,
    ) {
        refine_findings(&self.cfg, os, findings, out);
    }

    fn analyze(&self, _inventory: &Inventory<'_>, _out: &mut Output) {}
}

const DEB_FAMILIES: &[&str] = &["debian", "ubuntu", "uos", "kylin"];
const APK_FAMILIES: &[&str] = &["alpine", "wolfi", "chainguard"];
const RPM_FAMILIES: &[&str] = &[
    "redhat",
    "centos",
    "rocky",
    "alma",
    "oracle",
    "fedora",
    "amazon",
    "sles",
    "slem",
    "opensuse",
    "openeuler",
    "euleros",
    "hce",
    "kylin",
    "uos",
    "ctyunos",
    "photon",
    "cbl-mariner",
    "azurelinux",
];

fn is_ours(p: &Package) -> bool {
    p.detector.starts_with("os/") && p.ecosystem.is_os()
}

/// Applies the refinements in place (what [`OsPackagesAnalyzer::refine`] does).
pub fn refine_findings(
    cfg: &OsConfig,
    os: Option<&OsInfo>,
    findings: &mut Vec<Finding>,
    out: &mut Output,
) {
    merge_ubuntu_pro(os, findings);
    keep_one_rpm_database(findings);
    attach_owned_files(findings);
    mark_os_owned(findings);
    // A binary identified by byte patterns whose file an OS package installed is that OS
    // package (already listed, matched against the distro's feed): not a second component.
    findings.retain(|f| !matches!(f, Finding::Package(p) if p.ecosystem == Ecosystem::Binary && p.os_package.is_some()));
    let flag_vendors = vendor_list_fits(cfg, os, findings, out);
    for f in findings.iter_mut() {
        let Finding::Package(p) = f else { continue };
        if !is_ours(p) {
            continue;
        }
        if p.purl.is_none() {
            p.purl = package_purl(p, os);
        }
        if flag_vendors && p.ecosystem == Ecosystem::Rpm && is_third_party(cfg, os, p) {
            p.properties
                .insert("third_party".to_owned(), "true".to_owned());
        }
    }
}

/// Moves the enabled Ubuntu Pro services of status.json (the marker findings of
/// [`crate::release::ubuntu_pro`]) into `fields["ubuntu_pro_services"]` of every Ubuntu
/// [`OsInfo`] finding when the image's OS is Ubuntu, and drops the markers. The engine
/// chose `os` among these findings, so the chosen one carries the field once the OS is
/// read back from the refined findings.
pub fn merge_ubuntu_pro(os: Option<&OsInfo>, findings: &mut Vec<Finding>) {
    use crate::release::ubuntu_pro::{FIELD, is_marker};
    let mut services: Vec<String> = Vec::new();
    let mut markers = 0;
    for f in findings.iter() {
        if let Finding::Owned(o) = f {
            if is_marker(o) {
                markers += 1;
                for s in &o.files {
                    if !services.iter().any(|x| x == s) {
                        services.push(s.to_owned());
                    }
                }
            }
        }
    }
    if markers == 0 {
        return;
    }
    findings.retain(|f| !matches!(f, Finding::Owned(o) if is_marker(o)));
    if services.is_empty() || os.is_none_or(|o| o.family != "ubuntu") {
        return;
    }
    let value = services.join(",");
    for f in findings.iter_mut() {
        if let Finding::Os(o) = f {
            if o.family == "ubuntu" {
                o.fields.insert(FIELD.to_owned(), value.clone());
            }
        }
    }
}

/// Marks application packages (jars, dist-info, Go binaries, ...) whose file belongs to an
/// OS package: a vendor-patched copy, to be matched against the vendor's feed rather than
/// upstream. `/lib`, `/bin`, `/sbin` are also looked up under `/usr` (merged-usr systems
/// list the unmerged path).
pub fn mark_os_owned(findings: &mut [Finding]) {
    // Index the few application package paths (and their unmerged-usr spellings), then
    // walk the OS packages' file lists once without copying them: an image's OS packages
    // own hundreds of thousands of files, its application packages a few hundred.
    const UNMERGED: [&str; 6] = ["/lib/", "/lib64/", "/bin/", "/sbin/", "/lib32/", "/libx32/"];
    let mut wanted: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        let Finding::Package(p) = f else { continue };
        if p.ecosystem.is_os() || p.os_package.is_some() {
            continue;
        }
        let path = p.origin.file_path();
        wanted.entry(path.to_owned()).or_default().push(i);
        if let Some(rest) = path.strip_prefix("/usr") {
            if UNMERGED.iter().any(|pre| rest.starts_with(pre)) {
                wanted.entry(rest.to_owned()).or_default().push(i);
            }
        }
    }
    if wanted.is_empty() {
        return;
    }
    let mut owner: HashMap<usize, String> = HashMap::new();
    for f in findings.iter() {
        let Finding::Package(p) = f else { continue };
        if !p.ecosystem.is_os() {
            continue;
        }
        for file in &p.files {
            if let Some(apps) = wanted.get(file) {
                for &i in apps {
                    owner.entry(i).or_insert_with(|| p.name.clone());
                }
            }
        }
    }
    for (i, name) in owner {
        if let Finding::Package(p) = &mut findings[i] {
            p.os_package = Some(name);
        }
    }
}

/// Whether the configured vendor names fit this image: when most rpm packages that name a
/// vendor match none of them, the configuration (not the image) is wrong for this
/// system, so nothing is flagged and an `rpm-vendor-unrecognised` diagnostic names the
/// most common vendor to configure.
fn vendor_list_fits(
    cfg: &OsConfig,
    os: Option<&OsInfo>,
    findings: &[Finding],
    out: &mut Output,
) -> bool {
    let mut with_vendor = 0usize;
    let mut foreign: HashMap<&str, usize> = HashMap::new();
    for f in findings {
        let Finding::Package(p) = f else { continue };
        let Some(vendor) = p.vendor.as_deref().filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        if !is_ours(p) || p.ecosystem != Ecosystem::Rpm {
            continue;
        }
        with_vendor += 1;
        if is_third_party(cfg, os, p) {
            *foreign.entry(vendor).or_default() += 1;
        }
    }
    let third_party: usize = foreign.values().sum();
    if third_party * 2 <= with_vendor {
        return true;
    }
    let Some((vendor, count)) = foreign
        .iter()
        .max_by_key(|(v, n)| (**n, std::cmp::Reverse(**v)))
    else {
        return true;
    };
    let family = os.map_or("", |o| o.family.as_str());
    out.diagnostic(Diagnostic::warning(
        "rpm-vendor-unrecognised",
        format!(
            "{third_party} of {with_vendor} rpm packages have vendors not configured for \
             {family} (most common: {vendor:?}, {count} packages): third-party packages are \
             not flagged; add the vendor to OsConfig::rpm_vendors"
        ),
    ));
    false
}

/// When several rpm databases are visible (a layer converted `Packages` to
/// `rpmdb.sqlite` and left the old file), keep the packages of the one written last
/// (highest layer), then of the newest format.
fn keep_one_rpm_database(findings: &mut Vec<Finding>) {
    let rank = |p: &Package| {
        let format = match crate::rpm::evidence(&p.origin.path) {
            "rpmdb-sqlite" => 3,
            "rpmdb-ndb" => 2,
            _ => 1,
        };
        (
            p.origin.layer_index.unwrap_or(0),
            format,
            p.origin.path.starts_with("/usr/lib/sysimage/"),
        )
    };
    let mut best: Option<(_, String)> = None;
    let mut paths = 0;
    let mut seen: Vec<&str> = Vec::new();
    for f in findings.iter() {
        let Finding::Package(p) = f else { continue };
        if p.detector != "os/rpm" || seen.contains(&p.origin.path.as_str()) {
            continue;
        }
        seen.push(&p.origin.path);
        paths += 1;
        let r = rank(p);
        if best.as_ref().is_none_or(|(b, _)| r > *b) {
            best = Some((r, p.origin.path.clone()));
        }
    }
    if paths < 2 {
        return;
    }
    let Some((_, keep)) = best else { return };
    findings.retain(|f| match f {
        Finding::Package(p) => p.detector != "os/rpm" || p.origin.path == keep,
        _ => true,
    });
}

/// The architecture of a `.list` file name and its paths.
type ArchFiles = (Option<String>, FileList);

/// Copies dpkg `info/<pkg>[:<arch>].list` contents into the matching dpkg packages'
/// `files` (the `Owned` findings stay; reports hide them).
fn attach_owned_files(findings: &mut [Finding]) {
    let mut lists: HashMap<String, Vec<ArchFiles>> = HashMap::new();
    for f in findings.iter() {
        if let Finding::Owned(o) = f {
            if o.ecosystem == Ecosystem::Deb {
                lists
                    .entry(o.package.clone())
                    .or_default()
                    .push((o.arch.clone(), o.files.clone()));
            }
        }
    }
    if lists.is_empty() {
        return;
    }
    for f in findings.iter_mut() {
        let Finding::Package(p) = f else { continue };
        if p.ecosystem != Ecosystem::Deb
            || !is_ours(p)
            || p.evidence.as_deref() == Some("opkg-status")
        {
            continue;
        }
        let Some(candidates) = lists.get(&p.name) else {
            continue;
        };
        for (arch, files) in candidates {
            if arch.is_none() || arch == &p.arch {
                // Under 4 GiB of paths: the scan's entry and size caps are far lower.
                let _ = p.files.extend_from(files);
            }
        }
    }
}

fn os_in<'a>(os: Option<&'a OsInfo>, families: &[&str]) -> Option<&'a OsInfo> {
    os.filter(|o| families.contains(&o.family.as_str()))
}

/// The purl of an OS package given the image's OS:
/// `pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12`,
/// `pkg:rpm/redhat/openssl@3.0.7-24.el9?arch=x86_64&distro=redhat-9.4&epoch=1`,
/// `pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=3.18.4`. Without a matching OS the
/// namespace falls back to the ecosystem's usual one (none for rpm) and `distro` is left
/// out. opkg packages get none.
pub fn package_purl(p: &Package, os: Option<&OsInfo>) -> Option<String> {
    let arch = p.arch.as_deref().unwrap_or("");
    match p.ecosystem {
        Ecosystem::Deb => {
            if p.evidence.as_deref() == Some("opkg-status") {
                return None;
            }
            let os = os_in(os, DEB_FAMILIES);
            let namespace = os.map_or("debian", |o| o.family.as_str());
            let distro = os
                .filter(|o| !o.version.is_empty())
                .map(|o| format!("{}-{}", o.family, o.version));
            Some(purl::build(
                "deb",
                Some(namespace),
                &p.name,
                &p.version,
                &[("arch", arch), ("distro", distro.as_deref().unwrap_or(""))],
            ))
        }
        Ecosystem::Rpm => {
            let os = os_in(os, RPM_FAMILIES);
            let (epoch, version) = match p.version.split_once(':') {
                Some((e, v)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => (e, v),
                _ => ("", p.version.as_str()),
            };
            let distro = os
                .filter(|o| !o.version.is_empty())
                .map(|o| format!("{}-{}", o.family, o.version));
            Some(purl::build(
                "rpm",
                os.map(|o| o.family.as_str()),
                &p.name,
                version,
                &[
                    ("arch", arch),
                    ("epoch", epoch),
                    ("distro", distro.as_deref().unwrap_or("")),
                ],
            ))
        }
        Ecosystem::Apk => {
            let os = os_in(os, APK_FAMILIES);
            let namespace = os.map_or("alpine", |o| o.family.as_str());
            let distro = os.map_or("", |o| o.version.as_str());
            Some(purl::build(
                "apk",
                Some(namespace),
                &p.name,
                &p.version,
                &[("arch", arch), ("distro", distro)],
            ))
        }
        _ => None,
    }
}

fn is_third_party(cfg: &OsConfig, os: Option<&OsInfo>, p: &Package) -> bool {
    let Some(os) = os else { return false };
    let Some(vendors) = cfg.rpm_vendors.get(&os.family) else {
        return false;
    };
    let Some(vendor) = p.vendor.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
        return false;
    };
    let vendor = vendor.to_lowercase();
    !vendors.iter().any(|v| vendor.contains(&v.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_core::{Origin, OwnedFiles};

    fn os(family: &str, version: &str) -> OsInfo {
        OsInfo {
            family: family.into(),
            version: version.into(),
            ..Default::default()
        }
    }

    fn pkg(eco: Ecosystem, detector: &str, name: &str, version: &str, arch: &str) -> Package {
        Package {
            name: name.into(),
            version: version.into(),
            ecosystem: eco,
            arch: Some(arch.into()),
            detector: detector.into(),
            ..Default::default()
        }
    }

    #[test]
    fn purls_follow_the_os() {
        let deb = pkg(Ecosystem::Deb, "os/dpkg", "bash", "5.2.15-2+b2", "amd64");
        assert_eq!(
            package_purl(&deb, Some(&os("debian", "12"))).unwrap(),
            "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12"
        );
        assert_eq!(
            package_purl(&deb, Some(&os("ubuntu", "22.04"))).unwrap(),
            "pkg:deb/ubuntu/bash@5.2.15-2%2Bb2?arch=amd64&distro=ubuntu-22.04"
        );
        // No OS, or an OS of another packaging system: no distro qualifier.
        assert_eq!(
            package_purl(&deb, None).unwrap(),
            "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64"
        );
        assert_eq!(
            package_purl(&deb, Some(&os("alpine", "3.18.4"))).unwrap(),
            "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64"
        );
        let rpm = pkg(
            Ecosystem::Rpm,
            "os/rpm",
            "openssl",
            "1:3.0.7-24.el9",
            "x86_64",
        );
        assert_eq!(
            package_purl(&rpm, Some(&os("redhat", "9.4"))).unwrap(),
            "pkg:rpm/redhat/openssl@3.0.7-24.el9?arch=x86_64&distro=redhat-9.4&epoch=1"
        );
        assert_eq!(
            package_purl(&rpm, Some(&os("openeuler", "22.03-LTS-SP3"))).unwrap(),
            "pkg:rpm/openeuler/openssl@3.0.7-24.el9?arch=x86_64&distro=openeuler-22.03-LTS-SP3&epoch=1"
        );
        let apk = pkg(Ecosystem::Apk, "os/apk", "musl", "1.2.4-r2", "x86_64");
        assert_eq!(
            package_purl(&apk, Some(&os("alpine", "3.18.4"))).unwrap(),
            "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=3.18.4"
        );
    }

    #[test]
    fn third_party_rpm_vendors_are_flagged_not_dropped() {
        let mut a = pkg(Ecosystem::Rpm, "os/rpm", "bash", "5.1-1.oe2203", "x86_64");
        a.vendor = Some("openEuler".into());
        let mut b = pkg(
            Ecosystem::Rpm,
            "os/rpm",
            "docker-ce",
            "3:24.0.0-1",
            "x86_64",
        );
        b.vendor = Some("Docker".into());
        let c = pkg(Ecosystem::Rpm, "os/rpm", "novendor", "1-1", "x86_64");
        let mut findings = vec![
            Finding::from(a),
            Finding::from(b),
            Finding::from(c),
        ];
        refine_findings(
            &OsConfig::default(),
            Some(&os("openeuler", "22.03-LTS-SP3")),
            &mut findings,
            &mut Output::new(),
        );
        let flags: Vec<Option<&String>> = findings
            .iter()
            .map(|f| match f {
                Finding::Package(p) => p.properties.get("third_party"),
                _ => None,
            })
            .collect();
        assert_eq!(flags, [None, Some(&"true".to_owned()), None]);
    }

    #[test]
    fn a_vendor_list_that_fits_no_package_flags_nothing() {
        let mut findings: Vec<Finding> = (0..3)
            .map(|i| {
                let mut p = pkg(Ecosystem::Rpm, "os/rpm", &format!("p{i}"), "1-1", "x86_64");
                p.vendor = Some("Some Vendor Nobody Configured".into());
                Finding::from(p)
            })
            .collect();
        let mut out = Output::new();
        refine_findings(
            &OsConfig::default(),
            Some(&os("kylin", "V10-SP3")),
            &mut findings,
            &mut out,
        );
        assert!(findings.iter().all(|f| match f {
            Finding::Package(p) => !p.properties.contains_key("third_party"),
            _ => true,
        }));
        assert_eq!(out.diagnostics().len(), 1);
        assert_eq!(out.diagnostics()[0].code, "rpm-vendor-unrecognised");
        assert!(
            out.diagnostics()[0]
                .message
                .contains("Some Vendor Nobody Configured")
        );
    }

    #[test]
    fn list_files_attach_by_name_and_arch() {
        let amd = pkg(Ecosystem::Deb, "os/dpkg", "libc6", "2.36-9", "amd64");
        let i386 = pkg(Ecosystem::Deb, "os/dpkg", "libc6", "2.36-9", "i386");
        let owned = |arch: Option<&str>, file: &str| {
            Finding::Owned(OwnedFiles {
                package: "libc6".into(),
                arch: arch.map(str::to_owned),
                ecosystem: Ecosystem::Deb,
                files: [file].into_iter().collect(),
                origin: Origin::file("/var/lib/dpkg/info/x.list"),
            })
        };
        let mut findings = vec![
            Finding::from(amd),
            Finding::from(i386),
            owned(Some("amd64"), "/lib/x86_64-linux-gnu/libc.so.6"),
            owned(Some("i386"), "/lib/i386-linux-gnu/libc.so.6"),
        ];
        refine_findings(
            &OsConfig::default(),
            None,
            &mut findings,
            &mut Output::new(),
        );
        let Finding::Package(p) = &findings[0] else {
            panic!()
        };
        assert_eq!(p.files, ["/lib/x86_64-linux-gnu/libc.so.6"]);
        let Finding::Package(p) = &findings[1] else {
            panic!()
        };
        assert_eq!(p.files, ["/lib/i386-linux-gnu/libc.so.6"]);
        assert_eq!(findings.len(), 4);
    }

    #[test]
    fn one_rpm_database_survives() {
        let mut old = pkg(Ecosystem::Rpm, "os/rpm", "bash", "4-1", "x86_64");
        old.origin = Origin {
            path: "/var/lib/rpm/Packages".into(),
            layer_index: Some(0),
            ..Default::default()
        };
        let mut new = pkg(Ecosystem::Rpm, "os/rpm", "bash", "5-1", "x86_64");
        new.origin = Origin {
            path: "/var/lib/rpm/rpmdb.sqlite".into(),
            layer_index: Some(1),
            ..Default::default()
        };
        let mut findings = vec![Finding::from(old), Finding::from(new)];
        refine_findings(
            &OsConfig::default(),
            None,
            &mut findings,
            &mut Output::new(),
        );
        assert_eq!(findings.len(), 1);
        let Finding::Package(p) = &findings[0] else {
            panic!()
        };
        assert_eq!(p.version, "5-1");
    }

    #[test]
    fn ubuntu_pro_services_only_on_ubuntu_and_markers_dropped() {
        use crate::release::ubuntu_pro::marker;
        let ubuntu = os("ubuntu", "22.04");
        let mk = |m: Vec<&str>| {
            Finding::Owned(
                marker(
                    "/var/lib/ubuntu-advantage/status.json",
                    m.into_iter().map(String::from).collect(),
                )
                .unwrap(),
            )
        };
        let mut f = vec![
            Finding::Os(ubuntu.clone()),
            Finding::Os(os("debian", "12")),
            mk(vec!["esm-infra", "esm-apps"]),
            mk(vec!["esm-apps", "livepatch"]),
        ];
        merge_ubuntu_pro(Some(&ubuntu), &mut f);
        assert_eq!(f.len(), 2);
        let Finding::Os(u) = &f[0] else { panic!() };
        assert_eq!(
            u.fields["ubuntu_pro_services"],
            "esm-infra,esm-apps,livepatch"
        );
        let Finding::Os(d) = &f[1] else { panic!() };
        assert!(d.fields.is_empty());
        // Not Ubuntu: markers dropped, nothing set.
        let deb = os("debian", "12");
        let mut f = vec![Finding::Os(deb.clone()), mk(vec!["esm-infra"])];
        merge_ubuntu_pro(Some(&deb), &mut f);
        assert_eq!(f.len(), 1);
        let Finding::Os(d) = &f[0] else { panic!() };
        assert!(d.fields.is_empty());
    }
}
