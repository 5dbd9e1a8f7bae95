//! The scenario endpoint of an endpoint configuration: the request's variants, routing and
//! asynchronous or serverless settings over the base endpoint, which keeps each variant's
//! model behaviour, worker slots and launch times (matched by `VariantName`).

use super::checks::routing;
use crate::aws::sagemaker::*;
use crate::scenario::file::{self as f, Endpoint, Routing, Variant};
use crate::scenario::Scenario;

/// The scenario endpoint of configuration `c`, the rest taken from the base endpoint.
pub(super) fn endpoint(base: &Scenario, file: &str, c: &CreateEndpointConfig) -> Result<Endpoint, String> {
    let serverless = c.production_variants.iter().any(|v| v.serverless_config.is_some());
    let name = c.endpoint_config_name.clone();
    if serverless {
        let Endpoint::Serverless { .. } = &base.endpoint else {
            return Err(format!(
                "{file}: a serverless configuration needs a Serverless base endpoint (its cold starts and prices are the simulator's)"
            ));
        };
        let [v] = &c.production_variants[..] else {
            return Err(format!(
                "{file}: ProductionVariants: a serverless endpoint has one variant in the simulator"
            ));
        };
        let s = v.serverless_config.as_ref().expect("checked: serverless");
        let mut e = base.endpoint.clone();
        if let Endpoint::Serverless {
            variant_name,
            memory_size_in_mb,
            max_concurrency,
            provisioned_concurrency,
            model,
            endpoint_config_name,
            ..
        } = &mut e
        {
            if v.routing_config.is_some() || v.managed_instance_scaling.is_some() {
                return Err(format!(
                    "{file}: ProductionVariants[0]: RoutingConfig and ManagedInstanceScaling are for instance-based variants"
                ));
            }
            *variant_name = v.variant_name.clone();
            *memory_size_in_mb = s.memory_size_in_mb;
            *max_concurrency = s.max_concurrency;
            *provisioned_concurrency = s.provisioned_concurrency;
            if let Some(m) = &v.model_name {
                model.label = m.clone();
            }
            *endpoint_config_name = name;
        }
        return Ok(e);
    }
    let (base_variants, start, capacity_updates) = match &base.endpoint {
        Endpoint::RealTime {
            variants,
            start,
            capacity_updates,
            ..
        }
        | Endpoint::Async {
            variants,
            start,
            capacity_updates,
            ..
        } => (variants, start, capacity_updates),
        Endpoint::Serverless { .. } => {
            return Err(format!(
                "{file}: an instance-based configuration needs a RealTime or Async base endpoint (a Serverless one has no instances)"
            ))
        }
    };
    // One routing for the endpoint; the API's default when a variant gives none is RANDOM.
    let mut strategies: Vec<Routing> = Vec::new();
    for v in &c.production_variants {
        let r = v
            .routing_config
            .as_ref()
            .and_then(|r| routing(&r.routing_strategy))
            .unwrap_or(Routing::Random);
        if !strategies.contains(&r) {
            strategies.push(r);
        }
    }
    let [routing] = strategies[..] else {
        return Err(format!(
            "{file}: ProductionVariants: the variants route differently (RoutingConfig); the simulator routes the whole endpoint one way"
        ));
    };
    let mut variants = Vec::new();
    for (i, pv) in c.production_variants.iter().enumerate() {
        let Some(b) = base_variants.iter().find(|b| b.name == pv.variant_name) else {
            return Err(format!(
                "{file}: ProductionVariants[{i}].VariantName `{}` is not a variant of the base endpoint, which supplies its model and launch times (it has: {})",
                pv.variant_name,
                base_variants.iter().map(|b| b.name.as_str()).collect::<Vec<_>>().join(", ")
            ));
        };
        variants.push(variant(file, i, pv, b)?);
    }
    let endpoint_config_name = name;
    Ok(match (&c.async_inference_config, &base.endpoint) {
        (None, Endpoint::RealTime { backlog, .. }) => Endpoint::RealTime {
            routing,
            variants,
            backlog: backlog.clone(),
            start: *start,
            capacity_updates: capacity_updates.clone(),
            endpoint_config_name,
        },
        (None, _) => Endpoint::RealTime {
            routing,
            variants,
            backlog: f::Backlog::default(),
            start: *start,
            capacity_updates: capacity_updates.clone(),
            endpoint_config_name,
        },
        (Some(a), base_endpoint) => {
            let (request_ttl, invocation_timeout) = match base_endpoint {
                Endpoint::Async {
                    request_ttl,
                    invocation_timeout,
                    ..
                } => (*request_ttl, *invocation_timeout),
                _ => (f::default_request_ttl(), f::default_async_invocation_timeout()),
            };
            Endpoint::Async {
                routing,
                variants,
                max_concurrent_invocations_per_instance: a
                    .client_config
                    .as_ref()
                    .and_then(|c| c.max_concurrent_invocations_per_instance),
                request_ttl,
                invocation_timeout,
                start: *start,
                capacity_updates: capacity_updates.clone(),
                endpoint_config_name,
            }
        }
    })
}

/// An instance-based variant: the request's fields over the base variant `b`.
fn variant(file: &str, i: usize, pv: &ProductionVariant, b: &Variant) -> Result<Variant, String> {
    let mut v = b.clone();
    v.instance_type = pv.instance_type.clone().expect("checked: instance-based");
    v.initial_instance_count = pv.initial_instance_count.expect("checked: with InstanceType");
    v.initial_weight = pv.initial_variant_weight.unwrap_or(1.0);
    if let Some(m) = &pv.model_name {
        match &mut v.model {
            Some(model) => model.label = m.clone(),
            None => {
                return Err(format!(
                    "{file}: ProductionVariants[{i}].ModelName: the base variant `{}` hosts inference components, each with its own model; remove ModelName or give the base variant a model",
                    b.name
                ))
            }
        }
    }
    v.managed_instance_scaling = match &pv.managed_instance_scaling {
        None => None,
        Some(m) => {
            let (Some(min), Some(max)) = (m.min_instance_count, m.max_instance_count) else {
                return Err(format!(
                    "{file}: ProductionVariants[{i}].ManagedInstanceScaling: the simulator needs MinInstanceCount and MaxInstanceCount"
                ));
            };
            Some(crate::scenario::components::ManagedInstanceScaling {
                status: m
                    .status
                    .as_deref()
                    .and_then(crate::aws::from_api_name)
                    .unwrap_or_default(),
                min_instance_count: min,
                max_instance_count: max,
            })
        }
    };
    Ok(v)
}
