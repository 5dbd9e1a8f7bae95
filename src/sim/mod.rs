//! The simulation: the World that owns model state and acts, the controllers that decide
//! (`scaling`, `deployment`, `serverless`) and talk to it through views, observations and
//! commands, the closed `Event` enum and its dispatch, and `SimConfig`, the validated
//! description of a run.

mod components;
mod config;
mod deployment;
mod deployment_config;
mod event;
mod hosting;
mod in_flight;
mod lifecycle;
pub mod observe;
mod requests;
mod result;
mod scaling;
mod scaling_config;
mod serverless;
mod serverless_config;
mod serverless_observe;
mod shadow;
mod users;
mod world;
mod world_components;
mod world_deployment;
mod world_scaling;
mod world_serverless;
mod world_users;

pub use components::HostPoint;
pub use config::{
    default_start_time, CapacityUpdate, ComponentsConfig, EndpointConfig, EndpointKind, LaunchConfig, ShadowConfig,
    ShadowSampling, SimConfig, Slo, StartState, VariantConfig,
};
pub use deployment::{DeploymentOutcome, DeploymentResult, StatusChange};
pub use deployment_config::{config_series, DeploymentConfig, DeploymentFailures};
pub use event::Event;
pub use result::{ComponentsResult, RunResult, ServerlessResult, ShadowResult, UsersResult, VariantResult};
pub use scaling_config::{AlarmConfig, PolicyConfig, ScheduledConfig, TargetConfig};
pub use serverless_config::ServerlessConfig;
pub use users::UserPoint;
pub use world::World;

/// Runs a configuration to the end: single-threaded and deterministic, the same
/// configuration (seed included) gives the same result. To follow a run as it goes (a progress
/// bar), build a [`World`] and call [`World::run_until`] in slices instead; the result is the
/// same.
///
/// ```
/// let loaded = fleetsim::scenario::load_str(
///     r#"Scenario(
///         name: "doc",
///         duration: "2m",
///         endpoint: RealTime(variants: [Variant(
///             name: "blue",
///             instance_type: "ml.c5.xlarge",
///             initial_instance_count: 2,
///             concurrency: 2,
///             model: Model(service_time: LogNormal(median: "40ms", p99: "120ms")),
///         )]),
///         workload: Open(rate: Constant(20.0)),
///     )"#,
///     "doc.ron",
///     std::path::Path::new("."),
///     &[],
///     None,
/// )
/// .unwrap();
/// let result = fleetsim::sim::run(loaded.config);
/// assert!(result.totals.arrived > 0);
/// let summary = fleetsim::report::summary(&result);
/// assert!(summary.latency_ms.p99.unwrap() > 0.0);
/// ```
pub fn run(config: SimConfig) -> RunResult {
    World::new(config).run()
}
