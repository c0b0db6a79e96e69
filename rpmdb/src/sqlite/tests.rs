use super::*;

#[test]
fn varints() {
    assert_eq!(varint(&[0x05], 0), Some((5, 1)));
    assert_eq!(varint(&[0x81, 0x00], 0), Some((128, 2)));
    assert_eq!(varint(&[0xff; 9], 0), Some((u64::MAX, 9)));
    assert_eq!(varint(&[0x81], 0), None);
    assert_eq!(varint(&[], usize::MAX), None);
}

#[test]
fn records() {
    // header len 5 (itself included): NULL, int8, text len 2, blob len 1
    let p = [5u8, 0, 1, 17, 14, 0xfe, b'h', b'i', 9];
    assert_eq!(
        record(&p).unwrap(),
        vec![
            Value::Null,
            Value::Int(-2),
            Value::Text(b"hi"),
            Value::Blob(&[9])
        ]
    );
    assert!(record(&[5u8, 0, 1, 17, 14, 0xfe, b'h']).is_err());
    assert!(record(&[2u8, 10]).is_err());
    assert!(record(&[0xff]).is_err());
}

// ---- A SQLite file built in code: page size 1024, schema on page 1, `Packages` rooted
// at interior page 2 with leaves 3 (a small header) and 4 (a header spilling onto overflow
// pages 5 and 6).

const PS: usize = 1024;

fn enc_varint(mut v: u64) -> Vec<u8> {
    assert!(v < 1 << 56);
    let mut groups = vec![(v & 0x7f) as u8];
    v >>= 7;
    while v > 0 {
        groups.push((v & 0x7f) as u8 | 0x80);
        v >>= 7;
    }
    groups.reverse();
    groups
}

enum V<'a> {
    Null,
    Int(u8),
    Text(&'a str),
    Blob(&'a [u8]),
}

fn enc_record(values: &[V<'_>]) -> Vec<u8> {
    let mut types = Vec::new();
    let mut body = Vec::new();
    for v in values {
        match v {
            V::Null => types.extend(enc_varint(0)),
            V::Int(i) => {
                types.extend(enc_varint(1));
                body.push(*i);
            }
            V::Text(t) => {
                types.extend(enc_varint(13 + 2 * t.len() as u64));
                body.extend_from_slice(t.as_bytes());
            }
            V::Blob(b) => {
                types.extend(enc_varint(12 + 2 * b.len() as u64));
                body.extend_from_slice(b);
            }
        }
    }
    // Header length counts itself; every record here has a one-byte header length.
    let mut out = enc_varint(types.len() as u64 + 1);
    out.extend(types);
    out.extend(body);
    out
}

/// Header blob with NAME and a `summary_len`-byte SUMMARY.
fn header(name: &str, summary_len: usize) -> Vec<u8> {
    let summary = "s".repeat(summary_len);
    let strings = [
        (1000u32, name),
        (1001, "1.0"),
        (1002, "1"),
        (1004, summary.as_str()),
    ];
    let (mut index, mut data) = (Vec::new(), Vec::new());
    for (tag, value) in strings {
        for word in [tag, 6, data.len() as u32, 1] {
            index.extend_from_slice(&word.to_be_bytes());
        }
        data.extend_from_slice(value.as_bytes());
        data.push(0);
    }
    let mut out = (strings.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend(index);
    out.extend(data);
    out
}

/// Writes a B-tree page: header at `at`, cells packed from the page end.
fn put_page(page: &mut [u8], at: usize, kind: u8, cells: &[Vec<u8>], right: Option<u32>) {
    page[at] = kind;
    page[at + 3..at + 5].copy_from_slice(&(cells.len() as u16).to_be_bytes());
    let ptrs = at + if right.is_some() { 12 } else { 8 };
    if let Some(r) = right {
        page[at + 8..at + 12].copy_from_slice(&r.to_be_bytes());
    }
    let mut end = PS;
    for (i, cell) in cells.iter().enumerate() {
        let start = end - cell.len();
        page[start..end].copy_from_slice(cell);
        page[ptrs + 2 * i..ptrs + 2 * i + 2].copy_from_slice(&(start as u16).to_be_bytes());
        end = start;
    }
    page[at + 5..at + 7].copy_from_slice(&(end as u16).to_be_bytes());
}

/// A leaf cell; spills onto consecutive pages from `first_overflow` when needed.
fn leaf_cell(rowid: u64, payload: &[u8], first_overflow: u32) -> (Vec<u8>, Vec<Vec<u8>>) {
    let u = PS;
    let (max_local, min_local) = (u - 35, (u - 12) * 32 / 255 - 23);
    let local = if payload.len() <= max_local {
        payload.len()
    } else {
        let k = min_local + (payload.len() - min_local) % (u - 4);
        if k <= max_local { k } else { min_local }
    };
    let mut cell = enc_varint(payload.len() as u64);
    cell.extend(enc_varint(rowid));
    cell.extend_from_slice(&payload[..local]);
    let mut overflow = Vec::new();
    if local < payload.len() {
        cell.extend_from_slice(&first_overflow.to_be_bytes());
        let chunks: Vec<&[u8]> = payload[local..].chunks(u - 4).collect();
        for (i, chunk) in chunks.iter().enumerate() {
            let next = if i + 1 < chunks.len() {
                first_overflow + i as u32 + 1
            } else {
                0
            };
            let mut page = vec![0u8; PS];
            page[0..4].copy_from_slice(&next.to_be_bytes());
            page[4..4 + chunk.len()].copy_from_slice(chunk);
            overflow.push(page);
        }
    }
    (cell, overflow)
}

fn built_db() -> Vec<u8> {
    let sql =
        "CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)";
    let schema = enc_record(&[
        V::Text("table"),
        V::Text("Packages"),
        V::Text("Packages"),
        V::Int(2),
        V::Text(sql),
    ]);
    let mut pages = vec![vec![0u8; PS]; 4];
    pages[0][..16].copy_from_slice(MAGIC);
    pages[0][16..18].copy_from_slice(&(PS as u16).to_be_bytes());
    let (cell, none) = leaf_cell(1, &schema, 0);
    assert!(none.is_empty());
    put_page(&mut pages[0], 100, LEAF_TABLE, &[cell], None);
    let mut interior = 3u32.to_be_bytes().to_vec();
    interior.extend(enc_varint(1));
    put_page(&mut pages[1], 0, INTERIOR_TABLE, &[interior], Some(4));
    let small = header("small", 100);
    let (cell, none) = leaf_cell(1, &enc_record(&[V::Null, V::Blob(&small)]), 0);
    assert!(none.is_empty());
    put_page(&mut pages[2], 0, LEAF_TABLE, &[cell], None);
    let big = header("big", 2500);
    let (cell, overflow) = leaf_cell(2, &enc_record(&[V::Null, V::Blob(&big)]), 5);
    assert_eq!(overflow.len(), 2);
    put_page(&mut pages[3], 0, LEAF_TABLE, &[cell], None);
    pages.extend(overflow);
    pages.concat()
}

fn page_at(n: usize) -> usize {
    (n - 1) * PS
}

#[test]
fn built_database_with_interior_page_and_overflow_chain() {
    let db = built_db();
    assert_eq!(crate::detect_format(&db), Some(crate::DbFormat::Sqlite));
    let (packages, problems) = crate::read_packages(&db).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let names: Vec<_> = packages.iter().map(|p| p.name()).collect();
    assert_eq!(names, ["small", "big"]);
    assert_eq!(packages[1].summary().map(str::len), Some(2500));
}

#[test]
fn overflow_page_pointing_to_itself() {
    let mut db = built_db();
    let at = page_at(5);
    db[at..at + 4].copy_from_slice(&5u32.to_be_bytes());
    let (packages, problems) = crate::read_packages(&db).unwrap();
    assert_eq!(packages.len(), 1);
    assert!(
        problems[0]
            .message
            .contains("overflow page 5 reached twice"),
        "{problems:?}"
    );
}

#[test]
fn overflow_pointer_out_of_range() {
    let mut db = built_db();
    let at = page_at(5);
    db[at..at + 4].copy_from_slice(&0x00ff_ffffu32.to_be_bytes());
    let (packages, problems) = crate::read_packages(&db).unwrap();
    assert_eq!(packages.len(), 1);
    assert!(
        problems[0].message.contains("outside the file"),
        "{problems:?}"
    );
}

#[test]
fn interior_page_pointing_to_itself_and_to_its_parent() {
    for target in [2u32, 1] {
        let mut db = built_db();
        let at = page_at(2) + 8;
        db[at..at + 4].copy_from_slice(&target.to_be_bytes());
        let (packages, problems) = crate::read_packages(&db).unwrap();
        assert_eq!(packages.len(), 1, "right pointer to {target}");
        assert_eq!(problems.len(), 1, "{problems:?}");
    }
}

#[test]
fn huge_payload_size_is_a_problem() {
    let mut db = built_db();
    // Leaf page 3: rewrite its only cell's payload-size varint as a 9-byte maximum.
    let off = u16::from_be_bytes([db[page_at(3) + 8], db[page_at(3) + 9]]) as usize;
    let cell = page_at(3) + off;
    let (_, len) = varint(&db, cell).unwrap();
    assert_eq!(len, 2);
    db[cell] = 0xff;
    db[cell + 1] = 0xff;
    let (packages, problems) = crate::read_packages(&db).unwrap();
    assert_eq!(packages.len(), 1);
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[test]
fn schema_problems_are_errors() {
    // Root page out of range.
    let mut db = built_db();
    let schema = enc_record(&[
        V::Text("table"),
        V::Text("Packages"),
        V::Text("Packages"),
        V::Int(99),
        V::Text("x"),
    ]);
    let mut page1 = db[..PS].to_vec();
    page1[100..].fill(0);
    put_page(
        &mut page1,
        100,
        LEAF_TABLE,
        &[leaf_cell(1, &schema, 0).0],
        None,
    );
    db[..PS].copy_from_slice(&page1);
    assert!(matches!(crate::read_packages(&db), Err(Error::Sqlite(_))));
    // No Packages table.
    let mut db = built_db();
    let name = db.windows(8).position(|w| w == b"Packages").unwrap();
    db[name] = b'X';
    assert!(matches!(crate::read_packages(&db), Err(Error::Sqlite(_))));
    // Bad page size.
    let mut db = built_db();
    db[16..18].copy_from_slice(&1000u16.to_be_bytes());
    assert!(matches!(crate::read_packages(&db), Err(Error::Sqlite(_))));
}

#[test]
fn truncated_at_every_page_boundary_and_inside_pages() {
    let db = built_db();
    for cut in (0..db.len()).step_by(97) {
        match crate::read_packages(&db[..cut]) {
            Err(_) => {}
            Ok((packages, problems)) => {
                assert!(!problems.is_empty() && packages.len() < 2, "cut at {cut}");
            }
        }
    }
}
