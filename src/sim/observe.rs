//! Observation: CloudWatch datapoints computed from the model's base points, the way an alarm
//! or a scaling policy sees them.
//!
//! A datapoint of period `P` ending at `t` aggregates the sampling ticks that end in
//! `(t - P, t]`. Percentile statistics need the period histogram, so they are available only
//! when `P` equals the metrics period (the datapoint is then a closed metrics period).

use crate::autoscaling::alarm::Statistic;
use crate::engine::{SimDuration, SimTime};
use crate::model::metrics::{Agg, BasePoint, Counters, EndpointPoint, MetricName, Recorder};
use crate::model::VariantId;

/// Which requests and instances a metric covers (CloudWatch dimensions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    /// `EndpointName` only: every variant.
    Endpoint,
    /// `EndpointName` + `VariantName`.
    Variant(VariantId),
    /// `EndpointName` + `VariantName` + `EndpointConfigName`: the fleet of one endpoint
    /// configuration (the metrics recorder's series index, after the variants).
    Config(usize),
}

/// One tick of a dimension: a variant's base point, or the variants' points combined.
struct Tick {
    requests: Counters,
    ipi: f64,
    model_latency: Agg,
    overhead_latency: Agg,
    /// Sum over variants of busy/slots x 100 x vCPUs weighted by in-service instance time.
    cpu_weighted: f64,
    /// In-service instance time [instances x µs].
    instance_time: f64,
    /// `ConcurrentRequestsPerModel` x in-service instances (to weight across variants).
    concurrency_weighted: f64,
    concurrency_present: bool,
    queued: u64,
    oldest_wait_us: u64,
    in_service: u32,
}

impl Tick {
    fn from_points(points: &[&BasePoint]) -> Tick {
        let mut t = Tick {
            requests: Counters::default(),
            ipi: 0.0,
            model_latency: Agg::default(),
            overhead_latency: Agg::default(),
            cpu_weighted: 0.0,
            instance_time: 0.0,
            concurrency_weighted: 0.0,
            concurrency_present: false,
            queued: 0,
            oldest_wait_us: 0,
            in_service: 0,
        };
        for b in points {
            t.requests += b.requests;
            t.ipi += b.invocations_per_instance;
            t.model_latency.merge(&b.model_latency);
            t.overhead_latency.merge(&b.overhead_latency);
            if b.slot_area > 0 {
                let util = b.busy_area as f64 / b.slot_area as f64 * 100.0 * f64::from(b.vcpus);
                t.cpu_weighted += util * b.in_service_area as f64;
                t.instance_time += b.in_service_area as f64;
            }
            if let Some(c) = b.concurrency {
                t.concurrency_weighted += c * f64::from(b.in_service);
                t.concurrency_present = true;
            }
            t.queued += b.queued;
            t.oldest_wait_us = t.oldest_wait_us.max(b.oldest_wait_us);
            t.in_service += b.in_service;
        }
        t
    }

    fn cpu(&self) -> Option<f64> {
        (self.instance_time > 0.0).then(|| self.cpu_weighted / self.instance_time)
    }

    fn concurrency(&self) -> Option<f64> {
        (self.concurrency_present && self.in_service > 0)
            .then(|| self.concurrency_weighted / f64::from(self.in_service))
    }

    /// The tick's sample of a sampled metric.
    fn sample(&self, name: MetricName) -> Option<f64> {
        match name {
            // A component's copies are its series' instances.
            MetricName::ConcurrentRequestsPerModel | MetricName::ConcurrentRequestsPerCopy => self.concurrency(),
            MetricName::ApproximateBacklogSize => Some(self.queued as f64),
            MetricName::ApproximateBacklogSizePerInstance => {
                Some(self.queued as f64 / f64::from(self.in_service.max(1)))
            }
            MetricName::HasBacklogWithoutCapacity => Some(if self.queued > 0 && self.in_service == 0 {
                1.0
            } else {
                0.0
            }),
            MetricName::ApproximateAgeOfOldestRequest => Some(self.oldest_wait_us as f64 / 1e6),
            _ => None,
        }
    }
}

/// Statistics of a metric where every request emits 1 (`hits`) or 0 (`samples - hits`).
pub(super) fn zero_one(stat: &Statistic, samples: u64, hits: u64) -> Option<f64> {
    let n = samples as f64;
    let h = hits as f64;
    Some(match stat {
        Statistic::Sum => h,
        Statistic::SampleCount => n,
        Statistic::Average => {
            if samples == 0 {
                0.0
            } else {
                h / n
            }
        }
        Statistic::Minimum => {
            if samples > 0 && hits == samples {
                1.0
            } else {
                0.0
            }
        }
        Statistic::Maximum => {
            if hits > 0 {
                1.0
            } else {
                0.0
            }
        }
        Statistic::Percentile(p) => {
            // The p-th percentile of a 0/1 sample is 1 once more than (100 - p) % are ones.
            if samples > 0 && h / n > 1.0 - p / 100.0 {
                1.0
            } else {
                0.0
            }
        }
    })
}

pub(super) fn agg_stat(stat: &Statistic, a: &Agg) -> Option<f64> {
    match stat {
        Statistic::Sum => (a.n > 0).then_some(a.sum),
        Statistic::SampleCount => (a.n > 0).then_some(a.n as f64),
        Statistic::Average => a.average(),
        Statistic::Minimum => a.min(),
        Statistic::Maximum => a.max(),
        Statistic::Percentile(_) => None,
    }
}

/// The datapoint of `name` with statistic `stat` over the period of length `period` ending at
/// `end`, or `None` when CloudWatch would have no data for it.
pub fn datapoint(
    rec: &Recorder,
    dim: Dimension,
    name: MetricName,
    stat: &Statistic,
    end: SimTime,
    period: SimDuration,
) -> Option<f64> {
    if name.serverless_only() {
        return super::serverless_observe::datapoint(rec, name, stat, end, period);
    }
    let start = SimTime(end.0.saturating_sub(period.0));
    // Recorder series indices: a variant's series is at its own index.
    let variants: Vec<usize> = match dim {
        Dimension::Endpoint => (0..rec.production_count()).collect(),
        Dimension::Variant(v) => vec![usize::from(v)],
        Dimension::Config(c) => vec![c],
    };
    // Ticks of the first variant fix the tick ends; every variant closes ticks together.
    let ends: Vec<SimTime> = rec
        .history(variants[0])
        .iter()
        .filter(|b| b.end > start && b.end <= end)
        .map(|b| b.end)
        .collect();
    if ends.is_empty() {
        return None;
    }
    let mut ticks: Vec<Tick> = ends
        .iter()
        .map(|e| {
            let pts: Vec<&BasePoint> = variants
                .iter()
                .filter_map(|v| rec.history(*v).iter().find(|b| b.end == *e))
                .collect();
            Tick::from_points(&pts)
        })
        .collect();
    if matches!(dim, Dimension::Config(_)) {
        // A configuration's metrics exist only while its fleet serves (docs/semantics/rollouts.md §4.2):
        // before green takes traffic, or after it is gone, CloudWatch has no datapoint.
        ticks.retain(|t| t.requests.invocations > 0 || t.in_service > 0);
        if ticks.is_empty() {
            return None;
        }
    }
    match name {
        MetricName::Invocations
        | MetricName::Invocation4XXErrors
        | MetricName::Invocation5XXErrors
        | MetricName::NoCapacityInvocationFailures
        | MetricName::ExpiredRequests => {
            let requests: Counters = ticks.iter().map(|t| t.requests).sum();
            zero_one(stat, requests.samples(name)?, requests.get(name)?)
        }
        MetricName::InvocationsPerInstance | MetricName::InvocationsPerCopy => {
            let n: u64 = ticks.iter().map(|t| t.requests.invocations).sum();
            let s: f64 = ticks.iter().map(|t| t.ipi).sum();
            match stat {
                Statistic::Sum => Some(s),
                Statistic::SampleCount => Some(n as f64),
                Statistic::Average => Some(if n == 0 { 0.0 } else { s / n as f64 }),
                _ => None,
            }
        }
        MetricName::ModelLatency | MetricName::OverheadLatency => {
            if let Statistic::Percentile(p) = stat {
                return percentile(rec, dim, name, *p, end, period);
            }
            let mut a = Agg::default();
            for t in &ticks {
                a.merge(if name == MetricName::ModelLatency {
                    &t.model_latency
                } else {
                    &t.overhead_latency
                });
            }
            agg_stat(stat, &a)
        }
        MetricName::CPUUtilization => {
            let weighted: f64 = ticks.iter().map(|t| t.cpu_weighted).sum();
            let time: f64 = ticks.iter().map(|t| t.instance_time).sum();
            if time <= 0.0 {
                return None;
            }
            let avg = weighted / time;
            // One datapoint per instance per minute: instance-minutes of the period.
            let samples = time / 60e6;
            match stat {
                Statistic::Average => Some(avg),
                Statistic::SampleCount => Some(samples),
                Statistic::Sum => Some(avg * samples),
                Statistic::Minimum => ticks.iter().filter_map(Tick::cpu).reduce(f64::min),
                Statistic::Maximum => ticks.iter().filter_map(Tick::cpu).reduce(f64::max),
                Statistic::Percentile(_) => None,
            }
        }
        MetricName::ConcurrentRequestsPerModel
        | MetricName::ConcurrentRequestsPerCopy
        | MetricName::ApproximateBacklogSize
        | MetricName::ApproximateBacklogSizePerInstance
        | MetricName::HasBacklogWithoutCapacity
        | MetricName::ApproximateAgeOfOldestRequest => {
            let mut a = Agg::default();
            for t in &ticks {
                if let Some(x) = t.sample(name) {
                    a.add(x);
                }
            }
            agg_stat(stat, &a)
        }
        // Answered from the serverless ticks above.
        MetricName::ServerlessConcurrentExecutionsUtilization
        | MetricName::ServerlessProvisionedConcurrencyExecutions
        | MetricName::ServerlessProvisionedConcurrencyUtilization
        | MetricName::ServerlessProvisionedConcurrencyInvocations
        | MetricName::ServerlessProvisionedConcurrencySpilloverInvocations
        | MetricName::ModelSetupTime => None,
    }
}

/// The in-service units that carried the datapoint of `name` over the period of length
/// `period` ending at `end`, for series `v` (a variant, a configuration or a component's copies):
/// the `capacity_basis` of a target tracking proposal. `None` when no tick of the series ends in
/// the period.
///
/// Instances that come into service at the period's end, or late in it, count only for the
/// share of the datapoint they carried:
/// - invocations per instance (per copy) add `1 / N` per request, `N` being the in-service
///   count the request met; the basis is `Invocations / InvocationsPerInstance`, the count that
///   spreads the period's invocations as the datapoint did, so `basis x metric / target` is
///   exactly the period's invocations over the target;
/// - a sampled metric (concurrency, backlog per instance) is read at the sampling ticks' ends,
///   each sample divided by the count in service then; the newest sample weighs most in what
///   the policy reacts to, so the basis is the in-service count at the datapoint's end (the
///   rule the bundled asynchronous scale-from-zero timeline is pinned to);
/// - any other metric (CPU, latency) was carried by every instance for the time it was in
///   service: the basis is the time-weighted mean in-service count.
pub fn capacity_basis(
    rec: &Recorder,
    v: VariantId,
    name: MetricName,
    end: SimTime,
    period: SimDuration,
) -> Option<f64> {
    let start = SimTime(end.0.saturating_sub(period.0));
    let (mut ticks, mut length, mut area, mut at_end) = (0u64, 0u128, 0u128, 0u32);
    let (mut invocations, mut ipi) = (0u64, 0.0f64);
    for b in rec.variant_history(v).iter().filter(|b| b.end > start && b.end <= end) {
        ticks += 1;
        length += u128::from(b.length.0);
        area += b.in_service_area;
        at_end = b.in_service;
        invocations += b.requests.invocations;
        ipi += b.invocations_per_instance;
    }
    if ticks == 0 {
        return None;
    }
    if matches!(
        name,
        MetricName::InvocationsPerInstance | MetricName::InvocationsPerCopy
    ) && ipi > 0.0
    {
        return Some(invocations as f64 / ipi);
    }
    let sampled = matches!(
        name,
        MetricName::ConcurrentRequestsPerModel
            | MetricName::ConcurrentRequestsPerCopy
            | MetricName::ApproximateBacklogSize
            | MetricName::ApproximateBacklogSizePerInstance
            | MetricName::HasBacklogWithoutCapacity
            | MetricName::ApproximateAgeOfOldestRequest
    );
    Some(if sampled || length == 0 {
        f64::from(at_end)
    } else {
        area as f64 / length as f64
    })
}

/// A latency percentile, from the closed metrics period that ends at `end` (only when the
/// datapoint's period is the metrics period).
fn percentile(
    rec: &Recorder,
    dim: Dimension,
    name: MetricName,
    p: f64,
    end: SimTime,
    period: SimDuration,
) -> Option<f64> {
    let point: &EndpointPoint = rec
        .points()
        .iter()
        .rev()
        .find(|pt| pt.start_us + pt.length_us == end.0 && pt.length_us == period.0)?;
    let series = match dim {
        Dimension::Variant(v) => &point.variants[usize::from(v)],
        Dimension::Config(c) => point.configs.get(c.checked_sub(point.variants.len())?)?,
        Dimension::Endpoint if point.variants.len() == 1 => &point.variants[0],
        Dimension::Endpoint => return None,
    };
    let stats = if name == MetricName::ModelLatency {
        &series.model_latency
    } else {
        &series.overhead_latency
    };
    stats.percentile(p)
}
