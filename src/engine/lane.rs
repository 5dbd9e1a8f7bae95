//! The event queue's FIFO lane: a ring buffer of `Copy` items whose capacity is a power of two.
//!
//! `std::collections::VecDeque` would do, but its indices wrap with a compare and a subtract,
//! its `front`, `push_back` and `pop_front` each check for emptiness again, and it
//! keeps its capacity apart from its buffer: a closed-loop run, which pushes and pops one
//! item per request and looks at the front at every event, spent 48 instructions per request
//! in it. Here a position wraps with one `and`, and the caller, which has just looked at the
//! front, pops without a second check.
//!
//! The buffer is always fully initialised: growing fills the new slots with copies of an item
//! (items are `Copy`), so no slot is ever read uninitialised and no `unsafe` is needed.

/// See the module documentation.
#[derive(Debug)]
pub struct Lane<T> {
    /// Slots; the items are `buf[head]`, `buf[(head + 1) & mask]`, ... (`len` of them).
    buf: Vec<T>,
    head: usize,
    len: usize,
    /// `buf.len() - 1` (`buf.len()` is a power of two), or 0 before the first push.
    mask: usize,
}

impl<T: Copy> Default for Lane<T> {
    fn default() -> Self {
        Lane {
            buf: Vec::new(),
            head: 0,
            len: 0,
            mask: 0,
        }
    }
}

impl<T: Copy> Lane<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The oldest item.
    #[inline(always)]
    pub fn front(&self) -> Option<&T> {
        if self.len == 0 {
            return None;
        }
        Some(&self.buf[self.head])
    }

    #[inline(always)]
    pub fn push_back(&mut self, item: T) {
        if self.len == self.buf.len() {
            self.grow(item);
        }
        let i = (self.head + self.len) & self.mask;
        self.buf[i] = item;
        self.len += 1;
    }

    /// Removes and returns the oldest item; the lane must not be empty (the caller has just
    /// seen its front).
    #[inline(always)]
    pub fn pop_front_nonempty(&mut self) -> T {
        debug_assert!(self.len > 0, "pop from an empty lane");
        let item = self.buf[self.head];
        self.head = (self.head + 1) & self.mask;
        self.len -= 1;
        item
    }

    /// Removes and returns the oldest item, if any.
    #[cfg(test)]
    pub fn pop_front(&mut self) -> Option<T> {
        (self.len > 0).then(|| self.pop_front_nonempty())
    }

    /// Doubles the capacity (at least 16 slots), laying the items out from slot 0. `fill` only
    /// initialises the new slots.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, fill: T) {
        let cap = (self.buf.len() * 2).max(16);
        let mut buf = Vec::with_capacity(cap);
        buf.extend((0..self.len).map(|k| self.buf[(self.head + k) & self.mask]));
        buf.resize(cap, fill);
        self.buf = buf;
        self.head = 0;
        self.mask = cap - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::VecDeque;

    proptest! {
        /// Pushes and pops interleaved (wrapping around and growing while wrapped) agree with a
        /// `VecDeque`.
        #[test]
        fn matches_vecdeque(ops in proptest::collection::vec(0u8..5, 0..600)) {
            let mut lane = Lane::default();
            let mut model = VecDeque::new();
            for (i, op) in ops.into_iter().enumerate() {
                if op < 3 {
                    lane.push_back(i);
                    model.push_back(i);
                } else {
                    prop_assert_eq!(lane.pop_front(), model.pop_front());
                }
                prop_assert_eq!(lane.len(), model.len());
                prop_assert_eq!(lane.front(), model.front());
            }
            while let Some(want) = model.pop_front() {
                prop_assert_eq!(lane.pop_front(), Some(want));
            }
            prop_assert!(lane.is_empty() && lane.pop_front().is_none());
        }
    }
}
