//! rpm's NDB format (`Packages.db`, SUSE), read-only. See rpm `lib/backend/ndb/rpmpkg.c`.
//!
//! All integers are little-endian. The file starts with a 32-byte header: magic `RpmP`,
//! version (0), generation, and the number of 4096-byte slot pages. The slot pages follow
//! the header (the header takes the place of the first two slots); each slot is 16 bytes:
//! magic `Slot`, package index (0 = free), block offset and block count, in 16-byte blocks.
//! A block starts with a blob header (magic `BlbS`, package index, checksum, blob length)
//! followed by the header blob itself.

use crate::bytes::{Order, get, u32_at};
use crate::{Error, Problem};

/// Magic at offset 0.
pub(crate) const MAGIC: &[u8] = b"RpmP";
const SLOT_MAGIC: &[u8] = b"Slot";
const BLOB_MAGIC: &[u8] = b"BlbS";
const SLOT_PAGE: usize = 4096;
const SLOT_SIZE: usize = 16;
const BLOCK: usize = 16;
const HEADER: usize = 32;

fn bad(msg: impl Into<String>) -> Error {
    Error::Ndb(msg.into())
}

/// Collects the header blobs of all used slots, labelled by package index.
pub(crate) fn blobs(
    bytes: &[u8],
    problems: &mut Vec<Problem>,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    if !bytes.starts_with(MAGIC) {
        return Err(bad("no RpmP magic"));
    }
    let version = u32_at(bytes, 4, Order::Little).ok_or_else(|| bad("truncated header"))?;
    if version != 0 {
        return Err(bad(format!("unsupported version {version}")));
    }
    let slot_pages = u32_at(bytes, 12, Order::Little).ok_or_else(|| bad("truncated header"))?;
    if slot_pages == 0 {
        return Err(bad("no slot pages"));
    }
    let slot_end = (slot_pages as usize).saturating_mul(SLOT_PAGE);
    if slot_end > bytes.len() {
        return Err(bad(format!(
            "{slot_pages} slot pages need {slot_end} bytes, file has {}",
            bytes.len()
        )));
    }

    let mut out = Vec::new();
    // Blobs of distinct packages never overlap, so together they fit in the file.
    let mut budget = bytes.len();
    for (i, slot) in bytes[HEADER..slot_end].chunks_exact(SLOT_SIZE).enumerate() {
        if &slot[0..4] != SLOT_MAGIC {
            problems.push(Problem {
                message: format!("ndb: slot {i}: bad slot magic"),
            });
            continue;
        }
        let pkg = u32_at(slot, 4, Order::Little).unwrap_or(0);
        if pkg == 0 {
            continue;
        }
        let block = u32_at(slot, 8, Order::Little).unwrap_or(0) as usize;
        let blocks = u32_at(slot, 12, Order::Little).unwrap_or(0) as usize;
        match blob(bytes, pkg, block, blocks, slot_end) {
            Ok(b) if b.len() > budget => problems.push(Problem {
                message: format!(
                    "ndb: package {pkg}: blobs add up to more than the file (overlap)"
                ),
            }),
            Ok(b) => {
                budget -= b.len();
                out.push((format!("package {pkg}"), b.to_vec()));
            }
            Err(msg) => problems.push(Problem {
                message: format!("ndb: package {pkg}: {msg}"),
            }),
        }
    }
    Ok(out)
}

fn blob(
    bytes: &[u8],
    pkg: u32,
    block: usize,
    blocks: usize,
    slot_end: usize,
) -> Result<&[u8], String> {
    let start = block.checked_mul(BLOCK).ok_or("block offset overflows")?;
    if start < slot_end {
        return Err(format!("block offset {block} points into the slot pages"));
    }
    let area_len = blocks.checked_mul(BLOCK).ok_or("block count overflows")?;
    let area = get(bytes, start, area_len).ok_or_else(|| {
        format!(
            "blocks {block}+{blocks} outside the file ({} bytes)",
            bytes.len()
        )
    })?;
    if area.len() < BLOCK || &area[0..4] != BLOB_MAGIC {
        return Err("bad blob magic".into());
    }
    let owner = u32_at(area, 4, Order::Little).unwrap_or(0);
    if owner != pkg {
        return Err(format!("blob belongs to package {owner}"));
    }
    let len = u32_at(area, 12, Order::Little).unwrap_or(0) as usize;
    get(area, BLOCK, len).ok_or_else(|| format!("blob length {len} exceeds its {blocks} blocks"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header blob with NAME, VERSION, RELEASE and a `summary_len`-byte SUMMARY.
    fn header(summary_len: usize) -> Vec<u8> {
        let summary = "s".repeat(summary_len);
        let strings = [
            (1000i32, "pkg"),
            (1001, "1.0"),
            (1002, "1"),
            (1004, summary.as_str()),
        ];
        let mut index = Vec::new();
        let mut data = Vec::new();
        for (tag, value) in strings {
            for word in [tag as u32, 6, data.len() as u32, 1] {
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

    /// One slot page; `slots` slots (package index 1, 2, ...) all pointing at one blob
    /// owned by package 1, stored right after the slot page.
    fn db(slots: usize, summary_len: usize) -> Vec<u8> {
        let hdr = header(summary_len);
        let mut db = vec![0u8; SLOT_PAGE];
        db[0..4].copy_from_slice(MAGIC);
        db[12..16].copy_from_slice(&1u32.to_le_bytes());
        let block = SLOT_PAGE / BLOCK;
        let blocks = (BLOCK + hdr.len()).div_ceil(BLOCK);
        for i in 0..(SLOT_PAGE - HEADER) / SLOT_SIZE {
            let at = HEADER + i * SLOT_SIZE;
            db[at..at + 4].copy_from_slice(SLOT_MAGIC);
            if i < slots {
                db[at + 4..at + 8].copy_from_slice(&(i as u32 + 1).to_le_bytes());
                db[at + 8..at + 12].copy_from_slice(&(block as u32).to_le_bytes());
                db[at + 12..at + 16].copy_from_slice(&(blocks as u32).to_le_bytes());
            }
        }
        db.extend_from_slice(BLOB_MAGIC);
        db.extend_from_slice(&1u32.to_le_bytes());
        db.extend_from_slice(&0u32.to_le_bytes());
        db.extend_from_slice(&(hdr.len() as u32).to_le_bytes());
        db.extend_from_slice(&hdr);
        db.resize(SLOT_PAGE + blocks * BLOCK, 0);
        db
    }

    #[test]
    fn reads_a_built_database() {
        let (packages, problems) = crate::read_packages(&db(1, 10)).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(packages.len(), 1);
        assert_eq!(packages[0].summary(), Some("ssssssssss"));
    }

    #[test]
    fn slots_sharing_one_blob_are_problems_not_copies() {
        // 254 slots on one 6 KB blob: the owner is read, the others are problems
        // (wrong owner), and never 254 copies.
        let (packages, problems) = crate::read_packages(&db(254, 6000)).unwrap();
        assert_eq!(packages.len(), 1);
        assert_eq!(problems.len(), 253);
        assert!(
            problems
                .iter()
                .all(|p| p.message.contains("belongs to package 1"))
        );
    }

    #[test]
    fn overlapping_blobs_beyond_the_file_size_are_problems() {
        // Every slot claims package 1: each passes the owner check, the budget stops them.
        let mut db = db(254, 6000);
        for i in 0..254 {
            let at = HEADER + i * SLOT_SIZE + 4;
            db[at..at + 4].copy_from_slice(&1u32.to_le_bytes());
        }
        let (packages, problems) = crate::read_packages(&db).unwrap();
        assert_eq!(packages.len(), 1);
        assert_eq!(problems.len(), 253);
        assert!(
            problems.iter().all(|p| p.message.contains("overlap")),
            "{problems:?}"
        );
    }

    #[test]
    fn bad_slots_and_headers() {
        let mut bad_magic = db(1, 10);
        bad_magic[HEADER..HEADER + 4].copy_from_slice(b"Xlot");
        let (packages, problems) = crate::read_packages(&bad_magic).unwrap();
        assert!(packages.is_empty());
        assert_eq!(problems.len(), 1);

        let mut into_slots = db(1, 10);
        into_slots[HEADER + 8..HEADER + 12].copy_from_slice(&1u32.to_le_bytes());
        let (_, problems) = crate::read_packages(&into_slots).unwrap();
        assert!(problems[0].message.contains("slot pages"), "{problems:?}");

        let mut too_many_pages = db(1, 10);
        too_many_pages[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            crate::read_packages(&too_many_pages),
            Err(Error::Ndb(_))
        ));

        let mut version = db(1, 10);
        version[4] = 1;
        assert!(matches!(crate::read_packages(&version), Err(Error::Ndb(_))));
    }
}
