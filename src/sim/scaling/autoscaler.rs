//! [`Autoscaler`]: every alarm and scalable target of a run, and the decisions taken on them.

use super::super::event::Event;
use super::super::scaling_config::{AlarmConfig, PolicyConfig, TargetConfig};
use super::alarm_run::AlarmRun;
use super::command::{quota_refusal, ScalingCommand, ScalingView};
use super::policies;
use super::target_run::{ManagedAlarms, ScalingActivity, TargetRun};
use crate::autoscaling::alarm::{AlarmRule, Comparison};
use crate::autoscaling::cooldown::{arbitrate, Cooldowns, ScalableTarget};
use crate::autoscaling::target_tracking::{Direction, Proposal};
use crate::engine::{SimDuration, SimTime};
use crate::model::{ActivityKind, VariantId};
use chrono::{DateTime, Utc};
use typed_index_collections::TiSlice;

/// All autoscaling state of a run.
#[derive(Debug, Default)]
pub(in crate::sim) struct Autoscaler {
    /// The scenario's alarms (same indices as `SimConfig::alarms`), then the managed alarms of
    /// target tracking policies.
    pub alarms: Vec<AlarmRun>,
    pub targets: Vec<TargetRun>,
}

/// Where a run's wall clock starts and how long it lasts (scheduled actions fire on it).
#[derive(Clone, Copy, Debug)]
pub(in crate::sim) struct RunClock {
    pub start: DateTime<Utc>,
    pub duration: SimDuration,
}

impl Autoscaler {
    /// Builds the runtime: user alarms keep their indices; the managed alarms of target
    /// tracking policies follow. `initial` is each variant's initial count.
    pub fn new(alarms: &[AlarmConfig], targets: &[TargetConfig], initial: &TiSlice<VariantId, u32>) -> Self {
        let mut runs: Vec<AlarmRun> = alarms.iter().cloned().map(AlarmRun::new).collect();
        let mut target_runs = Vec::new();
        for t in targets {
            let managed = t.policies.iter().map(|p| managed_alarms(&mut runs, t, p)).collect();
            let mut target = ScalableTarget::new(t.min, t.max, initial[t.variant]);
            target.dynamic_in_suspended = t.dynamic_in_suspended;
            target.dynamic_out_suspended = t.dynamic_out_suspended;
            target.scheduled_suspended = t.scheduled_suspended;
            // Registration clamps the current count into the new bounds.
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

    /// The desired count the scalable target of `variant` starts with (registration may have
    /// clamped the initial count into its bounds), or `None` without a target.
    pub fn initial_desired(&self, variant: VariantId) -> Option<u32> {
        self.target_of(variant).map(|t| t.target.desired)
    }

    fn target_of(&self, variant: VariantId) -> Option<&TargetRun> {
        self.targets.iter().find(|t| t.variant() == variant)
    }

    /// The state of alarm `index` (scenario alarms keep their `SimConfig::alarms` index).
    pub fn alarm(&self, index: usize) -> &AlarmRun {
        &self.alarms[index]
    }

    /// The first firing of every scheduled action: searched from just before the start, so an
    /// action due at the run's first instant fires.
    pub fn first_actions(&self, clock: RunClock) -> Vec<ScalingCommand> {
        let from = clock.start - chrono::TimeDelta::seconds(1);
        let mut out = Vec::new();
        for t in 0..self.targets.len() {
            for a in 0..self.targets[t].cfg.scheduled.len() {
                out.extend(self.next_action(t, a, from, clock));
            }
        }
        out
    }

    /// The next firing of scheduled action `a` of target `t` after the wall-clock instant
    /// `after`, if it falls inside the run.
    fn next_action(&self, t: usize, a: usize, after: DateTime<Utc>, clock: RunClock) -> Option<ScalingCommand> {
        let next = self.targets[t].cfg.scheduled[a]
            .schedule
            .next_after_with_origin(after, clock.start)?;
        let us = (next - clock.start).num_microseconds().unwrap_or(i64::MAX);
        (us >= 0 && (us as u64) < clock.duration.0).then_some(ScalingCommand::Schedule {
            at: SimTime(us as u64),
            // Scenario limits keep both far below `u16::MAX` (a small event keeps the queue fast).
            event: Event::ScheduledAction {
                target: u16::try_from(t).expect("target index within scenario limits"),
                action: u16::try_from(a).expect("action index within scenario limits"),
            },
        })
    }

    /// Scheduled action `a` of target `t` fires: move the bounds, scale into them if needed
    /// (unless a deployment or the quota stops it), and schedule the next firing.
    pub fn on_scheduled_action(
        &mut self,
        t: usize,
        a: usize,
        view: &dyn ScalingView,
        now: SimTime,
        clock: RunClock,
    ) -> Vec<ScalingCommand> {
        let run = &mut self.targets[t];
        let action = run.cfg.scheduled[a].clone();
        let v = run.variant();
        let record = |reason: String| ScalingCommand::Record {
            variant: v,
            kind: ActivityKind::ScheduledAction,
            cause: action.name.clone(),
            reason,
            policy: None,
        };
        let mut out = Vec::new();
        if run.target.scheduled_allowed() {
            let before = (run.target.min, run.target.max, run.target.desired);
            let changed = run.target.set_bounds(action.min, action.max);
            let (min, max) = (run.target.min, run.target.max);
            let what = format!(
                "scheduled action {}: MinCapacity {} -> {}, MaxCapacity {} -> {}",
                action.name, before.0, min, before.1, max
            );
            let current = view.desired(v);
            match changed {
                Some(n) if n != current && view.deploying() => out.push(record(format!(
                    "{what}; scaling to {n} deferred: endpoint is Updating (deployment in progress)"
                ))),
                Some(n) if n > current => match quota_refusal(view, v, current, n, &action.name, &what) {
                    Some(refused) => out.push(refused),
                    None => out.push(set_desired(v, n, &action.name, what)),
                },
                Some(n) if n != current => out.push(set_desired(v, n, &action.name, what)),
                _ => out.push(record(format!("{what}; desired stays {}", before.2))),
            }
        } else {
            out.push(record(format!(
                "scheduled action {} skipped: ScheduledScalingSuspended",
                action.name
            )));
        }
        let wall = clock.start + chrono::TimeDelta::microseconds(now.0 as i64);
        out.extend(self.next_action(t, a, wall, clock));
        out
    }

    /// Evaluates every alarm whose period (shifted by the publication `delay`) ends now.
    pub fn evaluate_alarms(&mut self, view: &dyn ScalingView, now: SimTime, delay: SimDuration) -> Vec<ScalingCommand> {
        let mut out = Vec::new();
        for alarm in &mut self.alarms {
            alarm.evaluated_now = false;
            let Some(end) = alarm.due(now, delay) else { continue };
            let value = view.datapoint(&alarm.cfg, end);
            if let Some(change) = alarm.evaluate(value, end) {
                out.push(ScalingCommand::AlarmChanged(change));
            }
        }
        out
    }

    /// Runs the policies of target `t` on the alarms evaluated at this tick: arbitrates their
    /// proposals and starts at most one scaling activity.
    pub fn run_policies(&mut self, t: usize, view: &dyn ScalingView, now: SimTime) -> Vec<ScalingCommand> {
        let now_us = now.0;
        let run = &self.targets[t];
        let v = run.variant();
        let current = view.desired(v);
        let proposals = policies::collect(run, &self.alarms, view, current, now_us);
        if proposals.list.is_empty() {
            return Vec::new();
        }
        let plain: Vec<Proposal> = proposals.list.iter().map(|(p, _)| p.clone()).collect();
        let Some(win) = arbitrate(&plain, current, proposals.all_in_agree) else {
            return Vec::new();
        };
        let cooldown_s = proposals
            .list
            .iter()
            .find(|(p, _)| p.policy == win.policy)
            .map_or(300, |(_, c)| *c);
        let run = &mut self.targets[t];
        if !run.target.allowed(win.direction) {
            return Vec::new();
        }
        let clamped = run.target.clamp(win.desired);
        // Auto scaling is blocked while the endpoint is Updating; it retries at the next tick.
        if clamped == current || view.updating(v) {
            return Vec::new();
        }
        let admitted = match win.direction {
            Direction::Out => run.cooldowns.admit_out(now_us, clamped, current),
            Direction::In => run.cooldowns.admit_in(now_us, clamped, current),
        };
        let Some(n) = admitted else { return Vec::new() };
        if let Some(msg) = view.quota_exceeded(v, n.saturating_sub(current)) {
            return vec![ScalingCommand::Record {
                variant: v,
                kind: ActivityKind::ScalingFailed,
                cause: win.policy.clone(),
                reason: format!("{}; Failed: ResourceLimitExceeded: {msg}", win.reason),
                policy: Some(win.policy.clone()),
            }];
        }
        run.cooldowns.activity_started(now_us, win.direction, cooldown_s, n);
        run.activity = Some(ScalingActivity {
            direction: win.direction,
            cooldown_s,
            desired: n,
        });
        let reason = if n == win.desired {
            win.reason.clone()
        } else {
            format!("{}; clamped to {n}", win.reason)
        };
        let by_policy = ScalingCommand::SetDesired {
            variant: v,
            desired: n,
            cause: win.policy.clone(),
            reason,
            policy: Some(win.policy.clone()),
        };
        vec![by_policy, ScalingCommand::CheckConverged { variant: v }]
    }

    /// The fleet of `variant` has converged (nothing booting or draining): its scaling
    /// activities end, which starts their cooldowns when cooldowns count from the end.
    pub fn on_converged(&mut self, variant: VariantId, now: SimTime) {
        for run in self.targets.iter_mut().filter(|r| r.variant() == variant) {
            if let Some(a) = run.activity.take() {
                run.cooldowns
                    .activity_ended(now.0, a.direction, a.cooldown_s, a.desired);
            }
        }
    }

    /// The variant's desired count changed, whoever changed it (a policy, a scheduled action,
    /// an out-of-band update or a deployment): its scalable target tracks the dimension it
    /// scales.
    pub fn on_desired_changed(&mut self, variant: VariantId, desired: u32) {
        for run in self.targets.iter_mut().filter(|r| r.variant() == variant) {
            run.target.desired = desired;
        }
    }

    /// Scaling resumes after a deployment: bounds that moved meanwhile (scheduled actions)
    /// apply to the fleet now.
    pub fn after_deployment(&self, variant: VariantId, view: &dyn ScalingView) -> Vec<ScalingCommand> {
        let Some(t) = self.target_of(variant) else {
            return Vec::new();
        };
        let current = view.desired(variant);
        let n = t.target.clamp(current);
        if n == current {
            return Vec::new();
        }
        let (min, max) = (t.target.min, t.target.max);
        vec![set_desired(
            variant,
            n,
            "deployment",
            format!("desired {current} outside [MinCapacity {min}, MaxCapacity {max}] after the deployment"),
        )]
    }

    /// Whether any alarm exists (without alarms nothing is evaluated at ticks).
    pub fn has_alarms(&self) -> bool {
        !self.alarms.is_empty()
    }

    /// Whether any scalable target exists.
    pub fn has_targets(&self) -> bool {
        !self.targets.is_empty()
    }
}

fn set_desired(variant: VariantId, desired: u32, cause: &str, reason: String) -> ScalingCommand {
    ScalingCommand::SetDesired {
        variant,
        desired,
        cause: cause.to_string(),
        reason,
        policy: None,
    }
}

/// Creates the two managed alarms of a target tracking policy `p` of target `t`: above target
/// (scale out) and below `low_threshold_ratio x target` (scale in). A step policy has none.
fn managed_alarms(runs: &mut Vec<AlarmRun>, t: &TargetConfig, p: &PolicyConfig) -> Option<ManagedAlarms> {
    let PolicyConfig::TargetTracking {
        name,
        metric,
        statistic,
        config,
        high_period,
        low_period,
    } = p
    else {
        return None;
    };
    let mut add = |suffix: &str, period: SimDuration, n: u32, cmp: Comparison, threshold: f64| {
        runs.push(AlarmRun::new(AlarmConfig {
            name: format!("{name}-{suffix}"),
            metric: *metric,
            dimension: super::super::observe::Dimension::Variant(t.variant),
            statistic: *statistic,
            period,
            rule: AlarmRule::new(n, cmp, threshold),
        }));
        runs.len() - 1
    };
    let high = add(
        "AlarmHigh",
        *high_period,
        config.high_datapoints,
        Comparison::GreaterThanThreshold,
        config.high_threshold(),
    );
    let low = add(
        "AlarmLow",
        *low_period,
        config.low_datapoints,
        Comparison::LessThanThreshold,
        config.low_threshold(),
    );
    Some(ManagedAlarms { high, low })
}
