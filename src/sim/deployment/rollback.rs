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
use super::command::DeploymentCommand as Cmd;
use super::run::{Ctx, DeploymentRun, Step, Waiting};
use super::DeploymentOutcome;
use crate::deployment::{instances, DeploymentPolicy, Guardrails};
use crate::engine::SimDuration;
use crate::model::{ActivityKind, InstanceState};

/// A rollback in progress.
#[derive(Clone, Debug)]
pub(super) struct Rollback {
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

/// The steps of a rollback, each looking at the endpoint as the previous one left it.
#[derive(Clone, Debug)]
pub(in crate::sim) enum RollbackStep {
    /// Blue/green: all traffic back to blue.
    Shift,
    /// Blue/green: traffic is back on blue; green goes.
    Shifted,
    /// Rolling: the live old instances are reactivated.
    Rolling,
    /// Old instances came back into service: with rollback batches, as many new ones retire.
    Retire { count: Option<u32>, note: Note },
    /// Traffic follows the in-service instances; the row of the step.
    Rebalance { note: Note, retired: u32 },
    /// The next provisioning round, or the end of the rollback.
    NextRound,
    /// A rollback round failed.
    Failed { why: String },
}

/// What the row of a rolling rollback step says.
#[derive(Clone, Copy, Debug)]
pub(in crate::sim) enum Note {
    Start { standby: u32, missing: u32 },
    Round { round: u32, k: u32 },
}

/// How a policy rolls back a deployment that replaced `n` instances: `None` for blue/green
/// (traffic back at once), else the old instances provisioned per round (`Some(None)`: all
/// missing ones at once).
pub(super) fn rolling_batches(policy: &DeploymentPolicy, guard: &Guardrails, n: u32) -> Option<Option<u32>> {
    match policy {
        DeploymentPolicy::Rolling(r) => Some(r.rollback_batch.map(|b| instances(b, n, guard.rounding))),
        DeploymentPolicy::BlueGreen(_) => None,
    }
}

/// Old instances provisioned in the next rollback round.
pub(super) fn round_size(batch: Option<u32>, missing: u32) -> u32 {
    batch.map_or(missing, |b| b.min(missing))
}

/// Traffic weights `(old, new)` proportional to the in-service instances of each fleet.
pub(super) fn weights_by_instances(old: u32, new: u32) -> (f64, f64) {
    let total = f64::from((old + new).max(1));
    (f64::from(old) / total, f64::from(new) / total)
}

impl DeploymentRun {
    /// Runs `f` on the rollback in progress, if there is one, and says whether there was. The
    /// state is held apart from the run while `f` runs, so `f` changes both; `f` reaches it
    /// only through its argument.
    pub(super) fn in_rollback(&mut self, cx: &mut Ctx, f: impl FnOnce(&mut Self, &mut Ctx, &mut Rollback)) -> bool {
        let Some(mut rb) = self.rollback.take() else {
            return false;
        };
        f(self, cx, &mut rb);
        self.rollback = Some(rb);
        true
    }

    /// Stops the deployment and starts rolling back.
    pub(super) fn start_rollback(&mut self, cx: &mut Ctx, trigger: String, outcome: DeploymentOutcome) {
        self.gen += 1;
        self.monitoring = false;
        self.provisioning.clear();
        let rolling = rolling_batches(&self.cfg.policy, &self.cfg.guard, self.n);
        let delay = self.cfg.guard.rollback_shift_delay_s;
        self.rollback = Some(Rollback {
            outcome,
            trigger: trigger.clone(),
            batch: rolling.flatten(),
            missing: 0,
            round: 0,
        });
        // Whatever of the new version is still booting or held back never took traffic.
        for id in cx
            .view
            .members(self.new, &|s| s.is_booting() || s == InstanceState::Standby)
        {
            cx.out.push(Cmd::DrainOrTerminate { id, cause: "rollback" });
        }
        if rolling.is_some() {
            return self.then(cx, Step::Rollback(RollbackStep::Rolling));
        }
        self.record_stage(
            cx,
            ActivityKind::DeploymentRollback,
            None,
            format!("{trigger}: rollback, 100 % of traffic back to blue"),
        );
        if delay > 0 {
            self.waiting = Waiting::RollbackShift;
            cx.out.push(Cmd::Schedule {
                at: cx.now + SimDuration::from_secs(delay),
                event: Event::DeploymentTimer { gen: self.gen },
            });
        } else {
            self.then(cx, Step::Rollback(RollbackStep::Shift));
        }
    }

    /// Blue/green: all traffic back to blue (also the delayed shift's timer).
    pub(super) fn rollback_shift(&mut self, cx: &mut Ctx) {
        self.waiting = Waiting::Nothing;
        let alive = cx.view.count(self.old, InstanceState::InService) + cx.view.count(self.old, InstanceState::Standby);
        cx.out.push(Cmd::SetActive {
            fleet: self.old,
            target: alive,
        });
        self.set_weights(cx, 1.0, 0.0);
        self.then(cx, Step::Rollback(RollbackStep::Shifted));
    }

    /// Runs a step of the rollback in progress (steps are scheduled only while there is one).
    pub(super) fn rollback_step(&mut self, cx: &mut Ctx, step: RollbackStep) {
        self.in_rollback(cx, |d, cx, rb| d.run_rollback_step(cx, rb, step));
    }

    fn run_rollback_step(&mut self, cx: &mut Ctx, rb: &mut Rollback, step: RollbackStep) {
        match step {
            RollbackStep::Shift => self.rollback_shift(cx),
            RollbackStep::Shifted => {
                for id in cx.view.members(self.new, &|s| s != InstanceState::Draining) {
                    cx.out.push(Cmd::DrainOrTerminate { id, cause: "rollback" });
                }
                self.finish_rollback(cx, rb);
            }
            RollbackStep::Rolling => self.start_rolling_rollback(cx, rb),
            RollbackStep::Retire { count, note } => {
                let retired = count.map_or(0, |c| self.retire_new(cx, c));
                self.then(cx, Step::Rollback(RollbackStep::Rebalance { note, retired }));
            }
            RollbackStep::Rebalance { note, retired } => {
                self.rebalance(cx);
                let (kind, text) = match note {
                    Note::Start { standby, missing } => (
                        ActivityKind::DeploymentRollback,
                        format!(
                            "{}: rollback {}; {standby} live old instance(s) reactivated, {retired} new retired, {missing} old to provision again",
                            rb.trigger,
                            match rb.batch {
                                Some(b) => format!("in batches of {b}"),
                                None => "all at once".to_string(),
                            }
                        ),
                    ),
                    Note::Round { round, k } => (
                        ActivityKind::DeploymentStage,
                        format!("rollback round {round}: {k} old instance(s) active, {retired} new retired"),
                    ),
                };
                self.record_stage(cx, kind, None, text);
                self.then(cx, Step::Rollback(RollbackStep::NextRound));
            }
            RollbackStep::NextRound => self.next_rollback_round(cx, rb),
            RollbackStep::Failed { why } => self.rollback_failed(cx, rb, why),
        }
    }

    fn set_weights(&self, cx: &mut Ctx, old_weight: f64, new_weight: f64) {
        cx.out.push(Cmd::SetWeights {
            old: self.old,
            new: self.new,
            old_weight,
            new_weight,
        });
    }

    fn rebalance(&self, cx: &mut Ctx) {
        let (o, n) = weights_by_instances(
            cx.view.count(self.old, InstanceState::InService),
            cx.view.count(self.new, InstanceState::InService),
        );
        self.set_weights(cx, o, n);
    }

    /// Drains up to `count` in-service new instances (fewest in flight first); returns how many.
    fn retire_new(&self, cx: &mut Ctx, count: u32) -> u32 {
        let ids = cx.view.least_busy(self.new, count);
        let retired = ids.len() as u32;
        cx.out.push(Cmd::Drain {
            ids,
            cause: "rollback".to_string(),
        });
        retired
    }

    fn finish_rollback(&mut self, cx: &mut Ctx, rb: &Rollback) {
        self.then(
            cx,
            Step::Finish {
                outcome: rb.outcome,
                trigger: Some(rb.trigger.clone()),
            },
        );
    }

    fn start_rolling_rollback(&mut self, cx: &mut Ctx, rb: &mut Rollback) {
        let standby = cx.view.count(self.old, InstanceState::Standby);
        let alive = cx.view.count(self.old, InstanceState::InService) + standby;
        cx.out.push(Cmd::SetActive {
            fleet: self.old,
            target: alive,
        });
        let missing = self.n.saturating_sub(alive);
        rb.missing = missing;
        // With rollback batches, each old instance back in service retires a new one.
        let count = rb.batch.map(|_| standby);
        self.then(
            cx,
            Step::Rollback(RollbackStep::Retire {
                count,
                note: Note::Start { standby, missing },
            }),
        );
    }

    /// Provisions the next round of old instances, or ends the rollback when none is missing.
    fn next_rollback_round(&mut self, cx: &mut Ctx, rb: &mut Rollback) {
        if rb.missing == 0 {
            let rest = cx.view.count(self.new, InstanceState::InService);
            self.retire_new(cx, rest);
            self.set_weights(cx, 1.0, 0.0);
            return self.finish_rollback(cx, rb);
        }
        let k = round_size(rb.batch, rb.missing);
        let round = rb.round + 1;
        if let Some(msg) = cx.view.quota_exceeded(self.variant, k) {
            return self.rollback_failed(cx, rb, format!("rollback round {round}: ResourceLimitExceeded: {msg}"));
        }
        let fails = self.cfg.failures.rollback_provisioning == Some(round);
        cx.out.push(Cmd::SetHold {
            fleet: self.old,
            hold: true,
        });
        self.record_stage(
            cx,
            ActivityKind::DeploymentStage,
            Some("Creating"),
            format!("rollback round {round}: provisioning {k} old instance(s)"),
        );
        cx.out.push(Cmd::Launch {
            fleet: self.old,
            count: k,
            cause: "rollback".to_string(),
        });
        self.round_fails = fails;
        self.waiting = Waiting::Provisioning;
        rb.round = round;
    }

    /// The old instances of a rollback round are ready.
    pub(super) fn rollback_round_done(&mut self, cx: &mut Ctx, rb: &mut Rollback) {
        let ready = cx.view.members(self.old, &|s| s == InstanceState::Standby);
        if self.round_fails {
            for id in ready {
                cx.out.push(Cmd::DrainOrTerminate {
                    id,
                    cause: "rollback failed",
                });
            }
            let why = format!("rollback round {} failed (injected)", rb.round);
            return self.then(cx, Step::Rollback(RollbackStep::Failed { why }));
        }
        let k = ready.len() as u32;
        let target = cx.view.count(self.old, InstanceState::InService) + k;
        cx.out.push(Cmd::SetActive {
            fleet: self.old,
            target,
        });
        rb.missing -= k.min(rb.missing);
        let count = rb.batch.map(|_| k);
        let round = rb.round;
        self.then(
            cx,
            Step::Rollback(RollbackStep::Retire {
                count,
                note: Note::Round { round, k },
            }),
        );
    }

    /// A rollback round could not provision: the fleet stays mixed and keeps serving.
    fn rollback_failed(&mut self, cx: &mut Ctx, rb: &Rollback, why: String) {
        let trigger = &rb.trigger;
        cx.out.push(Cmd::SetHold {
            fleet: self.old,
            hold: false,
        });
        self.rebalance(cx);
        self.record_stage(
            cx,
            ActivityKind::DeploymentRollback,
            None,
            format!("{why}: UpdateRollbackFailed"),
        );
        self.then(
            cx,
            Step::Finish {
                outcome: DeploymentOutcome::UpdateRollbackFailed,
                trigger: Some(format!("{trigger}; {why}")),
            },
        );
    }

    /// Green or a rolling batch could not be provisioned (quota or injected failure).
    pub(super) fn provisioning_failed(&mut self, cx: &mut Ctx, why: String) {
        self.start_rollback(cx, format!("provisioning failed: {why}"), DeploymentOutcome::RolledBack);
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::{config, FakeView};
    use super::super::Deployments;
    use super::*;
    use crate::deployment::{CapacitySize, Rolling, TrafficRouting};
    use crate::engine::SimTime;
    use typed_index_collections::TiSlice;

    #[test]
    fn rounds_never_exceed_the_missing_instances() {
        assert_eq!(round_size(None, 5), 5);
        assert_eq!(round_size(Some(2), 5), 2);
        assert_eq!(round_size(Some(4), 3), 3);
        assert_eq!(weights_by_instances(3, 1), (0.75, 0.25));
        assert_eq!(weights_by_instances(0, 0), (0.0, 0.0));
    }

    #[test]
    fn rolling_policies_roll_back_in_batches_of_their_fleet() {
        let mut cfg = config(TrafficRouting::AllAtOnce, 0, 4);
        assert_eq!(rolling_batches(&cfg.policy, &cfg.guard, 10), None);
        cfg.policy = DeploymentPolicy::Rolling(Rolling {
            batch: CapacitySize::InstanceCount(2),
            wait_s: 0,
            rollback_batch: Some(CapacitySize::CapacityPercent(25.0)),
        });
        assert_eq!(rolling_batches(&cfg.policy, &cfg.guard, 10), Some(Some(3)));
    }

    #[test]
    fn a_quota_refusal_rolls_back_to_blue_and_green_goes() {
        let mut view = FakeView::serving(2);
        let mut d = Deployments::new(
            &[config(TrafficRouting::AllAtOnce, 0, 2)],
            TiSlice::from_ref(&["AllTraffic".to_string()]),
        );
        let cmds = d.on_call(0, &view, SimTime::ZERO);
        assert!(matches!(cmds.last(), Some(Cmd::Continue)));
        view.fleets = 2;
        view.quota = Some("quota 2".to_string());
        let cmds = d.resume(&view, SimTime::ZERO);
        let rows: Vec<&str> = cmds
            .iter()
            .filter_map(|c| match c {
                Cmd::Record { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            rows,
            ["provisioning failed: ResourceLimitExceeded: quota 2: rollback, 100 % of traffic back to blue"]
        );
        // Traffic back to blue, then the end.
        let cmds = d.resume(&view, SimTime::ZERO);
        assert_eq!(cmds.len(), 3);
        assert!(matches!(cmds[0], Cmd::SetActive { target: 2, .. }));
        assert!(
            matches!(cmds[1], Cmd::SetWeights { old_weight, new_weight, .. } if old_weight == 1.0 && new_weight == 0.0)
        );
        assert!(matches!(cmds[2], Cmd::Continue));
        d.resume(&view, SimTime::ZERO);
        let cmds = d.resume(&view, SimTime::ZERO);
        assert!(!d.running());
        assert!(cmds
            .iter()
            .any(|c| matches!(c, Cmd::Handover { winner, .. } if winner.0 == 0)));
        let (results, _) = d.into_parts();
        assert_eq!(results[0].outcome, DeploymentOutcome::RolledBack);
    }
}
