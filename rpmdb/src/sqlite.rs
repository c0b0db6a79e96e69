//! A minimal read-only reader of the SQLite file format, enough to list the blobs of
//! rpm's `Packages(hnum INTEGER PRIMARY KEY, blob BLOB)` table.
//!
//! See <https://www.sqlite.org/fileformat2.html>. Page 1 starts with a 100-byte file
//! header (magic, page size at 16, reserved bytes per page at 20); the schema table
//! `sqlite_schema` is the table B-tree rooted at page 1, whose rows are
//! `(type, name, tbl_name, rootpage, sql)`. Table B-tree pages are interior (type 5: cells
//! are a 4-byte left child and a rowid varint, plus a right-most pointer in the page
//! header) or leaves (type 13: cells are payload length varint, rowid varint, the local
//! part of the payload and, when the payload spills, a 4-byte first overflow page). A
//! payload is a record: a header of serial types followed by the values.
//!
//! Only the main database file is read: changes still in a `-wal` file are not seen.
//! Every page is visited at most once per walk, so cycles and shared subtrees terminate.

use crate::bytes::{Order, Pieces, Visited, get, u16_at, u32_at};
use crate::{Error, Problem};

/// Magic at offset 0.
pub(crate) const MAGIC: &[u8] = b"SQLite format 3\0";
const TABLE: &str = "Packages";
const INTERIOR_TABLE: u8 = 0x05;
const LEAF_TABLE: u8 = 0x0d;
/// Overflow pages of a chain read ahead of its walk (see [`Db::touch`]).
const READ_AHEAD: usize = 64;

fn bad(msg: impl Into<String>) -> Error {
    Error::Sqlite(msg.into())
}

struct Db<'a> {
    bytes: &'a [u8],
    page_size: usize,
    usable: usize,
    pages: usize,
}

/// State of one table walk: pages seen (tree and overflow), and payload bytes still
/// allowed (honest rows never share pages, so their payloads fit in the file).
struct Walk {
    visited: Visited,
    budget: usize,
}

/// Receives (record label, header blob, problems) for each row.
pub(crate) type BlobVisitor<'v> = dyn FnMut(&dyn std::fmt::Display, Pieces<'_>, &mut Vec<Problem>) + 'v;
/// Receives (rowid, record payload, problems) for each row.
type RowVisitor<'v> = dyn FnMut(i64, Pieces<'_>, &mut Vec<Problem>) + 'v;

/// The label of a row: `hnum N`, formatted only when a message needs it.
struct Hnum(i64);

impl std::fmt::Display for Hnum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "hnum {}", self.0)
    }
}

/// Hands the `blob` column of every row of table `Packages` to `visit`, labelled by
/// `hnum`. Payloads are handed over in place, as the list of their pieces on the leaf
/// and overflow pages: a 1,000-package database holds tens of megabytes of headers, of
/// which the parser reads a tenth; copying each blob out first was a third of the time.
pub(crate) fn for_each_blob(
    bytes: &[u8],
    problems: &mut Vec<Problem>,
    visit: &mut BlobVisitor<'_>,
) -> Result<(), Error> {
    let db = Db::open(bytes)?;
    let mut schema_problems = Vec::new();
    let schema = db.table_rows(1, &mut schema_problems)?;
    let mut root = None;
    for row in &schema {
        let Ok(values) = record(row) else {
            continue;
        };
        let text = |i: usize| match values.get(i) {
            Some(Value::Text(t)) => Some(*t),
            _ => None,
        };
        if text(0) == Some(b"table")
            && text(1).is_some_and(|n| n.eq_ignore_ascii_case(TABLE.as_bytes()))
        {
            if let Some(Value::Int(page)) = values.get(3) {
                root = Some(*page);
            }
        }
    }
    let Some(root) = root else {
        problems.extend(schema_problems);
        return Err(bad(format!("no table {TABLE} in the schema")));
    };
    let root = usize::try_from(root)
        .ok()
        .filter(|&r| r >= 1 && r <= db.pages);
    let root = root.ok_or_else(|| bad(format!("table {TABLE} has an invalid root page")))?;
    problems.extend(schema_problems);

    let mut head = Vec::new();
    db.visit_rows(root, problems, &mut |rowid, payload, problems| {
        let label = Hnum(rowid);
        match first_blob(payload, &mut head) {
            Ok(Some(b)) => visit(&label, b, problems),
            Ok(None) => problems.push(Problem {
                message: format!("sqlite: {label}: no blob column"),
            }),
            Err(msg) => problems.push(Problem {
                message: format!("sqlite: {label}: {msg}"),
            }),
        }
    })
}

impl<'a> Db<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, Error> {
        if !bytes.starts_with(MAGIC) || bytes.len() < 100 {
            return Err(bad("no SQLite magic or truncated file header"));
        }
        let raw = u16_at(bytes, 16, Order::Big).unwrap_or(0);
        let page_size = if raw == 1 { 65536 } else { usize::from(raw) };
        if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
            return Err(bad(format!("invalid page size {page_size}")));
        }
        let reserved = usize::from(bytes[20]);
        let usable = page_size - reserved;
        if usable < 480 {
            return Err(bad(format!("usable page size {usable} below 480")));
        }
        Ok(Db {
            bytes,
            page_size,
            usable,
            pages: bytes.len() / page_size,
        })
    }

    /// Page `n` (1-based), or an error message when outside the file.
    fn page(&self, n: usize) -> Result<&'a [u8], String> {
        if n == 0 || n > self.pages {
            return Err(format!("page {n} outside the file ({} pages)", self.pages));
        }
        Ok(&self.bytes[(n - 1) * self.page_size..n * self.page_size])
    }

    /// Reads the first byte of pages `first..first + n` (those in the file), so that their
    /// cache misses overlap: overflow chains and sibling leaves are usually in page order,
    /// and walked one pointer at a time each page waits for the previous one (the walk was
    /// an eighth of the read time on a database larger than the cache; this saved 4 %). A
    /// wrong guess costs one read.
    fn touch(&self, first: usize, n: usize) {
        let mut acc = 0u8;
        for p in first.max(1)..first.saturating_add(n).min(self.pages + 1) {
            acc ^= self.bytes.get((p - 1) * self.page_size).copied().unwrap_or(0);
        }
        std::hint::black_box(acc);
    }

    /// The record payloads of all rows of the table B-tree rooted at `root`, in rowid
    /// order (see [`Db::visit_rows`]).
    fn table_rows(&self, root: usize, problems: &mut Vec<Problem>) -> Result<Vec<Vec<u8>>, Error> {
        let mut rows = Vec::new();
        self.visit_rows(root, problems, &mut |_, payload, _| rows.push(payload.to_vec()))?;
        Ok(rows)
    }

    /// Every row of the table B-tree rooted at `root`, in rowid order, handed to `visit`
    /// as (rowid, record payload). A bad page is a problem (its subtree is skipped), a bad
    /// root an error.
    fn visit_rows(
        &self,
        root: usize,
        problems: &mut Vec<Problem>,
        visit: &mut RowVisitor<'_>,
    ) -> Result<(), Error> {
        let mut walk = Walk {
            visited: Visited::new(self.pages + 1),
            budget: self.bytes.len(),
        };
        let mut pieces = Vec::new();
        // Depth-first, left to right: push children in reverse.
        let mut stack = vec![root];
        let mut first = true;
        while let Some(n) = stack.pop() {
            if let Some(&after) = stack.last() {
                self.touch(after, 1);
            }
            let result = if n == 0 || n > self.pages {
                Err(format!("page {n} outside the file ({} pages)", self.pages))
            } else if walk.visited.insert(n) {
                self.walk_page(n, &mut stack, &mut pieces, visit, &mut walk, problems)
            } else {
                Err(format!("page {n} reached twice (cycle)"))
            };
            if let Err(msg) = result {
                if first {
                    return Err(bad(format!("root page {root}: {msg}")));
                }
                problems.push(Problem {
                    message: format!("sqlite: {msg}"),
                });
            }
            first = false;
        }
        Ok(())
    }

    fn walk_page(
        &self,
        n: usize,
        stack: &mut Vec<usize>,
        pieces: &mut Vec<&'a [u8]>,
        visit: &mut RowVisitor<'_>,
        walk: &mut Walk,
        problems: &mut Vec<Problem>,
    ) -> Result<(), String> {
        let page = self.page(n)?;
        // Page 1 carries the 100-byte file header before the B-tree header.
        let hdr = if n == 1 { 100 } else { 0 };
        let kind = *page.get(hdr).ok_or("page too small")?;
        let cells = u16_at(page, hdr + 3, Order::Big).ok_or("page too small")? as usize;
        let (ptrs, interior) = match kind {
            INTERIOR_TABLE => (hdr + 12, true),
            LEAF_TABLE => (hdr + 8, false),
            other => return Err(format!("page {n}: type {other:#04x} is not a table page")),
        };
        if ptrs + 2 * cells > self.usable {
            return Err(format!("page {n}: {cells} cells do not fit"));
        }
        let cell_at = |i: usize| -> Result<usize, String> {
            let off = u16_at(page, ptrs + 2 * i, Order::Big).unwrap_or(0) as usize;
            if off < ptrs + 2 * cells || off >= self.usable {
                return Err(format!("page {n}: cell {i} offset {off} out of range"));
            }
            Ok(off)
        };
        if interior {
            let right = u32_at(page, hdr + 8, Order::Big).unwrap_or(0) as usize;
            stack.push(right);
            for i in (0..cells).rev() {
                let off = cell_at(i)?;
                let child = u32_at(&page[..self.usable], off, Order::Big)
                    .ok_or_else(|| format!("page {n}: cell {i} truncated"))?;
                stack.push(child as usize);
            }
            return Ok(());
        }
        for i in 0..cells {
            let rowid = match cell_at(i).and_then(|off| self.leaf_cell(page, off, walk, pieces)) {
                Ok(rowid) => rowid,
                Err(msg) => {
                    problems.push(Problem {
                        message: format!("sqlite: page {n} cell {i}: {msg}"),
                    });
                    continue;
                }
            };
            visit(rowid, Pieces::new(pieces), problems);
        }
        Ok(())
    }

    /// Decodes a table leaf cell at `off`, following its overflow chain.
    /// The pieces of the payload go to `payload` (cleared first); returns the rowid.
    fn leaf_cell(
        &self,
        page: &'a [u8],
        off: usize,
        walk: &mut Walk,
        payload: &mut Vec<&'a [u8]>,
    ) -> Result<i64, String> {
        let page = &page[..self.usable];
        let (size, a) = varint(page, off).ok_or("truncated payload size")?;
        let (rowid, b) = varint(page, off + a).ok_or("truncated rowid")?;
        let start = off + a + b;
        // A payload cannot be larger than the file that holds it.
        let size = usize::try_from(size)
            .ok()
            .filter(|&s| s <= self.bytes.len());
        let size = size.ok_or("payload larger than the file")?;
        walk.budget = walk
            .budget
            .checked_sub(size)
            .ok_or("payloads add up to more than the file (shared overflow pages)")?;
        let u = self.usable;
        let max_local = u - 35;
        let local = if size <= max_local {
            size
        } else {
            let min_local = (u - 12) * 32 / 255 - 23;
            let k = min_local + (size - min_local) % (u - 4);
            if k <= max_local { k } else { min_local }
        };
        let here = get(page, start, local).ok_or("local payload outside the page")?;
        payload.clear();
        payload.push(here);
        if local < size {
            let mut next = u32_at(page, start + local, Order::Big)
                .ok_or("truncated overflow pointer")? as usize;
            let mut have = local;
            self.touch(next, (size - local).div_ceil(u - 4).min(READ_AHEAD));
            while have < size {
                // Overflow pages belong to one chain and are not tree pages either.
                if next != 0 && next <= self.pages && !walk.visited.insert(next) {
                    return Err(format!("overflow page {next} reached twice (cycle)"));
                }
                let ov = self.page(next)?;
                let take = (size - have).min(u - 4);
                payload.push(&ov[4..4 + take]);
                have += take;
                next = u32_at(ov, 0, Order::Big).unwrap_or(0) as usize;
            }
        }
        Ok(rowid as i64)
    }
}

/// SQLite varint at `off`: value and length in bytes (1 to 9), big-endian groups of 7 bits.
fn varint(bytes: &[u8], off: usize) -> Option<(u64, usize)> {
    let mut v = 0u64;
    for i in 0..9 {
        let b = *bytes.get(off.checked_add(i)?)?;
        if i == 8 {
            return Some(((v << 8) | u64::from(b), 9));
        }
        v = (v << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// A decoded record value (floats are not needed and kept opaque).
#[derive(Debug, PartialEq)]
enum Value<'a> {
    Null,
    Int(i64),
    Float,
    Blob(&'a [u8]),
    Text(&'a [u8]),
}

/// A record's header length and where its serial types start, read from `first` (the
/// payload's first bytes, nine or all of them), checked against the payload length.
fn record_header(first: &[u8], payload_len: usize) -> Result<(usize, usize), String> {
    let (hlen, at) = varint(first, 0).ok_or("truncated record header")?;
    let hlen = usize::try_from(hlen)
        .ok()
        .filter(|&h| h <= payload_len)
        .ok_or("record header too long")?;
    Ok((hlen, at))
}

/// Calls `each(serial type, offset, length)` for every value of a record whose header
/// (`header`, its first `hlen` bytes) has serial types from `at`; every value is checked
/// to lie in the payload.
fn record_fields(
    header: &[u8],
    mut at: usize,
    payload_len: usize,
    mut each: impl FnMut(u64, usize, usize),
) -> Result<(), String> {
    let mut body = header.len();
    while at < header.len() {
        let (serial, n) = varint(header, at).ok_or("truncated serial type")?;
        at += n;
        let len = match serial {
            0 | 8 | 9 => 0,
            1..=4 => serial as usize,
            5 => 6,
            6 | 7 => 8,
            10 | 11 => return Err(format!("reserved serial type {serial}")),
            s => usize::try_from((s - 12) / 2).map_err(|_| "value too long")?,
        };
        if body.checked_add(len).is_none_or(|end| end > payload_len) {
            return Err("record value outside the payload".into());
        }
        each(serial, body, len);
        body += len;
    }
    Ok(())
}

/// Decodes a record: header length varint, serial types, then the values.
fn record(payload: &[u8]) -> Result<Vec<Value<'_>>, String> {
    let (hlen, at) = record_header(payload, payload.len())?;
    let mut values = Vec::new();
    record_fields(&payload[..hlen], at, payload.len(), |serial, off, len| {
        let raw = &payload[off..off + len];
        values.push(match serial {
            0 => Value::Null,
            8 => Value::Int(0),
            9 => Value::Int(1),
            1..=6 => {
                // Sign-extend a big-endian two's-complement integer.
                let mut v: i64 = if raw[0] & 0x80 != 0 { -1 } else { 0 };
                for &b in raw {
                    v = (v << 8) | i64::from(b);
                }
                Value::Int(v)
            }
            7 => Value::Float,
            s if s % 2 == 0 => Value::Blob(raw),
            _ => Value::Text(raw),
        });
    })?;
    Ok(values)
}

/// The first blob value of a record held in pieces (the record is checked whole, as by
/// [`record`]); only its header is copied, and only when it straddles pieces.
fn first_blob<'a>(payload: Pieces<'a>, scratch: &mut Vec<u8>) -> Result<Option<Pieces<'a>>, String> {
    let first = payload
        .get(0, payload.len().min(9), scratch)
        .unwrap_or_default();
    let (hlen, at) = record_header(first, payload.len())?;
    let header = payload.get(0, hlen, scratch).unwrap_or_default();
    let mut blob = None;
    record_fields(header, at, payload.len(), |serial, off, len| {
        if blob.is_none() && serial >= 12 && serial % 2 == 0 {
            blob = Some((off, len));
        }
    })?;
    Ok(blob.map(|(off, len)| payload.sub(off, len)))
}

#[cfg(test)]
mod tests;
