//! Scaling policies of a scalable target: target tracking (with the alarms it manages) and
//! step scaling (on an alarm of the scenario).

use super::check::Check;
use super::scaling::{evaluation_window, metric_name, per_copy, period, published, statistic, whole_seconds, Scope};
use crate::autoscaling::step::{AdjustmentType, StepAdjustment, StepPolicyConfig};
use crate::autoscaling::target_tracking::TargetTrackingConfig;
use crate::engine::SimDuration;
use crate::model::metrics::MetricName;
use crate::scenario::scaling::{self as f, Policy, TrackedMetric};
use crate::sim::PolicyConfig;

/// Validates the policy at `pp`; `None` when it cannot be built (a step policy on an unknown
/// alarm). `percentiles` gains any percentile the policy's alarms need.
pub(super) fn validate(
    c: &mut Check,
    pp: &str,
    pol: &Policy,
    alarms: &[f::Alarm],
    scope: &Scope,
    percentiles: &mut Vec<f64>,
) -> Option<PolicyConfig> {
    let (kind, serverless, tick, metrics_period) = (scope.kind, scope.serverless, scope.tick, scope.metrics_period);
    let components = scope.components();
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
            cfg.scale_out_cooldown_s = whole_seconds(c, &format!("{pp}.scale_out_cooldown"), scale_out_cooldown.0);
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
            // The configuration's checks, each on the scenario field at fault. The datapoints were
            // checked with the alarm windows above, which also bound them from above.
            for e in cfg.errors() {
                let path = match e.field.name {
                    "high_datapoints" | "low_datapoints" => continue,
                    "low_threshold_ratio" => format!("{pp}.alarms.low_threshold_ratio"),
                    _ => format!("{pp}.{}", e.field),
                };
                c.config_error(&path, &e);
            }
            Some(PolicyConfig::TargetTracking {
                name: name.clone(),
                metric: m,
                statistic: stat,
                config: cfg,
                high_period,
                low_period,
            })
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
                return None;
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
            if let Some(m) =
                min_adjustment_magnitude.filter(|_| cfg.adjustment_type != AdjustmentType::PercentChangeInCapacity)
            {
                c.fail(
                    &format!("{pp}.min_adjustment_magnitude"),
                    m,
                    "None unless adjustment_type is PercentChangeInCapacity (MinAdjustmentMagnitude applies to percent changes only)",
                );
            }
            // The steps on their own: a misplaced magnitude is reported on its field above.
            let steps = StepPolicyConfig {
                min_adjustment_magnitude: None,
                ..cfg.clone()
            };
            // The library's `steps[i].lower` is the scenario's `step_adjustments[i].lower`; the
            // members are named alike.
            if let Err(e) = steps.validate() {
                let path = match e.field.name {
                    "steps" => format!(
                        "{pp}.step_adjustments{}{}",
                        e.field.index.map(|i| format!("[{i}]")).unwrap_or_default(),
                        e.field.member.map(|m| format!(".{m}")).unwrap_or_default()
                    ),
                    _ => format!("{pp}.{}", e.field),
                };
                c.config_error(&path, &e);
            }
            Some(PolicyConfig::Step {
                name: name.clone(),
                alarm: ai,
                config: cfg,
            })
        }
    }
}
