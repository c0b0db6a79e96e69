use super::*;
use crate::bytes::Pieces;

/// Builds a header blob from (tag, type, count, data) entries, laid out in order.
fn blob(entries: &[(i32, u32, u32, Vec<u8>)]) -> Vec<u8> {
    let mut index = Vec::new();
    let mut data = Vec::new();
    for (tag, kind, count, bytes) in entries {
        if *kind == TYPE_INT32 {
            while data.len() % 4 != 0 {
                data.push(0);
            }
        }
        index.extend_from_slice(&tag.to_be_bytes());
        index.extend_from_slice(&kind.to_be_bytes());
        index.extend_from_slice(&(data.len() as u32).to_be_bytes());
        index.extend_from_slice(&count.to_be_bytes());
        data.extend_from_slice(bytes);
    }
    let mut out = Vec::new();
    out.extend_from_slice(&(entries.len() as u32).to_be_bytes());
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(&index);
    out.extend_from_slice(&data);
    out
}

fn s(tag: i32, v: &str) -> (i32, u32, u32, Vec<u8>) {
    let mut b = v.as_bytes().to_vec();
    b.push(0);
    (tag, TYPE_STRING, 1, b)
}

fn arr(tag: i32, v: &[&str]) -> (i32, u32, u32, Vec<u8>) {
    let mut b = Vec::new();
    for x in v {
        b.extend_from_slice(x.as_bytes());
        b.push(0);
    }
    (tag, TYPE_STRING_ARRAY, v.len() as u32, b)
}

fn ints(tag: i32, v: &[u32]) -> (i32, u32, u32, Vec<u8>) {
    (
        tag,
        TYPE_INT32,
        v.len() as u32,
        v.iter().flat_map(|x| x.to_be_bytes()).collect(),
    )
}

fn nvr() -> Vec<(i32, u32, u32, Vec<u8>)> {
    vec![
        s(TAG_NAME, "bash"),
        s(TAG_VERSION, "5.1.8"),
        s(TAG_RELEASE, "1.cm2"),
    ]
}

#[test]
fn decodes_fields_and_files() {
    let mut e = nvr();
    e.push(ints(TAG_EPOCH, &[2]));
    e.push(ints(TAG_SIZE, &[3565139]));
    e.push(s(TAG_ARCH, "x86_64"));
    e.push(s(TAG_LICENSE, "GPLv3"));
    e.push(s(TAG_SOURCERPM, "(none)"));
    e.push((
        TAG_SUMMARY,
        TYPE_I18NSTRING,
        1,
        b"Bourne-Again SHell\0".to_vec(),
    ));
    e.push(ints(TAG_DIRINDEXES, &[0, 1, 0]));
    e.push(arr(TAG_BASENAMES, &["bash", "bash.1.gz", "sh"]));
    e.push(arr(TAG_DIRNAMES, &["/usr/bin/", "/usr/share/man/man1/"]));
    let p = parse_header(&blob(&e)).unwrap();
    assert_eq!(p.name(), "bash");
    assert_eq!(p.evr(), "2:5.1.8-1.cm2");
    assert_eq!(p.size, Some(3565139));
    assert_eq!(p.arch(), Some("x86_64"));
    assert_eq!(p.license(), Some("GPLv3"));
    assert_eq!(p.source_rpm(), None, "(none) placeholder");
    assert_eq!(p.vendor(), None);
    assert_eq!(p.summary(), Some("Bourne-Again SHell"));
    assert_eq!(
        p.files,
        [
            "/usr/bin/bash",
            "/usr/share/man/man1/bash.1.gz",
            "/usr/bin/sh"
        ]
    );
}

#[test]
fn accepts_rpm_file_magic_and_old_filenames_and_longsize() {
    let mut e = nvr();
    e.push(arr(TAG_OLDFILENAMES, &["/bin/bash"]));
    e.push((
        TAG_LONGSIZE,
        TYPE_INT64,
        1,
        5_000_000_000u64.to_be_bytes().to_vec(),
    ));
    let mut b = HEADER_MAGIC.to_vec();
    b.extend(blob(&e));
    let p = parse_header(&b).unwrap();
    assert_eq!(p.files, ["/bin/bash"]);
    assert_eq!(p.size, Some(5_000_000_000));
}

#[test]
fn later_entries_override_earlier_ones() {
    let mut e = nvr();
    e.push(s(TAG_RELEASE, "2.cm2"));
    assert_eq!(parse_header(&blob(&e)).unwrap().release(), "2.cm2");
}

#[test]
fn missing_name_is_an_error() {
    let e = vec![s(TAG_VERSION, "1"), s(TAG_RELEASE, "1")];
    assert!(matches!(parse_header(&blob(&e)), Err(Error::Header(_))));
}

#[test]
fn huge_index_count_is_rejected_without_allocating() {
    let mut b = blob(&nvr());
    b[0..4].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(parse_header(&b).is_err());
    let mut b = blob(&nvr());
    b[4..8].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(parse_header(&b).is_err());
    assert!(parse_header(&[0, 0, 0, 0, 0, 0, 0, 0]).is_err());
    assert!(parse_header(&[0, 0, 0]).is_err());
}

#[test]
fn huge_counts_and_bad_offsets_are_rejected() {
    // String array claiming 0xFFFFFFFF entries.
    let mut e = nvr();
    e.push((TAG_BASENAMES, TYPE_STRING_ARRAY, u32::MAX, b"a\0".to_vec()));
    e.push(ints(TAG_DIRINDEXES, &[0]));
    assert!(parse_header(&blob(&e)).is_err());
    // Int32 array claiming 0xFFFFFFFF values.
    let mut e = nvr();
    e.push(arr(TAG_BASENAMES, &["a"]));
    e.push((TAG_DIRINDEXES, TYPE_INT32, u32::MAX, vec![0; 4]));
    assert!(parse_header(&blob(&e)).is_err());
    // Dirindex out of range.
    let mut e = nvr();
    e.push(arr(TAG_BASENAMES, &["a"]));
    e.push(ints(TAG_DIRINDEXES, &[7]));
    e.push(arr(TAG_DIRNAMES, &["/"]));
    assert!(parse_header(&blob(&e)).is_err());
    // Offset past the data.
    let mut b = blob(&nvr());
    b[8 + 8..8 + 12].copy_from_slice(&1000u32.to_be_bytes());
    assert!(parse_header(&b).is_err());
    // Negative offset.
    let mut b = blob(&nvr());
    b[8 + 8..8 + 12].copy_from_slice(&(-4i32).to_be_bytes());
    assert!(parse_header(&b).is_err());
}

#[test]
fn unterminated_string_and_wrong_type_are_rejected() {
    // The unterminated string is the last bytes of the data.
    let e = vec![
        s(TAG_VERSION, "1"),
        s(TAG_RELEASE, "1"),
        (TAG_NAME, TYPE_STRING, 1, b"bash".to_vec()),
    ];
    assert!(parse_header(&blob(&e)).is_err());
    let e = vec![
        ints(TAG_NAME, &[1]),
        s(TAG_VERSION, "1"),
        s(TAG_RELEASE, "1"),
    ];
    assert!(parse_header(&blob(&e)).is_err());
}

#[test]
fn file_list_expansion_is_capped() {
    let long = "/x".repeat(2000) + "/";
    let n = 5000;
    let names: Vec<&str> = vec!["a"; n];
    let mut e = nvr();
    e.push(arr(TAG_BASENAMES, &names));
    e.push(ints(TAG_DIRINDEXES, &vec![0; n]));
    e.push(arr(TAG_DIRNAMES, &[&long]));
    let b = blob(&e);
    // 5000 * 4000 bytes = 20 MB of paths from a ~30 KB blob: beyond the cap.
    assert!(parse_header(&b).is_err());
}

#[test]
fn truncation_at_every_offset_never_panics() {
    let mut e = nvr();
    e.push(arr(TAG_BASENAMES, &["a", "b"]));
    e.push(ints(TAG_DIRINDEXES, &[0, 0]));
    e.push(arr(TAG_DIRNAMES, &["/"]));
    let b = blob(&e);
    assert!(parse_header(&b).is_ok());
    for cut in 0..b.len() {
        assert!(parse_header(&b[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn slots_follow_wanted() {
    for (i, &tag) in WANTED.iter().enumerate() {
        assert_eq!(slot(tag), Some(i));
    }
    assert_eq!(slot(1005), None);
}

#[test]
fn nuls_are_found_in_words_and_tail() {
    let text = b"ab\0\0cdefghijk\0l\0mnop";
    let (mut ends, mut found) = ([0u32; 4], 0);
    assert_eq!(find_nuls(text, 0, &mut ends[..3], &mut found), Some(14));
    assert_eq!((ends, found), ([2, 3, 13, 0], 3));
    // A next chunk, `base` bytes further.
    assert_eq!(find_nuls(b"xy\0z\0", 100, &mut ends, &mut found), Some(3));
    assert_eq!((ends, found), ([2, 3, 13, 102], 4));
    assert_eq!(find_nuls(b"\0", 0, &mut ends, &mut found), Some(0));
    let (mut ends, mut found) = ([0u32; 5], 0);
    assert_eq!(find_nuls(text, 0, &mut ends, &mut found), None);
    assert_eq!((ends, found), ([2, 3, 13, 15, 0], 4));
    // Bytes with the high bit set are not NULs.
    let (mut ends, mut found) = ([0u32; 2], 0);
    let high = [0x80, 0xff, 0x7f, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80];
    assert_eq!(find_nuls(&high, 0, &mut ends, &mut found), None);
    assert_eq!((ends, found), ([4, 0], 1));
}

/// The blob split into pieces anywhere (as on SQLite overflow pages) decodes the same.
#[test]
fn blob_in_pieces_decodes_the_same() {
    let mut e = nvr();
    e.push(ints(TAG_EPOCH, &[2]));
    e.push(s(TAG_ARCH, "x86_64"));
    e.push((TAG_LONGSIZE, TYPE_INT64, 1, 7u64.to_be_bytes().to_vec()));
    e.push(ints(TAG_DIRINDEXES, &[0, 1, 0]));
    e.push(arr(TAG_BASENAMES, &["bash", "bash.1.gz", "sh"]));
    e.push(arr(TAG_DIRNAMES, &["/usr/bin/", "/usr/share/man/man1/"]));
    e.push(arr(TAG_OLDFILENAMES, &["/x"]));
    e.push((TAG_SUMMARY, TYPE_STRING, 1, b"caf\xc3\xa9 \xff\0".to_vec()));
    let whole = blob(&e);
    let mut with_magic = HEADER_MAGIC.to_vec();
    with_magic.extend_from_slice(&whole);
    let mut bad_utf8 = e.clone();
    bad_utf8.push(arr(TAG_DIRNAMES, &["/\u{e9}/", "/b/"]));
    let mut bad_utf8 = blob(&bad_utf8);
    let at = bad_utf8.len() - 7;
    bad_utf8[at] = 0xc3; // "/\xc3\xc3/": invalid, replaced
    for b in [whole, with_magic, bad_utf8] {
        let want = format!("{:?}", parse_header(&b));
        assert!(want.starts_with("Ok("), "{want}");
        let mut scratch = Scratch::default();
        for i in 0..=b.len() {
            for j in (i..=b.len()).step_by(3) {
                let parts = [&b[..i], &b[i..j], &b[j..]];
                let got = format!("{:?}", parse(Pieces::new(&parts), &mut scratch));
                assert_eq!(got, want, "split at {i} and {j}");
            }
            // Truncated in pieces: an error, as in one piece.
            let parts = [&b[..i / 2], &b[i / 2..i]];
            let got = format!("{:?}", parse(Pieces::new(&parts), &mut scratch));
            assert_eq!(got, format!("{:?}", parse_header(&b[..i])), "cut at {i}");
        }
    }
}

/// Of a bad dirindex and the size cap, the error names whichever comes first in file order.
#[test]
fn first_file_problem_is_reported() {
    let long = "/x".repeat(2000) + "/";
    let err = |indexes: &[u32]| {
        let n = indexes.len();
        let mut e = nvr();
        e.push(arr(TAG_BASENAMES, &vec!["a"; n]));
        e.push(ints(TAG_DIRINDEXES, indexes));
        e.push(arr(TAG_DIRNAMES, &[&long]));
        parse_header(&blob(&e)).unwrap_err().to_string()
    };
    let mut indexes = vec![0; 5000];
    indexes[4999] = 9;
    assert!(err(&indexes).contains("size cap"), "{}", err(&indexes));
    indexes[3] = 9;
    assert!(err(&indexes).contains("dirindex 9 outside 1 dirnames"), "{}", err(&indexes));
}

#[test]
fn first_nul_in_words_tail_and_beyond() {
    assert_eq!(nul_at(b""), None);
    assert_eq!(nul_at(b"abc"), None);
    assert_eq!(nul_at(b"ab\0"), Some(2));
    assert_eq!(nul_at(b"\0"), Some(0));
    for at in 0..80 {
        let mut b = vec![0x80u8; 90];
        b[at] = 0;
        b[at + 5] = 0;
        assert_eq!(nul_at(&b), Some(at), "{at}");
        assert_eq!(nul_at(&b[..at]), None, "{at}");
    }
}
