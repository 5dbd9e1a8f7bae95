//! A whole scenario as the AWS requests that would configure it: the endpoint
//! (`CreateEndpointConfig`, `CreateEndpoint`), its autoscaling (`export.rs`), and each
//! deployment as the new configuration's `CreateEndpointConfig` and the `UpdateEndpoint` that
//! deploys it, in the order the calls must be made.
//!
//! The endpoint is named after the scenario. A deployment's configuration is the configuration
//! before it with the deployed variant's `ModelName` (the new model's label) and
//! `InitialInstanceCount` changed, so successive deployments build on each other.
//!
//! Not representable, and listed: what the requests written here cannot hold
//! (`UpdateEndpointWeightsAndCapacities` calls, inference components, a shadow test, the
//! simulator's guardrail assumptions, failure injection). The model's behaviour, launch times
//! and the workload are what the simulator adds to an AWS configuration and are not listed.

use super::api_name;
use super::export::{autoscaling_calls, json, number_files, secs, Call, Export};
use super::sagemaker::*;
use crate::scenario::deployment::{self as d, Deployment, UpdatePolicy};
use crate::scenario::file::{Endpoint, Variant};
use crate::scenario::Scenario;

/// `S3OutputPath` of an exported asynchronous configuration: the API needs one and the scenario
/// has none (where results land does not change the simulation), so the body names the user's
/// and `apply.sh` puts in the `S3_OUTPUT_PATH` environment variable (refusing to run without
/// it), as it puts in policy ARNs.
pub const S3_OUTPUT_PATH_REFERENCE: &str = "${S3_OUTPUT_PATH}";

/// The requests that configure `scenario` on AWS: endpoint, autoscaling, deployments.
pub fn export(scenario: &Scenario) -> Result<Export, String> {
    let mut not_exported = Vec::new();
    let mut current = endpoint_config(scenario, &mut not_exported);
    let mut calls = vec![
        config_call(&current),
        Call {
            command: "sagemaker create-endpoint",
            file: "create-endpoint".into(),
            body: json(&CreateEndpoint {
                endpoint_name: scenario.name.clone(),
                endpoint_config_name: current.endpoint_config_name.clone(),
                deployment_config: None,
                tags: None,
            }),
            returns_policy_arn: None,
        },
    ];
    let scaling = autoscaling_calls(scenario)?;
    calls.extend(scaling.calls);
    not_exported.extend(scaling.not_exported);
    // After the alarms: an update's AutoRollbackConfiguration names them.
    for (k, x) in scenario.deployments.iter().enumerate() {
        current = deployed_config(&current, k, x)?;
        calls.push(config_call(&current));
        calls.push(Call {
            command: "sagemaker update-endpoint",
            file: format!("update-endpoint-{}", x.endpoint_config_name),
            body: json(&update(scenario, k, x, &mut not_exported)),
            returns_policy_arn: None,
        });
    }
    if scenario.shadow_test.is_some() {
        not_exported
            .push("shadow_test: a shadow test is a CreateInferenceExperiment call, which export does not write".into());
    }
    names(scenario, &calls, &mut not_exported);
    number_files(&mut calls);
    Ok(Export { calls, not_exported })
}

/// The names the requests carry that the API's pattern refuses (a scenario name may hold `_`
/// or `.`), listed so the user renames them before applying.
fn names(scenario: &Scenario, calls: &[Call], not_exported: &mut Vec<String>) {
    let mut bad = |what: String, n: &str| {
        if !valid_name(n) {
            not_exported.push(format!(
                "{what}: `{n}` does not match the API's name pattern {NAME_PATTERN}; rename it before applying"
            ));
        }
    };
    bad("name (EndpointName)".into(), &scenario.name);
    let configs = calls
        .iter()
        .filter(|c| c.command == "sagemaker create-endpoint-config")
        .filter_map(|c| serde_json::from_str::<CreateEndpointConfig>(&c.body).ok());
    for (k, config) in configs.enumerate() {
        bad("EndpointConfigName".into(), &config.endpoint_config_name);
        // Deployments keep the variant names: the first configuration has them all.
        if k == 0 {
            for v in &config.production_variants {
                bad("VariantName".into(), &v.variant_name);
            }
        }
    }
}

fn config_call(c: &CreateEndpointConfig) -> Call {
    Call {
        command: "sagemaker create-endpoint-config",
        file: format!("create-endpoint-config-{}", c.endpoint_config_name),
        body: json(c),
        returns_policy_arn: None,
    }
}

/// The `ProductionVariant` of an instance-based variant.
fn variant(v: &Variant, routing: &str, i: usize, not_exported: &mut Vec<String>) -> ProductionVariant {
    if v.initial_instance_count == 0 {
        not_exported.push(format!(
            "endpoint.variants[{i}].initial_instance_count: 0 is below the API's minimum of 1 (on AWS a variant starts with an instance and scaling takes it to zero); the file holds 0, which AWS refuses"
        ));
    }
    if !v.inference_components.is_empty() {
        not_exported.push(format!(
            "endpoint.variants[{i}].inference_components: each is a CreateInferenceComponent call, which export does not write"
        ));
    }
    ProductionVariant {
        variant_name: v.name.clone(),
        model_name: v.model.as_ref().map(|m| m.label.clone()),
        instance_type: Some(v.instance_type.clone()),
        initial_instance_count: Some(v.initial_instance_count),
        initial_variant_weight: Some(v.initial_weight),
        managed_instance_scaling: v.managed_instance_scaling.as_ref().map(|m| ManagedInstanceScaling {
            status: Some(api_name(&m.status)),
            min_instance_count: Some(m.min_instance_count),
            max_instance_count: Some(m.max_instance_count),
        }),
        routing_config: Some(RoutingConfig {
            routing_strategy: routing.to_string(),
        }),
        ..Default::default()
    }
}

/// The `CreateEndpointConfig` of the configuration the endpoint starts with.
fn endpoint_config(scenario: &Scenario, not_exported: &mut Vec<String>) -> CreateEndpointConfig {
    let instance_based = |routing, variants: &[Variant], not_exported: &mut Vec<String>| {
        // The scenario's routing is the endpoint's; the API sets it per variant.
        let routing = upper_snake(&api_name(routing));
        variants
            .iter()
            .enumerate()
            .map(|(i, v)| variant(v, &routing, i, not_exported))
            .collect()
    };
    let capacity_updates = |updates: &[crate::scenario::file::CapacityUpdate], not_exported: &mut Vec<String>| {
        if !updates.is_empty() {
            not_exported.push(
                "endpoint.capacity_updates: each is an UpdateEndpointWeightsAndCapacities call at a time of the scenario, which export does not write".into(),
            );
        }
    };
    match &scenario.endpoint {
        Endpoint::RealTime {
            routing,
            variants,
            capacity_updates: updates,
            endpoint_config_name,
            ..
        } => {
            capacity_updates(updates, not_exported);
            CreateEndpointConfig {
                endpoint_config_name: endpoint_config_name.clone(),
                production_variants: instance_based(routing, variants, not_exported),
                ..Default::default()
            }
        }
        Endpoint::Async {
            routing,
            variants,
            max_concurrent_invocations_per_instance,
            capacity_updates: updates,
            endpoint_config_name,
            ..
        } => {
            capacity_updates(updates, not_exported);
            CreateEndpointConfig {
                endpoint_config_name: endpoint_config_name.clone(),
                production_variants: instance_based(routing, variants, not_exported),
                async_inference_config: Some(AsyncInferenceConfig {
                    client_config: max_concurrent_invocations_per_instance.map(|n| AsyncClientConfig {
                        max_concurrent_invocations_per_instance: Some(n),
                    }),
                    output_config: AsyncOutputConfig {
                        s3_output_path: Some(S3_OUTPUT_PATH_REFERENCE.into()),
                        s3_failure_path: None,
                        notification_config: None,
                        kms_key_id: None,
                    },
                }),
                ..Default::default()
            }
        }
        Endpoint::Serverless {
            variant_name,
            memory_size_in_mb,
            max_concurrency,
            provisioned_concurrency,
            model,
            endpoint_config_name,
            ..
        } => CreateEndpointConfig {
            endpoint_config_name: endpoint_config_name.clone(),
            production_variants: vec![ProductionVariant {
                variant_name: variant_name.clone(),
                model_name: Some(model.label.clone()),
                serverless_config: Some(ServerlessConfig {
                    memory_size_in_mb: *memory_size_in_mb,
                    max_concurrency: *max_concurrency,
                    provisioned_concurrency: *provisioned_concurrency,
                }),
                ..Default::default()
            }],
            ..Default::default()
        },
    }
}

/// The configuration deployment `k` deploys: `before` with the deployed variant's model and
/// instance count changed.
fn deployed_config(before: &CreateEndpointConfig, k: usize, x: &Deployment) -> Result<CreateEndpointConfig, String> {
    let mut c = before.clone();
    c.endpoint_config_name = x.endpoint_config_name.clone();
    let variants = &mut c.production_variants;
    let at = match &x.variant {
        Some(name) => variants.iter().position(|v| &v.variant_name == name),
        None if variants.len() == 1 => Some(0),
        None => None,
    };
    let Some(at) = at else {
        return Err(format!(
            "deployments[{k}].variant: name one of the endpoint's variants ({})",
            variants
                .iter()
                .map(|v| v.variant_name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let v = &mut variants[at];
    v.model_name = Some(x.model.label.clone());
    if let Some(n) = x.initial_instance_count {
        v.initial_instance_count = Some(n);
    }
    Ok(c)
}

/// A scenario capacity size as the API's `{Type, Value}`; the API's value is a whole number.
fn size(s: &d::CapacitySize, path: &str, not_exported: &mut Vec<String>) -> CapacitySize {
    match *s {
        d::CapacitySize::InstanceCount(n) => CapacitySize {
            kind: "INSTANCE_COUNT".into(),
            value: n,
        },
        // The rolling page's CAPACITY_PERCENTAGE is the same size; the API's enum value is written.
        d::CapacitySize::CapacityPercent(p) | d::CapacitySize::CapacityPercentage(p) => {
            let value = p.round().max(0.0) as u32;
            if p.fract() != 0.0 {
                not_exported.push(format!(
                    "{path}: {p} % is not a whole number; the API's Value is an integer, written as {value}"
                ));
            }
            CapacitySize {
                kind: "CAPACITY_PERCENT".into(),
                value,
            }
        }
    }
}

/// The `UpdateEndpoint` of deployment `k`.
fn update(scenario: &Scenario, k: usize, x: &Deployment, not_exported: &mut Vec<String>) -> UpdateEndpoint {
    let p = format!("deployments[{k}]");
    let (blue_green, rolling) = match &x.policy {
        UpdatePolicy::BlueGreen {
            traffic_routing,
            wait_interval,
            termination_wait,
            final_bake,
            maximum_execution_timeout,
        } => {
            let wait = wait_interval.as_ref().map_or(0, secs);
            if final_bake
                .as_ref()
                .is_some_and(|f| secs(f) != wait || f.0 .0 % 1_000_000 != 0)
            {
                not_exported.push(format!(
                    "{p}.policy.BlueGreen.final_bake: the length of the last bake is the simulator's assumption (AWS bakes for WaitIntervalInSeconds)"
                ));
            }
            let pp = format!("{p}.policy.BlueGreen.traffic_routing");
            let (kind, canary_size, linear_step_size) = match traffic_routing {
                d::TrafficRouting::AllAtOnce => ("ALL_AT_ONCE", None, None),
                d::TrafficRouting::Canary { canary_size } => (
                    "CANARY",
                    Some(size(canary_size, &format!("{pp}.canary_size"), not_exported)),
                    None,
                ),
                d::TrafficRouting::Linear { linear_step_size } => (
                    "LINEAR",
                    None,
                    Some(size(linear_step_size, &format!("{pp}.linear_step_size"), not_exported)),
                ),
            };
            let policy = BlueGreenUpdatePolicy {
                traffic_routing_configuration: TrafficRoutingConfig {
                    kind: kind.into(),
                    wait_interval_in_seconds: wait,
                    canary_size,
                    linear_step_size,
                },
                termination_wait_in_seconds: Some(secs(termination_wait)),
                maximum_execution_timeout_in_seconds: maximum_execution_timeout.as_ref().map(secs),
            };
            (Some(policy), None)
        }
        UpdatePolicy::Rolling {
            maximum_batch_size,
            wait_interval,
            maximum_execution_timeout,
            rollback_maximum_batch_size,
        } => {
            let pp = format!("{p}.policy.Rolling");
            let policy = RollingUpdatePolicy {
                maximum_batch_size: size(maximum_batch_size, &format!("{pp}.maximum_batch_size"), not_exported),
                wait_interval_in_seconds: secs(wait_interval),
                maximum_execution_timeout_in_seconds: maximum_execution_timeout.as_ref().map(secs),
                rollback_maximum_batch_size: rollback_maximum_batch_size
                    .as_ref()
                    .map(|s| size(s, &format!("{pp}.rollback_maximum_batch_size"), not_exported)),
            };
            (None, Some(policy))
        }
    };
    if x.guardrails != d::Guardrails::default() {
        not_exported.push(format!(
            "{p}.guardrails: how the simulator reads what the documentation leaves open (timeout clock, alarm polling, rollback delay, rounding), not a request field"
        ));
    }
    if x.marketplace_container {
        not_exported.push(format!(
            "{p}.marketplace_container: a property of the model's container (AWS falls back to all at once for it), not a request field"
        ));
    }
    if x.failures != d::Failures::default() {
        not_exported.push(format!("{p}.failures: failure injection is the simulator's"));
    }
    let alarms = (!x.auto_rollback_alarms.is_empty()).then(|| AutoRollbackConfig {
        alarms: x
            .auto_rollback_alarms
            .iter()
            .map(|a| AlarmName { alarm_name: a.clone() })
            .collect(),
    });
    UpdateEndpoint {
        endpoint_name: scenario.name.clone(),
        endpoint_config_name: x.endpoint_config_name.clone(),
        deployment_config: Some(DeploymentConfig {
            blue_green_update_policy: blue_green,
            rolling_update_policy: rolling,
            auto_rollback_configuration: alarms,
        }),
        retain_all_variant_properties: Some(x.retain_all_variant_properties),
        exclude_retained_variant_properties: None,
        retain_deployment_config: None,
    }
}

/// The endpoint a call's body names (`EndpointName`).
fn endpoint_name(c: &Call) -> String {
    serde_json::from_str::<serde_json::Value>(&c.body)
        .ok()
        .and_then(|v| v.get("EndpointName").and_then(|n| n.as_str()).map(str::to_string))
        .unwrap_or_default()
}

/// Script lines before call `c` (`prev` the call before it): the endpoint must be `InService`
/// before its variants are registered as scalable targets and before an update.
pub fn before(prev: Option<&Call>, c: &Call) -> String {
    let wait = |name: String| format!("aws sagemaker wait endpoint-in-service --endpoint-name '{name}'\n");
    if c.command == "sagemaker update-endpoint" {
        return format!(
            "# A deployment: the update starts when this call is made.\n{}",
            wait(endpoint_name(c))
        );
    }
    match prev {
        Some(p) if p.command == "sagemaker create-endpoint" => wait(endpoint_name(p)),
        _ => String::new(),
    }
}
