//! The bounded FIFO of requests waiting for a worker slot.
//!
//! Requests leave from the front: to a freed slot, or as timed out once they have waited the
//! invocation timeout. Because the queue is FIFO, expiry times are in order, so one timer per
//! queue (armed for the front request) is enough.

use super::request::{Request, NO_USER};
use crate::engine::{SimDuration, SimTime};
use std::collections::VecDeque;

/// A FIFO of waiting requests with its timeout timer state.
#[derive(Debug, Default)]
pub struct Backlog {
    queue: VecDeque<Request>,
    /// Whether a timeout event is scheduled for this queue.
    pub timer_armed: bool,
}

impl Backlog {
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    pub fn push(&mut self, r: Request) {
        self.queue.push_back(r);
    }

    pub fn pop(&mut self) -> Option<Request> {
        self.queue.pop_front()
    }

    pub fn front(&self) -> Option<&Request> {
        self.queue.front()
    }

    /// Removes and counts the requests at the front that have waited at least `timeout` by `now`.
    pub fn expire(&mut self, now: SimTime, timeout: SimDuration) -> u64 {
        let mut n = 0;
        while let Some(r) = self.queue.front() {
            if r.arrival + timeout <= now {
                self.queue.pop_front();
                n += 1;
            } else {
                break;
            }
        }
        n
    }

    /// As [`Backlog::expire`], also putting the `(user, arrival)` of each expired request a
    /// closed-loop user waits for into `users`. A separate loop, so runs without users keep the
    /// tight one.
    pub fn expire_users(&mut self, now: SimTime, timeout: SimDuration, users: &mut Vec<(u32, SimTime)>) -> u64 {
        let mut n = 0;
        while let Some(r) = self.queue.front() {
            if r.arrival + timeout <= now {
                if r.user != NO_USER {
                    users.push((r.user, r.arrival));
                }
                self.queue.pop_front();
                n += 1;
            } else {
                break;
            }
        }
        n
    }

    /// Moves every request of `other` into this queue, keeping arrival order (both queues are
    /// in arrival order, so a merge keeps the one-timer-per-queue invariant). Used when a fleet
    /// stops taking traffic and hands its waiting requests to the fleet that takes over.
    pub fn absorb(&mut self, other: &mut Backlog) {
        if other.queue.is_empty() {
            return;
        }
        let mine = std::mem::take(&mut self.queue);
        let theirs = std::mem::take(&mut other.queue);
        let mut merged = VecDeque::with_capacity(mine.len() + theirs.len());
        let (mut a, mut b) = (mine.into_iter().peekable(), theirs.into_iter().peekable());
        loop {
            let take_a = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => x.arrival <= y.arrival,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            merged.push_back(if take_a { a.next() } else { b.next() }.expect("peeked"));
        }
        self.queue = merged;
    }

    /// When the front request times out, if there is one.
    pub fn next_expiry(&self, timeout: SimDuration) -> Option<SimTime> {
        self.queue.front().map(|r| r.arrival + timeout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Outcome;

    fn req(at: u64) -> Request {
        Request {
            arrival: SimTime(at),
            service: SimDuration(1),
            outcome: Outcome::Ok,
            user: NO_USER,
        }
    }

    #[test]
    fn absorb_merges_in_arrival_order() {
        let mut a = Backlog::default();
        let mut b = Backlog::default();
        for t in [1, 4, 9] {
            a.push(req(t));
        }
        for t in [2, 4, 10, 11] {
            b.push(req(t));
        }
        a.absorb(&mut b);
        assert!(b.is_empty());
        let order: Vec<u64> = std::iter::from_fn(|| a.pop()).map(|r| r.arrival.0).collect();
        assert_eq!(order, vec![1, 2, 4, 4, 9, 10, 11]);
    }
}
