//! What the recorder accumulates for one series (a variant or an endpoint configuration): the
//! open tick's counters, latencies and gauges, the period's closed ticks folded together, and
//! the recent ticks alarms read.

use super::latency::LatencyAcc;
use super::{Agg, BasePoint, Counters, Gauge, PeriodSample, TickSample, VariantFacts, VariantPoint};
use crate::engine::{SimDuration, SimTime};
use crate::model::VariantId;
use std::collections::VecDeque;

/// Billed instance-microseconds in an instance-hour.
const US_PER_HOUR: f64 = 3.6e9;

/// Billed instance-hours of a billed-instance integral [instances x µs].
pub(super) fn instance_hours(billed_area: u128) -> f64 {
    billed_area as f64 / US_PER_HOUR
}

#[derive(Debug)]
pub(super) struct SeriesMetrics {
    pub(super) facts: VariantFacts,
    /// For a configuration series, the variant it belongs to. A request of a configuration is
    /// recorded in the configuration's accumulators only (its variant's `InvocationsPerInstance`
    /// excepted, see [`Recorder::invocation`](super::Recorder::invocation)); the variant's
    /// tick adds its configurations' ticks in when it closes. Every such field is an integer or
    /// an exact sum of integers, so the variant's numbers are the same as if each request were
    /// recorded twice.
    pub(super) parent: Option<VariantId>,
    pub(super) busy: Gauge,
    slots: Gauge,
    in_service: Gauge,
    pub(super) billed: Gauge,
    busy_at_tick_start: u128,
    slots_at_tick_start: u128,
    in_service_at_tick_start: u128,
    billed_at_period_start: u128,
    /// Requests waiting now.
    backlog: u64,
    // The open tick's accumulators (hot path).
    pub(super) requests: Counters,
    pub(super) invocations_per_instance: f64,
    pub(super) model_latency: LatencyAcc,
    pub(super) overhead_latency: LatencyAcc,
    /// The most requests waiting during the open tick.
    backlog_max: u64,
    /// The closed ticks of the current period, folded.
    fold: Fold,
    /// The most recent closed ticks, oldest first (alarms read these).
    pub(super) history: VecDeque<BasePoint>,
}

impl SeriesMetrics {
    pub(super) fn new(facts: VariantFacts, parent: Option<VariantId>) -> Self {
        SeriesMetrics {
            facts,
            parent,
            busy: Gauge::default(),
            slots: Gauge::default(),
            in_service: Gauge::default(),
            billed: Gauge::default(),
            busy_at_tick_start: 0,
            slots_at_tick_start: 0,
            in_service_at_tick_start: 0,
            billed_at_period_start: 0,
            backlog: 0,
            requests: Counters::default(),
            invocations_per_instance: 0.0,
            model_latency: LatencyAcc::new(true),
            overhead_latency: LatencyAcc::new(false),
            backlog_max: 0,
            fold: Fold::default(),
            history: VecDeque::new(),
        }
    }

    /// `len` requests wait now.
    #[inline]
    pub(super) fn set_backlog(&mut self, len: u64) {
        self.backlog = len;
        self.backlog_max = self.backlog_max.max(len);
    }

    /// `in_service` instances with `slots` worker slots are in service from `now`.
    pub(super) fn set_capacity(&mut self, now: SimTime, in_service: u32, slots: u32) {
        self.in_service.set(now, u64::from(in_service));
        self.slots.set(now, u64::from(slots));
    }

    /// Ends the tick of `length` ending at `now`, which `sample` describes: returns its base
    /// point and opens the next tick.
    pub(super) fn close_tick(&mut self, now: SimTime, length: SimDuration, sample: &TickSample) -> BasePoint {
        let busy = self.busy.area_at(now);
        let slots = self.slots.area_at(now);
        let in_service = self.in_service.area_at(now);
        let point = BasePoint {
            end: now,
            length,
            requests: std::mem::take(&mut self.requests),
            invocations_per_instance: std::mem::take(&mut self.invocations_per_instance),
            model_latency: self.model_latency.close_tick(),
            overhead_latency: self.overhead_latency.close_tick(),
            busy_area: busy - self.busy_at_tick_start,
            slot_area: slots - self.slots_at_tick_start,
            in_service_area: in_service - self.in_service_at_tick_start,
            vcpus: self.facts.vcpus,
            concurrency: sample.concurrency,
            backlog: self.backlog,
            backlog_max: self.backlog_max,
            in_service: sample.in_service,
            queued: sample.queued,
            oldest_wait_us: sample.oldest_wait_us,
        };
        self.busy_at_tick_start = busy;
        self.slots_at_tick_start = slots;
        self.in_service_at_tick_start = in_service;
        self.backlog_max = self.backlog;
        point
    }

    /// Folds the closed tick `point` into the period and keeps it among the last
    /// `history_len` ticks.
    pub(super) fn keep_tick(&mut self, point: BasePoint, history_len: usize) {
        self.fold.add(&point);
        if history_len > 0 {
            if self.history.len() == history_len {
                self.history.pop_front();
            }
            self.history.push_back(point);
        }
    }

    /// Ends the period of `length_us` ending at `now` (its last tick already closed), which
    /// `sample` describes: returns its point and opens the next period.
    pub(super) fn close_period(
        &mut self,
        now: SimTime,
        length_us: u64,
        percentiles: &[f64],
        sample: &PeriodSample,
    ) -> VariantPoint {
        let f = std::mem::take(&mut self.fold);
        let billed = self.billed.area_at(now) - self.billed_at_period_start;
        self.billed_at_period_start += billed;
        let instance_hours = instance_hours(billed);
        VariantPoint {
            requests: f.requests,
            invocations_per_instance: f.invocations_per_instance,
            model_latency: self.model_latency.close_period(&f.model_latency, percentiles, None),
            overhead_latency: self
                .overhead_latency
                .close_period(&f.overhead_latency, percentiles, None),
            cpu_utilization: (f.slot_area > 0)
                .then(|| f.busy_area as f64 / f.slot_area as f64 * 100.0 * f64::from(self.facts.vcpus)),
            concurrent_requests_per_model: (f.concurrency_samples > 0)
                .then(|| f.concurrency_sum / f64::from(f.concurrency_samples)),
            instances: sample.instances,
            mean_in_service: if length_us > 0 {
                f.in_service_area as f64 / length_us as f64
            } else {
                0.0
            },
            desired: sample.desired,
            backlog_end: self.backlog,
            backlog_max: f.backlog_max,
            instance_hours,
            cost_usd: self.facts.price_per_hour_usd.map(|p| p * instance_hours),
        }
    }
}

/// Closed ticks of one period, folded together.
#[derive(Debug, Default)]
struct Fold {
    requests: Counters,
    invocations_per_instance: f64,
    model_latency: Agg,
    overhead_latency: Agg,
    busy_area: u128,
    slot_area: u128,
    in_service_area: u128,
    /// Sum and number of the ticks' `ConcurrentRequestsPerModel` samples.
    concurrency_sum: f64,
    concurrency_samples: u32,
    backlog_max: u64,
}

impl Fold {
    fn add(&mut self, b: &BasePoint) {
        self.requests += b.requests;
        self.invocations_per_instance += b.invocations_per_instance;
        self.model_latency.merge(&b.model_latency);
        self.overhead_latency.merge(&b.overhead_latency);
        self.busy_area += b.busy_area;
        self.slot_area += b.slot_area;
        self.in_service_area += b.in_service_area;
        if let Some(c) = b.concurrency {
            self.concurrency_sum += c;
            self.concurrency_samples += 1;
        }
        self.backlog_max = self.backlog_max.max(b.backlog_max);
    }
}
