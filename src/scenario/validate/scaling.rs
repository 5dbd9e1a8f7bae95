//! Auto scaling: CloudWatch alarms and scalable targets into their simulation configuration.
//! This file holds what alarms, targets and policies share (the endpoint facts, metric and
//! period checks); `alarm.rs`, `target.rs` and `policy.rs` validate each in turn.

use super::check::Check;
use super::{alarm, target};
use crate::autoscaling::alarm::Statistic;
use crate::engine::SimDuration;
use crate::model::metrics::MetricName;
use crate::scenario::limits;
use crate::scenario::scaling as f;
use crate::sim::{AlarmConfig, EndpointKind, TargetConfig, VariantConfig};

/// What the validation of scaling needs to know about the endpoint and its metrics.
pub(super) struct Scope<'a> {
    pub variants: &'a [VariantConfig],
    pub kind: EndpointKind,
    /// `(variant, configuration name)` of the configuration series, in recorder order.
    pub configs: &'a [(usize, String)],
    /// A serverless endpoint's `(MaxConcurrency, whether provisioned concurrency is set)`:
    /// its scalable target is `DesiredProvisionedConcurrency`.
    pub serverless: Option<(u32, bool)>,
    /// `Some(ManagedInstanceScaling.MinInstanceCount)` when the endpoint hosts inference
    /// components; `variants` are then the components.
    pub min_instances: Option<u32>,
    /// `metrics.high_resolution_period`, at least 1 µs.
    pub tick: SimDuration,
    pub metrics_period: SimDuration,
}

impl Scope<'_> {
    /// Whether the scalable resources are inference components rather than variants.
    pub(super) fn components(&self) -> bool {
        self.min_instances.is_some()
    }
}

/// Validates alarms, then scalable targets. `percentiles` gains any percentile an alarm or a
/// policy needs.
pub(super) fn validate(
    c: &mut Check,
    alarms: &[f::Alarm],
    targets: &[f::ScalableTarget],
    scope: &Scope,
    percentiles: &mut Vec<f64>,
) -> (Vec<AlarmConfig>, Vec<TargetConfig>) {
    let alarm_configs = alarm::validate(c, alarms, scope, percentiles);
    let target_configs = target::validate(c, targets, alarms, scope, percentiles);
    (alarm_configs, target_configs)
}

/// Rejects a metric the endpoint kind does not publish: asynchronous endpoints publish no
/// `Invocations`, `InvocationsPerInstance` or `OverheadLatency` [AWS] and never fail a request
/// for lack of capacity.
pub(super) fn published(c: &mut Check, path: &str, metric: MetricName, kind: EndpointKind) {
    if kind == EndpointKind::Serverless {
        if !metric.published_by_serverless() {
            c.fail(
                path,
                metric.name(),
                "a metric a serverless endpoint publishes: Invocations, Invocation4XXErrors, Invocation5XXErrors, ModelLatency, OverheadLatency, ModelSetupTime or a Serverless* metric (no InvocationsPerInstance, CPUUtilization or backlog metrics)",
            );
        }
        return;
    }
    if metric.serverless_only() {
        c.fail(
            path,
            metric.name(),
            "a metric this endpoint publishes (ModelSetupTime and the Serverless* metrics exist only on serverless endpoints)",
        );
        return;
    }
    let missing = matches!(
        metric,
        MetricName::Invocations
            | MetricName::InvocationsPerInstance
            | MetricName::OverheadLatency
            | MetricName::NoCapacityInvocationFailures
    );
    if kind == EndpointKind::Async && missing {
        c.fail(
            path,
            metric.name(),
            "a metric an asynchronous endpoint publishes (not Invocations, InvocationsPerInstance, OverheadLatency or NoCapacityInvocationFailures); scale on ApproximateBacklogSizePerInstance, HasBacklogWithoutCapacity or CPUUtilization",
        );
    }
}

pub(super) fn metric_name(m: f::Metric) -> MetricName {
    match m {
        f::Metric::Invocations => MetricName::Invocations,
        f::Metric::InvocationsPerInstance => MetricName::InvocationsPerInstance,
        f::Metric::Invocation4XXErrors => MetricName::Invocation4XXErrors,
        f::Metric::Invocation5XXErrors => MetricName::Invocation5XXErrors,
        f::Metric::ModelLatency => MetricName::ModelLatency,
        f::Metric::OverheadLatency => MetricName::OverheadLatency,
        f::Metric::CPUUtilization => MetricName::CPUUtilization,
        f::Metric::ConcurrentRequestsPerModel => MetricName::ConcurrentRequestsPerModel,
        f::Metric::ApproximateBacklogSize => MetricName::ApproximateBacklogSize,
        f::Metric::ApproximateBacklogSizePerInstance => MetricName::ApproximateBacklogSizePerInstance,
        f::Metric::HasBacklogWithoutCapacity => MetricName::HasBacklogWithoutCapacity,
        f::Metric::NoCapacityInvocationFailures => MetricName::NoCapacityInvocationFailures,
        f::Metric::ApproximateAgeOfOldestRequest => MetricName::ApproximateAgeOfOldestRequest,
        f::Metric::ExpiredRequests => MetricName::ExpiredRequests,
        f::Metric::ServerlessConcurrentExecutionsUtilization => MetricName::ServerlessConcurrentExecutionsUtilization,
        f::Metric::ServerlessProvisionedConcurrencyExecutions => MetricName::ServerlessProvisionedConcurrencyExecutions,
        f::Metric::ServerlessProvisionedConcurrencyUtilization => {
            MetricName::ServerlessProvisionedConcurrencyUtilization
        }
        f::Metric::ServerlessProvisionedConcurrencyInvocations => {
            MetricName::ServerlessProvisionedConcurrencyInvocations
        }
        f::Metric::ServerlessProvisionedConcurrencySpilloverInvocations => {
            MetricName::ServerlessProvisionedConcurrencySpilloverInvocations
        }
        f::Metric::ModelSetupTime => MetricName::ModelSetupTime,
        f::Metric::InvocationsPerCopy => MetricName::InvocationsPerCopy,
        f::Metric::ConcurrentRequestsPerCopy => MetricName::ConcurrentRequestsPerCopy,
    }
}

/// Checks a period: positive and a multiple of the sampling tick.
pub(super) fn period(c: &mut Check, path: &str, d: SimDuration, tick: SimDuration) -> SimDuration {
    if d.0 == 0 || tick.0 == 0 || d.0 % tick.0 != 0 {
        c.fail(
            path,
            format!("\"{d}\""),
            &format!("a duration > 0 that is a multiple of metrics.high_resolution_period ({tick})"),
        );
        return tick.max(SimDuration(1));
    }
    // The ticks of one period are kept for the alarm to read.
    if d.0 / tick.0 > limits::MAX_HISTORY_TICKS {
        c.fail(
            path,
            format!("\"{d}\" ({} sampling ticks of {tick})", d.0 / tick.0),
            &format!(
                "a period of at most {} sampling ticks (metrics.high_resolution_period)",
                limits::MAX_HISTORY_TICKS
            ),
        );
        return tick;
    }
    d
}

/// An alarm's evaluation window: `n` periods of `per`, at most one day in all as CloudWatch
/// allows (EvaluationPeriods x Period <= 86,400 s), checked before any window is allocated.
pub(super) fn evaluation_window(c: &mut Check, path: &str, n: u32, per: SimDuration) {
    let most = (limits::MAX_ALARM_WINDOW.0 / per.0.max(1)).clamp(1, u64::from(u32::MAX));
    if n == 0 || u64::from(n) > most {
        c.fail(
            path,
            n,
            &format!(
                "an integer from 1 to {most} (the evaluation periods times the period ({per}) may span at most one day, as in CloudWatch)"
            ),
        );
    }
}

/// Cooldowns are whole seconds in the AWS API.
pub(super) fn whole_seconds(c: &mut Check, path: &str, d: SimDuration) -> u64 {
    if d.0 % 1_000_000 != 0 {
        c.fail(path, format!("\"{d}\""), "a whole number of seconds");
    }
    d.0 / 1_000_000
}

/// Checks a statistic for a metric; percentiles need a histogram period.
pub(super) fn statistic(
    c: &mut Check,
    path: &str,
    text: &str,
    metric: MetricName,
    p: SimDuration,
    metrics_period: SimDuration,
    percentiles: &mut Vec<f64>,
) -> Statistic {
    match Statistic::parse(text) {
        Ok(Statistic::Percentile(q)) => {
            if metric != MetricName::ModelLatency || p != metrics_period {
                c.fail(
                    path,
                    format!("\"{text}\""),
                    &format!("a percentile only for ModelLatency with a period equal to metrics.period ({metrics_period}); otherwise Sum, Average, Minimum, Maximum or SampleCount"),
                );
            } else if !percentiles.iter().any(|x| (x - q).abs() < 1e-9) {
                percentiles.push(q);
            }
            Statistic::Percentile(q)
        }
        Ok(s)
            if matches!(
                metric,
                MetricName::InvocationsPerInstance | MetricName::InvocationsPerCopy
            ) && matches!(s, Statistic::Minimum | Statistic::Maximum) =>
        {
            c.fail(
                path,
                format!("\"{text}\""),
                &format!("Sum, Average or SampleCount for {metric} (CloudWatch publishes it for Sum)"),
            );
            s
        }
        Ok(s) => s,
        Err(e) => {
            c.fail(path, format!("\"{text}\""), &e);
            Statistic::Average
        }
    }
}

fn variant_index(
    c: &mut Check,
    path: &str,
    name: &Option<String>,
    variants: &[VariantConfig],
    required: bool,
) -> Option<usize> {
    match name {
        Some(n) => match variants.iter().position(|v| &v.name == n) {
            Some(i) => Some(i),
            None => {
                let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
                c.fail(
                    path,
                    format!("\"{n}\""),
                    &format!("one of the variant names: {}", names.join(", ")),
                );
                None
            }
        },
        None if required && variants.len() != 1 => {
            c.fail(path, "None", "the variant's name (the endpoint has several variants)");
            None
        }
        None if required => Some(0),
        None => None,
    }
}

/// The scalable resource of a target or the dimension of an alarm: `variant` on a plain
/// endpoint, `inference_component` on one with inference components (whose components are the
/// run's variants).
pub(super) fn resource(
    c: &mut Check,
    path: &str,
    variant: &Option<String>,
    component: &Option<String>,
    variants: &[VariantConfig],
    components: bool,
    required: bool,
) -> Option<usize> {
    match (components, variant, component) {
        (false, _, Some(n)) => {
            c.fail(
                &format!("{path}.inference_component"),
                format!("\"{n}\""),
                "None: the endpoint hosts no inference components",
            );
            None
        }
        (false, v, None) => variant_index(c, &format!("{path}.variant"), v, variants, required),
        (true, Some(n), _) => {
            c.fail(
                &format!("{path}.variant"),
                format!("\"{n}\""),
                "None: on an endpoint with inference components, name the component in inference_component (ResourceId inference-component/<name>, dimension InferenceComponentName)",
            );
            None
        }
        (true, None, n) => variant_index(c, &format!("{path}.inference_component"), n, variants, required),
    }
}

/// Rejects the per-copy metrics on an endpoint without inference components.
pub(super) fn per_copy(c: &mut Check, path: &str, metric: MetricName, components: bool) {
    if !components
        && matches!(
            metric,
            MetricName::InvocationsPerCopy | MetricName::ConcurrentRequestsPerCopy
        )
    {
        c.fail(
            path,
            metric.name(),
            "a variant metric (InvocationsPerCopy and ConcurrentRequestsPerCopy exist for inference components)",
        );
    }
}

/// The field that names a scalable resource: `inference_component` on an endpoint with
/// inference components, `variant` otherwise.
pub(super) fn resource_field(components: bool) -> &'static str {
    if components {
        "inference_component"
    } else {
        "variant"
    }
}
