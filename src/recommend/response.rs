//! `GetScalingConfigurationRecommendation` response (docs/semantics/load-tests.md §4.2) and how its values
//! are derived from a job's benchmark (§4.3).
//!
//! The seeds do not say how the service derives its values; fleetsim assumes the following
//! (docs/semantics/load-tests.md §4.3), consistent with the capacity-planning notebook:
//! - `TargetValue` (predefined `SageMakerVariantInvocationsPerInstance`): the invocations per
//!   instance per minute at which the benchmark's CPU per core reaches
//!   `TargetCpuUtilizationPerCore`, read off the measured minutes by linear interpolation
//!   between the two minutes around the target (proportionally from the origin below the first
//!   minute, or from the last minute above the last), rounded down to whole invocations.
//! - `MinCapacity = max(1, ceil(MinInvocationsPerMinute / TargetValue))`,
//!   `MaxCapacity = max(MinCapacity, ceil(MaxInvocationsPerMinute / TargetValue))`; a missing
//!   bound leaves the capacity at its floor.
//! - Cooldowns 300 s / 300 s, the Application Auto Scaling defaults.
//!
//! Unions are externally tagged, so a policy serialises as `{"TargetTracking": {...}}` and a
//! metric specification as exactly one of `{"Predefined": ...}` / `{"Customized": ...}` (J4).

use super::benchmark::BenchmarkMinute;
use super::job::{InferenceRecommendation, RecommendationJob};
use super::request::{CheckedRequest, RecommendationError, ScalingPolicyObjective, Selector};
use crate::scenario::shorten;
use serde::{Deserialize, Serialize};

/// The response, in the AWS shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ScalingRecommendation {
    pub inference_recommendations_job_name: String,
    pub recommendation_id: String,
    pub endpoint_name: String,
    pub target_cpu_utilization_per_core: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling_policy_objective: Option<ScalingPolicyObjective>,
    pub metric: BenchmarkedMetric,
    pub dynamic_scaling_configuration: DynamicScalingConfiguration,
}

/// `Metric`: what the benchmark measured at the recommended target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct BenchmarkedMetric {
    /// Invocations per instance per minute (CloudWatch's 1/N normalisation).
    pub invocations_per_instance: u64,
    /// Model latency there \[µs\].
    pub model_latency: u64,
}

/// `DynamicScalingConfiguration`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DynamicScalingConfiguration {
    pub min_capacity: u32,
    pub max_capacity: u32,
    /// Seconds.
    pub scale_in_cooldown: u32,
    /// Seconds.
    pub scale_out_cooldown: u32,
    pub scaling_policies: Vec<ScalingPolicy>,
}

/// A recommended policy: a tagged union whose only member is `TargetTracking`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ScalingPolicy {
    TargetTracking(TargetTrackingRecommendation),
}

/// A target tracking policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TargetTrackingRecommendation {
    pub metric_specification: MetricSpecification,
    pub target_value: f64,
}

/// Exactly one of a predefined SageMaker metric and a customized CloudWatch metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MetricSpecification {
    Predefined {
        #[serde(rename = "PredefinedMetricType")]
        predefined_metric_type: String,
    },
    Customized {
        #[serde(rename = "MetricName")]
        metric_name: String,
        #[serde(rename = "Namespace")]
        namespace: String,
        #[serde(rename = "Statistic")]
        statistic: CustomizedStatistic,
    },
}

/// The statistics a customized metric may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomizedStatistic {
    Average,
    Minimum,
    Maximum,
    SampleCount,
    Sum,
}

/// Application Auto Scaling's default cooldowns \[s\].
pub const DEFAULT_COOLDOWN_S: u32 = 300;

/// Options of fleetsim's answer beyond the AWS request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecommendOptions {
    /// Add a second target tracking policy on the customized `CPUUtilization` (Average) with
    /// target `TargetCpuUtilizationPerCore x vCPUs`, since the metric sums its cores (C14).
    pub cpu_policy: bool,
}

fn find<'a>(
    job: &'a RecommendationJob,
    selector: &Selector,
) -> Result<&'a InferenceRecommendation, RecommendationError> {
    let recs = &job.inference_recommendations;
    let found = match selector {
        Selector::RecommendationId(id) => recs.iter().find(|r| &r.recommendation_id == id),
        Selector::EndpointName(e) => recs.iter().find(|r| &r.endpoint_configuration.endpoint_name == e),
    };
    found.ok_or_else(|| {
        let (what, name) = match selector {
            Selector::RecommendationId(id) => ("recommendation", id),
            Selector::EndpointName(e) => ("benchmarked endpoint", e),
        };
        RecommendationError::ResourceNotFound(format!("job {:?} has no {what} {name:?}", job.job_name))
    })
}

/// Invocations per instance per minute and model latency where CPU per core reaches
/// `target` percent (see the module header). `None` when no minute loaded the instance.
pub fn at_cpu_target(rows: &[BenchmarkMinute], target: f64) -> Option<(f64, f64)> {
    let first = rows.iter().position(|r| r.cpu_utilization_per_core >= target);
    let proportional = |r: &BenchmarkMinute| {
        (r.cpu_utilization_per_core > 0.0).then(|| {
            (
                r.invocations as f64 * target / r.cpu_utilization_per_core,
                r.model_latency_us,
            )
        })
    };
    match first {
        Some(0) => proportional(&rows[0]),
        Some(i) => {
            let (a, b) = (&rows[i - 1], &rows[i]);
            let span = b.cpu_utilization_per_core - a.cpu_utilization_per_core;
            let f = if span > 0.0 {
                (target - a.cpu_utilization_per_core) / span
            } else {
                1.0
            };
            let lerp = |x: f64, y: f64| x + f * (y - x);
            Some((
                lerp(a.invocations as f64, b.invocations as f64),
                lerp(a.model_latency_us, b.model_latency_us),
            ))
        }
        None => rows.iter().rev().find_map(proportional),
    }
}

fn ceil_div(n: u64, target: f64) -> u32 {
    ((n as f64 / target).ceil()).clamp(0.0, f64::from(u32::MAX)) as u32
}

/// Answers a checked request from the job it names (`jobs` looks a job up by name).
pub fn recommend(
    request: &CheckedRequest,
    job: Option<&RecommendationJob>,
    options: RecommendOptions,
) -> Result<ScalingRecommendation, RecommendationError> {
    let job = job.ok_or_else(|| {
        RecommendationError::ResourceNotFound(format!("no completed recommendation job named {:?}", request.job_name))
    })?;
    // A saved file that holds another job, or a job that did not complete, is not the completed
    // job the request names: answered as for a job that does not exist (J3).
    if job.job_name != request.job_name {
        return Err(RecommendationError::ResourceNotFound(format!(
            "no completed recommendation job named {:?} (the job saved under that name is {:?})",
            request.job_name,
            shorten(&job.job_name)
        )));
    }
    if job.status != "COMPLETED" {
        return Err(RecommendationError::ResourceNotFound(format!(
            "no completed recommendation job named {:?} (its Status is {:?}; allowed: COMPLETED)",
            request.job_name,
            shorten(&job.status)
        )));
    }
    let rec = find(job, &request.selector)?;
    let Some(vcpus) = rec.endpoint_configuration.vcpus else {
        return Err(RecommendationError::Validation(format!(
            "recommendation {:?} is a serverless configuration; allowed: a recommendation of an instance type (a scaling configuration sets instance counts)",
            rec.recommendation_id
        )));
    };
    if !rec.benchmark.iter().any(|m| m.invocations > 0) {
        return Err(RecommendationError::Validation(format!(
            "recommendation {:?} has no benchmark minute with Invocations above 0 ({} minutes); there is no load to read a target from",
            rec.recommendation_id,
            rec.benchmark.len()
        )));
    }
    let target_cpu = f64::from(request.target_cpu_utilization_per_core);
    let (ipm, latency) = at_cpu_target(&rec.benchmark, target_cpu).ok_or_else(|| {
        RecommendationError::Validation(format!(
            "recommendation {:?} has no benchmark minute with CPU load to read a target from",
            rec.recommendation_id
        ))
    })?;
    let target_value = ipm.floor().max(1.0);
    let objective = request.objective.unwrap_or_default();
    let min_capacity = objective
        .min_invocations_per_minute
        .map_or(1, |n| ceil_div(n, target_value))
        .max(1);
    let max_capacity = objective
        .max_invocations_per_minute
        .map_or(min_capacity, |n| ceil_div(n, target_value))
        .max(min_capacity);
    let mut policies = vec![ScalingPolicy::TargetTracking(TargetTrackingRecommendation {
        metric_specification: MetricSpecification::Predefined {
            predefined_metric_type: "SageMakerVariantInvocationsPerInstance".into(),
        },
        target_value,
    })];
    if options.cpu_policy {
        policies.push(ScalingPolicy::TargetTracking(TargetTrackingRecommendation {
            metric_specification: MetricSpecification::Customized {
                metric_name: "CPUUtilization".into(),
                namespace: "/aws/sagemaker/Endpoints".into(),
                statistic: CustomizedStatistic::Average,
            },
            target_value: target_cpu * f64::from(vcpus.max(1)),
        }));
    }
    Ok(ScalingRecommendation {
        inference_recommendations_job_name: job.job_name.clone(),
        recommendation_id: rec.recommendation_id.clone(),
        endpoint_name: rec.endpoint_configuration.endpoint_name.clone(),
        target_cpu_utilization_per_core: request.target_cpu_utilization_per_core,
        scaling_policy_objective: request.objective,
        metric: BenchmarkedMetric {
            invocations_per_instance: target_value as u64,
            model_latency: latency.round().max(0.0) as u64,
        },
        dynamic_scaling_configuration: DynamicScalingConfiguration {
            min_capacity,
            max_capacity,
            scale_in_cooldown: DEFAULT_COOLDOWN_S,
            scale_out_cooldown: DEFAULT_COOLDOWN_S,
            scaling_policies: policies,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(invocations: u64, cpu: f64) -> BenchmarkMinute {
        BenchmarkMinute {
            offered_rps: Some(invocations as f64 / 60.0),
            users: None,
            invocations,
            failures: 0,
            cpu_utilization_per_core: cpu,
            model_latency_us: 1000.0 + cpu,
            model_latency_at_threshold_us: None,
        }
    }

    #[test]
    fn target_is_interpolated_between_the_minutes_around_it() {
        let rows = [row(600, 10.0), row(1200, 20.0), row(1800, 40.0), row(2400, 60.0)];
        // 50 % lies halfway between 40 % (1800) and 60 % (2400).
        assert_eq!(at_cpu_target(&rows, 50.0), Some((2100.0, 1050.0)));
        // Below the first minute: proportional from the origin.
        assert_eq!(at_cpu_target(&rows, 5.0), Some((300.0, 1010.0)));
        // Above the last minute: proportional from the last one.
        assert_eq!(at_cpu_target(&rows, 90.0).unwrap().0, 3600.0);
        assert_eq!(at_cpu_target(&[row(0, 0.0)], 50.0), None);
    }

    #[test]
    fn j4_unions_carry_exactly_one_member() {
        let p = ScalingPolicy::TargetTracking(TargetTrackingRecommendation {
            metric_specification: MetricSpecification::Customized {
                metric_name: "CPUUtilization".into(),
                namespace: "/aws/sagemaker/Endpoints".into(),
                statistic: CustomizedStatistic::SampleCount,
            },
            target_value: 100.0,
        });
        let v = serde_json::to_value(&p).unwrap();
        let outer = v.as_object().unwrap();
        assert_eq!(outer.keys().collect::<Vec<_>>(), ["TargetTracking"]);
        let spec = v["TargetTracking"]["MetricSpecification"].as_object().unwrap();
        assert_eq!(spec.keys().collect::<Vec<_>>(), ["Customized"]);
        assert_eq!(
            v["TargetTracking"]["MetricSpecification"]["Customized"]["Statistic"],
            "SampleCount"
        );
        for s in ["Average", "Minimum", "Maximum", "SampleCount", "Sum"] {
            assert!(serde_json::from_value::<CustomizedStatistic>(s.into()).is_ok(), "{s}");
        }
        for s in ["p99", "Median"] {
            assert!(serde_json::from_value::<CustomizedStatistic>(s.into()).is_err(), "{s}");
        }
        // A member other than TargetTracking is not a policy.
        let step = serde_json::json!({"StepScaling": {}});
        assert!(serde_json::from_value::<ScalingPolicy>(step).is_err());
        let both = serde_json::json!({"Predefined": {"PredefinedMetricType": "x"},
            "Customized": {"MetricName": "m", "Namespace": "n", "Statistic": "Sum"}});
        assert!(serde_json::from_value::<MetricSpecification>(both).is_err());
    }
}
