//! `fleetsim plot DIR`: re-renders the plots of a saved run folder (it has `summary.json`) or
//! sweep folder (it has `sweep.csv`) from its output files, without simulating again. Only the
//! plot files are rewritten, each atomically (temporary file, then rename), and only over a
//! plot: a file of the user's bearing a plot's name is refused.

use super::output::{check_file, write_file, FileRule};
use crate::report::plot::{self, RunFiles, SweepPlotOptions};
use crate::report::OutputFile;
use anyhow::{bail, Context};
use std::fs;
use std::path::Path;

fn read(dir: &Path, name: &str) -> anyhow::Result<Vec<u8>> {
    let path = dir.join(name);
    fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))
}

/// The plot files of the folder `dir`, rendered from its saved outputs.
pub fn render(dir: &Path, options: &SweepPlotOptions) -> anyhow::Result<Vec<OutputFile>> {
    if !dir.is_dir() {
        bail!("{}: not a folder", dir.display());
    }
    let context = || format!("cannot plot {}", dir.display());
    if dir.join("summary.json").exists() {
        if !options.metrics.is_empty() || options.x.is_some() || options.y.is_some() {
            bail!(
                "{}: a run folder; --metric, --x and --y apply to sweep folders only",
                dir.display()
            );
        }
        let [ts, acts, summary, manifest] = plot::RUN_INPUTS.map(|n| read(dir, n));
        let (ts, acts, summary, manifest) = (ts?, acts?, summary?, manifest?);
        let files = RunFiles {
            timeseries_csv: &ts,
            activities_csv: &acts,
            summary_json: &summary,
            manifest_json: &manifest,
        };
        return plot::render_run(files).with_context(context);
    }
    if dir.join("sweep.csv").exists() {
        let csv = read(dir, "sweep.csv")?;
        let json = read(dir, "sweep.json")?;
        return plot::render_sweep(&csv, &json, options).with_context(context);
    }
    bail!(
        "{}: neither a run folder (no summary.json) nor a sweep folder (no sweep.csv)",
        dir.display()
    )
}

/// Renders and writes the plots of `dir`; returns how many files were written.
pub fn plot(dir: &Path, options: &SweepPlotOptions) -> anyhow::Result<usize> {
    let files = render(dir, options)?;
    // Every target is checked before the first is written, so a refusal leaves no mix of old
    // and new plots.
    for f in &files {
        check_file(&dir.join(&f.name), &PLOT_FILE, false)?;
    }
    for f in &files {
        write_atomic(&dir.join(&f.name), &f.bytes)?;
    }
    Ok(files.len())
}

/// A plot may replace a file only if that file is a plot too (a PNG or an SVG): a user's own
/// file that happens to bear a plot's name is never overwritten.
const PLOT_FILE: FileRule = FileRule {
    what: "a plot",
    elsewhere: "another folder, or move the file away",
    is_ours: |bytes| {
        let head = &bytes[..bytes.len().min(512)];
        head.starts_with(b"\x89PNG\r\n\x1a\n") || head.windows(4).any(|w| w == b"<svg")
    },
};

/// Writes one plot atomically: a temporary sibling, fsynced, renamed over the old plot.
fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_file(path, bytes, &PLOT_FILE, false)
}

/// The plots of a sweep folder about to be written (`files` holds its `sweep.csv` and
/// `sweep.json`), for `sweep` and `merge`. A sweep whose shape allows no plot (for example no
/// axis) still succeeds: the reason is printed as a warning and no plot is written.
pub fn sweep_plots(files: &[(String, Vec<u8>)]) -> Vec<OutputFile> {
    let get = |name: &str| files.iter().find(|(n, _)| n == name).map(|(_, b)| b.as_slice());
    let (Some(csv), Some(json)) = (get("sweep.csv"), get("sweep.json")) else {
        return Vec::new();
    };
    match crate::report::plot::render_sweep(csv, json, &SweepPlotOptions::default()) {
        Ok(plots) => plots,
        Err(e) => {
            eprintln!("warning: no sweep plots: {e}");
            Vec::new()
        }
    }
}
