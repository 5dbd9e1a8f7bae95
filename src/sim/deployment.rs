//! Deployments inside the simulation: the `UpdateEndpoint` call, the stages of the plan
//! (provision, shift, bake, termination wait, terminate old), the alarms watching the
//! monitored windows, the deadline, and the statistics `summary.json` reports.
//!
//! Same-instant order (spec 4.5 and the tie rule of R2/R7/R9): metric ticks close and alarms
//! are evaluated first, then the deployment reacts to them, then the deadline, then stage
//! timers. A stage timer or deadline that finds a sampling tick still due at its instant
//! re-queues itself behind the tick, so an alarm reaching `ALARM` exactly when a bake ends
//! still rolls back.
//!
//! Rollbacks live in `rollback.rs`.

use super::event::Event;
use super::world::World;
use crate::deployment::{self, DeploymentPolicy, Stage, TrafficRouting};
use crate::engine::{SimDuration, SimTime};
use crate::model::{ActivityKind, Fleet, FleetId, InstanceId, InstanceState, VariantId};

/// How a deployment ended (`summary.json` `deployment.outcome`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeploymentOutcome {
    Succeeded,
    /// An alarm tripped or provisioning failed; the endpoint is back on the old configuration.
    RolledBack,
    /// `MaximumExecutionTimeoutInSeconds` passed; rolled back.
    TimedOut,
    /// A rolling rollback could not provision; the fleet is mixed and still serving.
    UpdateRollbackFailed,
    /// The call failed validation at its instant (endpoint not `InService`, or a size rule
    /// against the fleet sizes of that moment); nothing changed.
    Rejected,
    /// Still running when the simulation ended.
    InProgress,
}

impl DeploymentOutcome {
    pub fn name(self) -> &'static str {
        match self {
            DeploymentOutcome::Succeeded => "Succeeded",
            DeploymentOutcome::RolledBack => "RolledBack",
            DeploymentOutcome::TimedOut => "TimedOut",
            DeploymentOutcome::UpdateRollbackFailed => "UpdateRollbackFailed",
            DeploymentOutcome::Rejected => "Rejected",
            DeploymentOutcome::InProgress => "InProgress",
        }
    }
}

/// What the deployment is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Waiting {
    /// The instances of a provisioning round to finish booting.
    Provisioning,
    /// A stage timer (bake or termination wait).
    Timer,
    /// The delayed traffic shift of a blue/green rollback.
    RollbackShift,
    /// Nothing: the deployment has ended.
    Nothing,
}

/// A change of the endpoint's status (`EndpointStatus`) or of a variant's deployment stage
/// (`VariantStatus[].Status`).
#[derive(Clone, Debug, PartialEq)]
pub struct StatusChange {
    pub time: SimTime,
    pub variant: String,
    /// `Updating`, `InService` or `UpdateRollbackFailed`.
    pub endpoint: &'static str,
    /// `Creating`, `ActivatingTraffic`, `Baking`, `Deleting` while updating; `InService`
    /// otherwise.
    pub variant_status: &'static str,
}

/// Statistics of one deployment, for `summary.json`.
#[derive(Clone, Debug)]
pub struct DeploymentResult {
    /// `EndpointConfigName` of the new configuration.
    pub name: String,
    pub variant: String,
    pub strategy: &'static str,
    pub outcome: DeploymentOutcome,
    pub started: SimTime,
    pub finished: Option<SimTime>,
    /// The alarm, deadline or failure that started a rollback (or the rejection reason).
    pub rollback_trigger: Option<String>,
    /// Old (`N`) and new (`G`) fleet sizes.
    pub old_instances: u32,
    pub new_instances: u32,
    /// Most live (billed) instances of the variant while the deployment ran.
    pub peak_instances: u32,
    /// Instance-hours above the `N` instances the variant had at the call.
    pub extra_instance_hours: f64,
    /// The seed billing rule's figure (spec 3.4): both fleets for the whole update when it
    /// has several shifting stages or a bake, else one; `None` for rolling updates.
    pub billing_rule_instance_hours: Option<f64>,
    /// Requests routed to the new version's fleet while the deployment ran.
    pub requests_served_by_new_version: u64,
    /// 4XX, 5XX, timed-out and rejected requests of the whole endpoint while it ran.
    pub errors_during_deployment: u64,
}

/// The deployment in progress.
#[derive(Debug)]
pub(super) struct DeploymentRun {
    /// Index into `SimConfig::deployments` and `World::deployment_results`.
    pub index: usize,
    pub variant: VariantId,
    pub old: FleetId,
    pub new: FleetId,
    pub n: u32,
    pub g: u32,
    pub stages: Vec<Stage>,
    /// The stage being executed.
    pub stage: usize,
    pub waiting: Waiting,
    /// Bumped whenever a scheduled timer or deadline stops being meaningful.
    pub gen: u32,
    pub deadline: Option<SimTime>,
    pub first_shift: Option<SimTime>,
    /// Whether a tripped alarm rolls the deployment back now.
    pub monitoring: bool,
    /// Instances of the current provisioning round still booting, and whether the round is
    /// set to fail.
    pub provisioning: Vec<InstanceId>,
    pub round: u32,
    pub round_fails: bool,
    pub rollback: Option<super::rollback::RollbackRun>,
    /// Billing integral: live instances above `n`, and when it was last updated.
    pub extra_us: u128,
    pub live: u32,
    pub live_since: SimTime,
    pub errors_at_start: u64,
}

impl World {
    /// Endpoint errors so far: 4XX, 5XX, timed out and rejected.
    fn error_count(&self) -> u64 {
        let t = &self.metrics.totals;
        t.errors_4xx + t.errors_5xx + t.timed_out + t.rejected_backlog_full + t.rejected_no_capacity
    }

    /// Live instances of variant `v` over its fleets.
    pub(super) fn variant_live(&self, v: VariantId) -> u32 {
        self.variants[v].fleets.iter().map(|f| self.fleets[*f].live()).sum()
    }

    /// Whether the endpoint is `Updating` because of a deployment.
    pub(super) fn deploying(&self) -> bool {
        self.deploy.is_some()
    }

    /// A sampling tick falls at this instant and has not been processed yet.
    fn tick_pending(&self) -> bool {
        let hr = self.config.metrics.high_resolution_period.0.max(1);
        self.now.0 % hr == 0 && self.ticks * hr < self.now.0 && self.now.0 < self.config.duration.0
    }

    /// The `UpdateEndpoint` call of deployment `index`.
    pub(super) fn on_deployment_call(&mut self, index: usize) {
        let cfg = self.config.deployments[index].clone();
        let v = VariantId::from(cfg.variant);
        let vid = v;
        let n = self.variants[v].desired;
        let g = if cfg.retain_all_variant_properties {
            n
        } else {
            cfg.initial_instance_count
        };
        self.deployment_results[index].started = self.now;
        self.deployment_results[index].old_instances = n;
        self.deployment_results[index].new_instances = g;
        // Rule 1: the endpoint must be InService (no deployment or scaling activity running).
        let busy = if let Some(d) = &self.deploy {
            Some(format!(
                "endpoint is Updating (deployment {} in progress)",
                self.config.deployments[d.index].name
            ))
        } else if self.variants.keys().any(|x| self.updating(x)) {
            Some("endpoint is Updating (instances are launching or draining)".to_string())
        } else {
            None
        };
        let rules = deployment::rules::check(
            &cfg.policy,
            &cfg.guard,
            deployment::rules::Fleets {
                n,
                g,
                variants: self.variants.len(),
                alarms: cfg.alarms.len(),
            },
        )
        .0;
        let rejection = busy.or_else(|| {
            rules
                .first()
                .map(|r| format!("{} = {}: allowed {}", r.field, r.value, r.allowed))
        });
        if let Some(why) = rejection {
            let r = &mut self.deployment_results[index];
            r.outcome = DeploymentOutcome::Rejected;
            r.finished = Some(self.now);
            r.rollback_trigger = Some(why.clone());
            self.record(
                vid,
                ActivityKind::DeploymentEnd,
                &cfg.name,
                format!(
                    "UpdateEndpoint to {} rejected: {why}; endpoint stays InService",
                    cfg.name
                ),
            );
            return;
        }

        let old = *self.variants[v].fleets.last().expect("a variant has a fleet");
        let new = FleetId(self.fleets.len() as u16);
        let mut fleet = Fleet::new(new, vid, cfg.model.clone());
        fleet.series = crate::model::metrics::Series::with_config(v.into(), self.config_series_index(v, &cfg.name));
        fleet.traffic_weight = 0.0;
        fleet.hold = true;
        self.fleets.push(fleet);
        self.fleet_launch.push(cfg.launch.clone());
        self.variants[v].fleets.push(new);
        self.variants[v].current_version = cfg.model.clone();

        let stages = deployment::plan(&cfg.policy, &cfg.guard, n, g);
        let deadline = match (cfg.guard.timeout_s, cfg.guard.timeout_clock_start) {
            (Some(t), deployment::ClockStart::UpdateCall) => Some(self.now + SimDuration::from_secs(t)),
            _ => None,
        };
        let live = self.variant_live(v);
        self.deploy = Some(DeploymentRun {
            index,
            variant: v,
            old,
            new,
            n,
            g,
            stages,
            stage: 0,
            waiting: Waiting::Nothing,
            gen: 0,
            deadline,
            first_shift: None,
            monitoring: false,
            provisioning: Vec::new(),
            round: 0,
            round_fails: false,
            rollback: None,
            extra_us: 0,
            live,
            live_since: self.now,
            errors_at_start: self.error_count(),
        });
        self.deployment_results[index].peak_instances = live;
        self.status("Updating", "Updating");
        if let Some(t) = deadline {
            self.queue.schedule(t, Event::DeploymentDeadline { gen: 0 });
        }
        let alarms = self.alarm_names(&cfg.alarms);
        self.record(
            vid,
            ActivityKind::DeploymentStart,
            &cfg.name,
            format!(
                "UpdateEndpoint to {}: {}; {} {n} -> {} {g}; endpoint Updating; {}",
                cfg.name,
                describe_policy(&cfg.policy, cfg.guard.timeout_s),
                self.old_word(),
                self.new_word(),
                if alarms.is_empty() {
                    "no auto-rollback alarms".to_string()
                } else {
                    format!("auto-rollback alarms {alarms}")
                }
            ),
        );
        self.advance();
    }

    /// "blue"/"green" for blue/green updates, "old"/"new" for rolling ones.
    pub(super) fn old_word(&self) -> &'static str {
        match self.deploy.as_ref().map(|d| &self.config.deployments[d.index].policy) {
            Some(DeploymentPolicy::Rolling(_)) => "old",
            _ => "blue",
        }
    }

    pub(super) fn new_word(&self) -> &'static str {
        match self.deploy.as_ref().map(|d| &self.config.deployments[d.index].policy) {
            Some(DeploymentPolicy::Rolling(_)) => "new",
            _ => "green",
        }
    }

    fn alarm_names(&self, alarms: &[usize]) -> String {
        alarms
            .iter()
            .map(|a| self.config.alarms[*a].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Index of the metric series of configuration `name` of variant `v`.
    pub(super) fn config_series_index(&self, v: VariantId, name: &str) -> usize {
        let pos = self
            .config_series
            .iter()
            .position(|(cv, cn)| VariantId::from(*cv) == v && cn == name)
            .expect("every deployment has a configuration series");
        self.variants.len() + pos
    }

    fn cause(&self) -> String {
        let d = self.deploy.as_ref().expect("deployment in progress");
        self.config.deployments[d.index].name.clone()
    }

    /// Records the statuses in effect from now on.
    pub(super) fn status(&mut self, endpoint: &'static str, variant_status: &'static str) {
        let v = match self.deploy.as_ref() {
            Some(d) => d.variant,
            None => return,
        };
        let change = StatusChange {
            time: self.now,
            variant: self.variants[v].name.clone(),
            endpoint,
            variant_status,
        };
        // Several stages at one instant: the last one is what `DescribeEndpoint` shows.
        if self
            .statuses
            .last()
            .is_some_and(|s| s.time == self.now && s.variant == change.variant)
        {
            self.statuses.pop();
        }
        self.statuses.push(change);
    }

    /// Records an activity row of the running deployment; with a `variant_status`, the
    /// variant enters that stage (the row says so and the status series records it).
    pub(super) fn record_stage(&mut self, kind: ActivityKind, variant_status: Option<&'static str>, text: String) {
        let text = match variant_status {
            Some(st) => {
                self.status("Updating", st);
                format!("{text}; VariantStatus {st}")
            }
            None => text,
        };
        let d = self.deploy.as_ref().expect("deployment in progress");
        let v = d.variant;
        let cause = self.cause();
        self.record(v, kind, &cause, text);
    }

    /// Runs stages until one has to wait (for instances or a timer) or the plan is done.
    pub(super) fn advance(&mut self) {
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
                    // Blue/green: the alarms watch from the first shift on (spec 4.5).
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

    fn is_rolling(&self) -> bool {
        self.deploy
            .as_ref()
            .is_some_and(|d| matches!(self.config.deployments[d.index].policy, DeploymentPolicy::Rolling(_)))
    }

    /// The name of a shift for its activity row: canary, linear step k, all at once, batch k.
    fn shift_name(&self, new_active: u32) -> String {
        let d = self.deploy.as_ref().expect("deployment in progress");
        let shifts_before = d.stages[..d.stage]
            .iter()
            .filter(|s| matches!(s, Stage::Shift { .. }))
            .count();
        match self.config.deployments[d.index].policy {
            DeploymentPolicy::Rolling(_) => format!("batch {}", shifts_before + 1),
            DeploymentPolicy::BlueGreen(b) => match b.routing {
                TrafficRouting::AllAtOnce => "all at once".into(),
                TrafficRouting::Canary { .. } if new_active < d.g => "canary".into(),
                TrafficRouting::Canary { .. } => "full shift".into(),
                TrafficRouting::Linear { .. } => format!("linear step {}", shifts_before + 1),
            },
        }
    }

    fn next_stage(&mut self) {
        if let Some(d) = self.deploy.as_mut() {
            d.stage += 1;
        }
    }

    /// Schedules the end of a timed stage (a zero-length stage ends at once).
    fn wait(&mut self, secs: u64) {
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
    fn provision_round(&mut self, count: u32) -> bool {
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
    pub(super) fn fleet_members(&self, fid: FleetId, keep: impl Fn(InstanceState) -> bool) -> Vec<InstanceId> {
        self.instances
            .live()
            .filter(|i| i.fleet == fid && keep(i.state))
            .map(|i| i.id)
            .collect()
    }

    /// Brings the in-service count of fleet `fid` to `target`: activates standby instances
    /// (oldest first) or deactivates in-service ones (fewest requests in flight, newest first).
    pub(super) fn set_active(&mut self, fid: FleetId, target: u32) {
        let current = self.fleets[fid].in_service();
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
    pub(super) fn least_busy(&self, fid: FleetId, count: u32) -> Vec<InstanceId> {
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
    pub(super) fn set_weights(&mut self, old_w: f64, new_w: f64) {
        let d = self.deploy.as_ref().expect("deployment in progress");
        let (old, new) = (d.old, d.new);
        self.fleets[old].traffic_weight = old_w;
        self.fleets[new].traffic_weight = new_w;
        for (from, to) in [(old, new), (new, old)] {
            let f = &self.fleets[from];
            if (f.traffic_weight > 0.0 && f.in_service() > 0) || f.backlog.is_empty() {
                continue;
            }
            let mut moved = std::mem::take(&mut self.fleets[from].backlog);
            moved.timer_armed = false;
            let target = &mut self.fleets[to].backlog;
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
    /// traffic; blue/green sends `new_active / G` of it to green (spec 3.3), rolling splits
    /// by active instances.
    fn shift(&mut self, new_active: u32, old_active: u32) {
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

    /// Opens a monitored window: from now on a tripped alarm rolls back, and one already in
    /// `ALARM` counts as tripped at once (spec 4.5).
    fn open_window(&mut self) {
        let d = self.deploy.as_mut().expect("deployment in progress");
        d.monitoring = true;
        self.check_alarms(true);
    }

    /// Called after every alarm evaluation (sampling ticks).
    pub(super) fn watch_deployment(&mut self) {
        let Some(d) = self.deploy.as_ref() else { return };
        if !d.monitoring || d.rollback.is_some() {
            return;
        }
        let poll = self.config.deployments[d.index].alarm_poll_interval.0;
        // Polls fall on multiples of the interval from time zero (a multiple of the tick).
        if poll > 0 && self.now.0 % poll != 0 {
            return;
        }
        self.check_alarms(false);
    }

    /// Rolls back if a watched alarm is in `ALARM`.
    fn check_alarms(&mut self, window_start: bool) {
        let Some(d) = self.deploy.as_ref() else { return };
        if !d.monitoring || d.rollback.is_some() {
            return;
        }
        let tripped = self.config.deployments[d.index]
            .alarms
            .iter()
            .map(|a| self.scaling.alarm(*a))
            .find(|a| a.state == crate::autoscaling::alarm::AlarmState::Alarm);
        if let Some(a) = tripped {
            let trigger = format!(
                "alarm {} in ALARM{} at {}",
                a.cfg.name,
                if window_start { " when the window opened" } else { "" },
                self.now
            );
            self.start_rollback(trigger, DeploymentOutcome::RolledBack);
        }
    }

    /// A stage timer fired.
    pub(super) fn on_deployment_timer(&mut self, gen: u32) {
        let Some(d) = self.deploy.as_ref() else { return };
        if d.gen != gen {
            return;
        }
        if self.tick_pending() {
            // Alarms first: fire again behind this instant's sampling tick.
            self.queue.schedule(self.now, Event::DeploymentTimer { gen });
            return;
        }
        if d.deadline == Some(self.now) && d.rollback.is_none() {
            // The deadline wins a tie with a stage timer (spec R2, R9).
            self.timeout();
            return;
        }
        match d.waiting {
            Waiting::Timer => {
                self.deploy.as_mut().expect("deployment").waiting = Waiting::Nothing;
                self.advance();
            }
            Waiting::RollbackShift => self.rollback_shift(),
            Waiting::Provisioning | Waiting::Nothing => {}
        }
    }

    /// The `MaximumExecutionTimeoutInSeconds` deadline.
    pub(super) fn on_deployment_deadline(&mut self, gen: u32) {
        let Some(d) = self.deploy.as_ref() else { return };
        if d.deadline != Some(self.now) || d.rollback.is_some() {
            return;
        }
        if self.tick_pending() {
            self.queue.schedule(self.now, Event::DeploymentDeadline { gen });
            return;
        }
        self.timeout();
    }

    fn timeout(&mut self) {
        let d = self.deploy.as_ref().expect("deployment in progress");
        let t = self.config.deployments[d.index].guard.timeout_s.unwrap_or(0);
        let trigger = format!("MaximumExecutionTimeoutInSeconds {t} s reached at {}", self.now);
        self.start_rollback(trigger, DeploymentOutcome::TimedOut);
    }

    /// An instance of a held fleet finished booting (it waits in `Standby`).
    pub(super) fn deployment_instance_ready(&mut self, id: InstanceId) {
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

    /// Keeps the billing statistics of the running deployment current.
    pub(super) fn deployment_billing(&mut self, v: VariantId) {
        let Some(d) = self.deploy.as_ref() else { return };
        if d.variant != v {
            return;
        }
        let live = self.variant_live(v);
        let now = self.now;
        let d = self.deploy.as_mut().expect("checked");
        d.extra_us += u128::from(d.live.saturating_sub(d.n)) * u128::from((now - d.live_since).0);
        d.live = live;
        d.live_since = now;
        let r = &mut self.deployment_results[d.index];
        r.peak_instances = r.peak_instances.max(live);
    }

    /// Brings the running deployment's statistics up to now (at its end, or when the run ends
    /// first).
    pub(super) fn deployment_snapshot(&mut self) {
        let Some(v) = self.deploy.as_ref().map(|d| d.variant) else {
            return;
        };
        self.deployment_billing(v);
        let d = self.deploy.as_ref().expect("checked");
        let served = self.fleets[d.new].routed;
        let errors = self.error_count() - d.errors_at_start;
        let extra = d.extra_us as f64 / 3.6e9;
        let r = &mut self.deployment_results[d.index];
        r.extra_instance_hours = extra;
        r.requests_served_by_new_version = served;
        r.errors_during_deployment = errors;
    }

    /// Ends the deployment: statistics, statuses, the scalable target takes over.
    pub(super) fn finish(&mut self, outcome: DeploymentOutcome, trigger: Option<String>) {
        let v = self.deploy.as_ref().expect("deployment in progress").variant;
        self.deployment_snapshot();
        if outcome == DeploymentOutcome::UpdateRollbackFailed {
            self.status("UpdateRollbackFailed", "InService");
        } else {
            self.status("InService", "InService");
        }
        let d = self.deploy.take().expect("deployment in progress");
        let now = self.now;
        let cfg = &self.config.deployments[d.index];
        let name = cfg.name.clone();
        let seed_rule = match cfg.policy {
            DeploymentPolicy::Rolling(_) => None,
            DeploymentPolicy::BlueGreen(b) => {
                let single = matches!(b.routing, TrafficRouting::AllAtOnce) && b.wait_s == 0;
                let fleets = if single { 1.0 } else { 2.0 };
                Some(fleets * f64::from(d.n) * (now - self.deployment_results[d.index].started).as_secs_f64() / 3600.0)
            }
        };
        let r = &mut self.deployment_results[d.index];
        r.outcome = outcome;
        r.finished = Some(now);
        r.rollback_trigger = trigger.clone();
        r.billing_rule_instance_hours = seed_rule;
        let took = now - r.started;
        // The fleet that won becomes the variant's current fleet; new instances of the loser
        // would no longer be held back.
        let winner = if outcome == DeploymentOutcome::Succeeded {
            d.new
        } else {
            d.old
        };
        for f in [d.old, d.new] {
            self.fleets[f].hold = false;
        }
        let fleets = &mut self.variants[v].fleets;
        fleets.retain(|f| *f != winner);
        fleets.push(winner);
        if outcome == DeploymentOutcome::Succeeded {
            self.variants[v].current_version = self.fleets[d.new].version.clone();
        } else if outcome != DeploymentOutcome::UpdateRollbackFailed {
            self.variants[v].current_version = self.fleets[d.old].version.clone();
        }
        self.drop_empty_fleets(v);
        let serving = self.fleets[winner].in_service()
            + if outcome == DeploymentOutcome::UpdateRollbackFailed {
                self.fleets[d.new].in_service()
            } else {
                0
            };
        // The scalable target governs the winning fleet from its current size (spec 7).
        self.variants[v].desired = serving;
        self.scaling.on_desired_changed(v, serving);
        let vid = v;
        let status = if outcome == DeploymentOutcome::UpdateRollbackFailed {
            "endpoint UpdateRollbackFailed (mixed fleet, still serving)".to_string()
        } else {
            let on = if outcome == DeploymentOutcome::Succeeded {
                name.clone()
            } else {
                self.config_name_of(d.old)
            };
            format!("endpoint InService on {on} ({serving} instances)")
        };
        self.record(
            vid,
            ActivityKind::DeploymentEnd,
            &name,
            format!(
                "deployment {name} {} after {} s: {status}{}",
                outcome.name(),
                crate::autoscaling::alarm::fmt_num(took.as_secs_f64()),
                trigger.map(|t| format!("; failure reason: {t}")).unwrap_or_default()
            ),
        );
        self.after_deployment(v);
    }

    /// The configuration name a fleet's requests are recorded under.
    pub(super) fn config_name_of(&self, fid: FleetId) -> String {
        match self.fleets[fid].series.config() {
            Some(c) => self.config_series[c - self.variants.len()].1.clone(),
            None => self.config.endpoint.config_name.clone(),
        }
    }

    /// Removes fleets with no live instance from the variant's list (never the current one).
    pub(super) fn drop_empty_fleets(&mut self, v: VariantId) {
        let keep_new = self.deploy.as_ref().filter(|d| d.variant == v).map(|d| (d.old, d.new));
        let fleets = &self.variants[v].fleets;
        let last = *fleets.last().expect("a variant has a fleet");
        let keep: Vec<FleetId> = fleets
            .iter()
            .copied()
            .filter(|f| {
                *f == last
                    || keep_new.is_some_and(|(o, n)| *f == o || *f == n)
                    || self.fleets[*f].live() > 0
                    || !self.fleets[*f].backlog.is_empty()
            })
            .collect();
        self.variants[v].fleets = keep;
    }

    /// Scaling resumes after a deployment: bounds that moved meanwhile (scheduled actions)
    /// apply to the fleet now (spec 7: clamp at the next evaluation).
    fn after_deployment(&mut self, v: VariantId) {
        self.scaling_resumes(v);
    }
}

/// "CANARY (CAPACITY_PERCENT 30), wait 600 s, final bake 600 s, termination wait 600 s,
/// timeout 1800 s".
fn describe_policy(p: &DeploymentPolicy, timeout_s: Option<u64>) -> String {
    let mut s = match p {
        DeploymentPolicy::BlueGreen(b) => {
            let mode = match b.routing {
                TrafficRouting::AllAtOnce => "ALL_AT_ONCE".to_string(),
                TrafficRouting::Canary { size } => format!("CANARY ({size})"),
                TrafficRouting::Linear { step } => format!("LINEAR ({step})"),
            };
            let mut s = format!("{mode}, wait {} s", b.wait_s);
            if matches!(b.routing, TrafficRouting::Canary { .. }) {
                s.push_str(&format!(", final bake {} s", b.final_bake_s));
            }
            s.push_str(&format!(", termination wait {} s", b.termination_wait_s));
            s
        }
        DeploymentPolicy::Rolling(r) => {
            let mut s = format!("ROLLING (batch {}), wait {} s", r.batch, r.wait_s);
            if let Some(rb) = r.rollback_batch {
                s.push_str(&format!(", rollback batch {rb}"));
            }
            s
        }
    };
    if let Some(t) = timeout_s {
        s.push_str(&format!(", timeout {t} s"));
    }
    s
}
