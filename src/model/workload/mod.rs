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
