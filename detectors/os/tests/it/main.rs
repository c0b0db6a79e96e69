//! Integration tests: every detector driven through the `Detector` trait (start, file,
//! finish) as the engine drives it, on the peers' fixtures in `testdata/`, asserted
//! against the peers' expected values.

mod apk;
mod corrupt;
mod dpkg;
mod engine;
mod harness;
mod real_images;
mod release;
mod rpm;
mod speed;

mod ownership {
    use strata_core::{Ecosystem, Finding, Origin, Package};

    #[test]
    fn application_files_owned_by_os_packages_are_marked() {
        let mut findings = vec![
            Finding::from(Package {
                name: "python3-requests".into(),
                version: "2.28.1+dfsg-1".into(),
                ecosystem: Ecosystem::Deb,
                files: ["/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO"].into_iter().collect(),
                ..Default::default()
            }),
            Finding::from(Package {
                name: "libfoo".into(),
                version: "1".into(),
                ecosystem: Ecosystem::Deb,
                files: ["/lib/x86_64-linux-gnu/libfoo.so.1"].into_iter().collect(),
                ..Default::default()
            }),
            Finding::from(Package {
                name: "requests".into(),
                version: "2.28.1".into(),
                ecosystem: Ecosystem::Pypi,
                origin: Origin::file("/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO"),
                ..Default::default()
            }),
            Finding::from(Package {
                name: "foo".into(),
                version: "1".into(),
                ecosystem: Ecosystem::Binary,
                origin: Origin::file("/usr/lib/x86_64-linux-gnu/libfoo.so.1"),
                ..Default::default()
            }),
            Finding::from(Package {
                name: "lodash".into(),
                version: "4.17.20".into(),
                ecosystem: Ecosystem::Npm,
                origin: Origin::file("/app/node_modules/lodash/package.json"),
                ..Default::default()
            }),
        ];
        strata_detect_os::refine::mark_os_owned(&mut findings);
        let owned: Vec<Option<String>> = findings
            .iter()
            .filter_map(|f| match f {
                Finding::Package(p) if !p.ecosystem.is_os() => Some(p.os_package.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(owned, vec![Some("python3-requests".to_owned()), Some("libfoo".to_owned()), None]);
    }
}
