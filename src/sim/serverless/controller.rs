//! The serverless controller ([`ServerlessController`]): admission of arrivals, the cold-start
//! draw, provisioned-concurrency (PC) changes and the samples the World reports.

use super::super::event::Event;
use super::super::serverless_config::ServerlessConfig;
use super::command::{ArrivalDecision, ServerlessCommand};
use super::pool::{Admission, PoolLimits, ServerlessPool};
use crate::engine::{SimRng, SimTime};
use crate::model::metrics::ServerlessSample;
use crate::model::ActivityKind;

/// The serverless state of a run and the decisions on it.
pub(in crate::sim) struct ServerlessController {
    cfg: ServerlessConfig,
    pool: ServerlessPool,
    /// The `cold-start/<variant>` stream: one draw per cold start, nothing else.
    cold_start_rng: SimRng,
}

impl ServerlessController {
    /// The endpoint at time zero with `pc` units provisioned and ready.
    pub fn new(cfg: ServerlessConfig, pc: u32, cold_start_rng: SimRng) -> Self {
        let limits = PoolLimits {
            max_concurrency: cfg.max_concurrency,
            account_concurrency: cfg.account_concurrency,
            other_endpoints: cfg.other_endpoints_concurrency,
            keep_alive: cfg.keep_alive,
        };
        ServerlessController {
            pool: ServerlessPool::new(limits, pc),
            cfg,
            cold_start_rng,
        }
    }

    /// A request arrives at `now` (the World has drawn its service and outcome, and answered a
    /// model 4XX itself: that holds no unit). Takes the unit it is admitted on; a cold start
    /// draws its duration here, so the stream advances once per cold start.
    // Inlined: every request of a serverless run comes through here.
    #[inline]
    pub fn on_arrival(&mut self, now: SimTime) -> ArrivalDecision {
        let admission = self.pool.admit(now);
        match admission {
            Admission::ThrottledMaxConcurrency => ArrivalDecision::Throttled { account_limit: false },
            Admission::ThrottledAccount => ArrivalDecision::Throttled { account_limit: true },
            Admission::Provisioned | Admission::WarmOnDemand | Admission::ColdOnDemand => {
                let provisioned = admission == Admission::Provisioned;
                ArrivalDecision::Admitted {
                    provisioned,
                    spillover: !provisioned && self.cfg.provisioned_concurrency.is_some(),
                    cold_start: (admission == Admission::ColdOnDemand)
                        .then(|| self.cfg.cold_start.sample(&mut self.cold_start_rng)),
                }
            }
        }
    }

    /// A request admitted with `provisioned` ends at `now`: its unit is free again, an
    /// on-demand container stays warm for the keep-alive.
    #[inline]
    pub fn on_done(&mut self, now: SimTime, provisioned: bool) {
        self.pool.release(now, provisioned);
    }

    /// The variant's desired count, the requested PC, is `desired` at `now`: raised units are
    /// ready after the provisioning time (an activity row and a `ProvisionedConcurrencyReady`
    /// event then); cut units leave at once (busy ones finish their request).
    pub fn on_desired(&mut self, now: SimTime, desired: u32, cause: &str) -> Vec<ServerlessCommand> {
        let ready_at = self.pool.set_pc(now, desired, self.cfg.pc_provisioning_time);
        let allocated = self.pool.pc_allocated;
        let mut cmds = vec![ServerlessCommand::PcAllocated(allocated)];
        if let Some(at) = ready_at {
            cmds.push(ServerlessCommand::Record {
                kind: ActivityKind::InstanceLaunch,
                cause: cause.to_string(),
                reason: format!("provisioned concurrency {allocated} -> {desired} requested; ready at {at}"),
            });
            cmds.push(ServerlessCommand::Schedule {
                at,
                event: Event::ProvisionedConcurrencyReady,
            });
        }
        cmds
    }

    /// A `ProvisionedConcurrencyReady` event at `now`: raised PC whose provisioning ended goes
    /// into service. Nothing when the raise was cut back before it was ready.
    pub fn on_pc_ready(&mut self, now: SimTime) -> Vec<ServerlessCommand> {
        if self.pool.pc_ready(now) == 0 {
            return Vec::new();
        }
        let allocated = self.pool.pc_allocated;
        vec![
            ServerlessCommand::PcAllocated(allocated),
            ServerlessCommand::Record {
                kind: ActivityKind::InstanceInService,
                cause: "provisioning".to_string(),
                reason: format!("provisioned concurrency {allocated} allocated"),
            },
            ServerlessCommand::CheckActivityEnd,
        ]
    }

    /// Whether raised PC is still being provisioned (the variant is `Updating`).
    pub fn provisioning(&self) -> bool {
        !self.pool.pc_pending.is_empty()
    }

    /// The pool at `now`, for the end of a sampling tick; `desired` is the variant's desired
    /// count (the requested PC, the scalable dimension).
    pub fn sample(&self, now: SimTime, desired: u32) -> ServerlessSample {
        ServerlessSample {
            concurrent: self.pool.concurrent(),
            pc_busy: self.pool.pc_busy,
            pc_allocated: self.pool.pc_allocated,
            pc_desired: desired,
            warm_idle: self.pool.warm_idle(now),
        }
    }

    /// Requests executing, cold starts included.
    pub fn in_flight(&self) -> u32 {
        self.pool.concurrent()
    }

    /// PC units provisioned and ready.
    pub fn pc_allocated(&self) -> u32 {
        self.pool.pc_allocated
    }
}
