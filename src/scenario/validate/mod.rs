//! Validation: scenario file types to a `SimConfig`, or every invalid field with its path, value
//! and allowed range. Nothing is simulated until the whole scenario is valid.
//!
//! The data files the scenario names are read first (`files.rs`); then each section of the
//! file is checked by the validator named after it, in the order below, which is the order
//! errors and warnings are reported in.

mod alarm;
mod capacity_update;
mod check;
mod components;
mod deployment;
mod distribution;
mod endpoint;
mod expect;
mod files;
mod instance;
mod metrics;
mod policy;
mod run;
mod scaling;
mod serverless;
mod shadow;
mod target;
mod users;
mod variant;
mod workload;

use super::error::ScenarioError;
use super::expectation::Expectation;
use super::file::Scenario;
use crate::engine::SimDuration;
use crate::model::metrics::MetricsConfig;
use crate::sim::{EndpointConfig, EndpointKind, SimConfig};
use check::Check;
use std::path::Path;

/// Validates a scenario into a run configuration plus warnings (e.g. unknown prices). `base`
/// is the folder relative data files are read from.
pub fn validate(s: &Scenario, file: &str, base: &Path) -> Result<(SimConfig, Vec<String>), ScenarioError> {
    validate_all(s, file, base).map(|v| (v.config, v.warnings))
}

/// A scenario validated: its run configuration, warnings and expectations.
pub struct Validated {
    pub config: SimConfig,
    pub warnings: Vec<String>,
    pub expect: Vec<Expectation>,
}

/// [`validate`], with the scenario's expectations.
pub fn validate_all(s: &Scenario, file: &str, base: &Path) -> Result<Validated, ScenarioError> {
    let invalid = |errors| ScenarioError::Invalid {
        file: file.to_string(),
        errors,
    };
    let oversized = super::limits::check_sizes(s);
    if !oversized.is_empty() {
        return Err(invalid(oversized));
    }
    let files = files::read(s, base)?;
    let mut c = Check::new(&files);
    let mut warnings = Vec::new();

    run::name_and_duration(&mut c, s);
    instance::validate(&mut c, s);
    // A serverless endpoint's one variant is validated on its own; it has no instances,
    // routing, backlog or capacity updates.
    let serverless = serverless::validate(&mut c, s);
    let ep = endpoint::validate(&mut c, s);
    // Production variants, then the shadow variant if any.
    let mut vcs = variant::validate(&mut c, s, &ep, serverless.is_some(), &mut warnings);
    let production = ep.variants;
    // The serverless variant is the endpoint's only one; deployments were rejected with it.
    let (n_production, deployments_in, serverless_config) = match serverless {
        Some((vc, cfg)) => {
            vcs.push(vc);
            (1, &[][..], Some(cfg))
        }
        None => (production.len(), &s.deployments[..], None),
    };
    // An endpoint with inference components runs its components as variants (copies for
    // instances) on a pool of hosts.
    let components = components::validate(&mut c, s, production, &vcs, ep.kind, &mut warnings).map(|(pool, ics)| {
        vcs = ics;
        pool
    });
    if !production.is_empty() && production.iter().all(|v| v.initial_weight <= 0.0) {
        c.fail(
            "endpoint.variants[*].initial_weight",
            0,
            "at least one variant with a weight > 0",
        );
    }
    let updates = capacity_update::validate(
        &mut c,
        ep.capacity_updates,
        production,
        ep.kind == EndpointKind::Async,
        s.duration.0,
    );
    let workload = workload::validate(&mut c, s, &mut warnings);
    let metrics = metrics::validate(&mut c, s);

    // Configuration series: the initial configuration of each deployed variant, then each
    // deployment's (the order `sim::config_series` gives the recorder).
    let deployable = &vcs[..n_production.min(vcs.len())];
    let deployed = deployment::configs(deployments_in, deployable);
    let mut series = Vec::new();
    for v in 0..vcs.len() {
        if deployed.iter().any(|(dv, _)| *dv == v) {
            series.push((v, ep.config_name.clone()));
            series.extend(deployed.iter().filter(|(dv, _)| *dv == v).cloned());
        }
    }
    let mut percentiles = metrics.percentiles.clone();
    let (alarms, targets) = scaling::validate(
        &mut c,
        &s.alarms,
        &s.autoscaling,
        &scaling::Scope {
            variants: &vcs,
            kind: ep.kind,
            configs: &series,
            serverless: serverless_config
                .as_ref()
                .map(|s| (s.max_concurrency, s.provisioned_concurrency.is_some())),
            min_instances: components.as_ref().map(|pool| pool.min_instance_count),
            tick: metrics.tick.max(SimDuration(1)),
            metrics_period: metrics.period,
        },
        &mut percentiles,
    );
    metrics::publication_delay_in_ticks(&mut c, &metrics);
    let start_time = run::start_time(&mut c, s);
    let slo = run::slo(&mut c, s);
    let shadow = s
        .shadow_test
        .as_ref()
        .filter(|_| vcs.len() == n_production + 1)
        .and_then(|t| shadow::validate(&mut c, t, &vcs, ep.kind, s.duration.0, &mut warnings));
    let alarm_names: Vec<String> = s.alarms.iter().map(|a| a.name.clone()).collect();
    let deployments = deployment::validate(
        &mut c,
        deployments_in,
        &deployment::Context {
            variants: &vcs[..n_production.min(vcs.len())],
            alarms: &alarms,
            alarm_names: &alarm_names,
            kind: ep.kind,
            duration: s.duration.0,
            tick: metrics.tick,
            initial_config: ep.config_name,
        },
        &mut warnings,
    );
    // Rows name the variants the run simulates (the components, with inference components)
    // and the endpoint's production variants (the hosts' rows).
    let mut variant_names: Vec<String> = vcs.iter().map(|v| v.name.clone()).collect();
    for v in production {
        if !variant_names.contains(&v.name) {
            variant_names.push(v.name.clone());
        }
    }
    let expect = expect::validate(
        &mut c,
        &s.expect,
        &expect::Run {
            duration: s.duration.0,
            period: metrics.period,
            variants: &variant_names,
            deployments: deployments.len(),
        },
    );

    if !c.errors.is_empty() {
        return Err(invalid(c.errors));
    }
    let config = SimConfig {
        name: s.name.clone(),
        seed: s.seed,
        duration: s.duration.0,
        endpoint: EndpointConfig {
            kind: ep.kind,
            routing: ep.routing,
            variants: vcs,
            backlog_capacity: ep.backlog_capacity,
            invocation_timeout: ep.wait_timeout,
            processing_timeout: ep.processing_timeout,
            start: ep.start,
            capacity_updates: updates,
            config_name: ep.config_name.clone(),
            serverless: serverless_config,
            components,
        },
        workload,
        metrics: MetricsConfig {
            period: metrics.period,
            high_resolution_period: metrics.tick,
            percentiles,
        },
        start_time,
        publication_delay: metrics.publication_delay,
        alarms,
        targets,
        deployments,
        shadow,
        slo,
    };
    Ok(Validated {
        config,
        warnings,
        expect,
    })
}
