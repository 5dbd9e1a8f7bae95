//! The future-event list: a binary heap keyed by `(time, seq)`.
//!
//! Contract: events pop in increasing time; events scheduled for the same time pop in the order
//! they were scheduled (`seq` is a counter that only grows). This makes a run independent of heap
//! internals and is checked against a `BTreeMap` model by a property test.

use super::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One scheduled event with its ordering key.
#[derive(Clone, Debug)]
pub struct Scheduled<E> {
    pub time: SimTime,
    pub seq: u64,
    pub event: E,
}

impl<E> PartialEq for Scheduled<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Scheduled<E> {}
impl<E> PartialOrd for Scheduled<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Scheduled<E> {
    /// `(time, seq)` packed into one integer: one comparison instead of two in the heap's
    /// inner loop, with exactly the same order.
    #[inline]
    fn key(&self) -> u128 {
        (u128::from(self.time.0) << 64) | u128::from(self.seq)
    }
}

impl<E> Ord for Scheduled<E> {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the smallest `(time, seq)` first.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

/// Priority queue of future events ordered by `(time, seq)`.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Scheduled<E>>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(1024),
            next_seq: 0,
        }
    }

    /// Hands out the next sequence number without queueing anything. A caller that keeps an
    /// event outside the heap (the workload's next arrival) takes its `seq` here so that it
    /// still orders exactly as if it had been scheduled.
    pub fn alloc_seq(&mut self) -> u64 {
        let s = self.next_seq;
        self.next_seq += 1;
        s
    }

    /// Schedules `event` at `time`; returns its sequence number.
    #[inline(always)]
    pub fn schedule(&mut self, time: SimTime, event: E) -> u64 {
        let seq = self.alloc_seq();
        self.heap.push(Scheduled { time, seq, event });
        seq
    }

    /// The key of the next event, if any.
    pub fn peek_key(&self) -> Option<(SimTime, u64)> {
        self.heap.peek().map(|s| (s.time, s.seq))
    }

    #[inline(always)]
    pub fn pop(&mut self) -> Option<Scheduled<E>> {
        self.heap.pop()
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[test]
    fn equal_times_pop_in_scheduling_order() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(10), 'a');
        q.schedule(SimTime(5), 'b');
        q.schedule(SimTime(10), 'c');
        q.schedule(SimTime(5), 'd');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|s| s.event)).collect();
        assert_eq!(order, vec!['b', 'd', 'a', 'c']);
    }

    proptest! {
        /// Interleaved pushes and pops agree with a `BTreeMap<(time, seq), value>` model.
        #[test]
        fn matches_btreemap_model(ops in proptest::collection::vec((any::<bool>(), 0u64..50), 0..400)) {
            let mut q = EventQueue::new();
            let mut model: BTreeMap<(u64, u64), u64> = BTreeMap::new();
            for (i, (push, t)) in ops.into_iter().enumerate() {
                if push {
                    let seq = q.schedule(SimTime(t), i as u64);
                    model.insert((t, seq), i as u64);
                } else {
                    let got = q.pop().map(|s| ((s.time.0, s.seq), s.event));
                    let want = model.pop_first();
                    prop_assert_eq!(got, want);
                }
                prop_assert_eq!(q.len(), model.len());
                prop_assert_eq!(q.peek_key().map(|(t, s)| (t.0, s)), model.first_key_value().map(|(k, _)| *k));
            }
        }

        /// The same with two pushes per pop on average and wide times, so the heap grows a few
        /// levels deep (hundreds of entries) and then drains completely.
        #[test]
        fn deep_heap_matches_btreemap_model(ops in proptest::collection::vec((0u8..3, 0u64..5_000), 0..1500)) {
            let mut q = EventQueue::new();
            let mut model: BTreeMap<(u64, u64), u64> = BTreeMap::new();
            for (i, (op, t)) in ops.into_iter().enumerate() {
                if op < 2 {
                    let seq = q.schedule(SimTime(t), i as u64);
                    model.insert((t, seq), i as u64);
                } else {
                    prop_assert_eq!(q.pop().map(|s| ((s.time.0, s.seq), s.event)), model.pop_first());
                }
            }
            while let Some(want) = model.pop_first() {
                prop_assert_eq!(q.pop().map(|s| ((s.time.0, s.seq), s.event)), Some(want));
            }
            prop_assert!(q.is_empty());
        }
    }
}
