//! A load test's minute as its stopping conditions see it: the endpoint's invocations, failed
//! invocations and `ModelLatency` over one metrics period, with the users the load generator
//! ran. The World builds each minute here as it closes; `fleetsim loadtest` reads the same
//! minutes from the run's result.

use super::pool::UserPoint;
use crate::model::metrics::EndpointPoint;
use crate::model::workload::MinuteStats;

/// The minute of metrics period `p` with its users' period `users` (absent before the test
/// starts); `threshold`: the latency threshold's percentile, when there is one.
pub(in crate::sim) fn minute_stats(
    p: &EndpointPoint,
    users: Option<&UserPoint>,
    threshold: Option<f64>,
) -> MinuteStats {
    let mut row = MinuteStats {
        users: users.map_or(0, |u| u.users),
        ..MinuteStats::default()
    };
    let (mut latency_sum, mut latency_n) = (0.0, 0u64);
    for v in &p.variants {
        let c = &v.requests;
        row.invocations += c.invocations;
        row.failures += c.errors_4xx + c.errors_5xx + c.timed_out + c.rejected_backlog_full + c.rejected_no_capacity;
        latency_sum += v.model_latency.sum;
        latency_n += v.model_latency.sample_count;
        // Several variants: the worst variant's percentile is the one a threshold sees.
        if let Some(q) = threshold.and_then(|q| v.model_latency.percentile(q)) {
            row.latency_at_threshold_us = Some(row.latency_at_threshold_us.map_or(q, |x: f64| x.max(q)));
        }
    }
    row.model_latency_mean_us = (latency_n > 0).then(|| latency_sum / latency_n as f64);
    row
}
