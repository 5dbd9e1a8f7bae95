//! A model version: how the container behaves once a request holds a worker slot.

use super::distribution::DurationDist;
use crate::engine::SimDuration;

/// Behaviour of one model version (what a deployment replaces).
#[derive(Clone, Debug)]
pub struct ModelVersion {
    /// Label of the version (`v1`, `v2`), recorded in the manifest.
    pub label: String,
    /// Time a request holds a worker slot (`ModelLatency`).
    pub service_time: DurationDist,
    /// Probability that a served request (one not rejected 4XX) ends 5XX.
    pub error_rate: f64,
    /// Probability that a request is rejected 4XX at once, without using a slot.
    pub client_error_rate: f64,
    /// Fixed front-end overhead added to every answer (part of `OverheadLatency`).
    pub overhead: SimDuration,
    /// Service time grows by `1 + load_slowdown * busy / concurrency` on the serving instance,
    /// with `busy` counted when the request starts (0 = no slowdown).
    pub load_slowdown: f64,
}
