//! `fleetsim run` and `fleetsim validate`.

use super::output::{check_dir, write_dir};
use super::progress::run_with_progress;
use crate::report::{self, ManifestInput};
use crate::scenario;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Loads a scenario; `expectations`: with its expectations checked (for `validate` and
/// `run --check`), else without them (a plain run does not judge them).
fn load(path: &Path, set: &[String], seed: Option<u64>, expectations: bool) -> anyhow::Result<scenario::Loaded> {
    let loaded = if expectations {
        scenario::load(path, set, seed)?
    } else {
        scenario::load_for_run(path, set, seed)?
    };
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    Ok(loaded)
}

/// The names the scenario's expectations read exist in its runs (checked on a one-period run).
fn names_known(loaded: &scenario::Loaded) -> anyhow::Result<()> {
    let unknown = crate::check::unknown_names(&loaded.config, &loaded.expect);
    if !unknown.is_empty() {
        anyhow::bail!(
            "{}: invalid expectation(s):\n  - {}",
            loaded.file,
            unknown.join("\n  - ")
        );
    }
    Ok(())
}

/// Whether the file at `path` is a sweep file rather than a scenario: it is not a scenario,
/// and its text parses as a sweep.
pub(super) fn is_sweep_file(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let file = path.display().to_string();
    scenario::parse(&text, &file).is_err() && crate::sweep::plan::design(&text, &file).is_ok()
}

/// `fleetsim validate` of a sweep file: the sweep and every point's scenario, without running.
fn validate_sweep(path: &Path, set: &[String], quiet: bool) -> anyhow::Result<()> {
    let plan = crate::sweep::read_sweep_plan(path, set)?;
    for w in &plan.warnings {
        eprintln!("warning: {w}");
    }
    if quiet {
        return Ok(());
    }
    let reps = plan.design.replications as usize;
    println!(
        "{}: valid sweep ({} point(s) x {reps} replication(s) = {} runs of {})",
        plan.sweep_file,
        plan.points.len(),
        plan.points.len() * reps,
        plan.scenario_file
    );
    Ok(())
}

pub fn validate(path: &Path, set: &[String], quiet: bool) -> anyhow::Result<()> {
    if is_sweep_file(path) {
        return validate_sweep(path, set, quiet);
    }
    let loaded = load(path, set, None, true)?;
    names_known(&loaded)?;
    if quiet {
        return Ok(());
    }
    println!(
        "{}: valid ({} variant(s), {} simulated, about {} requests{})",
        loaded.file,
        loaded.config.endpoint.variants.len(),
        loaded.config.duration,
        super::progress::about(loaded.config.workload.expected_requests(loaded.config.duration)),
        match loaded.expect.len() {
            0 => String::new(),
            n => format!(
                ", {n} expectation(s) over {} run(s)",
                crate::check::runs_needed(&loaded.expect)
            ),
        }
    );
    Ok(())
}

/// Switches of `fleetsim run`.
pub struct Options {
    pub quiet: bool,
    /// One JSON document on stdout instead of the terminal summary ([`json_document`]).
    pub json: bool,
    pub plots: bool,
    pub force: bool,
    /// Judge the scenario's expectations on the run; a failure is exit code 1.
    pub check: bool,
}

pub fn run(path: &Path, seed: Option<u64>, out: Option<PathBuf>, set: &[String], opts: Options) -> anyhow::Result<()> {
    let Options {
        quiet,
        json,
        plots,
        force,
        check,
    } = opts;
    let loaded = load(path, set, seed, check)?;
    if check && loaded.expect.is_empty() {
        anyhow::bail!(
            "{}: --check: the scenario has no expectations (`expect: [...]`)",
            loaded.file
        );
    }
    let dir = out.unwrap_or_else(|| Path::new("outputs").join(&loaded.config.name));
    // Refuse an output path that would be refused anyway before simulating.
    check_dir(&dir, force)?;
    let started = Instant::now();
    // The bar and notes go to stderr, so they stay with --json.
    let result = run_with_progress(loaded.config.clone(), quiet);
    let wall = started.elapsed().as_secs_f64();
    let manifest = ManifestInput {
        scenario_file: loaded.file.clone(),
        scenario_text: loaded.text.clone(),
        overrides: loaded.overrides.clone(),
        resolved: serde_json::to_value(&loaded.scenario)?,
    };
    // Judged before anything is written: an expectation naming a value the run does not have
    // is invalid input, and leaves no output folder behind.
    let verdicts = if check {
        let judged = crate::check::judge_run(&crate::check::RunData::new(&result), &loaded.expect, 0)
            .map_err(|e| anyhow::anyhow!("{}: invalid expectation: {e}", loaded.file))?;
        Some(vec![crate::check::report::ScenarioVerdicts {
            file: loaded.file.clone(),
            scenario: loaded.config.name.clone(),
            seed: loaded.config.seed,
            expectations: crate::check::verdicts(&loaded.expect, loaded.config.seed, &[judged]),
        }])
    } else {
        None
    };
    let mut files = report::render_run(&result, &manifest);
    if plots {
        // Plots are drawn from the rendered files, exactly as `fleetsim plot` draws them later.
        let drawn = report::plot::render_run_outputs(&files).context("cannot draw the run's plots")?;
        files.extend(drawn);
    }
    write_dir(&dir, &files, force)?;
    if json {
        let summary = files
            .iter()
            .find(|f| f.name == "summary.json")
            .map(|f| f.bytes.as_slice())
            .context("the run rendered no summary.json")?;
        println!("{}", json_document(&dir, summary, verdicts.as_deref())?);
        return match verdicts {
            Some(v) => super::check::outcome(&v),
            None => Ok(()),
        };
    }
    if !quiet {
        print!("{}", report::terminal_summary(&report::summary(&result)));
        // Wall-clock figures go to the terminal only, never into output files.
        println!(
            "wrote     {}/  ({} events in {:.2} s, {} simulated)",
            dir.display(),
            result.events,
            wall,
            super::progress::rate(result.totals.arrived as f64 / wall.max(1e-9), "req/s")
        );
    }
    match verdicts {
        Some(v) => {
            // The verdicts print even with --quiet: they are what --check was asked for.
            print!("{}", crate::check::report::text(&v));
            super::check::outcome(&v)
        }
        None => Ok(()),
    }
}

/// `run --json`: `{"output_dir", "summary", "check"}`, where `summary` is the run's
/// summary.json as written (same keys, same order) and `check` (with `--check` only) the
/// document `check --json` prints.
fn json_document(
    dir: &Path,
    summary: &[u8],
    verdicts: Option<&[crate::check::report::ScenarioVerdicts]>,
) -> anyhow::Result<String> {
    let out_dir = serde_json::to_vec(&dir.display().to_string())?;
    let mut fields: Vec<(&str, &[u8])> = vec![("output_dir", &out_dir), ("summary", summary)];
    let check = verdicts.map(crate::check::report::json);
    if let Some(c) = &check {
        fields.push(("check", c));
    }
    super::json::object(&fields)
}
