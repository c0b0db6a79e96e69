//! Small buffers kept on the stack while short, so that parsing a version or a
//! constraint (run once per advisory statement while matching) does not reach
//! the allocator in the common case. Longer contents move to the heap, so any
//! length is handled.

/// A vector of `Copy` values, inline up to `N` elements.
#[derive(Clone)]
pub(crate) struct SmallVec<T: Copy + Default, const N: usize> {
    len: usize,
    /// Set once the contents moved to `heap` (they stay there).
    on_heap: bool,
    inline: [T; N],
    heap: Vec<T>,
}

impl<T: Copy + Default, const N: usize> SmallVec<T, N> {
    #[inline]
    pub(crate) fn new() -> Self {
        SmallVec {
            len: 0,
            on_heap: false,
            inline: [T::default(); N],
            heap: Vec::new(),
        }
    }

    #[inline]
    fn spilled(&self) -> bool {
        self.on_heap
    }

    #[inline]
    pub(crate) fn push(&mut self, v: T) {
        if self.spilled() {
            self.heap.push(v);
        } else if self.len < N {
            self.inline[self.len] = v;
        } else {
            self.heap.reserve(2 * N);
            self.heap.extend_from_slice(&self.inline);
            self.heap.push(v);
            self.on_heap = true;
        }
        self.len += 1;
    }

    #[inline]
    pub(crate) fn extend_from_slice(&mut self, vs: &[T]) {
        let end = self.len + vs.len();
        if !self.spilled() && end <= N {
            self.inline[self.len..end].copy_from_slice(vs);
            self.len = end;
        } else {
            for &v in vs {
                self.push(v);
            }
        }
    }

    #[inline]
    pub(crate) fn as_slice(&self) -> &[T] {
        if self.spilled() {
            &self.heap
        } else {
            &self.inline[..self.len]
        }
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub(crate) fn last(&self) -> Option<&T> {
        self.as_slice().last()
    }

    #[inline]
    pub(crate) fn truncate(&mut self, n: usize) {
        if n >= self.len {
            return;
        }
        if self.spilled() {
            self.heap.truncate(n);
        }
        self.len = n;
    }

    /// Removes the elements in `start..end`, shifting the tail down.
    pub(crate) fn remove_range(&mut self, start: usize, end: usize) {
        if start >= end || end > self.len {
            return;
        }
        if self.spilled() {
            self.heap.drain(start..end);
        } else {
            self.inline.copy_within(end..self.len, start);
        }
        self.len -= end - start;
    }
}

impl<T: Copy + Default + PartialEq, const N: usize> PartialEq for SmallVec<T, N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Copy + Default + Eq, const N: usize> Eq for SmallVec<T, N> {}

impl<T: Copy + Default + std::fmt::Debug, const N: usize> std::fmt::Debug for SmallVec<T, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_slice().fmt(f)
    }
}

/// A byte string (always built from `&str` pieces, so valid UTF-8), inline up to `N` bytes.
pub(crate) type SmallStr<const N: usize> = SmallVec<u8, N>;

impl<const N: usize> SmallVec<u8, N> {
    #[inline]
    pub(crate) fn push_str(&mut self, s: &str) {
        self.extend_from_slice(s.as_bytes());
    }

    #[inline]
    pub(crate) fn as_str(&self) -> &str {
        // Only `&str` pieces are pushed (and truncation happens at piece ends).
        std::str::from_utf8(self.as_slice()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spills_and_shrinks() {
        let mut v: SmallVec<u32, 3> = SmallVec::new();
        for k in 0..10 {
            v.push(k);
            assert_eq!(v.as_slice(), (0..=k).collect::<Vec<_>>().as_slice());
        }
        v.remove_range(2, 5);
        assert_eq!(v.as_slice(), &[0, 1, 5, 6, 7, 8, 9]);
        v.truncate(2);
        assert_eq!(v.as_slice(), &[0, 1]);
        assert_eq!(v.len(), 2);
        let mut w: SmallVec<u32, 3> = SmallVec::new();
        w.extend_from_slice(&[0, 1, 2]);
        w.remove_range(0, 1);
        assert_eq!(w.as_slice(), &[1, 2]);
        assert_eq!(w.last(), Some(&2));
        let mut s: SmallStr<4> = SmallVec::new();
        s.push_str("ab");
        s.push_str("cdé");
        assert_eq!(s.as_str(), "abcdé");
    }
}
