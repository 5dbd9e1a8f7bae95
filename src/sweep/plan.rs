//! A runnable sweep: the design plus one validated `SimConfig` per point.
//!
//! Every point is validated before any run starts, so a bad point is an error naming the point,
//! its axis values and (where it can be told) the axis, and nothing is written.

use super::design::Design;
use super::error::SweepError;
use super::file::SweepFile;
use super::metrics;
use crate::scenario::{self, overrides, parse_override, Scenario, ScenarioError};
use crate::sim::SimConfig;

/// One point ready to run.
#[derive(Clone, Debug)]
pub struct PointConfig {
    pub point: usize,
    /// The `PATH=VALUE` overrides applied to the base scenario, in order.
    pub overrides: Vec<String>,
    /// The scenario after overrides (seed not yet set per replication).
    pub scenario: Scenario,
    pub config: SimConfig,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub design: Design,
    /// The sweep file as the user named it, and its text.
    pub sweep_file: String,
    pub sweep_text: String,
    /// The base scenario's path (resolved against the sweep file's folder) and text; with a
    /// `Scenarios` axis, every file's, separated by commas and by a `// ==== file ====` line.
    pub scenario_file: String,
    pub scenario_text: String,
    /// Replication `r` runs with seed `base_seed + r` (wrapping) at every point.
    pub base_seed: u64,
    pub points: Vec<PointConfig>,
    /// Metric names a run reports (from a zero-length run of the first point); objective and
    /// constraints must use these.
    pub known_metrics: Vec<String>,
    /// Warnings from validating the base scenario.
    pub warnings: Vec<String>,
}

impl Plan {
    /// The seed of replication `r`: derived from the base seed and `r` only, so every point
    /// sees the same arrivals at the same replication (common random numbers), and
    /// `fleetsim run --seed <base + r>` reproduces one run.
    pub fn seed(&self, replication: u32) -> u64 {
        self.base_seed.wrapping_add(u64::from(replication))
    }
}

/// Parses sweep text; errors carry line and column.
pub fn parse(text: &str, file: &str) -> Result<SweepFile, SweepError> {
    crate::scenario::parse_ron(text).map_err(|f| SweepError::Parse {
        file: file.to_string(),
        line: f.line,
        col: f.col,
        message: in_user_terms(&f.message, f.path.as_deref()),
        path: f.path,
    })
}

/// The parser's message in the sweep file's terms: a number of the wrong kind or size says what
/// the field takes. (An unknown variant is already told by the field path and the list of the
/// variants, without the Rust enum's name.)
fn in_user_terms(message: &str, path: Option<&str>) -> String {
    let mut m = message.to_string();
    let field = path.unwrap_or_default();
    let allowed = match field {
        "replications" => Some("a whole number of runs per point, 1 or more"),
        "seed" => Some("a whole number from 0 to 18446744073709551615"),
        _ if field.starts_with("constants.") => Some("a number"),
        _ => None,
    };
    if let Some(a) = allowed {
        m.push_str(&format!("; allowed: {a}"));
    }
    m
}

/// Parses sweep text and expands its design: the first half of planning, which names the base
/// scenario (`design.base_scenario`) the caller reads for [`build`].
pub fn design(text: &str, file: &str) -> Result<Design, SweepError> {
    Design::new(&parse(text, file)?, file)
}

/// [`design`] with `--set PATH=VALUE` overrides from the command line, applied to every base
/// scenario after the sweep file's own `set`.
pub fn design_with_set(text: &str, file: &str, set: &[String]) -> Result<Design, SweepError> {
    design(text, file)?.with_command_line_set(set, file)
}

/// Builds the plan of sweep text `text` (named `file` in messages) from its `design` (see
/// [`design`]) and the scenarios it names (`design.scenario_files`, in that order), as the
/// caller read them: every point's scenario is validated before anything runs.
pub fn build(design: Design, text: &str, file: &str, sources: &[scenario::Source]) -> Result<Plan, SweepError> {
    let base_err = |source| SweepError::Base {
        file: file.to_string(),
        source: Box::new(source),
    };
    assert_eq!(
        sources.len(),
        design.scenario_files.len(),
        "one source per scenario file"
    );
    let sets = design
        .set
        .iter()
        .chain(&design.command_line_set)
        .map(|s| parse_override(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(base_err)?;
    let mut bases = Vec::with_capacity(sources.len());
    let mut warnings = Vec::new();
    for source in sources {
        let base = scenario::parse(&source.text, &source.file).map_err(base_err)?;
        let mut base = overrides::apply(&base, &sets).map_err(base_err)?;
        // A sweep judges points by its objective and constraints; the scenario's expectations
        // are `fleetsim check`'s, and a point that shortens the run must not trip on a window.
        base.expect.clear();
        let (_, w) = source.validate(&base).map_err(base_err)?;
        warnings.extend(w);
        bases.push(base);
    }
    let base_seed = design.seed.unwrap_or(bases[0].seed);
    // The manifest records every scenario: one file as it is, several one after the other.
    let scenario_file = sources.iter().map(|s| s.file.as_str()).collect::<Vec<_>>().join(", ");
    let scenario_text = match sources {
        [one] => one.text.clone(),
        many => many
            .iter()
            .map(|s| format!("// ==== {} ====\n{}", s.file, s.text))
            .collect::<Vec<_>>()
            .join("\n"),
    };

    let mut points = Vec::with_capacity(design.points.len());
    for p in &design.points {
        let point_err = |axis: Option<usize>, source| SweepError::Point {
            file: file.to_string(),
            point: p.index,
            values: p.describe(&design.axes),
            axis: axis.map(|i| design.axes[i].name.clone()),
            source: Box::new(source),
        };
        let specs = design.overrides(p);
        let which = design.scenario_of(p);
        let base_source = &sources[which];
        let mut current = bases[which].clone();
        // The sweep's `set` and `--set` are already in `base`; apply the axes one at a time so an error
        // names its axis.
        for (axis, spec) in specs.iter().filter(|(a, _)| a.is_some()) {
            let o = parse_override(spec).map_err(|e| point_err(*axis, e))?;
            current = overrides::apply(&current, &[o]).map_err(|e| point_err(*axis, e))?;
        }
        current.seed = base_seed;
        let (config, _) = base_source.validate(&current).map_err(|e| {
            // Name the axis whose path leads to the first invalid field.
            let axis = match &e {
                ScenarioError::Invalid { errors, .. } => errors.first().and_then(|fe| {
                    design.axes.iter().position(|a| {
                        a.path.as_ref().is_some_and(|path| {
                            fe.path == *path || fe.path.starts_with(&format!("{path}.")) || path.starts_with(&fe.path)
                        })
                    })
                }),
                _ => None,
            };
            point_err(axis, e)
        })?;
        points.push(PointConfig {
            point: p.index,
            overrides: specs.into_iter().map(|(_, s)| s).collect(),
            scenario: current,
            config,
        });
    }

    // A design has at least one point (every axis has a value); checked rather than indexed so
    // a mistake there is an error, not a panic.
    let Some(first) = points.first() else {
        return Err(SweepError::Invalid {
            file: file.to_string(),
            field: "axes".into(),
            message: "the axes give no point; allowed: at least one".into(),
        });
    };
    let probe = Probe::run(&first.config);
    let mut known_metrics = probe.metrics;
    let check = |field: String, metric: &str| -> Result<(), SweepError> {
        if known_metrics.iter().any(|m| m == metric) {
            Ok(())
        } else {
            Err(SweepError::Invalid {
                file: file.to_string(),
                field,
                message: format!("unknown metric `{metric}`; known metrics: {}", known_metrics.join(", ")),
            })
        }
    };
    if let Some(o) = &design.objective {
        check("objective".into(), &o.metric)?;
    }
    let columns = super::per_minute::columns(&probe.columns);
    let mut per_minute = Vec::new();
    for (i, c) in design.constraints.iter().enumerate() {
        let field = format!("constraints[{i}] {:?}", c.text);
        let invalid = |message: String| SweepError::Invalid {
            file: file.to_string(),
            field: field.clone(),
            message,
        };
        match &c.per_minute {
            None => check(field.clone(), &c.metric)?,
            Some(col) => {
                if !columns.contains(col) {
                    return Err(invalid(format!(
                        "`{col}` is not a column of timeseries.csv; per minute, a constraint takes one of: {}",
                        columns.join(", ")
                    )));
                }
                if probe.period != crate::engine::SimDuration::from_secs(60) {
                    return Err(invalid(format!(
                        "`per minute` judges every 60 s metrics period, but the scenario's metrics.period is {}",
                        probe.period
                    )));
                }
                per_minute.push(c.metric.clone());
            }
        }
        if c.confidence.is_some() && design.replications < 2 {
            return Err(invalid(format!(
                "a confidence bound needs 2 or more replications per point; this sweep has {}",
                design.replications
            )));
        }
    }
    known_metrics.extend(per_minute);
    known_metrics.sort();
    known_metrics.dedup();
    Ok(Plan {
        design,
        sweep_file: file.to_string(),
        sweep_text: text.to_string(),
        scenario_file,
        scenario_text,
        base_seed,
        points,
        known_metrics,
        warnings,
    })
}

/// What a run of a point reports, from a run of zero simulated time (the shape of its summary
/// and time series does not depend on how long the run is).
struct Probe {
    /// The summary's metric names.
    metrics: Vec<String>,
    /// The `timeseries.csv` header.
    columns: Vec<String>,
    /// The metrics period.
    period: crate::engine::SimDuration,
}

impl Probe {
    fn run(config: &SimConfig) -> Probe {
        let mut c = config.clone();
        c.duration = crate::engine::SimDuration::ZERO;
        let result = crate::sim::run(c);
        let m = metrics::from_summary(&crate::report::summary(&result));
        Probe {
            metrics: metrics::union([&m]),
            columns: super::per_minute::header(&crate::report::timeseries_csv(&result)),
            period: result.period,
        }
    }
}
