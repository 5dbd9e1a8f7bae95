//! How activity rows name a deployment's policy, fleets, shifts and alarms.

use super::super::world::World;
use crate::deployment::{DeploymentPolicy, Stage, TrafficRouting};

impl World {
    /// "blue"/"green" for blue/green updates, "old"/"new" for rolling ones.
    pub(in crate::sim) fn old_word(&self) -> &'static str {
        match self.deploy.as_ref().map(|d| &self.config.deployments[d.index].policy) {
            Some(DeploymentPolicy::Rolling(_)) => "old",
            _ => "blue",
        }
    }

    pub(in crate::sim) fn new_word(&self) -> &'static str {
        match self.deploy.as_ref().map(|d| &self.config.deployments[d.index].policy) {
            Some(DeploymentPolicy::Rolling(_)) => "new",
            _ => "green",
        }
    }

    pub(super) fn alarm_names(&self, alarms: &[usize]) -> String {
        alarms
            .iter()
            .map(|a| self.config.alarms[*a].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The name of a shift for its activity row: canary, linear step k, all at once, batch k.
    pub(super) fn shift_name(&self, new_active: u32) -> String {
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
