//! Bounds-checked integer reads from byte slices.

/// Byte order of a multi-byte integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Little,
    Big,
}

/// `len` bytes at `offset`, or `None` when out of range (overflow-safe).
pub(crate) fn get(bytes: &[u8], offset: usize, len: usize) -> Option<&[u8]> {
    let end = offset.checked_add(len)?;
    bytes.get(offset..end)
}

pub(crate) fn u16_at(bytes: &[u8], offset: usize, order: Order) -> Option<u16> {
    let b: [u8; 2] = get(bytes, offset, 2)?.try_into().ok()?;
    Some(match order {
        Order::Little => u16::from_le_bytes(b),
        Order::Big => u16::from_be_bytes(b),
    })
}

pub(crate) fn u32_at(bytes: &[u8], offset: usize, order: Order) -> Option<u32> {
    let b: [u8; 4] = get(bytes, offset, 4)?.try_into().ok()?;
    Some(match order {
        Order::Little => u32::from_le_bytes(b),
        Order::Big => u32::from_be_bytes(b),
    })
}

/// A set of page numbers in `0..len`, used to detect cycles in page chains.
pub(crate) struct Visited {
    bits: Vec<u64>,
}

impl Visited {
    /// `len` must be bounded by the input size (e.g. the number of pages in the file).
    pub(crate) fn new(len: usize) -> Self {
        Visited {
            bits: vec![0; len.div_ceil(64)],
        }
    }

    /// Marks `n`; returns `false` if it was already marked or is out of range.
    pub(crate) fn insert(&mut self, n: usize) -> bool {
        let Some(word) = self.bits.get_mut(n / 64) else {
            return false;
        };
        let mask = 1u64 << (n % 64);
        if *word & mask != 0 {
            return false;
        }
        *word |= mask;
        true
    }
}

/// A byte string stored as consecutive pieces: a header blob in one slice, or a SQLite
/// payload spread over its page and overflow pages. Reading it in place (rather than
/// copying each blob out first) touches only the parts a parser asks for: the rpm header
/// index and the few tags decoded, a tenth of a typical blob.
#[derive(Clone, Copy)]
pub(crate) struct Pieces<'a> {
    parts: &'a [&'a [u8]],
    /// Offset of this view in the concatenation of `parts`.
    start: usize,
    len: usize,
}

impl<'a> Pieces<'a> {
    pub(crate) fn new(parts: &'a [&'a [u8]]) -> Self {
        Pieces {
            parts,
            start: 0,
            len: parts.iter().map(|p| p.len()).sum(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Bytes `off..off + len` of the view (clamped to it).
    pub(crate) fn sub(&self, off: usize, len: usize) -> Self {
        let off = off.min(self.len);
        Pieces {
            parts: self.parts,
            start: self.start + off,
            len: len.min(self.len - off),
        }
    }

    /// The view from `off` on, as slices in order (nothing when `off` is past the end).
    pub(crate) fn chunks_from(&self, off: usize) -> Chunks<'a> {
        let mut skip = self.start.saturating_add(off);
        let left = self.len.saturating_sub(off);
        let mut i = 0;
        while let Some(p) = self.parts.get(i) {
            if skip < p.len() {
                break;
            }
            skip -= p.len();
            i += 1;
        }
        Chunks {
            parts: self.parts,
            next: i,
            skip,
            left,
        }
    }

    /// `len` bytes at `off`: borrowed when they sit in one piece, else copied into
    /// `scratch`. `None` when out of range.
    pub(crate) fn get<'s>(&self, off: usize, len: usize, scratch: &'s mut Vec<u8>) -> Option<&'s [u8]>
    where
        'a: 's,
    {
        if off.checked_add(len)? > self.len {
            return None;
        }
        let mut chunks = self.chunks_from(off);
        let first = chunks.next().unwrap_or_default();
        if first.len() >= len {
            return Some(&first[..len]);
        }
        scratch.clear();
        scratch.reserve(len);
        scratch.extend_from_slice(first);
        for c in chunks {
            let take = (len - scratch.len()).min(c.len());
            scratch.extend_from_slice(&c[..take]);
            if scratch.len() == len {
                break;
            }
        }
        Some(scratch.as_slice())
    }

    /// The whole view as one vector.
    pub(crate) fn to_vec(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len);
        for c in self.chunks_from(0) {
            out.extend_from_slice(c);
        }
        out
    }
}

/// Iterator of [`Pieces::chunks_from`].
pub(crate) struct Chunks<'a> {
    parts: &'a [&'a [u8]],
    next: usize,
    skip: usize,
    left: usize,
}

impl<'a> Iterator for Chunks<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        while self.left > 0 {
            let p = self.parts.get(self.next)?;
            self.next += 1;
            let p = p.get(self.skip..).unwrap_or_default();
            self.skip = 0;
            if p.is_empty() {
                continue;
            }
            let take = p.len().min(self.left);
            self.left -= take;
            return Some(&p[..take]);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_bounds_checked() {
        let b = [1u8, 2, 3, 4];
        assert_eq!(u32_at(&b, 0, Order::Big), Some(0x0102_0304));
        assert_eq!(u32_at(&b, 0, Order::Little), Some(0x0403_0201));
        assert_eq!(u32_at(&b, 1, Order::Big), None);
        assert_eq!(u16_at(&b, usize::MAX, Order::Big), None);
        assert_eq!(get(&b, usize::MAX, 2), None);
    }

    #[test]
    fn pieces_read_across_boundaries() {
        let parts: [&[u8]; 4] = [b"abc", b"", b"defg", b"h"];
        let p = Pieces::new(&parts);
        assert_eq!(p.len(), 8);
        let mut s = Vec::new();
        assert_eq!(p.get(1, 2, &mut s), Some(&b"bc"[..]));
        assert_eq!(p.get(2, 4, &mut s), Some(&b"cdef"[..]));
        assert_eq!(p.get(0, 8, &mut s), Some(&b"abcdefgh"[..]));
        assert_eq!(p.get(8, 0, &mut s), Some(&b""[..]));
        assert_eq!(p.get(7, 2, &mut s), None);
        assert_eq!(p.get(usize::MAX, 2, &mut s), None);
        let q = p.sub(2, 5);
        assert_eq!(q.to_vec(), b"cdefg");
        assert_eq!(q.chunks_from(1).collect::<Vec<_>>(), [&b"defg"[..]]);
        assert_eq!(q.chunks_from(4).collect::<Vec<_>>(), [&b"g"[..]]);
        assert_eq!(q.chunks_from(5).count(), 0);
        assert_eq!(q.chunks_from(usize::MAX).count(), 0);
        assert_eq!(q.sub(3, 100).to_vec(), b"fg");
        assert_eq!(q.sub(100, 1).len(), 0);
    }

    #[test]
    fn visited_detects_repeats_and_out_of_range() {
        let mut v = Visited::new(70);
        assert!(v.insert(69));
        assert!(!v.insert(69));
        assert!(v.insert(0));
        assert!(!v.insert(128));
    }
}
