//! The design of a sweep: its axes and the points they expand into, from the sweep file alone
//! (no scenario needed, so `fleetsim merge` can rebuild it from the recorded sweep text).
//!
//! Value and range axes combine as a grid (every combination; the first axis varies slowest,
//! like nested loops in file order) or zipped (the i-th value of each axis together; all must
//! have the same length). Derived axes do not combine: each point computes them, in file
//! order, from the constants and the other axes' values at that point.

use super::error::SweepError;
use super::expr::Expr;
use super::file::{AxisFile, Combine, NumberFile, ObjectiveFile, SweepFile, ValueFile};
use super::objective::{Constraint, Direction, Objective};
pub use super::value::AxisValue;
use std::collections::BTreeMap;

/// Names a sweep's CSV files use for their own columns; an axis may not take them.
const RESERVED: [&str; 6] = ["point", "runs", "replication", "seed", "feasible", "pareto"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AxisKind {
    Values,
    Range,
    Derived,
}

impl AxisKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AxisKind::Values => "values",
            AxisKind::Range => "range",
            AxisKind::Derived => "derived",
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
    pub base_scenario: String,
    pub seed: Option<u64>,
    pub replications: u32,
    pub combine: Combine,
    pub set: Vec<String>,
    pub axes: Vec<Axis>,
    pub points: Vec<Point>,
    pub objective: Option<Objective>,
    pub constraints: Vec<Constraint>,
}

fn invalid(file: &str, field: String, message: impl Into<String>) -> SweepError {
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

fn range_values(
    file: &str,
    field: &str,
    from: NumberFile,
    to: NumberFile,
    step: NumberFile,
) -> Result<Vec<AxisValue>, SweepError> {
    let (a, b, s) = (from.as_f64(), to.as_f64(), step.as_f64());
    if !(a.is_finite() && b.is_finite() && s.is_finite()) {
        return Err(invalid(file, field.into(), "from, to and step must be finite numbers"));
    }
    if s == 0.0 || (b - a) * s < 0.0 {
        return Err(invalid(
            file,
            format!("{field}.step"),
            format!("got {s}; allowed: a step that goes from {a} towards {b} (non-zero, same sign as to - from)"),
        ));
    }
    // Values are from + i * step (not accumulated, so no drift); `to` is included when a step
    // lands on it within rounding.
    let count = ((b - a) / s + 1e-9).floor() as usize + 1;
    if count > 100_000 {
        return Err(invalid(
            file,
            field.into(),
            format!("{count} values; at most 100000 per axis"),
        ));
    }
    let ints = matches!((from, step), (NumberFile::Int(_), NumberFile::Int(_)));
    Ok((0..count)
        .map(|i| {
            let v = a + i as f64 * s;
            if ints {
                AxisValue::Int(v as i64)
            } else {
                AxisValue::number(v)
            }
        })
        .collect())
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
                    format!("constants.{k}"),
                    "a constant's name must be an identifier (letters, digits, `_`)",
                ));
            }
            if !v.is_finite() {
                return Err(invalid(file, format!("constants.{k}"), "must be a finite number"));
            }
        }
        let mut axes: Vec<Axis> = Vec::new();
        for (i, a) in f.axes.iter().enumerate() {
            let field = format!("axes[{i}] ({})", a.name());
            let name = a.name();
            if !is_identifier(name) || RESERVED.contains(&name) {
                return Err(invalid(
                    file,
                    field,
                    format!(
                        "name {name:?} is not allowed; an axis name is an identifier (letters, digits, `_`) other than {}",
                        RESERVED.join(", ")
                    ),
                ));
            }
            if axes.iter().any(|b| b.name == name) || f.constants.contains_key(name) {
                return Err(invalid(
                    file,
                    field,
                    format!("name `{name}` is already used by another axis or a constant"),
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
                        .map_err(|m| invalid(file, field.clone(), format!("expression `{expr}`: {m}")))?;
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
                                    "expression `{expr}`: unknown name `{n}`; known names: {} (a derived axis reads constants, value and range axes, and derived axes above it)",
                                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                                ),
                            ));
                        }
                    }
                    (AxisKind::Derived, Vec::new(), Some(parsed))
                }
            };
            axes.push(Axis {
                name: name.to_string(),
                path: a.path().map(str::to_string),
                kind,
                values,
                expr,
            });
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
            base_scenario: f.base_scenario.clone(),
            seed: f.seed,
            replications: f.replications,
            combine: f.combine,
            set: f.set.clone(),
            axes,
            points,
            objective,
            constraints,
        })
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

    /// The `PATH=VALUE` overrides of a point: the sweep's `set`, then every axis with a path.
    pub fn overrides(&self, point: &Point) -> Vec<(Option<usize>, String)> {
        let mut out: Vec<(Option<usize>, String)> = self.set.iter().map(|s| (None, s.clone())).collect();
        for (i, (a, v)) in self.axes.iter().zip(&point.values).enumerate() {
            if let Some(p) = &a.path {
                out.push((Some(i), format!("{p}={v}")));
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
            let total: usize = base.iter().map(|&i| axes[i].values.len()).product();
            if total > 1_000_000 {
                return Err(invalid(
                    file,
                    "axes".into(),
                    format!("the grid has {total} points; at most 1000000"),
                ));
            }
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
                invalid(file, format!("axes[{i}] ({})", a.name), why)
            })?;
            if !v.is_finite() {
                return Err(invalid(
                    file,
                    format!("axes[{i}] ({})", a.name),
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

    fn design(text: &str) -> Result<Design, SweepError> {
        let f: SweepFile = ron::from_str(text).expect("parses");
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
}
