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
//!
//! `checks.rs` holds the API's checks and their messages, `endpoint.rs` turns the starting
//! configuration into the scenario's endpoint, `deployment.rs` an `UpdateEndpoint` and its
//! configuration into a deployment.

mod checks;
mod deployment;
mod endpoint;

use super::import::{typed, Input};
use super::sagemaker::*;
use crate::scenario::Scenario;
use checks::{check_config, name, reason};

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
        let update = [
            "DeploymentConfig",
            "RetainAllVariantProperties",
            "RetainDeploymentConfig",
            "ExcludeRetainedVariantProperties",
        ]
        .iter()
        .any(|k| has(k));
        if update && !has("Tags") {
            return Ok(Some(Request::Update(typed(file, "UpdateEndpoint", v)?)));
        }
        return Ok(Some(Request::Create(typed(file, "CreateEndpoint", v)?)));
    }
    Ok(None)
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
        out.scenario.endpoint = endpoint::endpoint(base, file, c)?;
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
            || updates
                .iter()
                .any(|(_, u)| u.endpoint_config_name == c.endpoint_config_name);
        if !used {
            return Err(format!(
                "{file}: endpoint configuration `{}` is neither created as the endpoint (CreateEndpoint) nor deployed (UpdateEndpoint)",
                c.endpoint_config_name
            ));
        }
    }

    // Deployments, in the base's (time) order: each new configuration is compared with the
    // endpoint's configuration just before it.
    let mut current: Vec<ProductionVariant> = deployment::current_variants(&out.scenario.endpoint);
    let mut deployments = out.scenario.deployments.clone();
    for (file, u) in &updates {
        if !deployments
            .iter()
            .any(|x| x.endpoint_config_name == u.endpoint_config_name)
        {
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
        if let Some((file, u)) = updates
            .iter()
            .find(|(_, u)| u.endpoint_config_name == x.endpoint_config_name)
        {
            let (cfile, c) = config(file, "UpdateEndpoint", &u.endpoint_config_name)?;
            if let Some((create, c)) = creates.first() {
                if c.endpoint_name != u.endpoint_name {
                    return Err(format!(
                        "{file}: EndpointName `{}` is not the endpoint {create} creates (`{}`)",
                        u.endpoint_name, c.endpoint_name
                    ));
                }
            }
            deployment::deployment(file, cfile, u, c, &current, at, x, &mut out.not_imported)?;
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
