//! Validated deployment configuration, part of `SimConfig`: one `UpdateEndpoint` call per
//! entry, replacing the model version of one variant under an update policy.

use super::config::LaunchConfig;
use crate::deployment::{DeploymentPolicy, Guardrails};
use crate::engine::{SimDuration, SimTime};
use crate::model::{ModelVersion, VariantId};

/// Failure injection for rehearsing the unhappy paths of docs/semantics/rollouts.md §5.6 and §5.8.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeploymentFailures {
    /// The n-th provisioning round of the deployment fails when its instances would come into
    /// service (blue/green: round 1 is the green fleet; rolling: round k is batch k).
    pub provisioning: Option<u32>,
    /// The n-th provisioning round of a rolling rollback fails (the endpoint ends
    /// `UpdateRollbackFailed`).
    pub rollback_provisioning: Option<u32>,
}

/// One `UpdateEndpoint` call.
#[derive(Clone, Debug)]
pub struct DeploymentConfig {
    /// `EndpointConfigName` of the new configuration (the metric dimension of its fleet).
    pub name: String,
    /// When the call is made.
    pub at: SimTime,
    /// The variant whose model is replaced.
    pub variant: VariantId,
    /// The new model version.
    pub model: ModelVersion,
    /// Boot phases of the new version's instances.
    pub launch: LaunchConfig,
    /// `InitialInstanceCount` of the variant in the new configuration.
    pub initial_instance_count: u32,
    /// `RetainAllVariantProperties`: the new fleet takes the variant's current desired count.
    pub retain_all_variant_properties: bool,
    /// The update policy (after the exclusion fallback of docs/semantics/rollouts.md §1.2, if it applied).
    pub policy: DeploymentPolicy,
    pub guard: Guardrails,
    /// `AutoRollbackConfiguration.Alarms`, as indices into `SimConfig::alarms`.
    pub alarms: Vec<usize>,
    /// How often the deployment looks at its alarms (0 = at every evaluation, i.e. at the
    /// transition instant) \[assumption, docs/semantics/rollouts.md §4.4\]; a multiple of the sampling tick.
    pub alarm_poll_interval: SimDuration,
    pub failures: DeploymentFailures,
}

impl DeploymentConfig {
    /// `WaitIntervalInSeconds` of the policy.
    pub fn policy_wait_s(&self) -> u64 {
        match self.policy {
            DeploymentPolicy::BlueGreen(b) => b.wait_s,
            DeploymentPolicy::Rolling(r) => r.wait_s,
        }
    }
}

/// The endpoint-configuration series of a run, in the order the metrics recorder adds them:
/// for each variant that has deployments, its initial configuration, then each deployment's
/// configuration in file order. Returns `(variant, configuration name)`; series index =
/// number of variants + position.
pub fn config_series(
    initial_name: &str,
    variants: usize,
    deployments: &[DeploymentConfig],
) -> Vec<(VariantId, String)> {
    let mut out = Vec::new();
    for v in (0..variants).map(VariantId::from) {
        let mut ds = deployments.iter().filter(|d| d.variant == v).peekable();
        if ds.peek().is_some() {
            out.push((v, initial_name.to_string()));
            out.extend(ds.map(|d| (v, d.name.clone())));
        }
    }
    out
}
