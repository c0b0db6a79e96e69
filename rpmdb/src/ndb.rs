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
            Ok(b) => out.push((format!("package {pkg}"), b.to_vec())),
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
