//! What is at an output path: nothing, a folder (empty, a fleetsim output, or something else),
//! a file, a link or a special file; a run output is recognised by its `manifest.json`, a
//! sweep output by its `sweep.json`, each holding only what its writers write.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The data files of a run folder (`report::render_run`); `manifest.json` names them too.
pub(super) const RUN_DATA: [&str; 4] = ["manifest.json", "summary.json", "timeseries.csv", "activities.csv"];

/// The plots of a run folder (`report::plot::render_run`), each as `.png` and `.svg`.
pub(super) const RUN_PLOTS: [&str; 5] = ["capacity", "latency", "backlog", "cost", "traffic"];

/// The data files of a sweep folder (`sweep::render`).
pub(super) const SWEEP_DATA: [&str; 3] = ["sweep.csv", "runs.csv", "sweep.json"];

/// Plot names of a sweep folder (`report::plot::render_sweep`): `pareto`, or a prefix
/// followed by a metric name.
pub(super) const SWEEP_PLOT_PREFIXES: [&str; 2] = ["heatmap-", "lines-"];

/// Data files of a load test's folder (`fleetsim loadtest`).
pub(super) const LOADTEST_DATA: [&str; 4] = ["loadtest.json", "job.json", "steps.json", "minutes.csv"];

/// Plots of a load test's folder: one per test, `test-<n>`.
pub(super) const LOADTEST_PLOT_PREFIX: &str = "test-";

/// A sweep's `--keep-runs` folders: `runs/p<point>-r<replication>/`.
pub(super) const SWEEP_RUNS: &str = "runs";

/// The kind of fleetsim output a folder holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Run,
    Sweep,
    LoadTest,
}

/// What an existing folder holds.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Contents {
    Empty,
    Output(Kind),
    /// Entries (sorted) fleetsim would not have written; `kind` when the rest is an output.
    Foreign {
        kind: Option<Kind>,
        names: Vec<String>,
    },
}

/// What is at an output path.
#[derive(Debug)]
pub(super) enum Found {
    Absent,
    Folder(Contents),
    File,
    Link(PathBuf),
    /// A device, pipe or socket, named as in "a character device".
    Special(&'static str),
}

/// What is at `path`, with a folder's contents classified.
pub(super) fn probe(path: &Path) -> io::Result<Found> {
    match probe_shallow(path)? {
        Found::Folder(_) => Ok(Found::Folder(contents(path)?)),
        other => Ok(other),
    }
}

/// What is at `path`, without looking into a folder (its contents reported as empty).
pub(super) fn probe_shallow(path: &Path) -> io::Result<Found> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Absent),
        Err(e) => return Err(e),
    };
    let ft = meta.file_type();
    Ok(if ft.is_symlink() {
        Found::Link(fs::read_link(path).unwrap_or_default())
    } else if ft.is_dir() {
        Found::Folder(Contents::Empty)
    } else if ft.is_file() {
        Found::File
    } else {
        Found::Special(special_kind(&ft))
    })
}

#[cfg(unix)]
pub(super) fn special_kind(ft: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_char_device() {
        "a character device"
    } else if ft.is_block_device() {
        "a block device"
    } else if ft.is_fifo() {
        "a named pipe"
    } else if ft.is_socket() {
        "a socket"
    } else {
        "neither a file nor a folder"
    }
}

#[cfg(not(unix))]
pub(super) fn special_kind(_: &fs::FileType) -> &'static str {
    "neither a file nor a folder"
}

/// The entries of a folder: names and types (links not followed).
pub(super) fn entries(dir: &Path) -> io::Result<Vec<(String, fs::FileType)>> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir)? {
        let e = e?;
        out.push((e.file_name().to_string_lossy().to_string(), e.file_type()?));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Classifies a folder's contents: a run output has a fleetsim `manifest.json`, a sweep output
/// a fleetsim `sweep.json`, and either holds only what its writers write.
pub(super) fn contents(dir: &Path) -> io::Result<Contents> {
    let list = entries(dir)?;
    if list.is_empty() {
        return Ok(Contents::Empty);
    }
    let kind = if is_fleetsim_json(
        &dir.join("manifest.json"),
        &["scenario", "seed", "resolved_scenario", "files"],
    ) {
        Some(Kind::Run)
    } else if is_fleetsim_json(&dir.join("sweep.json"), &["name", "sweep_text", "axes"]) {
        Some(Kind::Sweep)
    } else if is_fleetsim_json(&dir.join("loadtest.json"), &["job_name", "request", "files"]) {
        Some(Kind::LoadTest)
    } else {
        None
    };
    let names: Vec<String> = match kind {
        None => list.into_iter().map(|(n, _)| n).collect(),
        Some(k) => list
            .into_iter()
            .filter(|(n, ft)| !written_by(k, dir, n, ft))
            .map(|(n, _)| n)
            .collect(),
    };
    Ok(match (kind, names.is_empty()) {
        (Some(k), true) => Contents::Output(k),
        (kind, _) => Contents::Foreign { kind, names },
    })
}

/// Whether `path` is a regular file holding a JSON object with a `fleetsim_version` string
/// and the `keys` fleetsim writes beside it.
pub(super) fn is_fleetsim_json(path: &Path, keys: &[&str]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => {}
        _ => return false,
    }
    let Ok(bytes) = fs::read(path) else { return false };
    let Ok(serde_json::Value::Object(doc)) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return false;
    };
    doc.get("fleetsim_version").is_some_and(|v| v.is_string()) && keys.iter().all(|k| doc.contains_key(*k))
}

/// Whether fleetsim writes an entry called `name` of type `ft` into a `kind` folder `dir`.
pub(super) fn written_by(kind: Kind, dir: &Path, name: &str, ft: &fs::FileType) -> bool {
    match kind {
        Kind::Run => ft.is_file() && is_run_file(name),
        Kind::Sweep if ft.is_dir() => name == SWEEP_RUNS && runs_folder_ok(&dir.join(name)),
        Kind::Sweep => ft.is_file() && is_sweep_file(name),
        Kind::LoadTest => ft.is_file() && is_loadtest_file(name),
    }
}

pub(super) fn is_plot(name: &str) -> Option<&str> {
    name.strip_suffix(".png").or_else(|| name.strip_suffix(".svg"))
}

pub(super) fn is_run_file(name: &str) -> bool {
    RUN_DATA.contains(&name) || is_plot(name).is_some_and(|stem| RUN_PLOTS.contains(&stem))
}

pub(super) fn is_sweep_file(name: &str) -> bool {
    SWEEP_DATA.contains(&name)
        || is_plot(name).is_some_and(|stem| {
            stem == "pareto"
                || SWEEP_PLOT_PREFIXES
                    .iter()
                    .any(|p| stem.strip_prefix(p).is_some_and(|m| !m.is_empty()))
        })
}

pub(super) fn is_loadtest_file(name: &str) -> bool {
    let test_number = |stem: &str| {
        stem.strip_prefix(LOADTEST_PLOT_PREFIX)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    LOADTEST_DATA.contains(&name) || is_plot(name).is_some_and(test_number)
}

/// `runs/` of a sweep: only `p<point>-r<replication>/` folders holding run files.
pub(super) fn runs_folder_ok(runs: &Path) -> bool {
    let Ok(list) = entries(runs) else { return false };
    list.iter().all(|(name, ft)| {
        ft.is_dir()
            && is_run_dir_name(name)
            && entries(&runs.join(name)).is_ok_and(|files| files.iter().all(|(n, t)| t.is_file() && is_run_file(n)))
    })
}

pub(super) fn is_run_dir_name(name: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    name.strip_prefix('p')
        .and_then(|rest| rest.split_once("-r"))
        .is_some_and(|(p, r)| digits(p) && digits(r))
}
