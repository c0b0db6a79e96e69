//! End to end through the engine on a directory target: the interests select the files
//! (globs, basenames, extensions, executables) and every detector reports.

use std::collections::BTreeSet;

use strata_core::{Engine, ScanOptions};
use strata_detect_lang::{LangConfig, detectors};

use crate::read;

#[test]
fn engine_dispatches_every_ecosystem() {
    let root = tempfile::tempdir().unwrap();
    let put = |rel: &str, body: &[u8]| {
        let p = root.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, body).unwrap();
    };
    put("usr/local/bin/goapp", &read("go/trivy/test.elf"));
    put("usr/bin/rustapp", &read("rust/trivy/test.elf"));
    put(
        "usr/lib/python3/dist-packages/iniconfig-2.0.0.dist-info/METADATA",
        &read("python/trivy/iniconfig-2.0.0.METADATA"),
    );
    put(
        "usr/lib/python3.9/site-packages/distlib-0.3.1-py3.9.egg-info",
        &read("python/trivy/distlib-0.3.1-py3.9.egg-info"),
    );
    put(
        "app/node_modules/ms/package.json",
        &read("node-modules/trivy/happy/node_modules/ms/package.json"),
    );
    put(
        "srv/yarn.lock",
        b"# yarn lockfile v1\n\nleft-pad@^1.3.0:\n  version \"1.3.0\"\n",
    );
    put(
        "usr/local/bundle/specifications/rake-13.0.3.gemspec",
        &read("ruby/trivy/normal00.gemspec"),
    );
    put(
        "var/www/composer.lock",
        &read("php/trivy/composer/happy/composer.lock"),
    );
    put(
        "var/www/composer.json",
        &read("php/trivy/composer/happy/composer.json"),
    );
    put(
        "opt/app/app.deps.json",
        br#"{"libraries":{"Newtonsoft.Json/13.0.1":{"type":"package"}}}"#,
    );
    // Not ours: a project package.json, a manifest inside vendor/.
    put(
        "app/package.json",
        br#"{"name":"my-app","version":"1.0.0"}"#,
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = root.path().join("usr/local/bin/goapp");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let engine = Engine::builder()
        .detectors(detectors(&LangConfig::default()))
        .cache(None)
        .build()
        .unwrap();
    let target = format!("dir:{}", root.path().display());
    let out = engine.scan(&target, &ScanOptions::default()).unwrap();
    let report = out.reports()[0];
    let got: BTreeSet<(&str, &str, &str)> = report
        .packages
        .iter()
        .map(|p| (p.detector.as_str(), p.name.as_str(), p.version.as_str()))
        .collect();
    for want in [
        ("lang/go-binary", "stdlib", "v1.15.2"),
        (
            "lang/go-binary",
            "golang.org/x/xerrors",
            "v0.0.0-20200804184101-5ec99f83aff1",
        ),
        ("lang/rust-binary", "library_crate", "0.1.0"),
        ("lang/python", "iniconfig", "2.0.0"),
        ("lang/python", "distlib", "0.3.1"),
        ("lang/node", "ms", "2.1.1"),
        ("lang/node", "left-pad", "1.3.0"),
        ("lang/ruby", "rake", "13.0.3"),
        ("lang/php", "pear/log", "1.13.3"),
        ("lang/dotnet", "Newtonsoft.Json", "13.0.1"),
    ] {
        assert!(got.contains(&want), "missing {want:?} in {got:?}");
    }
    assert!(!got.iter().any(|(_, n, _)| *n == "my-app"));
    let go = report.packages.iter().find(|p| p.name == "stdlib").unwrap();
    assert_eq!(go.origin.path, "/usr/local/bin/goapp");
    let lang_diags: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("lang-"))
        .collect();
    assert!(lang_diags.is_empty(), "{lang_diags:?}");
}
