//! A completed recommendation job, in the shape `DescribeInferenceRecommendationsJob` returns
//! (docs/semantics/load-tests.md §2), plus the per-minute benchmark each recommendation was measured on.
//!
//! Jobs are saved as JSON (`<jobs-dir>/<JobName>.json`) so `GetScalingConfigurationRecommendation`
//! can name one later, as the AWS API does. Field names are the AWS ones.

use super::benchmark::{Benchmark, BenchmarkMinute};
use serde::{Deserialize, Serialize};

/// `DescribeInferenceRecommendationsJob`, as fleetsim records it. `I` is the input's type:
/// either kind ([`JobInputConfig`]) in use; one kind when a file that matches neither is
/// diagnosed, so the message names the field at fault.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RecommendationJob<I = JobInputConfig> {
    pub job_name: String,
    /// `Default` (the service-chosen ramp) or `Advanced` (the user's load test)
    /// (docs/semantics/load-tests.md §1).
    pub job_type: String,
    /// Always `COMPLETED` for a saved job.
    pub status: String,
    /// `fleetsim benchmark`'s staircase, or the load test's request `InputConfig` echoed.
    pub input_config: I,
    /// The load test's `StoppingConditions`, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopping_conditions: Option<super::loadtest::request::StoppingConditions>,
    /// Simulated clock of the load test's job (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<String>,
    /// What the model's behaviour came from, and the seed (not an AWS field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulation: Option<Simulation>,
    pub inference_recommendations: Vec<InferenceRecommendation>,
    /// A load test of existing endpoints: one entry per endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_performances: Option<Vec<EndpointPerformance>>,
}

/// The job's input: the benchmark staircase or a load test's request (told apart by their
/// fields: only the staircase has `Scenario` and `StepRps`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum JobInputConfig {
    Benchmark(JobInput),
    LoadTest(Box<super::loadtest::request::InputConfig>),
}

/// The model scenarios and seed a load test ran with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Simulation {
    pub model_scenarios: Vec<String>,
    pub seed: u64,
}

/// One of `EndpointPerformances`: an existing endpoint under the load test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EndpointPerformance {
    pub metrics: EndpointPerformanceMetrics,
    pub endpoint_info: EndpointInfoOut,
    /// Why the test stopped.
    pub stop_reason: String,
    /// The test's minutes, up to the one that stopped it.
    pub benchmark: Vec<BenchmarkMinute>,
}

/// `Metrics` of an endpoint performance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EndpointPerformanceMetrics {
    /// Invocations of the peak minute [per minute].
    pub max_invocations: u64,
    /// `ModelLatency` of the peak minute \[µs\].
    pub model_latency: u64,
}

/// `EndpointInfo`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EndpointInfoOut {
    pub endpoint_name: String,
}

/// What the job benchmarked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct JobInput {
    /// The scenario file the model came from.
    pub scenario: String,
    pub seed: u64,
    /// Added load per minute of the staircase [requests per second].
    pub step_rps: f64,
}

/// One benchmarked configuration (docs/semantics/load-tests.md §2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct InferenceRecommendation {
    pub recommendation_id: String,
    pub metrics: RecommendationMetrics,
    pub endpoint_configuration: EndpointConfiguration,
    /// Tuned environment values of a load test's configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_configuration: Option<ModelConfiguration>,
    /// When the load test ran on the job's simulated clock (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_end_time: Option<String>,
    /// Why the benchmark stopped: `ErrorRate`, `Saturation` or `PatternComplete`, and for a
    /// load test also `MaxInvocations`, `ModelLatencyThreshold` or `FlatInvocations`.
    pub stop_reason: String,
    /// The benchmark's minutes, up to the one that stopped it.
    pub benchmark: Vec<BenchmarkMinute>,
}

/// `Metrics` of a recommendation (docs/semantics/load-tests.md §2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RecommendationMetrics {
    /// Hourly price of the instance \[USD\], a single-precision value written as its shortest
    /// float32 text (`0.204`); absent when the instance type has no price.
    #[serde(default, with = "crate::recommend::single::option")]
    pub cost_per_hour: Option<f64>,
    /// `CostPerHour / (MaximumInvocations x 60)` in single precision \[USD\], written the same way.
    #[serde(default, with = "crate::recommend::single::option")]
    pub cost_per_inference: Option<f64>,
    /// Invocations of the peak minute [per minute].
    pub maximum_invocations: u64,
    /// Model latency of the peak minute \[µs\]: the mean, or for a load test with a latency
    /// threshold, the threshold's percentile.
    pub model_latency: u64,
    /// Serverless results repeat `MaximumInvocations` under this name, as the service does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_invocations: Option<u64>,
    /// `CPUUtilization` of the peak minute (percent, summed over vCPUs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_utilization: Option<f64>,
    /// Serverless: mean time to start a container in the test \[µs\].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_setup_time: Option<u64>,
}

/// `ModelConfiguration`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ModelConfiguration {
    pub environment_parameters: Vec<EnvironmentParameter>,
}

/// One environment value a configuration ran with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EnvironmentParameter {
    pub key: String,
    pub value_type: String,
    pub value: String,
}

/// `EndpointConfiguration` of a recommendation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EndpointConfiguration {
    /// The benchmark endpoint (`sm-epc-<job>-<n>`).
    pub endpoint_name: String,
    pub variant_name: String,
    /// Absent for a serverless configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// Absent for a serverless configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_instance_count: Option<u32>,
    /// vCPUs of the instance type (to turn `CPUUtilization` into a per-core share).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpus: Option<u32>,
    /// The serverless configuration tested (the response spells `MemorySizeInMb`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serverless_config: Option<ServerlessConfigOut>,
}

/// `ServerlessConfig` of a serverless recommendation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ServerlessConfigOut {
    pub max_concurrency: u32,
    pub memory_size_in_mb: u32,
}

/// `CostPerInference = CostPerHour / (MaximumInvocations x 60)`, inputs and result in single
/// precision (docs/semantics/load-tests.md §2: this reproduces AWS's example rows exactly).
pub fn cost_per_inference(cost_per_hour: f64, maximum_invocations: u64) -> Option<f64> {
    if maximum_invocations == 0 {
        return None;
    }
    let per_hour = cost_per_hour as f32;
    let per_hour_invocations = (maximum_invocations as f32) * 60.0;
    Some(f64::from(per_hour / per_hour_invocations))
}

impl RecommendationJob {
    /// A completed job from its benchmarks, recommendations in fleetsim's default order
    /// (an assumption): ascending `ModelLatency`, then `CostPerInference`, then `InstanceType`.
    /// Identifiers number the benchmarks in the order given (`<job>-<n>`, from 1), so they do
    /// not depend on the results.
    pub fn new(job_name: &str, input: JobInput, benchmarks: &[Benchmark]) -> Self {
        let mut recs: Vec<InferenceRecommendation> = benchmarks
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let peak = b.peak();
                // Printed as the single-precision number widened (docs/semantics/load-tests.md L9-L12).
                let cost_per_hour = b.price_per_hour_usd.map(|c| f64::from(c as f32));
                InferenceRecommendation {
                    recommendation_id: format!("{job_name}-{}", i + 1),
                    metrics: RecommendationMetrics {
                        cost_per_hour,
                        cost_per_inference: cost_per_hour.and_then(|c| cost_per_inference(c, peak.invocations)),
                        maximum_invocations: peak.invocations,
                        model_latency: peak.model_latency_us.round() as u64,
                        max_invocations: None,
                        cpu_utilization: None,
                        model_setup_time: None,
                    },
                    endpoint_configuration: EndpointConfiguration {
                        endpoint_name: format!("sm-epc-{job_name}-{}", i + 1),
                        variant_name: b.variant.clone(),
                        instance_type: Some(b.instance_type.clone()),
                        initial_instance_count: Some(1),
                        vcpus: Some(b.vcpus),
                        serverless_config: None,
                    },
                    model_configuration: None,
                    invocation_start_time: None,
                    invocation_end_time: None,
                    stop_reason: b.stop.as_str().to_string(),
                    benchmark: b.minutes.clone(),
                }
            })
            .collect();
        sort_for_listing(&mut recs);
        RecommendationJob {
            job_name: job_name.to_string(),
            job_type: "Default".to_string(),
            status: "COMPLETED".to_string(),
            input_config: JobInputConfig::Benchmark(input),
            stopping_conditions: None,
            creation_time: None,
            completion_time: None,
            simulation: None,
            inference_recommendations: recs,
            endpoint_performances: None,
        }
    }
}

/// fleetsim's listing order (an assumption): ascending `ModelLatency`, then
/// `CostPerInference`, then `InstanceType`.
pub fn sort_for_listing(recs: &mut [InferenceRecommendation]) {
    recs.sort_by(|a, b| {
        let cpi = |r: &InferenceRecommendation| r.metrics.cost_per_inference.unwrap_or(f64::INFINITY);
        a.metrics
            .model_latency
            .cmp(&b.metrics.model_latency)
            .then(cpi(a).total_cmp(&cpi(b)))
            .then(
                a.endpoint_configuration
                    .instance_type
                    .cmp(&b.endpoint_configuration.instance_type),
            )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l9_to_l12_cost_identity_in_single_precision() {
        // (cost per hour, count, maximum invocations, printed cost per hour, cost per inference)
        let rows = [
            (0.204, 1.0, 648, 0.20399999618530273, 5.246913588052848e-06),
            (0.115, 1.0, 655, 0.11500000208616257, 2.92620870823157e-06),
            (0.115, 1.0, 570, 0.11500000208616257, 3.3625731248321244e-06),
            (0.23, 3.0, 1113, 0.6899999976158142, 1.0332434612791985e-05),
        ];
        for (price, count, max_inv, printed, want) in rows {
            let per_hour = f64::from((price * count) as f32);
            assert_eq!(per_hour, printed, "{price} x {count}");
            assert_eq!(cost_per_inference(per_hour, max_inv), Some(want), "{max_inv}");
        }
        // Double precision would differ in the 8th digit (L9).
        assert_ne!(0.204 / (648.0 * 60.0), 5.246913588052848e-06);
        assert_eq!(cost_per_inference(0.204, 0), None);
    }
}
