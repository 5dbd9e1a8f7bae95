//! The stage runner: provisioning rounds, traffic shifts, bakes, the termination wait and the
//! termination of the old instances, run in plan order until one has to wait.

use super::super::event::Event;
use super::super::world::World;
use super::{DeploymentOutcome, Waiting};
use crate::deployment::{self, DeploymentPolicy, Stage};
use crate::engine::SimDuration;
use crate::model::{ActivityKind, FleetId, InstanceId, InstanceState};

impl World {
    /// Runs stages until one has to wait (for instances or a timer) or the plan is done.
    pub(in crate::sim) fn advance(&mut self) {
        loop {
            let Some(d) = self.deploy.as_ref() else { return };
            if d.rollback.is_some() {
                return;
            }
            let Some(&stage) = d.stages.get(d.stage) else {
                self.finish(DeploymentOutcome::Succeeded, None);
                return;
            };
            let (n, g, is_rolling) = (d.n, d.g, self.is_rolling());
            match stage {
                Stage::Provision { count } => {
                    if !self.provision_round(count) {
                        return;
                    }
                    let d = self.deploy.as_mut().expect("deployment in progress");
                    d.waiting = Waiting::Provisioning;
                    return;
                }
                Stage::Shift { new_active, old_active } => {
                    self.shift(new_active, old_active);
                    let pct = f64::from(new_active) / f64::from(if is_rolling { n } else { g }.max(1)) * 100.0;
                    let text = format!(
                        "{}: {new_active} of {} {} instances active, {old_active} of {n} {}; {} % of traffic to {}",
                        self.shift_name(new_active),
                        if is_rolling { n } else { g },
                        self.new_word(),
                        self.old_word(),
                        crate::autoscaling::alarm::fmt_num((pct * 100.0).round() / 100.0),
                        self.new_word(),
                    );
                    self.record_stage(ActivityKind::DeploymentStage, Some("ActivatingTraffic"), text);
                    let d = self.deploy.as_mut().expect("deployment in progress");
                    if d.first_shift.is_none() {
                        d.first_shift = Some(self.now);
                        let i = d.index;
                        let guard = self.config.deployments[i].guard;
                        if let (Some(t), deployment::ClockStart::FirstShift) =
                            (guard.timeout_s, guard.timeout_clock_start)
                        {
                            let at = self.now + SimDuration::from_secs(t);
                            let d = self.deploy.as_mut().expect("deployment in progress");
                            d.deadline = Some(at);
                            let gen = d.gen;
                            self.queue.schedule(at, Event::DeploymentDeadline { gen });
                        }
                    }
                    // Blue/green: the alarms watch from the first shift on.
                    if !is_rolling {
                        self.open_window();
                        if self.deploy.as_ref().is_none_or(|d| d.rollback.is_some()) {
                            return;
                        }
                    }
                    self.next_stage();
                }
                Stage::Bake { secs } => {
                    if is_rolling {
                        self.open_window();
                        if self.deploy.as_ref().is_none_or(|d| d.rollback.is_some()) {
                            return;
                        }
                    }
                    let alarms = self
                        .alarm_names(&self.config.deployments[self.deploy.as_ref().expect("deployment").index].alarms);
                    let text = if alarms.is_empty() {
                        format!("baking {secs} s")
                    } else {
                        format!("baking {secs} s, alarms {alarms} watched")
                    };
                    self.record_stage(ActivityKind::DeploymentStage, Some("Baking"), text);
                    self.wait(secs);
                    return;
                }
                Stage::TerminationWait { secs } => {
                    let i = self.deploy.as_ref().expect("deployment").index;
                    if !self.config.deployments[i].guard.monitor_termination_wait {
                        self.deploy.as_mut().expect("deployment").monitoring = false;
                    }
                    let text = format!("termination wait {secs} s before {} is terminated", self.old_word());
                    self.record_stage(ActivityKind::DeploymentStage, Some("Baking"), text);
                    self.wait(secs);
                    return;
                }
                Stage::TerminateOld { count } => {
                    // Blue/green: the window closes as blue starts terminating; rolling: the
                    // batch's bake has ended.
                    self.deploy.as_mut().expect("deployment").monitoring = false;
                    let old = self.deploy.as_ref().expect("deployment").old;
                    let ids = self.fleet_members(old, |s| s == InstanceState::Standby);
                    let ids: Vec<InstanceId> = ids.into_iter().take(count as usize).collect();
                    let text = format!("terminating {} {} instance(s)", ids.len(), self.old_word());
                    self.record_stage(ActivityKind::DeploymentStage, Some("Deleting"), text);
                    let cause = self.cause();
                    for id in ids {
                        self.drain(id, &cause);
                    }
                    self.next_stage();
                }
            }
        }
    }

    pub(super) fn is_rolling(&self) -> bool {
        self.deploy
            .as_ref()
            .is_some_and(|d| matches!(self.config.deployments[d.index].policy, DeploymentPolicy::Rolling(_)))
    }

    pub(super) fn next_stage(&mut self) {
        if let Some(d) = self.deploy.as_mut() {
            d.stage += 1;
        }
    }

    /// Schedules the end of a timed stage (a zero-length stage ends at once).
    pub(super) fn wait(&mut self, secs: u64) {
        let d = self.deploy.as_mut().expect("deployment in progress");
        d.stage += 1;
        if secs == 0 {
            return self.advance();
        }
        d.gen += 1;
        d.waiting = Waiting::Timer;
        let gen = d.gen;
        self.queue
            .schedule(self.now + SimDuration::from_secs(secs), Event::DeploymentTimer { gen });
    }

    /// Launches a provisioning round of `count` new instances; false when it failed at once
    /// (account quota), in which case the failure has been handled.
    pub(super) fn provision_round(&mut self, count: u32) -> bool {
        let d = self.deploy.as_ref().expect("deployment in progress");
        let (v, new, index) = (d.variant, d.new, d.index);
        let round = d.round + 1;
        if let Some(msg) = self.quota_exceeded(v, count) {
            self.deploy.as_mut().expect("deployment").stage += 1;
            self.provisioning_failed(format!("ResourceLimitExceeded: {msg}"));
            return false;
        }
        let fails = self.config.deployments[index].failures.provisioning == Some(round);
        let text = format!("provisioning {count} {} instance(s)", self.new_word());
        self.record_stage(ActivityKind::DeploymentStage, Some("Creating"), text);
        let cause = self.cause();
        let ids: Vec<InstanceId> = (0..count).map(|_| self.launch(new, &cause)).collect();
        let d = self.deploy.as_mut().expect("deployment in progress");
        d.round = round;
        d.round_fails = fails;
        d.provisioning = ids;
        d.stage += 1;
        true
    }

    /// Live instances of fleet `fid` in a state accepted by `keep`, oldest first.
    pub(in crate::sim) fn fleet_members(&self, fid: FleetId, keep: impl Fn(InstanceState) -> bool) -> Vec<InstanceId> {
        self.instances
            .live()
            .filter(|i| i.fleet == fid && keep(i.state))
            .map(|i| i.id)
            .collect()
    }

    /// Brings the in-service count of fleet `fid` to `target`: activates standby instances
    /// (oldest first) or deactivates in-service ones (fewest requests in flight, newest first).
    pub(in crate::sim) fn set_active(&mut self, fid: FleetId, target: u32) {
        let current = self.fleets[fid.0 as usize].in_service();
        if current < target {
            let ids = self.fleet_members(fid, |s| s == InstanceState::Standby);
            for id in ids.into_iter().take((target - current) as usize) {
                self.set_state(id, InstanceState::InService);
                self.pull_backlog(id);
            }
        } else if current > target {
            for id in self.least_busy(fid, current - target) {
                self.set_state(id, InstanceState::Standby);
            }
        }
    }

    /// Up to `count` in-service instances of fleet `fid` to take out of service: fewest
    /// requests in flight first, newest first among equals.
    pub(in crate::sim) fn least_busy(&self, fid: FleetId, count: u32) -> Vec<InstanceId> {
        let mut members: Vec<(u32, u64, InstanceId)> = self
            .instances
            .live()
            .filter(|i| i.fleet == fid && i.state == InstanceState::InService)
            .map(|i| (i.outstanding, i.serial, i.id))
            .collect();
        members.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        members.into_iter().take(count as usize).map(|m| m.2).collect()
    }

    /// Sets the traffic weights of the two fleets and hands the waiting requests of a fleet
    /// that no longer takes traffic to the other one.
    pub(in crate::sim) fn set_weights(&mut self, old_w: f64, new_w: f64) {
        let d = self.deploy.as_ref().expect("deployment in progress");
        let (old, new) = (d.old, d.new);
        self.fleets[old.0 as usize].traffic_weight = old_w;
        self.fleets[new.0 as usize].traffic_weight = new_w;
        for (from, to) in [(old, new), (new, old)] {
            let f = &self.fleets[from.0 as usize];
            if (f.traffic_weight > 0.0 && f.in_service() > 0) || f.backlog.is_empty() {
                continue;
            }
            let mut moved = std::mem::take(&mut self.fleets[from.0 as usize].backlog);
            moved.timer_armed = false;
            let target = &mut self.fleets[to.0 as usize].backlog;
            target.absorb(&mut moved);
            // The merged front may expire earlier than the timer the queue had armed.
            target.timer_armed = false;
            self.arm_backlog_timer(to);
            self.note_backlog(from);
            self.note_backlog(to);
            for id in self.fleet_members(to, |s| s == InstanceState::InService) {
                self.pull_backlog(id);
            }
        }
    }

    /// A traffic shift of the plan: `new_active` new and `old_active` old instances take
    /// traffic; blue/green sends `new_active / G` of it to green, rolling splits
    /// by active instances.
    pub(super) fn shift(&mut self, new_active: u32, old_active: u32) {
        let d = self.deploy.as_ref().expect("deployment in progress");
        let (old, new, g) = (d.old, d.new, d.g);
        let rolling = self.is_rolling();
        self.set_active(new, new_active);
        self.set_active(old, old_active);
        let f = if rolling {
            f64::from(new_active) / f64::from((new_active + old_active).max(1))
        } else {
            f64::from(new_active) / f64::from(g.max(1))
        };
        self.set_weights(if old_active == 0 { 0.0 } else { 1.0 - f }, f);
    }

    /// An instance of a held fleet finished booting (it waits in `Standby`).
    pub(in crate::sim) fn deployment_instance_ready(&mut self, id: InstanceId) {
        let Some(d) = self.deploy.as_mut() else { return };
        let Some(pos) = d.provisioning.iter().position(|x| *x == id) else {
            return;
        };
        d.provisioning.swap_remove(pos);
        if !d.provisioning.is_empty() {
            return;
        }
        if d.rollback.is_some() {
            self.rollback_round_done();
            return;
        }
        if d.round_fails {
            let round = d.round;
            self.provisioning_failed(format!("provisioning round {round} failed (injected)"));
            return;
        }
        d.waiting = Waiting::Nothing;
        self.advance();
    }
}
