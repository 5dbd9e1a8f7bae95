//! A scaling recommendation out as AWS requests: the `DynamicScalingConfiguration` that
//! `fleetsim recommend-scaling` answers (`GetScalingConfigurationRecommendation`'s response) or
//! `fleetsim tune` writes (`recommendation.json`), as the `RegisterScalableTarget` and
//! `PutScalingPolicy` requests that apply it to one variant of an endpoint.
//!
//! The recommendation names the endpoint it benchmarked, not the one to configure, and no
//! variant: both come from the caller (the CLI's `--endpoint-name` / `--variant-name`, the
//! response's `EndpointName` and the API's default variant `AllTraffic` otherwise).

use super::autoscaling::*;
use super::export::{dimensions, json, number_files, Call, Export};
use crate::recommend::response::{DynamicScalingConfiguration, MetricSpecification, ScalingPolicy};
use serde::Deserialize;

/// What a recommendation file holds: the configuration, and the endpoint it names if any.
#[derive(Debug)]
pub struct Recommendation {
    pub endpoint_name: Option<String>,
    pub configuration: DynamicScalingConfiguration,
}

/// The fields read from either file; the response's other fields (job, metric) are not
/// requests' business and are ignored, but the configuration must be whole.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AnyRecommendation {
    #[serde(default)]
    endpoint_name: Option<String>,
    dynamic_scaling_configuration: Option<serde_json::Value>,
}

/// Whether `text` is a recommendation (JSON with a `DynamicScalingConfiguration`).
pub fn is_recommendation(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.get("DynamicScalingConfiguration").is_some())
}

/// Reads a recommendation; errors name the field.
pub fn read(file: &str, text: &str) -> Result<Recommendation, String> {
    let any: AnyRecommendation = serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    let Some(v) = any.dynamic_scaling_configuration else {
        return Err(format!("{file}: no `DynamicScalingConfiguration`"));
    };
    let configuration: DynamicScalingConfiguration = serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        format!("{file}: at `DynamicScalingConfiguration.{path}`: {}", e.into_inner())
    })?;
    Ok(Recommendation {
        endpoint_name: any.endpoint_name,
        configuration,
    })
}

/// The requests that apply `c` to variant `variant` of endpoint `endpoint`, in call order.
pub fn export(c: &DynamicScalingConfiguration, endpoint: &str, variant: &str) -> Export {
    let resource_id = format!("endpoint/{endpoint}/variant/{variant}");
    let dimension = "sagemaker:variant:DesiredInstanceCount".to_string();
    let mut calls = vec![Call {
        command: "application-autoscaling register-scalable-target",
        file: format!("register-scalable-target-{variant}"),
        body: json(&RegisterScalableTarget {
            service_namespace: SERVICE_NAMESPACE.into(),
            resource_id: resource_id.clone(),
            scalable_dimension: dimension.clone(),
            min_capacity: c.min_capacity,
            max_capacity: c.max_capacity,
            suspended_state: None,
            role_arn: None,
            tags: None,
        }),
        returns_policy_arn: None,
    }];
    for (i, ScalingPolicy::TargetTracking(t)) in c.scaling_policies.iter().enumerate() {
        let (predefined, customized) = match &t.metric_specification {
            MetricSpecification::Predefined { predefined_metric_type } => (
                Some(PredefinedMetricSpecification {
                    predefined_metric_type: predefined_metric_type.clone(),
                }),
                None,
            ),
            MetricSpecification::Customized {
                metric_name,
                namespace,
                statistic,
            } => (
                None,
                Some(CustomizedMetricSpecification {
                    metric_name: Some(metric_name.clone()),
                    namespace: Some(namespace.clone()),
                    dimensions: dimensions(endpoint, Some(variant), None, None),
                    statistic: Some(super::api_name(statistic)),
                    ..Default::default()
                }),
            ),
        };
        // One name per policy: the recommendation has none.
        let name = if c.scaling_policies.len() == 1 {
            "recommended-target-tracking".to_string()
        } else {
            format!("recommended-target-tracking-{}", i + 1)
        };
        calls.push(Call {
            command: "application-autoscaling put-scaling-policy",
            file: format!("put-scaling-policy-{name}"),
            body: json(&PutScalingPolicy {
                policy_name: name,
                service_namespace: SERVICE_NAMESPACE.into(),
                resource_id: resource_id.clone(),
                scalable_dimension: dimension.clone(),
                policy_type: "TargetTrackingScaling".into(),
                target_tracking_scaling_policy_configuration: Some(TargetTrackingConfiguration {
                    target_value: t.target_value,
                    predefined_metric_specification: predefined,
                    customized_metric_specification: customized,
                    scale_in_cooldown: u64::from(c.scale_in_cooldown),
                    scale_out_cooldown: u64::from(c.scale_out_cooldown),
                    disable_scale_in: false,
                }),
                step_scaling_policy_configuration: None,
            }),
            returns_policy_arn: None,
        });
    }
    number_files(&mut calls);
    Export {
        calls,
        not_exported: Vec::new(),
    }
}
