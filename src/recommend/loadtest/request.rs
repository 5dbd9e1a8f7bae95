//! The `CreateInferenceRecommendationsJob` request, as the JSON a user writes for the AWS API
//! or the CLI's `--cli-input-json` (field names and nesting are the API's).
//!
//! Every struct refuses fields it does not know, so a misspelt field is an error naming its
//! path and the valid names, never a silent default. Fields the API has but the simulator does
//! not model (the role, the model package, the VPC, tags, ...) are accepted as JSON values and
//! listed by [`JobRequest::not_simulated`], so the user is told what had no effect.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The request body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct JobRequest {
    pub job_name: String,
    /// `Default` or `Advanced` (the CLI example's `ADVANCED` is accepted too).
    pub job_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<Value>,
    pub input_config: InputConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopping_conditions: Option<StoppingConditions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Value>,
}

/// `InputConfig`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct InputConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_package_version_arn: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_name: Option<Value>,
    /// 1 to 18000 s: no test starts after it, and no test runs longer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_duration_in_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic_pattern: Option<TrafficPattern>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_limit: Option<ResourceLimit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_configurations: Option<Vec<EndpointConfigurationInput>>,
    /// Existing endpoints to load-test instead of new benchmark endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Vec<EndpointInfo>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_kms_key_id: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_config: Option<Value>,
}

/// `TrafficPattern`: `TrafficType` `PHASES` with `Phases`, or `STAIRS` with `Stairs`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TrafficPattern {
    pub traffic_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phases: Option<Vec<PhaseInput>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stairs: Option<StairsInput>,
}

/// One of `Phases`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PhaseInput {
    pub initial_number_of_users: i64,
    pub spawn_rate: i64,
    pub duration_in_seconds: i64,
}

/// `Stairs`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StairsInput {
    pub duration_in_seconds: i64,
    pub number_of_steps: i64,
    pub users_per_step: i64,
}

/// `ResourceLimit`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ResourceLimit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_number_of_tests: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_parallel_of_tests: Option<i64>,
}

/// One of `EndpointConfigurations`: an instance type or a serverless configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EndpointConfigurationInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serverless_config: Option<ServerlessConfigInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_specification_name: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_parameter_ranges: Option<EnvironmentParameterRanges>,
}

/// `ServerlessConfig` of an endpoint configuration.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerlessConfigInput {
    #[serde(rename = "MemorySizeInMB")]
    pub memory_size_in_mb: i64,
    #[serde(rename = "MaxConcurrency")]
    pub max_concurrency: i64,
    #[serde(rename = "ProvisionedConcurrency", default, skip_serializing_if = "Option::is_none")]
    pub provisioned_concurrency: Option<i64>,
}

/// `EnvironmentParameterRanges`: each combination of the listed values is one more test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EnvironmentParameterRanges {
    #[serde(default)]
    pub categorical_parameter_ranges: Vec<CategoricalParameterRange>,
}

/// One environment variable and the values to try.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CategoricalParameterRange {
    pub name: String,
    pub value: Vec<String>,
}

/// One of `Endpoints`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EndpointInfo {
    pub endpoint_name: String,
}

/// `StoppingConditions`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StoppingConditions {
    /// Invocations per minute that end a test, 1 to 30000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_invocations: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_latency_thresholds: Option<Vec<ModelLatencyThreshold>>,
    /// `Stop` (the default) or `Continue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat_invocations: Option<String>,
}

/// One of `ModelLatencyThresholds`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ModelLatencyThreshold {
    /// `P<nn>`, e.g. `P95`.
    pub percentile: String,
    pub value_in_milliseconds: i64,
}

impl JobRequest {
    /// The fields given that the simulator accepts but does not model, by their API path.
    pub fn not_simulated(&self) -> Vec<&'static str> {
        let i = &self.input_config;
        let mut out = Vec::new();
        let mut note = |given: bool, path: &'static str| {
            if given {
                out.push(path);
            }
        };
        note(self.role_arn.is_some(), "RoleArn");
        note(self.output_config.is_some(), "OutputConfig");
        note(self.tags.is_some(), "Tags");
        note(
            i.model_package_version_arn.is_some(),
            "InputConfig.ModelPackageVersionArn",
        );
        note(i.model_name.is_some(), "InputConfig.ModelName");
        note(i.volume_kms_key_id.is_some(), "InputConfig.VolumeKmsKeyId");
        note(i.container_config.is_some(), "InputConfig.ContainerConfig");
        note(i.vpc_config.is_some(), "InputConfig.VpcConfig");
        let configs = i.endpoint_configurations.as_deref().unwrap_or_default();
        note(
            configs.iter().any(|c| c.inference_specification_name.is_some()),
            "InputConfig.EndpointConfigurations[].InferenceSpecificationName",
        );
        out
    }
}
