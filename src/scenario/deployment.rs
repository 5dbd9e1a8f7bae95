//! Scenario types for deployments (`UpdateEndpoint` with a `DeploymentConfig`): the serde
//! mirror, field names after the AWS API in snake_case. `validate/deployment.rs` checks ranges
//! and the rules of docs/semantics/rollouts.md §2.2.

use super::duration::Duration;
use super::file::{Launch, Model};
use serde::{Deserialize, Serialize};

fn yes() -> bool {
    true
}

/// One `UpdateEndpoint` call: a new endpoint configuration replacing one variant's model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    /// When the call is made.
    pub at: Duration,
    /// `EndpointConfigName` of the new configuration; alarms watch its fleet with
    /// `endpoint_config`.
    pub endpoint_config_name: String,
    /// The variant whose model changes; may be omitted on a one-variant endpoint.
    #[serde(default)]
    pub variant: Option<String>,
    /// The new model version (its own service time, error rates, overhead).
    pub model: Model,
    /// Boot phases of the new version's instances; default: the variant's.
    #[serde(default)]
    pub launch: Option<Launch>,
    /// `InitialInstanceCount` in the new configuration; default: the variant's.
    #[serde(default)]
    pub initial_instance_count: Option<u32>,
    /// `RetainAllVariantProperties`: the new fleet takes the variant's current desired count.
    #[serde(default)]
    pub retain_all_variant_properties: bool,
    /// `DeploymentConfig.BlueGreenUpdatePolicy` or `RollingUpdatePolicy`.
    pub policy: UpdatePolicy,
    /// `AutoRollbackConfiguration.Alarms[].AlarmName` (alarms defined under `alarms`).
    #[serde(default)]
    pub auto_rollback_alarms: Vec<String>,
    /// The simulator's choices where the documentation is silent (the assumptions of docs/semantics/rollouts.md).
    #[serde(default)]
    pub guardrails: Guardrails,
    /// The container comes from AWS Marketplace: guardrails do not apply and the update runs
    /// all at once with no bake (docs/semantics/rollouts.md §1.2).
    #[serde(default)]
    pub marketplace_container: bool,
    /// Failure injection.
    #[serde(default)]
    pub failures: Failures,
}

/// The update policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum UpdatePolicy {
    /// `BlueGreenUpdatePolicy`.
    BlueGreen {
        /// `TrafficRoutingConfiguration.Type` with its size.
        traffic_routing: TrafficRouting,
        /// `WaitIntervalInSeconds`: the bake after each shift; 0 when absent.
        #[serde(default)]
        wait_interval: Option<Duration>,
        /// `TerminationWaitInSeconds`.
        #[serde(default)]
        termination_wait: Duration,
        /// Final bake on 100 % green after a canary; default `wait_interval`.
        #[serde(default)]
        final_bake: Option<Duration>,
        /// `MaximumExecutionTimeoutInSeconds`; none = no timeout.
        #[serde(default)]
        maximum_execution_timeout: Option<Duration>,
    },
    /// `RollingUpdatePolicy`.
    Rolling {
        /// `MaximumBatchSize`.
        maximum_batch_size: CapacitySize,
        /// `WaitIntervalInSeconds`: the bake of each batch.
        wait_interval: Duration,
        /// `MaximumExecutionTimeoutInSeconds`.
        #[serde(default)]
        maximum_execution_timeout: Option<Duration>,
        /// `RollbackMaximumBatchSize`; none = roll back all at once.
        #[serde(default)]
        rollback_maximum_batch_size: Option<CapacitySize>,
    },
}

/// `TrafficRoutingConfiguration`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum TrafficRouting {
    AllAtOnce,
    Canary { canary_size: CapacitySize },
    Linear { linear_step_size: CapacitySize },
}

/// `{Type, Value}` capacity sizes; `CapacityPercentage` is the rolling page's spelling of
/// `CapacityPercent`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum CapacitySize {
    InstanceCount(u32),
    CapacityPercent(f64),
    CapacityPercentage(f64),
}

/// When `maximum_execution_timeout` starts counting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockStart {
    #[default]
    UpdateCall,
    FirstShift,
}

/// How a percentage becomes whole instances.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rounding {
    #[default]
    Ceil,
    Floor,
}

/// Guardrail parameters (each an assumption of docs/semantics/rollouts.md, with its default).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guardrails {
    #[serde(default)]
    pub timeout_clock_start: ClockStart,
    /// Whether the alarms also watch the termination wait.
    #[serde(default = "yes")]
    pub monitor_termination_wait: bool,
    /// How often the deployment looks at its alarms; 0 = at the transition instant.
    #[serde(default)]
    pub alarm_poll_interval: Duration,
    /// Delay before a blue/green rollback moves traffic back to blue.
    #[serde(default)]
    pub rollback_shift_delay: Duration,
    #[serde(default)]
    pub rounding: Rounding,
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails {
            timeout_clock_start: ClockStart::UpdateCall,
            monitor_termination_wait: true,
            alarm_poll_interval: Duration::default(),
            rollback_shift_delay: Duration::default(),
            rounding: Rounding::Ceil,
        }
    }
}

/// Failure injection: which provisioning round fails (1 = the first).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failures {
    /// Blue/green: 1 = the green fleet; rolling: k = batch k.
    #[serde(default)]
    pub provisioning: Option<u32>,
    /// Rolling rollback round k fails (the endpoint ends `UpdateRollbackFailed`).
    #[serde(default)]
    pub rollback_provisioning: Option<u32>,
}

/// A shadow test (`CreateInferenceExperiment` of type `ShadowMode`, docs/semantics/rollouts.md §7).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShadowTest {
    /// The test's name (activity rows).
    pub name: String,
    /// The shadow variant (`ShadowProductionVariants`): its own instances, model and launch.
    pub variant: super::file::Variant,
    /// `SourceModelVariantName`: the production variant whose requests are copied; may be
    /// omitted on a one-variant endpoint.
    #[serde(default)]
    pub source_variant: Option<String>,
    /// `SamplingPercentage`: share of the source's requests copied, 1-100.
    pub sampling_percentage: u32,
    #[serde(default)]
    pub sampling: Sampling,
    /// Scheduled start.
    #[serde(default)]
    pub start: Duration,
    /// Scheduled length; default 7 days, 1 hour to 30 days.
    #[serde(default)]
    pub duration: Option<Duration>,
    /// The test was started early, at this time (before `start`).
    #[serde(default)]
    pub started_early_at: Option<Duration>,
}

/// How requests are sampled for the shadow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sampling {
    #[default]
    Deterministic,
    Bernoulli,
}
