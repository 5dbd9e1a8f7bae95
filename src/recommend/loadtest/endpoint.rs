//! The simulated endpoint of one test: what the job names (an instance type, a serverless
//! configuration or an existing endpoint) with the model's behaviour from the model scenarios.
//!
//! Which model a test uses:
//! - an instance type: the first real-time variant of that instance type in the model
//!   scenarios (its service time, error rate, worker slots and launch times: this is how a
//!   model that behaves differently per instance type is described); without one, the first
//!   real-time variant's model on that type from the built-in catalog;
//! - a serverless configuration: the first serverless model scenario, with the job's memory
//!   size and concurrency;
//! - an existing endpoint: the model scenario of that name, whole (its variants, scaling
//!   policies and deployments), as the notebook load-tests an endpoint it has configured.
//!
//! A new benchmark endpoint has one instance, starts in service, and has no scaling policy.
//! Every test runs with the job's seed, so tests of different configurations see the same
//! users with the same draws (common random numbers across configurations).

use super::checks::{CheckedJob, Target, TestPlan};
use crate::engine::{SimDuration, SimTime};
use crate::model::metrics::MetricsConfig;
use crate::model::workload::{SpawnMode, UserTest, Workload};
use crate::model::DurationDist;
use crate::sim::{EndpointKind, SimConfig, StartState};

/// A model scenario, already validated.
#[derive(Clone, Debug)]
pub struct ModelScenario {
    /// The file it came from, for messages.
    pub file: String,
    pub config: SimConfig,
}

/// What a test's results need to know about its endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointFacts {
    pub endpoint_name: String,
    pub variant_name: String,
    pub instance_type: Option<String>,
    pub vcpus: Option<u32>,
    pub price_per_hour_usd: Option<f64>,
    /// Instances the test starts with (1 for a benchmark endpoint).
    pub instances: u32,
    /// Time to create the endpoint before its load test starts: the mean launch of its
    /// instances \[assumption\]; 0 for serverless and existing endpoints.
    pub creation: SimDuration,
    /// The model scenario the behaviour came from.
    pub model_file: String,
}

/// The run configuration of test `n` (from 1) of `job`, and its facts.
pub fn test_config(
    job: &CheckedJob,
    plan: &TestPlan,
    n: usize,
    models: &[ModelScenario],
    seed: u64,
) -> Result<(SimConfig, EndpointFacts), String> {
    let endpoint_name = format!("sm-epc-{}-{n}", job.name);
    let (mut cfg, facts) = match &plan.target {
        Target::Instance(t) => instance_endpoint(t, models, endpoint_name)?,
        Target::Serverless {
            memory_size_in_mb,
            max_concurrency,
            provisioned_concurrency,
        } => {
            let m = models
                .iter()
                .find(|m| m.config.endpoint.kind == EndpointKind::Serverless)
                .ok_or_else(|| {
                    "a serverless endpoint configuration needs a serverless model scenario (endpoint: Serverless(...)) among --model".to_string()
                })?;
            let mut cfg = m.config.clone();
            let s = cfg
                .endpoint
                .serverless
                .as_mut()
                .expect("a serverless endpoint has its configuration");
            s.memory_size_in_mb = *memory_size_in_mb;
            s.max_concurrency = *max_concurrency;
            s.provisioned_concurrency = *provisioned_concurrency;
            cfg.endpoint.variants[0].initial_instance_count = provisioned_concurrency.unwrap_or(0);
            strip_operations(&mut cfg);
            let facts = EndpointFacts {
                endpoint_name,
                variant_name: cfg.endpoint.variants[0].name.clone(),
                instance_type: None,
                vcpus: None,
                price_per_hour_usd: None,
                instances: 0,
                creation: SimDuration::ZERO,
                model_file: m.file.clone(),
            };
            (cfg, facts)
        }
        Target::Existing(name) => {
            let m = models.iter().find(|m| &m.config.name == name).ok_or_else(|| {
                let names: Vec<&str> = models.iter().map(|m| m.config.name.as_str()).collect();
                format!(
                    "no model scenario is the endpoint {name:?}; allowed: the name of a --model scenario ({names:?})"
                )
            })?;
            let cfg = m.config.clone();
            let v = &cfg.endpoint.variants[0];
            let facts = EndpointFacts {
                endpoint_name: name.clone(),
                variant_name: v.name.clone(),
                instance_type: (cfg.endpoint.kind != EndpointKind::Serverless).then(|| v.instance.name.clone()),
                vcpus: v.instance.vcpus,
                price_per_hour_usd: v.instance.price_per_hour_usd,
                instances: cfg.endpoint.variants.iter().map(|v| v.initial_instance_count).sum(),
                creation: SimDuration::ZERO,
                model_file: m.file.clone(),
            };
            (cfg, facts)
        }
    };
    // The client side of the model scenario's own load test, if it has one; else calls
    // without think time over a 1 ms round trip (the simulator's default).
    let (think_time, round_trip) = match cfg.workload.users() {
        Some(u) => (u.think_time.clone(), u.round_trip),
        None => (DurationDist::Constant(SimDuration::ZERO), SimDuration::from_millis(1)),
    };
    cfg.workload = Workload::Users {
        test: UserTest {
            pattern: job.pattern.clone(),
            spawn_mode: SpawnMode::MinuteBatches,
            start: SimTime::ZERO,
            think_time,
            round_trip,
            // The World stops the users at the end of the minute a condition holds.
            stopping: Some(job.stops.clone()),
        },
        background: None,
    };
    // A test ends with its pattern, and never runs longer than the job's duration.
    cfg.duration = job.pattern.duration().min(job.job_duration);
    cfg.seed = seed;
    let mut percentiles = MetricsConfig::default().percentiles;
    if let Some((p, _)) = job.stops.latency {
        if !percentiles.contains(&p) {
            percentiles.push(p);
        }
    }
    cfg.metrics = MetricsConfig {
        period: SimDuration::from_secs(60),
        high_resolution_period: SimDuration::from_secs(10),
        percentiles,
    };
    cfg.name = facts.endpoint_name.clone();
    cfg.slo = None;
    Ok((cfg, facts))
}

/// A benchmark endpoint of one instance of type `t`.
fn instance_endpoint(
    t: &str,
    models: &[ModelScenario],
    endpoint_name: String,
) -> Result<(SimConfig, EndpointFacts), String> {
    let real_time =
        |m: &&ModelScenario| m.config.endpoint.kind == EndpointKind::RealTime && m.config.endpoint.components.is_none();
    let exact = models.iter().filter(real_time).find_map(|m| {
        m.config
            .endpoint
            .variants
            .iter()
            .find(|v| v.instance.name == t)
            .map(|v| (m, v))
    });
    let (m, mut variant) = match exact {
        Some((m, v)) => (m, v.clone()),
        None => {
            let m = models.iter().find(real_time).ok_or_else(|| {
                format!(
                    "the instance type {t} needs a real-time model scenario (endpoint: RealTime(...)) among --model"
                )
            })?;
            let spec = crate::model::catalog::builtin(t).ok_or_else(|| {
                format!("{t} is not in the built-in catalog and no model scenario has a variant of that type; give one with instance_types and a variant")
            })?;
            let mut v = m.config.endpoint.variants[0].clone();
            v.instance = spec;
            (m, v)
        }
    };
    variant.initial_instance_count = 1;
    variant.initial_weight = 1.0;
    let launch = &variant.launch;
    let creation = [&launch.pending, &launch.provision, &launch.load]
        .iter()
        .map(|d| d.mean_micros())
        .sum::<f64>();
    let mut cfg = m.config.clone();
    cfg.endpoint.variants = vec![variant];
    cfg.endpoint.start = StartState::Warm;
    strip_operations(&mut cfg);
    let v = &cfg.endpoint.variants[0];
    let facts = EndpointFacts {
        endpoint_name,
        variant_name: v.name.clone(),
        instance_type: Some(v.instance.name.clone()),
        vcpus: v.instance.vcpus,
        price_per_hour_usd: v.instance.price_per_hour_usd,
        instances: 1,
        creation: SimDuration(creation.round() as u64),
        model_file: m.file.clone(),
    };
    Ok((cfg, facts))
}

/// A new benchmark endpoint has none of the model scenario's operations: no scaling, no
/// deployments, no capacity updates, no shadow test.
fn strip_operations(cfg: &mut SimConfig) {
    cfg.endpoint.capacity_updates.clear();
    cfg.alarms.clear();
    cfg.targets.clear();
    cfg.deployments.clear();
    cfg.shadow = None;
}
