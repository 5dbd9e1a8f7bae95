//! CloudWatch datapoints of the serverless metrics (docs/semantics/serverless.md §4), from the serverless ticks.
//!
//! A datapoint of period `P` ending at `t` aggregates the ticks ending in `(t - P, t]`, like
//! every other metric (`observe.rs`). Sampled metrics (utilisations, PC executions) give one
//! sample per tick; the invocation counts behave like `Invocations` (each request emits 1);
//! `ModelSetupTime` has one sample per cold start.

use super::observe::{agg_stat, zero_one};
use crate::autoscaling::alarm::Statistic;
use crate::engine::{SimDuration, SimTime};
use crate::model::metrics::{Agg, MetricName, Recorder, ServerlessTick};

/// The datapoint of serverless metric `name`, or `None` when CloudWatch would have none (the
/// endpoint is not serverless, no tick in the window, or no sample of the metric).
pub fn datapoint(rec: &Recorder, name: MetricName, stat: &Statistic, end: SimTime, period: SimDuration) -> Option<f64> {
    let start = SimTime(end.0.saturating_sub(period.0));
    let ticks: Vec<&ServerlessTick> = rec
        .serverless()?
        .history()
        .iter()
        .filter(|t| t.end > start && t.end <= end)
        .collect();
    if ticks.is_empty() {
        return None;
    }
    let sampled = |f: &dyn Fn(&ServerlessTick) -> Option<f64>| {
        let mut a = Agg::default();
        for t in &ticks {
            if let Some(x) = f(t) {
                a.add(x);
            }
        }
        agg_stat(stat, &a)
    };
    match name {
        MetricName::ServerlessConcurrentExecutionsUtilization => sampled(&|t| Some(t.utilization())),
        MetricName::ServerlessProvisionedConcurrencyExecutions => sampled(&|t| Some(f64::from(t.sample.pc_busy))),
        MetricName::ServerlessProvisionedConcurrencyUtilization => sampled(&ServerlessTick::pc_utilization),
        MetricName::ServerlessProvisionedConcurrencyInvocations => {
            let n: u64 = ticks.iter().map(|t| t.pc_invocations).sum();
            zero_one(stat, n, n)
        }
        MetricName::ServerlessProvisionedConcurrencySpilloverInvocations => {
            let n: u64 = ticks.iter().map(|t| t.spillover).sum();
            zero_one(stat, n, n)
        }
        MetricName::ModelSetupTime => {
            let mut a = Agg::default();
            for t in &ticks {
                a.merge(&t.setup);
            }
            agg_stat(stat, &a)
        }
        _ => None,
    }
}
