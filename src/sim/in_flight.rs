//! The requests holding a slot: `(arrival, start, outcome, user)` of each, addressed by the
//! index their completion event carries.
//!
//! A freed index is reused first (last freed, first reused), so the table stays as small as the
//! most requests ever in flight at once. The free indices form a list threaded through the
//! table itself: taking and returning an index is two stores, with no growth check, which
//! matters because it happens twice for every request.

use crate::engine::SimTime;
use crate::model::Outcome;

/// End of the free list.
const NONE: u32 = u32::MAX;

/// One row of the table. `link` is the next free row while the row is free, and the request's
/// closed-loop user while it is held: one field for both keeps a row at 24 bytes.
#[derive(Clone, Copy, Debug)]
struct Row {
    arrival: SimTime,
    start: SimTime,
    outcome: Outcome,
    link: u32,
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
    /// Keeps a request of `user` (or `NO_USER`) that took a slot at `start`; returns its index.
    #[inline(always)]
    pub fn hold(&mut self, arrival: SimTime, start: SimTime, outcome: Outcome, user: u32) -> u32 {
        let i = self.free;
        if i == NONE {
            self.rows.push(Row {
                arrival,
                start,
                outcome,
                link: user,
            });
            return (self.rows.len() - 1) as u32;
        }
        let row = &mut self.rows[i as usize];
        self.free = row.link;
        *row = Row {
            arrival,
            start,
            outcome,
            link: user,
        };
        i
    }

    /// Releases index `i` (its request left its slot); returns `(arrival, start, outcome,
    /// user)`: one read of the row gives a user's answer what it needs too.
    #[inline(always)]
    pub fn release(&mut self, i: u32) -> (SimTime, SimTime, Outcome, u32) {
        let row = &mut self.rows[i as usize];
        let user = row.link;
        row.link = self.free;
        self.free = i;
        (row.arrival, row.start, row.outcome, user)
    }

    /// The arrival and the user of the request held at `i`.
    #[cfg(test)]
    fn user(&self, i: u32) -> (SimTime, u32) {
        let row = &self.rows[i as usize];
        (row.arrival, row.link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NO_USER;

    #[test]
    fn freed_indices_are_reused_last_freed_first() {
        let mut t = InFlight::default();
        let a = t.hold(SimTime(1), SimTime(2), Outcome::Ok, 7);
        let b = t.hold(SimTime(3), SimTime(4), Outcome::ServerError, NO_USER);
        let c = t.hold(SimTime(5), SimTime(6), Outcome::Ok, 0);
        assert_eq!((a, b, c), (0, 1, 2));
        assert_eq!(t.release(b), (SimTime(3), SimTime(4), Outcome::ServerError, NO_USER));
        assert_eq!(t.release(a), (SimTime(1), SimTime(2), Outcome::Ok, 7));
        // A reused row carries its new request's user, not the free-list link it held.
        assert_eq!(t.hold(SimTime(7), SimTime(8), Outcome::Ok, 3), a);
        assert_eq!(t.user(a), (SimTime(7), 3));
        assert_eq!(t.hold(SimTime(9), SimTime(10), Outcome::Ok, NO_USER), b);
        assert_eq!(t.user(b), (SimTime(9), NO_USER));
        // The list is empty again: the table grows.
        assert_eq!(t.hold(SimTime(11), SimTime(12), Outcome::Ok, 5), 3);
        assert_eq!(t.release(c), (SimTime(5), SimTime(6), Outcome::Ok, 0));
        assert_eq!(t.release(b), (SimTime(9), SimTime(10), Outcome::Ok, NO_USER));
        assert_eq!(t.user(a), (SimTime(7), 3));
        assert_eq!(t.rows.len(), 4);
        assert_eq!(std::mem::size_of::<Row>(), 24);
    }
}
