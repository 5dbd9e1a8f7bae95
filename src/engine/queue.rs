//! The future-event list: a binary heap keyed by `(time, seq)` (`super::heap`), with a FIFO
//! lane beside it.
//!
//! Contract: events pop in increasing time; events scheduled for the same time pop in the order
//! they were scheduled (`seq` is a counter that only grows). This makes a run independent of heap
//! internals and is checked against a `BTreeMap` model by a property test.
//!
//! The lane is for events that are mostly scheduled in time order (a closed-loop user's next
//! send: the answer's instant plus a constant round trip and think time). Such an event is
//! appended to the lane (`super::lane`) when it is no earlier than the last event appended
//! there (which, when the lane has emptied since, has popped already); as `seq` only grows,
//! the lane is then sorted by `(time, seq)` and popping the smaller of its front and the heap's
//! top gives exactly the order the heap alone would give. An event that would break the lane's
//! order goes to the heap instead, so the lane is an optimisation only: it saves a heap push and
//! pop (a few dozen comparisons and moves) per event, never changes which event comes next.

use super::heap::{Keyed, MinHeap};
use super::lane::Lane;
use super::time::SimTime;

/// One scheduled event with its ordering key.
#[derive(Clone, Copy, Debug)]
pub struct Scheduled<E> {
    pub time: SimTime,
    pub seq: u64,
    pub event: E,
}

impl<E: Copy> Keyed for Scheduled<E> {
    /// `(time, seq)` packed into one integer: one comparison instead of two in the heap's
    /// inner loop, with exactly the same order.
    #[inline(always)]
    fn key(&self) -> u128 {
        (u128::from(self.time.0) << 64) | u128::from(self.seq)
    }
}

/// Priority queue of future events ordered by `(time, seq)`.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: MinHeap<Scheduled<E>>,
    /// Events scheduled by [`EventQueue::schedule_in_order`], sorted by `(time, seq)`.
    lane: Lane<Scheduled<E>>,
    /// The time of the last event appended to the lane (zero before the first): the lane is
    /// sorted as long as no event earlier than this is appended. Kept apart so that the check
    /// reads one field instead of finding the lane's back.
    lane_last: SimTime,
    /// The key of the lane's front, `u128::MAX` when the lane is empty: which of the lane and
    /// the heap comes first is asked at every event of a closed-loop run, and one compare of
    /// two keys answers it without reading the lane (which is read only when it pops).
    lane_front: u128,
    next_seq: u64,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue {
            heap: MinHeap::with_capacity(1024),
            lane: Lane::default(),
            lane_last: SimTime::ZERO,
            lane_front: u128::MAX,
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

    /// As [`EventQueue::schedule`], for an event usually scheduled no earlier than the
    /// previous one scheduled this way: it then goes to the FIFO lane, which costs a store
    /// instead of a heap push. An earlier one goes to the heap. Either way it pops in the same
    /// place.
    #[inline(always)]
    pub fn schedule_in_order(&mut self, time: SimTime, event: E) -> u64 {
        if time < self.lane_last {
            return self.schedule(time, event);
        }
        self.lane_last = time;
        let seq = self.alloc_seq();
        let item = Scheduled { time, seq, event };
        if self.lane_front == u128::MAX {
            self.lane_front = item.key();
        }
        self.lane.push_back(item);
        seq
    }

    /// Whether the lane's front pops before the heap's top (false when the lane is empty).
    #[inline(always)]
    fn lane_first(&self) -> bool {
        // An empty lane's `u128::MAX` is never below a key (no event has `seq` `u64::MAX`).
        self.lane_front < self.heap.peek().map_or(u128::MAX, |h| h.key())
    }

    /// Removes the lane's front (the lane must not be empty) and notes the new front's key.
    #[inline(always)]
    fn pop_lane_front(&mut self) -> Scheduled<E> {
        let item = self.lane.pop_front_nonempty();
        self.lane_front = self.lane.front().map_or(u128::MAX, |s| s.key());
        item
    }

    /// The key of the next event, if any.
    pub fn peek_key(&self) -> Option<(SimTime, u64)> {
        self.peek_with(true).0
    }

    /// Removes and returns the next event, if any.
    pub fn pop(&mut self) -> Option<Scheduled<E>> {
        let (_, from_lane) = self.peek_with(true);
        self.pop_peeked(from_lane)
    }

    /// The key of the next event, if any, and whether it is the lane's (to pass to
    /// [`EventQueue::pop_peeked`]). `lane`: whether the lane may hold events; a caller that
    /// never schedules into it passes `false` and saves the comparison with the lane per event.
    #[inline(always)]
    pub fn peek_with(&self, lane: bool) -> (Option<(SimTime, u64)>, bool) {
        debug_assert!(lane || self.lane.is_empty(), "the lane is in use");
        if lane && self.lane_first() {
            let key = self.lane_front;
            (Some((SimTime((key >> 64) as u64), key as u64)), true)
        } else {
            (self.heap.peek().map(|s| (s.time, s.seq)), false)
        }
    }

    /// Removes the lane's front and returns its event: the event [`EventQueue::peek_with`] just
    /// found when it said the lane's (with nothing scheduled in between). No `Option` and no
    /// key to carry: the run loop only needs the event.
    #[inline(always)]
    pub fn pop_lane(&mut self) -> E {
        self.pop_lane_front().event
    }

    /// Removes and returns the event [`EventQueue::peek_with`] just found (`from_lane` is what
    /// it said), with nothing scheduled in between. With `peek_with(false)`, `from_lane` is a
    /// constant false and the lane's branch disappears.
    #[inline(always)]
    pub fn pop_peeked(&mut self, from_lane: bool) -> Option<Scheduled<E>> {
        if from_lane {
            Some(self.pop_lane_front())
        } else {
            self.heap.pop()
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len() + self.lane.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty() && self.lane.is_empty()
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

    /// Ties between the lane and the heap go by `seq`, whichever side holds the earlier one: a
    /// merge that preferred one side on equal times, or compared times only, fails here.
    #[test]
    fn lane_and_heap_ties_pop_in_scheduling_order() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(10), 'a');
        q.schedule_in_order(SimTime(10), 'b');
        q.schedule(SimTime(10), 'c');
        q.schedule_in_order(SimTime(10), 'd');
        q.schedule_in_order(SimTime(20), 'e');
        q.schedule(SimTime(20), 'f');
        q.schedule(SimTime(5), 'g');
        // Earlier than the lane's last event: it goes to the heap and still pops in its place.
        q.schedule_in_order(SimTime(15), 'h');
        q.schedule_in_order(SimTime(20), 'i');
        assert_eq!(q.lane.len(), 4);
        assert_eq!(q.len(), 9);
        let mut order = Vec::new();
        while let Some((t, seq)) = q.peek_key() {
            let s = q.pop().expect("peeked");
            assert_eq!((s.time, s.seq), (t, seq));
            order.push(s.event);
        }
        assert_eq!(order, vec!['g', 'a', 'b', 'c', 'd', 'h', 'e', 'f', 'i']);
        assert!(q.is_empty());
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

        /// Pushes to the heap and to the lane (in order or not, times drawn near each other so
        /// that ties are common) interleaved with pops agree with the model.
        #[test]
        fn lane_matches_btreemap_model(ops in proptest::collection::vec((0u8..5, 0u64..8), 0..600)) {
            let mut q = EventQueue::new();
            let mut model: BTreeMap<(u64, u64), u64> = BTreeMap::new();
            let mut now = 0u64;
            for (i, (op, dt)) in ops.into_iter().enumerate() {
                match op {
                    0 => {
                        let seq = q.schedule(SimTime(now + dt), i as u64);
                        model.insert((now + dt, seq), i as u64);
                    }
                    // Mostly in order (a constant delay after the current time), sometimes not.
                    1 | 2 => {
                        let t = if op == 1 { now + 3 } else { now + dt };
                        let seq = q.schedule_in_order(SimTime(t), i as u64);
                        model.insert((t, seq), i as u64);
                    }
                    _ => {
                        let got = q.pop().map(|s| ((s.time.0, s.seq), s.event));
                        prop_assert_eq!(got, model.pop_first());
                        if let Some(((t, _), _)) = got {
                            now = t;
                        }
                    }
                }
                prop_assert_eq!(q.len(), model.len());
                prop_assert_eq!(q.peek_key().map(|(t, s)| (t.0, s)), model.first_key_value().map(|(k, _)| *k));
            }
            while let Some(want) = model.pop_first() {
                prop_assert_eq!(q.pop().map(|s| ((s.time.0, s.seq), s.event)), Some(want));
            }
            prop_assert!(q.is_empty());
        }
    }
}
