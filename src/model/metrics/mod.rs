//! CloudWatch-style metrics: per-period datapoints per variant and for the endpoint, plus run
//! totals.
//!
//! Latency percentiles come from HDR histograms (3 significant digits, `histogram.rs`), never from stored
//! samples, so memory stays flat however many requests a run sees. Time-weighted quantities
//! (busy slots, in-service instances, billed instances) are exact integer integrals.

mod gauge;
mod histogram;
mod name;
mod point;
mod serverless;

pub use gauge::Gauge;
pub use histogram::{LatencyHistogram, HIST_MAX_US};
pub use name::MetricName;
pub use point::{Agg, BasePoint, EndpointPoint, LatencyStats, TickSample, VariantPoint};
pub use serverless::{
    ServerlessMetrics, ServerlessPoint, ServerlessPrices, ServerlessSample, ServerlessTick, ServerlessTotals,
};

use crate::engine::{SimDuration, SimTime};
use std::collections::VecDeque;

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

/// Where a recording goes: a variant's series and, while the variant has deployments, the
/// series of the endpoint configuration (model version) whose fleet handled the request, so
/// alarms can watch the new fleet alone (`EndpointConfigName` dimension, rollouts spec 4.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Series {
    variant: u16,
    config: u16,
}

impl Series {
    const NONE: u16 = u16::MAX;

    /// The variant's series only.
    pub fn variant(v: usize) -> Self {
        Series {
            variant: v as u16,
            config: Self::NONE,
        }
    }

    /// The variant's series and the configuration series `config` (an index from
    /// [`Recorder::add_config_series`]).
    pub fn with_config(v: usize, config: usize) -> Self {
        Series {
            variant: v as u16,
            config: config as u16,
        }
    }

    /// The configuration series, if any.
    pub fn config(self) -> Option<usize> {
        (self.config != Self::NONE).then_some(usize::from(self.config))
    }
}

/// Static facts about a variant that metrics need.
#[derive(Clone, Debug)]
pub struct VariantFacts {
    pub vcpus: u32,
    pub price_per_hour_usd: Option<f64>,
}

/// Latency statistics: count, sum, min and max per sampling tick (aggregatable), and
/// optionally an HDR histogram per metrics period for percentiles. Without a histogram only
/// CloudWatch's own statistics remain (enough for `OverheadLatency`), which saves a record.
#[derive(Debug)]
struct LatencyAcc {
    hist: Option<LatencyHistogram>,
    tick: IntegerAgg,
}

/// The current tick's count, sum, minimum and maximum, in whole microseconds: integer
/// operations cost less than the float ones of [`Agg`] on the path every request takes. A
/// tick's latencies add up to far less than 2^53 µs (about 285 years), so its sum converts to
/// the same `f64` that adding the samples as floats would give.
#[derive(Clone, Copy, Debug)]
struct IntegerAgg {
    n: u64,
    sum: u64,
    min: u64,
    max: u64,
}

impl Default for IntegerAgg {
    fn default() -> Self {
        IntegerAgg {
            n: 0,
            sum: 0,
            min: u64::MAX,
            max: 0,
        }
    }
}

impl IntegerAgg {
    #[inline(always)]
    fn add(&mut self, us: u64) {
        self.n += 1;
        self.sum = self.sum.saturating_add(us);
        self.min = self.min.min(us);
        self.max = self.max.max(us);
    }

    fn to_agg(self) -> Agg {
        if self.n == 0 {
            return Agg::default();
        }
        Agg::of(self.n, self.sum as f64, self.min as f64, self.max as f64)
    }
}

impl LatencyAcc {
    fn new(with_percentiles: bool) -> Self {
        LatencyAcc {
            hist: with_percentiles.then(LatencyHistogram::new),
            tick: IntegerAgg::default(),
        }
    }

    #[inline(always)]
    fn record(&mut self, us: u64) {
        if let Some(h) = &mut self.hist {
            h.record(us.max(1));
        }
        self.tick.add(us);
    }

    /// Ends a sampling tick: returns its statistics and starts a new one.
    fn close_tick(&mut self) -> Agg {
        std::mem::take(&mut self.tick).to_agg()
    }

    /// Ends a metrics period whose ticks folded into `agg`; the histogram is first added into
    /// `total`, if given.
    fn close_period(&mut self, agg: &Agg, percentiles: &[f64], total: Option<&mut LatencyHistogram>) -> LatencyStats {
        let n = agg.n;
        if let (Some(t), Some(h)) = (total, &self.hist) {
            t.add(h);
        }
        let s = LatencyStats {
            sample_count: n,
            sum: agg.sum,
            min: agg.min(),
            max: agg.max(),
            percentiles: match &self.hist {
                Some(h) if !h.is_empty() => percentiles
                    .iter()
                    .map(|p| (*p, h.value_at_quantile(p / 100.0) as f64))
                    .collect(),
                _ => Vec::new(),
            },
        };
        if let Some(h) = &mut self.hist {
            if !h.is_empty() {
                h.reset();
            }
        }
        s
    }
}

#[derive(Debug)]
struct VariantMetrics {
    facts: VariantFacts,
    /// For a configuration series, the variant it belongs to. A request of a configuration is
    /// recorded in the configuration's accumulators only (its variant's `InvocationsPerInstance`
    /// excepted, see [`Recorder::invocation`]); the variant's tick adds its configurations'
    /// ticks in when it closes. Every such field is an integer or an exact sum of integers, so
    /// the variant's numbers are the same as if each request were recorded twice.
    parent: Option<usize>,
    busy: Gauge,
    slots: Gauge,
    in_service: Gauge,
    billed: Gauge,
    /// Integrals at the start of the current tick.
    busy0: u128,
    slots0: u128,
    in_service0: u128,
    /// Billed integral at the start of the current period.
    billed0: u128,
    backlog: u64,
    // Tick accumulators (hot path).
    invocations: u64,
    ipi: f64,
    model_latency: LatencyAcc,
    overhead: LatencyAcc,
    errors_4xx: u64,
    errors_5xx: u64,
    completed: u64,
    timed_out: u64,
    rejected_full: u64,
    rejected_no_capacity: u64,
    backlog_max: u64,
    /// The closed ticks of the current period, folded.
    fold: Fold,
    /// The most recent closed ticks, oldest first (alarms read these).
    history: VecDeque<BasePoint>,
}

impl VariantMetrics {
    fn new(facts: VariantFacts, parent: Option<usize>) -> Self {
        VariantMetrics {
            facts,
            parent,
            busy: Gauge::default(),
            slots: Gauge::default(),
            in_service: Gauge::default(),
            billed: Gauge::default(),
            busy0: 0,
            slots0: 0,
            in_service0: 0,
            billed0: 0,
            backlog: 0,
            invocations: 0,
            ipi: 0.0,
            model_latency: LatencyAcc::new(true),
            overhead: LatencyAcc::new(false),
            errors_4xx: 0,
            errors_5xx: 0,
            completed: 0,
            timed_out: 0,
            rejected_full: 0,
            rejected_no_capacity: 0,
            backlog_max: 0,
            fold: Fold::default(),
            history: VecDeque::new(),
        }
    }
}

/// Closed ticks of one period, folded together.
#[derive(Debug, Default)]
struct Fold {
    invocations: u64,
    ipi: f64,
    model_latency: Agg,
    overhead: Agg,
    errors_4xx: u64,
    errors_5xx: u64,
    completed: u64,
    timed_out: u64,
    rejected_full: u64,
    rejected_no_capacity: u64,
    busy: u128,
    slots: u128,
    in_service: u128,
    conc_sum: f64,
    conc_n: u32,
    backlog_max: u64,
}

impl Fold {
    fn add(&mut self, b: &BasePoint) {
        self.invocations += b.invocations;
        self.ipi += b.invocations_per_instance;
        self.model_latency.merge(&b.model_latency);
        self.overhead.merge(&b.overhead_latency);
        self.errors_4xx += b.errors_4xx;
        self.errors_5xx += b.errors_5xx;
        self.completed += b.completed;
        self.timed_out += b.timed_out;
        self.rejected_full += b.rejected_backlog_full;
        self.rejected_no_capacity += b.rejected_no_capacity;
        self.busy += b.busy_area;
        self.slots += b.slot_area;
        self.in_service += b.in_service_area;
        if let Some(c) = b.concurrency {
            self.conc_sum += c;
            self.conc_n += 1;
        }
        self.backlog_max = self.backlog_max.max(b.backlog_max);
    }
}

/// Run totals behind `summary.json`.
#[derive(Debug)]
pub struct Totals {
    pub arrived: u64,
    pub completed: u64,
    pub errors_4xx: u64,
    pub errors_5xx: u64,
    pub timed_out: u64,
    pub rejected_backlog_full: u64,
    pub rejected_no_capacity: u64,
    /// Serverless endpoints: requests refused with ThrottlingException (`MaxConcurrency` or
    /// the account's regional concurrency reached). Counted in the period's `Invocations` and
    /// `Invocation4XXErrors` \[assumption\] but kept out of `errors_4xx` here, so each
    /// arrival has exactly one outcome.
    pub throttled: u64,
    /// Requests that got a worker slot.
    pub served: u64,
    /// Served requests that waited in the backlog first.
    pub waited: u64,
    /// Total backlog wait of served requests \[µs\].
    pub wait_sum_us: u128,
    /// End-to-end latency of completed requests \[µs\].
    pub latency: LatencyHistogram,
    pub latency_sum_us: u128,
    pub min_in_service: u32,
    pub max_in_service: u32,
    /// Endpoint-wide in-service instances, integrated [instances x µs].
    pub in_service: Gauge,
}

impl Totals {
    /// Min and max count only values held for a positive time, so instances coming into service
    /// one by one at the same instant do not register as a dip.
    fn held_in_service(&mut self, now: SimTime) {
        if now > self.in_service.last_change() {
            let v = self.in_service.value() as u32;
            self.min_in_service = self.min_in_service.min(v);
            self.max_in_service = self.max_in_service.max(v);
        }
    }
}

/// The metrics recorder of one run.
#[derive(Debug)]
pub struct Recorder {
    config: MetricsConfig,
    /// The variants' series, then the configuration series (see [`Series`]).
    variants: Vec<VariantMetrics>,
    /// How many of `variants` are variants.
    n_variants: usize,
    tick_start: SimTime,
    /// How many closed ticks each variant keeps for alarms.
    history_len: usize,
    period_start: SimTime,
    arrivals: u64,
    /// End-to-end latency of completed requests (endpoint-wide).
    latency: LatencyAcc,
    latency_fold: Agg,
    points: Vec<EndpointPoint>,
    pub totals: Totals,
    /// The shadow variant of a shadow test: its copies are measured in its own series but are
    /// not the endpoint's requests, so they stay out of `totals` and the endpoint latency.
    shadow: Option<u16>,
    /// The serverless endpoint's own metrics, when the endpoint is serverless.
    serverless: Option<ServerlessMetrics>,
}

impl Recorder {
    pub fn new(config: MetricsConfig, variants: Vec<VariantFacts>) -> Self {
        let n_variants = variants.len();
        let vm = variants.into_iter().map(|f| VariantMetrics::new(f, None)).collect();
        Recorder {
            config,
            variants: vm,
            n_variants,
            tick_start: SimTime::ZERO,
            history_len: 0,
            period_start: SimTime::ZERO,
            arrivals: 0,
            latency: LatencyAcc::new(true),
            latency_fold: Agg::default(),
            points: Vec::new(),
            shadow: None,
            serverless: None,
            totals: Totals {
                arrived: 0,
                completed: 0,
                errors_4xx: 0,
                errors_5xx: 0,
                timed_out: 0,
                rejected_backlog_full: 0,
                rejected_no_capacity: 0,
                throttled: 0,
                served: 0,
                waited: 0,
                wait_sum_us: 0,
                latency: LatencyHistogram::new(),
                latency_sum_us: 0,
                min_in_service: u32::MAX,
                max_in_service: 0,
                in_service: Gauge::default(),
            },
        }
    }

    /// Adds the series of one endpoint configuration of variant `variant`; returns its index
    /// (after the variants). Call before the first tick closes.
    pub fn add_config_series(&mut self, variant: usize, facts: VariantFacts) -> usize {
        self.variants.push(VariantMetrics::new(facts, Some(variant)));
        self.variants.len() - 1
    }

    /// The series a request is recorded in: its configuration series if it has one (the
    /// variant's tick adds it in at close), else its variant's.
    #[inline(always)]
    fn recorded_in(&mut self, s: Series) -> &mut VariantMetrics {
        &mut self.variants[s.config().unwrap_or(usize::from(s.variant))]
    }

    /// Applies `f` to [`Self::recorded_in`]`(s)`.
    #[inline(always)]
    fn each(&mut self, s: Series, f: impl FnOnce(&mut VariantMetrics)) {
        f(self.recorded_in(s));
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

    /// A request reached a variant (and fleet), which had `1 / inv_n` in-service instances.
    #[inline]
    pub fn invocation(&mut self, s: Series, inv_n: f64) {
        // `InvocationsPerInstance` is a float sum: the variant keeps its own, in request order,
        // because a sum of per-configuration sums could differ in the last bit.
        self.variants[usize::from(s.variant)].ipi += inv_n;
        if let Some(c) = s.config() {
            let m = &mut self.variants[c];
            m.invocations += 1;
            m.ipi += inv_n;
        } else {
            self.variants[usize::from(s.variant)].invocations += 1;
        }
    }

    /// A request took a worker slot after waiting `wait` (zero if it never queued).
    #[inline]
    pub fn service_start(&mut self, s: Series, now: SimTime, wait: SimDuration, queued: bool) {
        if self.counts(s) {
            let t = &mut self.totals;
            t.served += 1;
            if queued {
                t.waited += 1;
                t.wait_sum_us += u128::from(wait.0);
            }
        }
        self.each(s, |m| m.busy.add(now, 1));
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
        // Not `each`: as a closure this body stayed a call on the hot path.
        let m = self.recorded_in(s);
        if in_service {
            m.busy.add(now, -1);
        }
        m.model_latency.record(model.0);
        m.overhead.record(overhead.0);
        if ok {
            m.completed += 1;
        } else {
            m.errors_5xx += 1;
        }
        if !self.counts(s) {
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
        self.each(s, |m| {
            m.errors_4xx += 1;
            m.overhead.record(overhead.0);
        });
        if self.counts(s) {
            self.totals.errors_4xx += 1;
        }
    }

    /// Busy slots of in-service instances change by `delta` outside a request start or end
    /// (an instance with work in flight starts draining or returns to service).
    pub fn busy_adjust(&mut self, s: Series, now: SimTime, delta: i64) {
        self.each(s, |m| m.busy.add(now, delta));
    }

    pub fn timed_out(&mut self, s: Series, n: u64) {
        self.each(s, |m| m.timed_out += n);
        if self.counts(s) {
            self.totals.timed_out += n;
        }
    }

    pub fn rejected_backlog_full(&mut self, s: Series) {
        self.each(s, |m| m.rejected_full += 1);
        if self.counts(s) {
            self.totals.rejected_backlog_full += 1;
        }
    }

    pub fn rejected_no_capacity(&mut self, v: usize) {
        self.variants[v].rejected_no_capacity += 1;
        if self.counts(Series::variant(v)) {
            self.totals.rejected_no_capacity += 1;
        }
    }

    /// Series `idx` (a variant or a configuration) now has `len` requests waiting.
    #[inline]
    pub fn backlog(&mut self, idx: usize, len: u64) {
        let m = &mut self.variants[idx];
        m.backlog = len;
        m.backlog_max = m.backlog_max.max(len);
    }

    /// Series `idx` now has `in_service` instances with `slots` worker slots in service.
    pub fn capacity(&mut self, idx: usize, now: SimTime, in_service: u32, slots: u32) {
        let m = &mut self.variants[idx];
        m.in_service.set(now, u64::from(in_service));
        m.slots.set(now, u64::from(slots));
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
        self.variants[idx].billed.set(now, u64::from(live));
    }

    /// Number of variants recorded.
    pub fn variant_count(&self) -> usize {
        self.n_variants
    }

    /// Marks variant `v` as a shadow variant (see the field).
    pub fn set_shadow(&mut self, v: usize) {
        self.shadow = Some(v as u16);
    }

    /// The production variants: every variant but a shadow one (which is the last).
    pub fn production_count(&self) -> usize {
        self.n_variants - usize::from(self.shadow.is_some())
    }

    /// Whether requests of series `s` are the endpoint's own (not shadow copies).
    #[inline]
    fn counts(&self, s: Series) -> bool {
        self.shadow != Some(s.variant)
    }

    /// Number of series: variants, then configurations.
    pub fn series_count(&self) -> usize {
        self.variants.len()
    }

    /// Keeps the last `n` closed ticks of every variant for alarms to read.
    pub fn keep_history(&mut self, n: usize) {
        self.history_len = self.history_len.max(n);
        if let Some(s) = &mut self.serverless {
            s.keep_history(n);
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

    /// A serverless request was throttled: a 4XX `Invocations` datapoint in the variant's
    /// series, its own run total.
    pub fn throttled(&mut self, s: Series) {
        self.each(s, |m| {
            m.invocations += 1;
            m.errors_4xx += 1;
        });
        if self.counts(s) {
            self.totals.throttled += 1;
        }
    }

    /// The most recent closed ticks of series `v` (a variant or a configuration), oldest first.
    pub fn history(&self, v: usize) -> &VecDeque<BasePoint> {
        &self.variants[v].history
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
            .variants
            .iter_mut()
            .zip(samples)
            .map(|(m, sample)| {
                let busy = m.busy.area_at(now);
                let slots = m.slots.area_at(now);
                let ins = m.in_service.area_at(now);
                let b = BasePoint {
                    end: now,
                    length,
                    invocations: std::mem::take(&mut m.invocations),
                    invocations_per_instance: std::mem::take(&mut m.ipi),
                    model_latency: m.model_latency.close_tick(),
                    overhead_latency: m.overhead.close_tick(),
                    errors_4xx: std::mem::take(&mut m.errors_4xx),
                    errors_5xx: std::mem::take(&mut m.errors_5xx),
                    completed: std::mem::take(&mut m.completed),
                    timed_out: std::mem::take(&mut m.timed_out),
                    rejected_backlog_full: std::mem::take(&mut m.rejected_full),
                    rejected_no_capacity: std::mem::take(&mut m.rejected_no_capacity),
                    busy_area: busy - m.busy0,
                    slot_area: slots - m.slots0,
                    in_service_area: ins - m.in_service0,
                    vcpus: m.facts.vcpus,
                    concurrency: sample.concurrency,
                    backlog: m.backlog,
                    backlog_max: m.backlog_max,
                    in_service: sample.in_service,
                    queued: sample.queued,
                    oldest_wait_us: sample.oldest_wait_us,
                };
                m.busy0 = busy;
                m.slots0 = slots;
                m.in_service0 = ins;
                m.backlog_max = m.backlog;
                b
            })
            .collect();
        // A variant's requests recorded in its configurations' series count in its own tick.
        let (own, configs) = points.split_at_mut(self.n_variants);
        for (m, c) in self.variants[self.n_variants..].iter().zip(configs.iter()) {
            if let Some(p) = m.parent {
                let v = &mut own[p];
                v.invocations += c.invocations;
                v.model_latency.merge(&c.model_latency);
                v.overhead_latency.merge(&c.overhead_latency);
                v.errors_4xx += c.errors_4xx;
                v.errors_5xx += c.errors_5xx;
                v.completed += c.completed;
                v.timed_out += c.timed_out;
                v.rejected_backlog_full += c.rejected_backlog_full;
                v.rejected_no_capacity += c.rejected_no_capacity;
                v.busy_area += c.busy_area;
            }
        }
        for (m, b) in self.variants.iter_mut().zip(points) {
            m.fold.add(&b);
            if self.history_len > 0 {
                if m.history.len() == self.history_len {
                    m.history.pop_front();
                }
                m.history.push_back(b);
            }
        }
        self.tick_start = now;
    }

    /// Closes the period ending at `now` (call right after `close_tick(now, ..)`). `state`
    /// gives, per series, the instance counts by state (Pending..Draining) and the desired
    /// count at that moment.
    pub fn close_period(&mut self, now: SimTime, state: &[([u32; 6], u32)]) -> &EndpointPoint {
        let len = now.0 - self.period_start.0;
        let pcts = self.config.percentiles.clone();
        // The variants' model latency percentiles cover their configurations' requests.
        let (own, configs) = self.variants.split_at_mut(self.n_variants);
        for c in configs.iter() {
            if let (Some(p), Some(h)) = (c.parent, &c.model_latency.hist) {
                if let Some(vh) = &mut own[p].model_latency.hist {
                    vh.add(h);
                }
            }
        }
        let mut variants: Vec<VariantPoint> = self
            .variants
            .iter_mut()
            .zip(state)
            .map(|(m, (counts, desired))| {
                let f = std::mem::take(&mut m.fold);
                let billed = m.billed.area_at(now) - m.billed0;
                m.billed0 += billed;
                let instance_hours = billed as f64 / 3.6e9;
                VariantPoint {
                    invocations: f.invocations,
                    invocations_per_instance: f.ipi,
                    model_latency: m.model_latency.close_period(&f.model_latency, &pcts, None),
                    overhead_latency: m.overhead.close_period(&f.overhead, &pcts, None),
                    errors_4xx: f.errors_4xx,
                    errors_5xx: f.errors_5xx,
                    completed: f.completed,
                    timed_out: f.timed_out,
                    rejected_backlog_full: f.rejected_full,
                    rejected_no_capacity: f.rejected_no_capacity,
                    cpu_utilization: (f.slots > 0)
                        .then(|| f.busy as f64 / f.slots as f64 * 100.0 * f64::from(m.facts.vcpus)),
                    concurrent_requests_per_model: (f.conc_n > 0).then(|| f.conc_sum / f64::from(f.conc_n)),
                    instances: *counts,
                    mean_in_service: if len > 0 { f.in_service as f64 / len as f64 } else { 0.0 },
                    desired: *desired,
                    backlog_end: m.backlog,
                    backlog_max: f.backlog_max,
                    instance_hours,
                    cost_usd: m.facts.price_per_hour_usd.map(|p| p * instance_hours),
                }
            })
            .collect();
        let ep_agg = std::mem::take(&mut self.latency_fold);
        let point = EndpointPoint {
            start_us: self.period_start.0,
            length_us: len,
            arrivals: self.arrivals,
            latency: self
                .latency
                .close_period(&ep_agg, &pcts, Some(&mut self.totals.latency)),
            configs: variants.split_off(self.n_variants),
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
    pub fn instance_hours(&self, v: usize, now: SimTime) -> f64 {
        self.variants[v].billed.area_at(now) as f64 / 3.6e9
    }

    /// Cost of variant `v` up to `now`, if its price is known.
    pub fn cost_usd(&self, v: usize, now: SimTime) -> Option<f64> {
        let m = &self.variants[v];
        m.facts.price_per_hour_usd.map(|p| p * self.instance_hours(v, now))
    }

    pub fn into_points(self) -> (Vec<EndpointPoint>, Totals) {
        (self.points, self.totals)
    }
}
