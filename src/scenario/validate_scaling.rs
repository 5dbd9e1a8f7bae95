//! Validation of alarms and scalable targets into their simulation configuration.

use super::limits;
use super::scaling::{self as f, Policy, TrackedMetric};
use super::validate::Check;
use crate::autoscaling::alarm::{AlarmRule, Comparison, Statistic, TreatMissingData};
use crate::autoscaling::cooldown::CooldownStart;
use crate::autoscaling::schedule::Schedule;
use crate::autoscaling::step::{AdjustmentType, StepAdjustment, StepPolicyConfig};
use crate::autoscaling::target_tracking::TargetTrackingConfig;
use crate::engine::SimDuration;
use crate::model::metrics::MetricName;
use crate::sim::observe::Dimension;
use crate::sim::{AlarmConfig, EndpointKind, PolicyConfig, ScheduledConfig, TargetConfig, VariantConfig};

/// Rejects a metric the endpoint kind does not publish: asynchronous endpoints publish no
/// `Invocations`, `InvocationsPerInstance` or `OverheadLatency` (spec 4.2 [AWS]) and never
/// fail a request for lack of capacity.
fn published(c: &mut Check, path: &str, metric: MetricName, kind: EndpointKind) {
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
fn period(c: &mut Check, path: &str, d: SimDuration, tick: SimDuration) -> SimDuration {
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
fn evaluation_window(c: &mut Check, path: &str, n: u32, per: SimDuration) {
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
fn whole_seconds(c: &mut Check, path: &str, d: SimDuration) -> u64 {
    if d.0 % 1_000_000 != 0 {
        c.fail(path, format!("\"{d}\""), "a whole number of seconds");
    }
    d.0 / 1_000_000
}

/// Checks a statistic for a metric; percentiles need a histogram period.
fn statistic(
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

/// What the validation of scaling needs to know about the endpoint.
pub(super) struct EndpointFacts<'a> {
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
}

/// The scalable resource of a target or the dimension of an alarm: `variant` on a plain
/// endpoint, `inference_component` on one with inference components (whose components are the
/// run's variants).
fn resource(
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
fn per_copy(c: &mut Check, path: &str, metric: MetricName, components: bool) {
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

/// Validates alarms and scalable targets. `percentiles` gains any percentile an alarm needs.
pub(super) fn validate_scaling(
    c: &mut Check,
    alarms: &[f::Alarm],
    targets: &[f::ScalableTarget],
    endpoint: EndpointFacts,
    tick: SimDuration,
    metrics_period: SimDuration,
    percentiles: &mut Vec<f64>,
) -> (Vec<AlarmConfig>, Vec<TargetConfig>) {
    let EndpointFacts {
        variants,
        kind,
        configs,
        serverless,
        min_instances,
    } = endpoint;
    let components = min_instances.is_some();
    let mut out_alarms = Vec::new();
    for (i, a) in alarms.iter().enumerate() {
        let p = format!("alarms[{i}]");
        if alarms[..i].iter().any(|o| o.name == a.name) {
            c.fail(
                &format!("{p}.name"),
                format!("\"{}\"", a.name),
                "a name not used by another alarm",
            );
        }
        let metric = metric_name(a.metric);
        published(c, &format!("{p}.metric"), metric, kind);
        per_copy(c, &format!("{p}.metric"), metric, components);
        let dimension = match (
            resource(c, &p, &a.variant, &a.inference_component, variants, components, false),
            &a.endpoint_config,
        ) {
            (Some(v), None) => Dimension::Variant(v),
            (None, None) => Dimension::Endpoint,
            (Some(v), Some(name)) => match configs.iter().position(|(cv, cn)| *cv == v && cn == name) {
                Some(pos) => Dimension::Config(variants.len() + pos),
                None => {
                    let known: Vec<&str> = configs
                        .iter()
                        .filter(|(cv, _)| *cv == v)
                        .map(|(_, n)| n.as_str())
                        .collect();
                    c.fail(
                        &format!("{p}.endpoint_config"),
                        format!("\"{name}\""),
                        &if known.is_empty() {
                            format!(
                                "None: variant {} has no deployment, so no configuration dimension",
                                variants[v].name
                            )
                        } else {
                            format!("a configuration of variant {}: {}", variants[v].name, known.join(", "))
                        },
                    );
                    Dimension::Variant(v)
                }
            },
            (None, Some(name)) => {
                if a.variant.is_none() {
                    c.fail(
                        &format!("{p}.endpoint_config"),
                        format!("\"{name}\""),
                        "None unless `variant` is set (EndpointConfigName comes with VariantName)",
                    );
                }
                Dimension::Endpoint
            }
        };
        let per = period(c, &format!("{p}.period"), a.period.0, tick);
        let stat = statistic(
            c,
            &format!("{p}.statistic"),
            &a.statistic,
            metric,
            per,
            metrics_period,
            percentiles,
        );
        evaluation_window(c, &format!("{p}.evaluation_periods"), a.evaluation_periods, per);
        let rule = AlarmRule {
            evaluation_periods: a.evaluation_periods,
            datapoints_to_alarm: a.datapoints_to_alarm.unwrap_or(a.evaluation_periods),
            comparison: match a.comparison_operator {
                f::ComparisonOperator::GreaterThanThreshold => Comparison::GreaterThanThreshold,
                f::ComparisonOperator::GreaterThanOrEqualToThreshold => Comparison::GreaterThanOrEqualToThreshold,
                f::ComparisonOperator::LessThanThreshold => Comparison::LessThanThreshold,
                f::ComparisonOperator::LessThanOrEqualToThreshold => Comparison::LessThanOrEqualToThreshold,
            },
            threshold: a.threshold,
            treat_missing: match a.treat_missing_data {
                f::TreatMissingData::missing => TreatMissingData::Missing,
                f::TreatMissingData::notBreaching => TreatMissingData::NotBreaching,
                f::TreatMissingData::breaching => TreatMissingData::Breaching,
                f::TreatMissingData::ignore => TreatMissingData::Ignore,
            },
        };
        if let Err(e) = rule.validate() {
            c.fail(
                &p,
                format!(
                    "evaluation_periods {}, datapoints_to_alarm {}",
                    rule.evaluation_periods, rule.datapoints_to_alarm
                ),
                &e,
            );
        }
        out_alarms.push(AlarmConfig {
            name: a.name.clone(),
            metric,
            dimension,
            statistic: stat,
            period: per,
            rule,
        });
    }

    let mut out = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        let p = format!("autoscaling[{i}]");
        let Some(v) = resource(c, &p, &t.variant, &t.inference_component, variants, components, true) else {
            continue;
        };
        if out.iter().any(|o: &TargetConfig| o.variant == v) {
            c.fail(
                &format!("{p}.variant"),
                format!("\"{}\"", variants[v].name),
                "a variant with no other scalable target",
            );
        }
        if variants[v].instance.burstable {
            c.fail(
                &format!("{p}.variant"),
                format!("\"{}\" ({})", variants[v].name, variants[v].instance.name),
                "a variant on a non-burstable instance type (T2 cannot be registered for auto scaling)",
            );
        }
        // Only asynchronous endpoints, and inference components on an endpoint whose managed
        // instance scaling may reach zero instances, may scale to zero (spec 1.2, 2.2, 11.1, A2);
        // provisioned concurrency keeps at least 1 (spec 12.2, H4).
        let lowest = match min_instances {
            Some(m) => u32::from(m > 0),
            None => u32::from(kind != EndpointKind::Async),
        };
        if let Some((max_concurrency, has_pc)) = serverless {
            serverless_target(c, &p, t, max_concurrency, has_pc);
        } else if min_instances.is_some() && t.min_capacity < lowest {
            c.fail(
                &format!("{p}.min_capacity"),
                t.min_capacity,
                "an integer >= 1 unless managed_instance_scaling.min_instance_count is 0 (the scale-to-zero prerequisite, spec 11.1)",
            );
        } else if t.min_capacity < lowest {
            c.fail(
                &format!("{p}.min_capacity"),
                t.min_capacity,
                "an integer >= 1 for a real-time variant (0 only on an asynchronous endpoint)",
            );
        }
        if t.max_capacity < 1 || t.max_capacity < t.min_capacity || t.max_capacity > limits::MAX_INSTANCES {
            c.fail(
                &format!("{p}.max_capacity"),
                format!("{} (min_capacity {})", t.max_capacity, t.min_capacity),
                "an integer >= min_capacity and >= 1, at most 100000",
            );
        }
        let mut policies = Vec::new();
        for (j, pol) in t.policies.iter().enumerate() {
            let pp = format!("{p}.policies[{j}]");
            match pol {
                Policy::TargetTracking {
                    name,
                    metric,
                    target_value,
                    scale_in_cooldown,
                    scale_out_cooldown,
                    disable_scale_in,
                    alarms: shapes,
                } => {
                    let (m, stat_text, high_default) = match metric {
                        TrackedMetric::SageMakerVariantInvocationsPerInstance => (
                            MetricName::InvocationsPerInstance,
                            "Sum".to_string(),
                            SimDuration::from_secs(60),
                        ),
                        TrackedMetric::SageMakerVariantConcurrentRequestsPerModelHighResolution => {
                            (MetricName::ConcurrentRequestsPerModel, "Average".to_string(), tick)
                        }
                        TrackedMetric::ApproximateBacklogSizePerInstance => (
                            MetricName::ApproximateBacklogSizePerInstance,
                            "Average".to_string(),
                            SimDuration::from_secs(60),
                        ),
                        TrackedMetric::SageMakerInferenceComponentInvocationsPerCopy => (
                            MetricName::InvocationsPerCopy,
                            "Sum".to_string(),
                            SimDuration::from_secs(60),
                        ),
                        TrackedMetric::SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution => {
                            (MetricName::ConcurrentRequestsPerCopy, "Average".to_string(), tick)
                        }
                        TrackedMetric::SageMakerVariantProvisionedConcurrencyUtilization => {
                            if serverless.is_none() {
                                c.fail(
                                    &format!("{pp}.metric"),
                                    "SageMakerVariantProvisionedConcurrencyUtilization",
                                    "a predefined metric of instance-based variants (provisioned concurrency exists only on serverless endpoints)",
                                );
                            }
                            (
                                MetricName::ServerlessProvisionedConcurrencyUtilization,
                                "Average".to_string(),
                                SimDuration::from_secs(60),
                            )
                        }
                        TrackedMetric::Customized { metric, statistic } => {
                            (metric_name(*metric), statistic.clone(), SimDuration::from_secs(60))
                        }
                    };
                    published(c, &format!("{pp}.metric"), m, kind);
                    per_copy(c, &format!("{pp}.metric"), m, components);
                    if components
                        && matches!(
                            metric,
                            TrackedMetric::SageMakerVariantInvocationsPerInstance
                                | TrackedMetric::SageMakerVariantConcurrentRequestsPerModelHighResolution
                                | TrackedMetric::ApproximateBacklogSizePerInstance
                        )
                    {
                        c.fail(
                            &format!("{pp}.metric"),
                            format!("{metric:?}"),
                            "a predefined type of the inference-component copy count (SageMakerInferenceComponentInvocationsPerCopy or SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution) or a Customized metric",
                        );
                    }
                    let high_period = period(
                        c,
                        &format!("{pp}.alarms.high_period"),
                        shapes.high_period.map_or(high_default, |d| d.0),
                        tick,
                    );
                    let low_period = period(c, &format!("{pp}.alarms.low_period"), shapes.low_period.0, tick);
                    let stat = statistic(
                        c,
                        &format!("{pp}.metric.statistic"),
                        &stat_text,
                        m,
                        high_period,
                        metrics_period,
                        percentiles,
                    );
                    let mut cfg = TargetTrackingConfig::new(*target_value);
                    cfg.scale_in_cooldown_s = whole_seconds(c, &format!("{pp}.scale_in_cooldown"), scale_in_cooldown.0);
                    cfg.scale_out_cooldown_s =
                        whole_seconds(c, &format!("{pp}.scale_out_cooldown"), scale_out_cooldown.0);
                    cfg.disable_scale_in = *disable_scale_in;
                    evaluation_window(
                        c,
                        &format!("{pp}.alarms.high_datapoints"),
                        shapes.high_datapoints,
                        high_period,
                    );
                    evaluation_window(
                        c,
                        &format!("{pp}.alarms.low_datapoints"),
                        shapes.low_datapoints,
                        low_period,
                    );
                    cfg.high_datapoints = shapes.high_datapoints;
                    cfg.low_datapoints = shapes.low_datapoints;
                    cfg.low_threshold_ratio = shapes.low_threshold_ratio;
                    if let Err(e) = cfg.validate() {
                        c.fail(&pp, format!("target_value {target_value}"), &e);
                    }
                    policies.push(PolicyConfig::TargetTracking {
                        name: name.clone(),
                        metric: m,
                        statistic: stat,
                        config: cfg,
                        high_period,
                        low_period,
                    });
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
                    let Some(ai) = alarms.iter().position(|a| &a.name == alarm) else {
                        let names: Vec<&str> = alarms.iter().map(|a| a.name.as_str()).collect();
                        c.fail(
                            &format!("{pp}.alarm"),
                            format!("\"{alarm}\""),
                            &format!("the name of an alarm in alarms ({})", names.join(", ")),
                        );
                        continue;
                    };
                    let mut cfg = StepPolicyConfig::new(
                        match adjustment_type {
                            f::AdjustmentType::ChangeInCapacity => AdjustmentType::ChangeInCapacity,
                            f::AdjustmentType::PercentChangeInCapacity => AdjustmentType::PercentChangeInCapacity,
                            f::AdjustmentType::ExactCapacity => AdjustmentType::ExactCapacity,
                        },
                        step_adjustments
                            .iter()
                            .map(|s| StepAdjustment {
                                lower: s.lower,
                                upper: s.upper,
                                adjustment: s.adjustment,
                            })
                            .collect(),
                    );
                    cfg.min_adjustment_magnitude = *min_adjustment_magnitude;
                    cfg.cooldown_s = whole_seconds(c, &format!("{pp}.cooldown"), cooldown.0);
                    cfg.aggregation = match metric_aggregation_type {
                        f::MetricAggregationType::Average => crate::autoscaling::alarm::Aggregation::Average,
                        f::MetricAggregationType::Minimum => crate::autoscaling::alarm::Aggregation::Minimum,
                        f::MetricAggregationType::Maximum => crate::autoscaling::alarm::Aggregation::Maximum,
                    };
                    if let Err(e) = cfg.validate() {
                        c.fail(
                            &format!("{pp}.step_adjustments"),
                            format!("{} steps", step_adjustments.len()),
                            &e,
                        );
                    }
                    policies.push(PolicyConfig::Step {
                        name: name.clone(),
                        alarm: ai,
                        config: cfg,
                    });
                }
            }
        }
        let mut scheduled = Vec::new();
        for (j, a) in t.scheduled.iter().enumerate() {
            let pp = format!("{p}.scheduled[{j}]");
            match Schedule::new(&a.schedule, &a.timezone, a.start_time.as_deref(), a.end_time.as_deref()) {
                Ok(schedule) => scheduled.push(ScheduledConfig {
                    name: a.name.clone(),
                    schedule,
                    min: a.min_capacity,
                    max: a.max_capacity,
                }),
                Err(e) => c.fail(&format!("{pp}.schedule"), format!("\"{}\"", a.schedule), &e),
            }
            if a.min_capacity.is_some_and(|m| m < lowest) {
                c.fail(
                    &format!("{pp}.min_capacity"),
                    0,
                    "an integer >= 1 for a real-time variant or provisioned concurrency (0 only on an asynchronous endpoint)",
                );
            }
            if let Some((max_concurrency, _)) = serverless {
                for (field, v) in [("min_capacity", a.min_capacity), ("max_capacity", a.max_capacity)] {
                    if v.is_some_and(|x| x > max_concurrency) {
                        c.fail(
                            &format!("{pp}.{field}"),
                            format!("{} (max_concurrency {max_concurrency})", v.unwrap_or(0)),
                            "at most the endpoint's max_concurrency (provisioned concurrency <= MaxConcurrency)",
                        );
                    }
                }
            }
            if a.max_capacity == Some(0) {
                c.fail(&format!("{pp}.max_capacity"), 0, "an integer >= 1");
            }
            if a.min_capacity.is_none() && a.max_capacity.is_none() {
                c.fail(
                    &pp,
                    "no min_capacity and no max_capacity",
                    "at least one of min_capacity and max_capacity",
                );
            }
            if let (Some(lo), Some(hi)) = (a.min_capacity, a.max_capacity) {
                if lo > hi {
                    c.fail(
                        &format!("{pp}.min_capacity"),
                        format!("{lo} (max_capacity {hi})"),
                        "at most max_capacity",
                    );
                }
            }
        }
        out.push(TargetConfig {
            variant: v,
            min: t.min_capacity,
            max: t.max_capacity,
            dynamic_in_suspended: t.suspended_state.dynamic_scaling_in_suspended,
            dynamic_out_suspended: t.suspended_state.dynamic_scaling_out_suspended,
            scheduled_suspended: t.suspended_state.scheduled_scaling_suspended,
            policies,
            scheduled,
            cooldown_start: match t.cooldown_start {
                f::CooldownStart::ActivityEnd => CooldownStart::ActivityEnd,
                f::CooldownStart::ActivityStart => CooldownStart::ActivityStart,
            },
        });
    }
    (out_alarms, out)
}

/// The scalable target of a serverless endpoint: `DesiredProvisionedConcurrency`, so the
/// endpoint needs provisioned concurrency, `MinCapacity` >= 1 (H4) and `MaxCapacity` at most
/// `MaxConcurrency`.
fn serverless_target(c: &mut Check, p: &str, t: &f::ScalableTarget, max_concurrency: u32, has_pc: bool) {
    if !has_pc {
        c.fail(
            p,
            "a scalable target on an endpoint without provisioned_concurrency",
            "a serverless endpoint with provisioned_concurrency set (only provisioned concurrency scales, on sagemaker:variant:DesiredProvisionedConcurrency; on-demand capacity scales by itself)",
        );
    }
    if t.min_capacity < 1 {
        c.fail(
            &format!("{p}.min_capacity"),
            t.min_capacity,
            "an integer >= 1 for provisioned concurrency (MinCapacity of sagemaker:variant:DesiredProvisionedConcurrency)",
        );
    }
    if t.max_capacity > max_concurrency {
        c.fail(
            &format!("{p}.max_capacity"),
            format!("{} (max_concurrency {max_concurrency})", t.max_capacity),
            "at most the endpoint's max_concurrency (provisioned concurrency <= MaxConcurrency)",
        );
    }
}
