//! Metrics of a serverless endpoint (docs/semantics/serverless.md §4, `ModelSetupTime`): per-tick
//! base points for alarms, per-period points for `timeseries.csv`, run totals and the bill.
//!
//! The concurrency metrics are sampled at the end of every sampling tick, like
//! `ConcurrentRequestsPerModel` (docs/semantics/autoscaling.md §3.3); request counts and setup times accumulate within
//! the tick. Billing (GB-seconds) follows the documented structure: on-demand compute per
//! request duration x memory; with provisioned concurrency, PC-served compute at its own
//! price plus the provisioned units x memory x time.

use super::{Agg, Gauge};
use crate::engine::{SimDuration, SimTime};
use std::collections::VecDeque;

/// Prices in USD per GB-second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServerlessPrices {
    /// Compute of requests served on demand.
    pub on_demand: f64,
    /// Provisioned concurrency kept available (per unit).
    pub provisioned: f64,
    /// Compute of requests served by provisioned concurrency.
    pub provisioned_inference: f64,
}

/// What the world samples at the end of a tick.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ServerlessSample {
    /// Executions in progress, cold starts included.
    pub concurrent: u32,
    /// Executions on PC units.
    pub pc_busy: u32,
    /// PC units provisioned and ready.
    pub pc_allocated: u32,
    /// PC units requested (the scalable dimension).
    pub pc_desired: u32,
    /// Idle on-demand containers still kept warm.
    pub warm_idle: u32,
}

/// One sampling tick of a serverless endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerlessTick {
    pub end: SimTime,
    pub sample: ServerlessSample,
    pub max_concurrency: u32,
    pub pc_invocations: u64,
    pub spillover: u64,
    pub throttled: u64,
    /// Cold starts (`ModelSetupTime` samples) \[µs\].
    pub setup: Agg,
}

impl ServerlessTick {
    /// `ServerlessConcurrentExecutionsUtilization`.
    pub fn utilization(&self) -> f64 {
        f64::from(self.sample.concurrent) / f64::from(self.max_concurrency.max(1))
    }

    /// `ServerlessProvisionedConcurrencyUtilization`: concurrent executions over allocated PC
    /// (docs/semantics/serverless.md §4); no datapoint while no PC is allocated.
    pub fn pc_utilization(&self) -> Option<f64> {
        (self.sample.pc_allocated > 0).then(|| f64::from(self.sample.concurrent) / f64::from(self.sample.pc_allocated))
    }
}

/// One metrics period of a serverless endpoint (a `timeseries.csv` row's serverless cells).
#[derive(Clone, Debug, PartialEq)]
pub struct ServerlessPoint {
    pub concurrent_mean: f64,
    pub concurrent_max: u32,
    pub utilization_mean: f64,
    pub pc_utilization_mean: Option<f64>,
    pub pc_executions_mean: f64,
    pub pc_allocated_end: u32,
    pub pc_desired_end: u32,
    pub warm_idle_end: u32,
    pub pc_invocations: u64,
    pub spillover: u64,
    pub throttled: u64,
    pub cold_starts: u64,
    pub setup_mean_us: Option<f64>,
    pub cost_usd: f64,
}

/// Run totals of a serverless endpoint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServerlessTotals {
    pub pc_invocations: u64,
    pub spillover: u64,
    pub on_demand_invocations: u64,
    pub throttled_max_concurrency: u64,
    pub throttled_account: u64,
    pub cold_starts: u64,
    pub setup_sum_us: u128,
    pub setup_max_us: u64,
    pub peak_concurrent: u32,
    /// Compute of on-demand requests [GB-s].
    pub on_demand_gb_s: f64,
    /// Compute of PC-served requests [GB-s].
    pub pc_inference_gb_s: f64,
    /// Provisioned PC [GB-s].
    pub pc_provisioned_gb_s: f64,
    pub cost_usd: f64,
}

/// The serverless part of the metrics recorder.
#[derive(Debug)]
pub struct ServerlessMetrics {
    memory_gb: f64,
    prices: ServerlessPrices,
    max_concurrency: u32,
    pc_invocations: u64,
    spillover: u64,
    throttled: u64,
    setup: Agg,
    /// Allocated PC, integrated [units x µs].
    pc_units: Gauge,
    pc_units0: u128,
    /// Compute of the current period [GB-s]: on demand, PC-served.
    od_gb_s: f64,
    pc_gb_s: f64,
    period_ticks: Vec<ServerlessTick>,
    history_len: usize,
    history: VecDeque<ServerlessTick>,
    points: Vec<ServerlessPoint>,
    pub totals: ServerlessTotals,
}

impl ServerlessMetrics {
    pub fn new(memory_mb: u32, prices: ServerlessPrices, max_concurrency: u32, pc: u32) -> Self {
        let mut pc_units = Gauge::default();
        pc_units.set(SimTime::ZERO, u64::from(pc));
        ServerlessMetrics {
            memory_gb: f64::from(memory_mb) / 1024.0,
            prices,
            max_concurrency,
            pc_invocations: 0,
            spillover: 0,
            throttled: 0,
            setup: Agg::default(),
            pc_units,
            pc_units0: 0,
            od_gb_s: 0.0,
            pc_gb_s: 0.0,
            period_ticks: Vec::new(),
            history_len: 0,
            history: VecDeque::new(),
            points: Vec::new(),
            totals: ServerlessTotals::default(),
        }
    }

    pub fn keep_history(&mut self, n: usize) {
        self.history_len = self.history_len.max(n);
    }

    /// A request was admitted: on a PC unit, or on demand (a spillover when PC is configured),
    /// with a cold start of `setup` if a container had to start.
    pub fn admitted(&mut self, provisioned: bool, spillover: bool, setup: Option<SimDuration>) {
        if provisioned {
            self.pc_invocations += 1;
            self.totals.pc_invocations += 1;
        } else {
            self.totals.on_demand_invocations += 1;
        }
        if spillover {
            self.spillover += 1;
            self.totals.spillover += 1;
        }
        if let Some(d) = setup {
            self.setup.add(d.0 as f64);
            self.totals.cold_starts += 1;
            self.totals.setup_sum_us += u128::from(d.0);
            self.totals.setup_max_us = self.totals.setup_max_us.max(d.0);
        }
    }

    /// A request was throttled (`account`: by the regional pool, else by `MaxConcurrency`).
    pub fn throttled(&mut self, account: bool) {
        self.throttled += 1;
        if account {
            self.totals.throttled_account += 1;
        } else {
            self.totals.throttled_max_concurrency += 1;
        }
    }

    /// A request ran `duration` in its container (billed compute).
    pub fn compute(&mut self, provisioned: bool, duration: SimDuration) {
        let gb_s = duration.as_secs_f64() * self.memory_gb;
        if provisioned {
            self.pc_gb_s += gb_s;
            self.totals.pc_inference_gb_s += gb_s;
        } else {
            self.od_gb_s += gb_s;
            self.totals.on_demand_gb_s += gb_s;
        }
    }

    /// Allocated PC is now `units`.
    pub fn pc_allocated(&mut self, now: SimTime, units: u32) {
        self.pc_units.set(now, u64::from(units));
    }

    /// Closes the sampling tick ending at `now`.
    pub fn close_tick(&mut self, now: SimTime, sample: ServerlessSample) {
        self.totals.peak_concurrent = self.totals.peak_concurrent.max(sample.concurrent);
        let t = ServerlessTick {
            end: now,
            sample,
            max_concurrency: self.max_concurrency,
            pc_invocations: std::mem::take(&mut self.pc_invocations),
            spillover: std::mem::take(&mut self.spillover),
            throttled: std::mem::take(&mut self.throttled),
            setup: std::mem::take(&mut self.setup),
        };
        if self.history_len > 0 {
            if self.history.len() == self.history_len {
                self.history.pop_front();
            }
            self.history.push_back(t.clone());
        }
        self.period_ticks.push(t);
    }

    /// Closes the metrics period ending at `now` (right after its last tick).
    pub fn close_period(&mut self, now: SimTime) {
        let ticks = std::mem::take(&mut self.period_ticks);
        let n = ticks.len().max(1) as f64;
        let mean = |f: &dyn Fn(&ServerlessTick) -> f64| ticks.iter().map(f).sum::<f64>() / n;
        let pc: Vec<f64> = ticks.iter().filter_map(ServerlessTick::pc_utilization).collect();
        let mut setup = Agg::default();
        for t in &ticks {
            setup.merge(&t.setup);
        }
        let area = self.pc_units.area_at(now);
        let pc_gb_s = (area - self.pc_units0) as f64 / 1e6 * self.memory_gb;
        self.pc_units0 = area;
        self.totals.pc_provisioned_gb_s += pc_gb_s;
        let p = &self.prices;
        let cost = std::mem::take(&mut self.od_gb_s) * p.on_demand
            + std::mem::take(&mut self.pc_gb_s) * p.provisioned_inference
            + pc_gb_s * p.provisioned;
        self.totals.cost_usd += cost;
        let last = ticks.last().map(|t| t.sample).unwrap_or_default();
        self.points.push(ServerlessPoint {
            concurrent_mean: mean(&|t| f64::from(t.sample.concurrent)),
            concurrent_max: ticks.iter().map(|t| t.sample.concurrent).max().unwrap_or(0),
            utilization_mean: mean(&ServerlessTick::utilization),
            pc_utilization_mean: (!pc.is_empty()).then(|| pc.iter().sum::<f64>() / pc.len() as f64),
            pc_executions_mean: mean(&|t| f64::from(t.sample.pc_busy)),
            pc_allocated_end: last.pc_allocated,
            pc_desired_end: last.pc_desired,
            warm_idle_end: last.warm_idle,
            pc_invocations: ticks.iter().map(|t| t.pc_invocations).sum(),
            spillover: ticks.iter().map(|t| t.spillover).sum(),
            throttled: ticks.iter().map(|t| t.throttled).sum(),
            cold_starts: setup.n,
            setup_mean_us: setup.average(),
            cost_usd: cost,
        });
    }

    /// The most recent closed ticks, oldest first (alarms read these).
    pub fn history(&self) -> &VecDeque<ServerlessTick> {
        &self.history
    }

    pub fn into_parts(self) -> (Vec<ServerlessPoint>, ServerlessTotals) {
        (self.points, self.totals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prices() -> ServerlessPrices {
        ServerlessPrices {
            on_demand: 1.0,
            provisioned: 0.25,
            provisioned_inference: 0.5,
        }
    }

    #[test]
    fn utilisations_follow_the_spec_ratios() {
        // B7: 8 executions, PC 10, MaxConcurrency 20.
        let t = ServerlessTick {
            end: SimTime::ZERO,
            sample: ServerlessSample {
                concurrent: 8,
                pc_busy: 8,
                pc_allocated: 10,
                pc_desired: 10,
                warm_idle: 0,
            },
            max_concurrency: 20,
            pc_invocations: 0,
            spillover: 0,
            throttled: 0,
            setup: Agg::default(),
        };
        assert_eq!(t.pc_utilization(), Some(0.8));
        assert_eq!(t.utilization(), 0.4);
        let none = ServerlessTick {
            sample: ServerlessSample::default(),
            ..t
        };
        assert_eq!(none.pc_utilization(), None, "no PC allocated: no datapoint");
    }

    #[test]
    fn the_bill_adds_on_demand_pc_inference_and_provisioned_gb_seconds() {
        // 2048 MB = 2 GB; PC 3 allocated for 10 s = 60 GB-s at 0.25; 4 s on demand = 8 GB-s at
        // 1; 2 s on PC = 4 GB-s at 0.5.
        let mut m = ServerlessMetrics::new(2048, prices(), 20, 3);
        m.compute(false, SimDuration::from_secs(4));
        m.compute(true, SimDuration::from_secs(2));
        m.close_tick(SimTime::from_secs(10), ServerlessSample::default());
        m.close_period(SimTime::from_secs(10));
        let (points, totals) = m.into_parts();
        assert_eq!(points[0].cost_usd, 25.0);
        assert_eq!(
            (
                totals.on_demand_gb_s,
                totals.pc_inference_gb_s,
                totals.pc_provisioned_gb_s
            ),
            (8.0, 4.0, 60.0)
        );
        assert_eq!(totals.cost_usd, 25.0);
    }
}
