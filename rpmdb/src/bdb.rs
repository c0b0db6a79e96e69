//! BerkeleyDB hash database (`/var/lib/rpm/Packages`), read-only.
//!
//! Page 0 is the hash metadata page (magic 0x061561 at offset 12, in the byte order of the
//! machine that wrote the file, which is how the order is detected). Every other page has a
//! 26-byte header (`pgno` at 8, `next_pgno` at 16, `entries` at 20, `hf_offset` at 22, type
//! at 25). Hash pages (type 13, or 2 for unsorted pages of old releases) hold `entries`
//! 16-bit item offsets after the header, as key/data pairs. rpm headers are large, so
//! their data items are `HOFFPAGE` (type 3) items: `pgno` at +4 and total length at +8,
//! pointing to a chain of overflow pages (type 7) each carrying `hf_offset` bytes after
//! the header.
//!
//! Each overflow page may belong to one chain only: a page seen twice (a cycle, or two
//! items sharing a chain) stops that record, so total work is bounded by the file size.

use crate::bytes::{Order, Visited, get, u16_at, u32_at};
use crate::{Error, Problem};

const HASH_MAGIC: u32 = 0x0006_1561;
const PAGE_HEADER: usize = 26;
const TYPE_HASH_UNSORTED: u8 = 2;
const TYPE_OVERFLOW: u8 = 7;
const TYPE_HASH_META: u8 = 8;
const TYPE_HASH: u8 = 13;
const ITEM_OFFPAGE: u8 = 3;

/// Whether `bytes` starts with a BerkeleyDB hash metadata page.
pub(crate) fn is_hash_db(bytes: &[u8]) -> bool {
    byte_order(bytes).is_some() && bytes.get(25) == Some(&TYPE_HASH_META)
}

fn byte_order(bytes: &[u8]) -> Option<Order> {
    if u32_at(bytes, 12, Order::Little)? == HASH_MAGIC {
        Some(Order::Little)
    } else if u32_at(bytes, 12, Order::Big)? == HASH_MAGIC {
        Some(Order::Big)
    } else {
        None
    }
}

fn bad(msg: impl Into<String>) -> Error {
    Error::BerkeleyDb(msg.into())
}

/// Collects the data items (rpm header blobs) of the hash database, labelled by location.
pub(crate) fn blobs(
    bytes: &[u8],
    problems: &mut Vec<Problem>,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let order = byte_order(bytes).ok_or_else(|| bad("no hash magic"))?;
    if bytes.get(25) != Some(&TYPE_HASH_META) {
        return Err(bad("page 0 is not a hash metadata page"));
    }
    if bytes.get(24) != Some(&0) {
        return Err(bad("encrypted databases are not supported"));
    }
    let page_size = u32_at(bytes, 20, order).ok_or_else(|| bad("truncated metadata page"))?;
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(bad(format!("invalid page size {page_size}")));
    }
    let page_size = page_size as usize;
    let last_pgno = u32_at(bytes, 32, order).ok_or_else(|| bad("truncated metadata page"))?;
    let in_file = bytes.len() / page_size;
    let claimed = (last_pgno as usize).saturating_add(1);
    if claimed > in_file {
        problems.push(Problem {
            message: format!(
                "berkeleydb: metadata claims {claimed} pages, file holds {in_file}; reading those"
            ),
        });
    }
    let pages = claimed.min(in_file);
    let page = |n: usize| get(bytes, n * page_size, page_size);

    let mut out = Vec::new();
    let mut used = Visited::new(pages);
    for pgno in 1..pages {
        let Some(data) = page(pgno) else { break };
        if !matches!(data[25], TYPE_HASH | TYPE_HASH_UNSORTED) {
            continue;
        }
        let entries = u16_at(data, 20, order).unwrap_or(0) as usize;
        if entries % 2 != 0 || PAGE_HEADER + 2 * entries > page_size {
            problems.push(Problem {
                message: format!("berkeleydb: page {pgno}: invalid item count {entries}"),
            });
            continue;
        }
        // Items come as key/data pairs: data items have odd indexes.
        for item in (1..entries).step_by(2) {
            let at = PAGE_HEADER + 2 * item;
            let offset = u16_at(data, at, order).unwrap_or(u16::MAX) as usize;
            let label = format!("page {pgno} item {item}");
            match data.get(offset) {
                // Small inline items are not rpm headers (rpm stores none there).
                Some(&kind) if kind != ITEM_OFFPAGE => continue,
                _ => {}
            }
            let Some(entry) = get(data, offset, 12) else {
                problems.push(Problem {
                    message: format!("berkeleydb: {label}: item offset {offset} outside page"),
                });
                continue;
            };
            let first = u32_at(entry, 4, order).unwrap_or(0) as usize;
            let total = u32_at(entry, 8, order).unwrap_or(0) as usize;
            match overflow_chain(bytes, page_size, pages, order, first, total, &mut used) {
                Ok(blob) => out.push((label, blob)),
                Err(msg) => problems.push(Problem {
                    message: format!("berkeleydb: {label}: {msg}"),
                }),
            }
        }
    }
    Ok(out)
}

/// Concatenates an overflow chain of `total` bytes starting at page `first`.
fn overflow_chain(
    bytes: &[u8],
    page_size: usize,
    pages: usize,
    order: Order,
    first: usize,
    total: usize,
    used: &mut Visited,
) -> Result<Vec<u8>, String> {
    if total > bytes.len() {
        return Err(format!("item length {total} exceeds the file size"));
    }
    let mut blob = Vec::with_capacity(total);
    let mut pgno = first;
    while blob.len() < total {
        if pgno == 0 || pgno >= pages {
            return Err(format!(
                "overflow chain broken at page {pgno} after {} of {total} bytes",
                blob.len()
            ));
        }
        if !used.insert(pgno) {
            return Err(format!(
                "overflow page {pgno} seen twice (cycle or shared chain)"
            ));
        }
        let data = get(bytes, pgno * page_size, page_size).ok_or("overflow page outside file")?;
        if data[25] != TYPE_OVERFLOW {
            return Err(format!(
                "page {pgno} has type {} instead of overflow",
                data[25]
            ));
        }
        let len = u16_at(data, 22, order).unwrap_or(0) as usize;
        let len = len.min(page_size - PAGE_HEADER).min(total - blob.len());
        if len == 0 {
            return Err(format!("overflow page {pgno} is empty"));
        }
        blob.extend_from_slice(&data[PAGE_HEADER..PAGE_HEADER + len]);
        pgno = u32_at(data, 16, order).unwrap_or(0) as usize;
    }
    Ok(blob)
}
