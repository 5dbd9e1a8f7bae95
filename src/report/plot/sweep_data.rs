//! What the sweep plots need, read back from a sweep folder's `sweep.csv` (one row per point:
//! `point`, one column per axis, `runs`, `<metric>.mean|sd|ci95_lo|ci95_hi`, `feasible`,
//! `pareto`) and `sweep.json` (axes with their values, metrics, best point).

use super::table::Table;
use super::{PlotError, SweepPlotOptions};
use serde_json::Value;

/// One swept axis and its values, in the sweep's order.
pub(super) struct Axis {
    pub name: String,
    pub labels: Vec<String>,
    /// The values as numbers, when every value is one.
    pub numeric: Option<Vec<f64>>,
    /// A derived axis: a function of the others, so a view never holds it at a value (that
    /// would hide every point whose own axes give another).
    pub derived: bool,
}

pub(super) struct Point {
    /// The `point` column.
    pub id: u64,
    /// Index of the point's value on each axis.
    pub coords: Vec<usize>,
    pub feasible: Option<bool>,
    pub pareto: bool,
}

pub(super) struct SweepData {
    pub name: String,
    pub axes: Vec<Axis>,
    pub metrics: Vec<String>,
    pub best_point: Option<u64>,
    /// The metrics of the objective and the constraints, in that order, without repeats: the
    /// ones the sweep asks about, plotted by default.
    pub asked: Vec<String>,
    /// The constraints as `(metric, text, bound)`: plots of that metric draw the bound.
    pub constraints: Vec<(String, String, f64)>,
    pub points: Vec<Point>,
    pub table: Table,
}

/// Which axes and metrics the plots show; other axes are held at their first value.
pub(super) struct View {
    pub metrics: Vec<String>,
    pub x: usize,
    pub y: Option<usize>,
}

fn bad(file: &str, message: String) -> PlotError {
    PlotError::Input {
        file: file.to_string(),
        message,
    }
}

/// A JSON axis value as the label a reader sees.
fn label(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            Some(f) => f.to_string(),
            None => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// Whether a CSV cell names axis value `v` (numbers compare as numbers, `2400` = `2400.0`).
fn matches(cell: &str, v: &Value) -> bool {
    match (v.as_f64(), cell.trim().parse::<f64>()) {
        (Some(a), Ok(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        _ => cell.trim() == label(v),
    }
}

impl SweepData {
    pub(super) fn parse(csv: &[u8], json: &[u8]) -> Result<SweepData, PlotError> {
        let meta: Value =
            serde_json::from_slice(json).map_err(|e| bad("sweep.json", format!("malformed JSON: {e}")))?;
        let name = meta["name"].as_str().unwrap_or("sweep").to_string();
        let raw_axes = meta["axes"]
            .as_array()
            .filter(|a| !a.is_empty())
            .ok_or_else(|| bad("sweep.json", "missing or empty `axes`".into()))?;
        let mut axes = vec![];
        let mut axis_values = vec![];
        for (i, a) in raw_axes.iter().enumerate() {
            let name = a["name"]
                .as_str()
                .ok_or_else(|| bad("sweep.json", format!("axes[{i}]: missing `name`")))?;
            let values = a["values"]
                .as_array()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| bad("sweep.json", format!("axes[{i}] ({name}): missing or empty `values`")))?;
            axes.push(Axis {
                name: name.to_string(),
                labels: values.iter().map(label).collect(),
                numeric: values.iter().map(Value::as_f64).collect(),
                derived: a["kind"].as_str() == Some("derived"),
            });
            axis_values.push(values.clone());
        }
        let metrics: Vec<String> = meta["metrics"]
            .as_array()
            .ok_or_else(|| bad("sweep.json", "missing `metrics`".into()))?
            .iter()
            .map(|m| m.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| bad("sweep.json", "`metrics` must be a list of names".into()))?;
        let best_point = meta["best_point"].as_u64();
        let mut asked: Vec<String> = Vec::new();
        let objective = meta["objective"]["metric"].as_str().map(str::to_string);
        let constraints: Vec<(String, String, f64)> = meta["constraints"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| crate::sweep::objective::Constraint::parse(c.as_str()?).ok())
            .map(|c| (c.metric, c.text, c.bound))
            .collect();
        for m in objective.into_iter().chain(constraints.iter().map(|c| c.0.clone())) {
            if metrics.contains(&m) && !asked.contains(&m) {
                asked.push(m);
            }
        }

        let table = Table::parse("sweep.csv", csv)?;
        let ids = table.required("point")?;
        let mut cols = vec![];
        for a in &axes {
            cols.push(table.strings(&a.name)?);
        }
        let feasible = table.strings("feasible")?;
        let pareto = table.strings("pareto")?;
        let mut points = vec![];
        for (row, id) in ids.iter().enumerate() {
            let mut coords = vec![];
            for (k, a) in axes.iter().enumerate() {
                let cell = cols[k][row];
                let i = axis_values[k].iter().position(|v| matches(cell, v)).ok_or_else(|| {
                    bad(
                        "sweep.csv",
                        format!(
                            "line {}, column `{}`: `{cell}` is not one of the axis values in sweep.json ({})",
                            row + 2,
                            a.name,
                            a.labels.join(", ")
                        ),
                    )
                })?;
                coords.push(i);
            }
            let flag = |cell: &str, col: &str| -> Result<Option<bool>, PlotError> {
                match cell.trim() {
                    "" => Ok(None),
                    "true" => Ok(Some(true)),
                    "false" => Ok(Some(false)),
                    other => Err(bad(
                        "sweep.csv",
                        format!(
                            "line {}, column `{col}`: `{other}`; allowed: true, false or empty",
                            row + 2
                        ),
                    )),
                }
            };
            points.push(Point {
                id: *id as u64,
                coords,
                feasible: flag(feasible[row], "feasible")?,
                pareto: flag(pareto[row], "pareto")?.unwrap_or(false),
            });
        }
        Ok(SweepData {
            name,
            axes,
            metrics,
            best_point,
            asked,
            constraints,
            points,
            table,
        })
    }

    pub(super) fn view(&self, o: &SweepPlotOptions) -> Result<View, PlotError> {
        let metrics = if o.metrics.is_empty() && !self.asked.is_empty() {
            self.asked.clone()
        } else if o.metrics.is_empty() {
            let default = "latency_ms.p99";
            match self.metrics.iter().find(|m| *m == default).or(self.metrics.first()) {
                Some(m) => vec![m.clone()],
                None => return Err(bad("sweep.json", "the sweep reports no metrics".into())),
            }
        } else {
            for m in &o.metrics {
                if !self.metrics.contains(m) || !self.table.has(&format!("{m}.mean")) {
                    return Err(bad(
                        "sweep.csv",
                        format!("no metric `{m}`; the sweep has: {}", self.metrics.join(", ")),
                    ));
                }
            }
            o.metrics.clone()
        };
        let find = |name: &str| -> Result<usize, PlotError> {
            self.axes.iter().position(|a| a.name == name).ok_or_else(|| {
                let names: Vec<&str> = self.axes.iter().map(|a| a.name.as_str()).collect();
                bad(
                    "sweep.json",
                    format!("no axis `{name}`; the sweep's axes are: {}", names.join(", ")),
                )
            })
        };
        let x = match &o.x {
            Some(n) => find(n)?,
            None => self.axes.iter().position(|a| !a.derived).unwrap_or(0),
        };
        let y = match &o.y {
            Some(n) => Some(find(n)?),
            None => (0..self.axes.len()).find(|i| *i != x && !self.axes[*i].derived),
        };
        if y == Some(x) {
            return Err(bad(
                "sweep.json",
                format!("--x and --y both name `{}`", self.axes[x].name),
            ));
        }
        Ok(View { metrics, x, y })
    }

    /// Points shown in a view: those whose axes other than x, y and the derived ones sit at
    /// their first value.
    pub(super) fn in_view<'a>(&'a self, v: &'a View) -> impl Iterator<Item = (usize, &'a Point)> + 'a {
        self.points.iter().enumerate().filter(move |(_, p)| {
            p.coords
                .iter()
                .enumerate()
                .all(|(k, c)| k == v.x || Some(k) == v.y || self.axes[k].derived || *c == 0)
        })
    }

    /// "held at a = 1, b = x" for the axes a view does not show, or `None` when it shows all.
    pub(super) fn held(&self, v: &View) -> Option<String> {
        let parts: Vec<String> = self
            .axes
            .iter()
            .enumerate()
            .filter(|(k, a)| *k != v.x && Some(*k) != v.y && !a.derived)
            .map(|(_, a)| format!("{} = {}", a.name, a.labels[0]))
            .collect();
        (!parts.is_empty()).then(|| format!("other axes held at {}", parts.join(", ")))
    }

    /// Column `<metric>.<stat>` as numbers per row.
    pub(super) fn stat(&self, metric: &str, stat: &str) -> Result<Vec<Option<f64>>, PlotError> {
        self.table.numbers(&format!("{metric}.{stat}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn axis_values_match_cells() {
        assert!(matches("2400", &json!(2400.0)));
        assert!(matches("0.5", &json!(0.5)));
        assert!(matches("Random", &json!("Random")));
        assert!(!matches("0.25", &json!(0.5)));
        assert_eq!(label(&json!(2400.0)), "2400");
        assert_eq!(label(&json!(0.25)), "0.25");
    }
}
