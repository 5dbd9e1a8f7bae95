//! A base deployment updated from an `UpdateEndpoint` and the configuration it deploys: the
//! policy from its `DeploymentConfig`, the rollback alarms, the deployed variant's new model name
//! and instance count; what changes beyond one variant's model is refused or listed.

use super::checks::{constraint, name, range, validation};
use crate::aws::sagemaker::*;
use crate::scenario::deployment::{self as d, Deployment, UpdatePolicy};
use crate::scenario::duration::Duration;
use crate::scenario::file::Endpoint;

/// The production variants of a scenario endpoint, as the comparison of a deployment's
/// configuration needs them (name, model, instance type and count, weight, managed instance
/// scaling, routing).
pub(super) fn current_variants(e: &Endpoint) -> Vec<ProductionVariant> {
    match e {
        Endpoint::RealTime { variants, routing, .. } | Endpoint::Async { variants, routing, .. } => variants
            .iter()
            .map(|v| ProductionVariant {
                variant_name: v.name.clone(),
                model_name: v.model.as_ref().map(|m| m.label.clone()),
                instance_type: Some(v.instance_type.clone()),
                initial_instance_count: Some(v.initial_instance_count),
                initial_variant_weight: Some(v.initial_weight),
                managed_instance_scaling: v.managed_instance_scaling.as_ref().map(|m| ManagedInstanceScaling {
                    status: Some(crate::aws::api_name(&m.status)),
                    min_instance_count: Some(m.min_instance_count),
                    max_instance_count: Some(m.max_instance_count),
                }),
                routing_config: Some(RoutingConfig {
                    routing_strategy: upper_snake(&crate::aws::api_name(routing)),
                }),
                ..Default::default()
            })
            .collect(),
        Endpoint::Serverless {
            variant_name, model, ..
        } => vec![ProductionVariant {
            variant_name: variant_name.clone(),
            model_name: Some(model.label.clone()),
            ..Default::default()
        }],
    }
}

/// Deployment `x` of the base updated from `UpdateEndpoint` `u` and its configuration `c`;
/// `current` is the endpoint's configuration before it, `at` the deployed variant's index.
#[allow(clippy::too_many_arguments)]
pub(super) fn deployment(
    file: &str,
    cfile: &str,
    u: &UpdateEndpoint,
    c: &CreateEndpointConfig,
    current: &[ProductionVariant],
    at: Option<usize>,
    x: &mut Deployment,
    not_imported: &mut Vec<String>,
) -> Result<(), String> {
    name(file, "endpointName", &u.endpoint_name)?;
    // The variant names stay; one variant's model (and instance count) changes.
    let names = |vs: &[ProductionVariant]| {
        let mut n: Vec<&str> = vs.iter().map(|v| v.variant_name.as_str()).collect();
        n.sort_unstable();
        n.join(", ")
    };
    if names(current) != names(&c.production_variants) {
        return Err(format!(
            "{cfile}: a deployment's new configuration keeps the variant names of the endpoint ({}); `{}` has {}",
            names(current),
            c.endpoint_config_name,
            names(&c.production_variants)
        ));
    }
    let Some(at) = at else {
        return Err(format!(
            "{file}: the base deployment of `{}` names no variant of the endpoint",
            u.endpoint_config_name
        ));
    };
    let deployed = &current[at].variant_name;
    for (i, new) in c.production_variants.iter().enumerate() {
        let old = current
            .iter()
            .find(|v| v.variant_name == new.variant_name)
            .expect("same names");
        let path = format!("{cfile}: ProductionVariants[{i}]");
        if new.serverless_config.is_some() || old.instance_type.is_none() {
            return Err(format!(
                "{path}: a serverless endpoint is not updated by a deployment in the simulator"
            ));
        }
        if new.instance_type != old.instance_type {
            return Err(format!(
                "{path}.InstanceType: {} -> {}: a deployment that changes the instance type is not simulated (the new fleet keeps the variant's type)",
                old.instance_type.as_deref().unwrap_or_default(),
                new.instance_type.as_deref().unwrap_or_default()
            ));
        }
        let model_changed = new.model_name.is_some() && new.model_name != old.model_name;
        let count_changed = new.initial_instance_count != old.initial_instance_count;
        let weight_changed = new.initial_variant_weight.unwrap_or(1.0) != old.initial_variant_weight.unwrap_or(1.0);
        if &new.variant_name != deployed {
            if model_changed || count_changed || weight_changed {
                return Err(format!(
                    "{path}: variant `{}` changes too, but a deployment in the simulator changes one variant (`{deployed}`)",
                    new.variant_name
                ));
            }
            continue;
        }
        if weight_changed {
            not_imported.push(format!(
                "{path}.InitialVariantWeight: a deployment keeps the variant's weight in the simulator"
            ));
        }
        // Compared with the API's defaults filled in (RANDOM routing, status ENABLED).
        let strategy = |v: &ProductionVariant| {
            v.routing_config
                .as_ref()
                .map_or("RANDOM".to_string(), |r| r.routing_strategy.clone())
        };
        if strategy(new) != strategy(old) {
            not_imported.push(format!(
                "{path}.RoutingConfig: {} -> {}: the simulator routes with the endpoint's first configuration's strategy throughout",
                strategy(old),
                strategy(new)
            ));
        }
        let scaling = |v: &ProductionVariant| {
            v.managed_instance_scaling.as_ref().map(|m| {
                (
                    m.status.clone().unwrap_or_else(|| "ENABLED".into()),
                    m.min_instance_count,
                    m.max_instance_count,
                )
            })
        };
        if scaling(new) != scaling(old) {
            not_imported.push(format!(
                "{path}.ManagedInstanceScaling: a deployment keeps the variant's managed instance scaling in the simulator"
            ));
        }
        if let Some(m) = &new.model_name {
            x.model.label = m.clone();
        }
        let n = new.initial_instance_count.expect("checked: with InstanceType");
        // The base's spelling is kept when it says the same (no count = the variant's).
        let same = x.initial_instance_count.is_none() && Some(n) == old.initial_instance_count;
        x.initial_instance_count = (!same).then_some(n);
    }
    x.retain_all_variant_properties = u.retain_all_variant_properties.unwrap_or(false);
    if u.retain_deployment_config == Some(true) {
        not_imported.push(format!(
            "{file}: RetainDeploymentConfig: reusing a stored DeploymentConfig is not simulated; this request's is used (all at once when it has none)"
        ));
    }
    if u.exclude_retained_variant_properties.is_some() {
        not_imported.push(format!(
            "{file}: ExcludeRetainedVariantProperties: the simulator retains the instance count only"
        ));
    }
    let config = u.deployment_config.as_ref();
    x.policy = policy(file, config, &x.policy)?;
    x.auto_rollback_alarms = match config.and_then(|c| c.auto_rollback_configuration.as_ref()) {
        None => Vec::new(),
        Some(a) => {
            let at = "deploymentConfig.autoRollbackConfiguration.alarms";
            if a.alarms.is_empty() {
                return Err(constraint(file, "[]", at, "have length greater than or equal to 1"));
            }
            if a.alarms.len() > 10 {
                return Err(constraint(
                    file,
                    a.alarms.len(),
                    at,
                    "have length less than or equal to 10",
                ));
            }
            a.alarms.iter().map(|a| a.alarm_name.clone()).collect()
        }
    };
    Ok(())
}

fn size(file: &str, at: &str, s: &CapacitySize) -> Result<d::CapacitySize, String> {
    range(file, &format!("{at}.value"), s.value.into(), 1, u64::from(u32::MAX))?;
    Ok(match s.kind.as_str() {
        "INSTANCE_COUNT" => d::CapacitySize::InstanceCount(s.value),
        "CAPACITY_PERCENT" => d::CapacitySize::CapacityPercent(s.value.into()),
        // The rolling update page's spelling of the same type.
        "CAPACITY_PERCENTAGE" => d::CapacitySize::CapacityPercentage(s.value.into()),
        other => {
            return Err(constraint(
                file,
                other,
                &format!("{at}.type"),
                "satisfy enum value set: [INSTANCE_COUNT, CAPACITY_PERCENT]",
            ))
        }
    })
}

fn secs(s: u64) -> Duration {
    Duration::secs(s)
}

/// The scenario's update policy from a `DeploymentConfig`; `base` supplies the simulator's
/// own fields (the final bake of a blue/green update).
fn policy(file: &str, c: Option<&DeploymentConfig>, base: &UpdatePolicy) -> Result<UpdatePolicy, String> {
    let base_final_bake = match base {
        UpdatePolicy::BlueGreen { final_bake, .. } => *final_bake,
        UpdatePolicy::Rolling { .. } => None,
    };
    let base_wait = match base {
        UpdatePolicy::BlueGreen { wait_interval, .. } => *wait_interval,
        UpdatePolicy::Rolling { .. } => None,
    };
    let (bg, rolling) = match c {
        Some(c) => (c.blue_green_update_policy.as_ref(), c.rolling_update_policy.as_ref()),
        None => (None, None),
    };
    const TIMEOUT: (u64, u64) = (600, 28_800);
    match (bg, rolling) {
        (Some(_), Some(_)) => Err(validation(
            file,
            "BlueGreenUpdatePolicy and RollingUpdatePolicy cannot both be specified",
        )),
        // No update policy: blue/green, all at once.
        (None, None) => Ok(UpdatePolicy::BlueGreen {
            traffic_routing: d::TrafficRouting::AllAtOnce,
            wait_interval: None,
            termination_wait: Duration::default(),
            final_bake: base_final_bake,
            maximum_execution_timeout: None,
        }),
        (Some(p), None) => {
            let at = "deploymentConfig.blueGreenUpdatePolicy";
            let t = &p.traffic_routing_configuration;
            let tat = format!("{at}.trafficRoutingConfiguration");
            range(
                file,
                &format!("{tat}.waitIntervalInSeconds"),
                t.wait_interval_in_seconds,
                0,
                3600,
            )?;
            let termination = p.termination_wait_in_seconds.unwrap_or(0);
            range(file, &format!("{at}.terminationWaitInSeconds"), termination, 0, 3600)?;
            if let Some(m) = p.maximum_execution_timeout_in_seconds {
                range(
                    file,
                    &format!("{at}.maximumExecutionTimeoutInSeconds"),
                    m,
                    TIMEOUT.0,
                    TIMEOUT.1,
                )?;
            }
            let canary = t
                .canary_size
                .as_ref()
                .map(|s| size(file, &format!("{tat}.canarySize"), s))
                .transpose()?;
            let linear = t
                .linear_step_size
                .as_ref()
                .map(|s| size(file, &format!("{tat}.linearStepSize"), s))
                .transpose()?;
            let traffic_routing = match (t.kind.as_str(), canary, linear) {
                ("ALL_AT_ONCE", None, None) => d::TrafficRouting::AllAtOnce,
                ("CANARY", Some(canary_size), None) => d::TrafficRouting::Canary { canary_size },
                ("LINEAR", None, Some(linear_step_size)) => d::TrafficRouting::Linear { linear_step_size },
                ("ALL_AT_ONCE" | "CANARY" | "LINEAR", _, _) => {
                    return Err(validation(
                        file,
                        format!(
                            "TrafficRoutingConfiguration of Type {} needs {} (CanarySize for CANARY, LinearStepSize for LINEAR, neither for ALL_AT_ONCE)",
                            t.kind,
                            match t.kind.as_str() {
                                "CANARY" => "CanarySize and no LinearStepSize",
                                "LINEAR" => "LinearStepSize and no CanarySize",
                                _ => "neither CanarySize nor LinearStepSize",
                            }
                        ),
                    ))
                }
                (other, _, _) => {
                    return Err(constraint(
                        file,
                        other,
                        &format!("{tat}.type"),
                        "satisfy enum value set: [ALL_AT_ONCE, CANARY, LINEAR]",
                    ))
                }
            };
            // No wait is the base's spelling of 0 s.
            let wait = t.wait_interval_in_seconds;
            let wait_interval = if wait == 0 && base_wait.is_none() {
                None
            } else {
                Some(secs(wait))
            };
            Ok(UpdatePolicy::BlueGreen {
                traffic_routing,
                wait_interval,
                termination_wait: secs(termination),
                final_bake: base_final_bake,
                maximum_execution_timeout: p.maximum_execution_timeout_in_seconds.map(secs),
            })
        }
        (None, Some(p)) => {
            let at = "deploymentConfig.rollingUpdatePolicy";
            range(
                file,
                &format!("{at}.waitIntervalInSeconds"),
                p.wait_interval_in_seconds,
                0,
                3600,
            )?;
            if let Some(m) = p.maximum_execution_timeout_in_seconds {
                range(
                    file,
                    &format!("{at}.maximumExecutionTimeoutInSeconds"),
                    m,
                    TIMEOUT.0,
                    TIMEOUT.1,
                )?;
            }
            Ok(UpdatePolicy::Rolling {
                maximum_batch_size: size(file, &format!("{at}.maximumBatchSize"), &p.maximum_batch_size)?,
                wait_interval: secs(p.wait_interval_in_seconds),
                maximum_execution_timeout: p.maximum_execution_timeout_in_seconds.map(secs),
                rollback_maximum_batch_size: p
                    .rollback_maximum_batch_size
                    .as_ref()
                    .map(|s| size(file, &format!("{at}.rollbackMaximumBatchSize"), s))
                    .transpose()?,
            })
        }
    }
}
