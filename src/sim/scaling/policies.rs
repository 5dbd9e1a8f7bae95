//! The proposals of a scalable target's policies at one tick: target tracking from its managed
//! alarms, step scaling from its alarm's window, each with the cooldown it would start.

use super::super::scaling_config::PolicyConfig;
use super::alarm_run::AlarmRun;
use super::command::ScalingView;
use super::target_run::TargetRun;
use crate::autoscaling::alarm::AlarmState;
use crate::autoscaling::target_tracking::{decide, Direction, Proposal};

/// What the policies of one target propose at this tick.
pub(super) struct Proposals {
    /// Each proposal with the cooldown [s] of the policy that made it.
    pub list: Vec<(Proposal, u64)>,
    /// Whether every target tracking policy that may scale in has its low alarm in `ALARM`
    /// (scale-in needs all of them to agree).
    pub all_in_agree: bool,
}

/// Collects the proposals of `run`'s policies whose alarms fired at this tick.
pub(super) fn collect(
    run: &TargetRun,
    alarms: &[AlarmRun],
    view: &dyn ScalingView,
    current: u32,
    now_us: u64,
) -> Proposals {
    let v = run.variant();
    let mut list = Vec::new();
    let mut all_in_agree = true;
    for (pi, p) in run.cfg.policies.iter().enumerate() {
        match p {
            PolicyConfig::TargetTracking { name, config, .. } => {
                let m = run.managed[pi].expect("target tracking has managed alarms");
                let (high, low) = (&alarms[m.high], &alarms[m.low]);
                let (high_on, low_on) = (high.fired_now(), low.fired_now());
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
                // The capacity that carried the datapoint, not the count at its end: instances
                // that came into service late in the period served only part of its load.
                let basis = view.capacity_basis(v, alarm.cfg.metric, alarm.last_end, alarm.cfg.period);
                if let Some(prop) = decide(name, config, high_on, low_on, metric, basis, current, &alarm.reason) {
                    let cooldown_s = if prop.direction == Direction::Out {
                        config.scale_out_cooldown_s
                    } else {
                        config.scale_in_cooldown_s
                    };
                    list.push((prop, cooldown_s));
                }
            }
            PolicyConfig::Step { name, alarm, config } => {
                let a = &alarms[*alarm];
                if !a.fired_now() {
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
                // cooldown, to the count before that scale-out, so that the capacity it added
                // already counts and only a larger request adds more.
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
                list.push((
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
    Proposals { list, all_in_agree }
}
