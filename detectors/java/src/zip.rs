//! A minimal, in-memory zip reader: central directory, local headers, stored and deflated
//! members. Written for hostile input: every offset and size is checked against the
//! buffer, nothing is allocated from a declared length without a cap, and members whose
//! bytes overlap (the "overlapping files" zip bomb, zip quines) are refused.

use std::borrow::Cow;
use std::io::Read;

use crate::error::ZipError;

const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const LOCAL_SIG: u32 = 0x0403_4b50;

/// Deflate cannot compress better than about 1032:1; a larger declared ratio is a lie.
const MAX_DEFLATE_RATIO: u64 = 1100;

/// Little-endian cursor over a byte slice; every read is bounds-checked.
struct Le<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Le<'a> {
    fn at(buf: &'a [u8], pos: usize) -> Self {
        Le { buf, pos }
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8).map(|b| {
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            u64::from_le_bytes(a)
        })
    }
}

/// Compression method of a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Stored,
    Deflated,
    Other(u16),
}

/// One member, as the central directory describes it.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// Name as stored (lossy UTF-8), `/`-separated.
    pub(crate) name: String,
    pub(crate) method: Method,
    pub(crate) encrypted: bool,
    pub(crate) compressed_size: u64,
    pub(crate) uncompressed_size: u64,
    /// Offset of the local header (already adjusted for prepended data).
    local_offset: u64,
}

impl Entry {
    /// Whether the name denotes a directory.
    pub(crate) fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }

    /// The last path component.
    pub(crate) fn base_name(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }
}

/// A parsed archive: the central directory over a borrowed body.
#[derive(Debug)]
pub(crate) struct Archive<'a> {
    data: &'a [u8],
    pub(crate) entries: Vec<Entry>,
}

fn find_eocd(data: &[u8]) -> Option<usize> {
    if data.len() < 22 {
        return None;
    }
    let lowest = data.len().saturating_sub(22 + 0xFFFF);
    let mut i = data.len() - 22;
    loop {
        if data[i..i + 4] == EOCD_SIG.to_le_bytes() {
            let comment_len = u16::from_le_bytes([data[i + 20], data[i + 21]]) as usize;
            // The comment must end at (or, for sloppy writers, before) the end of the data.
            if i + 22 + comment_len <= data.len() {
                return Some(i);
            }
        }
        if i == lowest {
            return None;
        }
        i -= 1;
    }
}

impl<'a> Archive<'a> {
    /// Parses the central directory. `max_entries` caps how many members are listed (the
    /// rest is an error: an archive with more members than the cap is refused whole).
    pub(crate) fn parse(data: &'a [u8], max_entries: u64) -> Result<Self, ZipError> {
        let eocd = find_eocd(data).ok_or(ZipError::NoEndOfCentralDirectory)?;
        let mut r = Le::at(data, eocd + 4);
        let disk = r.u16().ok_or(ZipError::Truncated)?;
        let _cd_disk = r.u16().ok_or(ZipError::Truncated)?;
        let _entries_disk = r.u16().ok_or(ZipError::Truncated)?;
        let mut total = u64::from(r.u16().ok_or(ZipError::Truncated)?);
        let mut cd_size = u64::from(r.u32().ok_or(ZipError::Truncated)?);
        let mut cd_offset = u64::from(r.u32().ok_or(ZipError::Truncated)?);
        if disk != 0 && disk != 0xFFFF {
            return Err(ZipError::MultiDisk);
        }
        let mut cd_end = eocd as u64;

        // Zip64: the locator sits right before the classic record.
        if eocd >= 20 {
            let mut l = Le::at(data, eocd - 20);
            if l.u32() == Some(ZIP64_LOCATOR_SIG) {
                let _disk = l.u32().ok_or(ZipError::Truncated)?;
                let z64_off = l.u64().ok_or(ZipError::Truncated)?;
                // Prepended data shifts the record; look where the locator says first, then
                // right before the locator (records are contiguous in practice).
                let candidates = [z64_off, (eocd as u64).saturating_sub(20 + 56)];
                let mut found = None;
                for c in candidates {
                    let Ok(c) = usize::try_from(c) else { continue };
                    let mut z = Le::at(data, c);
                    if z.u32() == Some(ZIP64_EOCD_SIG) {
                        found = Some(c);
                        break;
                    }
                }
                let z = found.ok_or(ZipError::BadZip64)?;
                let mut z = Le::at(data, z + 24);
                let _entries_disk = z.u64().ok_or(ZipError::Truncated)?;
                total = z.u64().ok_or(ZipError::Truncated)?;
                cd_size = z.u64().ok_or(ZipError::Truncated)?;
                cd_offset = z.u64().ok_or(ZipError::Truncated)?;
                cd_end = found.map(|f| f as u64).unwrap_or(cd_end);
            }
        }

        if total > max_entries {
            return Err(ZipError::TooManyEntries {
                declared: total,
                max: max_entries,
            });
        }
        // Data prepended to the archive (launch scripts of executable jars) shifts every
        // offset: as java.util.zip does, derive the shift from where the directory ends.
        let cd_start = cd_end
            .checked_sub(cd_size)
            .ok_or(ZipError::BadCentralDirectory)?;
        let shift = cd_start
            .checked_sub(cd_offset)
            .ok_or(ZipError::BadCentralDirectory)?;
        let cd_start = usize::try_from(cd_start).map_err(|_| ZipError::BadCentralDirectory)?;

        let mut entries = Vec::with_capacity(total.min(4096) as usize);
        let mut r = Le::at(data, cd_start);
        let end = usize::try_from(cd_end).unwrap_or(usize::MAX);
        for _ in 0..total {
            if r.pos >= end {
                return Err(ZipError::BadCentralDirectory);
            }
            let entry = read_central(&mut r, shift)?;
            entries.push(entry);
        }
        let archive = Archive { data, entries };
        archive.check_overlaps()?;
        Ok(archive)
    }

    /// Members must not share bytes: real writers never do that, bombs and quines do.
    fn check_overlaps(&self) -> Result<(), ZipError> {
        let mut spans: Vec<(u64, u64)> = self
            .entries
            .iter()
            .map(|e| {
                (
                    e.local_offset,
                    e.local_offset
                        .saturating_add(30)
                        .saturating_add(e.compressed_size),
                )
            })
            .collect();
        spans.sort_unstable();
        for w in spans.windows(2) {
            if w[1].0 < w[0].1 {
                return Err(ZipError::OverlappingEntries { offset: w[1].0 });
            }
        }
        Ok(())
    }

    /// The compressed bytes of a member (after its local header).
    fn raw(&self, e: &Entry) -> Result<&'a [u8], ZipError> {
        let off = usize::try_from(e.local_offset).map_err(|_| ZipError::Truncated)?;
        let mut r = Le::at(self.data, off);
        if r.u32() != Some(LOCAL_SIG) {
            return Err(ZipError::BadLocalHeader {
                name: e.name.clone(),
            });
        }
        r.take(22).ok_or(ZipError::Truncated)?;
        let name_len = r.u16().ok_or(ZipError::Truncated)? as usize;
        let extra_len = r.u16().ok_or(ZipError::Truncated)? as usize;
        r.take(name_len + extra_len).ok_or(ZipError::Truncated)?;
        let len = usize::try_from(e.compressed_size).map_err(|_| ZipError::Truncated)?;
        r.take(len).ok_or(ZipError::Truncated)
    }

    /// Reads a member whole. Stored members are borrowed (no copy); deflated ones are
    /// inflated up to `max` bytes. The declared size is checked before inflating (and
    /// against deflate's best ratio), and the actual size may not exceed it.
    pub(crate) fn read(&self, e: &Entry, max: u64) -> Result<Cow<'a, [u8]>, ZipError> {
        if e.encrypted {
            return Err(ZipError::Encrypted);
        }
        if e.method == Method::Deflated
            && e.uncompressed_size
                > e.compressed_size
                    .saturating_mul(MAX_DEFLATE_RATIO)
                    .max(4096)
        {
            return Err(ZipError::Ratio {
                declared: e.uncompressed_size,
                compressed: e.compressed_size,
            });
        }
        if e.uncompressed_size > max {
            return Err(ZipError::TooLarge {
                declared: e.uncompressed_size,
                max,
            });
        }
        let raw = self.raw(e)?;
        match e.method {
            Method::Stored => {
                if e.uncompressed_size != e.compressed_size {
                    return Err(ZipError::SizeMismatch {
                        name: e.name.clone(),
                    });
                }
                Ok(Cow::Borrowed(raw))
            }
            Method::Deflated => {
                let cap = e.uncompressed_size;
                // The declared size is checked against `max` and the compressed length, so
                // this allocation is bounded by both.
                let mut out = Vec::with_capacity(cap as usize);
                let mut dec = flate2::read::DeflateDecoder::new(raw).take(cap + 1);
                dec.read_to_end(&mut out)
                    .map_err(|source| ZipError::Inflate {
                        name: e.name.clone(),
                        source,
                    })?;
                if out.len() as u64 != cap {
                    return Err(ZipError::SizeMismatch {
                        name: e.name.clone(),
                    });
                }
                Ok(Cow::Owned(out))
            }
            Method::Other(m) => Err(ZipError::UnsupportedMethod(m)),
        }
    }
}

fn read_central(r: &mut Le<'_>, shift: u64) -> Result<Entry, ZipError> {
    if r.u32() != Some(CENTRAL_SIG) {
        return Err(ZipError::BadCentralDirectory);
    }
    let _made_by = r.u16().ok_or(ZipError::Truncated)?;
    let _needed = r.u16().ok_or(ZipError::Truncated)?;
    let flags = r.u16().ok_or(ZipError::Truncated)?;
    let method = match r.u16().ok_or(ZipError::Truncated)? {
        0 => Method::Stored,
        8 => Method::Deflated,
        m => Method::Other(m),
    };
    let _time = r.u32().ok_or(ZipError::Truncated)?;
    let _crc = r.u32().ok_or(ZipError::Truncated)?;
    let mut csize = u64::from(r.u32().ok_or(ZipError::Truncated)?);
    let mut usize_ = u64::from(r.u32().ok_or(ZipError::Truncated)?);
    let name_len = r.u16().ok_or(ZipError::Truncated)? as usize;
    let extra_len = r.u16().ok_or(ZipError::Truncated)? as usize;
    let comment_len = r.u16().ok_or(ZipError::Truncated)? as usize;
    let _disk = r.u16().ok_or(ZipError::Truncated)?;
    let _int_attr = r.u16().ok_or(ZipError::Truncated)?;
    let _ext_attr = r.u32().ok_or(ZipError::Truncated)?;
    let mut offset = u64::from(r.u32().ok_or(ZipError::Truncated)?);
    let name = r.take(name_len).ok_or(ZipError::Truncated)?;
    let extra = r.take(extra_len).ok_or(ZipError::Truncated)?;
    r.take(comment_len).ok_or(ZipError::Truncated)?;

    // Zip64 extended information: present fields are those saturated in the record.
    let mut x = Le::at(extra, 0);
    while x.pos + 4 <= extra.len() {
        let id = x.u16().unwrap_or(0);
        let len = x.u16().unwrap_or(0) as usize;
        let Some(body) = x.take(len) else { break };
        if id == 0x0001 {
            let mut b = Le::at(body, 0);
            if usize_ == 0xFFFF_FFFF {
                usize_ = b.u64().ok_or(ZipError::BadZip64)?;
            }
            if csize == 0xFFFF_FFFF {
                csize = b.u64().ok_or(ZipError::BadZip64)?;
            }
            if offset == 0xFFFF_FFFF {
                offset = b.u64().ok_or(ZipError::BadZip64)?;
            }
        }
    }
    let local_offset = offset
        .checked_add(shift)
        .ok_or(ZipError::BadCentralDirectory)?;
    Ok(Entry {
        name: String::from_utf8_lossy(name).into_owned(),
        method,
        encrypted: flags & 1 != 0,
        compressed_size: csize,
        uncompressed_size: usize_,
        local_offset,
    })
}

#[cfg(test)]
mod tests;
