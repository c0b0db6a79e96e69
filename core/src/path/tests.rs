use super::*;

#[test]
fn normalizes_tar_names() {
    assert_eq!(ImagePath::normalize(b"./etc//passwd").unwrap().as_bytes(), b"/etc/passwd");
    assert_eq!(ImagePath::normalize(b"/usr/./lib/../bin/").unwrap().as_bytes(), b"/usr/bin");
    assert_eq!(ImagePath::normalize(b"../etc/passwd"), Err(PathProblem::EscapesRoot));
    assert_eq!(ImagePath::normalize(b"a/../../b"), Err(PathProblem::EscapesRoot));
    assert_eq!(ImagePath::normalize(b"./"), Err(PathProblem::Empty));
    assert_eq!(ImagePath::normalize(b"a\0b"), Err(PathProblem::Nul));
}

#[test]
fn components() {
    let p = ImagePath::normalize(b"/usr/lib/libssl.so.3").unwrap();
    assert_eq!(p.file_name(), b"libssl.so.3");
    assert_eq!(p.extension(), Some(&b"3"[..]));
    assert_eq!(p.parent().unwrap().as_bytes(), b"/usr/lib");
    assert_eq!(p.depth(), 3);
    assert!(p.starts_with(&ImagePath::normalize(b"/usr").unwrap()));
    assert!(!p.starts_with(&ImagePath::normalize(b"/us").unwrap()));
    assert!(ImagePath::normalize(b"/.bashrc").unwrap().extension().is_none());
}

#[test]
fn join_clamps_at_root() {
    let d = ImagePath::normalize(b"/a/b").unwrap();
    assert_eq!(d.join_clamped(b"../../../../etc/x").as_bytes(), b"/etc/x");
    assert_eq!(d.join_clamped(b"c/./d").as_bytes(), b"/a/b/c/d");
}

#[test]
fn non_utf8_is_kept_as_bytes() {
    let p = ImagePath::normalize(b"/tmp/\xff\xfe").unwrap();
    assert!(p.as_str().is_none());
    assert_eq!(p.as_bytes(), b"/tmp/\xff\xfe");
    assert!(p.to_string_lossy().starts_with("/tmp/"));
}
