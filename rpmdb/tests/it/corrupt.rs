//! Corrupted copies of the fixtures: errors or problems, never a panic or a hang.

use strata_rpmdb::{DbFormat, Error, parse_header, read_packages, read_packages_as};

use crate::{BDB, NDB, SQLITE, testdata};

/// Deterministic xorshift, so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn count_ok(bytes: &[u8]) -> usize {
    read_packages(bytes).unwrap().0.len()
}

#[test]
fn truncated_databases_give_errors_or_problems() {
    for db in [BDB, NDB, SQLITE] {
        let bytes = testdata(db);
        let full = count_ok(&bytes);
        let cuts = [
            0,
            10,
            50,
            100,
            511,
            4096,
            8192 + 7,
            bytes.len() / 3,
            bytes.len() / 2,
            bytes.len() - 1,
        ];
        for cut in cuts {
            match read_packages(&bytes[..cut]) {
                Err(_) => {}
                Ok((packages, problems)) => {
                    assert!(
                        !problems.is_empty(),
                        "{db} cut at {cut}: no problem reported"
                    );
                    assert!(packages.len() < full || full == 0, "{db} cut at {cut}");
                }
            }
        }
    }
}

/// BerkeleyDB: the 26-byte page header has `next_pgno` at 16 and the type at 25.
#[test]
fn berkeleydb_overflow_page_pointing_to_itself() {
    let mut bytes = testdata(BDB);
    let page_size = u32::from_le_bytes(bytes[20..24].try_into().unwrap()) as usize;
    let mut looped = 0;
    for n in 1..bytes.len() / page_size {
        let page = &mut bytes[n * page_size..(n + 1) * page_size];
        if page[25] == 7 && page[16..20] != [0; 4] {
            page[16..20].copy_from_slice(&(n as u32).to_le_bytes());
            looped += 1;
        }
    }
    assert!(looped > 0, "fixture has no multi-page overflow chain");
    let (packages, problems) = read_packages(&bytes).unwrap();
    assert!(packages.is_empty());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].message.contains("seen twice"),
        "{}",
        problems[0].message
    );
}

#[test]
fn berkeleydb_out_of_range_page_and_oversize_length() {
    let bytes = testdata(BDB);
    let page_size = u32::from_le_bytes(bytes[20..24].try_into().unwrap()) as usize;
    // Find the hash page item of type HOFFPAGE (3) and corrupt its page number / length.
    for (field, value, needle) in [(4, 0x00ff_ffffu32, "broken"), (8, u32::MAX, "exceeds")] {
        let mut bytes = bytes.clone();
        let mut hit = false;
        for n in 1..bytes.len() / page_size {
            let base = n * page_size;
            if bytes[base + 25] != 13 {
                continue;
            }
            let entries = u16::from_le_bytes([bytes[base + 20], bytes[base + 21]]) as usize;
            for item in (1..entries).step_by(2) {
                let at = base + 26 + 2 * item;
                let off = base + u16::from_le_bytes([bytes[at], bytes[at + 1]]) as usize;
                if bytes[off] == 3 {
                    bytes[off + field..off + field + 4].copy_from_slice(&value.to_le_bytes());
                    hit = true;
                }
            }
        }
        assert!(hit);
        let (packages, problems) = read_packages(&bytes).unwrap();
        assert!(packages.is_empty());
        assert!(
            problems.iter().any(|p| p.message.contains(needle)),
            "{problems:?}"
        );
    }
}

/// SQLite: make every interior table page's right-most child point to itself.
#[test]
fn sqlite_interior_page_pointing_to_itself() {
    let mut bytes = testdata(SQLITE);
    let page_size = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
    let mut looped = 0;
    for n in 2..=bytes.len() / page_size {
        let base = (n - 1) * page_size;
        if bytes[base] == 0x05 {
            bytes[base + 8..base + 12].copy_from_slice(&(n as u32).to_be_bytes());
            looped += 1;
        }
    }
    assert!(looped > 0);
    let (_, problems) = read_packages(&bytes).unwrap();
    assert!(
        problems.iter().any(|p| p.message.contains("cycle")),
        "{problems:?}"
    );
}

/// NDB: the first blob (package 1) gets an index count of 0xFFFFFFFF.
#[test]
fn ndb_header_with_huge_index_count() {
    let mut bytes = testdata(NDB);
    // Slot 0 sits right after the 32-byte file header: "Slot", pkg, block offset, count.
    assert_eq!(&bytes[32..36], b"Slot");
    let pkg = u32::from_le_bytes(bytes[36..40].try_into().unwrap());
    let block = u32::from_le_bytes(bytes[40..44].try_into().unwrap()) as usize;
    let blob = block * 16 + 16;
    bytes[blob..blob + 4].copy_from_slice(&[0xff; 4]);
    let (packages, problems) = read_packages(&bytes).unwrap();
    assert_eq!(packages.len(), 34);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].message.contains(&format!("package {pkg}")),
        "{}",
        problems[0].message
    );
    // The same blob through the public header parser.
    let len =
        u32::from_le_bytes(bytes[block * 16 + 12..block * 16 + 16].try_into().unwrap()) as usize;
    assert!(matches!(
        parse_header(&bytes[blob..blob + len]),
        Err(Error::Header(_))
    ));
}

#[test]
fn random_garbage_behind_each_magic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for format in [DbFormat::BerkeleyDb, DbFormat::Ndb, DbFormat::Sqlite] {
        for len in [0usize, 1, 16, 100, 512, 4096, 70_000] {
            let garbage: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            // Garbage is never a valid database with packages in it.
            if let Ok((packages, _)) = read_packages_as(&garbage, format) {
                assert!(packages.is_empty(), "{format:?} {len}");
            }
        }
    }
    for len in [0usize, 3, 8, 24, 1000] {
        let garbage: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        assert!(parse_header(&garbage).is_err());
    }
}

/// Random byte flips all over each fixture: any outcome but a panic or a hang, and never
/// more packages than the intact file holds.
#[test]
fn random_byte_flips() {
    let mut rng = Rng(42);
    for db in [BDB, NDB, SQLITE] {
        let bytes = testdata(db);
        let full = count_ok(&bytes);
        for _ in 0..40 {
            let mut copy = bytes.clone();
            for _ in 0..1 + rng.next() % 16 {
                let at = (rng.next() % copy.len() as u64) as usize;
                copy[at] = rng.next() as u8;
            }
            if let Ok((packages, _)) = read_packages(&copy) {
                assert!(packages.len() <= full, "{db}");
            }
        }
    }
}

/// The fixture is little-endian; a big-endian writer stores every page field swapped.
/// Swap the fields the hash layout defines and expect the same package back.
#[test]
fn berkeleydb_big_endian_copy_reads_the_same() {
    let le = testdata(BDB);
    let mut be = le.clone();
    let swap32 = |b: &mut [u8], at: usize| b[at..at + 4].reverse();
    let swap16 = |b: &mut [u8], at: usize| b[at..at + 2].reverse();
    let page_size = u32::from_le_bytes(le[20..24].try_into().unwrap()) as usize;
    for at in [8, 12, 16, 20, 28, 32] {
        swap32(&mut be, at);
    }
    for n in 1..le.len() / page_size {
        let base = n * page_size;
        for at in [8, 12, 16] {
            swap32(&mut be, base + at);
        }
        swap16(&mut be, base + 20);
        swap16(&mut be, base + 22);
        if le[base + 25] == 13 {
            let entries = u16::from_le_bytes([le[base + 20], le[base + 21]]) as usize;
            for item in 0..entries {
                let at = base + 26 + 2 * item;
                swap16(&mut be, at);
                let off = base + u16::from_le_bytes([le[at], le[at + 1]]) as usize;
                if le[off] == 3 {
                    swap32(&mut be, off + 4);
                    swap32(&mut be, off + 8);
                }
            }
        }
    }
    assert_ne!(be, le);
    assert_eq!(strata_rpmdb::detect_format(&be), Some(DbFormat::BerkeleyDb));
    assert_eq!(read_packages(&be).unwrap(), read_packages(&le).unwrap());
    assert_eq!(read_packages(&be).unwrap().0.len(), 1);
}
