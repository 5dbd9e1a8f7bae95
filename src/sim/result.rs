//! What a run produces: closed metric periods, totals, activities and per-variant bills.
//! Reports are built from this alone, never from model internals.

use super::config::{EndpointKind, Slo};
use super::world::World;
use crate::engine::SimDuration;
use crate::model::metrics::{EndpointPoint, Totals};
use crate::model::Activity;

/// Per-variant outcome of a run.
#[derive(Clone, Debug)]
pub struct VariantResult {
    pub name: String,
    pub instance_type: String,
    pub price_per_hour_usd: Option<f64>,
    pub instance_hours: f64,
    pub cost_usd: Option<f64>,
}

/// The result of one run.
#[derive(Debug)]
pub struct RunResult {
    pub name: String,
    /// Real-time or asynchronous endpoint.
    pub kind: EndpointKind,
    pub seed: u64,
    pub duration: SimDuration,
    /// Length of a metrics period.
    pub period: SimDuration,
    pub points: Vec<EndpointPoint>,
    pub totals: Totals,
    pub activities: Vec<Activity>,
    pub variants: Vec<VariantResult>,
    /// Requests holding a slot or waiting when the run ended.
    pub in_flight_at_end: u64,
    /// Events processed (arrivals included).
    pub events: u64,
    /// The scenario's latency objective, if any.
    pub slo: Option<Slo>,
}

impl RunResult {
    pub(super) fn from_world(w: World) -> Self {
        let now = w.now;
        let variants = w
            .variants
            .iter()
            .enumerate()
            .map(|(i, v)| VariantResult {
                name: v.name.clone(),
                instance_type: v.instance.name.clone(),
                price_per_hour_usd: v.instance.price_per_hour_usd,
                instance_hours: w.metrics.instance_hours(i, now),
                cost_usd: w.metrics.cost_usd(i, now),
            })
            .collect();
        let in_flight_at_end = w
            .fleets
            .iter()
            .map(|f| u64::from(f.busy) + f.backlog.len() as u64)
            .sum();
        let period = w.metrics.config().period;
        let (points, totals) = w.metrics.into_points();
        RunResult {
            slo: w.config.slo,
            kind: w.config.endpoint.kind,
            name: w.config.name,
            seed: w.config.seed,
            duration: w.config.duration,
            period,
            points,
            totals,
            activities: w.activities,
            variants,
            in_flight_at_end,
            events: w.events,
        }
    }

    /// Total cost, or `None` if any variant's price is unknown.
    pub fn cost_usd(&self) -> Option<f64> {
        self.variants.iter().map(|v| v.cost_usd).sum()
    }

    pub fn instance_hours(&self) -> f64 {
        self.variants.iter().map(|v| v.instance_hours).sum()
    }

    /// Number of requests that left the system one way or another.
    pub fn accounted(&self) -> u64 {
        let t = &self.totals;
        t.completed + t.errors_4xx + t.errors_5xx + t.timed_out + t.rejected_backlog_full + t.rejected_no_capacity
    }
}
