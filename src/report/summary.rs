//! `summary.json`: totals and percentiles of a run.
//!
//! Definitions: `latency_ms` is end to end (backlog wait + model latency + fixed overhead) over
//! completed (2XX) requests; `wait_ms.mean` is the mean backlog wait over requests that got a
//! worker slot (zero waits included) and `wait_ms.p_wait` the fraction of them that waited.
//! On an asynchronous endpoint "latency" is the time from `InvokeEndpointAsync` to the end of
//! processing (queue time included).

use super::format::round;
use crate::model::ActivityKind;
use crate::sim::{EndpointKind, RunResult};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    /// `RealTime` or `Async`.
    pub endpoint: &'static str,
    pub duration_s: f64,
    pub requests: Requests,
    pub latency_ms: Latency,
    pub wait_ms: Wait,
    pub capacity: Capacity,
    /// Total cost [USD]; null when some instance price is unknown.
    pub cost_usd: Option<f64>,
    /// Capacity changes (desired count set by a policy, a schedule or an update).
    pub scaling_activities: usize,
    /// The scenario's latency objective and whether the run met it; null without one.
    pub slo: Option<SloSummary>,
    /// Filled once deployments exist; null for runs without one.
    pub deployment: Option<serde_json::Value>,
    pub variants: Vec<VariantSummary>,
}

#[derive(Debug, Serialize)]
pub struct Requests {
    pub arrived: u64,
    pub completed: u64,
    pub errors_4xx: u64,
    pub errors_5xx: u64,
    /// Real-time: waited in the backlog past the invocation timeout.
    pub timed_out: u64,
    /// Asynchronous: still queued when the request time-to-live ran out (`ExpiredRequests`).
    pub expired: u64,
    /// Backlog full plus no instance in service.
    pub rejected: u64,
    pub rejected_backlog_full: u64,
    pub rejected_no_capacity: u64,
    pub in_flight_at_end: u64,
}

#[derive(Debug, Serialize)]
pub struct Latency {
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub p99: Option<f64>,
    pub p999: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Wait {
    pub mean: Option<f64>,
    pub p_wait: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Capacity {
    pub min_in_service: u32,
    pub max_in_service: u32,
    pub mean_in_service: f64,
    pub instance_hours: f64,
}

/// `met`: the run's end-to-end latency at `percentile` (over completed requests) is at most
/// `latency_ms`; false when no request completed.
#[derive(Debug, Serialize)]
pub struct SloSummary {
    pub percentile: f64,
    pub latency_ms: f64,
    pub met: bool,
}

#[derive(Debug, Serialize)]
pub struct VariantSummary {
    pub name: String,
    pub instance_type: String,
    pub price_per_hour_usd: Option<f64>,
    pub instance_hours: f64,
    pub cost_usd: Option<f64>,
}

/// Builds the summary of a run.
pub fn summary(r: &RunResult) -> Summary {
    let t = &r.totals;
    let h = &t.latency;
    let n = h.len();
    let q = |p: f64| (n > 0).then(|| round(h.value_at_quantile(p) as f64 / 1000.0, 3));
    let duration_us = r.duration.0 as f64;
    let is_async = r.kind == EndpointKind::Async;
    Summary {
        scenario: r.name.clone(),
        seed: r.seed,
        endpoint: match r.kind {
            EndpointKind::RealTime => "RealTime",
            EndpointKind::Async => "Async",
        },
        duration_s: r.duration.as_secs_f64(),
        requests: Requests {
            arrived: t.arrived,
            completed: t.completed,
            errors_4xx: t.errors_4xx,
            errors_5xx: t.errors_5xx,
            // The simulator counts both as requests that left the queue unserved.
            timed_out: if is_async { 0 } else { t.timed_out },
            expired: if is_async { t.timed_out } else { 0 },
            rejected: t.rejected_backlog_full + t.rejected_no_capacity,
            rejected_backlog_full: t.rejected_backlog_full,
            rejected_no_capacity: t.rejected_no_capacity,
            in_flight_at_end: r.in_flight_at_end,
        },
        latency_ms: Latency {
            mean: (n > 0).then(|| round(t.latency_sum_us as f64 / n as f64 / 1000.0, 3)),
            p50: q(0.50),
            p90: q(0.90),
            p99: q(0.99),
            p999: q(0.999),
            max: (n > 0).then(|| round(h.max() as f64 / 1000.0, 3)),
        },
        wait_ms: Wait {
            mean: (t.served > 0).then(|| round(t.wait_sum_us as f64 / t.served as f64 / 1000.0, 3)),
            p_wait: (t.served > 0).then(|| round(t.waited as f64 / t.served as f64, 6)),
        },
        capacity: Capacity {
            min_in_service: if t.min_in_service == u32::MAX {
                0
            } else {
                t.min_in_service
            },
            max_in_service: t.max_in_service,
            mean_in_service: round(
                t.in_service.area_at(crate::engine::SimTime(r.duration.0)) as f64 / duration_us.max(1.0),
                4,
            ),
            instance_hours: round(r.instance_hours(), 4),
        },
        cost_usd: r.cost_usd().map(|c| round(c, 4)),
        scaling_activities: r
            .activities
            .iter()
            .filter(|a| a.kind == ActivityKind::CapacityChange)
            .count(),
        slo: r.slo.map(|slo| SloSummary {
            percentile: slo.percentile,
            latency_ms: round(slo.latency.0 as f64 / 1000.0, 3),
            // Compared in microseconds, the histogram's unit, so no rounding decides it.
            met: n > 0 && h.value_at_quantile(slo.percentile / 100.0) <= slo.latency.0,
        }),
        deployment: None,
        variants: r
            .variants
            .iter()
            .map(|v| VariantSummary {
                name: v.name.clone(),
                instance_type: v.instance_type.clone(),
                price_per_hour_usd: v.price_per_hour_usd,
                instance_hours: round(v.instance_hours, 4),
                cost_usd: v.cost_usd.map(|c| round(c, 4)),
            })
            .collect(),
    }
}
