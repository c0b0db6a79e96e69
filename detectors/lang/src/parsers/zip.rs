//! Just enough of the zip format to read one small member (`EGG-INFO/PKG-INFO` of an
//! `.egg`): the end-of-central-directory record, the central directory, one local header,
//! stored or DEFLATE data inflated under a cap.

use std::io::Read;

use crate::error::{Error, Result};

fn u16le(d: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_le_bytes(d.get(off..off + 2)?.try_into().ok()?))
}
fn u32le(d: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(off..off + 4)?.try_into().ok()?))
}

/// Reads the member named `want` (exact name), inflating at most `cap` bytes.
/// `Ok(None)` when the archive has no such member.
pub fn read_member(data: &[u8], want: &str, cap: u64) -> Result<Option<Vec<u8>>> {
    // End of central directory: the last "PK\x05\x06" within the final 64 KiB + 22 bytes.
    let tail_start = data.len().saturating_sub(65_557);
    let eocd = memchr::memmem::rfind(&data[tail_start..], b"PK\x05\x06")
        .map(|i| i + tail_start)
        .ok_or_else(|| Error::malformed("zip", "no end of central directory"))?;
    let count = u16le(data, eocd + 10).ok_or(Error::OutOfBounds("zip directory"))?;
    let mut p = u32le(data, eocd + 16).ok_or(Error::OutOfBounds("zip directory"))? as usize;
    for _ in 0..count {
        if u32le(data, p) != Some(0x0201_4b50) {
            return Err(Error::malformed("zip", "bad central directory entry"));
        }
        let method = u16le(data, p + 10).ok_or(Error::OutOfBounds("zip entry"))?;
        let csize = u32le(data, p + 20).ok_or(Error::OutOfBounds("zip entry"))? as usize;
        let nlen = usize::from(u16le(data, p + 28).ok_or(Error::OutOfBounds("zip entry"))?);
        let xlen = usize::from(u16le(data, p + 30).ok_or(Error::OutOfBounds("zip entry"))?);
        let clen = usize::from(u16le(data, p + 32).ok_or(Error::OutOfBounds("zip entry"))?);
        let local = u32le(data, p + 42).ok_or(Error::OutOfBounds("zip entry"))? as usize;
        let name = data
            .get(p + 46..p + 46 + nlen)
            .ok_or(Error::OutOfBounds("zip entry name"))?;
        p += 46 + nlen + xlen + clen;
        if name != want.as_bytes() {
            continue;
        }
        if u32le(data, local) != Some(0x0403_4b50) {
            return Err(Error::malformed("zip", "bad local header"));
        }
        let lnlen =
            usize::from(u16le(data, local + 26).ok_or(Error::OutOfBounds("zip local header"))?);
        let lxlen =
            usize::from(u16le(data, local + 28).ok_or(Error::OutOfBounds("zip local header"))?);
        let start = local + 30 + lnlen + lxlen;
        let body = data
            .get(start..start.saturating_add(csize))
            .ok_or(Error::OutOfBounds("zip member"))?;
        let mut out = Vec::new();
        match method {
            0 => {
                if body.len() as u64 > cap {
                    return Err(Error::TooLarge { limit: cap });
                }
                out.extend_from_slice(body);
            }
            8 => {
                flate2::read::DeflateDecoder::new(body)
                    .take(cap + 1)
                    .read_to_end(&mut out)
                    .map_err(|source| Error::Decompress { source })?;
                if out.len() as u64 > cap {
                    return Err(Error::TooLarge { limit: cap });
                }
            }
            m => return Err(Error::malformed("zip", format!("compression method {m}"))),
        }
        return Ok(Some(out));
    }
    Ok(None)
}
