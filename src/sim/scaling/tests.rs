//! The autoscaling controller driven by a fake view: no World, no event queue. Each test states
//! what the World shows and checks the commands that come back.

use super::super::observe::Dimension;
use super::super::scaling_config::{AlarmConfig, PolicyConfig, ScheduledConfig, TargetConfig};
use super::autoscaler::RunClock;
use super::{Autoscaler, ScalingCommand, ScalingView};
use crate::autoscaling::alarm::{Aggregation, AlarmRule, AlarmState, Comparison, Statistic};
use crate::autoscaling::cooldown::CooldownStart;
use crate::autoscaling::schedule::Schedule;
use crate::autoscaling::step::{AdjustmentType, StepAdjustment, StepPolicyConfig};
use crate::autoscaling::target_tracking::TargetTrackingConfig;
use crate::engine::{SimDuration, SimTime};
use crate::model::metrics::MetricName;
use crate::model::{ActivityKind, VariantId};
use std::cell::Cell;
use typed_index_collections::TiSlice;

const MINUTE: u64 = 60_000_000;
const V0: VariantId = VariantId(0);

/// What the World would show: one variant, every datapoint equal to `metric`.
struct FakeView {
    desired: Cell<u32>,
    metric: Cell<Option<f64>>,
    basis: f64,
    updating: bool,
    deploying: bool,
    /// Most instances the account allows.
    quota: Option<u32>,
}

impl FakeView {
    fn new(desired: u32, metric: f64) -> Self {
        FakeView {
            desired: Cell::new(desired),
            metric: Cell::new(Some(metric)),
            basis: f64::from(desired),
            updating: false,
            deploying: false,
            quota: None,
        }
    }
}

impl ScalingView for FakeView {
    fn datapoint(&self, _: &AlarmConfig, _: SimTime) -> Option<f64> {
        self.metric.get()
    }
    fn capacity_basis(&self, _: VariantId, _: MetricName, _: Option<SimTime>, _: SimDuration) -> f64 {
        self.basis
    }
    fn desired(&self, _: VariantId) -> u32 {
        self.desired.get()
    }
    fn updating(&self, _: VariantId) -> bool {
        self.updating
    }
    fn deploying(&self) -> bool {
        self.deploying
    }
    fn quota_exceeded(&self, _: VariantId, delta: u32) -> Option<String> {
        let quota = self.quota?;
        (self.desired.get() + delta > quota).then(|| format!("quota {quota}"))
    }
    fn config_variant(&self, _: usize) -> VariantId {
        V0
    }
}

fn alarm(threshold: f64) -> AlarmConfig {
    AlarmConfig {
        name: "high".into(),
        metric: MetricName::CPUUtilization,
        dimension: Dimension::Variant(VariantId(0)),
        statistic: Statistic::Average,
        period: SimDuration(MINUTE),
        rule: AlarmRule::new(1, Comparison::GreaterThanThreshold, threshold),
    }
}

fn target(policies: Vec<PolicyConfig>, scheduled: Vec<ScheduledConfig>) -> TargetConfig {
    TargetConfig {
        variant: VariantId(0),
        min: 1,
        max: 20,
        dynamic_in_suspended: false,
        dynamic_out_suspended: false,
        scheduled_suspended: false,
        policies,
        scheduled,
        cooldown_start: CooldownStart::ActivityStart,
    }
}

/// Step scaling on alarm 0 (`> 50`): +2 for a breach in [0, 20), +5 from 20 on; cooldown 300 s.
fn step_policy() -> PolicyConfig {
    PolicyConfig::Step {
        name: "step".into(),
        alarm: 0,
        config: StepPolicyConfig {
            adjustment_type: AdjustmentType::ChangeInCapacity,
            steps: vec![
                StepAdjustment {
                    lower: Some(0.0),
                    upper: Some(20.0),
                    adjustment: 2,
                },
                StepAdjustment {
                    lower: Some(20.0),
                    upper: None,
                    adjustment: 5,
                },
            ],
            min_adjustment_magnitude: None,
            cooldown_s: 300,
            aggregation: Aggregation::Average,
        },
    }
}

/// One tick at minute `m`: alarms, then the policies of target 0.
fn tick(a: &mut Autoscaler, view: &FakeView, m: u64) -> Vec<ScalingCommand> {
    let now = SimTime(m * MINUTE);
    let mut out = a.evaluate_alarms(view, now, SimDuration(0));
    out.extend(a.run_policies(0, view, now));
    out
}

fn desired_set(cmds: &[ScalingCommand]) -> Option<u32> {
    cmds.iter().find_map(|c| match c {
        ScalingCommand::SetDesired { desired, .. } => Some(*desired),
        _ => None,
    })
}

#[test]
fn an_alarm_entering_alarm_is_reported_with_its_latest_datapoint() {
    let mut a = Autoscaler::new(&[alarm(50.0)], &[], TiSlice::from_ref(&[2]));
    let view = FakeView::new(2, 60.0);
    let cmds = a.evaluate_alarms(&view, SimTime(MINUTE), SimDuration(0));
    let [ScalingCommand::AlarmChanged(change)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        (change.from, change.to, change.latest),
        (AlarmState::InsufficientData, AlarmState::Alarm, Some(60.0))
    );
    assert!(change.describe().ends_with("(latest 60)"), "{}", change.describe());
    // Not due between periods: nothing evaluated, nothing reported.
    let now = SimTime(MINUTE + 1);
    assert!(a.evaluate_alarms(&view, now, SimDuration(0)).is_empty());
    assert!(!a.alarm(0).evaluated_now);
}

#[test]
fn a_step_scale_out_during_its_cooldown_counts_from_the_capacity_before_it() {
    let mut a = Autoscaler::new(
        &[alarm(50.0)],
        &[target(vec![step_policy()], vec![])],
        TiSlice::from_ref(&[2]),
    );
    let view = FakeView::new(2, 60.0);
    // Breach 10: +2 from 2.
    let cmds = tick(&mut a, &view, 1);
    assert_eq!(desired_set(&cmds), Some(4));
    assert!(cmds.contains(&ScalingCommand::CheckConverged { variant: V0 }));
    view.desired.set(4);
    // Same breach inside the cooldown: +2 from the origin 2 is 4, not more than now: nothing.
    assert_eq!(desired_set(&tick(&mut a, &view, 2)), None);
    // A larger breach (25: +5) from the origin 2 gives 7: only the difference is added.
    view.metric.set(Some(75.0));
    assert_eq!(desired_set(&tick(&mut a, &view, 3)), Some(7));
}

#[test]
fn no_scaling_while_the_variant_is_updating_and_the_quota_refuses_with_a_row() {
    let mut a = Autoscaler::new(
        &[alarm(50.0)],
        &[target(vec![step_policy()], vec![])],
        TiSlice::from_ref(&[2]),
    );
    let mut view = FakeView::new(2, 60.0);
    view.updating = true;
    assert_eq!(desired_set(&tick(&mut a, &view, 1)), None);
    view.updating = false;
    view.quota = Some(3);
    let cmds = tick(&mut a, &view, 2);
    assert_eq!(desired_set(&cmds), None);
    assert!(
        cmds.iter().any(
            |c| matches!(c, ScalingCommand::Record { kind: ActivityKind::ScalingFailed, reason, .. }
            if reason.contains("ResourceLimitExceeded: quota 3"))
        ),
        "{cmds:?}"
    );
}

#[test]
fn target_tracking_scales_out_on_its_high_alarm() {
    let tt = PolicyConfig::TargetTracking {
        name: "tt".into(),
        metric: MetricName::CPUUtilization,
        statistic: Statistic::Average,
        config: TargetTrackingConfig {
            target_value: 50.0,
            scale_in_cooldown_s: 300,
            scale_out_cooldown_s: 300,
            disable_scale_in: false,
            high_datapoints: 1,
            low_datapoints: 15,
            low_threshold_ratio: 0.9,
        },
        high_period: SimDuration(MINUTE),
        low_period: SimDuration(MINUTE),
    };
    let mut a = Autoscaler::new(&[], &[target(vec![tt], vec![])], TiSlice::from_ref(&[4]));
    // The managed alarms follow the scenario's (none here).
    assert_eq!(a.alarm(0).cfg.name, "tt-AlarmHigh");
    assert_eq!(a.alarm(1).cfg.name, "tt-AlarmLow");
    let view = FakeView::new(4, 100.0);
    // 100 % on 4 instances for a 50 % target: 8.
    assert_eq!(desired_set(&tick(&mut a, &view, 1)), Some(8));
}

#[test]
fn a_scheduled_action_defers_during_a_deployment_until_it_ends_and_schedules_its_next_firing() {
    let action = ScheduledConfig {
        name: "morning".into(),
        schedule: Schedule::new("cron(0 * * * ? *)", "UTC", None, None).expect("valid"),
        min: Some(5),
        max: None,
    };
    let mut a = Autoscaler::new(&[], &[target(vec![], vec![action])], TiSlice::from_ref(&[2]));
    let clock = RunClock {
        start: crate::sim::default_start_time(),
        duration: SimDuration(3 * 60 * MINUTE),
    };
    let first = a.first_actions(clock);
    assert!(
        matches!(first.as_slice(), [ScalingCommand::Schedule { at: SimTime(0), .. }]),
        "{first:?}"
    );
    let mut view = FakeView::new(2, 0.0);
    view.deploying = true;
    let cmds = a.on_scheduled_action(0, 0, &view, SimTime(0), clock);
    assert!(
        matches!(&cmds[0], ScalingCommand::Record { kind: ActivityKind::ScheduledAction, reason, .. }
            if reason.contains("scaling to 5 deferred")),
        "{cmds:?}"
    );
    assert!(
        matches!(cmds[1], ScalingCommand::Schedule { at, .. } if at == SimTime(60 * MINUTE)),
        "{cmds:?}"
    );
    // The bounds moved all the same: once the deployment ends, the fleet is clamped into them.
    view.deploying = false;
    assert_eq!(desired_set(&a.after_deployment(V0, &view)), Some(5));
    view.desired.set(5);
    assert!(a.after_deployment(V0, &view).is_empty());
}
