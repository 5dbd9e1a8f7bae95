//! Serverless endpoints inside the simulation: admission into the concurrency pool, cold
//! starts, provisioned-concurrency (PC) changes and the serverless metrics samples.
//!
//! A serverless endpoint has no instances and no backlog: a request either gets a
//! concurrency unit at once (a PC unit, a warm idle container, or a new container that
//! cold-starts for it) or is throttled. The variant's desired count is the requested PC, so
//! Application Auto Scaling (`DesiredProvisionedConcurrency`) drives it through the same
//! `set_desired` as instance counts.
//!
//! Randomness: service time and outcome are drawn at arrival from the variant's streams, as
//! for every endpoint kind, also for requests then throttled (common random numbers); cold
//! start durations come from their own stream `cold-start/<variant>`.

use super::event::Event;
use super::serverless_config::ServerlessConfig;
use super::world::World;
use crate::engine::{SimDuration, SimRng, SimTime};
use crate::model::metrics::{ServerlessSample, ServerlessTick};
use crate::model::serverless::{Admission, PoolLimits, ServerlessPool};
use crate::model::{ActivityKind, Outcome, VariantId};

/// The serverless state of a run.
pub(super) struct ServerlessRun {
    pub cfg: ServerlessConfig,
    pub pool: ServerlessPool,
    pub cold_start_rng: SimRng,
}

impl ServerlessRun {
    /// The endpoint at time zero with `pc` units provisioned.
    pub fn new(cfg: ServerlessConfig, pc: u32, cold_start_rng: SimRng) -> Self {
        let limits = PoolLimits {
            max_concurrency: cfg.max_concurrency,
            account_concurrency: cfg.account_concurrency,
            other_endpoints: cfg.other_endpoints_concurrency,
            keep_alive: cfg.keep_alive,
        };
        ServerlessRun {
            pool: ServerlessPool::new(limits, pc),
            cfg,
            cold_start_rng,
        }
    }
}

impl World {
    /// A request arrives at a serverless endpoint (its only variant is 0).
    pub(super) fn on_serverless_arrival(&mut self) {
        let now = self.now;
        let fid = self.variants[VariantId(0)].fleets[0];
        let series = self.fleets[fid].series;
        // A 4XX answered by the model is drawn (and recorded) first; it holds no unit.
        // Per-instance metrics do not exist on serverless endpoints (docs/semantics/serverless.md §4): no 1/N.
        let Some((service, outcome)) = self.draw(VariantId(0), fid, series) else {
            self.metrics.invocation(series, 0.0);
            return;
        };
        let Some(run) = self.hosting.serverless_mut() else {
            return;
        };
        let admission = run.pool.admit(now);
        if admission.is_throttled() {
            // Counted as an invocation answered 4XX (ThrottlingException).
            self.metrics.throttled(series);
            if let Some(m) = self.metrics.serverless_mut() {
                m.throttled(admission == Admission::ThrottledAccount);
            }
            return;
        }
        self.metrics.invocation(series, 0.0);
        let provisioned = admission == Admission::Provisioned;
        let spillover = !provisioned && run.cfg.provisioned_concurrency.is_some();
        let setup = (admission == Admission::ColdOnDemand).then(|| run.cfg.cold_start.sample(&mut run.cold_start_rng));
        if let Some(m) = self.metrics.serverless_mut() {
            m.admitted(provisioned, spillover, setup);
        }
        self.metrics.service_start(series, now, SimDuration::ZERO, false);
        let start = now + setup.unwrap_or(SimDuration::ZERO);
        let req = self.in_flight.hold(now, start, outcome);
        self.queue
            .schedule(start + service, Event::ServerlessDone { req, provisioned });
    }

    /// A serverless request ends: its unit is released (an on-demand container stays warm
    /// for the keep-alive) and the request is measured. `OverheadLatency` includes the cold
    /// start.
    pub(super) fn on_serverless_done(&mut self, req: u32, provisioned: bool) {
        let now = self.now;
        let (arrival, start, outcome) = self.in_flight.release(req);
        if let Some(run) = self.hosting.serverless_mut() {
            run.pool.release(now, provisioned);
        }
        let fleet = &self.fleets[self.variants[VariantId(0)].fleets[0]];
        let series = fleet.series;
        let overhead = (start - arrival) + fleet.version.overhead;
        self.metrics
            .service_end(series, now, now - start, overhead, outcome == Outcome::Ok, true);
        if let Some(m) = self.metrics.serverless_mut() {
            m.compute(provisioned, now - start);
        }
    }

    /// Applies the variant's desired count as the requested PC: raised units are ready after
    /// the provisioning time; cut units leave at once (busy ones finish their request).
    pub(super) fn serverless_converge(&mut self, cause: &str) {
        let now = self.now;
        let desired = self.variants[VariantId(0)].desired;
        let Some(run) = self.hosting.serverless_mut() else {
            return;
        };
        let ready_at = run.pool.set_pc(now, desired, run.cfg.pc_provisioning_time);
        let allocated = run.pool.pc_allocated;
        if let Some(m) = self.metrics.serverless_mut() {
            m.pc_allocated(now, allocated);
        }
        if let Some(at) = ready_at {
            self.record(
                VariantId(0),
                ActivityKind::InstanceLaunch,
                cause,
                format!("provisioned concurrency {allocated} -> {desired} requested; ready at {at}"),
            );
            self.queue.schedule(at, Event::ProvisionedConcurrencyReady);
        }
    }

    /// Raised PC finished provisioning.
    pub(super) fn on_pc_ready(&mut self) {
        let now = self.now;
        let Some(run) = self.hosting.serverless_mut() else {
            return;
        };
        if run.pool.pc_ready(now) == 0 {
            // The raise was cut back before it was ready.
            return;
        }
        let allocated = run.pool.pc_allocated;
        if let Some(m) = self.metrics.serverless_mut() {
            m.pc_allocated(now, allocated);
        }
        self.record(
            VariantId(0),
            ActivityKind::InstanceInService,
            "provisioning",
            format!("provisioned concurrency {allocated} allocated"),
        );
        self.check_activity_end(VariantId(0));
    }

    /// Whether raised PC is still being provisioned (the variant is `Updating`).
    pub(super) fn serverless_provisioning(&self) -> bool {
        self.hosting.serverless().is_some_and(|r| !r.pool.pc_pending.is_empty())
    }

    /// Samples the pool at the end of a sampling tick.
    pub(super) fn serverless_close_tick(&mut self) {
        let now = self.now;
        let desired = self.variants.first().map_or(0, |v| v.desired);
        let Some(run) = self.hosting.serverless_mut() else {
            return;
        };
        let p = &mut run.pool;
        let sample = ServerlessSample {
            concurrent: p.concurrent(),
            pc_busy: p.pc_busy,
            pc_allocated: p.pc_allocated,
            pc_desired: desired,
            warm_idle: p.warm_idle(now),
        };
        if let Some(m) = self.metrics.serverless_mut() {
            m.close_tick(now, sample);
        }
    }

    pub(super) fn serverless_close_period(&mut self) {
        let now = self.now;
        if let Some(m) = self.metrics.serverless_mut() {
            m.close_period(now);
        }
    }

    /// The PC allocated at the end of the tick ending at `end` (target tracking's current
    /// capacity for `SageMakerVariantProvisionedConcurrencyUtilization`), or now.
    pub(super) fn serverless_basis(&self, end: Option<SimTime>) -> Option<u32> {
        let run = self.hosting.serverless()?;
        let at_end = end.and_then(|e| {
            self.metrics
                .serverless()?
                .history()
                .iter()
                .find(|t: &&ServerlessTick| t.end == e)
                .map(|t| t.sample.pc_allocated)
        });
        Some(at_end.unwrap_or(run.pool.pc_allocated))
    }

    /// Requests executing (cold starts included) at the end of the run.
    pub(super) fn serverless_in_flight(&self) -> u64 {
        self.hosting.serverless().map_or(0, |r| u64::from(r.pool.concurrent()))
    }
}
