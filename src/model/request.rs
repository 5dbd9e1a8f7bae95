//! A request in flight: everything random about it is drawn when it arrives.
//!
//! Drawing the service time and the outcome at arrival (from the variant's own streams) means two
//! runs that differ only in policy see the same requests with the same service times: common
//! random numbers, which make policy comparisons sharp.

use crate::engine::{SimDuration, SimTime};

/// How a request ends if it is served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Answered 2XX.
    Ok,
    /// The container answers 5XX after doing the work (`Invocation5XXErrors`).
    ServerError,
    /// The container rejects the payload at once (`Invocation4XXErrors`); no slot is used.
    ClientError,
}

/// The user of a request no virtual user sent (open-loop arrivals, shadow copies).
pub const NO_USER: u32 = u32::MAX;

/// A request waiting for or holding a worker slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    pub arrival: SimTime,
    /// Base service time (before any load slowdown) \[µs\].
    pub service: SimDuration,
    pub outcome: Outcome,
    /// The closed-loop user waiting for it, or [`NO_USER`] (it fits the padding after
    /// `outcome`: a request is no larger for it).
    pub user: u32,
}
