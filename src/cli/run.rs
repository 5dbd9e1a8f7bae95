//! `fleetsim run` and `fleetsim validate`.

use super::output::{check_dir, write_dir};
use super::progress::run_with_progress;
use crate::report::{self, ManifestInput};
use crate::scenario;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn load(path: &Path, set: &[String], seed: Option<u64>) -> anyhow::Result<scenario::Loaded> {
    let loaded = scenario::load(path, set, seed)?;
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    Ok(loaded)
}

pub fn validate(path: &Path, set: &[String]) -> anyhow::Result<()> {
    let loaded = load(path, set, None)?;
    println!(
        "{}: valid ({} variant(s), {} simulated, about {} requests)",
        loaded.file,
        loaded.config.endpoint.variants.len(),
        loaded.config.duration,
        super::progress::about(loaded.config.workload.expected_requests(loaded.config.duration))
    );
    Ok(())
}

pub fn run(
    path: &Path,
    seed: Option<u64>,
    out: Option<PathBuf>,
    set: &[String],
    quiet: bool,
    plots: bool,
    force: bool,
) -> anyhow::Result<()> {
    let loaded = load(path, set, seed)?;
    let dir = out.unwrap_or_else(|| Path::new("outputs").join(&loaded.config.name));
    // Refuse an output path that would be refused anyway before simulating.
    check_dir(&dir, force)?;
    let started = Instant::now();
    let result = run_with_progress(loaded.config.clone(), quiet);
    let wall = started.elapsed().as_secs_f64();
    let manifest = ManifestInput {
        scenario_file: loaded.file.clone(),
        scenario_text: loaded.text.clone(),
        overrides: loaded.overrides.clone(),
        resolved: serde_json::to_value(&loaded.scenario)?,
    };
    let mut files = report::render_run(&result, &manifest);
    if plots {
        // Plots are drawn from the rendered files, exactly as `fleetsim plot` draws them later.
        let drawn = report::plot::render_run_outputs(&files).context("cannot draw the run's plots")?;
        files.extend(drawn);
    }
    write_dir(&dir, &files, force)?;
    if !quiet {
        print!("{}", report::terminal_summary(&report::summary(&result)));
        // Wall-clock figures go to the terminal only, never into output files.
        println!(
            "wrote     {}/  ({} events in {:.2} s, {:.1} M simulated requests/s)",
            dir.display(),
            result.events,
            wall,
            result.totals.arrived as f64 / wall.max(1e-9) / 1e6
        );
    }
    Ok(())
}
