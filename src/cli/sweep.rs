//! `fleetsim sweep`: runs a sweep file in parallel and writes `outputs/<sweep-name>/` (or
//! `--out`), with a progress bar on a terminal and the best point and Pareto front printed.

use super::output::{check_dir, write_tree};
use crate::sweep::{self, Shard};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Options of `fleetsim sweep`.
#[derive(clap::Args, Debug)]
pub struct Options {
    /// Worker threads, 1 to 256 (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Output folder (default: outputs/<sweep-name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write every run's files under runs/p<point>-r<replication>/.
    #[arg(long)]
    pub keep_runs: bool,
    /// Run only the points whose index modulo COUNT is INDEX (for array jobs). `auto` takes
    /// INDEX and COUNT from the environment: FLEETSIM_SHARD_INDEX and FLEETSIM_SHARD_COUNT if
    /// set, else a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with FLEETSIM_SHARD_COUNT), an
    /// AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX, AWS_BATCH_JOB_ARRAY_SIZE) or a Slurm job
    /// array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN, and
    /// SLURM_ARRAY_TASK_MAX and SLURM_ARRAY_TASK_STEP when set).
    #[arg(long, value_name = "INDEX/COUNT|auto")]
    pub shard: Option<String>,
    /// Override a field of the base scenario(s) after the sweep file's `set`: `PATH=VALUE`,
    /// repeatable (e.g. `--set duration=4h`). Recorded in sweep.json; a path an axis varies is
    /// refused.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// `--quiet`, the global flag (set after parsing).
    #[arg(skip)]
    pub quiet: bool,
    /// Print one JSON document on standard output instead of the report: the output folder,
    /// the sweep's sweep.json and its points (the rows of sweep.csv, exact). Progress and
    /// notes go to standard error.
    #[arg(long)]
    pub json: bool,
    /// Exit with code 1 when no point meets the sweep's constraints (the outputs are written
    /// first).
    #[arg(long)]
    pub require_feasible: bool,
    /// Do not draw the sweep plots (heat map, metric against an axis, Pareto front).
    #[arg(long)]
    pub no_plots: bool,
    /// Replace the output folder even if it holds files fleetsim did not write (never a file,
    /// device or link).
    #[arg(long)]
    pub force: bool,
}

/// Most worker threads `--threads` takes: each holds a run in memory, and a pool far beyond
/// the cores only adds memory and switching.
pub const MAX_THREADS: usize = 256;

/// `--threads N`: a whole number from 1 to [`MAX_THREADS`].
pub(super) fn parse_threads(text: &str) -> Result<usize, String> {
    let expected = format!("expected a whole number of threads from 1 to {MAX_THREADS}");
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(expected),
    }
}

/// The variables `--shard auto` reads, from the process environment (a value that is not
/// UTF-8 is kept lossily, and refused as not a whole number).
fn array_job_env() -> BTreeMap<String, String> {
    sweep::array_job::VARIABLES
        .iter()
        .filter_map(|&name| std::env::var_os(name).map(|v| (name.to_string(), v.to_string_lossy().into_owned())))
        .collect()
}

pub fn sweep(path: &Path, opts: Options) -> anyhow::Result<()> {
    // Parse --shard and validate every point before anything runs or is written.
    let found = match opts.shard.as_deref() {
        Some("auto") => Some(sweep::array_job::resolve(&array_job_env())?),
        _ => None,
    };
    let shard: Option<Shard> = match &found {
        Some(f) => Some(f.shard),
        None => opts.shard.as_deref().map(str::parse).transpose()?,
    };
    let plan = sweep::read_sweep_plan(path, &opts.set)?;
    for w in &plan.warnings {
        eprintln!("warning: {w}");
    }
    let dir = opts.out.unwrap_or_else(|| Path::new("outputs").join(&plan.design.name));
    // Refuse an output path that would be refused anyway before running anything.
    check_dir(&dir, opts.force)?;
    let selected = sweep::run::shard_runs(&plan, shard);
    let points_selected = selected.len() / plan.design.replications as usize;

    let bar = if !opts.quiet && std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(selected.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    let style = ProgressStyle::with_template(
        "{spinner} [{bar:30}] {pos}/{len} runs, {msg} points, {rate}, {elapsed} elapsed, ~{eta} left",
    )
    .expect("static template")
    .progress_chars("=> ");
    bar.set_style(super::progress::with_rate(style, "runs/s", |s| s.per_sec()));
    let per_point: Vec<AtomicUsize> = (0..plan.points.len()).map(|_| AtomicUsize::new(0)).collect();
    let points_done = AtomicUsize::new(0);
    bar.set_message(format!("0/{points_selected}"));
    let reps = plan.design.replications as usize;
    let on_done = |point: usize| {
        if per_point[point].fetch_add(1, Ordering::Relaxed) + 1 == reps {
            let done = points_done.fetch_add(1, Ordering::Relaxed) + 1;
            bar.set_message(format!("{done}/{points_selected}"));
        }
        bar.inc(1);
    };
    if let (Some(found), false) = (&found, opts.quiet) {
        // On stderr under --json: stdout holds the document alone.
        if opts.json {
            eprintln!("shard     {found}");
        } else {
            println!("shard     {found}");
        }
    }
    let started = Instant::now();
    // The bar's clock starts with the runs, not when it was built.
    bar.reset_elapsed();
    let outputs = sweep::run::run(&plan, shard, opts.threads, opts.keep_runs, &on_done)?;
    let wall = started.elapsed().as_secs_f64();
    bar.finish_and_clear();

    let records: Vec<_> = outputs.iter().map(|o| o.record.clone()).collect();
    let metrics = sweep::metric_names(&plan, &records);
    let rendered = sweep::render(&plan.design, &plan.sweep_text, &records, &metrics, shard);
    let plots = if opts.no_plots {
        Vec::new()
    } else {
        super::plot::sweep_plots(&rendered.files)
    };
    let mut files: Vec<(String, &[u8])> = rendered.files.iter().map(|(n, b)| (n.clone(), b.as_slice())).collect();
    files.extend(plots.iter().map(|p| (p.name.to_string(), p.bytes.as_slice())));
    for o in &outputs {
        for f in &o.files {
            files.push((
                format!("runs/p{}-r{}/{}", o.record.point, o.record.replication, f.name),
                f.bytes.as_slice(),
            ));
        }
    }
    write_tree(&dir, &files, opts.force)?;
    if opts.json {
        let sweep_json = rendered
            .files
            .iter()
            .find(|(n, _)| n == "sweep.json")
            .map(|(_, b)| b.as_slice())
            .unwrap_or(b"null");
        let out_dir = serde_json::to_vec(&dir.display().to_string())?;
        let points = sweep::table::points_json(&plan.design, &rendered.table);
        println!(
            "{}",
            super::json::object(&[("output_dir", &out_dir), ("sweep", sweep_json), ("points", &points)])?
        );
    } else if !opts.quiet {
        print!("{}", sweep::table::terminal_report(&plan.design, &rendered.table));
        // Wall-clock figures go to the terminal only, never into output files.
        println!(
            "wrote     {}/  ({} points x {} replications{} in {:.2} s, {})",
            dir.display(),
            points_selected,
            reps,
            shard.map(|s| format!(", shard {s}")).unwrap_or_default(),
            wall,
            super::progress::rate(records.len() as f64 / wall.max(1e-9), "runs/s")
        );
    }
    if opts.require_feasible {
        let rows = &rendered.table.rows;
        let feasible = rows.iter().filter(|r| r.feasible != Some(false)).count();
        if feasible == 0 {
            return Err(super::check::ChecksFailed(format!(
                "no point of {} meets the sweep's constraints (--require-feasible)",
                rows.len()
            ))
            .into());
        }
    }
    Ok(())
}
