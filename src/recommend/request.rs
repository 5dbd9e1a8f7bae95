//! `GetScalingConfigurationRecommendation` request (docs/semantics/load-tests.md §4.1) and its checks.
//!
//! The JSON shape and names are the AWS ones, so a request written for the real API can be fed
//! to `fleetsim recommend-scaling --request FILE` unchanged.

use crate::autoscaling::guidance::TARGET_CPU_UTILIZATION_PER_CORE_DEFAULT;
use serde::{Deserialize, Serialize};

/// The request, as the API takes it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ScalingRecommendationRequest {
    /// A completed recommendation job (required).
    pub inference_recommendations_job_name: String,
    /// A recommendation of that job; exactly one of this and `EndpointName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation_id: Option<String>,
    /// An endpoint benchmarked by that job; exactly one of this and `RecommendationId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_name: Option<String>,
    /// Per-core utilisation an instance should reach before scaling \[percent\]; default 50.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_cpu_utilization_per_core: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling_policy_objective: Option<ScalingPolicyObjective>,
}

/// Expected traffic range [requests per minute].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ScalingPolicyObjective {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_invocations_per_minute: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_invocations_per_minute: Option<u64>,
}

/// Which recommendation of the job a request selects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    RecommendationId(String),
    EndpointName(String),
}

/// A request that passed its checks, with defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedRequest {
    pub job_name: String,
    pub selector: Selector,
    /// Percent per core, 1 to 100.
    pub target_cpu_utilization_per_core: u32,
    pub objective: Option<ScalingPolicyObjective>,
}

/// The API's errors, named as the service names them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecommendationError {
    #[error("ValidationException: {0}")]
    Validation(String),
    #[error("ResourceNotFound: {0}")]
    ResourceNotFound(String),
}

impl ScalingRecommendationRequest {
    /// Checks the request: a job name, exactly one of `RecommendationId` and `EndpointName`
    /// (J2), a per-core target in 1..=100 (default 50, J1), and a consistent objective.
    pub fn check(&self) -> Result<CheckedRequest, RecommendationError> {
        let invalid = |m: String| Err(RecommendationError::Validation(m));
        if self.inference_recommendations_job_name.trim().is_empty() {
            return invalid("InferenceRecommendationsJobName is empty; it must name a completed job".into());
        }
        let selector = match (&self.recommendation_id, &self.endpoint_name) {
            (Some(id), None) => Selector::RecommendationId(id.clone()),
            (None, Some(e)) => Selector::EndpointName(e.clone()),
            (Some(id), Some(e)) => {
                return invalid(format!(
                    "both RecommendationId ({id:?}) and EndpointName ({e:?}) are given; give exactly one"
                ))
            }
            (None, None) => {
                return invalid("neither RecommendationId nor EndpointName is given; give exactly one".into())
            }
        };
        let target = self
            .target_cpu_utilization_per_core
            .unwrap_or(TARGET_CPU_UTILIZATION_PER_CORE_DEFAULT);
        if !(1..=100).contains(&target) {
            return invalid(format!(
                "TargetCpuUtilizationPerCore is {target}; allowed: 1 to 100 (percent per core)"
            ));
        }
        if let Some(ScalingPolicyObjective {
            min_invocations_per_minute: Some(lo),
            max_invocations_per_minute: Some(hi),
        }) = self.scaling_policy_objective
        {
            if lo > hi {
                return invalid(format!(
                    "ScalingPolicyObjective.MinInvocationsPerMinute ({lo}) is above MaxInvocationsPerMinute ({hi})"
                ));
            }
        }
        Ok(CheckedRequest {
            job_name: self.inference_recommendations_job_name.clone(),
            selector,
            target_cpu_utilization_per_core: target,
            objective: self.scaling_policy_objective,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(id: Option<&str>, ep: Option<&str>) -> ScalingRecommendationRequest {
        ScalingRecommendationRequest {
            inference_recommendations_job_name: "job".into(),
            recommendation_id: id.map(String::from),
            endpoint_name: ep.map(String::from),
            ..Default::default()
        }
    }

    #[test]
    fn j1_target_defaults_to_50() {
        let c = req(Some("job-1"), None).check().unwrap();
        assert_eq!(c.target_cpu_utilization_per_core, 50);
        assert_eq!(c.selector, Selector::RecommendationId("job-1".into()));
    }

    #[test]
    fn j2_exactly_one_selector() {
        for (id, ep) in [(Some("job-1"), Some("sm-epc-job-1")), (None, None)] {
            let e = req(id, ep).check().unwrap_err();
            assert!(
                matches!(&e, RecommendationError::Validation(m) if m.contains("exactly one")),
                "{e}"
            );
        }
        assert_eq!(
            req(None, Some("sm-epc-job-1")).check().unwrap().selector,
            Selector::EndpointName("sm-epc-job-1".into())
        );
    }

    #[test]
    fn target_and_objective_ranges() {
        let mut r = req(Some("job-1"), None);
        r.target_cpu_utilization_per_core = Some(0);
        assert!(r.check().unwrap_err().to_string().contains("allowed: 1 to 100"));
        r.target_cpu_utilization_per_core = Some(100);
        assert!(r.check().is_ok());
        r.scaling_policy_objective = Some(ScalingPolicyObjective {
            min_invocations_per_minute: Some(10),
            max_invocations_per_minute: Some(5),
        });
        assert!(r.check().unwrap_err().to_string().contains("is above"));
    }

    #[test]
    fn request_json_uses_aws_names_and_rejects_unknown_fields() {
        let text = r#"{"InferenceRecommendationsJobName":"j","EndpointName":"e",
            "ScalingPolicyObjective":{"MinInvocationsPerMinute":60,"MaxInvocationsPerMinute":600}}"#;
        let r: ScalingRecommendationRequest = serde_json::from_str(text).unwrap();
        assert_eq!(r.endpoint_name.as_deref(), Some("e"));
        assert_eq!(
            r.scaling_policy_objective.unwrap().max_invocations_per_minute,
            Some(600)
        );
        let bad = r#"{"InferenceRecommendationsJobName":"j","TargetCpu":5}"#;
        assert!(serde_json::from_str::<ScalingRecommendationRequest>(bad).is_err());
    }
}
