//! How activity rows name a deployment's policy, fleets, shifts and alarms.

use super::view::DeploymentView;
use crate::deployment::{DeploymentPolicy, Stage, TrafficRouting};

/// What the rows call the two fleets: "blue"/"green" for blue/green updates, "old"/"new" for
/// rolling ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Words {
    pub old: &'static str,
    pub new: &'static str,
}

impl Words {
    pub(super) fn of(policy: &DeploymentPolicy) -> Words {
        match policy {
            DeploymentPolicy::Rolling(_) => Words { old: "old", new: "new" },
            DeploymentPolicy::BlueGreen(_) => Words {
                old: "blue",
                new: "green",
            },
        }
    }
}

/// The names of the alarms `alarms`, comma-separated.
pub(super) fn alarm_list(view: &dyn DeploymentView, alarms: &[usize]) -> String {
    alarms
        .iter()
        .map(|a| view.alarm_name(*a))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name of the shift of stage `stage` of `stages` for its activity row: canary, linear step
/// k, all at once, full shift, batch k.
pub(super) fn shift_name(policy: &DeploymentPolicy, stages: &[Stage], stage: usize, new_active: u32, g: u32) -> String {
    let shifts_before = stages[..stage]
        .iter()
        .filter(|s| matches!(s, Stage::Shift { .. }))
        .count();
    match policy {
        DeploymentPolicy::Rolling(_) => format!("batch {}", shifts_before + 1),
        DeploymentPolicy::BlueGreen(b) => match b.routing {
            TrafficRouting::AllAtOnce => "all at once".into(),
            TrafficRouting::Canary { .. } if new_active < g => "canary".into(),
            TrafficRouting::Canary { .. } => "full shift".into(),
            TrafficRouting::Linear { .. } => format!("linear step {}", shifts_before + 1),
        },
    }
}

/// "CANARY (CAPACITY_PERCENT 30), wait 600 s, final bake 600 s, termination wait 600 s,
/// timeout 1800 s".
pub(super) fn describe_policy(p: &DeploymentPolicy, timeout_s: Option<u64>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::{plan, BlueGreen, CapacitySize, Guardrails, Rolling};

    fn blue_green(routing: TrafficRouting) -> DeploymentPolicy {
        DeploymentPolicy::BlueGreen(BlueGreen {
            routing,
            wait_s: 600,
            final_bake_s: 600,
            termination_wait_s: 300,
        })
    }

    #[test]
    fn describes_canary_and_rolling_policies() {
        let canary = blue_green(TrafficRouting::Canary {
            size: CapacitySize::CapacityPercent(30.0),
        });
        assert_eq!(
            describe_policy(&canary, Some(1800)),
            "CANARY (CAPACITY_PERCENT 30), wait 600 s, final bake 600 s, termination wait 300 s, timeout 1800 s"
        );
        let rolling = DeploymentPolicy::Rolling(Rolling {
            batch: CapacitySize::InstanceCount(2),
            wait_s: 60,
            rollback_batch: None,
        });
        assert_eq!(
            describe_policy(&rolling, None),
            "ROLLING (batch INSTANCE_COUNT 2), wait 60 s"
        );
        assert_eq!(Words::of(&rolling), Words { old: "old", new: "new" });
        assert_eq!(Words::of(&canary).new, "green");
    }

    #[test]
    fn names_shifts_by_their_place_in_the_plan() {
        let linear = blue_green(TrafficRouting::Linear {
            step: CapacitySize::CapacityPercent(50.0),
        });
        let stages = plan(&linear, &Guardrails::default(), 4, 4);
        let shifts: Vec<(usize, u32)> = stages
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                Stage::Shift { new_active, .. } => Some((i, *new_active)),
                _ => None,
            })
            .collect();
        let names: Vec<String> = shifts
            .iter()
            .map(|(i, new_active)| shift_name(&linear, &stages, *i, *new_active, 4))
            .collect();
        assert_eq!(names, ["linear step 1", "linear step 2"]);
        let canary = blue_green(TrafficRouting::Canary {
            size: CapacitySize::InstanceCount(1),
        });
        assert_eq!(shift_name(&canary, &[], 0, 1, 4), "canary");
        assert_eq!(shift_name(&canary, &[], 0, 4, 4), "full shift");
    }
}
