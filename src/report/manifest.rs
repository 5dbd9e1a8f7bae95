//! `manifest.json`: what is needed to reproduce a run: the scenario text, the overrides, the
//! resolved scenario, the seed and the fleetsim version.

use crate::sim::RunResult;
use serde::Serialize;

/// What the manifest records beyond the result.
pub struct ManifestInput {
    pub scenario_file: String,
    pub scenario_text: String,
    pub overrides: Vec<String>,
    /// The scenario after overrides, as JSON.
    pub resolved: serde_json::Value,
}

#[derive(Serialize)]
struct Manifest<'a> {
    fleetsim_version: &'static str,
    scenario: &'a str,
    seed: u64,
    scenario_file: &'a str,
    overrides: &'a [String],
    scenario_text: &'a str,
    resolved_scenario: &'a serde_json::Value,
    files: [&'static str; 4],
}

pub fn manifest_json(m: &ManifestInput, r: &RunResult) -> Vec<u8> {
    let manifest = Manifest {
        fleetsim_version: env!("CARGO_PKG_VERSION"),
        scenario: &r.name,
        seed: r.seed,
        scenario_file: &m.scenario_file,
        overrides: &m.overrides,
        scenario_text: &m.scenario_text,
        resolved_scenario: &m.resolved,
        files: ["manifest.json", "summary.json", "timeseries.csv", "activities.csv"],
    };
    serde_json::to_vec_pretty(&manifest).expect("manifest serializes")
}
