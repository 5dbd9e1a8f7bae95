//! Recorded traffic to replay: per-period request counts (a CloudWatch `Invocations` export) or
//! one timestamp per request.

use crate::engine::{SimDuration, SimTime};
use std::sync::Arc;

/// Per-period counts: `count` requests arrive in `[start, start + period)`, spread as a Poisson
/// process conditioned on the count (uniform order statistics).
#[derive(Clone, Debug, PartialEq)]
pub struct CountTrace {
    pub period: SimDuration,
    /// `(period start, count)`, sorted by start, non-overlapping.
    pub rows: Arc<[(SimTime, u64)]>,
}

/// One arrival per timestamp, sorted ascending.
#[derive(Clone, Debug, PartialEq)]
pub struct TimestampTrace {
    pub times: Arc<[SimTime]>,
}

impl CountTrace {
    pub fn total(&self) -> u64 {
        self.rows.iter().map(|r| r.1).sum()
    }
}
