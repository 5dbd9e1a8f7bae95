//! Workloads: where requests come from.
//!
//! Open-loop sources (Poisson or evenly spaced arrivals at a time-varying rate, and trace replay)
//! produce one next-arrival time at a time, so memory does not grow with the number of requests.
//! Closed-loop virtual users (`users.rs`) send their next request when the last one is
//! answered, so the simulation drives them; an open-loop background load may run beside them.

mod arrivals;
mod shape;
pub mod stopping;
mod trace;
mod users;

pub use arrivals::ArrivalGenerator;
pub use shape::RateShape;
pub use stopping::{first_stop, FlatInvocations, Flatness, MinuteStats, StopReason, StopRules};
pub use trace::{CountTrace, TimestampTrace};
pub use users::{Phase, SpawnMode, Stairs, TrafficPattern, UserTest};

use crate::engine::{SimDuration, SimTime};

/// How open-loop arrivals are spaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrivalProcess {
    /// Non-homogeneous Poisson process (exponential gaps at constant rate).
    Poisson,
    /// Evenly spaced: one arrival each time the integrated rate grows by one.
    Deterministic,
}

/// A workload, validated.
#[derive(Clone, Debug, PartialEq)]
pub enum Workload {
    Open {
        arrivals: ArrivalProcess,
        rate: RateShape,
    },
    TraceCounts(CountTrace),
    TraceTimestamps(TimestampTrace),
    /// A load test of closed-loop users, with an optional open-loop load beside it.
    Users {
        test: UserTest,
        background: Option<Box<Workload>>,
    },
}

impl Workload {
    /// The load test of closed-loop users, if there is one.
    pub fn users(&self) -> Option<&UserTest> {
        match self {
            Workload::Users { test, .. } => Some(test),
            _ => None,
        }
    }

    /// About how many requests arrive in `[0, duration)`: exact for traces, the rate's integral
    /// (sampled at 4096 midpoints, so within a fraction of a percent for any shape whose
    /// features last longer than 1/4096 of the run) for open-loop arrivals. Used to say up
    /// front how large a run is, never in the simulation itself.
    pub fn expected_requests(&self, duration: SimDuration) -> f64 {
        match self {
            Workload::Open { rate, .. } => {
                const N: u64 = 4096;
                let step = duration.0 as f64 / N as f64;
                let sum: f64 = (0..N)
                    .map(|k| rate.rate(SimTime(((k as f64 + 0.5) * step) as u64)))
                    .sum();
                sum * step / 1e6
            }
            Workload::TraceCounts(t) => t
                .rows
                .iter()
                .filter(|(at, _)| at.0 < duration.0)
                .map(|(_, n)| *n as f64)
                .sum(),
            Workload::TraceTimestamps(t) => t.times.partition_point(|at| at.0 < duration.0) as f64,
            // Users send as fast as they are answered: only the open-loop part is known ahead.
            Workload::Users { background, .. } => background.as_ref().map_or(0.0, |b| b.expected_requests(duration)),
        }
    }
}
