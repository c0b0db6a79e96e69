//! rpm header blob decoding (rpm `lib/header.c`, "blob" form as stored in the rpmdb).
//!
//! Layout (all integers big-endian):
//!
//! ```text
//! il: u32, dl: u32,
//! il index entries of 16 bytes: tag i32, type u32, offset i32, count u32,
//! dl bytes of data; entry data starts at `offset` inside the data part.
//! ```
//!
//! Installed headers start with a region entry (tag 63, `HEADERIMMUTABLE`) whose data is a
//! trailer; entries appended after install ("dribble" entries) come after the region and
//! override earlier entries with the same tag. Only the tags needed for [`RpmPackage`] are
//! decoded, and each one is bounds-checked against the data part.

use crate::bytes::{Order, u32_at, u64_be_at};
use crate::{Error, FileNames, RpmPackage};

/// Magic of a header as found in `.rpm` files; tolerated (and skipped) in front of a blob.
const HEADER_MAGIC: [u8; 8] = [0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0];
/// rpm refuses headers larger than this (`headerMaxbytes`).
const HEADER_MAX_BYTES: u64 = 256 * 1024 * 1024;
/// The file list may expand (dirnames are shared) but not beyond this factor of the blob.
/// Real headers also carry per-file digests, modes, sizes and owners: on the fixtures the
/// file list is at most 0.6 times the blob.
const FILES_EXPANSION_CAP: usize = 8;

const TYPE_INT32: u32 = 4;
const TYPE_INT64: u32 = 5;
const TYPE_STRING: u32 = 6;
const TYPE_STRING_ARRAY: u32 = 8;
const TYPE_I18NSTRING: u32 = 9;

const TAG_NAME: i32 = 1000;
const TAG_VERSION: i32 = 1001;
const TAG_RELEASE: i32 = 1002;
const TAG_EPOCH: i32 = 1003;
const TAG_SUMMARY: i32 = 1004;
const TAG_SIZE: i32 = 1009;
const TAG_VENDOR: i32 = 1011;
const TAG_LICENSE: i32 = 1014;
const TAG_ARCH: i32 = 1022;
const TAG_OLDFILENAMES: i32 = 1027;
const TAG_SOURCERPM: i32 = 1044;
const TAG_DIRINDEXES: i32 = 1116;
const TAG_BASENAMES: i32 = 1117;
const TAG_DIRNAMES: i32 = 1118;
const TAG_LONGSIZE: i32 = 5009;
const TAG_MODULARITYLABEL: i32 = 5096;

/// The tags decoded, in the slot order of [`Entries`].
const WANTED: [i32; 16] = [
    TAG_NAME,
    TAG_VERSION,
    TAG_RELEASE,
    TAG_EPOCH,
    TAG_SUMMARY,
    TAG_SIZE,
    TAG_VENDOR,
    TAG_LICENSE,
    TAG_ARCH,
    TAG_OLDFILENAMES,
    TAG_SOURCERPM,
    TAG_DIRINDEXES,
    TAG_BASENAMES,
    TAG_DIRNAMES,
    TAG_LONGSIZE,
    TAG_MODULARITYLABEL,
];

#[derive(Debug, Clone, Copy)]
struct Entry {
    tag: i32,
    kind: u32,
    offset: usize,
    count: u32,
}

fn bad(msg: impl Into<String>) -> Error {
    Error::Header(msg.into())
}

/// Decodes one rpm header blob (as stored in any of the rpmdb formats) into a package.
///
/// The 8-byte header magic of `.rpm` files is accepted in front of the blob. Fails when the
/// blob is truncated, an index entry points outside the data, a decoded tag has the wrong
/// type or is not NUL-terminated, or NAME/VERSION/RELEASE are missing.
pub fn parse_header(blob: &[u8]) -> Result<RpmPackage, Error> {
    let blob = blob.strip_prefix(&HEADER_MAGIC[..]).unwrap_or(blob);
    let il = u32_at(blob, 0, Order::Big).ok_or_else(|| bad("blob shorter than 8 bytes"))?;
    let dl = u32_at(blob, 4, Order::Big).ok_or_else(|| bad("blob shorter than 8 bytes"))?;
    if il == 0 {
        return Err(bad("no index entries"));
    }
    let total = 8 + 16 * u64::from(il) + u64::from(dl);
    if total > HEADER_MAX_BYTES {
        return Err(bad(format!(
            "header of {total} bytes exceeds the rpm limit"
        )));
    }
    if total > blob.len() as u64 {
        return Err(bad(format!(
            "truncated: {il} index entries and {dl} data bytes need {total} bytes, blob has {}",
            blob.len()
        )));
    }
    // Both fit in the blob, so in usize.
    let (il, dl) = (il as usize, dl as usize);
    let index = &blob[8..8 + 16 * il];
    let data = &blob[8 + 16 * il..8 + 16 * il + dl];

    let mut slots: [Option<Entry>; WANTED.len()] = [None; WANTED.len()];
    for raw in index.chunks_exact(16) {
        let word = |i: usize| u32::from_be_bytes([raw[i], raw[i + 1], raw[i + 2], raw[i + 3]]);
        let tag = word(0) as i32;
        let Some(slot) = WANTED.iter().position(|&t| t == tag) else {
            continue;
        };
        let (kind, offset, count) = (word(4), word(8) as i32, word(12));
        if offset < 0 || offset as usize >= dl {
            return Err(bad(format!(
                "tag {tag}: offset {offset} outside {dl} data bytes"
            )));
        }
        // Later entries (dribbles after the immutable region) override earlier ones.
        slots[slot] = Some(Entry {
            tag,
            kind,
            offset: offset as usize,
            count,
        });
    }
    let e = Entries { slots, data };

    let name = e.string(TAG_NAME)?.ok_or_else(|| bad("no NAME tag"))?;
    let version = e
        .string(TAG_VERSION)?
        .ok_or_else(|| bad("no VERSION tag"))?;
    let release = e
        .string(TAG_RELEASE)?
        .ok_or_else(|| bad("no RELEASE tag"))?;
    let epoch = e.int32(TAG_EPOCH)?.map(|v| v as i32);
    let size = match e.int32(TAG_SIZE)? {
        Some(v) => Some(u64::from(v)),
        None => e.int64(TAG_LONGSIZE)?,
    };
    let files = e.files(blob.len().saturating_mul(FILES_EXPANSION_CAP))?;
    Ok(RpmPackage {
        name,
        epoch,
        version,
        release,
        arch: e.string(TAG_ARCH)?,
        source_rpm: none_if_placeholder(e.string(TAG_SOURCERPM)?),
        vendor: none_if_placeholder(e.string(TAG_VENDOR)?),
        license: none_if_placeholder(e.string(TAG_LICENSE)?),
        size,
        modularity_label: e.string(TAG_MODULARITYLABEL)?,
        summary: e.string(TAG_SUMMARY)?,
        files,
    })
}

/// UTF-8 text, with invalid sequences replaced. `str::from_utf8` first: it has a fast
/// path for ASCII, which `String::from_utf8_lossy` lacks (it was a fifth of the cost).
fn lossy(b: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// rpm writes `(none)` for some unset string tags.
fn none_if_placeholder(s: Option<String>) -> Option<String> {
    s.filter(|s| s != "(none)")
}

struct Entries<'a> {
    slots: [Option<Entry>; WANTED.len()],
    data: &'a [u8],
}

impl<'a> Entries<'a> {
    fn get(&self, tag: i32) -> Option<Entry> {
        let slot = WANTED.iter().position(|&t| t == tag)?;
        self.slots[slot]
    }

    /// The NUL-terminated string starting at `offset`, and the offset after its NUL.
    fn c_str(&self, tag: i32, offset: usize) -> Result<(&'a [u8], usize), Error> {
        let rest = self.data.get(offset..).unwrap_or_default();
        let len = memchr::memchr(0, rest)
            .ok_or_else(|| bad(format!("tag {tag}: string not NUL-terminated")))?;
        Ok((&rest[..len], offset + len + 1))
    }

    /// A STRING, or the first string of an I18NSTRING / STRING_ARRAY.
    fn string(&self, tag: i32) -> Result<Option<String>, Error> {
        let Some(e) = self.get(tag) else {
            return Ok(None);
        };
        if !matches!(e.kind, TYPE_STRING | TYPE_I18NSTRING | TYPE_STRING_ARRAY) || e.count == 0 {
            return Err(bad(format!(
                "tag {tag}: type {} count {} is not a string",
                e.kind, e.count
            )));
        }
        let (s, _) = self.c_str(tag, e.offset)?;
        Ok(Some(lossy(s).into_owned()))
    }

    fn checked_array(&self, e: Entry, width: usize) -> Result<&'a [u8], Error> {
        let len = (e.count as usize)
            .checked_mul(width)
            .filter(|&len| len <= self.data.len() - e.offset)
            .ok_or_else(|| {
                bad(format!(
                    "tag {}: {} values overrun the data",
                    e.tag, e.count
                ))
            })?;
        Ok(&self.data[e.offset..e.offset + len])
    }

    fn int32(&self, tag: i32) -> Result<Option<u32>, Error> {
        let Some(e) = self.get(tag) else {
            return Ok(None);
        };
        if e.kind != TYPE_INT32 || e.count == 0 {
            return Err(bad(format!(
                "tag {tag}: type {} count {} is not int32",
                e.kind, e.count
            )));
        }
        let raw = self.checked_array(Entry { count: 1, ..e }, 4)?;
        Ok(u32_at(raw, 0, Order::Big))
    }

    fn int64(&self, tag: i32) -> Result<Option<u64>, Error> {
        let Some(e) = self.get(tag) else {
            return Ok(None);
        };
        if e.kind != TYPE_INT64 || e.count == 0 {
            return Err(bad(format!(
                "tag {tag}: type {} count {} is not int64",
                e.kind, e.count
            )));
        }
        let raw = self.checked_array(Entry { count: 1, ..e }, 8)?;
        Ok(u64_be_at(raw, 0))
    }

    /// The raw strings of a STRING_ARRAY / I18NSTRING entry, borrowed from the blob.
    fn raw_strings(&self, tag: i32) -> Result<Option<Vec<&'a [u8]>>, Error> {
        let Some(e) = self.get(tag) else {
            return Ok(None);
        };
        if !matches!(e.kind, TYPE_STRING_ARRAY | TYPE_I18NSTRING) {
            return Err(bad(format!(
                "tag {tag}: type {} is not a string array",
                e.kind
            )));
        }
        // Every string takes at least one byte: the count cannot exceed the bytes left.
        let room = self.data.len() - e.offset;
        if e.count as usize > room {
            return Err(bad(format!(
                "tag {tag}: {} strings cannot fit in {room} bytes",
                e.count
            )));
        }
        let mut out = Vec::with_capacity(e.count as usize);
        let mut at = e.offset;
        for _ in 0..e.count {
            let (s, next) = self.c_str(tag, at)?;
            out.push(s);
            at = next;
        }
        Ok(Some(out))
    }

    /// The strings of a STRING_ARRAY as text: the whole run of strings is validated as
    /// UTF-8 once (validating thousands of short names one by one cost an eighth of the
    /// parse); invalid sequences are replaced, string by string, only when there are some.
    fn text_strings(&self, tag: i32) -> Result<Option<Vec<std::borrow::Cow<'a, str>>>, Error> {
        let Some(raw) = self.raw_strings(tag)? else {
            return Ok(None);
        };
        let (Some(first), Some(last)) = (raw.first(), raw.last()) else {
            return Ok(Some(Vec::new()));
        };
        // The strings are consecutive: the run spans from the first to the end of the last.
        let start = first.as_ptr() as usize - self.data.as_ptr() as usize;
        let end = last.as_ptr() as usize - self.data.as_ptr() as usize + last.len();
        Ok(Some(match std::str::from_utf8(&self.data[start..end]) {
            // Each string sits between NULs (ASCII), so on a character boundary.
            Ok(run) => raw
                .iter()
                .map(|r| {
                    let at = r.as_ptr() as usize - self.data.as_ptr() as usize - start;
                    std::borrow::Cow::Borrowed(run.get(at..at + r.len()).unwrap_or_default())
                })
                .collect(),
            Err(_) => raw.into_iter().map(lossy).collect(),
        }))
    }

    /// `dirnames[dirindexes[i]] + basenames[i]`, or the legacy OLDFILENAMES.
    ///
    /// The names are borrowed from the blob (validated as UTF-8 once per array) and the
    /// paths are written into one buffer sized exactly in a first pass: the file list is
    /// most of the cost of reading an rpm database, and one allocation per path was 40 %
    /// of it.
    fn files(&self, cap_bytes: usize) -> Result<FileNames, Error> {
        let Some(basenames) = self.text_strings(TAG_BASENAMES)? else {
            let old = self.text_strings(TAG_OLDFILENAMES)?.unwrap_or_default();
            let mut files = FileNames::with_capacity(old.len(), 0);
            for path in &old {
                if !files.push_parts(path, "") {
                    return Err(bad("file list expands beyond the size cap"));
                }
            }
            return Ok(files);
        };
        let dirindexes = match self.get(TAG_DIRINDEXES) {
            Some(e) if e.kind == TYPE_INT32 => self.checked_array(e, 4)?,
            Some(e) => return Err(bad(format!("tag {TAG_DIRINDEXES}: type {} is not int32", e.kind))),
            None => &[],
        };
        let dirnames = self.text_strings(TAG_DIRNAMES)?.unwrap_or_default();
        if dirindexes.len() / 4 != basenames.len() {
            return Err(bad(format!(
                "{} basenames but {} dirindexes",
                basenames.len(),
                dirindexes.len() / 4
            )));
        }
        let dir_of = |raw: &[u8]| {
            let i = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
            dirnames.get(i as usize).ok_or_else(|| {
                bad(format!("dirindex {i} outside {} dirnames", dirnames.len()))
            })
        };
        // First pass: check every index and the expanded size before allocating.
        let mut total = 0usize;
        for (base, dir) in basenames.iter().zip(dirindexes.chunks_exact(4)) {
            total = total.saturating_add(dir_of(dir)?.len() + base.len());
            if total > cap_bytes {
                return Err(bad("file list expands beyond the size cap"));
            }
        }
        let mut files = FileNames::with_capacity(basenames.len(), total);
        for (base, dir) in basenames.iter().zip(dirindexes.chunks_exact(4)) {
            if !files.push_parts(dir_of(dir)?, base) {
                return Err(bad("file list expands beyond the size cap"));
            }
        }
        Ok(files)
    }
}

#[cfg(test)]
mod tests;
