//! Ubuntu ESM end to end: the Pro services file and the OS release live in different
//! files; the OS analyzer merges them, the engine re-picks the refined OS, and the
//! matcher then uses the `ubuntu:14.04-esm` statements of the embedded database.

use strata::{ScanOptions, ScanOutput, Scanner, ScannerOptions, VulnStatus};
use strata_testkit::ImageBuilder;

const OS_RELEASE: &str = "NAME=\"Ubuntu\"\nVERSION=\"14.04.6 LTS, Trusty Tahr\"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME=\"Ubuntu 14.04.6 LTS\"\nVERSION_ID=\"14.04\"\n";

const STATUS: &str = "Package: libexpat1\nStatus: install ok installed\nPriority: optional\nSection: libs\nInstalled-Size: 379\nMaintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\nArchitecture: amd64\nMulti-Arch: same\nSource: expat\nVersion: 2.1.0-4ubuntu1.4\nDescription: XML parsing C library - runtime library\n";

/// (status, fixed version) of CVE-2018-20843 on libexpat1, scanning an image with or
/// without Ubuntu Pro's status file.
fn expat_finding(with_pro: bool) -> Option<(VulnStatus, Option<String>)> {
    let pro = include_str!("../../../detectors/os/testdata/ubuntu-pro/trivy/esm_enabled_status.json");
    let dir = tempfile::tempdir().unwrap();
    let image = ImageBuilder::new().layer(|l| {
        let l = l.file("etc/os-release", OS_RELEASE).file("var/lib/dpkg/status", STATUS);
        if with_pro { l.file("var/lib/ubuntu-advantage/status.json", pro) } else { l }
    });
    image.write_oci_layout(dir.path(), "latest");
    let scanner = Scanner::new(&ScannerOptions { cache: None, ..Default::default() }).unwrap();
    let target = format!("oci:{}", dir.path().display());
    let ScanOutput::Single(report) = scanner.scan(&target, &ScanOptions::default()).unwrap() else {
        panic!("expected one image")
    };
    assert_eq!(report.image.os.as_ref().map(|o| o.family.as_str()), Some("ubuntu"));
    report
        .vulnerabilities
        .iter()
        .find(|v| &*v.id == "CVE-2018-20843" && &*v.package == "libexpat1")
        .map(|v| (v.status, v.fixed_version.as_deref().map(str::to_owned)))
}

#[test]
fn ubuntu_pro_status_file_enables_esm_fixes() {
    // UCT: `trusty_expat: ignored (out of standard support)`.
    assert_eq!(expat_finding(false), Some((VulnStatus::EndOfLife, None)));
    // `trusty/esm_expat: released (2.1.0-4ubuntu1.4+esm1)`, usable with esm-infra enabled.
    assert_eq!(expat_finding(true), Some((VulnStatus::Fixed, Some("2.1.0-4ubuntu1.4+esm1".into()))));
}
