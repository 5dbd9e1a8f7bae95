//! Deployments (`UpdateEndpoint` calls): names, times, the new model and launch, the update
//! policy and its guardrails, and the deployment rules, each violation naming the field, the
//! numbers and the rule. Marketplace containers and Inf1 instances fall back to an all-at-once
//! update, and configurations that cannot behave as written raise warnings.

use super::check::{Check, NAME_RULE};
use crate::autoscaling::alarm::Statistic;
use crate::deployment::{self as dep, BlueGreen, CapacitySize, ClockStart, DeploymentPolicy, Rolling, TrafficRouting};
use crate::engine::{SimDuration, SimTime};
use crate::model::metrics::MetricName;
use crate::model::VariantId;
use crate::scenario::deployment as d;
use crate::sim::{AlarmConfig, DeploymentConfig, DeploymentFailures, EndpointKind, VariantConfig};

/// What deployment validation needs to know about the rest of the scenario.
pub(super) struct Context<'a> {
    pub variants: &'a [VariantConfig],
    pub alarms: &'a [AlarmConfig],
    /// Names of the scenario's alarms, in file order (alarm index = position).
    pub alarm_names: &'a [String],
    pub kind: EndpointKind,
    pub duration: SimDuration,
    pub tick: SimDuration,
    pub initial_config: &'a str,
}

/// `(variant, configuration name)` of every deployment whose variant resolves, for the
/// configuration series and the `endpoint_config` dimension of alarms.
pub(super) fn configs(deployments: &[d::Deployment], variants: &[VariantConfig]) -> Vec<(usize, String)> {
    deployments
        .iter()
        .filter_map(|x| variant_of(&x.variant, variants).map(|v| (v, x.endpoint_config_name.clone())))
        .collect()
}

fn variant_of(name: &Option<String>, variants: &[VariantConfig]) -> Option<usize> {
    match name {
        Some(n) => variants.iter().position(|v| &v.name == n),
        None if variants.len() == 1 => Some(0),
        None => None,
    }
}

fn size(s: d::CapacitySize) -> CapacitySize {
    match s {
        d::CapacitySize::InstanceCount(n) => CapacitySize::InstanceCount(n),
        d::CapacitySize::CapacityPercent(p) | d::CapacitySize::CapacityPercentage(p) => {
            CapacitySize::CapacityPercent(p)
        }
    }
}

/// A whole number of seconds within `0..=max` (the API's `...InSeconds` fields).
fn seconds(c: &mut Check, path: &str, v: SimDuration, min: u64, max: u64, rule: &str) -> u64 {
    let secs = v.0 / 1_000_000;
    if v.0 % 1_000_000 != 0 || secs < min || secs > max {
        c.fail(
            path,
            format!("\"{v}\""),
            &format!("a whole number of seconds from {min} to {max} ({rule})"),
        );
    }
    secs
}

/// Validates the deployments; warnings go to `warnings`.
pub(super) fn validate(
    c: &mut Check,
    deployments: &[d::Deployment],
    ctx: &Context,
    warnings: &mut Vec<String>,
) -> Vec<DeploymentConfig> {
    let mut out = Vec::new();
    let mut last_at = SimTime::ZERO;
    for (i, x) in deployments.iter().enumerate() {
        let p = format!("deployments[{i}]");
        let name = &x.endpoint_config_name;
        c.name(&format!("{p}.endpoint_config_name"), name, NAME_RULE);
        if name == ctx.initial_config || deployments[..i].iter().any(|o| &o.endpoint_config_name == name) {
            c.fail(
                &format!("{p}.endpoint_config_name"),
                format!("\"{name}\""),
                &format!(
                    "a configuration name not used by the endpoint's initial configuration (\"{}\") or another deployment",
                    ctx.initial_config
                ),
            );
        }
        let at = SimTime(x.at.0 .0);
        if at.0 >= ctx.duration.0 {
            c.fail(
                &format!("{p}.at"),
                format!("\"{}\"", x.at.0),
                &format!("a time before the end of the run ({})", ctx.duration),
            );
        }
        if at < last_at {
            c.fail(
                &format!("{p}.at"),
                format!("\"{}\"", x.at.0),
                "deployments in time order (not before the previous one)",
            );
        }
        last_at = at;
        // Rule 2: the new configuration keeps the variant names; a deployment names one.
        let Some(v) = variant_of(&x.variant, ctx.variants) else {
            let names: Vec<&str> = ctx.variants.iter().map(|v| v.name.as_str()).collect();
            c.fail(
                &format!("{p}.variant"),
                x.variant.as_deref().map_or("None".to_string(), |n| format!("\"{n}\"")),
                &format!(
                    "one of the variant names ({}): the new configuration must keep the variant names (rule 2)",
                    names.join(", ")
                ),
            );
            continue;
        };
        let vc = &ctx.variants[v];
        let model = c.model(&format!("{p}.model"), &x.model);
        let launch = match &x.launch {
            Some(l) => c.launch(&format!("{p}.launch"), l),
            None => vc.launch.clone(),
        };
        let g = x.initial_instance_count.unwrap_or(vc.initial_instance_count);
        let min_g = u32::from(ctx.kind == EndpointKind::RealTime);
        if g < min_g || g > 100_000 {
            c.fail(
                &format!("{p}.initial_instance_count"),
                g,
                &format!("an integer from {min_g} to 100000"),
            );
        }

        let (mut policy, timeout) = match &x.policy {
            d::UpdatePolicy::BlueGreen {
                traffic_routing,
                wait_interval,
                termination_wait,
                final_bake,
                maximum_execution_timeout,
            } => {
                let pp = format!("{p}.policy.BlueGreen");
                let wait_s = wait_interval.map_or(0, |w| {
                    seconds(
                        c,
                        &format!("{pp}.wait_interval"),
                        w.0,
                        0,
                        3600,
                        "WaitIntervalInSeconds, rule 7",
                    )
                });
                let termination_wait_s = seconds(
                    c,
                    &format!("{pp}.termination_wait"),
                    termination_wait.0,
                    0,
                    3600,
                    "TerminationWaitInSeconds, rule 7",
                );
                let final_bake_s = final_bake.map_or(wait_s, |f| {
                    seconds(c, &format!("{pp}.final_bake"), f.0, 0, 3600, "rule 7")
                });
                let routing = match traffic_routing {
                    d::TrafficRouting::AllAtOnce => TrafficRouting::AllAtOnce,
                    d::TrafficRouting::Canary { canary_size } => TrafficRouting::Canary {
                        size: size(*canary_size),
                    },
                    d::TrafficRouting::Linear { linear_step_size } => TrafficRouting::Linear {
                        step: size(*linear_step_size),
                    },
                };
                let timeout = maximum_execution_timeout.map(|t| (format!("{pp}.maximum_execution_timeout"), t.0));
                (
                    DeploymentPolicy::BlueGreen(BlueGreen {
                        routing,
                        wait_s,
                        final_bake_s,
                        termination_wait_s,
                    }),
                    timeout,
                )
            }
            d::UpdatePolicy::Rolling {
                maximum_batch_size,
                wait_interval,
                maximum_execution_timeout,
                rollback_maximum_batch_size,
            } => {
                let pp = format!("{p}.policy.Rolling");
                let wait_s = seconds(
                    c,
                    &format!("{pp}.wait_interval"),
                    wait_interval.0,
                    0,
                    3600,
                    "WaitIntervalInSeconds, rule 7",
                );
                let timeout = maximum_execution_timeout.map(|t| (format!("{pp}.maximum_execution_timeout"), t.0));
                (
                    DeploymentPolicy::Rolling(Rolling {
                        batch: size(*maximum_batch_size),
                        wait_s,
                        rollback_batch: rollback_maximum_batch_size.map(size),
                    }),
                    timeout,
                )
            }
        };
        let timeout_s =
            timeout.map(|(path, t)| seconds(c, &path, t, 600, 28_800, "MaximumExecutionTimeoutInSeconds, rule 7"));
        let gr = &x.guardrails;
        let poll = gr.alarm_poll_interval.0;
        if ctx.tick.0 > 0 && poll.0 % ctx.tick.0 != 0 {
            c.fail(
                &format!("{p}.guardrails.alarm_poll_interval"),
                format!("\"{poll}\""),
                &format!("a multiple of metrics.high_resolution_period ({})", ctx.tick),
            );
        }
        let guard = dep::Guardrails {
            timeout_s,
            timeout_clock_start: match gr.timeout_clock_start {
                d::ClockStart::UpdateCall => ClockStart::UpdateCall,
                d::ClockStart::FirstShift => ClockStart::FirstShift,
            },
            monitor_termination_wait: gr.monitor_termination_wait,
            rollback_shift_delay_s: seconds(
                c,
                &format!("{p}.guardrails.rollback_shift_delay"),
                gr.rollback_shift_delay.0,
                0,
                3600,
                "an assumption's range",
            ),
            rounding: match gr.rounding {
                d::Rounding::Ceil => dep::Rounding::Ceil,
                d::Rounding::Floor => dep::Rounding::Floor,
            },
        };

        // AutoRollbackConfiguration.Alarms: names of defined alarms, 1-10 when present.
        let mut alarms = Vec::new();
        for (k, a) in x.auto_rollback_alarms.iter().enumerate() {
            match ctx.alarm_names.iter().position(|n| n == a) {
                Some(idx) => {
                    alarms.push(idx);
                    if let Some(w) = error_alarm_quirk(&ctx.alarms[idx]) {
                        warnings.push(format!("{p}.auto_rollback_alarms[{k}]: {w}"));
                    }
                }
                None => c.fail(
                    &format!("{p}.auto_rollback_alarms[{k}]"),
                    format!("\"{a}\""),
                    &format!(
                        "the name of an alarm defined under `alarms` ({})",
                        if ctx.alarm_names.is_empty() {
                            "none is defined".to_string()
                        } else {
                            ctx.alarm_names.join(", ")
                        }
                    ),
                ),
            }
        }
        if x.auto_rollback_alarms.len() > 10 {
            c.fail(
                &format!("{p}.auto_rollback_alarms"),
                format!("{} alarms", x.auto_rollback_alarms.len()),
                "at most 10 alarms (rule 7)",
            );
        }

        // Exclusions: Marketplace containers and Inf1 instances fall back to all at
        // once with no bake, and alarms are ignored.
        let inf1 = vc.instance.name.starts_with("ml.inf1.");
        // A rolling update of a multi-variant endpoint is still rejected by the rules below.
        let rolling_multi = matches!(policy, DeploymentPolicy::Rolling(_)) && ctx.variants.len() > 1;
        if (x.marketplace_container || inf1) && !rolling_multi {
            let why = if inf1 {
                format!("{} is an Inf1 instance type", vc.instance.name)
            } else {
                "the container comes from AWS Marketplace".to_string()
            };
            warnings.push(format!(
                "{p}: {why}: deployment guardrails do not apply; the update runs as ALL_AT_ONCE with no bake and alarms are ignored (docs/semantics/rollouts.md §1.2)"
            ));
            let termination_wait_s = match policy {
                DeploymentPolicy::BlueGreen(b) => b.termination_wait_s,
                DeploymentPolicy::Rolling(_) => 0,
            };
            policy = DeploymentPolicy::BlueGreen(BlueGreen {
                routing: TrafficRouting::AllAtOnce,
                wait_s: 0,
                final_bake_s: 0,
                termination_wait_s,
            });
            alarms.clear();
        }

        // Rules 4-8 and the rolling exclusion, against the sizes known before the run (the
        // call checks again with the sizes of its instant).
        let (violations, rule_warnings) = dep::rules::check(
            &policy,
            &guard,
            dep::rules::Fleets {
                n: vc.initial_instance_count,
                g,
                variants: ctx.variants.len(),
                alarms: alarms.len(),
            },
        );
        let pp = match policy {
            DeploymentPolicy::BlueGreen(_) => format!("{p}.policy.BlueGreen"),
            DeploymentPolicy::Rolling(_) => format!("{p}.policy.Rolling"),
        };
        for viol in violations {
            let path = match viol.field {
                "canary_size" => format!("{pp}.traffic_routing.Canary.canary_size"),
                "linear_step_size" => format!("{pp}.traffic_routing.Linear.linear_step_size"),
                "policy" => format!("{p}.policy"),
                f => format!("{pp}.{f}"),
            };
            c.fail(&path, viol.value, &viol.allowed);
        }
        warnings.extend(rule_warnings.into_iter().map(|w| format!("{p}: {w}")));
        if ctx.kind == EndpointKind::Async && g == 0 {
            warnings.push(format!(
                "{p}: the new configuration starts with 0 instances; the deployment has nothing to provision or shift"
            ));
        }
        let failures = DeploymentFailures {
            provisioning: x.failures.provisioning,
            rollback_provisioning: x.failures.rollback_provisioning,
        };
        for (field, n) in [
            ("provisioning", failures.provisioning),
            ("rollback_provisioning", failures.rollback_provisioning),
        ] {
            if n == Some(0) {
                c.fail(
                    &format!("{p}.failures.{field}"),
                    0,
                    "a provisioning round number from 1 (the first round)",
                );
            }
        }
        if failures.rollback_provisioning.is_some() && !matches!(policy, DeploymentPolicy::Rolling(_)) {
            c.fail(
                &format!("{p}.failures.rollback_provisioning"),
                format!("{:?}", failures.rollback_provisioning),
                "None: only rolling rollbacks provision instances (blue/green rolls back to live blue)",
            );
        }
        out.push(DeploymentConfig {
            name: name.clone(),
            at,
            variant: VariantId::from(v),
            model,
            launch,
            initial_instance_count: g,
            retain_all_variant_properties: x.retain_all_variant_properties,
            policy,
            guard,
            alarms,
            alarm_poll_interval: poll,
            failures,
        });
    }
    out
}

/// `Average` of a 0/1 error metric never exceeds 1, so such an alarm with a threshold of 1 or
/// more can never trip.
fn error_alarm_quirk(a: &AlarmConfig) -> Option<String> {
    let errors = matches!(
        a.metric,
        MetricName::Invocation4XXErrors | MetricName::Invocation5XXErrors
    );
    let never = !a.rule.can_breach(0.0, 1.0);
    (errors && a.statistic == Statistic::Average && never).then(|| {
        format!(
            "alarm {} uses Average of {} (0 or 1 per request, so between 0 and 1) {} {}: it can never enter ALARM; use Sum, or Average with a threshold inside (0, 1) (an error fraction)",
            a.name,
            a.metric.name(),
            a.rule.comparison.name(),
            a.rule.threshold
        )
    })
}
