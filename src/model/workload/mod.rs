//! Workloads: where requests come from.
//!
//! Open-loop sources (Poisson or evenly spaced arrivals at a time-varying rate, and trace replay)
//! produce one next-arrival time at a time, so memory does not grow with the number of requests.
//! `Workload` is a closed enum: closed-loop virtual users will join it as another variant.

mod arrivals;
mod shape;
mod trace;

pub use arrivals::ArrivalGenerator;
pub use shape::RateShape;
pub use trace::{CountTrace, TimestampTrace};

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
    Open { arrivals: ArrivalProcess, rate: RateShape },
    TraceCounts(CountTrace),
    TraceTimestamps(TimestampTrace),
}

impl Workload {
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
        }
    }
}
