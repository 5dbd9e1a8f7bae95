//! The World's side of a serverless endpoint: it asks the serverless controller
//! (`serverless/`) how an arrival is taken and what a provisioned-concurrency (PC) change
//! does, and acts on the answers: metrics, in-flight requests, the event queue and activity
//! rows.
//!
//! The variant's desired count is the requested PC, so Application Auto Scaling
//! (`DesiredProvisionedConcurrency`) drives it through the same `set_desired` as instance
//! counts.
//!
//! Randomness: service time and outcome are drawn at arrival from the variant's streams, as
//! for every endpoint kind, also for requests then throttled (common random numbers); cold
//! start durations are the controller's draws from their own stream.

use super::event::Event;
use super::serverless::{ArrivalDecision, ServerlessCommand};
use super::users::Answer;
use super::world::World;
use crate::engine::{SimDuration, SimTime};
use crate::model::metrics::ServerlessTick;
use crate::model::{Outcome, VariantId, NO_USER};

impl World {
    /// A request of `user` (or `NO_USER`) arrives at a serverless endpoint (its only variant
    /// is 0).
    pub(super) fn on_serverless_arrival(&mut self, user: u32) {
        let now = self.now;
        let fid = self.variants[VariantId(0)].fleets[0];
        let series = self.fleets[fid].series;
        // A 4XX answered by the model is drawn (and recorded) first; it holds no unit.
        // Per-instance metrics do not exist on serverless endpoints (docs/semantics/serverless.md §4): no 1/N.
        let drawn = if user == NO_USER {
            self.draw(VariantId(0), fid, series)
        } else {
            self.draw_user(user, fid, series)
        };
        let Some((service, outcome)) = drawn else {
            self.metrics.invocation(series, 0.0);
            return;
        };
        let Some(ctl) = self.hosting.serverless_mut() else {
            return;
        };
        let (provisioned, spillover, setup) = match ctl.on_arrival(now) {
            ArrivalDecision::Throttled { account_limit } => {
                // Counted as an invocation answered 4XX (ThrottlingException).
                self.metrics.throttled(series);
                if let Some(m) = self.metrics.serverless_mut() {
                    m.throttled(account_limit);
                }
                if user != NO_USER {
                    self.user_answered(user, now, SimDuration::ZERO, Answer::Response);
                }
                return;
            }
            ArrivalDecision::Admitted {
                provisioned,
                spillover,
                cold_start,
            } => (provisioned, spillover, cold_start),
        };
        self.metrics.invocation(series, 0.0);
        if let Some(m) = self.metrics.serverless_mut() {
            m.admitted(provisioned, spillover, setup);
        }
        self.metrics.service_start(series, now, SimDuration::ZERO, false);
        let start = now + setup.unwrap_or(SimDuration::ZERO);
        let user = if user == NO_USER {
            NO_USER
        } else {
            self.user_waits(user, now, start + service)
        };
        let req = self.in_flight.hold(now, start, outcome, user);
        self.queue
            .schedule(start + service, Event::ServerlessDone { req, provisioned });
    }

    /// A serverless request ends: its unit is released (an on-demand container stays warm
    /// for the keep-alive) and the request is measured. `OverheadLatency` includes the cold
    /// start.
    pub(super) fn on_serverless_done(&mut self, req: u32, provisioned: bool) {
        let now = self.now;
        let (arrival, start, outcome, user) = self.in_flight.release(req);
        if let Some(ctl) = self.hosting.serverless_mut() {
            ctl.on_done(now, provisioned);
        }
        let fleet = &self.fleets[self.variants[VariantId(0)].fleets[0]];
        let series = fleet.series;
        let version_overhead = fleet.version.overhead;
        let overhead = (start - arrival) + version_overhead;
        self.metrics
            .service_end(series, now, now - start, overhead, outcome == Outcome::Ok, true);
        if let Some(m) = self.metrics.serverless_mut() {
            m.compute(provisioned, now - start);
        }
        if user != NO_USER {
            self.user_answered(user, arrival, version_overhead, Answer::Response);
        }
    }

    /// Applies the variant's desired count as the requested PC.
    pub(super) fn serverless_converge(&mut self, cause: &str) {
        let now = self.now;
        let desired = self.variants[VariantId(0)].desired;
        let Some(ctl) = self.hosting.serverless_mut() else {
            return;
        };
        let cmds = ctl.on_desired(now, desired, cause);
        self.apply_serverless(cmds);
    }

    /// Raised PC finished provisioning.
    pub(super) fn on_pc_ready(&mut self) {
        let now = self.now;
        let Some(ctl) = self.hosting.serverless_mut() else {
            return;
        };
        let cmds = ctl.on_pc_ready(now);
        self.apply_serverless(cmds);
    }

    /// Carries out the controller's commands in order.
    fn apply_serverless(&mut self, cmds: Vec<ServerlessCommand>) {
        for cmd in cmds {
            match cmd {
                ServerlessCommand::PcAllocated(allocated) => {
                    let now = self.now;
                    if let Some(m) = self.metrics.serverless_mut() {
                        m.pc_allocated(now, allocated);
                    }
                }
                ServerlessCommand::Record { kind, cause, reason } => self.record(VariantId(0), kind, &cause, reason),
                ServerlessCommand::Schedule { at, event } => {
                    self.queue.schedule(at, event);
                }
                ServerlessCommand::CheckActivityEnd => self.check_activity_end(VariantId(0)),
            }
        }
    }

    /// Whether raised PC is still being provisioned (the variant is `Updating`).
    pub(super) fn serverless_provisioning(&self) -> bool {
        self.hosting.serverless().is_some_and(|c| c.provisioning())
    }

    /// Samples the pool at the end of a sampling tick.
    pub(super) fn serverless_close_tick(&mut self) {
        let now = self.now;
        let desired = self.variants.first().map_or(0, |v| v.desired);
        let Some(ctl) = self.hosting.serverless() else {
            return;
        };
        let sample = ctl.sample(now, desired);
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
        let ctl = self.hosting.serverless()?;
        let at_end = end.and_then(|e| {
            self.metrics
                .serverless()?
                .history()
                .iter()
                .find(|t: &&ServerlessTick| t.end == e)
                .map(|t| t.sample.pc_allocated)
        });
        Some(at_end.unwrap_or(ctl.pc_allocated()))
    }

    /// Requests executing (cold starts included) at the end of the run.
    pub(super) fn serverless_in_flight(&self) -> u64 {
        self.hosting.serverless().map_or(0, |c| u64::from(c.in_flight()))
    }
}
