//! The metrics recorder of one run: the simulation reports every request and capacity change
//! to it, and closes its sampling ticks and metrics periods.

use super::latency::LatencyAcc;
use super::series_metrics::{instance_hours, SeriesMetrics};
use super::{
    Agg, BasePoint, EndpointPoint, MetricsConfig, PeriodSample, Series, ServerlessMetrics, TickSample, Totals,
    VariantFacts, VariantPoint,
};
use crate::engine::{SimDuration, SimTime};
use crate::model::VariantId;
use std::collections::VecDeque;

/// The metrics recorder of one run.
#[derive(Debug)]
pub struct Recorder {
    config: MetricsConfig,
    /// The variants' series, then the configuration series (see [`Series`]): variant `v`'s is
    /// `series[usize::from(v)]`.
    series: Vec<SeriesMetrics>,
    /// How many of `series` are variants.
    variant_count: usize,
    tick_start: SimTime,
    /// How many closed ticks each variant keeps for alarms.
    history_len: usize,
    period_start: SimTime,
    /// Arrivals at the endpoint in the open period.
    arrivals: u64,
    /// End-to-end latency of completed requests (endpoint-wide).
    latency: LatencyAcc,
    /// The closed ticks' end-to-end latency in the open period.
    latency_fold: Agg,
    points: Vec<EndpointPoint>,
    pub totals: Totals,
    /// The shadow variant of a shadow test: its copies are measured in its own series but are
    /// not the endpoint's requests, so they stay out of `totals` and the endpoint latency.
    shadow: Option<VariantId>,
    /// The serverless endpoint's own metrics, when the endpoint is serverless.
    serverless: Option<ServerlessMetrics>,
}

impl Recorder {
    pub fn new(config: MetricsConfig, variants: Vec<VariantFacts>) -> Self {
        let variant_count = variants.len();
        Recorder {
            config,
            series: variants.into_iter().map(|f| SeriesMetrics::new(f, None)).collect(),
            variant_count,
            tick_start: SimTime::ZERO,
            history_len: 0,
            period_start: SimTime::ZERO,
            arrivals: 0,
            latency: LatencyAcc::new(true),
            latency_fold: Agg::default(),
            points: Vec::new(),
            shadow: None,
            serverless: None,
            totals: Totals::new(),
        }
    }

    /// Adds the series of one endpoint configuration of variant `variant`; returns its index
    /// (after the variants). Call before the first tick closes.
    pub fn add_config_series(&mut self, variant: VariantId, facts: VariantFacts) -> usize {
        self.series.push(SeriesMetrics::new(facts, Some(variant)));
        self.series.len() - 1
    }

    /// The series a request is recorded in: its configuration series if it has one (the
    /// variant's tick adds it in at close), else its variant's.
    #[inline(always)]
    fn recorded_in(&mut self, s: Series) -> &mut SeriesMetrics {
        &mut self.series[s.config().unwrap_or(usize::from(s.variant_id()))]
    }

    /// Applies `f` to [`Self::recorded_in`]`(s)`.
    #[inline(always)]
    fn update(&mut self, s: Series, f: impl FnOnce(&mut SeriesMetrics)) {
        f(self.recorded_in(s));
    }

    /// Whether requests of series `s` are the endpoint's own, not a shadow variant's copies:
    /// only those count in the run totals and the endpoint latency.
    #[inline]
    fn is_production(&self, s: Series) -> bool {
        self.shadow != Some(s.variant_id())
    }

    pub fn config(&self) -> &MetricsConfig {
        &self.config
    }

    /// A request arrived at the endpoint.
    #[inline]
    pub fn arrival(&mut self) {
        self.totals.arrived += 1;
        self.arrivals += 1;
    }

    /// A request reached a variant (and fleet), which had `1 / per_instance` in-service
    /// instances.
    #[inline]
    pub fn invocation(&mut self, s: Series, per_instance: f64) {
        // `InvocationsPerInstance` is a float sum: the variant keeps its own, in request order,
        // because a sum of per-configuration sums could differ in the last bit.
        self.series[usize::from(s.variant_id())].invocations_per_instance += per_instance;
        if let Some(c) = s.config() {
            let m = &mut self.series[c];
            m.requests.invocations += 1;
            m.invocations_per_instance += per_instance;
        } else {
            self.series[usize::from(s.variant_id())].requests.invocations += 1;
        }
    }

    /// A request took a worker slot after waiting `wait` (zero if it never queued).
    #[inline]
    pub fn service_start(&mut self, s: Series, now: SimTime, wait: SimDuration, queued: bool) {
        if self.is_production(s) {
            let t = &mut self.totals;
            t.served += 1;
            if queued {
                t.waited += 1;
                t.wait_sum_us += u128::from(wait.0);
            }
        }
        self.update(s, |m| m.busy.add(now, 1));
    }

    /// A request released its slot: `model` is its `ModelLatency`, `overhead` its
    /// `OverheadLatency` (backlog wait plus fixed overhead), `ok` whether it ended 2XX.
    /// `in_service` says whether the instance still counts in per-instance metrics (a draining
    /// instance's busy slots left the CPU gauge when it started draining).
    #[inline(always)]
    pub fn service_end(
        &mut self,
        s: Series,
        now: SimTime,
        model: SimDuration,
        overhead: SimDuration,
        ok: bool,
        in_service: bool,
    ) {
        // Not `update`: as a closure this body stayed a call on the hot path.
        let m = self.recorded_in(s);
        if in_service {
            m.busy.add(now, -1);
        }
        m.model_latency.record(model.0);
        m.overhead_latency.record(overhead.0);
        if ok {
            m.requests.completed += 1;
        } else {
            m.requests.errors_5xx += 1;
        }
        if !self.is_production(s) {
            return;
        }
        if ok {
            let e2e = model.0 + overhead.0;
            // The run-wide histogram is merged from the period ones at each close.
            self.latency.record(e2e);
            self.totals.completed += 1;
            self.totals.latency_sum_us += u128::from(e2e);
        } else {
            self.totals.errors_5xx += 1;
        }
    }

    /// A request answered 4XX at once.
    #[inline]
    pub fn client_error(&mut self, s: Series, overhead: SimDuration) {
        self.update(s, |m| {
            m.requests.errors_4xx += 1;
            m.overhead_latency.record(overhead.0);
        });
        if self.is_production(s) {
            self.totals.errors_4xx += 1;
        }
    }

    /// Busy slots of in-service instances change by `delta` outside a request start or end
    /// (an instance with work in flight starts draining or returns to service).
    pub fn busy_adjust(&mut self, s: Series, now: SimTime, delta: i64) {
        self.update(s, |m| m.busy.add(now, delta));
    }

    /// `count` requests of series `s` left the queue unserved.
    pub fn timed_out(&mut self, s: Series, count: u64) {
        self.update(s, |m| m.requests.timed_out += count);
        if self.is_production(s) {
            self.totals.timed_out += count;
        }
    }

    pub fn rejected_backlog_full(&mut self, s: Series) {
        self.update(s, |m| m.requests.rejected_backlog_full += 1);
        if self.is_production(s) {
            self.totals.rejected_backlog_full += 1;
        }
    }

    pub fn rejected_no_capacity(&mut self, v: VariantId) {
        self.series[usize::from(v)].requests.rejected_no_capacity += 1;
        if self.is_production(Series::variant(v)) {
            self.totals.rejected_no_capacity += 1;
        }
    }

    /// A serverless request was throttled: a 4XX `Invocations` datapoint in the variant's
    /// series, its own run total.
    pub fn throttled(&mut self, s: Series) {
        self.update(s, |m| {
            m.requests.invocations += 1;
            m.requests.errors_4xx += 1;
        });
        if self.is_production(s) {
            self.totals.throttled += 1;
        }
    }

    /// Series `idx` (a variant or a configuration) now has `len` requests waiting.
    #[inline]
    pub fn backlog(&mut self, idx: usize, len: u64) {
        self.series[idx].set_backlog(len);
    }

    /// Series `idx` now has `in_service` instances with `slots` worker slots in service.
    pub fn capacity(&mut self, idx: usize, now: SimTime, in_service: u32, slots: u32) {
        self.series[idx].set_capacity(now, in_service, slots);
    }

    /// The endpoint now has `endpoint_in_service` instances in service.
    pub fn endpoint_capacity(&mut self, now: SimTime, endpoint_in_service: u32) {
        let t = &mut self.totals;
        t.held_in_service(now);
        t.in_service.set(now, u64::from(endpoint_in_service));
    }

    /// Closes the run at `now`: the last in-service count counts towards min and max.
    pub fn finish(&mut self, now: SimTime) {
        self.totals.held_in_service(now + SimDuration(1));
    }

    /// Series `idx` now has `live` billed instances.
    pub fn billed(&mut self, idx: usize, now: SimTime, live: u32) {
        self.series[idx].billed.set(now, u64::from(live));
    }

    /// Number of variants recorded.
    pub fn variant_count(&self) -> usize {
        self.variant_count
    }

    /// Marks variant `v` as a shadow variant (see the field).
    pub fn set_shadow(&mut self, v: VariantId) {
        self.shadow = Some(v);
    }

    /// The production variants: every variant but a shadow one (which is the last).
    pub fn production_count(&self) -> usize {
        self.variant_count - usize::from(self.shadow.is_some())
    }

    /// Number of series: variants, then configurations.
    pub fn series_count(&self) -> usize {
        self.series.len()
    }

    /// Keeps the last `ticks` closed ticks of every variant for alarms to read.
    pub fn keep_history(&mut self, ticks: usize) {
        self.history_len = self.history_len.max(ticks);
        if let Some(s) = &mut self.serverless {
            s.keep_history(ticks);
        }
    }

    /// Records a serverless endpoint's metrics as well (call before `keep_history`).
    pub fn enable_serverless(&mut self, m: ServerlessMetrics) {
        self.serverless = Some(m);
    }

    /// The serverless metrics, if the endpoint is serverless.
    pub fn serverless(&self) -> Option<&ServerlessMetrics> {
        self.serverless.as_ref()
    }

    pub fn serverless_mut(&mut self) -> Option<&mut ServerlessMetrics> {
        self.serverless.as_mut()
    }

    /// Takes the serverless metrics out (at the end of a run).
    pub fn take_serverless(&mut self) -> Option<ServerlessMetrics> {
        self.serverless.take()
    }

    /// The most recent closed ticks of series `idx` (a variant or a configuration), oldest
    /// first.
    pub fn history(&self, idx: usize) -> &VecDeque<BasePoint> {
        &self.series[idx].history
    }

    /// The most recent closed ticks of variant `v`, oldest first.
    pub fn variant_history(&self, v: VariantId) -> &VecDeque<BasePoint> {
        self.history(usize::from(v))
    }

    /// Start of the current (open) period.
    pub fn period_start(&self) -> SimTime {
        self.period_start
    }

    /// Start of the current (open) tick.
    pub fn tick_start(&self) -> SimTime {
        self.tick_start
    }

    /// Closes the sampling tick ending at `now`. `samples` gives, per series, what the world
    /// looks like at `now` (concurrency, in-service count, queue size, oldest wait).
    pub fn close_tick(&mut self, now: SimTime, samples: &[TickSample]) {
        let length = now - self.tick_start;
        let e2e = self.latency.close_tick();
        self.latency_fold.merge(&e2e);
        let mut points: Vec<BasePoint> = self
            .series
            .iter_mut()
            .zip(samples)
            .map(|(m, sample)| m.close_tick(now, length, sample))
            .collect();
        // A variant's requests recorded in its configurations' series count in its own tick.
        let (own, configs) = points.split_at_mut(self.variant_count);
        for (m, c) in self.series[self.variant_count..].iter().zip(configs.iter()) {
            if let Some(p) = m.parent {
                let v = &mut own[usize::from(p)];
                v.requests += c.requests;
                v.model_latency.merge(&c.model_latency);
                v.overhead_latency.merge(&c.overhead_latency);
                v.busy_area += c.busy_area;
            }
        }
        for (m, point) in self.series.iter_mut().zip(points) {
            m.keep_tick(point, self.history_len);
        }
        self.tick_start = now;
    }

    /// Closes the period ending at `now` (call right after `close_tick(now, ..)`). `samples`
    /// gives, per series, its instances by state and desired count at that moment.
    pub fn close_period(&mut self, now: SimTime, samples: &[PeriodSample]) -> &EndpointPoint {
        let length_us = now.0 - self.period_start.0;
        let percentiles = &self.config.percentiles;
        // The variants' model latency percentiles cover their configurations' requests.
        let (own, configs) = self.series.split_at_mut(self.variant_count);
        for c in configs.iter() {
            if let (Some(p), Some(h)) = (c.parent, &c.model_latency.hist) {
                if let Some(vh) = &mut own[usize::from(p)].model_latency.hist {
                    vh.add(h);
                }
            }
        }
        let mut variants: Vec<VariantPoint> = self
            .series
            .iter_mut()
            .zip(samples)
            .map(|(m, sample)| m.close_period(now, length_us, percentiles, sample))
            .collect();
        let e2e = std::mem::take(&mut self.latency_fold);
        let point = EndpointPoint {
            start_us: self.period_start.0,
            length_us,
            arrivals: self.arrivals,
            latency: self
                .latency
                .close_period(&e2e, percentiles, Some(&mut self.totals.latency)),
            configs: variants.split_off(self.variant_count),
            variants,
        };
        self.arrivals = 0;
        self.period_start = now;
        self.points.push(point);
        self.points.last().expect("just pushed")
    }

    /// All closed periods, oldest first.
    pub fn points(&self) -> &[EndpointPoint] {
        &self.points
    }

    /// Billed instance-hours of variant `v` up to `now`.
    pub fn instance_hours(&self, v: VariantId, now: SimTime) -> f64 {
        instance_hours(self.series[usize::from(v)].billed.area_at(now))
    }

    /// Cost of variant `v` up to `now`, if its price is known.
    pub fn cost_usd(&self, v: VariantId, now: SimTime) -> Option<f64> {
        let m = &self.series[usize::from(v)];
        m.facts.price_per_hour_usd.map(|p| p * self.instance_hours(v, now))
    }

    pub fn into_points(self) -> (Vec<EndpointPoint>, Totals) {
        (self.points, self.totals)
    }
}
