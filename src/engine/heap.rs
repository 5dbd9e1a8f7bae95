//! A binary min-heap of `Copy` items under a `u128` key, with `push` and `pop` always inlined.
//!
//! `std::collections::BinaryHeap` does the same work, but whether its `pop` is inlined is up to
//! the compiler, which stops doing it once `pop` has a second call site; the event loop has one
//! copy per kind of load (see `World::run_until`), and a call per event costs the open-loop run
//! about 2 % more instructions. The algorithm is `BinaryHeap`'s: `pop` moves the root's hole to
//! the bottom along the smaller children, then puts the last item there or above, which takes
//! fewer comparisons than sifting the last item down from the root. Unlike `BinaryHeap`, the
//! last item's bytes are copied once, slot to slot, never through registers (see `pop`).
//!
//! Keys must be distinct (the queue's are, being `(time, seq)` with a unique `seq`): then the
//! pop order is fully determined by the keys, the same as any other correct heap's.

use std::ptr;

/// An item that orders by a key.
pub trait Keyed: Copy {
    fn key(&self) -> u128;
}

/// Binary min-heap stored level by level in a `Vec`: the children of `i` are `2i + 1`, `2i + 2`.
#[derive(Debug)]
pub struct MinHeap<T> {
    data: Vec<T>,
}

impl<T: Keyed> MinHeap<T> {
    pub fn with_capacity(capacity: usize) -> Self {
        MinHeap {
            data: Vec::with_capacity(capacity),
        }
    }

    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The item with the smallest key.
    #[inline(always)]
    pub fn peek(&self) -> Option<&T> {
        self.data.first()
    }

    #[inline(always)]
    pub fn push(&mut self, item: T) {
        let pos = self.data.len();
        self.data.push(item);
        // SAFETY: `pos` is the index of the item just pushed.
        let hole = unsafe { Self::hole_above(self.data.as_mut_ptr(), pos, item.key()) };
        // Usually a later event than its parent's: it stays where `push` wrote it.
        if hole != pos {
            self.data[hole] = item;
        }
    }

    /// Removes and returns the item with the smallest key.
    ///
    /// The last item fills the root's place. It is never copied out of its slot and back:
    /// only its key is read, and its bytes move once, into the hole where it belongs. Read into
    /// registers and written back field by field (and, in `push`, written twice), items cost
    /// the open-loop bench 35 more instructions per request.
    #[inline(always)]
    pub fn pop(&mut self) -> Option<T> {
        let last = self.data.len().checked_sub(1)?;
        let base = self.data.as_mut_ptr();
        // SAFETY: every index read or written is `<= last < self.data.len()` (the loop and the
        // `if` check that children are `< last`; holes are former children or the root), and
        // the data pointer stays valid as the `Vec` is not touched until `set_len`, which only
        // shortens it. Items are `Copy`: copying one leaves no double ownership.
        unsafe {
            let top = *base;
            if last > 0 {
                let (mut hole, mut child) = (0, 1);
                // Down to the bottom of the heap without its last slot: the hole takes the
                // smaller child's place while both exist.
                while child + 1 < last {
                    child += usize::from((*base.add(child + 1)).key() <= (*base.add(child)).key());
                    ptr::copy_nonoverlapping(base.add(child), base.add(hole), 1);
                    hole = child;
                    child = 2 * hole + 1;
                }
                if child + 1 == last {
                    // An only child, necessarily on the last level.
                    ptr::copy_nonoverlapping(base.add(child), base.add(hole), 1);
                    hole = child;
                }
                let hole = Self::hole_above(base, hole, (*base.add(last)).key());
                ptr::copy_nonoverlapping(base.add(last), base.add(hole), 1);
            }
            self.data.set_len(last);
            Some(top)
        }
    }

    /// Moves the parents of the hole at `hole` with keys above `key` down one level each;
    /// returns where the hole ends up, the place of an item with `key`.
    ///
    /// # Safety
    /// `base` points to the heap's data and `hole < len`.
    #[inline(always)]
    unsafe fn hole_above(base: *mut T, mut hole: usize, key: u128) -> usize {
        // SAFETY: `parent < hole < len`, and the caller's.
        unsafe {
            while hole > 0 {
                let parent = (hole - 1) / 2;
                if (*base.add(parent)).key() <= key {
                    break;
                }
                ptr::copy_nonoverlapping(base.add(parent), base.add(hole), 1);
                hole = parent;
            }
        }
        hole
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    impl Keyed for u64 {
        fn key(&self) -> u128 {
            u128::from(*self)
        }
    }

    proptest! {
        /// Pushes and pops interleaved, then a full drain, agree with a sorted model.
        #[test]
        fn pops_in_key_order(ops in proptest::collection::vec(proptest::option::of(0u64..1_000_000), 0..800)) {
            let mut heap = MinHeap::with_capacity(4);
            let mut model = std::collections::BTreeSet::new();
            for op in ops {
                match op {
                    // Distinct keys, as the heap requires.
                    Some(k) if model.insert(k) => heap.push(k),
                    Some(_) => {}
                    None => prop_assert_eq!(heap.pop(), model.pop_first()),
                }
                prop_assert_eq!(heap.len(), model.len());
                prop_assert_eq!(heap.peek().copied(), model.first().copied());
            }
            while let Some(want) = model.pop_first() {
                prop_assert_eq!(heap.pop(), Some(want));
            }
            prop_assert!(heap.is_empty() && heap.pop().is_none());
        }
    }
}
