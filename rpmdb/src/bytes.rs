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

pub(crate) fn u64_be_at(bytes: &[u8], offset: usize) -> Option<u64> {
    let b: [u8; 8] = get(bytes, offset, 8)?.try_into().ok()?;
    Some(u64::from_be_bytes(b))
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
    fn visited_detects_repeats_and_out_of_range() {
        let mut v = Visited::new(70);
        assert!(v.insert(69));
        assert!(!v.insert(69));
        assert!(v.insert(0));
        assert!(!v.insert(128));
    }
}
