//! SageMaker endpoint requests in: `CreateEndpointConfig`, `CreateEndpoint` and `UpdateEndpoint`
//! bodies turned into a scenario's `endpoint` and `deployments`, merged into the base scenario,
//! which supplies what AWS configuration does not hold (each variant's model behaviour, worker
//! slots and launch times; a deployment's time, its new model's behaviour and the simulator's
//! guardrail assumptions).
//!
//! Recognition: a body with `ProductionVariants` is a `CreateEndpointConfig`; one with
//! `EndpointName` is an `UpdateEndpoint` when it has `DeploymentConfig` or a `Retain...` field
//! (and no `Tags`), otherwise a `CreateEndpoint`. The endpoint starts with the configuration
//! `CreateEndpoint` names (or, without one, the only configuration no `UpdateEndpoint` names).
//! Variants are matched to the base's by `VariantName`, deployments by `EndpointConfigName`.
//!
//! A field the API accepts but the scenario cannot represent (`DataCaptureConfig`, `Tags`, ...)
//! is listed with the reason (an error under `--strict`); a field the API does not have is an
//! error naming the file and the field path. The API's own checks are reported in its words
//! (`ValidationException: 1 validation error detected: Value ... at ...`).

use super::import::{typed, Input};
use super::sagemaker::*;
use crate::scenario::components::ManagedStatus;
use crate::scenario::deployment::{self as d, Deployment, UpdatePolicy};
use crate::scenario::duration::Duration;
use crate::scenario::file::{self as f, Endpoint, Routing, Variant};
use crate::scenario::Scenario;

/// What the endpoint part of an import gives.
pub(super) struct EndpointImport<'a> {
    /// The base with the imported endpoint and deployments.
    pub scenario: Scenario,
    /// The inputs that are not endpoint requests, for the other readers.
    pub rest: Vec<&'a Input>,
    /// `endpoint` / `deployments[k]` -> "FILE (API), ..." lines.
    pub sources: Vec<(String, String)>,
    /// `FILE: field path: reason` for every accepted setting the scenario cannot represent.
    pub not_imported: Vec<String>,
}

enum Request {
    Config(CreateEndpointConfig),
    Create(CreateEndpoint),
    Update(UpdateEndpoint),
}

/// The endpoint request `input` is, if it is one.
fn recognise(input: &Input) -> Result<Option<Request>, String> {
    let file = &input.file;
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&input.text) else {
        return Ok(None);
    };
    let has = |k: &str| v.get(k).is_some();
    if has("ProductionVariants") {
        return Ok(Some(Request::Config(typed(file, "CreateEndpointConfig", v)?)));
    }
    if has("EndpointName") {
        let update = ["DeploymentConfig", "RetainAllVariantProperties", "RetainDeploymentConfig", "ExcludeRetainedVariantProperties"]
            .iter()
            .any(|k| has(k));
        if update && !has("Tags") {
            return Ok(Some(Request::Update(typed(file, "UpdateEndpoint", v)?)));
        }
        return Ok(Some(Request::Create(typed(file, "CreateEndpoint", v)?)));
    }
    Ok(None)
}

/// The API's message for a value outside its constraint.
fn constraint(file: &str, value: impl std::fmt::Display, at: &str, rule: &str) -> String {
    format!(
        "{file}: ValidationException: 1 validation error detected: Value '{value}' at '{at}' failed to satisfy constraint: Member must {rule}"
    )
}

fn range(file: &str, at: &str, value: u64, min: u64, max: u64) -> Result<(), String> {
    if value < min {
        return Err(constraint(file, value, at, &format!("have value greater than or equal to {min}")));
    }
    if value > max {
        return Err(constraint(file, value, at, &format!("have value less than or equal to {max}")));
    }
    Ok(())
}

fn validation(file: &str, m: impl std::fmt::Display) -> String {
    format!("{file}: ValidationException: {m}")
}

/// The pattern of endpoint, configuration and variant names.
const NAME_PATTERN: &str = "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}";

fn name(file: &str, at: &str, n: &str) -> Result<(), String> {
    let ok = n.len() <= 63
        && n.starts_with(|c: char| c.is_ascii_alphanumeric())
        && n.ends_with(|c: char| c.is_ascii_alphanumeric())
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(constraint(
            file,
            n,
            at,
            &format!("satisfy regular expression pattern: {NAME_PATTERN}"),
        ))
    }
}

/// Why an accepted field cannot be represented, by its last path segment.
fn reason(field: &str) -> &'static str {
    match field.rsplit('.').next().unwrap_or(field) {
        "DataCaptureConfig" => "capturing requests and responses does not change how the endpoint serves them",
        "ExplainerConfig" => "online explainability is not simulated",
        "ShadowProductionVariants" => {
            "shadow variants of an endpoint configuration are not simulated (a scenario's shadow_test is an inference experiment)"
        }
        "KmsKeyId" | "ExecutionRoleArn" | "VpcConfig" | "EnableNetworkIsolation" | "EnableSSMAccess" => {
            "security and networking settings are not simulated"
        }
        "Tags" => "tags do not change the simulation",
        "AcceleratorType" => "Elastic Inference accelerators are not simulated",
        "VolumeSizeInGB" | "CoreDumpConfig" => "storage is not simulated",
        "ModelDataDownloadTimeoutInSeconds" | "ContainerStartupHealthCheckTimeoutInSeconds" => {
            "a launch that never finishes is not simulated; boot times are the base scenario's launch"
        }
        "InferenceAmiVersion" => "the instance image is not simulated",
        "CapacityReservationConfig" => "capacity reservations are not simulated",
        "S3FailurePath" | "NotificationConfig" => "where results and notifications go is not simulated",
        _ => "not simulated",
    }
}

/// The input's endpoint requests imported into `base`; the other inputs are returned as they are.
pub(super) fn import<'a>(base: &Scenario, inputs: &'a [Input]) -> Result<EndpointImport<'a>, String> {
    let mut configs: Vec<(&str, CreateEndpointConfig)> = Vec::new();
    let mut creates: Vec<(&str, CreateEndpoint)> = Vec::new();
    let mut updates: Vec<(&str, UpdateEndpoint)> = Vec::new();
    let mut rest = Vec::new();
    for input in inputs {
        match recognise(input)? {
            Some(Request::Config(c)) => configs.push((&input.file, c)),
            Some(Request::Create(c)) => creates.push((&input.file, c)),
            Some(Request::Update(u)) => updates.push((&input.file, u)),
            None => rest.push(input),
        }
    }
    let mut out = EndpointImport {
        scenario: base.clone(),
        rest,
        sources: Vec::new(),
        not_imported: Vec::new(),
    };
    if configs.is_empty() && creates.is_empty() && updates.is_empty() {
        return Ok(out);
    }
    for (k, (file, c)) in configs.iter().enumerate() {
        check_config(file, c, &mut out.not_imported)?;
        if let Some((other, _)) = configs[..k]
            .iter()
            .find(|(_, o)| o.endpoint_config_name == c.endpoint_config_name)
        {
            return Err(format!(
                "{file}: endpoint configuration `{}` is also created by {other}",
                c.endpoint_config_name
            ));
        }
    }
    let config = |file: &str, api: &str, wanted: &str| {
        configs
            .iter()
            .find(|(_, c)| c.endpoint_config_name == wanted)
            .ok_or_else(|| format!("{file}: {api}: no CreateEndpointConfig among the inputs creates `{wanted}`"))
    };

    // The configuration the endpoint starts with.
    let initial = match &creates[..] {
        [] => {
            let unnamed: Vec<_> = configs
                .iter()
                .filter(|(_, c)| !updates.iter().any(|(_, u)| u.endpoint_config_name == c.endpoint_config_name))
                .collect();
            match unnamed[..] {
                [] => None,
                [one] => Some((one, None::<&str>)),
                _ => {
                    return Err(format!(
                        "{}: which configuration does the endpoint start with? Add the CreateEndpoint that names one of {}",
                        unnamed[0].0,
                        unnamed.iter().map(|(_, c)| c.endpoint_config_name.as_str()).collect::<Vec<_>>().join(", ")
                    ))
                }
            }
        }
        [(file, c)] => {
            name(file, "endpointName", &c.endpoint_name)?;
            if c.deployment_config.is_some() {
                out.not_imported.push(format!(
                    "{file}: DeploymentConfig: a configuration stored for later updates is not simulated; give it to the UpdateEndpoint"
                ));
            }
            if c.tags.is_some() {
                out.not_imported.push(format!("{file}: Tags: {}", reason("Tags")));
            }
            Some((config(file, "CreateEndpoint", &c.endpoint_config_name)?, Some(*file)))
        }
        [(first, _), (second, _), ..] => {
            return Err(format!(
                "{second}: a second CreateEndpoint (the first is {first}); an UpdateEndpoint is recognised by its DeploymentConfig or RetainAllVariantProperties"
            ))
        }
    };
    if let Some(((file, c), create)) = initial {
        out.scenario.endpoint = endpoint(base, file, c)?;
        let mut source = format!("{file} (CreateEndpointConfig)");
        if let Some(create) = create {
            source.push_str(&format!(", {create} (CreateEndpoint)"));
        }
        if let Some(path) = c
            .async_inference_config
            .as_ref()
            .and_then(|a| a.output_config.s3_output_path.as_ref())
        {
            // Required by the API and of no consequence to the simulation: noted, not kept.
            source.push_str(&format!(
                "; AsyncInferenceConfig.OutputConfig.S3OutputPath {path:?} is where AWS writes results, not simulated"
            ));
        }
        out.sources.push(("endpoint".into(), source));
    }
    for (file, c) in &configs {
        let used = initial.is_some_and(|((_, i), _)| i.endpoint_config_name == c.endpoint_config_name)
            || updates.iter().any(|(_, u)| u.endpoint_config_name == c.endpoint_config_name);
        if !used {
            return Err(format!(
                "{file}: endpoint configuration `{}` is neither created as the endpoint (CreateEndpoint) nor deployed (UpdateEndpoint)",
                c.endpoint_config_name
            ));
        }
    }

    // Deployments, in the base's (time) order: each new configuration is compared with the
    // endpoint's configuration just before it.
    let mut current: Vec<ProductionVariant> = current_variants(&out.scenario.endpoint);
    let mut deployments = out.scenario.deployments.clone();
    for (file, u) in &updates {
        if !deployments.iter().any(|x| x.endpoint_config_name == u.endpoint_config_name) {
            let names: Vec<&str> = deployments.iter().map(|x| x.endpoint_config_name.as_str()).collect();
            return Err(format!(
                "{file}: UpdateEndpoint deploys `{}`, but the base scenario has no deployment of it to take its time and its new model's behaviour from (it has: {})",
                u.endpoint_config_name,
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ));
        }
    }
    for (k, x) in deployments.iter_mut().enumerate() {
        let at = match &x.variant {
            Some(n) => current.iter().position(|v| &v.variant_name == n),
            None if current.len() == 1 => Some(0),
            None => None,
        };
        if let Some((file, u)) = updates.iter().find(|(_, u)| u.endpoint_config_name == x.endpoint_config_name) {
            let (cfile, c) = config(file, "UpdateEndpoint", &u.endpoint_config_name)?;
            if let Some((create, c)) = creates.first() {
                if c.endpoint_name != u.endpoint_name {
                    return Err(format!(
                        "{file}: EndpointName `{}` is not the endpoint {create} creates (`{}`)",
                        u.endpoint_name, c.endpoint_name
                    ));
                }
            }
            deployment(file, cfile, u, c, &current, at, x, &mut out.not_imported)?;
            out.sources.push((
                format!("deployments[{k}]"),
                format!("{cfile} (CreateEndpointConfig), {file} (UpdateEndpoint)"),
            ));
        }
        // What the endpoint runs after this deployment, for the next one.
        if let Some(at) = at {
            current[at].model_name = Some(x.model.label.clone());
            if let Some(n) = x.initial_instance_count {
                current[at].initial_instance_count = Some(n);
            }
        }
    }
    out.scenario.deployments = deployments;
    Ok(out)
}

/// The API's checks of a `CreateEndpointConfig`, and its unmodelled fields listed.
fn check_config(file: &str, c: &CreateEndpointConfig, not_imported: &mut Vec<String>) -> Result<(), String> {
    name(file, "endpointConfigName", &c.endpoint_config_name)?;
    let n = c.production_variants.len() as u64;
    if n == 0 {
        return Err(constraint(file, "[]", "productionVariants", "have length greater than or equal to 1"));
    }
    range(file, "productionVariants", n, 1, 10).map_err(|_| {
        constraint(file, n, "productionVariants", "have length less than or equal to 10")
    })?;
    for field in c.unmodelled() {
        not_imported.push(format!("{file}: {field}: {}", reason(&field)));
    }
    let async_ = c.async_inference_config.as_ref();
    if let Some(a) = async_ {
        if let Some(m) = a.client_config.as_ref().and_then(|c| c.max_concurrent_invocations_per_instance) {
            range(
                file,
                "asyncInferenceConfig.clientConfig.maxConcurrentInvocationsPerInstance",
                m.into(),
                1,
                1000,
            )?;
        }
        for field in a.output_config.unmodelled("AsyncInferenceConfig.OutputConfig.") {
            not_imported.push(format!("{file}: {field}: {}", reason(&field)));
        }
    }
    for (i, v) in c.production_variants.iter().enumerate() {
        let at = format!("productionVariants.{}.member", i + 1);
        name(file, &format!("{at}.variantName"), &v.variant_name)?;
        if c.production_variants[..i].iter().any(|o| o.variant_name == v.variant_name) {
            return Err(validation(
                file,
                format!("Variant name {} is used by more than one production variant", v.variant_name),
            ));
        }
        for field in v.unmodelled(&format!("ProductionVariants[{i}].")) {
            not_imported.push(format!("{file}: {field}: {}", reason(&field)));
        }
        if let Some(w) = v.initial_variant_weight {
            if w < 0.0 {
                return Err(constraint(file, w, &format!("{at}.initialVariantWeight"), "have value greater than or equal to 0"));
            }
        }
        match (&v.instance_type, &v.serverless_config) {
            (Some(_), Some(_)) => {
                return Err(validation(
                    file,
                    format!("Variant {}: InstanceType and ServerlessConfig cannot both be specified", v.variant_name),
                ))
            }
            (None, None) => {
                return Err(validation(
                    file,
                    format!("Variant {}: either InstanceType or ServerlessConfig must be specified", v.variant_name),
                ))
            }
            (Some(_), None) if v.initial_instance_count.is_none() => {
                return Err(validation(
                    file,
                    format!("Variant {}: InitialInstanceCount is required with InstanceType", v.variant_name),
                ))
            }
            (None, Some(s)) => {
                if async_.is_some() {
                    return Err(validation(file, "Serverless variants cannot be used with AsyncInferenceConfig"));
                }
                let sat = format!("{at}.serverlessConfig");
                range(file, &format!("{sat}.memorySizeInMB"), s.memory_size_in_mb.into(), 1024, 6144)?;
                if s.memory_size_in_mb % 1024 != 0 {
                    return Err(validation(
                        file,
                        format!(
                            "MemorySizeInMB {} is not one of 1024, 2048, 3072, 4096, 5120, 6144",
                            s.memory_size_in_mb
                        ),
                    ));
                }
                range(file, &format!("{sat}.maxConcurrency"), s.max_concurrency.into(), 1, 200)?;
                if let Some(pc) = s.provisioned_concurrency {
                    range(file, &format!("{sat}.provisionedConcurrency"), pc.into(), 1, 200)?;
                    if pc > s.max_concurrency {
                        return Err(validation(
                            file,
                            format!(
                                "ProvisionedConcurrency {pc} cannot be greater than MaxConcurrency {}",
                                s.max_concurrency
                            ),
                        ));
                    }
                }
            }
            _ => {}
        }
        if let Some(m) = &v.managed_instance_scaling {
            let mat = format!("{at}.managedInstanceScaling");
            if let Some(s) = &m.status {
                if super::from_api_name::<ManagedStatus>(s).is_none() {
                    return Err(constraint(
                        file,
                        s,
                        &format!("{mat}.status"),
                        "satisfy enum value set: [ENABLED, DISABLED]",
                    ));
                }
            }
            if let Some(max) = m.max_instance_count {
                range(file, &format!("{mat}.maxInstanceCount"), max.into(), 1, u64::from(u32::MAX))?;
            }
            if let (Some(min), Some(max)) = (m.min_instance_count, m.max_instance_count) {
                if min > max {
                    return Err(validation(
                        file,
                        format!("MinInstanceCount {min} cannot be greater than MaxInstanceCount {max}"),
                    ));
                }
            }
        }
        if let Some(r) = &v.routing_config {
            if routing(&r.routing_strategy).is_none() {
                return Err(constraint(
                    file,
                    &r.routing_strategy,
                    &format!("{at}.routingConfig.routingStrategy"),
                    "satisfy enum value set: [LEAST_OUTSTANDING_REQUESTS, RANDOM]",
                ));
            }
        }
    }
    Ok(())
}

fn routing(strategy: &str) -> Option<Routing> {
    super::from_api_name(&from_upper_snake(strategy))
}

/// The scenario endpoint of configuration `c`, the rest taken from the base endpoint.
fn endpoint(base: &Scenario, file: &str, c: &CreateEndpointConfig) -> Result<Endpoint, String> {
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
                } => (request_ttl.clone(), invocation_timeout.clone()),
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
                    .and_then(super::from_api_name)
                    .unwrap_or_default(),
                min_instance_count: min,
                max_instance_count: max,
            })
        }
    };
    Ok(v)
}

/// The production variants of a scenario endpoint, as the comparison of a deployment's
/// configuration needs them (name, model, instance type and count, weight, managed instance
/// scaling, routing).
fn current_variants(e: &Endpoint) -> Vec<ProductionVariant> {
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
                    status: Some(super::api_name(&m.status)),
                    min_instance_count: Some(m.min_instance_count),
                    max_instance_count: Some(m.max_instance_count),
                }),
                routing_config: Some(RoutingConfig {
                    routing_strategy: upper_snake(&super::api_name(routing)),
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
fn deployment(
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
                return Err(constraint(file, a.alarms.len(), at, "have length less than or equal to 10"));
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
        UpdatePolicy::BlueGreen { final_bake, .. } => final_bake.clone(),
        UpdatePolicy::Rolling { .. } => None,
    };
    let base_wait = match base {
        UpdatePolicy::BlueGreen { wait_interval, .. } => wait_interval.clone(),
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
            range(file, &format!("{tat}.waitIntervalInSeconds"), t.wait_interval_in_seconds, 0, 3600)?;
            let termination = p.termination_wait_in_seconds.unwrap_or(0);
            range(file, &format!("{at}.terminationWaitInSeconds"), termination, 0, 3600)?;
            if let Some(m) = p.maximum_execution_timeout_in_seconds {
                range(file, &format!("{at}.maximumExecutionTimeoutInSeconds"), m, TIMEOUT.0, TIMEOUT.1)?;
            }
            let canary = t.canary_size.as_ref().map(|s| size(file, &format!("{tat}.canarySize"), s)).transpose()?;
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
            range(file, &format!("{at}.waitIntervalInSeconds"), p.wait_interval_in_seconds, 0, 3600)?;
            if let Some(m) = p.maximum_execution_timeout_in_seconds {
                range(file, &format!("{at}.maximumExecutionTimeoutInSeconds"), m, TIMEOUT.0, TIMEOUT.1)?;
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
