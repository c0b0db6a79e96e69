//! Python metadata.

use strata_core::Ecosystem;

use crate::{detector, expected, read, run, strings};

/// Where each fixture is placed in the image (the layout pip and setuptools write).
fn image_path(input: &str) -> String {
    match input {
        "distlib-0.3.1-py3.9.egg-info" => format!("/usr/lib/python3.9/site-packages/{input}"),
        i if i.ends_with(".PKG-INFO") => {
            format!(
                "/usr/lib/python3/dist-packages/{}/PKG-INFO",
                i.trim_end_matches(".PKG-INFO")
            )
        }
        i => format!(
            "/usr/local/lib/python3.11/site-packages/{}.dist-info/METADATA",
            i.trim_end_matches(".METADATA")
        ),
    }
}

#[test]
fn metadata_matches_trivy() {
    let exp = expected("python/trivy/expected-packaging.json");
    let det = detector("lang/python");
    let mut checked = 0;
    for case in exp["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let body = read(&format!("python/trivy/{input}"));
        let path = image_path(input);
        let (pkgs, diags) = run(&*det, &[(&path, &body)]);
        if case.get("want_error").is_some() {
            assert!(pkgs.is_empty(), "{input}");
            assert_eq!(diags.len(), 1, "{input}");
            assert_eq!(diags[0].path.as_deref(), Some(path.as_str()));
            checked += 1;
            continue;
        }
        let want = &case["want"][0];
        assert!(diags.is_empty(), "{input}: {diags:?}");
        assert_eq!(pkgs.len(), 1, "{input}");
        let p = &pkgs[0];
        assert_eq!(p.name, want["name"].as_str().unwrap(), "{input}");
        assert_eq!(p.version, want["version"].as_str().unwrap(), "{input}");
        assert_eq!(p.licenses, strings(want.get("licenses")), "{input}");
        assert_eq!(p.ecosystem, Ecosystem::Pypi);
        assert_eq!(p.origin.path, path);
        checked += 1;
    }
    assert_eq!(checked, 11);
}

#[test]
fn purl_name_is_pep503_normalised() {
    let body = read("python/trivy/unidecode-egg-info.PKG-INFO");
    let (pkgs, _) = run(
        &*detector("lang/python"),
        &[(
            "/usr/lib/python3/dist-packages/Unidecode.egg-info/PKG-INFO",
            &body,
        )],
    );
    assert_eq!(pkgs[0].name, "Unidecode");
    assert_eq!(pkgs[0].purl.as_deref(), Some("pkg:pypi/unidecode@0.4.1"));
    assert_eq!(pkgs[0].evidence.as_deref(), Some("egg-info"));
}

/// A stored/deflated zip with one member, built in code.
pub(crate) fn zip_one(name: &str, data: &[u8], deflate: bool) -> Vec<u8> {
    let body = if deflate {
        use std::io::Write;
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    } else {
        data.to_vec()
    };
    let method: u16 = if deflate { 8 } else { 0 };
    let mut out = Vec::new();
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 0, 0, 0]);
    out.extend_from_slice(&method.to_le_bytes());
    out.extend_from_slice(&[0; 8]); // time, date, crc
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&body);
    let cd = out.len();
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 0, 20, 0, 0, 0]);
    out.extend_from_slice(&method.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0; 12]); // extra, comment, disk, internal attrs, external attrs
    out.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    out.extend_from_slice(name.as_bytes());
    let cd_len = out.len() - cd;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&(cd_len as u32).to_le_bytes());
    out.extend_from_slice(&(cd as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn zipped_egg_is_read() {
    let meta = read("python/trivy/distlib-0.3.1-py3.9.egg-info");
    for deflate in [false, true] {
        let egg = zip_one("EGG-INFO/PKG-INFO", &meta, deflate);
        let path = "/usr/lib/python3.9/site-packages/distlib-0.3.1-py3.9.egg";
        let (pkgs, diags) = run(&*detector("lang/python"), &[(path, &egg)]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(pkgs.len(), 1);
        assert_eq!(
            (pkgs[0].name.as_str(), pkgs[0].version.as_str()),
            ("distlib", "0.3.1")
        );
        assert_eq!(pkgs[0].licenses, ["Python license"]);
        assert_eq!(pkgs[0].origin.path, format!("{path}!/EGG-INFO/PKG-INFO"));
        assert_eq!(pkgs[0].origin.real_path.as_deref(), Some(path));
    }
}
