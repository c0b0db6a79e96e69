//! Release-file parsing on small inputs written here. The real files of Kylin, UOS, HCE,
//! EulerOS and openEuler are integration fixtures (`tests/it/release.rs`,
//! `testdata/release/*/`); the strings below marked "seen" were found in public files whose
//! repository the search index did not name, so they are tested here rather than copied
//! as fixtures.

use super::*;

fn os_release(text: &str) -> OsInfo {
    parse_release_file(
        ReleaseFile::OsRelease { usr_lib: false },
        "/etc/os-release",
        text.as_bytes(),
    )
    .expect("os-release always gives an answer")
}

fn line(path: &str, text: &str) -> Option<OsInfo> {
    parse_release_file(ReleaseFile::from_path(path).unwrap(), path, text.as_bytes())
}

#[test]
fn quoting_and_comments() {
    let f =
        parse_os_release("# c\nA=\"x \\\"y\\\"\"\nB='z w'\nC=plain\nD=\nnot a pair\nBAD KEY=1\n");
    assert_eq!(f["A"], "x \"y\"");
    assert_eq!(f["B"], "z w");
    assert_eq!(f["C"], "plain");
    assert_eq!(f["D"], "");
    assert_eq!(f.len(), 4);
}

#[test]
fn openeuler_lts_sp() {
    let i = os_release(
        "NAME=\"openEuler\"\nVERSION=\"22.03 (LTS-SP3)\"\nID=\"openEuler\"\nVERSION_ID=\"22.03\"\n",
    );
    assert_eq!(
        (i.family.as_str(), i.version.as_str()),
        ("openeuler", "22.03-LTS-SP3")
    );
    let i = os_release(
        "NAME=\"openEuler\"\nVERSION=\"20.03 (LTS)\"\nID=\"openEuler\"\nVERSION_ID=\"20.03\"\n",
    );
    assert_eq!(i.version, "20.03-LTS");
    let i = os_release(
        "NAME=\"openEuler\"\nVERSION=\"22.03 LTS\"\nID=\"openEuler\"\nVERSION_ID=\"22.03\"\n",
    );
    assert_eq!(i.version, "22.03-LTS");
    let i = line(
        "/etc/openEuler-release",
        "openEuler release 22.03 (LTS-SP3)\n",
    )
    .unwrap();
    assert_eq!(
        (i.family.as_str(), i.version.as_str(), i.precedence),
        ("openeuler", "22.03-LTS-SP3", VENDOR_RELEASE)
    );
}

#[test]
fn euleros_service_packs() {
    for (text, want) in [
        ("EulerOS release 2.0 (SP8)", "2.0-SP8"),
        ("EulerOS release 2.0 (SP9x86_64)", "2.0-SP9"),
        ("EulerOS release 2.0 (SP10)", "2.0-SP10"),
        ("EulerOS release 2.0", "2.0"),
    ] {
        let i = line("/etc/euleros-release", text).unwrap();
        assert_eq!(
            (i.family.as_str(), i.version.as_str()),
            ("euleros", want),
            "{text}"
        );
    }
    let i = os_release(
        "NAME=\"EulerOS\"\nVERSION=\"2.0 (SP10)\"\nID=\"euleros\"\nVERSION_ID=\"2.0\"\n",
    );
    assert_eq!(i.version, "2.0-SP10");
}

#[test]
fn huawei_cloud_euleros() {
    let i = os_release(
        "NAME=\"Huawei Cloud EulerOS\"\nVERSION=\"2.0 (x86_64)\"\nID=\"hce\"\nVERSION_ID=\"2.0\"\nPRETTY_NAME=\"Huawei Cloud EulerOS 2.0 (x86_64)\"\n",
    );
    assert_eq!((i.family.as_str(), i.version.as_str()), ("hce", "2.0"));
    let i = line(
        "/etc/hce-release",
        "Huawei Cloud EulerOS release 2.0 (West Lake)\n",
    )
    .unwrap();
    assert_eq!(
        (i.family.as_str(), i.version.as_str(), i.precedence),
        ("hce", "2.0", DERIVATIVE_RELEASE)
    );
    let i = line(
        "/etc/hce-release",
        "Huawei Cloud EulerOS release 1.1 (x86_64)\n",
    )
    .unwrap();
    assert_eq!(i.version, "1.1");
}

#[test]
fn kylin_service_packs_from_code_names() {
    for (version, want, codename) in [
        ("V10 (Tercel)", "V10-SP1", Some("Tercel")),
        ("V10 (Sword)", "V10-SP2", Some("Sword")),
        ("V10 (Lance)", "V10-SP3", Some("Lance")),
        ("V10 (Halberd)", "V10-SP3", Some("Halberd")),
        ("V10 (SP1)", "V10-SP1", None),
    ] {
        let text = format!(
            "NAME=\"Kylin Linux Advanced Server\"\nVERSION=\"{version}\"\nID=\"kylin\"\nVERSION_ID=\"V10\"\n"
        );
        let i = os_release(&text);
        assert_eq!(
            (i.family.as_str(), i.version.as_str()),
            ("kylin", want),
            "{version}"
        );
        assert_eq!(i.codename.as_deref(), codename);
    }
    let i = line(
        "/etc/kylin-release",
        "Kylin Linux Advanced Server release V10 (Sword)\n",
    )
    .unwrap();
    assert_eq!(
        (i.family.as_str(), i.version.as_str()),
        ("kylin", "V10-SP2")
    );
}

#[test]
fn uniontech_server_and_desktop() {
    let i = os_release(
        "PRETTY_NAME=\"UnionTech OS Server 20\"\nNAME=\"UnionTech OS Server 20\"\nVERSION_ID=\"20\"\nVERSION=\"20\"\nID=uos\nVERSION_CODENAME=kongzi\nPLATFORM_ID=\"platform:uelc20\"\n",
    );
    assert_eq!((i.family.as_str(), i.version.as_str()), ("uos", "20"));
    assert_eq!(i.codename.as_deref(), Some("kongzi"));
    assert_eq!(i.fields["PLATFORM_ID"], "platform:uelc20");
    // Upper-case ID as some UOS builds write it.
    assert_eq!(os_release("ID=UOS\nVERSION_ID=\"20\"\n").family, "uos");
    let i = line(
        "/etc/uos-release",
        "UnionTech OS Server release 20 (kongzi)\n",
    )
    .unwrap();
    assert_eq!((i.family.as_str(), i.version.as_str()), ("uos", "20"));
    // A uelc20 redhat-release names UOS, not Red Hat.
    let i = line(
        "/etc/redhat-release",
        "UnionTech OS Server release 20 (kongzi)\n",
    )
    .unwrap();
    assert_eq!((i.family.as_str(), i.precedence), ("uos", GENERIC_RELEASE));

    let v = "[Version]\nSystemName=UnionTech OS Server\nProductType=Server\nEditionName=e\nMajorVersion=20\nMinorVersion=1050\nOsBuild=11038.101.100\n";
    let i = line("/etc/os-version", v).unwrap();
    assert_eq!((i.family.as_str(), i.version.as_str()), ("uos", "20-1050e"));
    let v = "[Version]\nSystemName=UnionTech OS Desktop\nEditionName=Professional\nMajorVersion=20\nMinorVersion=1060\n";
    assert_eq!(line("/etc/os-version", v).unwrap().version, "20-1060");
    // Deepin writes the same format: not UOS.
    let v = "[Version]\nSystemName=Deepin\nMajorVersion=20\nMinorVersion=1010\n";
    assert!(line("/etc/os-version", v).is_none());
}

#[test]
fn ctyunos() {
    let i = os_release("NAME=\"ctyunos\"\nVERSION=\"2.0.1\"\nID=\"ctyunos\"\n");
    assert_eq!(
        (i.family.as_str(), i.version.as_str()),
        ("ctyunos", "2.0.1")
    );
    let i =
        os_release("NAME=\"CTyunOS\"\nVERSION=\"23.01\"\nID=\"ctyunos\"\nVERSION_ID=\"23.01\"\n");
    assert_eq!(i.version, "23.01");
    let i = line("/etc/ctyunos-release", "ctyunos release 2.0.1\n").unwrap();
    assert_eq!(
        (i.family.as_str(), i.version.as_str()),
        ("ctyunos", "2.0.1")
    );
}

#[test]
fn sles_service_pack_from_version_when_no_version_id() {
    let i = os_release("NAME=\"SLES\"\nVERSION=\"15-SP5\"\nID=\"sles\"\n");
    assert_eq!((i.family.as_str(), i.version.as_str()), ("sles", "15.5"));
}

#[test]
fn unknown_is_never_guessed() {
    let i = os_release("NAME=\"Arch Linux\"\nID=arch\nBUILD_ID=rolling\n");
    assert_eq!(i.family, "unknown");
    assert_eq!(i.name, "Arch Linux");
    assert_eq!(i.fields.len(), 3);
    // Versionless, but not Debian: a debian_version hint must not outrank it.
    assert_eq!(i.precedence, OS_RELEASE);
    // A redhat-release of an unknown product gives nothing.
    assert!(line("/etc/redhat-release", "Foo Linux release 1.0\n").is_none());
    assert!(line("/etc/redhat-release", "").is_none());
    assert!(line("/etc/alpine-release", "garbage").is_none());
}

#[test]
fn generic_release_files_rank_below_os_release() {
    // Oracle Linux keeps RHEL's redhat-release text: the oracle answer must win.
    let rh = line(
        "/etc/redhat-release",
        "Red Hat Enterprise Linux Server release 7.5 (Maipo)",
    )
    .unwrap();
    let ol = os_release(
        "NAME=\"Oracle Linux Server\"\nVERSION=\"7.5\"\nID=\"ol\"\nVERSION_ID=\"7.5\"\n",
    );
    assert!(ol.precedence > rh.precedence);
    assert_eq!(ol.family, "oracle");
}

#[test]
fn multibyte_text_in_parentheses_does_not_panic() {
    let i = line("/etc/euleros-release", "EulerOS release 2.0 (é1x)").unwrap();
    assert_eq!(i.version, "2.0");
    let i = line("/etc/euleros-release", "EulerOS release 2.0 (Sé)").unwrap();
    assert_eq!(i.version, "2.0");
    let i = line(
        "/etc/kylin-release",
        "Kylin Linux Advanced Server release V10 (Sé)",
    )
    .unwrap();
    assert_eq!(i.version, "V10");
    let i = os_release("ID=kylin\nVERSION_ID=v10\nVERSION=\"v10 (éé)\"\n");
    assert_eq!(i.version, "V10");
}

#[test]
fn uos_os_version_outranks_the_uos_release_lines() {
    // A uos-release or UnionTech-release (major release only) must never tie with
    // os-version, which also names the minor release and edition.
    let r = line(
        "/etc/uos-release",
        "UnionTech OS Server release 20 (kongzi)\n",
    )
    .unwrap();
    let u = line("/etc/UnionTech-release", "uos release 20 (fuyu)\n").unwrap();
    let v = line(
        "/etc/os-version",
        "[Version]\nSystemName=UOS Server\nProductType=Server\nEditionName=a\nMajorVersion=20\nMinorVersion=1070\n",
    )
    .unwrap();
    assert!(v.precedence > r.precedence && v.precedence > u.precedence);
    assert_eq!(
        (u.family.as_str(), u.codename.as_deref()),
        ("uos", Some("fuyu"))
    );
}

#[test]
fn uos_desktop_editions_are_not_server_edition_letters() {
    // UOS desktop 1050 "E" (seen on a real desktop, testdata uos-desktop-20-1050-e) is not
    // the openEuler-based server edition "e".
    let desk = "[Version]\nSystemName=UnionTech OS Desktop\nProductType=Desktop\nEditionName=E\nMajorVersion=20\nMinorVersion=1050\n";
    let i = line("/etc/os-version", desk).unwrap();
    assert_eq!(i.version, "20-1050");
    assert_eq!(i.fields["EditionName"], "E");
    // Without ProductType the system name decides.
    let srv = "[Version]\nSystemName=UnionTech OS Server\nEditionName=E\nMajorVersion=20\nMinorVersion=1060\n";
    assert_eq!(line("/etc/os-version", srv).unwrap().version, "20-1060e");
}

#[test]
fn an_architecture_is_not_a_code_name() {
    // Seen: "Huawei Cloud EulerOS release 1.0 (x86_64)".
    let i = line(
        "/etc/hce-release",
        "Huawei Cloud EulerOS release 1.0 (x86_64)\n",
    )
    .unwrap();
    assert_eq!((i.family.as_str(), i.version.as_str()), ("hce", "1.0"));
    assert_eq!(i.codename, None);
    let i = line(
        "/etc/hce-release",
        "Huawei Cloud EulerOS release 2.0 (West Lake)\n",
    )
    .unwrap();
    assert_eq!(i.codename.as_deref(), Some("West Lake"));
}

#[test]
fn kylin_v11_and_euleros_sp12_as_seen() {
    // Seen: Kylin Linux Advanced Server V11 (Swan25) os-release.
    let i = os_release(
        "NAME=\"Kylin Linux Advanced Server\"\nVERSION=\"V11 (Swan25)\"\nID=\"kylin\"\nVERSION_ID=\"V11\"\nPRETTY_NAME=\"Kylin Linux Advanced Server V11 (Swan25)\"\n",
    );
    assert_eq!(
        (i.family.as_str(), i.version.as_str(), i.codename.as_deref()),
        ("kylin", "V11", Some("Swan25"))
    );
    // Seen: EulerOS 2.0 SP12 and SP10 os-release, and "EulerOS release 2.0 (SP10)".
    let i = os_release(
        "NAME=\"EulerOS\"\nVERSION=\"2.0 (SP12)\"\nID=\"euleros\"\nVERSION_ID=\"2.0\"\nPRETTY_NAME=\"EulerOS 2.0 (SP12)\"\nANSI_COLOR=\"0;31\"\n",
    );
    assert_eq!(i.version, "2.0-SP12");
    let i = line("/etc/euleros-release", "EulerOS release 2.0 (SP10)\n").unwrap();
    assert_eq!(i.version, "2.0-SP10");
}

#[test]
fn ctyunos_fragments_as_seen() {
    // No complete CTyunOS release file was found; these lines were (cat /etc/*release).
    let i = line("/etc/ctyunos-release", "ctyunos release 2\n").unwrap();
    assert_eq!((i.family.as_str(), i.version.as_str()), ("ctyunos", "2"));
    let i = line("/etc/ctyunos-release", "CTyunOS release 22.06.2\n").unwrap();
    assert_eq!(
        (i.family.as_str(), i.version.as_str()),
        ("ctyunos", "22.06.2")
    );
}

#[test]
fn ubuntu_pro_status_json() {
    use super::ubuntu_pro::{StatusError, enabled_services, marker};
    let j = br#"{"services":[{"name":"esm-infra","status":"enabled"},{"name":"esm-apps","status":"enabled"},{"name":"fips","status":"n/a"},{"name":"esm-infra","status":"enabled"},{"name":"Bad Name","status":"enabled"},{"status":"enabled"}]}"#;
    assert_eq!(enabled_services(j).unwrap(), ["esm-infra", "esm-apps"]);
    assert!(matches!(
        enabled_services(b"{\"services\": [{"),
        Err(StatusError::Json(_))
    ));
    assert!(matches!(
        enabled_services(b"{\"attached\": false}"),
        Err(StatusError::NoServices)
    ));
    assert!(marker("/p", Vec::new()).is_none());
    let m = marker("/p", vec!["esm-apps".into()]).unwrap();
    assert!(super::ubuntu_pro::is_marker(&m));
    assert_eq!(m.origin.path, "/p");
}
