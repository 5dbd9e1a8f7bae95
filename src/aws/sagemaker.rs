//! SageMaker endpoint request bodies as the API (and `aws sagemaker ... --cli-input-json`)
//! takes them: `CreateEndpointConfig`, `CreateEndpoint` and `UpdateEndpoint` with its
//! `DeploymentConfig`. Field names are the API's; optional fields are left out when unset.
//!
//! Fields the simulator does not model but the API accepts (`DataCaptureConfig`, `KmsKeyId`,
//! `Tags`, ...) are read as raw JSON so that an import can name them as not representable
//! instead of refusing the file; a field the API does not have is refused by
//! `deny_unknown_fields`.
//!
//! References: the SageMaker API Reference, "Request Syntax" of
//! [`CreateEndpointConfig`](https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html),
//! [`CreateEndpoint`](https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html),
//! [`UpdateEndpoint`](https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html)
//! and [`DeploymentConfig`](https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DeploymentConfig.html).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An accepted but unmodelled field: kept as written, never interpreted.
type Unmodelled = Option<Value>;

/// The names of the unmodelled fields that are present, prefixed with `path`.
fn present(path: &str, fields: &[(&str, &Unmodelled)]) -> Vec<String> {
    fields
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(n, _)| format!("{path}{n}"))
        .collect()
}

/// `CreateEndpointConfig`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateEndpointConfig {
    pub endpoint_config_name: String,
    pub production_variants: Vec<ProductionVariant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub async_inference_config: Option<AsyncInferenceConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_capture_config: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explainer_config: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shadow_production_variants: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_config: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_network_isolation: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Unmodelled,
}

impl CreateEndpointConfig {
    /// The unmodelled top-level fields present.
    pub fn unmodelled(&self) -> Vec<String> {
        present(
            "",
            &[
                ("DataCaptureConfig", &self.data_capture_config),
                ("ExplainerConfig", &self.explainer_config),
                ("ShadowProductionVariants", &self.shadow_production_variants),
                ("KmsKeyId", &self.kms_key_id),
                ("ExecutionRoleArn", &self.execution_role_arn),
                ("VpcConfig", &self.vpc_config),
                ("EnableNetworkIsolation", &self.enable_network_isolation),
                ("Tags", &self.tags),
            ],
        )
    }
}

/// `ProductionVariant`: instance-based (`InstanceType`, `InitialInstanceCount`) or serverless
/// (`ServerlessConfig`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ProductionVariant {
    pub variant_name: String,
    /// Optional in the API: a variant that hosts inference components names no model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_instance_count: Option<u32>,
    /// Default 1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_variant_weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serverless_config: Option<ServerlessConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_instance_scaling: Option<ManagedInstanceScaling>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_config: Option<RoutingConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accelerator_type: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core_dump_config: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "VolumeSizeInGB")]
    pub volume_size_in_gb: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_data_download_timeout_in_seconds: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_startup_health_check_timeout_in_seconds: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "EnableSSMAccess")]
    pub enable_ssm_access: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_ami_version: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_reservation_config: Unmodelled,
}

impl ProductionVariant {
    /// The unmodelled fields present, as paths under `path` (`ProductionVariants[0].`).
    pub fn unmodelled(&self, path: &str) -> Vec<String> {
        present(
            path,
            &[
                ("AcceleratorType", &self.accelerator_type),
                ("CoreDumpConfig", &self.core_dump_config),
                ("VolumeSizeInGB", &self.volume_size_in_gb),
                (
                    "ModelDataDownloadTimeoutInSeconds",
                    &self.model_data_download_timeout_in_seconds,
                ),
                (
                    "ContainerStartupHealthCheckTimeoutInSeconds",
                    &self.container_startup_health_check_timeout_in_seconds,
                ),
                ("EnableSSMAccess", &self.enable_ssm_access),
                ("InferenceAmiVersion", &self.inference_ami_version),
                ("CapacityReservationConfig", &self.capacity_reservation_config),
            ],
        )
    }
}

/// `ProductionVariantServerlessConfig`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ServerlessConfig {
    #[serde(rename = "MemorySizeInMB")]
    pub memory_size_in_mb: u32,
    pub max_concurrency: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioned_concurrency: Option<u32>,
}

/// `ProductionVariantManagedInstanceScaling`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ManagedInstanceScaling {
    /// `ENABLED` or `DISABLED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_instance_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_instance_count: Option<u32>,
}

/// `ProductionVariantRoutingConfig`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RoutingConfig {
    /// `LEAST_OUTSTANDING_REQUESTS` or `RANDOM`.
    pub routing_strategy: String,
}

/// `AsyncInferenceConfig`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AsyncInferenceConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_config: Option<AsyncClientConfig>,
    pub output_config: AsyncOutputConfig,
}

/// `AsyncInferenceClientConfig`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AsyncClientConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent_invocations_per_instance: Option<u32>,
}

/// `AsyncInferenceOutputConfig`: where results and notifications go, which the simulator does
/// not model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AsyncOutputConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_output_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_failure_path: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_config: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Unmodelled,
}

impl AsyncOutputConfig {
    pub fn unmodelled(&self, path: &str) -> Vec<String> {
        present(
            path,
            &[
                ("S3FailurePath", &self.s3_failure_path),
                ("NotificationConfig", &self.notification_config),
                ("KmsKeyId", &self.kms_key_id),
            ],
        )
    }
}

/// `CreateEndpoint`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateEndpoint {
    pub endpoint_name: String,
    pub endpoint_config_name: String,
    /// Stored by AWS for later updates; creation itself is not a deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_config: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Unmodelled,
}

/// `UpdateEndpoint`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UpdateEndpoint {
    pub endpoint_name: String,
    pub endpoint_config_name: String,
    /// Absent: a blue/green update all at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_config: Option<DeploymentConfig>,
    /// Default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_all_variant_properties: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_retained_variant_properties: Unmodelled,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_deployment_config: Option<bool>,
}

/// `DeploymentConfig`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DeploymentConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blue_green_update_policy: Option<BlueGreenUpdatePolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update_policy: Option<RollingUpdatePolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_rollback_configuration: Option<AutoRollbackConfig>,
}

/// `BlueGreenUpdatePolicy`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct BlueGreenUpdatePolicy {
    pub traffic_routing_configuration: TrafficRoutingConfig,
    /// Seconds; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_wait_in_seconds: Option<u64>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_execution_timeout_in_seconds: Option<u64>,
}

/// `TrafficRoutingConfig`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TrafficRoutingConfig {
    /// `ALL_AT_ONCE`, `CANARY` or `LINEAR`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// Seconds.
    pub wait_interval_in_seconds: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canary_size: Option<CapacitySize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linear_step_size: Option<CapacitySize>,
}

/// `RollingUpdatePolicy`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RollingUpdatePolicy {
    pub maximum_batch_size: CapacitySize,
    /// Seconds.
    pub wait_interval_in_seconds: u64,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_execution_timeout_in_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback_maximum_batch_size: Option<CapacitySize>,
}

/// `CapacitySize`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CapacitySize {
    /// `INSTANCE_COUNT` or `CAPACITY_PERCENT`.
    #[serde(rename = "Type")]
    pub kind: String,
    pub value: u32,
}

/// `AutoRollbackConfig`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AutoRollbackConfig {
    #[serde(default)]
    pub alarms: Vec<AlarmName>,
}

/// `Alarm` of an `AutoRollbackConfig`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AlarmName {
    pub alarm_name: String,
}

/// The API's pattern of endpoint, endpoint configuration and variant names.
pub const NAME_PATTERN: &str = "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}";

/// Whether `n` matches [`NAME_PATTERN`]: letters, digits and inner hyphens, up to 63.
pub fn valid_name(n: &str) -> bool {
    n.len() <= 63
        && n.starts_with(|c: char| c.is_ascii_alphanumeric())
        && n.ends_with(|c: char| c.is_ascii_alphanumeric())
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// `LeastOutstandingRequests` -> `LEAST_OUTSTANDING_REQUESTS`: the API spells the values of
/// the scenario's enums (named after the API's words) in upper snake case.
pub fn upper_snake(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

/// `LEAST_OUTSTANDING_REQUESTS` -> `LeastOutstandingRequests`.
pub fn from_upper_snake(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut c = lower.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_snake_round_trips_the_scenario_names() {
        for (scenario, api) in [
            ("LeastOutstandingRequests", "LEAST_OUTSTANDING_REQUESTS"),
            ("Random", "RANDOM"),
            ("AllAtOnce", "ALL_AT_ONCE"),
            ("CapacityPercent", "CAPACITY_PERCENT"),
        ] {
            assert_eq!(upper_snake(scenario), api);
            assert_eq!(from_upper_snake(api), scenario);
        }
    }

    #[test]
    fn unmodelled_fields_are_named_by_their_api_path() {
        let v: ProductionVariant =
            serde_json::from_str(r#"{"VariantName": "a", "VolumeSizeInGB": 30, "EnableSSMAccess": true}"#).unwrap();
        assert_eq!(
            v.unmodelled("ProductionVariants[0]."),
            [
                "ProductionVariants[0].VolumeSizeInGB",
                "ProductionVariants[0].EnableSSMAccess"
            ]
        );
    }
}
