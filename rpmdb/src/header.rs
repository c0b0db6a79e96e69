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
//!
//! A blob is read where it lies, possibly in pieces (a SQLite payload spans its leaf page
//! and overflow pages): the index and the decoded tags are borrowed when they sit in one
//! piece and copied into reused buffers ([`Scratch`]) only when they straddle two.

use std::borrow::Cow;

use crate::bytes::Pieces;
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

/// The slot of a decoded tag in [`Entries`] (its index in [`WANTED`]).
fn slot(tag: i32) -> Option<usize> {
    Some(match tag {
        TAG_NAME => 0,
        TAG_VERSION => 1,
        TAG_RELEASE => 2,
        TAG_EPOCH => 3,
        TAG_SUMMARY => 4,
        TAG_SIZE => 5,
        TAG_VENDOR => 6,
        TAG_LICENSE => 7,
        TAG_ARCH => 8,
        TAG_OLDFILENAMES => 9,
        TAG_SOURCERPM => 10,
        TAG_DIRINDEXES => 11,
        TAG_BASENAMES => 12,
        TAG_DIRNAMES => 13,
        TAG_LONGSIZE => 14,
        TAG_MODULARITYLABEL => 15,
        _ => return None,
    })
}

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

/// Buffers reused from one header to the next of a database: the parts of a header that
/// straddle the pieces of a SQLite payload are copied here, and the string offsets of the
/// file name arrays are kept here.
#[derive(Default)]
pub(crate) struct Scratch {
    index: Vec<u8>,
    word: Vec<u8>,
    dirindexes: Vec<u8>,
    names: StrBufs,
    dirs: StrBufs,
}

#[derive(Default)]
struct StrBufs {
    bytes: Vec<u8>,
    ends: Vec<u32>,
    fixed: String,
}

/// Decodes one rpm header blob (as stored in any of the rpmdb formats) into a package.
///
/// The 8-byte header magic of `.rpm` files is accepted in front of the blob. Fails when the
/// blob is truncated, an index entry points outside the data, a decoded tag has the wrong
/// type or is not NUL-terminated, or NAME/VERSION/RELEASE are missing.
pub fn parse_header(blob: &[u8]) -> Result<RpmPackage, Error> {
    parse(Pieces::new(&[blob]), &mut Scratch::default())
}

/// [`parse_header`] over a blob in pieces, with buffers kept from the previous header.
pub(crate) fn parse(blob: Pieces<'_>, scratch: &mut Scratch) -> Result<RpmPackage, Error> {
    let blob = match blob.get(0, HEADER_MAGIC.len(), &mut scratch.word) {
        Some(m) if m == HEADER_MAGIC => blob.sub(HEADER_MAGIC.len(), blob.len()),
        _ => blob,
    };
    let short = || bad("blob shorter than 8 bytes");
    let il = be32(&blob, 0, &mut scratch.word).ok_or_else(short)?;
    let dl = be32(&blob, 4, &mut scratch.word).ok_or_else(short)?;
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
    let index = blob
        .get(8, 16 * il, &mut scratch.index)
        .ok_or_else(short)?;
    let data = blob.sub(8 + 16 * il, dl);

    let mut slots: [Option<Entry>; WANTED.len()] = [None; WANTED.len()];
    for raw in index.chunks_exact(16) {
        let word = |i: usize| u32::from_be_bytes([raw[i], raw[i + 1], raw[i + 2], raw[i + 3]]);
        let tag = word(0) as i32;
        let Some(slot) = slot(tag) else {
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
    let epoch = e.int32(TAG_EPOCH, &mut scratch.word)?.map(|v| v as i32);
    let size = match e.int32(TAG_SIZE, &mut scratch.word)? {
        Some(v) => Some(u64::from(v)),
        None => e.int64(TAG_LONGSIZE, &mut scratch.word)?,
    };
    let files = e.files(blob.len().saturating_mul(FILES_EXPANSION_CAP), scratch)?;
    let arch = e.string(TAG_ARCH)?;
    let source_rpm = none_if_placeholder(e.string(TAG_SOURCERPM)?);
    let vendor = none_if_placeholder(e.string(TAG_VENDOR)?);
    let license = none_if_placeholder(e.string(TAG_LICENSE)?);
    let modularity_label = e.string(TAG_MODULARITYLABEL)?;
    let summary = e.string(TAG_SUMMARY)?;
    let mut package = RpmPackage {
        epoch,
        size,
        files,
        ..RpmPackage::default()
    };
    // In `Text` order.
    package.set_texts([
        Some(&*name),
        Some(&*version),
        Some(&*release),
        arch.as_deref(),
        source_rpm.as_deref(),
        vendor.as_deref(),
        license.as_deref(),
        modularity_label.as_deref(),
        summary.as_deref(),
    ]);
    Ok(package)
}

fn be32(b: &Pieces<'_>, off: usize, scratch: &mut Vec<u8>) -> Option<u32> {
    let raw = b.get(off, 4, scratch)?;
    Some(u32::from_be_bytes(raw.try_into().ok()?))
}

/// UTF-8 text, with invalid sequences replaced. `str::from_utf8` first: it has a fast
/// path for ASCII, which `String::from_utf8_lossy` lacks (it was a fifth of the cost).
fn lossy(b: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// rpm writes `(none)` for some unset string tags.
fn none_if_placeholder(s: Option<Cow<'_, str>>) -> Option<Cow<'_, str>> {
    s.filter(|s| s != "(none)")
}

/// Of 8 bytes (little-endian): the high bit of each byte set exactly where that byte is
/// zero (no carry crosses bytes: 0x7f + 0x7f < 0x100), so `trailing_zeros() / 8` is the
/// index of the first NUL.
fn zero_bytes(w: &[u8]) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Writes to `ends[*found..]` the positions (plus `base`) of the NULs of `chunk`, until
/// `ends` is full; then returns how many bytes of `chunk` that took (through the last NUL).
///
/// Eight bytes at a time: file name arrays have a NUL every 10-20 bytes, where a `memchr`
/// call per name costs more than the scan itself.
fn find_nuls(chunk: &[u8], base: usize, ends: &mut [u32], found: &mut usize) -> Option<usize> {
    let mut k = *found;
    if k >= ends.len() {
        return Some(0);
    }
    let mut words = chunk.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let mut zeros = zero_bytes(w);
        while zeros != 0 {
            let i = at + (zeros.trailing_zeros() / 8) as usize;
            // Offsets are below the header size limit (256 MiB).
            ends[k] = (base + i) as u32;
            k += 1;
            if k == ends.len() {
                *found = k;
                return Some(i + 1);
            }
            zeros &= zeros - 1;
        }
        at += 8;
    }
    for (j, &b) in words.remainder().iter().enumerate() {
        if b == 0 {
            ends[k] = (base + at + j) as u32;
            k += 1;
            if k == ends.len() {
                *found = k;
                return Some(at + j + 1);
            }
        }
    }
    *found = k;
    None
}

/// The first NUL of `chunk`: the first 32 bytes a word at a time (tag strings are short,
/// shorter than a `memchr` call's setup), the rest with `memchr`.
fn nul_at(chunk: &[u8]) -> Option<usize> {
    let mut words = chunk.chunks_exact(8);
    for (n, w) in (&mut words).take(4).enumerate() {
        let zeros = zero_bytes(w);
        if zeros != 0 {
            return Some(n * 8 + (zeros.trailing_zeros() / 8) as usize);
        }
    }
    let at = chunk.len() - words.len() * 8 - words.remainder().len();
    memchr::memchr(0, &chunk[at..]).map(|i| at + i)
}

/// The strings of a STRING_ARRAY: `text` holds each followed by its NUL, `ends` the
/// offset of each NUL.
#[derive(Default, Clone, Copy)]
struct StrArray<'s> {
    text: &'s str,
    ends: &'s [u32],
}

impl<'s> StrArray<'s> {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn iter(&self) -> impl Iterator<Item = &'s str> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let s = self.text.get(start..end as usize).unwrap_or_default();
            start = end as usize + 1;
            s
        })
    }
}

struct Entries<'a> {
    slots: [Option<Entry>; WANTED.len()],
    data: Pieces<'a>,
}

impl<'a> Entries<'a> {
    fn get(&self, tag: i32) -> Option<Entry> {
        self.slots[slot(tag)?]
    }

    /// A STRING, or the first string of an I18NSTRING / STRING_ARRAY (borrowed unless it
    /// straddles pieces or has invalid UTF-8).
    fn string(&self, tag: i32) -> Result<Option<Cow<'a, str>>, Error> {
        let Some(e) = self.get(tag) else {
            return Ok(None);
        };
        if !matches!(e.kind, TYPE_STRING | TYPE_I18NSTRING | TYPE_STRING_ARRAY) || e.count == 0 {
            return Err(bad(format!(
                "tag {tag}: type {} count {} is not a string",
                e.kind, e.count
            )));
        }
        let mut chunks = self.data.chunks_from(e.offset);
        let first = chunks.next().unwrap_or_default();
        if let Some(len) = nul_at(first) {
            return Ok(Some(lossy(&first[..len])));
        }
        // Across pieces.
        let mut bytes = first.to_vec();
        for c in chunks {
            if let Some(len) = memchr::memchr(0, c) {
                bytes.extend_from_slice(&c[..len]);
                return Ok(Some(Cow::Owned(match String::from_utf8(bytes) {
                    Ok(s) => s,
                    Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
                })));
            }
            bytes.extend_from_slice(c);
        }
        Err(bad(format!("tag {tag}: string not NUL-terminated")))
    }

    fn checked_array<'s>(&self, e: Entry, width: usize, scratch: &'s mut Vec<u8>) -> Result<&'s [u8], Error>
    where
        'a: 's,
    {
        (e.count as usize)
            .checked_mul(width)
            .filter(|&len| len <= self.data.len() - e.offset)
            .and_then(|len| self.data.get(e.offset, len, scratch))
            .ok_or_else(|| {
                bad(format!(
                    "tag {}: {} values overrun the data",
                    e.tag, e.count
                ))
            })
    }

    fn int32(&self, tag: i32, scratch: &mut Vec<u8>) -> Result<Option<u32>, Error> {
        let Some(e) = self.get(tag) else {
            return Ok(None);
        };
        if e.kind != TYPE_INT32 || e.count == 0 {
            return Err(bad(format!(
                "tag {tag}: type {} count {} is not int32",
                e.kind, e.count
            )));
        }
        let raw = self.checked_array(Entry { count: 1, ..e }, 4, scratch)?;
        Ok(raw.try_into().ok().map(u32::from_be_bytes))
    }

    fn int64(&self, tag: i32, scratch: &mut Vec<u8>) -> Result<Option<u64>, Error> {
        let Some(e) = self.get(tag) else {
            return Ok(None);
        };
        if e.kind != TYPE_INT64 || e.count == 0 {
            return Err(bad(format!(
                "tag {tag}: type {} count {} is not int64",
                e.kind, e.count
            )));
        }
        let raw = self.checked_array(Entry { count: 1, ..e }, 8, scratch)?;
        Ok(raw.try_into().ok().map(u64::from_be_bytes))
    }

    /// The strings of a STRING_ARRAY / I18NSTRING entry as text. They are found with one
    /// scan (see [`find_nuls`]), borrowed from the blob when they sit in one piece, and
    /// the whole run is validated as UTF-8 once (validating thousands of short names one
    /// by one cost an eighth of the parse); invalid sequences are replaced only when there
    /// are some.
    fn strings<'s>(&self, tag: i32, bufs: &'s mut StrBufs) -> Result<Option<StrArray<'s>>, Error>
    where
        'a: 's,
    {
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
        let count = e.count as usize;
        if count > room {
            return Err(bad(format!(
                "tag {tag}: {} strings cannot fit in {room} bytes",
                e.count
            )));
        }
        let StrBufs { bytes, ends, fixed } = bufs;
        ends.clear();
        ends.resize(count, 0);
        let mut found = 0;
        let mut chunks = self.data.chunks_from(e.offset);
        let first = chunks.next().unwrap_or_default();
        let run: &'s [u8] = match find_nuls(first, 0, ends, &mut found) {
            Some(used) => &first[..used],
            None => {
                bytes.clear();
                bytes.extend_from_slice(first);
                loop {
                    let Some(c) = chunks.next() else {
                        return Err(bad(format!("tag {tag}: string not NUL-terminated")));
                    };
                    match find_nuls(c, bytes.len(), ends, &mut found) {
                        Some(used) => {
                            bytes.extend_from_slice(&c[..used]);
                            break;
                        }
                        None => bytes.extend_from_slice(c),
                    }
                }
                let bytes: &'s Vec<u8> = bytes;
                bytes
            }
        };
        let text = match std::str::from_utf8(run) {
            Ok(text) => text,
            Err(_) => {
                // Replacement never adds or removes a NUL: the count stays.
                *fixed = String::from_utf8_lossy(run).into_owned();
                find_nuls(fixed.as_bytes(), 0, ends, &mut 0);
                let fixed: &'s String = fixed;
                fixed
            }
        };
        let ends: &'s Vec<u32> = ends;
        Ok(Some(StrArray { text, ends }))
    }

    /// `dirnames[dirindexes[i]] + basenames[i]`, or the legacy OLDFILENAMES.
    ///
    /// The names are borrowed from the blob (validated as UTF-8 once per array) and the
    /// paths are written into one buffer sized exactly in a first pass: the file list is
    /// most of the cost of reading an rpm database, and one allocation per path was 40 %
    /// of it.
    fn files(&self, cap_bytes: usize, scratch: &mut Scratch) -> Result<FileNames, Error> {
        let Some(basenames) = self.strings(TAG_BASENAMES, &mut scratch.names)? else {
            let old = self
                .strings(TAG_OLDFILENAMES, &mut scratch.dirs)?
                .unwrap_or_default();
            let mut files = FileNames::with_capacity(old.len(), old.text.len());
            for path in old.iter() {
                if !files.push_parts(path, "") {
                    return Err(bad("file list expands beyond the size cap"));
                }
            }
            return Ok(files);
        };
        let dirindexes = match self.get(TAG_DIRINDEXES) {
            Some(e) if e.kind == TYPE_INT32 => self.checked_array(e, 4, &mut scratch.dirindexes)?,
            Some(e) => return Err(bad(format!("tag {TAG_DIRINDEXES}: type {} is not int32", e.kind))),
            None => &[],
        };
        let dirnames = self
            .strings(TAG_DIRNAMES, &mut scratch.dirs)?
            .unwrap_or_default();
        if dirindexes.len() / 4 != basenames.len() {
            return Err(bad(format!(
                "{} basenames but {} dirindexes",
                basenames.len(),
                dirindexes.len() / 4
            )));
        }
        let mut dirs = Vec::with_capacity(dirnames.len());
        dirs.extend(dirnames.iter());
        let index = |raw: &[u8]| u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]) as usize;
        let cap_bytes = cap_bytes.min(u32::MAX as usize);
        // First pass: check every index and the expanded size before allocating. The base
        // names add up to their run less its NULs.
        let mut total = basenames.text.len() - basenames.len();
        let mut valid = true;
        for raw in dirindexes.chunks_exact(4) {
            match dirs.get(index(raw)) {
                Some(dir) => total = total.saturating_add(dir.len()),
                None => valid = false,
            }
        }
        if !valid || total > cap_bytes {
            // Which comes first, in file order: an index outside the dirnames or the cap.
            let mut total = 0usize;
            for (base, raw) in basenames.iter().zip(dirindexes.chunks_exact(4)) {
                let dir = dirs.get(index(raw)).ok_or_else(|| {
                    bad(format!("dirindex {} outside {} dirnames", index(raw), dirs.len()))
                })?;
                total = total.saturating_add(dir.len() + base.len());
                if total > cap_bytes {
                    break;
                }
            }
            return Err(bad("file list expands beyond the size cap"));
        }
        // `total` is at most the cap: ends fit in u32.
        let mut text = String::with_capacity(total);
        let mut ends = Vec::with_capacity(basenames.len());
        let mut start = 0;
        for (&end, raw) in basenames.ends.iter().zip(dirindexes.chunks_exact(4)) {
            text.push_str(dirs.get(index(raw)).copied().unwrap_or_default());
            text.push_str(basenames.text.get(start..end as usize).unwrap_or_default());
            start = end as usize + 1;
            ends.push(text.len() as u32);
        }
        let files = FileNames::from_parts(text, ends);
        Ok(files)
    }
}

#[cfg(test)]
mod tests;
