use crate::common::{self, License};
use crate::{Format, Options};

#[test]
fn format_names_round_trip() {
    for n in Format::NAMES {
        let f = Format::parse(n).unwrap();
        assert_eq!(f.to_string(), *n);
    }
    assert_eq!(Format::parse("xml"), None);
}

#[test]
fn rfc3339_known_instants() {
    assert_eq!(common::rfc3339(0), "1970-01-01T00:00:00Z");
    // 2000-02-29 (leap day) 12:34:56 UTC = 951827696
    assert_eq!(common::rfc3339(951_827_696), "2000-02-29T12:34:56Z");
    // date -u -d @1700000000 -> 2023-11-14T22:13:20Z
    assert_eq!(common::rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
}

#[test]
fn uuid_is_rfc_shaped_and_stable() {
    let a = common::uuid(&["x", "y"]);
    assert_eq!(a, common::uuid(&["x", "y"]));
    assert_ne!(a, common::uuid(&["xy", ""]));
    let b: Vec<&str> = a.split('-').collect();
    assert_eq!(
        b.iter().map(|s| s.len()).collect::<Vec<_>>(),
        vec![8, 4, 4, 4, 12]
    );
    assert!(b[2].starts_with('8'), "version 8: {a}");
    assert!(
        matches!(b[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
        "variant: {a}"
    );
}

#[test]
fn licenses_are_classified_against_the_spdx_list() {
    assert_eq!(common::classify_license("MIT"), License::Id("MIT".into()));
    assert_eq!(
        common::classify_license("GPL-2.0+"),
        License::Expression("GPL-2.0+".into())
    );
    assert_eq!(
        common::classify_license("GPL-2.0"),
        License::Id("GPL-2.0".into())
    );
    assert_eq!(
        common::classify_license("MIT OR Apache-2.0"),
        License::Expression("MIT OR Apache-2.0".into())
    );
    assert_eq!(
        common::classify_license("GPL-2+"),
        License::Name("GPL-2+".into())
    );
    assert_eq!(
        common::classify_license("Artistic"),
        License::Name("Artistic".into())
    );
    assert_eq!(common::classify_license("mit"), License::Name("mit".into()));
}

#[test]
fn license_refs_are_valid_ids() {
    let r = common::license_ref("GPL-2+ with (weird) stuff");
    assert!(r.starts_with("LicenseRef-GPL-2-with-weird-stuff-"), "{r}");
    assert!(
        r.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
        "{r}"
    );
    assert_ne!(common::license_ref("a b"), common::license_ref("a-b"));
}

#[test]
fn references_split_into_repo_and_tag() {
    assert_eq!(
        common::split_reference("debian:12"),
        ("debian".into(), Some("12".into()))
    );
    assert_eq!(
        common::split_reference("localhost:5000/a/b:1.0"),
        ("localhost:5000/a/b".into(), Some("1.0".into()))
    );
    assert_eq!(
        common::split_reference("localhost:5000/a/b"),
        ("localhost:5000/a/b".into(), None)
    );
    assert_eq!(common::split_reference("x@sha256:00"), ("x".into(), None));
}

#[test]
fn uri_paths_keep_virtual_separators() {
    assert_eq!(
        common::uri_path("app/a.war!/WEB-INF/lib/x.jar"),
        "app/a.war!/WEB-INF/lib/x.jar"
    );
    assert_eq!(common::uri_path("a b/ü#?%"), "a%20b/%C3%BC%23%3F%25");
}

#[test]
fn html_escape_covers_markup() {
    assert_eq!(
        common::html_escape("<script>\"'&"),
        "&lt;script&gt;&quot;&#39;&amp;"
    );
}

#[test]
fn created_option_wins() {
    assert_eq!(Options::default().with_created(42).created_secs(), 42);
}

#[test]
fn image_names_prefer_repository_tags() {
    use strata_core::report::Report;
    let mut r = Report {
        target: "/root/.cache/strata-images/layered.oci".into(),
        ..Default::default()
    };
    assert_eq!(
        common::image_name(&r),
        "/root/.cache/strata-images/layered.oci"
    );
    r.image.repo_tags = vec!["latest".into()];
    assert_eq!(common::image_name(&r), "layered.oci:latest");
    r.image.repo_tags = vec!["zz".into(), "example.com/team/app:1.0".into()];
    assert_eq!(common::image_name(&r), "example.com/team/app:1.0");
    r.target = "docker-archive:img.tar".into();
    r.image.repo_tags = vec!["v1".into()];
    assert_eq!(common::image_name(&r), "img.tar:v1");
}
