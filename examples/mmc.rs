//! An M/M/c queue built in code, without any file: a `SimConfig` literal, one run, and the
//! result read back and set against Erlang C, the textbook answer for the same queue.
//!
//! `cargo run --release --example mmc`

use fleetsim::engine::SimDuration;
use fleetsim::model::metrics::MetricsConfig;
use fleetsim::model::workload::{ArrivalProcess, RateShape, Workload};
use fleetsim::model::{catalog, DurationDist, ModelVersion, Routing};
use fleetsim::sim::{EndpointConfig, EndpointKind, LaunchConfig, SimConfig, StartState, VariantConfig};

/// Arrival rate [requests/s], mean service time [s], instances and worker slots per instance.
const RPS: f64 = 90.0;
const SERVICE_S: f64 = 0.04;
const INSTANCES: u32 = 2;
const CONCURRENCY: u32 = 2;

fn config() -> SimConfig {
    SimConfig {
        name: "mmc-in-code".into(),
        seed: 7,
        duration: SimDuration::from_secs(2 * 3600),
        endpoint: EndpointConfig {
            kind: EndpointKind::RealTime,
            processing_timeout: None,
            routing: Routing::LeastOutstandingRequests,
            variants: vec![VariantConfig {
                name: "blue".into(),
                instance: catalog::builtin("ml.c5.xlarge").expect("a built-in instance type"),
                initial_instance_count: INSTANCES,
                initial_weight: 1.0,
                concurrency: CONCURRENCY,
                model: ModelVersion {
                    label: "v1".into(),
                    service_time: DurationDist::Exponential {
                        mean: SimDuration::from_secs_f64(SERVICE_S),
                    },
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
            // No practical limit on the queue nor on the wait: a textbook M/M/c queue.
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
            rate: RateShape::Constant(RPS),
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

/// Erlang C: the probability that an arrival waits, and the mean wait [s], for `c` servers at
/// offered load `a = rate x service time`.
fn erlang_c(c: u32, a: f64, service_s: f64) -> (f64, f64) {
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..c {
        term *= a / f64::from(k);
        sum += term;
    }
    let last = term * a / f64::from(c) * f64::from(c) / (f64::from(c) - a);
    let p_wait = last / (sum + last);
    (p_wait, p_wait * service_s / (f64::from(c) - a))
}

fn main() {
    let result = fleetsim::sim::run(config());
    // The figures of summary.json, from the result alone.
    let summary = fleetsim::report::summary(&result);
    let (p_wait, mean_wait_s) = erlang_c(INSTANCES * CONCURRENCY, RPS * SERVICE_S, SERVICE_S);
    println!("{} requests in {} simulated", result.totals.arrived, result.duration);
    println!(
        "P(wait):     simulated {:.3}, Erlang C {p_wait:.3}",
        summary.wait_ms.p_wait.unwrap_or(f64::NAN)
    );
    println!(
        "mean wait:   simulated {:.2} ms, Erlang C {:.2} ms",
        summary.wait_ms.mean.unwrap_or(f64::NAN),
        mean_wait_s * 1e3
    );
    println!(
        "p99 latency: {:.1} ms; cost {:.2} USD",
        summary.latency_ms.p99.unwrap_or(f64::NAN),
        summary.cost_usd.unwrap_or(f64::NAN)
    );
}
