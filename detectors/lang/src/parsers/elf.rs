//! A minimal ELF reader: section headers and `PT_LOAD` segments, every offset checked
//! against the bytes at hand (the body may be truncated).

/// One section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Name from the section-name string table (lossy).
    pub name: String,
    /// Virtual address.
    pub addr: u64,
    /// File offset.
    pub offset: u64,
    /// Size in the file (0 for `SHT_NOBITS`).
    pub size: u64,
}

/// One loadable segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Virtual address.
    pub vaddr: u64,
    /// File offset.
    pub offset: u64,
    /// Bytes in the file.
    pub filesz: u64,
    /// `PF_W` is set.
    pub writable: bool,
}

/// A parsed ELF header with its sections and loadable segments.
#[derive(Clone, Debug)]
pub struct Elf {
    /// 64-bit class.
    pub is_64: bool,
    /// Big-endian data.
    pub big_endian: bool,
    /// Sections (empty when the section table lies beyond the data).
    pub sections: Vec<Section>,
    /// `PT_LOAD` segments.
    pub segments: Vec<Segment>,
}

/// Whether `data` starts with the ELF magic.
pub fn is_elf(data: &[u8]) -> bool {
    data.starts_with(b"\x7fELF")
}

struct Rd<'a> {
    d: &'a [u8],
    be: bool,
}

impl Rd<'_> {
    fn bytes<const N: usize>(&self, off: u64) -> Option<[u8; N]> {
        let off = usize::try_from(off).ok()?;
        self.d.get(off..off.checked_add(N)?)?.try_into().ok()
    }
    fn u16(&self, off: u64) -> Option<u16> {
        let b = self.bytes::<2>(off)?;
        Some(if self.be {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    }
    fn u32(&self, off: u64) -> Option<u32> {
        let b = self.bytes::<4>(off)?;
        Some(if self.be {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }
    fn u64(&self, off: u64) -> Option<u64> {
        let b = self.bytes::<8>(off)?;
        Some(if self.be {
            u64::from_be_bytes(b)
        } else {
            u64::from_le_bytes(b)
        })
    }
    fn word(&self, off: u64, is_64: bool) -> Option<u64> {
        if is_64 {
            self.u64(off)
        } else {
            self.u32(off).map(u64::from)
        }
    }
}

impl Elf {
    /// Parses the header, section table and program headers. `None` when `data` is not
    /// an ELF file or its header is truncated; tables that lie beyond the data are left
    /// empty.
    pub fn parse(data: &[u8]) -> Option<Elf> {
        if !is_elf(data) || data.len() < 52 {
            return None;
        }
        let is_64 = match data[4] {
            1 => false,
            2 => true,
            _ => return None,
        };
        let be = match data[5] {
            1 => false,
            2 => true,
            _ => return None,
        };
        let r = Rd { d: data, be };
        let (phoff, shoff, phentsize, phnum, shentsize, shnum, shstrndx) = if is_64 {
            (
                r.u64(0x20)?,
                r.u64(0x28)?,
                r.u16(0x36)?,
                r.u16(0x38)?,
                r.u16(0x3a)?,
                r.u16(0x3c)?,
                r.u16(0x3e)?,
            )
        } else {
            (
                u64::from(r.u32(0x1c)?),
                u64::from(r.u32(0x20)?),
                r.u16(0x2a)?,
                r.u16(0x2c)?,
                r.u16(0x2e)?,
                r.u16(0x30)?,
                r.u16(0x32)?,
            )
        };
        let mut segments = Vec::new();
        let min_ph = if is_64 { 56 } else { 32 };
        if phentsize >= min_ph {
            for i in 0..u64::from(phnum) {
                let Some(base) = phoff.checked_add(i * u64::from(phentsize)) else {
                    break;
                };
                let Some(p_type) = r.u32(base) else { break };
                if p_type != 1 {
                    continue;
                }
                let flags = if is_64 {
                    r.u32(base.saturating_add(4))
                } else {
                    r.u32(base.saturating_add(24))
                };
                let writable = flags.is_some_and(|f| f & 2 != 0);
                let seg = if is_64 {
                    (
                        r.u64(base.saturating_add(8)),
                        r.u64(base.saturating_add(16)),
                        r.u64(base.saturating_add(32)),
                    )
                } else {
                    (
                        r.u32(base.saturating_add(4)).map(u64::from),
                        r.u32(base.saturating_add(8)).map(u64::from),
                        r.u32(base.saturating_add(16)).map(u64::from),
                    )
                };
                if let (Some(offset), Some(vaddr), Some(filesz)) = seg {
                    segments.push(Segment {
                        vaddr,
                        offset,
                        filesz,
                        writable,
                    });
                }
            }
        }
        let mut raw = Vec::new();
        let min_sh = if is_64 { 64 } else { 40 };
        if shentsize >= min_sh {
            for i in 0..u64::from(shnum) {
                let Some(base) = shoff.checked_add(i * u64::from(shentsize)) else {
                    break;
                };
                let w = if is_64 { 8 } else { 4 };
                let name = r.u32(base);
                let ty = r.u32(base.saturating_add(4));
                let addr = r.word(base.saturating_add(8 + w), is_64);
                let offset = r.word(base.saturating_add(8 + 2 * w), is_64);
                let size = r.word(base.saturating_add(8 + 3 * w), is_64);
                match (name, ty, addr, offset, size) {
                    (Some(n), Some(t), Some(a), Some(o), Some(s)) => raw.push((n, t, a, o, s)),
                    _ => break,
                }
            }
        }
        let strtab = raw
            .get(usize::from(shstrndx))
            .and_then(|&(_, _, _, o, s)| slice(data, o, s));
        let sections = raw
            .iter()
            .map(|&(n, t, addr, offset, size)| Section {
                name: strtab.map(|st| cstr(st, n)).unwrap_or_default(),
                addr,
                offset,
                // SHT_NOBITS occupies no file bytes.
                size: if t == 8 { 0 } else { size },
            })
            .collect();
        Some(Elf {
            is_64,
            big_endian: be,
            sections,
            segments,
        })
    }

    /// The section named `name`.
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// The file offset of a virtual address, through the loadable segments (then the
    /// sections), with how many file bytes follow it in that segment.
    pub fn addr_to_offset(&self, addr: u64) -> Option<(u64, u64)> {
        for s in &self.segments {
            if addr >= s.vaddr && addr - s.vaddr < s.filesz {
                let delta = addr - s.vaddr;
                return Some((s.offset.checked_add(delta)?, s.filesz - delta));
            }
        }
        for s in &self.sections {
            if s.addr != 0 && addr >= s.addr && addr - s.addr < s.size {
                let delta = addr - s.addr;
                return Some((s.offset.checked_add(delta)?, s.size - delta));
            }
        }
        None
    }
}

/// `data[off..off+len]` if it is all present.
pub fn slice(data: &[u8], off: u64, len: u64) -> Option<&[u8]> {
    let off = usize::try_from(off).ok()?;
    let len = usize::try_from(len).ok()?;
    data.get(off..off.checked_add(len)?)
}

fn cstr(tab: &[u8], off: u32) -> String {
    let Some(rest) = tab.get(off as usize..) else {
        return String::new();
    };
    let end = memchr::memchr(0, rest).unwrap_or(rest.len());
    String::from_utf8_lossy(&rest[..end]).into_owned()
}

/// Builds a small little-endian ELF64 file with the given sections (name, addr, bytes),
/// each also covered by one `PT_LOAD` segment. For tests and fuzz seeds.
pub fn build_elf64(sections: &[(&str, u64, &[u8])]) -> Vec<u8> {
    let mut out = vec![0u8; 64];
    out[..4].copy_from_slice(b"\x7fELF");
    out[4] = 2;
    out[5] = 1;
    out[6] = 1;
    let mut placed = Vec::new();
    for (_, addr, body) in sections {
        let off = out.len() as u64;
        out.extend_from_slice(body);
        placed.push((off, *addr, body.len() as u64));
    }
    let mut shstr = vec![0u8];
    let mut names = Vec::new();
    for (name, _, _) in sections {
        names.push(shstr.len() as u32);
        shstr.extend_from_slice(name.as_bytes());
        shstr.push(0);
    }
    names.push(shstr.len() as u32);
    shstr.extend_from_slice(b".shstrtab\0");
    let shstr_off = out.len() as u64;
    out.extend_from_slice(&shstr);
    let phoff = out.len() as u64;
    for &(off, addr, len) in &placed {
        let mut ph = [0u8; 56];
        ph[0..4].copy_from_slice(&1u32.to_le_bytes());
        ph[4..8].copy_from_slice(&6u32.to_le_bytes()); // PF_R | PF_W
        ph[8..16].copy_from_slice(&off.to_le_bytes());
        ph[16..24].copy_from_slice(&addr.to_le_bytes());
        ph[32..40].copy_from_slice(&len.to_le_bytes());
        ph[40..48].copy_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&ph);
    }
    let shoff = out.len() as u64;
    out.extend_from_slice(&[0u8; 64]);
    let mut entries: Vec<(u32, u32, u64, u64, u64)> = placed
        .iter()
        .zip(&names)
        .map(|(&(off, addr, len), &n)| (n, 1, addr, off, len))
        .collect();
    entries.push((names[names.len() - 1], 3, 0, shstr_off, shstr.len() as u64));
    for (n, t, addr, off, len) in &entries {
        let mut sh = [0u8; 64];
        sh[0..4].copy_from_slice(&n.to_le_bytes());
        sh[4..8].copy_from_slice(&t.to_le_bytes());
        sh[16..24].copy_from_slice(&addr.to_le_bytes());
        sh[24..32].copy_from_slice(&off.to_le_bytes());
        sh[32..40].copy_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&sh);
    }
    out[0x20..0x28].copy_from_slice(&phoff.to_le_bytes());
    out[0x28..0x30].copy_from_slice(&shoff.to_le_bytes());
    out[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
    out[0x38..0x3a].copy_from_slice(&(placed.len() as u16).to_le_bytes());
    out[0x3a..0x3c].copy_from_slice(&64u16.to_le_bytes());
    out[0x3c..0x3e].copy_from_slice(&((entries.len() + 1) as u16).to_le_bytes());
    out[0x3e..0x40].copy_from_slice(&(entries.len() as u16).to_le_bytes());
    out
}
