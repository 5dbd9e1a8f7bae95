//! Plots as PNG and SVG (plotters, with an embedded font), rendered from a run's or a sweep's
//! saved output files only, so `fleetsim run`, `fleetsim sweep` and `fleetsim plot` share one
//! code path and a re-render gives the same bytes.
//!
//! Per run: `capacity`, `latency`, `backlog`, `cost`, and `traffic` when the run had a
//! deployment. Per sweep: `heatmap-<metric>`, `lines-<metric>` and `pareto`. Per load test of a
//! `fleetsim loadtest` job: `test-<n>`.

mod axis;
mod backlog;
mod canvas;
mod capacity;
mod chart;
mod cost;
mod font;
mod heatmap;
mod labels;
mod latency;
mod legend;
mod lines;
mod load_test;
mod panels;
mod pareto;
mod run_data;
mod style;
mod sweep_data;
mod table;
mod traffic;

use super::OutputFile;
pub use load_test::LoadTestPlot;
pub use run_data::RunFiles;

/// A plot could not be made: an input file is missing a column or malformed, or drawing failed.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("{file}: {message}")]
    Input { file: String, message: String },
    #[error("{file}: cannot draw: {message}")]
    Draw { file: String, message: String },
}

/// Names of the files a run folder's plots are rendered from.
pub const RUN_INPUTS: [&str; 4] = ["timeseries.csv", "activities.csv", "summary.json", "manifest.json"];

/// The plot files of one run, in a fixed order: `capacity`, `latency`, `backlog`, `cost`
/// (each `.png` then `.svg`), then `traffic` if the run had a deployment.
pub fn render_run(files: RunFiles<'_>) -> Result<Vec<OutputFile>, PlotError> {
    let data = run_data::RunData::parse(files)?;
    let mut out = canvas::render("capacity", &capacity::Capacity::new(&data)?)?;
    out.extend(canvas::render("latency", &latency::Latency::new(&data)?)?);
    out.extend(canvas::render("backlog", &backlog::Backlog::new(&data)?)?);
    out.extend(canvas::render("cost", &cost::Cost::new(&data)?)?);
    if traffic::applies(&data) {
        out.extend(canvas::render("traffic", &traffic::Traffic::new(&data)?)?);
    }
    Ok(out)
}

/// Renders the plots of a run from its rendered output files (found by name).
pub fn render_run_outputs(files: &[OutputFile]) -> Result<Vec<OutputFile>, PlotError> {
    let get = |name: &str| {
        files
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.bytes.as_slice())
            .ok_or_else(|| PlotError::Input {
                file: name.to_string(),
                message: "missing from the run's outputs".into(),
            })
    };
    render_run(RunFiles {
        timeseries_csv: get("timeseries.csv")?,
        activities_csv: get("activities.csv")?,
        summary_json: get("summary.json")?,
        manifest_json: get("manifest.json")?,
    })
}

/// The plot of one load test, as `<stem>.png` and `<stem>.svg`.
pub fn render_load_test(stem: &str, title: &str, data: &LoadTestPlot) -> Result<Vec<OutputFile>, PlotError> {
    canvas::render(stem, &load_test::LoadTest::new(title, data))
}

/// What the sweep plots show.
#[derive(Clone, Debug, Default)]
pub struct SweepPlotOptions {
    /// Summary metrics (dotted paths such as `latency_ms.p99`) to draw a heat map and a line
    /// plot of; empty means `latency_ms.p99`, or the sweep's first metric if it has no p99.
    pub metrics: Vec<String>,
    /// Axis names for the heat map's x and y (and the line plot's x axis and series); default
    /// the sweep's first two independent (not derived) axes. The next independent axis gives
    /// the panels.
    pub x: Option<String>,
    pub y: Option<String>,
}

/// The plot files of a sweep, from its `sweep.csv` and `sweep.json`: for each metric
/// `heatmap-<metric>` (when the sweep has two axes or more) and `lines-<metric>`, then
/// `pareto` when the sweep reports both `cost_usd` and `latency_ms.p99`. A third independent
/// axis draws heat maps and line plots as small multiples, one panel per value of it.
pub fn render_sweep(
    sweep_csv: &[u8],
    sweep_json: &[u8],
    options: &SweepPlotOptions,
) -> Result<Vec<OutputFile>, PlotError> {
    let data = sweep_data::SweepData::parse(sweep_csv, sweep_json)?;
    let view = data.view(options)?;
    let mut out = vec![];
    for metric in &view.metrics {
        if view.y.is_some() {
            out.extend(canvas::render(
                &format!("heatmap-{metric}"),
                &heatmap::Heatmap::new(&data, &view, metric)?,
            )?);
        }
        out.extend(canvas::render(
            &format!("lines-{metric}"),
            &lines::Lines::new(&data, &view, metric)?,
        )?);
    }
    if let Some(p) = pareto::Pareto::new(&data)? {
        out.extend(canvas::render("pareto", &p)?);
    }
    Ok(out)
}

/// `<name>.{png,svg}`: every sweep point's mean cost against `metric` as the sweep's constraint
/// on it judges it (its confidence bound when asked), the front of the two and the constraint's
/// bound: the cost-against-SLO curve. Empty when the sweep lacks cost or the metric.
pub fn render_cost_against(
    sweep_csv: &[u8],
    sweep_json: &[u8],
    metric: &str,
    name: &str,
) -> Result<Vec<OutputFile>, PlotError> {
    let data = sweep_data::SweepData::parse(sweep_csv, sweep_json)?;
    match pareto::Pareto::against(&data, metric)? {
        Some(p) => canvas::render(name, &p),
        None => Ok(Vec::new()),
    }
}
