//! A capacity planner's what-if in code: one scenario (RON text, as in a scenario file), three
//! instance counts applied as `--set`-style overrides, each run and compared on p99 latency,
//! rejections and cost.
//!
//! `cargo run --release --example what_if`

use std::path::Path;

const SCENARIO: &str = r#"Scenario(
    name: "what-if",
    seed: 3,
    duration: "30m",
    endpoint: RealTime(
        variants: [Variant(
            name: "blue",
            instance_type: "ml.c5.xlarge",
            initial_instance_count: 2,
            concurrency: 4,
            model: Model(service_time: LogNormal(median: "40ms", p99: "120ms")),
        )],
        backlog: Backlog(capacity: 200, timeout: "5s"),
    ),
    workload: Open(rate: Constant(150.0)),
)"#;

fn main() -> Result<(), fleetsim::scenario::ScenarioError> {
    println!("instances  p99 [ms]  rejected  cost [USD]");
    for n in [1, 2, 3] {
        let set = vec![format!("endpoint.variants[0].initial_instance_count={n}")];
        // Parse, apply the overrides, validate: the same path `fleetsim run --set` takes.
        // Data files (traces, samples) would be read relative to `Path::new(".")`.
        let loaded = fleetsim::scenario::load_str(SCENARIO, "what-if.ron", Path::new("."), &set, None)?;
        let result = fleetsim::sim::run(loaded.config);
        let s = fleetsim::report::summary(&result);
        println!(
            "{n:>9}  {:>8.1}  {:>8}  {:>10.3}",
            s.latency_ms.p99.unwrap_or(f64::NAN),
            s.requests.rejected,
            s.cost_usd.unwrap_or(f64::NAN)
        );
    }
    Ok(())
}
