//! Run totals: every arrival's outcome and the endpoint-wide latency and capacity of a whole
//! run, behind `summary.json`.

use super::{Gauge, LatencyHistogram};
use crate::engine::SimTime;

/// Run totals behind `summary.json`.
#[derive(Debug)]
pub struct Totals {
    pub arrived: u64,
    pub completed: u64,
    pub errors_4xx: u64,
    pub errors_5xx: u64,
    pub timed_out: u64,
    pub rejected_backlog_full: u64,
    pub rejected_no_capacity: u64,
    /// Serverless endpoints: requests refused with ThrottlingException (`MaxConcurrency` or
    /// the account's regional concurrency reached). Counted in the period's `Invocations` and
    /// `Invocation4XXErrors` \[assumption\] but kept out of `errors_4xx` here, so each
    /// arrival has exactly one outcome.
    pub throttled: u64,
    /// Requests that got a worker slot.
    pub served: u64,
    /// Served requests that waited in the backlog first.
    pub waited: u64,
    /// Total backlog wait of served requests \[µs\].
    pub wait_sum_us: u128,
    /// End-to-end latency of completed requests \[µs\].
    pub latency: LatencyHistogram,
    pub latency_sum_us: u128,
    pub min_in_service: u32,
    pub max_in_service: u32,
    /// Endpoint-wide in-service instances, integrated [instances x µs].
    pub in_service: Gauge,
}

impl Totals {
    /// The totals of a run that has not started.
    pub(super) fn new() -> Self {
        Totals {
            arrived: 0,
            completed: 0,
            errors_4xx: 0,
            errors_5xx: 0,
            timed_out: 0,
            rejected_backlog_full: 0,
            rejected_no_capacity: 0,
            throttled: 0,
            served: 0,
            waited: 0,
            wait_sum_us: 0,
            latency: LatencyHistogram::new(),
            latency_sum_us: 0,
            min_in_service: u32::MAX,
            max_in_service: 0,
            in_service: Gauge::default(),
        }
    }

    /// Min and max count only values held for a positive time, so instances coming into service
    /// one by one at the same instant do not register as a dip.
    pub(super) fn held_in_service(&mut self, now: SimTime) {
        if now > self.in_service.last_change() {
            let v = self.in_service.value() as u32;
            self.min_in_service = self.min_in_service.min(v);
            self.max_in_service = self.max_in_service.max(v);
        }
    }
}
