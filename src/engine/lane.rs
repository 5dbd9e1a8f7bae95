//! The event queue's FIFO lane: a `Vec` of `Copy` items read from a moving front index.
//!
//! `std::collections::VecDeque` would do, but its indices wrap with a compare and a subtract,
//! and its `front`, `push_back` and `pop_front` each check for emptiness again: a closed-loop
//! run, which pushes and pops one item per request and looks at the front at every event,
//! spent 48 instructions per request in it. Here the front is `items[head]`, so one bounds
//! check (`items.get(head)`) also tells whether the lane is empty, a push is a `Vec` push and
//! a pop moves `head` on.
//!
//! The popped slots before `head` are reclaimed when the `Vec` is full: the items still queued
//! move to the start (there are usually few), and the `Vec` only grows when more than half of
//! it is still queued. So its capacity stays within four times the most items queued at once,
//! and the moves cost a bounded amount per push on average.

/// See the module documentation.
#[derive(Debug)]
pub struct Lane<T> {
    /// `items[head..]` are queued, oldest first; `items[..head]` have been popped.
    items: Vec<T>,
    head: usize,
}

impl<T: Copy> Default for Lane<T> {
    fn default() -> Self {
        Lane {
            items: Vec::new(),
            head: 0,
        }
    }
}

impl<T: Copy> Lane<T> {
    pub fn len(&self) -> usize {
        self.items.len() - self.head
    }

    pub fn is_empty(&self) -> bool {
        self.head == self.items.len()
    }

    /// The oldest item.
    #[inline(always)]
    pub fn front(&self) -> Option<&T> {
        self.items.get(self.head)
    }

    #[inline(always)]
    pub fn push_back(&mut self, item: T) {
        if self.items.len() == self.items.capacity() {
            self.make_room();
        }
        self.items.push(item);
    }

    /// Removes and returns the oldest item; the lane must not be empty (the caller has just
    /// seen its front).
    #[inline(always)]
    pub fn pop_front_nonempty(&mut self) -> T {
        let item = self.items[self.head];
        self.head += 1;
        item
    }

    /// Removes and returns the oldest item, if any.
    #[cfg(test)]
    pub fn pop_front(&mut self) -> Option<T> {
        let item = self.front().copied()?;
        self.head += 1;
        Some(item)
    }

    /// The `Vec` is full: drops the popped slots, moving the queued items to the start, when
    /// that frees at least half of it; otherwise leaves it to grow.
    #[cold]
    #[inline(never)]
    fn make_room(&mut self) {
        if self.head > 0 && self.len() <= self.items.len() / 2 {
            self.items.drain(..self.head);
            self.head = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::VecDeque;

    proptest! {
        /// Pushes and pops interleaved (reclaiming popped slots and growing on the way) agree
        /// with a `VecDeque`, and the lane's `Vec` stays within four times the most items
        /// queued.
        #[test]
        fn matches_vecdeque(ops in proptest::collection::vec(0u8..5, 0..600)) {
            let mut lane = Lane::default();
            let mut model = VecDeque::new();
            let mut most = 0;
            for (i, op) in ops.into_iter().enumerate() {
                if op < 3 {
                    lane.push_back(i);
                    model.push_back(i);
                } else {
                    prop_assert_eq!(lane.pop_front(), model.pop_front());
                }
                most = most.max(model.len());
                prop_assert_eq!(lane.len(), model.len());
                prop_assert_eq!(lane.front(), model.front());
                prop_assert!(lane.items.capacity() <= (4 * most).max(4), "{} slots", lane.items.capacity());
            }
            while let Some(want) = model.pop_front() {
                prop_assert_eq!(lane.pop_front(), Some(want));
            }
            prop_assert!(lane.is_empty() && lane.pop_front().is_none());
        }
    }
}
