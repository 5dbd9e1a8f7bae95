//! AWS request bodies in: `RegisterScalableTarget`, `PutScalingPolicy`, `PutScheduledAction`
//! and `PutMetricAlarm` files (the `--cli-input-json` shape) turned into a scenario's
//! `autoscaling` and `alarms`, merged into a base scenario that supplies what AWS configuration
//! does not hold (the endpoint's model, launch times, the workload).
//!
//! Each file is recognised by its fields; a field the request type does not have is an error
//! naming the file and the field, never dropped. A scalable target's `ResourceId`
//! (`endpoint/NAME/variant/VARIANT`) must name a variant of the base endpoint. A step policy
//! takes the alarm whose `AlarmActions` names it (by a policy ARN ending in
//! `policyName/NAME`, or the `${POLICY_ARN:autoscaling[i]/NAME}` reference `export` writes).
//! Checks the AWS API makes are applied with its error type (`ValidationException: ...`).

use super::autoscaling::*;
use super::cloudwatch::PutMetricAlarm;
use crate::scenario::duration::Duration;
use crate::scenario::file::Endpoint;
use crate::scenario::scaling::{self as sc, Policy, ScalableTarget, TrackedMetric};
use crate::scenario::Scenario;

/// One input file: its name (for messages and comments) and text.
pub struct Input {
    pub file: String,
    pub text: String,
}

/// A request recognised and read.
enum Request {
    Target(RegisterScalableTarget),
    Policy(PutScalingPolicy),
    Scheduled(PutScheduledAction),
    Alarm(PutMetricAlarm),
}

impl Request {
    fn api(&self) -> &'static str {
        match self {
            Request::Target(_) => "RegisterScalableTarget",
            Request::Policy(_) => "PutScalingPolicy",
            Request::Scheduled(_) => "PutScheduledAction",
            Request::Alarm(_) => "PutMetricAlarm",
        }
    }
}

pub(super) fn typed<T: serde::de::DeserializeOwned>(file: &str, api: &str, v: serde_json::Value) -> Result<T, String> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        format!("{file}: {api}: at `{path}`: {}", e.into_inner())
    })
}

/// Reads one file as the request its fields say it is.
fn read(input: &Input) -> Result<Request, String> {
    let file = &input.file;
    let v: serde_json::Value = serde_json::from_str(&input.text).map_err(|e| format!("{file}: not JSON ({e})"))?;
    let has = |k: &str| v.get(k).is_some();
    if !v.is_object() {
        return Err(format!("{file}: expected a request body (a JSON object)"));
    }
    if has("AlarmName") {
        return Ok(Request::Alarm(typed(file, "PutMetricAlarm", v)?));
    }
    if has("PolicyName") {
        return Ok(Request::Policy(typed(file, "PutScalingPolicy", v)?));
    }
    if has("ScheduledActionName") {
        return Ok(Request::Scheduled(typed(file, "PutScheduledAction", v)?));
    }
    if has("ScalableDimension") && (has("MinCapacity") || has("MaxCapacity")) {
        return Ok(Request::Target(typed(file, "RegisterScalableTarget", v)?));
    }
    Err(format!(
        "{file}: not a request fleetsim imports (RegisterScalableTarget, PutScalingPolicy, PutScheduledAction, PutMetricAlarm): none of their identifying fields (ScalableDimension with MinCapacity/MaxCapacity, PolicyName, ScheduledActionName, AlarmName)"
    ))
}

fn validation(file: &str, m: impl std::fmt::Display) -> String {
    format!("{file}: ValidationException: {m}")
}

/// The variant (or inference component) a `ResourceId` names, checked against the base.
fn variant_of(base: &Scenario, file: &str, resource_id: &str) -> Result<(Option<String>, Option<String>), String> {
    if let Some(ic) = resource_id.strip_prefix("inference-component/") {
        return Ok((None, Some(ic.to_string())));
    }
    let parts: Vec<&str> = resource_id.split('/').collect();
    let ["endpoint", _name, "variant", variant] = parts[..] else {
        return Err(validation(
            file,
            format!(
                "ResourceId {resource_id:?} is not endpoint/<endpoint>/variant/<variant> or inference-component/<name>"
            ),
        ));
    };
    let names: Vec<String> = match &base.endpoint {
        Endpoint::RealTime { variants, .. } | Endpoint::Async { variants, .. } => {
            variants.iter().map(|v| v.name.clone()).collect()
        }
        Endpoint::Serverless { variant_name, .. } => vec![variant_name.clone()],
    };
    if !names.iter().any(|n| n == variant) {
        return Err(format!(
            "{file}: ResourceId {resource_id:?} names variant `{variant}`, which the base endpoint does not have (it has: {})",
            names.join(", ")
        ));
    }
    Ok((Some(variant.to_string()), None))
}

/// The scenario enum value the API name `v` of `field` stands for.
fn enum_of<T: serde::de::DeserializeOwned>(file: &str, field: &str, v: &str) -> Result<T, String> {
    super::from_api_name(v).ok_or_else(|| format!("{file}: {field} {v:?} is not one the simulator models"))
}

fn metric(file: &str, name: &str) -> Result<sc::Metric, String> {
    enum_of(file, "MetricName", name)
}

fn secs(s: u64) -> Duration {
    Duration::secs(s)
}

/// The policy name an alarm action names: the end of a policy ARN (`...:policyName/NAME`) or
/// an `export` reference (`${POLICY_ARN:autoscaling[i]/NAME}`).
fn action_policy(action: &str) -> Option<String> {
    if let Some(rest) = action.strip_prefix("${POLICY_ARN:") {
        let inner = rest.strip_suffix('}')?;
        return Some(inner.split_once('/').map_or(inner, |(_, name)| name).to_string());
    }
    action.rsplit_once(":policyName/").map(|(_, name)| name.to_string())
}

/// What an import gives: the scenario, and a line per imported item naming its source.
pub struct Imported {
    pub scenario: Scenario,
    /// `endpoint` / `deployments[k]` / `autoscaling[i]` / `alarms[j]` -> "FILE (API)" lines,
    /// in output order.
    pub sources: Vec<(String, String)>,
    /// `FILE: field: reason` for each accepted setting the scenario cannot represent.
    pub not_imported: Vec<String>,
}

/// Imports `inputs` into `base`. The endpoint and deployments are the endpoint requests' (see
/// `import_endpoint`); the base's own `autoscaling` and `alarms` are replaced when the inputs
/// hold any autoscaling or alarm request, and kept otherwise.
pub fn import(base: &Scenario, inputs: &[Input]) -> Result<Imported, String> {
    // The endpoint first: the scalable targets below must name its (imported) variants.
    let endpoint = super::import_endpoint::import(base, inputs)?;
    let base = &endpoint.scenario;
    let mut requests = Vec::new();
    for i in endpoint.rest {
        requests.push((i.file.clone(), read(i)?));
    }
    if requests.is_empty() {
        return Ok(Imported {
            scenario: base.clone(),
            sources: endpoint.sources,
            not_imported: endpoint.not_imported,
        });
    }
    let mut targets: Vec<(String, String, ScalableTarget, String)> = Vec::new();
    let mut alarms: Vec<(sc::Alarm, Vec<String>, String)> = Vec::new();
    let mut not_imported = endpoint.not_imported;
    for (file, r) in &requests {
        match r {
            Request::Target(t) => {
                if t.role_arn.is_some() {
                    not_imported.push(format!("{file}: RoleARN: the simulator has no IAM roles"));
                }
                if t.tags.is_some() {
                    not_imported.push(format!("{file}: Tags: resource tags are not simulated"));
                }
                if t.service_namespace != SERVICE_NAMESPACE {
                    return Err(format!(
                        "{file}: ServiceNamespace {:?}: fleetsim imports SageMaker targets (\"sagemaker\")",
                        t.service_namespace
                    ));
                }
                if t.min_capacity > t.max_capacity {
                    return Err(validation(
                        file,
                        "Minimum capacity cannot be greater than maximum capacity",
                    ));
                }
                let (variant, ic) = variant_of(base, file, &t.resource_id)?;
                let s = t.suspended_state.clone().unwrap_or(SuspendedState {
                    dynamic_scaling_in_suspended: false,
                    dynamic_scaling_out_suspended: false,
                    scheduled_scaling_suspended: false,
                });
                if targets
                    .iter()
                    .any(|(id, d, _, _)| *id == t.resource_id && *d == t.scalable_dimension)
                {
                    return Err(format!("{file}: {} is registered twice", t.resource_id));
                }
                targets.push((
                    t.resource_id.clone(),
                    t.scalable_dimension.clone(),
                    ScalableTarget {
                        variant,
                        inference_component: ic,
                        min_capacity: t.min_capacity,
                        max_capacity: t.max_capacity,
                        suspended_state: sc::SuspendedState {
                            dynamic_scaling_in_suspended: s.dynamic_scaling_in_suspended,
                            dynamic_scaling_out_suspended: s.dynamic_scaling_out_suspended,
                            scheduled_scaling_suspended: s.scheduled_scaling_suspended,
                        },
                        policies: Vec::new(),
                        scheduled: Vec::new(),
                        cooldown_start: sc::CooldownStart::ActivityEnd,
                    },
                    format!("{file} (RegisterScalableTarget)"),
                ));
            }
            Request::Alarm(a) => {
                for (field, reason) in a.unmodelled() {
                    not_imported.push(format!("{file}: {field}: {reason}"));
                }
                let dim = |n: &str| a.dimensions.iter().find(|d| d.name == n).map(|d| d.value.clone());
                let statistic = match (&a.statistic, &a.extended_statistic) {
                    (Some(s), None) | (None, Some(s)) => s.clone(),
                    _ => {
                        return Err(validation(
                            file,
                            "exactly one of Statistic and ExtendedStatistic must be given",
                        ))
                    }
                };
                let op = enum_of(file, "ComparisonOperator", &a.comparison_operator)?;
                let treat_missing = enum_of(file, "TreatMissingData", &a.treat_missing_data)?;
                let policies: Vec<String> = a.alarm_actions.iter().filter_map(|x| action_policy(x)).collect();
                if policies.len() != a.alarm_actions.len() {
                    return Err(format!(
                        "{file}: AlarmActions: an action that is not a scaling policy ARN cannot be simulated"
                    ));
                }
                alarms.push((
                    sc::Alarm {
                        name: a.alarm_name.clone(),
                        metric: metric(file, &a.metric_name)?,
                        variant: dim("VariantName"),
                        endpoint_config: dim("EndpointConfigName"),
                        inference_component: dim("InferenceComponentName"),
                        statistic,
                        period: secs(a.period),
                        evaluation_periods: a.evaluation_periods,
                        datapoints_to_alarm: Some(a.datapoints_to_alarm),
                        comparison_operator: op,
                        threshold: a.threshold,
                        treat_missing_data: treat_missing,
                    },
                    policies,
                    format!("{file} (PutMetricAlarm)"),
                ));
            }
            _ => {}
        }
    }
    // Policies and scheduled actions join their targets; `parts` names each one's source.
    let mut parts: Vec<(usize, String)> = Vec::new();
    for (file, r) in &requests {
        let (resource_id, dimension) = match r {
            Request::Policy(p) => (&p.resource_id, &p.scalable_dimension),
            Request::Scheduled(s) => (&s.resource_id, &s.scalable_dimension),
            _ => continue,
        };
        let Some(at) = targets
            .iter()
            .position(|(id, d, _, _)| id == resource_id && d == dimension)
        else {
            return Err(format!(
                "{file}: {}: no RegisterScalableTarget among the inputs registers {resource_id} ({dimension})",
                r.api()
            ));
        };
        let target = &mut targets[at].2;
        match r {
            Request::Policy(p) => {
                parts.push((
                    at,
                    format!("policies[{}] from {file} (PutScalingPolicy)", target.policies.len()),
                ));
                target.policies.push(policy(file, p, &alarms)?);
                let units = p
                    .target_tracking_scaling_policy_configuration
                    .as_ref()
                    .and_then(|c| c.customized_metric_specification.as_ref())
                    .is_some_and(|cu| {
                        cu.unit.is_some()
                            || cu
                                .metrics
                                .iter()
                                .any(|m| m.metric_stat.as_ref().is_some_and(|s| s.unit.is_some()))
                    });
                if units {
                    not_imported.push(format!(
                        "{file}: CustomizedMetricSpecification Unit: the simulated metrics have one unit each; the filter is not applied"
                    ));
                }
            }
            Request::Scheduled(s) => {
                parts.push((
                    at,
                    format!("scheduled[{}] from {file} (PutScheduledAction)", target.scheduled.len()),
                ));
                target.scheduled.push(sc::ScheduledAction {
                    name: s.scheduled_action_name.clone(),
                    schedule: s.schedule.clone(),
                    timezone: s.timezone.clone(),
                    start_time: s.start_time.clone(),
                    end_time: s.end_time.clone(),
                    min_capacity: s.scalable_target_action.min_capacity,
                    max_capacity: s.scalable_target_action.max_capacity,
                });
            }
            _ => {}
        }
    }
    let mut scenario = base.clone();
    let mut sources = endpoint.sources;
    scenario.autoscaling = targets
        .into_iter()
        .enumerate()
        .map(|(i, (_, _, t, src))| {
            sources.push((format!("autoscaling[{i}]"), src));
            for (_, part) in parts.iter().filter(|(at, _)| *at == i) {
                sources.push((format!("autoscaling[{i}]"), part.clone()));
            }
            t
        })
        .collect();
    scenario.alarms = alarms
        .into_iter()
        .enumerate()
        .map(|(j, (a, _, src))| {
            sources.push((format!("alarms[{j}]"), src));
            a
        })
        .collect();
    Ok(Imported {
        scenario,
        sources,
        not_imported,
    })
}

/// The metric and statistic a `CustomizedMetricSpecification` tracks: its own, or those of the
/// `MetricStat` its metric math returns. An expression that computes a value (`m1 / m2`) is
/// refused: a simulated policy tracks one metric the endpoint emits; an expression that only
/// names another query (`m1`) is that query.
fn customized_metric(file: &str, cu: &CustomizedMetricSpecification) -> Result<(String, String), String> {
    const AT: &str = "TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification";
    if cu.metrics.is_empty() {
        return match (&cu.metric_name, &cu.statistic) {
            (Some(n), Some(s)) => Ok((n.clone(), s.clone())),
            _ => Err(validation(
                file,
                "a CustomizedMetricSpecification needs MetricName, Namespace and Statistic, or Metrics",
            )),
        };
    }
    if cu.metric_name.is_some() || cu.namespace.is_some() || cu.statistic.is_some() || !cu.dimensions.is_empty() {
        return Err(validation(
            file,
            "MetricName, Namespace, Dimensions and Statistic cannot be given with Metrics",
        ));
    }
    let returned: Vec<usize> = (0..cu.metrics.len())
        .filter(|&i| cu.metrics[i].return_data != Some(false))
        .collect();
    let [mut i] = returned[..] else {
        return Err(validation(
            file,
            format!(
                "exactly one of the Metrics must return data (ReturnData true, the default); {} do",
                returned.len()
            ),
        ));
    };
    // Follow plain references (`m1`) to the query they name.
    for _ in 0..cu.metrics.len() {
        let q = &cu.metrics[i];
        match (&q.metric_stat, q.expression.as_deref().map(str::trim)) {
            (Some(ms), None) => return Ok((ms.metric.metric_name.clone(), ms.stat.clone())),
            (None, Some(e)) => match cu.metrics.iter().position(|o| o.id == e) {
                Some(j) => i = j,
                None => {
                    return Err(format!(
                        "{file}: at `{AT}.Metrics[{i}].Expression`: metric math `{e}` cannot be simulated: a simulated target tracking policy follows one metric the endpoint emits; track a MetricStat (or a predefined metric) instead"
                    ))
                }
            },
            _ => {
                return Err(validation(
                    file,
                    format!("Metrics[{i}] (Id {}) needs exactly one of Expression and MetricStat", q.id),
                ))
            }
        }
    }
    Err(format!(
        "{file}: at `{AT}.Metrics`: the expressions name each other in a circle; allowed: one that ends at a MetricStat"
    ))
}

/// A `PutScalingPolicy` as a scenario policy.
fn policy(file: &str, p: &PutScalingPolicy, alarms: &[(sc::Alarm, Vec<String>, String)]) -> Result<Policy, String> {
    match (p.policy_type.as_str(), &p.target_tracking_scaling_policy_configuration, &p.step_scaling_policy_configuration) {
        ("TargetTrackingScaling", Some(c), None) => {
            let metric = match (&c.predefined_metric_specification, &c.customized_metric_specification) {
                (Some(pre), None) => enum_of(file, "PredefinedMetricType", &pre.predefined_metric_type)?,
                (None, Some(cu)) => {
                    let (name, statistic) = customized_metric(file, cu)?;
                    if name == "ApproximateBacklogSizePerInstance" {
                        TrackedMetric::ApproximateBacklogSizePerInstance
                    } else {
                        TrackedMetric::Customized {
                            metric: metric(file, &name)?,
                            statistic,
                        }
                    }
                }
                _ => {
                    return Err(validation(
                        file,
                        "exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be given",
                    ))
                }
            };
            Ok(Policy::TargetTracking {
                name: p.policy_name.clone(),
                metric,
                target_value: c.target_value,
                scale_in_cooldown: secs(c.scale_in_cooldown),
                scale_out_cooldown: secs(c.scale_out_cooldown),
                disable_scale_in: c.disable_scale_in,
                alarms: sc::ManagedAlarms::default(),
            })
        }
        ("StepScaling", None, Some(c)) => {
            let Some((alarm, _, _)) = alarms.iter().find(|(_, ps, _)| ps.contains(&p.policy_name)) else {
                return Err(format!(
                    "{file}: step policy `{}`: no PutMetricAlarm among the inputs names it in AlarmActions; a step policy acts only through an alarm",
                    p.policy_name
                ));
            };
            Ok(Policy::StepScaling {
                name: p.policy_name.clone(),
                alarm: alarm.name.clone(),
                adjustment_type: enum_of(file, "AdjustmentType", &c.adjustment_type)?,
                step_adjustments: c
                    .step_adjustments
                    .iter()
                    .map(|s| sc::StepAdjustment {
                        lower: s.metric_interval_lower_bound,
                        upper: s.metric_interval_upper_bound,
                        adjustment: s.scaling_adjustment,
                    })
                    .collect(),
                min_adjustment_magnitude: c.min_adjustment_magnitude,
                cooldown: secs(c.cooldown),
                metric_aggregation_type: enum_of(file, "MetricAggregationType", &c.metric_aggregation_type)?,
            })
        }
        (t, _, _) => Err(validation(
            file,
            format!("PolicyType {t:?} needs exactly its own configuration (TargetTrackingScalingPolicyConfiguration or StepScalingPolicyConfiguration)"),
        )),
    }
}

/// The scenario as RON, with a comment before every imported item naming its source (items
/// kept from the base have none).
pub fn to_ron(imported: &Imported, header: &str) -> Result<String, String> {
    let pretty = ron::ser::PrettyConfig::new().struct_names(true);
    let mut bare = imported.scenario.clone();
    bare.autoscaling.clear();
    bare.alarms.clear();
    bare.deployments.clear();
    let text = ron::ser::to_string_pretty(&bare, pretty.clone()).map_err(|e| e.to_string())?;
    let list = |key: &str, items: Vec<String>| -> String {
        if items.is_empty() {
            return format!("    {key}: [],");
        }
        let mut s = format!("    {key}: [\n");
        for item in items {
            for line in item.lines() {
                s.push_str("        ");
                s.push_str(line);
                s.push('\n');
            }
        }
        s.push_str("    ],");
        s
    };
    // The first source of an item is the item's own, the others its parts'.
    let comment = |key: &str| {
        let lines: Vec<String> = imported
            .sources
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, s)| s.clone())
            .collect();
        if lines.is_empty() {
            String::new()
        } else {
            format!("// from {}\n", lines.join("\n// "))
        }
    };
    fn items<T: serde::Serialize>(
        key: &str,
        all: &[T],
        pretty: &ron::ser::PrettyConfig,
        comment: &dyn Fn(&str) -> String,
    ) -> Result<Vec<String>, String> {
        all.iter()
            .enumerate()
            .map(|(i, t)| {
                let body = ron::ser::to_string_pretty(t, pretty.clone()).map_err(|e| e.to_string())?;
                Ok(format!("{}{body},", comment(&format!("{key}[{i}]"))))
            })
            .collect()
    }
    let s = &imported.scenario;
    let targets = items("autoscaling", &s.autoscaling, &pretty, &comment)?;
    let alarms = items("alarms", &s.alarms, &pretty, &comment)?;
    let deployments = items("deployments", &s.deployments, &pretty, &comment)?;
    let mut out = text
        .replacen("    autoscaling: [],", &list("autoscaling", targets), 1)
        .replacen("    alarms: [],", &list("alarms", alarms), 1)
        .replacen("    deployments: [],", &list("deployments", deployments), 1);
    // The endpoint and the workload are single fields: their comment goes before the field.
    for key in ["endpoint", "workload"] {
        let c = comment(key);
        if !c.is_empty() {
            let mut indented = String::new();
            for line in c.lines() {
                indented.push_str(&format!("    {line}\n"));
            }
            let field = format!("\n    {key}: ");
            out = out.replacen(&field, &format!("\n{indented}    {key}: "), 1);
        }
    }
    let placed = out.matches("// from ").count();
    let expected = imported
        .sources
        .iter()
        .map(|(k, _)| k)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if placed != expected {
        return Err("cannot place the imported items in the scenario text".into());
    }
    out.insert_str(0, header);
    out.push('\n');
    Ok(out)
}
