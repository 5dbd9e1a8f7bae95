//! CloudWatch-style metrics: per-period datapoints per variant and for the endpoint, plus run
//! totals.
//!
//! Latency percentiles come from HDR histograms (3 significant digits, `histogram.rs`), never from stored
//! samples, so memory stays flat however many requests a run sees. Time-weighted quantities
//! (busy slots, in-service instances, billed instances) are exact integer integrals.
//!
//! The [`Recorder`] keeps one series per variant and per endpoint configuration
//! (`series_metrics.rs`), addressed by a [`Series`]; requests are counted in [`Counters`],
//! instances in [`InstanceCounts`]; closed ticks and periods are the points of `point.rs`, run
//! totals the [`Totals`].

mod counters;
mod gauge;
mod histogram;
mod instance_counts;
mod latency;
mod name;
mod point;
mod recorder;
mod series;
mod series_metrics;
mod serverless;
mod totals;

pub use counters::Counters;
pub use gauge::Gauge;
pub use histogram::{LatencyHistogram, HIST_MAX_US};
pub use instance_counts::InstanceCounts;
pub use name::MetricName;
pub use point::{Agg, BasePoint, EndpointPoint, LatencyStats, PeriodSample, TickSample, VariantPoint};
pub use recorder::Recorder;
pub use series::Series;
pub use serverless::{
    ServerlessMetrics, ServerlessPoint, ServerlessPrices, ServerlessSample, ServerlessTick, ServerlessTotals,
};
pub use totals::Totals;

use crate::engine::SimDuration;

/// What the recorder is asked to keep.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricsConfig {
    /// CloudWatch period of standard metrics (default 60 s).
    pub period: SimDuration,
    /// Sampling interval of high-resolution metrics (default 10 s); divides `period`.
    pub high_resolution_period: SimDuration,
    /// Percentiles computed for every period's latency statistics, e.g. `[50, 90, 99]`.
    pub percentiles: Vec<f64>,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            period: SimDuration::from_secs(60),
            high_resolution_period: SimDuration::from_secs(10),
            percentiles: vec![50.0, 90.0, 99.0],
        }
    }
}

/// Static facts about a variant that metrics need.
#[derive(Clone, Debug)]
pub struct VariantFacts {
    pub vcpus: u32,
    pub price_per_hour_usd: Option<f64>,
}
