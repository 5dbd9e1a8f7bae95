//! Parameter sweeps: a base scenario, axes of overrides and replications per point, run in
//! parallel, aggregated into `sweep.csv`, `runs.csv` and `sweep.json`.
//!
//! Flow: [`plan::design`] parses the sweep text ([`file`](mod@file)) and expands its [`design`]
//! into points; [`plan::build`] validates every point's scenario against the base scenario the
//! CLI read; [`run::run`] runs points x replications on a rayon pool; [`render`] aggregates
//! ([`table`]) and renders the files. [`merge`] combines shards; [`array_job`] finds the shard
//! of `--shard auto` in a map of environment variables. No file or environment variable is read
//! and no file is written here: the CLI reads the sweep and base scenario files and the
//! environment, and writes the returned bytes.

pub mod array_job;
pub mod design;
pub mod error;
/// Arithmetic of derived axes, shared with scenario expectations.
pub use crate::scenario::expr;
pub mod file;
mod load;
pub mod merge;
pub mod metrics;
pub mod objective;
pub mod per_minute;
pub mod plan;
mod range;
pub mod run;
pub mod shard;
pub mod stats;
pub mod table;
pub mod value;

pub use design::{AxisValue, Design, Point};
pub use error::SweepError;
pub use load::{read_base_and_plan, read_sweep_plan};
pub use plan::Plan;
pub use run::RunRecord;
pub use shard::Shard;
pub use table::Table;

/// Aggregated results and the files of a sweep folder (`sweep.csv`, `runs.csv`,
/// `sweep.json`), in that order.
pub struct Rendered {
    pub table: Table,
    pub files: Vec<(String, Vec<u8>)>,
}

/// Aggregates `records` (sorted by point, then replication) and renders the sweep files.
pub fn render(
    design: &Design,
    sweep_text: &str,
    records: &[RunRecord],
    metrics: &[String],
    shard: Option<Shard>,
) -> Rendered {
    let table = table::aggregate(design, records, metrics);
    let files = vec![
        ("sweep.csv".to_string(), table::sweep_csv(design, &table)),
        ("runs.csv".to_string(), table::runs_csv(design, records, metrics)),
        (
            "sweep.json".to_string(),
            table::sweep_json(design, sweep_text, &table, shard),
        ),
    ];
    Rendered { table, files }
}

/// The metric columns of a sweep: the known metrics plus anything the runs reported.
pub fn metric_names(plan: &Plan, records: &[RunRecord]) -> Vec<String> {
    let known: metrics::Metrics = plan.known_metrics.iter().map(|m| (m.clone(), None)).collect();
    metrics::union(std::iter::once(&known).chain(records.iter().map(|r| &r.metrics)))
}
