//! Application Auto Scaling inside the simulation: alarm evaluation on sampling ticks, policy
//! proposals, arbitration, cooldowns, scaling activities and scheduled actions.
//!
//! Order within one tick (spec 19 [assumption]): metric ticks and periods close first, then
//! every alarm due at this instant is evaluated, then each scalable target collects proposals
//! from the policies whose alarm was just evaluated in `ALARM`, arbitrates, and starts at most
//! one scaling activity. Scheduled actions are their own events and run before dynamic
//! evaluation at the same instant because they are scheduled earlier.

use super::event::Event;
use super::observe::{self, datapoint, Dimension};
use super::scaling_config::{AlarmConfig, PolicyConfig, TargetConfig};
use super::world::World;
use crate::autoscaling::alarm::{fmt_num, AlarmRule, AlarmState, Comparison};
use crate::autoscaling::cooldown::{arbitrate, Cooldowns, ScalableTarget};
use crate::autoscaling::target_tracking::{decide, Direction, Proposal};
use crate::engine::{SimDuration, SimTime};
use crate::model::{ActivityKind, InstanceState, VariantId};
use std::collections::VecDeque;

/// An alarm and its evaluation state.
#[derive(Debug)]
pub(super) struct AlarmRun {
    pub cfg: AlarmConfig,
    pub state: AlarmState,
    /// The most recent datapoints, oldest first (at most `evaluation_periods`).
    pub window: VecDeque<Option<f64>>,
    /// End of the newest datapoint, and whether it was evaluated at the current tick.
    pub last_end: Option<SimTime>,
    pub evaluated_now: bool,
    pub reason: String,
}

/// Managed alarms of one target tracking policy.
#[derive(Clone, Copy, Debug)]
pub(super) struct ManagedAlarms {
    pub high: usize,
    pub low: usize,
}

/// A scalable target and its controller state.
#[derive(Debug)]
pub(super) struct TargetRun {
    pub cfg: TargetConfig,
    pub target: ScalableTarget,
    pub cooldowns: Cooldowns,
    /// The scaling activity in progress: direction, cooldown [s] and the desired count it set.
    pub activity: Option<(Direction, u64, u32)>,
    /// Per policy (same index as `cfg.policies`): its managed alarms, for target tracking.
    pub managed: Vec<Option<ManagedAlarms>>,
}

/// All autoscaling state of a run.
#[derive(Debug, Default)]
pub(super) struct Autoscaler {
    pub alarms: Vec<AlarmRun>,
    pub targets: Vec<TargetRun>,
}

fn alarm_run(cfg: AlarmConfig) -> AlarmRun {
    AlarmRun {
        cfg,
        state: AlarmState::InsufficientData,
        window: VecDeque::new(),
        last_end: None,
        evaluated_now: false,
        reason: String::new(),
    }
}

impl Autoscaler {
    /// Builds the runtime: user alarms keep their indices; the managed alarms of target
    /// tracking policies follow.
    pub fn new(alarms: &[AlarmConfig], targets: &[TargetConfig], initial: &[u32]) -> Self {
        let mut runs: Vec<AlarmRun> = alarms.iter().cloned().map(alarm_run).collect();
        let mut target_runs = Vec::new();
        for t in targets {
            let mut managed = Vec::new();
            for p in &t.policies {
                managed.push(match p {
                    PolicyConfig::TargetTracking {
                        name,
                        metric,
                        statistic,
                        config,
                        high_period,
                        low_period,
                    } => {
                        // The two alarms AAS creates: above target (scale out) and below
                        // `low_threshold_ratio x target` (scale in).
                        let mut managed =
                            |suffix: &str, period: SimDuration, n: u32, cmp: Comparison, threshold: f64| {
                                runs.push(alarm_run(AlarmConfig {
                                    name: format!("{name}-{suffix}"),
                                    metric: *metric,
                                    dimension: Dimension::Variant(t.variant),
                                    statistic: *statistic,
                                    period,
                                    rule: AlarmRule::new(n, cmp, threshold),
                                }));
                                runs.len() - 1
                            };
                        let high = managed(
                            "AlarmHigh",
                            *high_period,
                            config.high_datapoints,
                            Comparison::GreaterThanThreshold,
                            config.high_threshold(),
                        );
                        let low = managed(
                            "AlarmLow",
                            *low_period,
                            config.low_datapoints,
                            Comparison::LessThanThreshold,
                            config.low_threshold(),
                        );
                        Some(ManagedAlarms { high, low })
                    }
                    PolicyConfig::Step { .. } => None,
                });
            }
            let mut target = ScalableTarget::new(t.min, t.max, initial[t.variant]);
            target.dynamic_in_suspended = t.dynamic_in_suspended;
            target.dynamic_out_suspended = t.dynamic_out_suspended;
            target.scheduled_suspended = t.scheduled_suspended;
            // Registration clamps the current count into the new bounds (spec 2.3).
            target.set_bounds(Some(t.min), Some(t.max));
            target_runs.push(TargetRun {
                cfg: t.clone(),
                target,
                cooldowns: Cooldowns::new(t.cooldown_start),
                activity: None,
                managed,
            });
        }
        Autoscaler {
            alarms: runs,
            targets: target_runs,
        }
    }

    /// How many sampling ticks of history the alarms need.
    pub fn history_ticks(&self, tick: SimDuration, delay: SimDuration) -> usize {
        self.alarms
            .iter()
            .map(|a| ((a.cfg.period.0 + delay.0) / tick.0.max(1)) as usize + 1)
            .max()
            .unwrap_or(0)
    }
}

impl World {
    /// Schedules the first firing of every scheduled action.
    pub(super) fn schedule_actions(&mut self) {
        for t in 0..self.scaling.targets.len() {
            for a in 0..self.scaling.targets[t].cfg.scheduled.len() {
                // Fires at the run's first instant count: search from just before the start.
                let from = self.config.start_time - chrono::TimeDelta::seconds(1);
                self.schedule_action(t, a, from);
            }
        }
    }

    fn schedule_action(&mut self, t: usize, a: usize, after: chrono::DateTime<chrono::Utc>) {
        let start = self.config.start_time;
        let s = &self.scaling.targets[t].cfg.scheduled[a].schedule;
        if let Some(next) = s.next_after_with_origin(after, start) {
            let us = (next - start).num_microseconds().unwrap_or(i64::MAX);
            if us >= 0 && (us as u64) < self.config.duration.0 {
                self.queue.schedule(
                    SimTime(us as u64),
                    Event::ScheduledAction {
                        target: t as u16,
                        action: a as u16,
                    },
                );
            }
        }
    }

    /// A scheduled action fires: move the bounds, scale to them if needed, schedule the next.
    pub(super) fn on_scheduled_action(&mut self, t: usize, a: usize) {
        let run = &mut self.scaling.targets[t];
        let action = run.cfg.scheduled[a].clone();
        let v = VariantId(run.cfg.variant as u16);
        if run.target.scheduled_allowed() {
            let before = (run.target.min, run.target.max, run.target.desired);
            let changed = run.target.set_bounds(action.min, action.max);
            let (min, max) = (run.target.min, run.target.max);
            let what = format!(
                "scheduled action {}: MinCapacity {} -> {}, MaxCapacity {} -> {}",
                action.name, before.0, min, before.1, max
            );
            let current = self.variants[v.0 as usize].desired;
            match changed {
                Some(n) if n != current && self.deploying() => self.record(
                    v,
                    ActivityKind::ScheduledAction,
                    &action.name,
                    format!("{what}; scaling to {n} deferred: endpoint is Updating (deployment in progress)"),
                ),
                Some(n) if n > current && self.quota_refuses(v, current, n, &action.name, &what) => {}
                Some(n) if n != current => self.set_desired(v, n, &action.name, &what),
                _ => self.record(
                    v,
                    ActivityKind::ScheduledAction,
                    &action.name,
                    format!("{what}; desired stays {}", before.2),
                ),
            }
        } else {
            self.record(
                v,
                ActivityKind::ScheduledAction,
                &action.name,
                format!("scheduled action {} skipped: ScheduledScalingSuspended", action.name),
            );
        }
        let now = self.config.start_time + chrono::TimeDelta::microseconds(self.now.0 as i64);
        self.schedule_action(t, a, now);
    }

    /// Evaluates the alarms due now and runs the policies of every target.
    pub(super) fn evaluate_autoscaling(&mut self) {
        let delay = self.config.publication_delay;
        let now = self.now;
        for i in 0..self.scaling.alarms.len() {
            run_eval(self, i, now, delay);
        }
        for t in 0..self.scaling.targets.len() {
            self.run_policies(t);
        }
    }

    fn run_policies(&mut self, t: usize) {
        let now_us = self.now.0;
        let run = &self.scaling.targets[t];
        let v = run.cfg.variant;
        let current = self.variants[v].desired;
        let mut proposals: Vec<(Proposal, u64)> = Vec::new();
        let mut all_in_agree = true;
        for (pi, p) in run.cfg.policies.iter().enumerate() {
            match p {
                PolicyConfig::TargetTracking { name, config, .. } => {
                    let m = run.managed[pi].expect("target tracking has managed alarms");
                    let (high, low) = (&self.scaling.alarms[m.high], &self.scaling.alarms[m.low]);
                    let high_on = high.evaluated_now && high.state == AlarmState::Alarm;
                    let low_on = low.evaluated_now && low.state == AlarmState::Alarm;
                    if !config.disable_scale_in && low.state != AlarmState::Alarm {
                        all_in_agree = false;
                    }
                    let (alarm, on) = if high_on { (high, true) } else { (low, low_on) };
                    if !on {
                        continue;
                    }
                    let Some(Some(metric)) = alarm.window.back().copied() else {
                        continue;
                    };
                    // Serverless: the current capacity is the allocated provisioned concurrency.
                    // The capacity that carried the datapoint, not the count at its end:
                    // instances that came into service late in the period served only part
                    // of its load.
                    let basis = self
                        .serverless_basis(alarm.last_end)
                        .map(f64::from)
                        .or_else(|| {
                            alarm.last_end.and_then(|e| {
                                observe::capacity_basis(&self.metrics, v, alarm.cfg.metric, e, alarm.cfg.period)
                            })
                        })
                        .unwrap_or(f64::from(self.variants[v].in_service));
                    if let Some(prop) = decide(name, config, high_on, low_on, metric, basis, current, &alarm.reason) {
                        let cd = if prop.direction == Direction::Out {
                            config.scale_out_cooldown_s
                        } else {
                            config.scale_in_cooldown_s
                        };
                        proposals.push((prop, cd));
                    }
                }
                PolicyConfig::Step { name, alarm, config } => {
                    let a = &self.scaling.alarms[*alarm];
                    if !(a.evaluated_now && a.state == AlarmState::Alarm) {
                        continue;
                    }
                    let window: Vec<Option<f64>> = a.window.iter().copied().collect();
                    let Some(metric) = config.aggregated_metric(&window, a.cfg.rule.datapoints_to_alarm) else {
                        continue;
                    };
                    let upward = a.cfg.rule.comparison.is_upward();
                    let threshold = a.cfg.rule.threshold;
                    // The matched step's direction decides how the adjustment is applied: a
                    // scale-in step to the current count; a scale-out step, during a scale-out
                    // cooldown, to the count before that scale-out, so that the capacity it
                    // added already counts and only a larger request adds more (spec 8.2, D6).
                    let Some(here) = config.apply(current, metric, threshold, upward) else {
                        continue;
                    };
                    let cur = i64::from(current);
                    let (o, direction) = if here.new_capacity > cur {
                        let origin = run.cooldowns.out_origin(now_us, current);
                        match config.apply(origin, metric, threshold, upward) {
                            Some(o) if o.new_capacity > cur => (o, Direction::Out),
                            _ => continue,
                        }
                    } else if here.new_capacity < cur {
                        (here, Direction::In)
                    } else {
                        continue;
                    };
                    let desired = o.new_capacity.clamp(0, i64::from(u32::MAX)) as u32;
                    let reason = format!("{}: alarm {} in ALARM ({}); {}", name, a.cfg.name, a.reason, o.reason);
                    proposals.push((
                        Proposal {
                            policy: name.clone(),
                            desired,
                            direction,
                            reason,
                        },
                        config.cooldown_s,
                    ));
                }
            }
        }
        if proposals.is_empty() {
            return;
        }
        let plain: Vec<Proposal> = proposals.iter().map(|(p, _)| p.clone()).collect();
        let Some(win) = arbitrate(&plain, current, all_in_agree) else {
            return;
        };
        let cooldown_s = proposals
            .iter()
            .find(|(p, _)| p.policy == win.policy)
            .map_or(300, |(_, c)| *c);
        let run = &mut self.scaling.targets[t];
        if !run.target.allowed(win.direction) {
            return;
        }
        let clamped = run.target.clamp(win.desired);
        if clamped == current {
            return;
        }
        if self.updating(v) {
            // Auto scaling is blocked while the endpoint is Updating; retry at the next tick.
            return;
        }
        let run = &mut self.scaling.targets[t];
        let admitted = match win.direction {
            Direction::Out => run.cooldowns.admit_out(now_us, clamped, current),
            Direction::In => run.cooldowns.admit_in(now_us, clamped, current),
        };
        let Some(n) = admitted else { return };
        if let Some(msg) = self.quota_exceeded(v, n.saturating_sub(current)) {
            let reason = format!("{}; Failed: ResourceLimitExceeded: {msg}", win.reason);
            self.record(VariantId(v as u16), ActivityKind::ScalingFailed, &win.policy, reason);
            return;
        }
        let run = &mut self.scaling.targets[t];
        run.cooldowns.activity_started(now_us, win.direction, cooldown_s, n);
        run.activity = Some((win.direction, cooldown_s, n));
        let reason = if n == win.desired {
            win.reason.clone()
        } else {
            format!("{}; clamped to {n}", win.reason)
        };
        self.set_desired(VariantId(v as u16), n, &win.policy, &reason);
        self.check_activity_end(v);
    }

    /// An out-of-band `UpdateEndpointWeightsAndCapacities` call: sets the desired count
    /// unless the account quota refuses the extra instances.
    pub(super) fn on_capacity_update(&mut self, index: usize) {
        let u = self.config.endpoint.capacity_updates[index].clone();
        let v = VariantId(u.variant as u16);
        let current = self.variants[u.variant].desired;
        let what = "UpdateEndpointWeightsAndCapacities";
        if self.deploying() {
            let reason = format!(
                "{what} desired {current} -> {} rejected: endpoint is Updating (deployment in progress)",
                u.desired
            );
            self.record(v, ActivityKind::ScalingFailed, "capacity_update", reason);
            return;
        }
        if u.desired > current && self.quota_refuses(v, current, u.desired, "capacity_update", what) {
            return;
        }
        self.set_desired(v, u.desired, "capacity_update", what);
    }

    /// Records a failed scaling activity and returns true when going from `current` to `to`
    /// instances would exceed the account quota (spec A5: the desired count stays).
    fn quota_refuses(&mut self, v: VariantId, current: u32, to: u32, cause: &str, what: &str) -> bool {
        let Some(msg) = self.quota_exceeded(v.0 as usize, to - current) else {
            return false;
        };
        let reason =
            format!("{what}; desired {current} -> {to} Failed: ResourceLimitExceeded: {msg}; desired stays {current}");
        self.record(v, ActivityKind::ScalingFailed, cause, reason);
        true
    }

    /// The account quota message when adding `delta` instances of the variant's type would
    /// exceed it.
    pub(super) fn quota_exceeded(&self, v: usize, delta: u32) -> Option<String> {
        if self.hosts_components() {
            // Copies are not instances: managed instance scaling checks the quota per host.
            return None;
        }
        let ty = &self.variants[v].instance;
        let quota = ty.endpoint_quota?;
        let in_use: u32 = self
            .variants
            .iter()
            .filter(|x| x.instance.name == ty.name)
            .map(|x| x.fleets.iter().map(|f| self.fleets[f.0 as usize].live()).sum::<u32>())
            .sum();
        (in_use + delta > quota).then(|| {
            format!("account-level service limit '{} for endpoint usage' is {quota} Instances, with current utilization of {in_use} Instances and a request delta of {delta} Instances", ty.name)
        })
    }

    /// Whether the variant is `Updating`: instances are booting or draining.
    pub(super) fn updating(&self, v: usize) -> bool {
        self.deploying()
            || self.serverless_provisioning()
            || [
                InstanceState::Pending,
                InstanceState::Provisioning,
                InstanceState::Loading,
                InstanceState::Draining,
            ]
            .iter()
            // A copy waiting for room (`Pending` on an inference component) is not an update
            // in progress: scaling must stay free to remove it.
            .filter(|s| !(self.hosts_components() && **s == InstanceState::Pending))
            .any(|s| self.instance_count(v, *s) > 0)
    }

    /// Ends the scaling activity of variant `v` once its fleet has converged, starting the
    /// cooldown when it counts from the activity's end.
    pub(super) fn check_activity_end(&mut self, v: usize) {
        if self.scaling.targets.is_empty() || self.updating(v) {
            return;
        }
        let now = self.now.0;
        for run in self.scaling.targets.iter_mut().filter(|r| r.cfg.variant == v) {
            if let Some((dir, cd, desired)) = run.activity.take() {
                run.cooldowns.activity_ended(now, dir, cd, desired);
            }
        }
    }
}

/// Evaluates alarm `i` if one of its periods (shifted by the publication delay) ends now.
fn run_eval(w: &mut World, i: usize, now: SimTime, delay: SimDuration) {
    w.scaling.alarms[i].evaluated_now = false;
    let a = &w.scaling.alarms[i];
    let period = a.cfg.period.0;
    if now.0 < delay.0 + period || (now.0 - delay.0) % period != 0 {
        return;
    }
    let end = SimTime(now.0 - delay.0);
    let value = datapoint(
        &w.metrics,
        a.cfg.dimension,
        a.cfg.metric,
        &a.cfg.statistic,
        end,
        a.cfg.period,
    );
    let run = &mut w.scaling.alarms[i];
    run.window.push_back(value);
    while run.window.len() > run.cfg.rule.evaluation_periods as usize {
        run.window.pop_front();
    }
    let mut padded: Vec<Option<f64>> = vec![None; run.cfg.rule.evaluation_periods as usize - run.window.len()];
    padded.extend(run.window.iter().copied());
    let ev = run.cfg.rule.evaluate(run.state, &padded);
    run.last_end = Some(end);
    run.evaluated_now = true;
    let old = run.state;
    run.state = ev.state;
    run.reason = ev.reason.clone();
    if old != ev.state {
        let name = run.cfg.name.clone();
        let dim = run.cfg.dimension;
        let text = format!(
            "alarm {name}: {} -> {}: {}{}",
            old.name(),
            ev.state.name(),
            ev.reason,
            value.map(|x| format!(" (latest {})", fmt_num(x))).unwrap_or_default()
        );
        match dim {
            Dimension::Variant(v) => w.record(VariantId(v as u16), ActivityKind::AlarmStateChange, &name, text),
            Dimension::Endpoint => w.record_endpoint(ActivityKind::AlarmStateChange, &name, text),
            Dimension::Config(c) => {
                let v = w.config_series[c - w.variants.len()].0;
                w.record(VariantId(v as u16), ActivityKind::AlarmStateChange, &name, text)
            }
        }
    }
}
