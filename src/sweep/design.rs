//! The design of a sweep: its axes and the points they expand into, from the sweep file alone
//! (no scenario needed, so `fleetsim merge` can rebuild it from the recorded sweep text).
//!
//! Value and range axes combine as a grid (every combination; the first axis varies slowest,
//! like nested loops in file order) or zipped (the i-th value of each axis together; all must
//! have the same length). Derived axes do not combine: each point computes them, in file
//! order, from the constants and the other axes' values at that point.

use super::error::{shorten, SweepError};
use super::expr::Expr;
use super::file::{AxisFile, Combine, ObjectiveFile, SweepFile, ValueFile};
use super::objective::{Constraint, Direction, Objective};
use super::range::range_values;
pub use super::value::AxisValue;
use std::collections::BTreeMap;

/// Points a sweep may have. A plan keeps a whole scenario and run configuration per point, and
/// the outputs a row per point: about 15 KiB per point in all (measured: peak RSS 25 MiB at
/// 1000 points, 155 MiB at 10000, one replication of a one-variant scenario), so the largest
/// sweep holds about 150 MiB besides its runs.
pub const MAX_POINTS: usize = 10_000;

/// Values a range axis may have: no more than a sweep may have points, checked before the
/// values are built.
pub const MAX_AXIS_VALUES: usize = MAX_POINTS;

/// Runs (points x replications) a sweep may have: every run's metrics are held until the
/// outputs are written (and `fleetsim merge` holds every shard's), about 9 KiB per run with
/// the 28 metrics of a one-variant scenario (measured: peak RSS 25 MiB for 1000 runs, 103 MiB
/// for 10000), so this keeps them near 1 GiB.
pub const MAX_RUNS: u64 = 100_000;

/// Files a `Scenarios` axis may name: each is read and held whole while the sweep runs.
pub const MAX_SCENARIOS: usize = 64;

/// Names a sweep's CSV files use for their own columns; an axis may not take them.
const RESERVED: [&str; 6] = ["point", "runs", "replication", "seed", "feasible", "pareto"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AxisKind {
    Values,
    Range,
    Derived,
    Scenarios,
}

impl AxisKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AxisKind::Values => "values",
            AxisKind::Range => "range",
            AxisKind::Derived => "derived",
            AxisKind::Scenarios => "scenarios",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Axis {
    pub name: String,
    pub path: Option<String>,
    pub kind: AxisKind,
    /// Values and ranges: the values in order. Derived: empty (see [`Design::axis_values`]).
    pub values: Vec<AxisValue>,
    pub expr: Option<Expr>,
    /// How a value is written at `path` (`{}` stands for it).
    pub template: Option<String>,
    /// A `Scenarios` axis: its files, relative to the sweep file, in the order of `values`.
    pub files: Vec<String>,
}

/// One point: a value per axis, in sweep-file axis order.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub index: usize,
    pub values: Vec<AxisValue>,
}

impl Point {
    /// `a=1, b=0.5`, for messages.
    pub fn describe(&self, axes: &[Axis]) -> String {
        if axes.is_empty() {
            return "no axes".into();
        }
        axes.iter()
            .zip(&self.values)
            .map(|(a, v)| format!("{}={v}", a.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A validated, expanded sweep design.
#[derive(Clone, Debug)]
pub struct Design {
    pub name: String,
    /// The base scenario, or with a `Scenarios` axis its first file.
    pub base_scenario: String,
    /// Every scenario a point may start from, relative to the sweep file: the base scenario,
    /// or a `Scenarios` axis's files.
    pub scenario_files: Vec<String>,
    /// The `Scenarios` axis, if there is one.
    pub scenario_axis: Option<usize>,
    pub seed: Option<u64>,
    pub replications: u32,
    pub combine: Combine,
    /// The sweep file's `set`, applied to every base scenario before the axes.
    pub set: Vec<String>,
    /// `--set PATH=VALUE` given on the command line, applied after `set` (recorded in
    /// `sweep.json`, so a merge re-derives the same design).
    pub command_line_set: Vec<String>,
    pub axes: Vec<Axis>,
    pub points: Vec<Point>,
    pub objective: Option<Objective>,
    pub constraints: Vec<Constraint>,
}

pub(super) fn invalid(file: &str, field: String, message: impl Into<String>) -> SweepError {
    SweepError::Invalid {
        file: file.to_string(),
        field,
        message: message.into(),
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A `Scenarios` axis's value for a file: its name without folder and extension.
fn scenario_label(file: &str) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.strip_suffix(".ron").unwrap_or(name).to_string()
}

/// The number of points the value and range axes combine into, before anything is expanded:
/// `None` when the grid's product overflows.
fn point_count(axes: &[Axis], combine: Combine) -> Option<usize> {
    let mut lens = axes
        .iter()
        .filter(|a| a.kind != AxisKind::Derived)
        .map(|a| a.values.len());
    match combine {
        Combine::Grid => lens.try_fold(1usize, usize::checked_mul),
        // Unequal lengths are an error of `expand`, which names them.
        Combine::Zip => Some(lens.next().unwrap_or(1)),
    }
}

impl Design {
    /// Validates a parsed sweep file and expands its points; `file` names it in errors.
    pub fn new(f: &SweepFile, file: &str) -> Result<Design, SweepError> {
        if f.replications == 0 {
            return Err(invalid(file, "replications".into(), "got 0; allowed: 1 or more"));
        }
        if f.name.is_empty() || f.name.contains(['/', '\\']) || f.name.starts_with('.') {
            return Err(invalid(
                file,
                "name".into(),
                format!("got {:?}; allowed: a non-empty folder name without `/`", f.name),
            ));
        }
        for (k, v) in &f.constants {
            if !is_identifier(k) {
                return Err(invalid(
                    file,
                    format!("constants.{}", shorten(k)),
                    "a constant's name must be an identifier (letters, digits, `_`)",
                ));
            }
            if !v.is_finite() {
                return Err(invalid(file, format!("constants.{k}"), "must be a finite number"));
            }
        }
        let mut axes: Vec<Axis> = Vec::new();
        for (i, a) in f.axes.iter().enumerate() {
            let field = format!("axes[{i}] ({})", shorten(a.name()));
            let name = a.name();
            if !is_identifier(name) || RESERVED.contains(&name) {
                return Err(invalid(
                    file,
                    field,
                    format!(
                        "name {:?} is not allowed; an axis name is an identifier (letters, digits, `_`) other than {}",
                        shorten(name),
                        RESERVED.join(", ")
                    ),
                ));
            }
            if axes.iter().any(|b| b.name == name) || f.constants.contains_key(name) {
                return Err(invalid(
                    file,
                    field,
                    format!("name `{}` is already used by another axis or a constant", shorten(name)),
                ));
            }
            if a.path() == Some("seed") {
                return Err(invalid(
                    file,
                    field,
                    "an axis cannot set `seed`: seeds come from `seed` and `replications`",
                ));
            }
            let (kind, values, expr) = match a {
                AxisFile::Values { values, .. } => {
                    if values.is_empty() {
                        return Err(invalid(file, field, "`values` is empty; give at least one value"));
                    }
                    let vals = values
                        .iter()
                        .map(|v| match v {
                            ValueFile::Bool(b) => AxisValue::Bool(*b),
                            ValueFile::Int(i) => AxisValue::Int(*i),
                            ValueFile::Float(x) => AxisValue::Float(*x),
                            ValueFile::Text(t) => AxisValue::Text(t.clone()),
                        })
                        .collect();
                    (AxisKind::Values, vals, None)
                }
                AxisFile::Range { from, to, step, .. } => {
                    (AxisKind::Range, range_values(file, &field, *from, *to, *step)?, None)
                }
                AxisFile::Derived { expr, .. } => {
                    let parsed = Expr::parse(expr)
                        .map_err(|m| invalid(file, field.clone(), format!("expression `{}`: {m}", shorten(expr))))?;
                    for n in parsed.names() {
                        let known_axis = axes.iter().any(|b| b.name == n);
                        let later_base = f.axes[i + 1..]
                            .iter()
                            .any(|b| b.name() == n && !matches!(b, AxisFile::Derived { .. }));
                        if !(known_axis || later_base || f.constants.contains_key(&n)) {
                            let mut known: Vec<String> = f.constants.keys().cloned().collect();
                            known.extend(axes.iter().map(|b| b.name.clone()));
                            known.extend(
                                f.axes[i + 1..]
                                    .iter()
                                    .filter(|b| !matches!(b, AxisFile::Derived { .. }))
                                    .map(|b| b.name().to_string()),
                            );
                            return Err(invalid(
                                file,
                                field,
                                format!(
                                    "expression `{}`: unknown name `{n}`; known names: {} (a derived axis reads constants, value and range axes, and derived axes above it)",
                                    shorten(expr),
                                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                                ),
                            ));
                        }
                    }
                    (AxisKind::Derived, Vec::new(), Some(parsed))
                }
                AxisFile::Scenarios { files, .. } => {
                    if files.is_empty() || files.len() > MAX_SCENARIOS {
                        return Err(invalid(
                            file,
                            field,
                            format!(
                                "`files` has {}; allowed: 1 to {MAX_SCENARIOS} scenario files",
                                files.len()
                            ),
                        ));
                    }
                    if axes.iter().any(|b| b.kind == AxisKind::Scenarios) {
                        return Err(invalid(file, field, "a sweep has at most one `Scenarios` axis"));
                    }
                    let mut labels: Vec<AxisValue> = Vec::with_capacity(files.len());
                    for f_name in files {
                        let label = AxisValue::Text(scenario_label(f_name));
                        if labels.contains(&label) {
                            return Err(invalid(
                                file,
                                field,
                                format!(
                                    "two files are both named {label}; a point names its scenario by file name, so the names must differ"
                                ),
                            ));
                        }
                        labels.push(label);
                    }
                    (AxisKind::Scenarios, labels, None)
                }
            };
            let template = a.template().map(str::to_string);
            if let Some(t) = &template {
                if t.matches("{}").count() != 1 || a.path().is_none() {
                    return Err(invalid(
                        file,
                        field,
                        format!(
                            "template {:?}: allowed: text with exactly one `{{}}` (where the value goes), on an axis with a `path`",
                            shorten(t)
                        ),
                    ));
                }
            }
            axes.push(Axis {
                name: name.to_string(),
                path: a.path().map(str::to_string),
                kind,
                values,
                expr,
                template,
                files: match a {
                    AxisFile::Scenarios { files, .. } => files.clone(),
                    _ => Vec::new(),
                },
            });
        }
        let scenario_axis = axes.iter().position(|a| a.kind == AxisKind::Scenarios);
        let (base_scenario, scenario_files) = match (&f.base_scenario, scenario_axis) {
            (Some(b), None) => (b.clone(), vec![b.clone()]),
            (None, Some(i)) => (axes[i].files[0].clone(), axes[i].files.clone()),
            (Some(_), Some(_)) => {
                return Err(invalid(
                    file,
                    "base_scenario".into(),
                    "given beside a `Scenarios` axis; allowed: one of them (the axis names every scenario)",
                ))
            }
            (None, None) => {
                return Err(invalid(
                    file,
                    "base_scenario".into(),
                    "missing; allowed: a scenario file, or a `Scenarios` axis of several",
                ))
            }
        };
        // Sizes are checked before anything proportional to them is allocated.
        let count = point_count(&axes, f.combine);
        if count.is_none_or(|n| n > MAX_POINTS) {
            let product = count.map_or_else(|| "more than 2^64".to_string(), |n| n.to_string());
            return Err(invalid(
                file,
                "axes".into(),
                format!(
                    "the axes combine into {product} points; allowed: at most {MAX_POINTS} (fewer values, or `combine: Zip`)"
                ),
            ));
        }
        let runs = count.unwrap_or(0) as u64 * u64::from(f.replications);
        if runs > MAX_RUNS {
            return Err(invalid(
                file,
                "replications".into(),
                format!(
                    "{} points x {} replications = {runs} runs; allowed: at most {MAX_RUNS} runs",
                    count.unwrap_or(0),
                    f.replications
                ),
            ));
        }
        let points = expand(&axes, f.combine, &f.constants, file)?;
        let objective = f.objective.as_ref().map(|o| match o {
            ObjectiveFile::Minimize(m) => Objective {
                direction: Direction::Minimize,
                metric: m.clone(),
            },
            ObjectiveFile::Maximize(m) => Objective {
                direction: Direction::Maximize,
                metric: m.clone(),
            },
        });
        let constraints = f
            .constraints
            .iter()
            .enumerate()
            .map(|(i, c)| Constraint::parse(c).map_err(|m| invalid(file, format!("constraints[{i}] {c:?}"), m)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Design {
            name: f.name.clone(),
            base_scenario,
            scenario_files,
            scenario_axis,
            seed: f.seed,
            replications: f.replications,
            combine: f.combine,
            set: f.set.clone(),
            command_line_set: Vec::new(),
            axes,
            points,
            objective,
            constraints,
        })
    }

    /// Which of [`Design::scenario_files`] point `p` starts from.
    pub fn scenario_of(&self, p: &Point) -> usize {
        self.scenario_axis
            .and_then(|i| self.axes[i].values.iter().position(|v| *v == p.values[i]))
            .unwrap_or(0)
    }

    /// The values an axis takes: its list for values and ranges; for a derived axis, the
    /// distinct values in order of first appearance over the points.
    pub fn axis_values(&self, axis: usize) -> Vec<AxisValue> {
        let a = &self.axes[axis];
        if a.kind != AxisKind::Derived {
            return a.values.clone();
        }
        let mut out: Vec<AxisValue> = Vec::new();
        for p in &self.points {
            if !out.contains(&p.values[axis]) {
                out.push(p.values[axis].clone());
            }
        }
        out
    }

    /// Adds `--set PATH=VALUE` overrides from the command line, applied after the file's `set`.
    /// One whose path an axis sets (or sets a field of) is refused: the axis would overwrite it
    /// at every point, so the value would be recorded but never used.
    pub fn with_command_line_set(mut self, set: &[String], file: &str) -> Result<Design, SweepError> {
        for spec in set {
            let at = |m: String| invalid(file, format!("--set {spec:?}"), m);
            let o = crate::scenario::parse_override(spec).map_err(|e| at(e.to_string()))?;
            for a in &self.axes {
                let Some(axis_path) = &a.path else { continue };
                let Ok(steps) = crate::scenario::overrides::parse_path(axis_path.trim()) else {
                    continue;
                };
                if o.path.starts_with(&steps) {
                    return Err(at(format!(
                        "axis `{}` sets `{axis_path}` at every point, which would replace this value; change the axis in the sweep file instead",
                        a.name
                    )));
                }
            }
            self.command_line_set.push(spec.clone());
        }
        Ok(self)
    }

    /// The `PATH=VALUE` overrides of a point: the sweep's `set`, the command line's `--set`,
    /// then every axis with a path.
    pub fn overrides(&self, point: &Point) -> Vec<(Option<usize>, String)> {
        let mut out: Vec<(Option<usize>, String)> = self
            .set
            .iter()
            .chain(&self.command_line_set)
            .map(|s| (None, s.clone()))
            .collect();
        for (i, (a, v)) in self.axes.iter().zip(&point.values).enumerate() {
            if let Some(p) = &a.path {
                let value = match &a.template {
                    Some(t) => t.replacen("{}", &v.to_string(), 1),
                    None => v.to_string(),
                };
                out.push((Some(i), format!("{p}={value}")));
            }
        }
        out
    }
}

/// Expands value and range axes (grid or zip), then computes derived axes per point.
fn expand(
    axes: &[Axis],
    combine: Combine,
    constants: &BTreeMap<String, f64>,
    file: &str,
) -> Result<Vec<Point>, SweepError> {
    let base: Vec<usize> = (0..axes.len()).filter(|&i| axes[i].kind != AxisKind::Derived).collect();
    let combos: Vec<Vec<usize>> = match combine {
        Combine::Grid => {
            // Bounded by `MAX_POINTS` in `Design::new`, so the product cannot overflow.
            let total: usize = base.iter().map(|&i| axes[i].values.len()).product();
            (0..total)
                .map(|mut k| {
                    // Mixed-radix digits, last axis fastest.
                    let mut digits = vec![0; base.len()];
                    for (d, &i) in base.iter().enumerate().rev() {
                        let n = axes[i].values.len();
                        digits[d] = k % n;
                        k /= n;
                    }
                    digits
                })
                .collect()
        }
        Combine::Zip => {
            let lens: Vec<usize> = base.iter().map(|&i| axes[i].values.len()).collect();
            if let Some(&n) = lens.first() {
                if lens.iter().any(|&l| l != n) {
                    let desc: Vec<String> = base
                        .iter()
                        .map(|&i| format!("{} has {}", axes[i].name, axes[i].values.len()))
                        .collect();
                    return Err(invalid(
                        file,
                        "combine".into(),
                        format!("Zip needs axes of equal length, but {}", desc.join(", ")),
                    ));
                }
                (0..n).map(|k| vec![k; base.len()]).collect()
            } else {
                vec![vec![]]
            }
        }
    };
    let mut points = Vec::with_capacity(combos.len());
    for (index, digits) in combos.into_iter().enumerate() {
        let mut values: Vec<Option<AxisValue>> = vec![None; axes.len()];
        for (d, &i) in base.iter().enumerate() {
            values[i] = Some(axes[i].values[digits[d]].clone());
        }
        let mut env: BTreeMap<String, f64> = constants.clone();
        for &i in &base {
            if let Some(x) = values[i].as_ref().and_then(AxisValue::as_f64) {
                env.insert(axes[i].name.clone(), x);
            }
        }
        for (i, a) in axes.iter().enumerate() {
            let Some(expr) = &a.expr else { continue };
            let v = expr.eval(&env).map_err(|m| {
                let why = if m.starts_with("unknown name") {
                    format!("{m} (the value of that axis at point {index} is not a number)")
                } else {
                    m
                };
                invalid(file, format!("axes[{i}] ({})", shorten(&a.name)), why)
            })?;
            if !v.is_finite() {
                return Err(invalid(
                    file,
                    format!("axes[{i}] ({})", shorten(&a.name)),
                    format!("expression gives {v} at point {index}; allowed: a finite number"),
                ));
            }
            env.insert(a.name.clone(), v);
            values[i] = Some(AxisValue::number(v));
        }
        points.push(Point {
            index,
            values: values.into_iter().map(|v| v.expect("every axis has a value")).collect(),
        });
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::file::NumberFile;

    fn design(text: &str) -> Result<Design, SweepError> {
        // Read as sweep files are (optional fields written without `Some`).
        let f: SweepFile = crate::sweep::plan::parse(text, "t.ron").expect("parses");
        Design::new(&f, "t.ron")
    }

    #[test]
    fn zip_needs_equal_lengths() {
        let e = design(
            r#"(name: "z", base_scenario: "b.ron", combine: Zip,
                axes: [Values(name: "a", values: [1, 2]), Values(name: "b", values: [1])])"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("a has 2, b has 1"), "{e}");
    }

    #[test]
    fn reserved_and_duplicate_names() {
        let e =
            design(r#"(name: "z", base_scenario: "b.ron", axes: [Values(name: "seed", values: [1])])"#).unwrap_err();
        assert!(e.to_string().contains("not allowed"), "{e}");
        let e = design(
            r#"(name: "z", base_scenario: "b.ron", axes: [Values(name: "a", values: [1]), Values(name: "a", values: [2])])"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("already used"), "{e}");
    }

    fn range(from: &str, to: &str, step: &str) -> Result<Design, SweepError> {
        design(&format!(
            r#"(name: "z", base_scenario: "b.ron", axes: [Range(name: "r", from: {from}, to: {to}, step: {step})])"#
        ))
    }

    #[test]
    fn ranges_of_too_many_values_are_refused_before_allocating() {
        // 1e-19 once made `(to - from) / step` saturate `usize` and the count wrap to 0.
        for step in ["1e-19", "1e-18", "1e-300", "5e-324", "0.00001"] {
            let e = range("0", "1", step).unwrap_err().to_string();
            assert!(
                e.contains("axes[0] (r): from 0 to 1 in steps of") && e.contains("allowed: 1 to 10000 per axis"),
                "{step}: {e}"
            );
        }
        let e = range("-1e308", "1e308", "1").unwrap_err().to_string();
        assert!(e.contains("infinitely many values"), "{e}");
        let e = range("0", "1e4", "1").unwrap_err().to_string();
        assert!(e.contains("gives 10001 values"), "{e}");
        let e = range("0", "1", "-1e-300").unwrap_err().to_string();
        assert!(e.contains("same sign as to - from"), "{e}");
        let all = range_values(
            "t.ron",
            "r",
            NumberFile::Int(0),
            NumberFile::Int(9_999),
            NumberFile::Int(1),
        );
        assert_eq!(all.unwrap().len(), 10_000);
        assert_eq!(range("5", "5", "1").unwrap().axes[0].values.len(), 1);
    }

    #[test]
    fn points_and_runs_are_bounded_before_expanding() {
        let e = design(
            r#"(name: "z", base_scenario: "b.ron", replications: 1000000000, axes: [Values(name: "a", values: [1, 2])])"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains(
                "replications: 2 points x 1000000000 replications = 2000000000 runs; allowed: at most 100000 runs"
            ),
            "{e}"
        );
        // 1000 x 1000 = 10^6 points, and a grid whose product overflows 64 bits.
        let big = r#"Range(name: "a", from: 1, to: 1000, step: 1), Range(name: "b", from: 1, to: 1000, step: 1)"#;
        let e = design(&format!(r#"(name: "z", base_scenario: "b.ron", axes: [{big}])"#))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("axes: the axes combine into 1000000 points; allowed: at most 10000"),
            "{e}"
        );
        let axes: Vec<String> = (0..5)
            .map(|i| format!(r#"Range(name: "a{i}", from: 1, to: 10000, step: 1)"#))
            .collect();
        let e = design(&format!(
            r#"(name: "z", base_scenario: "b.ron", axes: [{}])"#,
            axes.join(", ")
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("more than 2^64 points"), "{e}");
        // At the bounds.
        let d = design(
            r#"(name: "z", base_scenario: "b.ron", replications: 10, axes: [Range(name: "a", from: 1, to: 10000, step: 1)])"#,
        )
        .unwrap();
        assert_eq!(d.points.len(), 10_000);
    }
}
