//! Scenario types for inference components and managed instance scaling (the serde mirror;
//! `validate/components.rs` checks ranges). Field names follow the AWS API in snake_case:
//! `CreateInferenceComponent` (`Specification.ComputeResourceRequirements`,
//! `RuntimeConfig.CopyCount`) and the production variant's `ManagedInstanceScaling`.

use super::file::{Dist, Model};
use serde::{Deserialize, Serialize};

fn one_u32() -> u32 {
    1
}
fn one_f() -> f64 {
    1.0
}

/// `ManagedInstanceScaling.Status`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::upper_case_acronyms)]
pub enum ManagedStatus {
    #[default]
    ENABLED,
    DISABLED,
}

/// `ManagedInstanceScaling` of a variant that hosts inference components: SageMaker launches
/// instances when copies need room and removes instances left without copies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedInstanceScaling {
    /// `Status`: `ENABLED`, or `DISABLED` (the instance count stays at
    /// `initial_instance_count`).
    #[serde(default)]
    pub status: ManagedStatus,
    /// `MinInstanceCount`; 0 lets the endpoint scale to zero instances.
    pub min_instance_count: u32,
    /// `MaxInstanceCount`.
    pub max_instance_count: u32,
}

/// `Specification.ComputeResourceRequirements`: what one copy reserves on an instance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComputeResourceRequirements {
    /// `NumberOfCpuCoresRequired` (fractions allowed, e.g. 0.5).
    #[serde(default)]
    pub number_of_cpu_cores_required: f64,
    /// `NumberOfAcceleratorDevicesRequired`.
    #[serde(default)]
    pub number_of_accelerator_devices_required: f64,
    /// `MinMemoryRequiredInMb`.
    pub min_memory_required_in_mb: u64,
}

/// An inference component (`CreateInferenceComponent`) hosted on the variant's instances.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InferenceComponent {
    /// `InferenceComponentName`.
    pub name: String,
    /// The model behind `Specification.ModelName`.
    pub model: Model,
    /// `Specification.ComputeResourceRequirements`.
    pub compute_resource_requirements: ComputeResourceRequirements,
    /// `RuntimeConfig.CopyCount`: copies at the start (may be 0).
    pub copy_count: u32,
    /// Worker slots per copy (requests one copy serves at once).
    #[serde(default = "one_u32")]
    pub concurrency: u32,
    /// Container start and model load of a new copy once its instance is in service
    /// \[assumption\]; default: the variant's `launch.load`.
    #[serde(default)]
    pub copy_load: Option<Dist>,
    /// Share of the endpoint's requests addressed to this component (`InvokeEndpoint` with
    /// `InferenceComponentName`) \[assumption\]; relative, like variant weights.
    #[serde(default = "one_f")]
    pub weight: f64,
}
