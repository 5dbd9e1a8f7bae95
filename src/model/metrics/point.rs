//! Closed datapoints: what one metrics period looked like, per variant and for the endpoint.
//!
//! Periods are the rows of `timeseries.csv`; base points (one per sampling tick) are what
//! alarm datapoints are aggregated from.

use super::{Counters, InstanceCounts};
use crate::engine::{SimDuration, SimTime};

/// Count, sum, minimum and maximum of samples: the CloudWatch statistics that aggregate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Agg {
    pub n: u64,
    pub sum: f64,
    min: f64,
    max: f64,
}

impl Default for Agg {
    fn default() -> Self {
        Agg {
            n: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Agg {
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// The statistics of `n` samples (at least one) with this sum, minimum and maximum.
    pub fn of(n: u64, sum: f64, min: f64, max: f64) -> Agg {
        Agg { n, sum, min, max }
    }

    pub fn merge(&mut self, o: &Agg) {
        self.n += o.n;
        self.sum += o.sum;
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
    }

    pub fn min(&self) -> Option<f64> {
        (self.n > 0).then_some(self.min)
    }

    pub fn max(&self) -> Option<f64> {
        (self.n > 0).then_some(self.max)
    }

    pub fn average(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }
}

/// One high-resolution tick (10 s by default) of one variant: the raw material of every
/// CloudWatch datapoint an alarm evaluates, aggregated over as many ticks as its period spans.
#[derive(Clone, Debug, PartialEq)]
pub struct BasePoint {
    /// End of the tick.
    pub end: SimTime,
    pub length: SimDuration,
    pub requests: Counters,
    pub invocations_per_instance: f64,
    pub model_latency: Agg,
    pub overhead_latency: Agg,
    /// Busy worker slots of in-service instances, integrated [slots x µs].
    pub busy_area: u128,
    /// Worker slots of in-service instances, integrated [slots x µs].
    pub slot_area: u128,
    /// In-service instances, integrated [instances x µs].
    pub in_service_area: u128,
    pub vcpus: u32,
    /// `ConcurrentRequestsPerModel` sampled at `end`.
    pub concurrency: Option<f64>,
    /// Requests waiting at `end`, and the most during the tick.
    pub backlog: u64,
    pub backlog_max: u64,
    /// In-service instances at `end`.
    pub in_service: u32,
    /// `ApproximateBacklogSize` sampled at `end`: requests waiting, plus (asynchronous
    /// endpoints) requests being processed.
    pub queued: u64,
    /// `ApproximateAgeOfOldestRequest` sampled at `end`: how long the oldest waiting request
    /// has waited \[µs\]; 0 when none waits.
    pub oldest_wait_us: u64,
}

/// What the world samples at the end of a tick, per variant.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TickSample {
    /// `ConcurrentRequestsPerModel`; `None` when no instance is in service.
    pub concurrency: Option<f64>,
    pub in_service: u32,
    /// See [`BasePoint::queued`].
    pub queued: u64,
    /// See [`BasePoint::oldest_wait_us`].
    pub oldest_wait_us: u64,
}

/// What the world samples at the end of a metrics period, per series.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PeriodSample {
    pub instances: InstanceCounts,
    /// The variant's desired instance count; 0 for a configuration series, which has none of
    /// its own.
    pub desired: u32,
}

/// Summary statistics of a latency-like metric within one period \[µs\].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LatencyStats {
    pub sample_count: u64,
    pub sum: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// `(percentile, value)` for the configured percentiles, e.g. `(99.0, 120000.0)`.
    pub percentiles: Vec<(f64, f64)>,
}

impl LatencyStats {
    pub fn average(&self) -> Option<f64> {
        (self.sample_count > 0).then(|| self.sum / self.sample_count as f64)
    }

    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.sample_count == 0 {
            return None;
        }
        self.percentiles
            .iter()
            .find(|(q, _)| (q - p).abs() < 1e-9)
            .map(|(_, v)| *v)
    }
}

/// One period of one variant, CloudWatch style.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VariantPoint {
    /// The period's requests by outcome (each counter a CloudWatch `Sum`).
    pub requests: Counters,
    /// `InvocationsPerInstance` (Sum): each request adds `1/N`, `N` in service at its arrival.
    pub invocations_per_instance: f64,
    pub model_latency: LatencyStats,
    pub overhead_latency: LatencyStats,
    /// `CPUUtilization` (Average over in-service instances): busy slots over slots, times
    /// 100 x vCPUs; `None` when no instance was in service.
    pub cpu_utilization: Option<f64>,
    /// `ConcurrentRequestsPerModel` (Average of the high-resolution samples in the period):
    /// in-flight plus waiting requests per in-service instance.
    pub concurrent_requests_per_model: Option<f64>,
    /// Instances at the end of the period, by state.
    pub instances: InstanceCounts,
    /// Time-weighted mean of in-service instances over the period.
    pub mean_in_service: f64,
    pub desired: u32,
    pub backlog_end: u64,
    pub backlog_max: u64,
    /// Instance-hours billed in this period.
    pub instance_hours: f64,
    /// Cost accrued in this period \[USD\]; `None` when the instance price is unknown.
    pub cost_usd: Option<f64>,
}

/// One period of the whole endpoint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointPoint {
    /// Start of the period [µs since run start].
    pub start_us: u64,
    /// Length of the period \[µs\] (the last one may be short).
    pub length_us: u64,
    pub arrivals: u64,
    /// End-to-end latency of requests completed in the period \[µs\].
    pub latency: LatencyStats,
    pub variants: Vec<VariantPoint>,
    /// Endpoint-configuration series (per variant and model version), present only for
    /// variants with deployments, in the order they were added.
    pub configs: Vec<VariantPoint>,
}
