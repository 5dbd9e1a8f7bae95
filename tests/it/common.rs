//! Helpers shared by the integration tests: small configurations built in code.

use fleetsim::engine::{SimDuration, SimTime};
use fleetsim::model::metrics::MetricsConfig;
use fleetsim::model::workload::{ArrivalProcess, RateShape, Workload};
use fleetsim::model::{catalog, DurationDist, ModelVersion, Routing};
use fleetsim::sim::{EndpointConfig, EndpointKind, LaunchConfig, SimConfig, StartState, VariantConfig};

/// A warm single-variant endpoint of `instances` x `concurrency` slots, Poisson arrivals at
/// `rps`, service times from `service`, an unbounded backlog with no practical timeout.
pub fn mmc(rps: f64, service: DurationDist, instances: u32, concurrency: u32, secs: u64, seed: u64) -> SimConfig {
    SimConfig {
        name: "test".into(),
        seed,
        duration: SimDuration::from_secs(secs),
        endpoint: EndpointConfig {
            kind: EndpointKind::RealTime,
            processing_timeout: None,
            routing: Routing::LeastOutstandingRequests,
            variants: vec![VariantConfig {
                name: "blue".into(),
                instance: catalog::builtin("ml.c5.xlarge").unwrap(),
                initial_instance_count: instances,
                initial_weight: 1.0,
                concurrency,
                model: ModelVersion {
                    label: "v1".into(),
                    service_time: service,
                    error_rate: 0.0,
                    client_error_rate: 0.0,
                    overhead: SimDuration::ZERO,
                    load_slowdown: 0.0,
                },
                launch: LaunchConfig {
                    pending: DurationDist::Constant(SimDuration::ZERO),
                    provision: DurationDist::Constant(SimDuration::from_secs(120)),
                    load: DurationDist::Constant(SimDuration::from_secs(30)),
                },
            }],
            backlog_capacity: u64::MAX,
            invocation_timeout: SimDuration::from_secs(86_400 * 365),
            start: StartState::Warm,
            capacity_updates: vec![],
            config_name: "config-1".into(),
            serverless: None,
            components: None,
        },
        workload: Workload::Open {
            arrivals: ArrivalProcess::Poisson,
            rate: RateShape::Constant(rps),
        },
        metrics: MetricsConfig::default(),
        start_time: fleetsim::sim::default_start_time(),
        publication_delay: SimDuration::ZERO,
        alarms: vec![],
        targets: vec![],
        deployments: vec![],
        shadow: None,
        slo: None,
    }
}

/// Runs a configuration and checks that every arrival is accounted for: arrived = completed +
/// errors + timed out + rejected + throttled + in flight at the end.
pub fn run_checked(c: SimConfig) -> fleetsim::sim::RunResult {
    let r = fleetsim::sim::run(c);
    assert_eq!(r.totals.arrived, r.accounted() + r.in_flight_at_end, "conservation");
    r
}

/// `(time in s, cause, reason)` of the capacity changes among `acts`.
pub fn capacity_changes(acts: &[fleetsim::model::Activity]) -> Vec<(u64, String, String)> {
    acts.iter()
        .filter(|a| a.kind == fleetsim::model::ActivityKind::CapacityChange)
        .map(|a| (a.time.0 / 1_000_000, a.cause.clone(), a.reason.clone()))
        .collect()
}

/// The datapoint of `name` over the first minute `[0, 60 s)` as an alarm would read it.
pub fn first_minute(
    w: &fleetsim::sim::World,
    dim: fleetsim::sim::observe::Dimension,
    name: fleetsim::model::metrics::MetricName,
    stat: fleetsim::autoscaling::alarm::Statistic,
) -> Option<f64> {
    w.datapoint(dim, name, &stat, SimTime::from_secs(60), SimDuration::from_secs(60))
}

/// A tiny valid one-variant scenario named `t`: two simulated minutes run in milliseconds.
pub const TINY_SCENARIO: &str = r#"Scenario(
    name: "t",
    duration: "2m",
    endpoint: RealTime(
        variants: [Variant(
            name: "blue",
            instance_type: "ml.c5.xlarge",
            initial_instance_count: 2,
            concurrency: 2,
            model: Model(service_time: LogNormal(median: "40ms", p99: "120ms")),
        )],
    ),
    workload: Open(rate: Constant(20.0)),
)"#;
