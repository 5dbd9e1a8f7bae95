//! The bounded FIFO of requests waiting for a worker slot.
//!
//! Requests leave from the front: to a freed slot, or as timed out once they have waited the
//! invocation timeout. Because the queue is FIFO, expiry times are in order, so one timer per
//! queue (armed for the front request) is enough.

use super::request::Request;
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

    /// When the front request times out, if there is one.
    pub fn next_expiry(&self, timeout: SimDuration) -> Option<SimTime> {
        self.queue.front().map(|r| r.arrival + timeout)
    }
}
