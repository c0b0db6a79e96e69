//! Go build information (`runtime/debug.BuildInfo`) embedded by the Go linker: the
//! `\xff Go buildinf:` header in `.go.buildinfo` (ELF) or the data segment (other formats),
//! in the pre-1.18 pointer format and the 1.18+ inline varint format.

use super::elf::{self, Elf};
use crate::error::{Error, Result};

/// The build-info magic.
pub const MAGIC: &[u8] = b"\xff Go buildinf:";
const HEADER: usize = 32;
/// Longest version or module string read (the linker writes a few KiB at most).
const MAX_STRING: u64 = 16 << 20;

/// A module line (`mod`, `dep`, `=>`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Module {
    /// Module path.
    pub path: String,
    /// Version (`v1.2.3`, `(devel)`, or empty).
    pub version: String,
    /// go.sum hash, if recorded.
    pub sum: String,
    /// Replacement (`=>` line), if any.
    pub replace: Option<Box<Module>>,
}

/// Parsed build information.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildInfo {
    /// `go1.21.3` (possibly followed by ` X:...` experiments).
    pub go_version: String,
    /// The main package path (`path` line).
    pub path: String,
    /// The main module (`mod` line).
    pub main: Option<Module>,
    /// Dependencies in order.
    pub deps: Vec<Module>,
    /// `build` settings (`-ldflags`, `GOOS`, `vcs.revision`, ...).
    pub settings: Vec<(String, String)>,
}

/// Reads build information from an executable's bytes. `Ok(None)`: no Go build info (not a
/// Go binary); `Err`: a header was found but is malformed or points outside the data.
pub fn read(data: &[u8]) -> Result<Option<BuildInfo>> {
    let elf = Elf::parse(data);
    let start = match elf.as_ref().and_then(|e| e.section(".go.buildinfo")) {
        Some(s) => {
            let off = usize::try_from(s.offset).map_err(|_| Error::OutOfBounds(".go.buildinfo"))?;
            match data.get(off..).filter(|d| d.starts_with(MAGIC)) {
                Some(_) => Some(off),
                None if off >= data.len() => return Err(Error::OutOfBounds(".go.buildinfo")),
                None => search(data, 0),
            }
        }
        // ELF without the section: the linker puts the header at the start of the first
        // writable segment; only those are searched (as Go's debug/buildinfo does).
        None => match elf
            .as_ref()
            .map(|e| e.segments.iter().filter(|s| s.writable).collect::<Vec<_>>())
        {
            Some(w) if !w.is_empty() => w.iter().find_map(|s| {
                let seg = elf::slice(data, s.offset, s.filesz)
                    .or_else(|| data.get(usize::try_from(s.offset).ok()?..))?;
                let base = usize::try_from(s.offset).ok()?;
                search(seg, base).map(|i| base + i)
            }),
            _ => search(data, 0),
        },
    };
    let Some(start) = start else { return Ok(None) };
    let hdr = &data[start..];
    if hdr.len() < HEADER {
        return Err(Error::OutOfBounds("build info header"));
    }
    let ptr_size = hdr[14];
    let flags = hdr[15];
    let (version, modinfo) = if flags & 2 != 0 {
        let mut rest = &hdr[HEADER..];
        let v = read_varint_string(&mut rest)?;
        let m = read_varint_string(&mut rest)?;
        (v, m)
    } else {
        let elf =
            elf.ok_or_else(|| Error::malformed("go build info", "pointer format outside ELF"))?;
        if ptr_size != 4 && ptr_size != 8 {
            return Err(Error::malformed(
                "go build info",
                format!("pointer size {ptr_size}"),
            ));
        }
        let be = flags & 1 != 0;
        let p = usize::from(ptr_size);
        let vaddr = read_ptr(&hdr[16..16 + p], be);
        let maddr = read_ptr(&hdr[16 + p..16 + 2 * p], be);
        let v = read_go_string(data, &elf, vaddr, p, be)?;
        let m = read_go_string(data, &elf, maddr, p, be)?;
        (v, m)
    };
    if version.is_empty() {
        return Ok(None);
    }
    let modinfo = if modinfo.len() >= 33 && modinfo[modinfo.len() - 17] == b'\n' {
        &modinfo[16..modinfo.len() - 16]
    } else {
        &[][..]
    };
    let mut info = parse_modinfo(&String::from_utf8_lossy(modinfo));
    info.go_version = String::from_utf8_lossy(version).into_owned();
    Ok(Some(info))
}

/// The first 16-byte-aligned magic (the linker aligns the header; unaligned copies are
/// string literals, e.g. in the `go` tool itself).
/// `base` is the file offset of `data`, for the alignment check.
fn search(data: &[u8], base: usize) -> Option<usize> {
    memchr::memmem::find_iter(data, MAGIC)
        .find(|&i| (base + i) % 16 == 0 && data.len() - i >= HEADER)
}

fn read_ptr(b: &[u8], be: bool) -> u64 {
    match (b.len(), be) {
        (4, false) => u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        (4, true) => u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
        (8, false) => u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        (8, true) => u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        _ => 0,
    }
}

/// A Go string header (data pointer, length) at virtual address `addr`, then its bytes.
fn read_go_string<'a>(
    data: &'a [u8],
    elf: &Elf,
    addr: u64,
    p: usize,
    be: bool,
) -> Result<&'a [u8]> {
    let (off, avail) = elf
        .addr_to_offset(addr)
        .ok_or(Error::OutOfBounds("build info string header"))?;
    if avail < 2 * p as u64 {
        return Err(Error::OutOfBounds("build info string header"));
    }
    let h = elf::slice(data, off, 2 * p as u64)
        .ok_or(Error::OutOfBounds("build info string header"))?;
    let sptr = read_ptr(&h[..p], be);
    let slen = read_ptr(&h[p..], be);
    if slen == 0 {
        return Ok(&[]);
    }
    if slen > MAX_STRING {
        return Err(Error::malformed(
            "go build info",
            format!("string length {slen}"),
        ));
    }
    let (soff, savail) = elf
        .addr_to_offset(sptr)
        .ok_or(Error::OutOfBounds("build info string"))?;
    if savail < slen {
        return Err(Error::OutOfBounds("build info string"));
    }
    elf::slice(data, soff, slen).ok_or(Error::OutOfBounds("build info string"))
}

fn read_varint_string<'a>(rest: &mut &'a [u8]) -> Result<&'a [u8]> {
    let mut n: u64 = 0;
    let mut shift = 0u32;
    let mut i = 0;
    loop {
        let Some(&b) = rest.get(i) else {
            return Err(Error::OutOfBounds("build info varint"));
        };
        i += 1;
        if shift >= 64 || (shift == 63 && b > 1) {
            return Err(Error::malformed("go build info", "varint overflows"));
        }
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let len = usize::try_from(n).map_err(|_| Error::OutOfBounds("build info string"))?;
    let end = i
        .checked_add(len)
        .ok_or(Error::OutOfBounds("build info string"))?;
    let s = rest
        .get(i..end)
        .ok_or(Error::OutOfBounds("build info string"))?;
    *rest = &rest[end..];
    Ok(s)
}

fn module(fields: &[&str]) -> Module {
    Module {
        path: fields.first().copied().unwrap_or_default().to_owned(),
        version: fields.get(1).copied().unwrap_or_default().to_owned(),
        sum: fields.get(2).copied().unwrap_or_default().to_owned(),
        replace: None,
    }
}

/// Parses the module-info text (`path`, `mod`, `dep`, `=>`, `build` lines). Unknown or
/// malformed lines are skipped.
pub fn parse_modinfo(text: &str) -> BuildInfo {
    let mut info = BuildInfo::default();
    // Where the last `mod`/`dep` went, for `=>`.
    let mut last_dep = false;
    for line in text.lines() {
        let Some((key, rest)) = line.split_once('\t') else {
            continue;
        };
        let fields: Vec<&str> = rest.split('\t').collect();
        match key {
            "path" => info.path = rest.to_owned(),
            "mod" => {
                info.main = Some(module(&fields));
                last_dep = false;
            }
            "dep" => {
                info.deps.push(module(&fields));
                last_dep = true;
            }
            "=>" => {
                let target = if last_dep {
                    info.deps.last_mut()
                } else {
                    info.main.as_mut()
                };
                if let Some(m) = target {
                    m.replace = Some(Box::new(module(&fields)));
                }
            }
            "build" => {
                if let Some((k, v)) = split_setting(rest) {
                    info.settings.push((k, v));
                }
            }
            _ => {}
        }
    }
    info
}

fn unquote(s: &str) -> String {
    match serde_json::from_str::<String>(s) {
        Ok(v) if s.starts_with('"') => v,
        _ => s.to_owned(),
    }
}

fn split_setting(rest: &str) -> Option<(String, String)> {
    if rest.starts_with('"') {
        // Quoted key: find the closing quote.
        let mut esc = false;
        for (i, c) in rest.char_indices().skip(1) {
            match c {
                '\\' if !esc => esc = true,
                '"' if !esc => {
                    let key = unquote(&rest[..=i]);
                    let val = rest[i + 1..].strip_prefix('=')?;
                    return Some((key, unquote(val)));
                }
                _ => esc = false,
            }
        }
        None
    } else {
        let (k, v) = rest.split_once('=')?;
        Some((k.to_owned(), unquote(v)))
    }
}

/// Builds a 1.18+ inline build-info blob (header + varint strings) for tests and seeds.
pub fn build_inline(version: &str, modinfo: &str) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.push(8);
    out.push(2);
    out.resize(HEADER, 0);
    let sentinel_wrapped = if modinfo.is_empty() {
        String::new()
    } else {
        format!(
            "{}{}\n{}",
            "0123456789abcdef",
            modinfo.trim_end_matches('\n'),
            "\u{1}23456789abcdef0"
        )
    };
    for s in [version, sentinel_wrapped.as_str()] {
        let mut n = s.len() as u64;
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        }
        out.extend_from_slice(s.as_bytes());
    }
    out
}
