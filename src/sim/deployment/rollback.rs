//! Deployment rollbacks.
//!
//! Blue/green: blue was never terminated, so all traffic returns to it at once (after
//! `rollback_shift_delay`), and green is terminated. Rolling: the live old instances are
//! reactivated at once; the missing ones are provisioned again, all together or in rounds of
//! `RollbackMaximumBatchSize`, each round moving traffic back and terminating as many new
//! instances. The new instances keep serving until the old capacity is back. Rollbacks have no
//! bake and ignore alarms and the deadline. A round that cannot provision leaves the endpoint
//! `UpdateRollbackFailed` with a mixed fleet that keeps serving.

use super::super::event::Event;
use super::super::world::World;
use super::{DeploymentOutcome, Waiting};
use crate::deployment::{instances, DeploymentPolicy};
use crate::engine::SimDuration;
use crate::model::{ActivityKind, InstanceId, InstanceState};

/// A rollback in progress.
#[derive(Clone, Debug)]
pub(in crate::sim) struct RollbackRun {
    /// `RolledBack` (alarm or provisioning failure) or `TimedOut`.
    pub outcome: DeploymentOutcome,
    pub trigger: String,
    /// Old instances provisioned per round (rolling with `RollbackMaximumBatchSize`); `None`
    /// = all missing ones in one round.
    pub batch: Option<u32>,
    /// Old instances still to be provisioned again.
    pub missing: u32,
    /// Rollback provisioning rounds started.
    pub round: u32,
}

impl World {
    /// Stops the deployment and starts rolling back.
    pub(in crate::sim) fn start_rollback(&mut self, trigger: String, outcome: DeploymentOutcome) {
        let d = self.deploy.as_mut().expect("deployment in progress");
        d.gen += 1;
        d.monitoring = false;
        d.provisioning.clear();
        let (index, n, new) = (d.index, d.n, d.new);
        let cfg = &self.config.deployments[index];
        let rolling = match cfg.policy {
            DeploymentPolicy::Rolling(r) => Some(r.rollback_batch.map(|b| instances(b, n, cfg.guard.rounding))),
            DeploymentPolicy::BlueGreen(_) => None,
        };
        let delay = cfg.guard.rollback_shift_delay_s;
        let d = self.deploy.as_mut().expect("deployment in progress");
        d.rollback = Some(RollbackRun {
            outcome,
            trigger: trigger.clone(),
            batch: rolling.flatten(),
            missing: 0,
            round: 0,
        });
        // Whatever of the new version is still booting or held back never took traffic.
        for id in self.fleet_members(new, |s| s.is_booting() || s == InstanceState::Standby) {
            self.drain_or_terminate(id, "rollback");
        }
        match rolling {
            None => {
                self.record_stage(
                    ActivityKind::DeploymentRollback,
                    None,
                    format!("{trigger}: rollback, 100 % of traffic back to blue"),
                );
                if delay > 0 {
                    let d = self.deploy.as_mut().expect("deployment in progress");
                    d.waiting = Waiting::RollbackShift;
                    let gen = d.gen;
                    self.queue
                        .schedule(self.now + SimDuration::from_secs(delay), Event::DeploymentTimer { gen });
                } else {
                    self.rollback_shift();
                }
            }
            Some(batch) => self.start_rolling_rollback(trigger, batch),
        }
    }

    /// Terminates a booting or idle instance at once; drains one that holds requests.
    pub(super) fn drain_or_terminate(&mut self, id: InstanceId, cause: &str) {
        let Some(inst) = self.instances.get(id) else { return };
        if inst.state.is_booting() {
            self.terminate(id, cause);
        } else {
            self.drain(id, cause);
        }
    }

    /// Blue/green: all traffic back to blue, green terminated.
    pub(in crate::sim) fn rollback_shift(&mut self) {
        let d = self.deploy.as_mut().expect("deployment in progress");
        d.waiting = Waiting::Nothing;
        let (old, new) = (d.old, d.new);
        let rb = d.rollback.clone().expect("rolling back");
        let alive =
            self.fleets[old.0 as usize].in_service() + self.fleets[old.0 as usize].count(InstanceState::Standby);
        self.set_active(old, alive);
        self.set_weights(1.0, 0.0);
        for id in self.fleet_members(new, |s| s != InstanceState::Draining) {
            self.drain_or_terminate(id, "rollback");
        }
        self.finish(rb.outcome, Some(rb.trigger));
    }

    pub(super) fn rebalance(&mut self) {
        let d = self.deploy.as_ref().expect("deployment in progress");
        let (o, n) = (
            self.fleets[d.old.0 as usize].in_service(),
            self.fleets[d.new.0 as usize].in_service(),
        );
        let total = f64::from((o + n).max(1));
        self.set_weights(f64::from(o) / total, f64::from(n) / total);
    }

    /// Drains up to `count` in-service new instances (fewest in flight first).
    pub(super) fn retire_new(&mut self, count: u32) -> u32 {
        let new = self.deploy.as_ref().expect("deployment in progress").new;
        let ids = self.least_busy(new, count);
        for id in &ids {
            self.drain(*id, "rollback");
        }
        ids.len() as u32
    }

    pub(super) fn start_rolling_rollback(&mut self, trigger: String, batch: Option<u32>) {
        let d = self.deploy.as_ref().expect("deployment in progress");
        let (old, n) = (d.old, d.n);
        let standby = self.fleets[old.0 as usize].count(InstanceState::Standby);
        let alive = self.fleets[old.0 as usize].in_service() + standby;
        self.set_active(old, alive);
        // With rollback batches, each old instance back in service retires a new one.
        let retired = if batch.is_some() { self.retire_new(standby) } else { 0 };
        let missing = n.saturating_sub(alive);
        self.deploy
            .as_mut()
            .and_then(|d| d.rollback.as_mut())
            .expect("rolling back")
            .missing = missing;
        self.rebalance();
        self.record_stage(ActivityKind::DeploymentRollback, None,
            format!(
                "{trigger}: rollback {}; {standby} live old instance(s) reactivated, {retired} new retired, {missing} old to provision again",
                match batch {
                    Some(b) => format!("in batches of {b}"),
                    None => "all at once".to_string(),
                }
            ),
        );
        self.next_rollback_round();
    }

    /// Provisions the next round of old instances, or ends the rollback when none is missing.
    pub(super) fn next_rollback_round(&mut self) {
        let d = self.deploy.as_ref().expect("deployment in progress");
        let (v, old, index) = (d.variant, d.old, d.index);
        let rb = d.rollback.clone().expect("rolling back");
        if rb.missing == 0 {
            let rest = self.fleets[d.new.0 as usize].in_service();
            self.retire_new(rest);
            self.set_weights(1.0, 0.0);
            return self.finish(rb.outcome, Some(rb.trigger));
        }
        let k = rb.batch.map_or(rb.missing, |b| b.min(rb.missing));
        let round = rb.round + 1;
        if let Some(msg) = self.quota_exceeded(v, k) {
            return self.rollback_failed(format!("rollback round {round}: ResourceLimitExceeded: {msg}"));
        }
        let fails = self.config.deployments[index].failures.rollback_provisioning == Some(round);
        self.fleets[old.0 as usize].hold = true;
        self.record_stage(
            ActivityKind::DeploymentStage,
            Some("Creating"),
            format!("rollback round {round}: provisioning {k} old instance(s)"),
        );
        let ids: Vec<InstanceId> = (0..k).map(|_| self.launch(old, "rollback")).collect();
        let d = self.deploy.as_mut().expect("deployment in progress");
        d.provisioning = ids;
        d.round_fails = fails;
        d.waiting = Waiting::Provisioning;
        let rb = d.rollback.as_mut().expect("rolling back");
        rb.round = round;
    }

    /// The old instances of a rollback round are ready.
    pub(in crate::sim) fn rollback_round_done(&mut self) {
        let d = self.deploy.as_ref().expect("deployment in progress");
        let (old, fails) = (d.old, d.round_fails);
        let rb = d.rollback.clone().expect("rolling back");
        let ready = self.fleet_members(old, |s| s == InstanceState::Standby);
        if fails {
            for id in ready {
                self.drain_or_terminate(id, "rollback failed");
            }
            return self.rollback_failed(format!("rollback round {} failed (injected)", rb.round));
        }
        let k = ready.len() as u32;
        let target = self.fleets[old.0 as usize].in_service() + k;
        self.set_active(old, target);
        let retired = if rb.batch.is_some() { self.retire_new(k) } else { 0 };
        let d = self.deploy.as_mut().expect("deployment in progress");
        let rb = d.rollback.as_mut().expect("rolling back");
        rb.missing -= k.min(rb.missing);
        let round = rb.round;
        self.rebalance();
        self.record_stage(
            ActivityKind::DeploymentStage,
            None,
            format!("rollback round {round}: {k} old instance(s) active, {retired} new retired"),
        );
        self.next_rollback_round();
    }

    /// A rollback round could not provision: the fleet stays mixed and keeps serving.
    pub(super) fn rollback_failed(&mut self, why: String) {
        let d = self.deploy.as_ref().expect("deployment in progress");
        let rb = d.rollback.clone().expect("rolling back");
        self.fleets[d.old.0 as usize].hold = false;
        self.rebalance();
        self.record_stage(
            ActivityKind::DeploymentRollback,
            None,
            format!("{why}: UpdateRollbackFailed"),
        );
        self.finish(
            DeploymentOutcome::UpdateRollbackFailed,
            Some(format!("{}; {why}", rb.trigger)),
        );
    }

    /// Green or a rolling batch could not be provisioned (quota or injected failure).
    pub(in crate::sim) fn provisioning_failed(&mut self, why: String) {
        self.start_rollback(format!("provisioning failed: {why}"), DeploymentOutcome::RolledBack);
    }
}
