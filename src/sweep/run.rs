//! Runs a plan's points x replications in parallel. The only parallel code in fleetsim.
//!
//! Runs become a `Vec` of plain specs in (point, replication) order; a rayon pool of the
//! requested size maps them and `collect` keeps that order, so the results (and every output
//! byte) are the same whatever the thread count. Seeds come from the replication index, never
//! from the thread. Each run is single-threaded.

use super::error::SweepError;
use super::metrics::{self, Metrics};
use super::plan::Plan;
use super::shard::Shard;
use crate::report::{self, ManifestInput, OutputFile};
use rayon::prelude::*;

/// One finished run's metrics.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    pub point: usize,
    pub replication: u32,
    pub seed: u64,
    pub metrics: Metrics,
}

/// A finished run: its record and, with `keep_runs`, the files of `fleetsim run`.
pub struct RunOutput {
    pub record: RunRecord,
    pub files: Vec<OutputFile>,
}

/// The (point, replication) pairs a shard runs, in order. All replications of a point stay in
/// the same shard.
pub fn shard_runs(plan: &Plan, shard: Option<Shard>) -> Vec<(usize, u32)> {
    plan.points
        .iter()
        .filter(|p| shard.is_none_or(|s| s.contains(p.point)))
        .flat_map(|p| (0..plan.design.replications).map(move |r| (p.point, r)))
        .collect()
}

/// Runs the shard's runs ([`shard_runs`]) on `threads` threads (`None`: one per core). `on_done(point)` is called
/// after each run, from the worker thread, for progress reporting.
pub fn run(
    plan: &Plan,
    shard: Option<Shard>,
    threads: Option<usize>,
    keep_runs: bool,
    on_done: &(dyn Fn(usize) + Sync),
) -> Result<Vec<RunOutput>, SweepError> {
    let specs = shard_runs(plan, shard);
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n);
    }
    let pool = builder.build().map_err(|e| SweepError::Invalid {
        file: plan.sweep_file.clone(),
        field: "--threads".into(),
        message: format!("cannot start the thread pool: {e}"),
    })?;
    let outputs = pool.install(|| {
        specs
            .par_iter()
            .map(|&(point, replication)| {
                let out = run_one(plan, point, replication, keep_runs);
                on_done(point);
                out
            })
            .collect()
    });
    Ok(outputs)
}

fn run_one(plan: &Plan, point: usize, replication: u32, keep_runs: bool) -> RunOutput {
    let pc = &plan.points[point];
    let seed = plan.seed(replication);
    let mut config = pc.config.clone();
    config.seed = seed;
    let result = crate::sim::run(config);
    let summary = report::summary(&result);
    let mut metrics = metrics::from_summary(&summary);
    let constraints = &plan.design.constraints;
    if constraints.iter().any(|c| c.per_minute.is_some()) {
        let csv = report::timeseries_csv(&result);
        metrics.extend(super::per_minute::metrics(&csv, constraints));
    }
    let files = if keep_runs {
        let mut scenario = pc.scenario.clone();
        scenario.seed = seed;
        let manifest = ManifestInput {
            scenario_file: plan.scenario_file.clone(),
            scenario_text: plan.scenario_text.clone(),
            overrides: pc.overrides.clone(),
            resolved: serde_json::to_value(&scenario).expect("scenario serializes"),
        };
        report::render_run(&result, &manifest)
    } else {
        Vec::new()
    };
    RunOutput {
        record: RunRecord {
            point,
            replication,
            seed,
            metrics,
        },
        files,
    }
}
