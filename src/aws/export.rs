//! A scenario's autoscaling as the AWS requests that would configure it: one request body per
//! API call, in the order the calls must be made, plus what the requests cannot hold.
//!
//! Order: `RegisterScalableTarget` for every target, then its `PutScalingPolicy` calls, then the
//! `PutMetricAlarm` calls of the alarms step policies use (an alarm names the ARN of the policy
//! it triggers, which `PutScalingPolicy` returns: the body holds `${POLICY_ARN:<policy>}` and the
//! script substitutes it), then `PutScheduledAction`. The endpoint is named after the scenario.
//!
//! Not representable, and listed: the shapes of the alarms target tracking creates (AWS manages
//! them), `cooldown_start`, and anything outside autoscaling (service times, launch times and
//! the workload are what the simulator adds to an AWS configuration).

use super::api_name;
use super::autoscaling::*;
use super::cloudwatch::PutMetricAlarm;
use crate::scenario::file::Endpoint;
use crate::scenario::scaling::{Alarm, CooldownStart, ManagedAlarms, Policy, ScalableTarget, TrackedMetric};
use crate::scenario::Scenario;

/// One API call: the CLI command, a file name and the request body.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// `application-autoscaling register-scalable-target`, ...
    pub command: &'static str,
    /// `01-register-scalable-target-<variant>.json`, ...
    pub file: String,
    /// The request body: pretty JSON, fields in the order of the API reference.
    pub body: String,
    /// For `PutScalingPolicy`: the reference to the ARN it returns, which alarms name.
    pub returns_policy_arn: Option<String>,
}

/// What the export gives.
#[derive(Clone, Debug, PartialEq)]
pub struct Export {
    pub calls: Vec<Call>,
    /// `field path: reason` for each setting the requests cannot hold.
    pub not_exported: Vec<String>,
}

/// The reference to the ARN of policy `policy` of `autoscaling[target]` in an alarm's
/// `AlarmActions` (policy names repeat across targets).
pub fn arn_reference(target: usize, policy: &str) -> String {
    format!("${{POLICY_ARN:autoscaling[{target}]/{policy}}}")
}

pub(crate) fn secs(d: &crate::scenario::duration::Duration) -> u64 {
    d.0 .0 / 1_000_000
}

/// The scalable target's `ResourceId` and `ScalableDimension`, and the variant it scales.
fn resource(scenario: &Scenario, t: &ScalableTarget, index: usize) -> Result<(String, String, String), String> {
    let endpoint = &scenario.name;
    if let Some(ic) = &t.inference_component {
        return Ok((
            format!("inference-component/{ic}"),
            "sagemaker:inference-component:DesiredCopyCount".into(),
            String::new(),
        ));
    }
    let (names, serverless): (Vec<String>, bool) = match &scenario.endpoint {
        Endpoint::RealTime { variants, .. } | Endpoint::Async { variants, .. } => {
            (variants.iter().map(|v| v.name.clone()).collect(), false)
        }
        Endpoint::Serverless { variant_name, .. } => (vec![variant_name.clone()], true),
    };
    let variant = match &t.variant {
        Some(v) => v.clone(),
        None if names.len() == 1 => names[0].clone(),
        None => {
            return Err(format!(
                "autoscaling[{index}]: name the variant (the endpoint has {})",
                names.len()
            ))
        }
    };
    let dimension = if serverless {
        "sagemaker:variant:DesiredProvisionedConcurrency"
    } else {
        "sagemaker:variant:DesiredInstanceCount"
    };
    Ok((
        format!("endpoint/{endpoint}/variant/{variant}"),
        dimension.into(),
        variant,
    ))
}

/// CloudWatch namespace of a SageMaker metric: instance metrics live under
/// `/aws/sagemaker/Endpoints`, invocation metrics under `AWS/SageMaker`.
fn namespace(metric: &str) -> &'static str {
    match metric {
        "CPUUtilization" | "MemoryUtilization" | "GPUUtilization" | "GPUMemoryUtilization" | "DiskUtilization" => {
            "/aws/sagemaker/Endpoints"
        }
        _ => "AWS/SageMaker",
    }
}

pub(crate) fn dimensions(
    endpoint: &str,
    variant: Option<&str>,
    config: Option<&str>,
    ic: Option<&str>,
) -> Vec<Dimension> {
    let mut d = Vec::new();
    if let Some(ic) = ic {
        d.push(Dimension {
            name: "InferenceComponentName".into(),
            value: ic.into(),
        });
        return d;
    }
    d.push(Dimension {
        name: "EndpointName".into(),
        value: endpoint.into(),
    });
    if let Some(c) = config {
        d.push(Dimension {
            name: "EndpointConfigName".into(),
            value: c.into(),
        });
    }
    if let Some(v) = variant {
        d.push(Dimension {
            name: "VariantName".into(),
            value: v.into(),
        });
    }
    d
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("a request body serializes");
    s.push('\n');
    s
}

/// `PutMetricAlarm` for a scenario alarm; `actions` are the policy ARN references.
pub fn alarm_request(endpoint: &str, a: &Alarm, actions: Vec<String>) -> PutMetricAlarm {
    let metric = api_name(&a.metric);
    let extended = a.statistic.starts_with('p');
    PutMetricAlarm {
        alarm_name: a.name.clone(),
        alarm_actions: actions,
        namespace: namespace(&metric).into(),
        dimensions: dimensions(
            endpoint,
            a.variant.as_deref(),
            a.endpoint_config.as_deref(),
            a.inference_component.as_deref(),
        ),
        metric_name: metric,
        statistic: (!extended).then(|| a.statistic.clone()),
        extended_statistic: extended.then(|| a.statistic.clone()),
        period: secs(&a.period),
        evaluation_periods: a.evaluation_periods,
        datapoints_to_alarm: a.datapoints_to_alarm.unwrap_or(a.evaluation_periods),
        threshold: a.threshold,
        comparison_operator: api_name(&a.comparison_operator),
        treat_missing_data: api_name(&a.treat_missing_data),
        alarm_description: None,
        actions_enabled: None,
        ok_actions: Vec::new(),
        insufficient_data_actions: Vec::new(),
        unit: None,
        evaluate_low_sample_count_percentile: None,
        tags: None,
    }
}

/// The metric specification of a tracked metric: predefined (the scenario names the API's
/// predefined types), or customized.
fn tracked(
    metric: &TrackedMetric,
    endpoint: &str,
    variant: &str,
    ic: Option<&str>,
) -> (
    Option<PredefinedMetricSpecification>,
    Option<CustomizedMetricSpecification>,
) {
    let customized = |name: String, dimensions: Vec<Dimension>, statistic: &str| {
        Some(CustomizedMetricSpecification {
            namespace: Some(namespace(&name).into()),
            metric_name: Some(name),
            dimensions,
            statistic: Some(statistic.into()),
            ..Default::default()
        })
    };
    match metric {
        // The backlog per instance is a customized metric on the endpoint (no variant).
        TrackedMetric::ApproximateBacklogSizePerInstance => (
            None,
            customized(
                "ApproximateBacklogSizePerInstance".into(),
                dimensions(endpoint, None, None, None),
                "Average",
            ),
        ),
        TrackedMetric::Customized { metric, statistic } => (
            None,
            customized(
                api_name(metric),
                dimensions(endpoint, (!variant.is_empty()).then_some(variant), None, ic),
                statistic,
            ),
        ),
        predefined => (
            Some(PredefinedMetricSpecification {
                predefined_metric_type: api_name(predefined),
            }),
            None,
        ),
    }
}

/// The requests that configure `scenario`'s autoscaling on AWS, files numbered in call order.
pub fn export(scenario: &Scenario) -> Result<Export, String> {
    let mut e = autoscaling_calls(scenario)?;
    number_files(&mut e.calls);
    Ok(e)
}

/// The autoscaling requests in call order, files not yet numbered (the endpoint's export puts
/// its own calls around them).
pub(crate) fn autoscaling_calls(scenario: &Scenario) -> Result<Export, String> {
    let endpoint = scenario.name.as_str();
    let mut calls = Vec::new();
    let mut not_exported = Vec::new();
    let mut policies = Vec::new();
    // Alarm name -> the ARN references of the step policies it triggers.
    let mut alarms_used: Vec<(String, Vec<String>)> = Vec::new();
    let mut scheduled = Vec::new();
    for (i, t) in scenario.autoscaling.iter().enumerate() {
        let (resource_id, dimension, variant) = resource(scenario, t, i)?;
        let tag = if variant.is_empty() {
            t.inference_component.clone().unwrap_or_default()
        } else {
            variant.clone()
        };
        let s = &t.suspended_state;
        let any = s.dynamic_scaling_in_suspended || s.dynamic_scaling_out_suspended || s.scheduled_scaling_suspended;
        let suspended = any.then_some(SuspendedState {
            dynamic_scaling_in_suspended: s.dynamic_scaling_in_suspended,
            dynamic_scaling_out_suspended: s.dynamic_scaling_out_suspended,
            scheduled_scaling_suspended: s.scheduled_scaling_suspended,
        });
        calls.push(Call {
            command: "application-autoscaling register-scalable-target",
            file: format!("register-scalable-target-{tag}"),
            body: json(&RegisterScalableTarget {
                service_namespace: SERVICE_NAMESPACE.into(),
                resource_id: resource_id.clone(),
                scalable_dimension: dimension.clone(),
                min_capacity: t.min_capacity,
                max_capacity: t.max_capacity,
                suspended_state: suspended,
                role_arn: None,
                tags: None,
            }),
            returns_policy_arn: None,
        });
        if t.cooldown_start != CooldownStart::ActivityEnd {
            not_exported.push(format!(
                "autoscaling[{i}].cooldown_start: when a cooldown starts is the simulator's assumption, not an AWS setting"
            ));
        }
        for (p, policy) in t.policies.iter().enumerate() {
            // The configuration of the policy's type; the rest of the request is the target's.
            let (name, tracking, step) = match policy {
                Policy::TargetTracking {
                    name,
                    metric,
                    target_value,
                    scale_in_cooldown,
                    scale_out_cooldown,
                    disable_scale_in,
                    alarms,
                } => {
                    if *alarms != ManagedAlarms::default() {
                        not_exported.push(format!(
                            "autoscaling[{i}].policies[{p}].alarms: AWS creates and manages the alarms of a target tracking policy; their shape is not a request field"
                        ));
                    }
                    let (predefined, customized) =
                        tracked(metric, endpoint, &variant, t.inference_component.as_deref());
                    let tracking = TargetTrackingConfiguration {
                        target_value: *target_value,
                        predefined_metric_specification: predefined,
                        customized_metric_specification: customized,
                        scale_in_cooldown: secs(scale_in_cooldown),
                        scale_out_cooldown: secs(scale_out_cooldown),
                        disable_scale_in: *disable_scale_in,
                    };
                    (name, Some(tracking), None)
                }
                Policy::StepScaling {
                    name,
                    alarm,
                    adjustment_type,
                    step_adjustments,
                    min_adjustment_magnitude,
                    cooldown,
                    metric_aggregation_type,
                } => {
                    let arn = arn_reference(i, name);
                    match alarms_used.iter_mut().find(|(a, _)| a == alarm) {
                        Some((_, arns)) => arns.push(arn),
                        None => alarms_used.push((alarm.clone(), vec![arn])),
                    }
                    let step = StepScalingConfiguration {
                        adjustment_type: api_name(adjustment_type),
                        step_adjustments: step_adjustments
                            .iter()
                            .map(|s| StepAdjustment {
                                metric_interval_lower_bound: s.lower,
                                metric_interval_upper_bound: s.upper,
                                scaling_adjustment: s.adjustment,
                            })
                            .collect(),
                        min_adjustment_magnitude: *min_adjustment_magnitude,
                        cooldown: secs(cooldown),
                        metric_aggregation_type: api_name(metric_aggregation_type),
                    };
                    (name, None, Some(step))
                }
            };
            let body = PutScalingPolicy {
                policy_name: name.clone(),
                service_namespace: SERVICE_NAMESPACE.into(),
                resource_id: resource_id.clone(),
                scalable_dimension: dimension.clone(),
                policy_type: if tracking.is_some() {
                    "TargetTrackingScaling"
                } else {
                    "StepScaling"
                }
                .into(),
                target_tracking_scaling_policy_configuration: tracking,
                step_scaling_policy_configuration: step,
            };
            policies.push(Call {
                command: "application-autoscaling put-scaling-policy",
                file: format!("put-scaling-policy-{name}"),
                body: json(&body),
                returns_policy_arn: Some(arn_reference(i, name)),
            });
        }
        for a in &t.scheduled {
            scheduled.push(Call {
                command: "application-autoscaling put-scheduled-action",
                file: format!("put-scheduled-action-{}", a.name),
                body: json(&PutScheduledAction {
                    service_namespace: SERVICE_NAMESPACE.into(),
                    schedule: a.schedule.clone(),
                    timezone: a.timezone.clone(),
                    scheduled_action_name: a.name.clone(),
                    resource_id: resource_id.clone(),
                    scalable_dimension: dimension.clone(),
                    start_time: a.start_time.clone(),
                    end_time: a.end_time.clone(),
                    scalable_target_action: ScalableTargetAction {
                        min_capacity: a.min_capacity,
                        max_capacity: a.max_capacity,
                    },
                }),
                returns_policy_arn: None,
            });
        }
    }
    calls.extend(policies);
    // Every alarm of the scenario: those step policies use carry their ARNs; the others (a
    // deployment's rollback alarms) are plain alarms.
    for a in &scenario.alarms {
        let actions = alarms_used
            .iter()
            .find(|(n, _)| *n == a.name)
            .map(|(_, arns)| arns.clone())
            .unwrap_or_default();
        calls.push(Call {
            command: "cloudwatch put-metric-alarm",
            file: format!("put-metric-alarm-{}", a.name),
            body: json(&alarm_request(endpoint, a, actions)),
            returns_policy_arn: None,
        });
    }
    calls.extend(scheduled);
    Ok(Export { calls, not_exported })
}

/// Numbers the files in call order, names made safe for a file system.
pub(crate) fn number_files(calls: &mut [Call]) {
    for (k, c) in calls.iter_mut().enumerate() {
        let safe: String = c
            .file
            .chars()
            .map(|ch| {
                if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' {
                    ch
                } else {
                    '_'
                }
            })
            .collect();
        c.file = format!("{:02}-{safe}.json", k + 1);
    }
}

/// `text` as a literal `sed` pattern inside a single-quoted shell word: the basic regular
/// expression's special characters and the `|` delimiter escaped, a `'` closed and reopened.
fn sed_literal(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        match ch {
            '\\' | '.' | '*' | '[' | ']' | '^' | '$' | '|' => {
                out.push('\\');
                out.push(ch);
            }
            '\'' => out.push_str("'\\''"),
            _ => out.push(ch),
        }
    }
    out
}

/// `apply.sh`: the `aws` CLI calls in order, each reading its file; a policy's ARN is captured
/// and put into the alarms that name it as they are sent (the files stay as written). Never
/// run by fleetsim.
pub fn script(e: &Export) -> String {
    let mut s = String::from(
        "#!/usr/bin/env bash\n# The AWS CLI calls that configure this scenario, in order. Review, then run from any\n# folder. fleetsim never runs it.\nset -euo pipefail\ncd \"$(dirname \"$0\")\"\n",
    );
    // (reference, shell variable holding its value): policy ARNs, each variable named after
    // the call's number, and an asynchronous endpoint's S3 output path, from the environment.
    let mut arns: Vec<(String, String)> = Vec::new();
    let s3 = super::export_endpoint::S3_OUTPUT_PATH_REFERENCE;
    if e.calls.iter().any(|c| c.body.contains(s3)) {
        s.push_str(
            ": \"${S3_OUTPUT_PATH:?set S3_OUTPUT_PATH to the S3 URI where the asynchronous endpoint writes its results, such as s3://my-bucket/results/}\"\n",
        );
        arns.push((s3.to_string(), "S3_OUTPUT_PATH".into()));
    }
    for (k, c) in e.calls.iter().enumerate() {
        s.push_str(&super::export_endpoint::before(
            k.checked_sub(1).map(|j| &e.calls[j]),
            c,
        ));
        if let Some(reference) = &c.returns_policy_arn {
            let var = format!("POLICY_ARN_{:02}", k + 1);
            s.push_str(&format!(
                "{var}=$(aws {} --cli-input-json file://{} --query PolicyARN --output text)\n",
                c.command, c.file
            ));
            arns.push((reference.clone(), var));
            continue;
        }
        let used: Vec<&(String, String)> = arns.iter().filter(|(p, _)| c.body.contains(p.as_str())).collect();
        if used.is_empty() {
            s.push_str(&format!("aws {} --cli-input-json file://{}\n", c.command, c.file));
        } else {
            let subs: Vec<String> = used
                .iter()
                .map(|(p, var)| format!("-e 's|{}|'\"${var}\"'|g'", sed_literal(p)))
                .collect();
            s.push_str(&format!(
                "aws {} --cli-input-json \"$(sed {} {})\"\n",
                c.command,
                subs.join(" "),
                c.file
            ));
        }
    }
    s
}
