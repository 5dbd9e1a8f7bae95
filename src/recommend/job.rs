//! A completed recommendation job, in the shape `DescribeInferenceRecommendationsJob` returns
//! (docs/semantics/load-tests.md §2), plus the per-minute benchmark each recommendation was measured on.
//!
//! Jobs are saved as JSON (`<jobs-dir>/<JobName>.json`) so `GetScalingConfigurationRecommendation`
//! can name one later, as the AWS API does. Field names are the AWS ones.

use super::benchmark::{Benchmark, BenchmarkMinute};
use serde::{Deserialize, Serialize};

/// `DescribeInferenceRecommendationsJob`, as fleetsim records it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RecommendationJob {
    pub job_name: String,
    /// Always `Default`: the service-chosen ramp (docs/semantics/load-tests.md §1).
    pub job_type: String,
    /// Always `COMPLETED` for a saved job.
    pub status: String,
    pub input_config: JobInput,
    pub inference_recommendations: Vec<InferenceRecommendation>,
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
    /// Why the benchmark stopped: `ErrorRate`, `Saturation` or `PatternComplete`.
    pub stop_reason: String,
    /// The benchmark's minutes, up to the one that stopped it.
    pub benchmark: Vec<BenchmarkMinute>,
}

/// `Metrics` of a recommendation (docs/semantics/load-tests.md §2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RecommendationMetrics {
    /// Hourly price of the instance \[USD\], in single precision as the service prints it;
    /// absent when the instance type has no price.
    pub cost_per_hour: Option<f64>,
    /// `CostPerHour / (MaximumInvocations x 60)` in single precision \[USD\].
    pub cost_per_inference: Option<f64>,
    /// Invocations of the peak minute [per minute].
    pub maximum_invocations: u64,
    /// Mean model latency of the peak minute \[µs\].
    pub model_latency: u64,
}

/// `EndpointConfiguration` of a recommendation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EndpointConfiguration {
    /// The benchmark endpoint (`sm-epc-<job>-<n>`).
    pub endpoint_name: String,
    pub variant_name: String,
    pub instance_type: String,
    pub initial_instance_count: u32,
    /// vCPUs of the instance type (to turn `CPUUtilization` into a per-core share).
    pub vcpus: u32,
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
                    },
                    endpoint_configuration: EndpointConfiguration {
                        endpoint_name: format!("sm-epc-{job_name}-{}", i + 1),
                        variant_name: b.variant.clone(),
                        instance_type: b.instance_type.clone(),
                        initial_instance_count: 1,
                        vcpus: b.vcpus,
                    },
                    stop_reason: b.stop.as_str().to_string(),
                    benchmark: b.minutes.clone(),
                }
            })
            .collect();
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
        RecommendationJob {
            job_name: job_name.to_string(),
            job_type: "Default".to_string(),
            status: "COMPLETED".to_string(),
            input_config: input,
            inference_recommendations: recs,
        }
    }
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
