//! The stage runner: provisioning rounds, traffic shifts, bakes, the termination wait and the
//! termination of the old instances, run in plan order until one has to wait.
//!
//! Every stage that changes the fleets ends with a call-back (`Continue`), so the next stage
//! looks at the endpoint as the previous one left it.

use super::super::event::Event;
use super::command::DeploymentCommand as Cmd;
use super::describe::{alarm_list, shift_name};
use super::run::{Ctx, DeploymentRun, Step, Waiting};
use super::DeploymentOutcome;
use crate::deployment::{self, Stage};
use crate::engine::SimDuration;
use crate::model::{ActivityKind, InstanceId, InstanceState};

/// The traffic weights `(old, new)` of a shift: blue/green sends `new_active / G` of the
/// traffic to green, rolling splits it by active instances.
pub(super) fn shift_weights(rolling: bool, new_active: u32, old_active: u32, g: u32) -> (f64, f64) {
    let f = if rolling {
        f64::from(new_active) / f64::from((new_active + old_active).max(1))
    } else {
        f64::from(new_active) / f64::from(g.max(1))
    };
    (if old_active == 0 { 0.0 } else { 1.0 - f }, f)
}

impl DeploymentRun {
    /// Runs the next stage of the plan, or ends the deployment when the plan is done.
    pub(super) fn advance(&mut self, cx: &mut Ctx) {
        if self.rollback.is_some() {
            return;
        }
        let Some(&stage) = self.stages.get(self.stage) else {
            return self.then(
                cx,
                Step::Finish {
                    outcome: DeploymentOutcome::Succeeded,
                    trigger: None,
                },
            );
        };
        let (n, g, is_rolling) = (self.n, self.g, self.is_rolling());
        let words = self.words();
        match stage {
            Stage::Provision { count } => {
                if self.provision_round(cx, count) {
                    self.waiting = Waiting::Provisioning;
                }
            }
            Stage::Shift { new_active, old_active } => {
                cx.out.push(Cmd::SetActive {
                    fleet: self.new,
                    target: new_active,
                });
                cx.out.push(Cmd::SetActive {
                    fleet: self.old,
                    target: old_active,
                });
                let (old_weight, new_weight) = shift_weights(is_rolling, new_active, old_active, g);
                cx.out.push(Cmd::SetWeights {
                    old: self.old,
                    new: self.new,
                    old_weight,
                    new_weight,
                });
                let pct = f64::from(new_active) / f64::from(if is_rolling { n } else { g }.max(1)) * 100.0;
                let text = format!(
                    "{}: {new_active} of {} {} instances active, {old_active} of {n} {}; {} % of traffic to {}",
                    shift_name(&self.cfg.policy, &self.stages, self.stage, new_active, g),
                    if is_rolling { n } else { g },
                    words.new,
                    words.old,
                    crate::autoscaling::alarm::fmt_num((pct * 100.0).round() / 100.0),
                    words.new,
                );
                self.record_stage(cx, ActivityKind::DeploymentStage, Some("ActivatingTraffic"), text);
                if self.first_shift.is_none() {
                    self.first_shift = Some(cx.now);
                    let guard = self.cfg.guard;
                    if let (Some(t), deployment::ClockStart::FirstShift) = (guard.timeout_s, guard.timeout_clock_start)
                    {
                        let at = cx.now + SimDuration::from_secs(t);
                        self.deadline = Some(at);
                        cx.out.push(Cmd::Schedule {
                            at,
                            event: Event::DeploymentDeadline { gen: self.gen },
                        });
                    }
                }
                self.then(cx, Step::Shifted);
            }
            Stage::Bake { secs } => {
                if is_rolling && self.open_window(cx) {
                    return;
                }
                let alarms = alarm_list(cx.view, &self.cfg.alarms);
                let text = if alarms.is_empty() {
                    format!("baking {secs} s")
                } else {
                    format!("baking {secs} s, alarms {alarms} watched")
                };
                self.record_stage(cx, ActivityKind::DeploymentStage, Some("Baking"), text);
                self.wait(cx, secs);
            }
            Stage::TerminationWait { secs } => {
                if !self.cfg.guard.monitor_termination_wait {
                    self.monitoring = false;
                }
                let text = format!("termination wait {secs} s before {} is terminated", words.old);
                self.record_stage(cx, ActivityKind::DeploymentStage, Some("Baking"), text);
                self.wait(cx, secs);
            }
            Stage::TerminateOld { count } => {
                // Blue/green: the window closes as blue starts terminating; rolling: the
                // batch's bake has ended.
                self.monitoring = false;
                let ids: Vec<InstanceId> = cx
                    .view
                    .members(self.old, &|s| s == InstanceState::Standby)
                    .into_iter()
                    .take(count as usize)
                    .collect();
                let text = format!("terminating {} {} instance(s)", ids.len(), words.old);
                self.record_stage(cx, ActivityKind::DeploymentStage, Some("Deleting"), text);
                cx.out.push(Cmd::Drain {
                    ids,
                    cause: self.cfg.name.clone(),
                });
                self.stage += 1;
                self.then(cx, Step::Advance);
            }
        }
    }

    /// A traffic shift took effect: blue/green's alarms watch from the first shift on.
    pub(super) fn shifted(&mut self, cx: &mut Ctx) {
        if !self.is_rolling() && self.open_window(cx) {
            return;
        }
        self.stage += 1;
        self.advance(cx);
    }

    /// Schedules the end of a timed stage (a zero-length stage ends at once).
    fn wait(&mut self, cx: &mut Ctx, secs: u64) {
        self.stage += 1;
        if secs == 0 {
            return self.advance(cx);
        }
        self.gen += 1;
        self.waiting = Waiting::Timer;
        cx.out.push(Cmd::Schedule {
            at: cx.now + SimDuration::from_secs(secs),
            event: Event::DeploymentTimer { gen: self.gen },
        });
    }

    /// Launches a provisioning round of `count` new instances; false when it failed at once
    /// (account quota), in which case the failure has been handled.
    fn provision_round(&mut self, cx: &mut Ctx, count: u32) -> bool {
        let round = self.round + 1;
        if let Some(msg) = cx.view.quota_exceeded(self.variant, count) {
            self.stage += 1;
            self.provisioning_failed(cx, format!("ResourceLimitExceeded: {msg}"));
            return false;
        }
        let fails = self.cfg.failures.provisioning == Some(round);
        let text = format!("provisioning {count} {} instance(s)", self.words().new);
        self.record_stage(cx, ActivityKind::DeploymentStage, Some("Creating"), text);
        cx.out.push(Cmd::Launch {
            fleet: self.new,
            count,
            cause: self.cfg.name.clone(),
        });
        self.round = round;
        self.round_fails = fails;
        self.provisioning.clear();
        self.stage += 1;
        true
    }

    /// An instance of a held fleet finished booting.
    pub(super) fn instance_ready(&mut self, cx: &mut Ctx, id: InstanceId) {
        let Some(pos) = self.provisioning.iter().position(|x| *x == id) else {
            return;
        };
        self.provisioning.swap_remove(pos);
        if !self.provisioning.is_empty() {
            return;
        }
        if self.in_rollback(cx, Self::rollback_round_done) {
            return;
        }
        if self.round_fails {
            let round = self.round;
            return self.provisioning_failed(cx, format!("provisioning round {round} failed (injected)"));
        }
        self.waiting = Waiting::Nothing;
        self.advance(cx);
    }
}
