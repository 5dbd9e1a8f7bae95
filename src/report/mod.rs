//! Reports: `summary.json`, `timeseries.csv`, `activities.csv`, `manifest.json` and the
//! terminal summary, built from a `RunResult` alone. Rendering returns bytes; writing them to
//! disk is the CLI's job.

mod activities;
mod format;
mod manifest;
pub mod plot;
mod summary;
mod terminal;
mod timeseries;

pub use activities::activities_csv;
pub use manifest::{manifest_json, ManifestInput};
pub use summary::{summary, Summary};
pub use terminal::terminal_summary;
pub use timeseries::timeseries_csv;

/// One output file: its name inside the run folder and its contents.
pub struct OutputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Every file of a run folder, in a fixed order.
pub fn render_run(result: &crate::sim::RunResult, manifest: &ManifestInput) -> Vec<OutputFile> {
    let s = summary(result);
    vec![
        OutputFile {
            name: "manifest.json".into(),
            bytes: manifest_json(manifest, result),
        },
        OutputFile {
            name: "summary.json".into(),
            bytes: serde_json::to_vec_pretty(&s).expect("summary serializes"),
        },
        OutputFile {
            name: "timeseries.csv".into(),
            bytes: timeseries_csv(result),
        },
        OutputFile {
            name: "activities.csv".into(),
            bytes: activities_csv(result),
        },
    ]
}
