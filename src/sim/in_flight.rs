//! The requests holding a slot: `(arrival, start, outcome)` of each, addressed by the index
//! their completion event carries.
//!
//! A freed index is reused first (last freed, first reused), so the table stays as small as the
//! most requests ever in flight at once. The free indices form a list threaded through the
//! table itself: taking and returning an index is two stores, with no growth check, which
//! matters because it happens twice for every request.

use crate::engine::SimTime;
use crate::model::Outcome;

/// End of the free list.
const NONE: u32 = u32::MAX;

/// One row of the table; `next_free` is meaningful only while the row is free.
#[derive(Clone, Copy, Debug)]
struct Row {
    arrival: SimTime,
    start: SimTime,
    outcome: Outcome,
    next_free: u32,
}

/// See the module documentation.
#[derive(Debug)]
pub(super) struct InFlight {
    rows: Vec<Row>,
    free: u32,
}

impl Default for InFlight {
    fn default() -> Self {
        InFlight {
            rows: Vec::new(),
            free: NONE,
        }
    }
}

impl InFlight {
    /// Keeps a request that took a slot at `start`; returns its index.
    #[inline(always)]
    pub fn hold(&mut self, arrival: SimTime, start: SimTime, outcome: Outcome) -> u32 {
        let i = self.free;
        if i == NONE {
            self.rows.push(Row {
                arrival,
                start,
                outcome,
                next_free: NONE,
            });
            return (self.rows.len() - 1) as u32;
        }
        let row = &mut self.rows[i as usize];
        self.free = row.next_free;
        *row = Row {
            arrival,
            start,
            outcome,
            next_free: NONE,
        };
        i
    }

    /// Releases index `i` (its request left its slot); returns `(arrival, start, outcome)`.
    #[inline(always)]
    pub fn release(&mut self, i: u32) -> (SimTime, SimTime, Outcome) {
        let row = &mut self.rows[i as usize];
        row.next_free = self.free;
        self.free = i;
        (row.arrival, row.start, row.outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freed_indices_are_reused_last_freed_first() {
        let mut t = InFlight::default();
        let a = t.hold(SimTime(1), SimTime(2), Outcome::Ok);
        let b = t.hold(SimTime(3), SimTime(4), Outcome::ServerError);
        let c = t.hold(SimTime(5), SimTime(6), Outcome::Ok);
        assert_eq!((a, b, c), (0, 1, 2));
        assert_eq!(t.release(b), (SimTime(3), SimTime(4), Outcome::ServerError));
        assert_eq!(t.release(a), (SimTime(1), SimTime(2), Outcome::Ok));
        assert_eq!(t.hold(SimTime(7), SimTime(8), Outcome::Ok), a);
        assert_eq!(t.hold(SimTime(9), SimTime(10), Outcome::Ok), b);
        // The list is empty again: the table grows.
        assert_eq!(t.hold(SimTime(11), SimTime(12), Outcome::Ok), 3);
        assert_eq!(t.release(c), (SimTime(5), SimTime(6), Outcome::Ok));
        assert_eq!(t.release(b), (SimTime(9), SimTime(10), Outcome::Ok));
        assert_eq!(t.rows.len(), 4);
    }
}
