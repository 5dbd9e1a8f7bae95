//! `fleetsim check PATH...`: runs every scenario with expectations under the given files and
//! folders (scenarios and seeds in parallel, reported in a fixed order) and judges them.
//!
//! Exit codes (the same for `run --check` and `sweep --require-feasible`): 0 when every
//! expectation passes, 1 when one fails ([`ChecksFailed`]), 2 for invalid input.

use super::output::{check_file, write_file, FileRule};
use crate::check::report::{self, ScenarioVerdicts};
use crate::check::{self, Judged};
use crate::scenario::{self, Loaded};
use rayon::prelude::*;
use std::fmt;
use std::path::{Path, PathBuf};

/// Scenario files a folder search visits at most, and how deep it goes: a path given by
/// mistake (`/`) must end with a clear message, not a walk of the whole disk.
const MAX_FILES: usize = 10_000;
const MAX_DEPTH: usize = 16;

/// Some expectation failed: exit code 1. The report has already been printed.
#[derive(Debug)]
pub struct ChecksFailed(pub String);

impl fmt::Display for ChecksFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChecksFailed {}

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A line per expectation and a count, for people.
    Text,
    /// One JSON document with every verdict, for programs.
    Json,
}

/// Options of `fleetsim check`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Scenario files, and folders searched (with their subfolders) for scenarios (`*.ron`)
    /// that have expectations.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Also write the verdicts as JUnit XML to this file (one testsuite per scenario, one
    /// testcase per expectation).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Report format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print the report as one JSON document (the same as --format json): every verdict and
    /// the counts. Notes and warnings go to standard error.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Worker threads, 1 to 256 (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = super::sweep::parse_threads)]
    pub threads: Option<usize>,
    /// Replace the JUnit file even if fleetsim did not write it (never a folder or link).
    #[arg(long)]
    pub force: bool,
}

/// A JUnit file is ours if it is the report `check` writes.
const JUNIT_FILE: FileRule = FileRule {
    what: "a JUnit report",
    elsewhere: "another --junit path, or move the file away",
    is_ours: |bytes| {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
        head.starts_with("<?xml") && head.contains("<testsuites name=\"fleetsim check\"")
    },
};

/// `quiet`: no notes, and the text report only when an expectation fails.
pub fn check(args: CheckArgs, quiet: bool) -> anyhow::Result<()> {
    let format = if args.json { Format::Json } else { args.format };
    if let Some(j) = &args.junit {
        check_file(j, &JUNIT_FILE, args.force)?;
    }
    let files = find(&args.paths)?;
    let mut loaded = Vec::new();
    for (path, named) in &files {
        match scenario::load(path, &[], None) {
            Ok(l) if !l.expect.is_empty() => {
                for w in &l.warnings {
                    eprintln!("warning: {w}");
                }
                loaded.push(l);
            }
            Ok(_) if *named && quiet => {}
            Ok(l) if *named => eprintln!("note: {} has no expectations (`expect: [...]`)", l.file),
            Ok(_) => {}
            // In a folder, a file that is not a scenario but a sweep is not ours to check.
            Err(_) if !named && super::run::is_sweep_file(path) => {}
            Err(e) => return Err(e.into()),
        }
    }
    if loaded.is_empty() {
        anyhow::bail!(
            "no scenario with expectations under {}",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    // Names first, on a one-period run of each scenario: a typo fails in seconds, not after
    // every seed of every scenario has run.
    let unknown: Vec<String> = loaded
        .par_iter()
        .flat_map(|l| {
            check::unknown_names(&l.config, &l.expect)
                .into_iter()
                .map(|m| format!("{}: {m}", l.file))
                .collect::<Vec<_>>()
        })
        .collect();
    if !unknown.is_empty() {
        anyhow::bail!("invalid expectation(s):\n  - {}", unknown.join("\n  - "));
    }
    let verdicts = judge_all(&loaded, args.threads)?;
    let failed = report::counts(&verdicts).1 > 0;
    match format {
        Format::Text if quiet && !failed => {}
        Format::Text => print!("{}", report::text(&verdicts)),
        Format::Json => print!("{}", String::from_utf8_lossy(&report::json(&verdicts))),
    }
    if let Some(j) = &args.junit {
        write_file(j, &check::junit::junit(&verdicts), &JUNIT_FILE, args.force)?;
    }
    outcome(&verdicts)
}

/// `Err(ChecksFailed)` when some expectation failed.
pub fn outcome(verdicts: &[ScenarioVerdicts]) -> anyhow::Result<()> {
    let (total, failed) = report::counts(verdicts);
    if failed > 0 {
        return Err(ChecksFailed(format!("{failed} of {total} expectation(s) failed")).into());
    }
    Ok(())
}

/// Runs every scenario's seeds in parallel and judges them; an expectation that reads a
/// value or column its run does not have is invalid input.
pub fn judge_all(loaded: &[Loaded], threads: Option<usize>) -> anyhow::Result<Vec<ScenarioVerdicts>> {
    let jobs: Vec<(usize, u32)> = loaded
        .iter()
        .enumerate()
        .flat_map(|(i, l)| (0..check::runs_needed(&l.expect)).map(move |r| (i, r)))
        .collect();
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n);
    }
    let pool = builder.build()?;
    let judged: Vec<Result<Vec<Option<Judged>>, String>> = pool.install(|| {
        jobs.par_iter()
            .map(|&(i, r)| check::judge_seed(&loaded[i].config, &loaded[i].expect, r))
            .collect()
    });
    let mut per: Vec<Vec<Vec<Option<Judged>>>> = vec![Vec::new(); loaded.len()];
    let mut invalid = Vec::new();
    for (&(i, _), j) in jobs.iter().zip(judged) {
        match j {
            Ok(js) => per[i].push(js),
            Err(e) => {
                let msg = format!("{}: {e}", loaded[i].file);
                if !invalid.contains(&msg) {
                    invalid.push(msg);
                }
            }
        }
    }
    if !invalid.is_empty() {
        anyhow::bail!("invalid expectation(s):\n  - {}", invalid.join("\n  - "));
    }
    Ok(loaded
        .iter()
        .zip(per)
        .map(|(l, runs)| ScenarioVerdicts {
            file: l.file.clone(),
            scenario: l.config.name.clone(),
            seed: l.config.seed,
            expectations: check::verdicts(&l.expect, l.config.seed, &runs),
        })
        .collect())
}

/// The scenario files to look at, in a fixed order: each file given (`true`: named by the
/// user), then each folder's `*.ron` files, sorted by path.
fn find(paths: &[PathBuf]) -> anyhow::Result<Vec<(PathBuf, bool)>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", p.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(p, 0, &mut found)?;
            found.sort();
            out.extend(found.into_iter().map(|f| (f, false)));
        } else {
            out.push((p.clone(), true));
        }
        if out.len() > MAX_FILES {
            anyhow::bail!("more than {MAX_FILES} scenario files under the given paths; name fewer folders");
        }
    }
    Ok(out)
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if depth > MAX_DEPTH {
        anyhow::bail!("{}: folders nested more than {MAX_DEPTH} deep", dir.display());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", dir.display()))?;
        let path = entry.path();
        // Links are not followed: a folder search stays inside the folder.
        let ft = entry.file_type()?;
        if ft.is_dir() {
            walk(&path, depth + 1, out)?;
        } else if ft.is_file() && path.extension().is_some_and(|x| x == "ron") {
            out.push(path);
        }
        if out.len() > MAX_FILES {
            anyhow::bail!(
                "more than {MAX_FILES} scenario files under {}; name fewer folders",
                dir.display()
            );
        }
    }
    Ok(())
}
