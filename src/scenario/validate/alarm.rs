//! CloudWatch alarms: metric, dimension, period, statistic and evaluation rule of each.

use super::check::Check;
use super::scaling::{evaluation_window, metric_name, per_copy, period, published, resource, statistic, Scope};
use crate::autoscaling::alarm::{AlarmRule, Comparison, TreatMissingData};
use crate::model::VariantId;
use crate::scenario::scaling as f;
use crate::sim::observe::Dimension;
use crate::sim::AlarmConfig;

/// Validates `alarms`. `percentiles` gains any percentile an alarm needs.
pub(super) fn validate(
    c: &mut Check,
    alarms: &[f::Alarm],
    scope: &Scope,
    percentiles: &mut Vec<f64>,
) -> Vec<AlarmConfig> {
    let Scope {
        variants,
        kind,
        configs,
        ..
    } = *scope;
    let components = scope.components();
    let mut out = Vec::new();
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
            (Some(v), None) => Dimension::Variant(VariantId::from(v)),
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
                    Dimension::Variant(VariantId::from(v))
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
        let per = period(c, &format!("{p}.period"), a.period.0, scope.tick);
        let stat = statistic(
            c,
            &format!("{p}.statistic"),
            &a.statistic,
            metric,
            per,
            scope.metrics_period,
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
        // The rule's own checks, each on the field at fault: the rule's fields are named as the
        // scenario's. A zero `evaluation_periods` was reported with the window above; a
        // `datapoints_to_alarm` left out follows `evaluation_periods`.
        for e in rule.errors() {
            if e.field.name != "evaluation_periods" {
                c.config_error(&format!("{p}.{}", e.field), &e);
            }
        }
        out.push(AlarmConfig {
            name: a.name.clone(),
            metric,
            dimension,
            statistic: stat,
            period: per,
            rule,
        });
    }
    out
}
