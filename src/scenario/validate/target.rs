//! Scalable targets: the resource each one scales, its capacity bounds, its policies and its
//! scheduled actions.

use super::check::Check;
use super::policy;
use super::scaling::{resource, resource_field, Scope};
use crate::autoscaling::cooldown::CooldownStart;
use crate::autoscaling::schedule::Schedule;
use crate::model::VariantId;
use crate::scenario::limits;
use crate::scenario::scaling as f;
use crate::sim::{EndpointKind, ScheduledConfig, TargetConfig};

/// Validates `autoscaling`; step policies refer to `alarms` by name.
pub(super) fn validate(
    c: &mut Check,
    targets: &[f::ScalableTarget],
    alarms: &[f::Alarm],
    scope: &Scope,
    percentiles: &mut Vec<f64>,
) -> Vec<TargetConfig> {
    let Scope {
        variants,
        kind,
        serverless,
        min_instances,
        ..
    } = *scope;
    let components = scope.components();
    let mut out = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        let p = format!("autoscaling[{i}]");
        let Some(v) = resource(c, &p, &t.variant, &t.inference_component, variants, components, true) else {
            continue;
        };
        let id = VariantId::from(v);
        // The field the user named the resource in.
        let named = format!("{p}.{}", resource_field(components));
        if out.iter().any(|o: &TargetConfig| o.variant == id) {
            c.fail(
                &named,
                format!("\"{}\"", variants[v].name),
                if components {
                    "a component with no other scalable target"
                } else {
                    "a variant with no other scalable target"
                },
            );
        }
        if variants[v].instance.burstable {
            c.fail(
                &named,
                format!("\"{}\" ({})", variants[v].name, variants[v].instance.name),
                "a variant on a non-burstable instance type (T2 cannot be registered for auto scaling)",
            );
        }
        // Only asynchronous endpoints, and inference components on an endpoint whose managed
        // instance scaling may reach zero instances, may scale to zero; provisioned concurrency
        // keeps at least 1.
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
                "an integer >= 1 unless managed_instance_scaling.min_instance_count is 0 (the scale-to-zero prerequisite, docs/semantics/components.md §2)",
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
            policies.extend(policy::validate(c, &pp, pol, alarms, scope, percentiles));
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
            variant: id,
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
    out
}

/// The scalable target of a serverless endpoint: `DesiredProvisionedConcurrency`, so the
/// endpoint needs provisioned concurrency, `MinCapacity` >= 1 and `MaxCapacity` at most
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
