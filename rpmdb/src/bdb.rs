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
//! Small items are stored inline (`H_KEYDATA`, type 1, followed by the bytes up to the
//! start of the previous item); rpm keeps only bookkeeping records there, and the odd small
//! header.
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
const ITEM_KEYDATA: u8 = 1;
const ITEM_OFFPAGE: u8 = 3;

/// Small headers (a `gpg-pubkey` in a database with large pages) may be stored inline.
/// Inline items also hold rpm's bookkeeping records (e.g. the 4-byte key 0), so an inline
/// item is taken only when its size is exactly that of an rpm header blob (`il`, `dl`).
fn looks_like_header(item: &[u8]) -> bool {
    let (Some(il), Some(dl)) = (u32_at(item, 0, Order::Big), u32_at(item, 4, Order::Big)) else {
        return false;
    };
    il > 0 && 8 + 16 * u64::from(il) + u64::from(dl) == item.len() as u64
}

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
                Some(&ITEM_KEYDATA) => {
                    // Items are packed from the page end down: this one ends where the
                    // previous (its key) starts.
                    let end = u16_at(data, at - 2, order).unwrap_or(0) as usize;
                    if let Some(blob) = data.get(offset + 1..end).filter(|b| looks_like_header(b)) {
                        out.push((label, blob.to_vec()));
                    }
                    continue;
                }
                Some(&ITEM_OFFPAGE) | None => {}
                Some(_) => continue,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A header blob with NAME, VERSION and RELEASE only.
    fn header(name: &str) -> Vec<u8> {
        let strings = [(1000i32, name), (1001, "1.0"), (1002, "1")];
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

    /// Meta page + one hash page holding inline items: (key 0, 4-byte counter) and
    /// (key 1, a small header).
    fn inline_db() -> Vec<u8> {
        let ps = 4096usize;
        let mut db = vec![0u8; 2 * ps];
        db[12..16].copy_from_slice(&HASH_MAGIC.to_le_bytes());
        db[20..24].copy_from_slice(&(ps as u32).to_le_bytes());
        db[25] = TYPE_HASH_META;
        db[32..36].copy_from_slice(&1u32.to_le_bytes());
        let page = &mut db[ps..];
        page[8..12].copy_from_slice(&1u32.to_le_bytes());
        page[25] = TYPE_HASH;
        let hdr = header("gpg-pubkey");
        let items: [Vec<u8>; 4] = [
            [&[ITEM_KEYDATA][..], &0u32.to_le_bytes()].concat(),
            [&[ITEM_KEYDATA][..], &7u32.to_le_bytes()].concat(),
            [&[ITEM_KEYDATA][..], &1u32.to_le_bytes()].concat(),
            [&[ITEM_KEYDATA][..], &hdr].concat(),
        ];
        let mut end = ps;
        for (i, item) in items.iter().enumerate() {
            let start = end - item.len();
            page[start..end].copy_from_slice(item);
            page[26 + 2 * i..28 + 2 * i].copy_from_slice(&(start as u16).to_le_bytes());
            end = start;
        }
        page[20..22].copy_from_slice(&(items.len() as u16).to_le_bytes());
        db
    }

    #[test]
    fn inline_header_items_are_read_and_bookkeeping_skipped() {
        let db = inline_db();
        assert!(is_hash_db(&db));
        let (packages, problems) = crate::read_packages(&db).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(packages.len(), 1);
        assert_eq!(packages[0].name(), "gpg-pubkey");
        assert_eq!(packages[0].evr(), "1.0-1");
        assert_eq!(packages[0].arch(), None);
    }

    #[test]
    fn bad_metadata_is_an_error() {
        let mut db = inline_db();
        db[20..24].copy_from_slice(&1000u32.to_le_bytes());
        assert!(matches!(
            crate::read_packages(&db),
            Err(Error::BerkeleyDb(_))
        ));
        let mut db = inline_db();
        db[24] = 1;
        assert!(matches!(
            crate::read_packages(&db),
            Err(Error::BerkeleyDb(_))
        ));
        let mut db = inline_db();
        db[25] = 9; // btree metadata: not a hash database
        assert_eq!(crate::detect_format(&db), None);
    }

    #[test]
    fn odd_item_count_is_a_problem() {
        let mut db = inline_db();
        db[4096 + 20..4096 + 22].copy_from_slice(&3u16.to_le_bytes());
        let (packages, problems) = crate::read_packages(&db).unwrap();
        assert!(packages.is_empty());
        assert_eq!(problems.len(), 1);
    }
}
