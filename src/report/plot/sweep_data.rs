//! What the sweep plots need, read back from a sweep folder's `sweep.csv` (one row per point:
//! `point`, one column per axis, `runs`, `<metric>.mean|sd|ci95_lo|ci95_hi`, `feasible`,
//! `pareto`) and `sweep.json` (axes with their values, metrics, best point).

use super::table::Table;
use super::{PlotError, SweepPlotOptions};
use crate::sweep::objective::Constraint;
use serde_json::Value;

/// One swept axis and its values, in the sweep's order.
pub(super) struct Axis {
    pub name: String,
    pub labels: Vec<String>,
    /// The scenario field the axis sets (`autoscaling[0].min_capacity`); none for an axis
    /// that only feeds derived ones or names scenario files.
    pub path: Option<String>,
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
    /// The constraints: plots of a constrained metric draw its bound.
    pub constraints: Vec<Constraint>,
    pub points: Vec<Point>,
    pub table: Table,
}

/// Which axes and metrics the plots show: x (and y) inside each panel, one panel per value of
/// the `panels` axis; other independent axes are held at their first value.
pub(super) struct View {
    pub metrics: Vec<String>,
    pub x: usize,
    pub y: Option<usize>,
    /// The axis drawn as small multiples, one panel per value: the first independent axis
    /// after x and y with 2 to [`MAX_PANELS`] values.
    pub panels: Option<usize>,
}

/// Most panels a figure draws; an axis with more values is held instead, and the figure says so.
pub(super) const MAX_PANELS: usize = 12;

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
                path: a["path"].as_str().map(str::to_string),
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
        let constraints: Vec<Constraint> = meta["constraints"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| Constraint::parse(c.as_str()?).ok())
            .collect();
        for m in objective
            .into_iter()
            .chain(constraints.iter().map(|c| c.metric.clone()))
        {
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
        let panels = y.and_then(|y| {
            (0..self.axes.len()).find(|k| {
                let a = &self.axes[*k];
                *k != x && *k != y && !a.derived && (2..=MAX_PANELS).contains(&a.labels.len())
            })
        });
        Ok(View { metrics, x, y, panels })
    }

    /// Whether axis `k` is held at its first value in view `v`: not shown (x, y, panels), not
    /// derived (a function of the others) and with more than one value to hide.
    fn is_held(&self, v: &View, k: usize) -> bool {
        k != v.x && Some(k) != v.y && Some(k) != v.panels && !self.axes[k].derived && self.axes[k].labels.len() > 1
    }

    /// How many panels the view draws (1 without a panel axis).
    pub(super) fn panel_count(&self, v: &View) -> usize {
        v.panels.map_or(1, |k| self.axes[k].labels.len())
    }

    /// Panel `i`'s title, `<axis label> = <value>`; `None` without a panel axis.
    pub(super) fn panel_title(&self, v: &View, i: usize) -> Option<String> {
        v.panels
            .map(|k| format!("{} = {}", self.axis_label(k), self.axes[k].labels[i]))
    }

    /// Points shown in panel `panel` of a view: those at the panel's value of the panel axis
    /// whose held axes sit at their first value.
    pub(super) fn in_panel<'a>(&'a self, v: &'a View, panel: usize) -> impl Iterator<Item = (usize, &'a Point)> + 'a {
        self.points.iter().enumerate().filter(move |(_, p)| {
            v.panels.is_none_or(|k| p.coords[k] == panel)
                && p.coords.iter().enumerate().all(|(k, c)| !self.is_held(v, k) || *c == 0)
        })
    }

    /// What a view hides, for its subtitle: "other axes held at a = 1, b = x", with the reason
    /// when an axis has too many values for panels; `None` when every point is shown.
    pub(super) fn held(&self, v: &View) -> Option<String> {
        let held: Vec<usize> = (0..self.axes.len()).filter(|k| self.is_held(v, *k)).collect();
        if held.is_empty() {
            return None;
        }
        let parts: Vec<String> = held
            .iter()
            .map(|k| format!("{} = {}", self.axis_label(*k), self.axes[*k].labels[0]))
            .collect();
        let mut text = format!("other axes held at {}", parts.join(", "));
        if v.panels.is_none() && v.y.is_some() {
            // No panels although an axis is held: every held axis has too many values.
            text.push_str(&format!(" (more than {MAX_PANELS} values: too many panels)"));
        }
        Some(text)
    }

    /// Axis `k` in words with its unit (`MinCapacity (instances)`).
    pub(super) fn axis_label(&self, k: usize) -> String {
        let a = &self.axes[k];
        super::labels::axis(&a.name, a.path.as_deref(), a.numeric.is_some())
    }

    /// Column `<metric>.<stat>` as numbers per row, in the unit of the metric's label (a
    /// fraction in per cent).
    pub(super) fn stat(&self, metric: &str, stat: &str) -> Result<Vec<Option<f64>>, PlotError> {
        let scale = super::labels::metric(metric).scale;
        let values = self.table.numbers(&format!("{metric}.{stat}"))?;
        Ok(values.into_iter().map(|v| v.map(|v| v * scale)).collect())
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

    /// A grid sweep over `axes` (`(name, path, kind, value count)`, values 0, 1, ...; a derived
    /// axis copies the first axis) with one metric `m`.
    fn grid(axes: &[(&str, Option<&str>, &str, usize)]) -> SweepData {
        let json_axes: Vec<Value> = axes
            .iter()
            .map(|(name, path, kind, n)| json!({"name": name, "path": path, "kind": kind, "values": (0..*n).collect::<Vec<_>>()}))
            .collect();
        let meta = json!({"name": "g", "axes": json_axes, "metrics": ["m"]});
        let names: Vec<&str> = axes.iter().map(|a| a.0).collect();
        let mut csv = format!(
            "point,{},runs,m.mean,m.ci95_lo,m.ci95_hi,feasible,pareto\n",
            names.join(",")
        );
        // Independent axes vary in grid order (first slowest); derived ones copy the first.
        let free: Vec<usize> = (0..axes.len()).filter(|k| axes[*k].2 != "derived").collect();
        let total: usize = free.iter().map(|k| axes[*k].3).product();
        for point in 0..total {
            let mut coords = vec![0; axes.len()];
            let mut rest = point;
            for k in free.iter().rev() {
                coords[*k] = rest % axes[*k].3;
                rest /= axes[*k].3;
            }
            for k in 0..axes.len() {
                if axes[k].2 == "derived" {
                    coords[k] = coords[free[0]];
                }
            }
            let cells: Vec<String> = coords.iter().map(usize::to_string).collect();
            csv.push_str(&format!("{point},{},1,{point},,,,false\n", cells.join(",")));
        }
        SweepData::parse(csv.as_bytes(), meta.to_string().as_bytes()).unwrap()
    }

    /// The rows of every panel of the default view.
    fn panels(d: &SweepData) -> (View, Vec<Vec<usize>>) {
        let v = d.view(&SweepPlotOptions::default()).unwrap();
        let rows = (0..d.panel_count(&v))
            .map(|k| d.in_panel(&v, k).map(|(row, _)| row).collect())
            .collect();
        (v, rows)
    }

    #[test]
    fn a_third_axis_gives_one_panel_per_value_and_hides_no_point() {
        let d = grid(&[
            ("a", None, "values", 2),
            ("b", Some("autoscaling[0].min_capacity"), "values", 2),
            ("cooldown", Some("x.scale_in_cooldown"), "range", 3),
        ]);
        let (v, rows) = panels(&d);
        assert_eq!((v.x, v.y, v.panels), (0, Some(1), Some(2)));
        // Panel k holds the points whose third value is k: every point once.
        assert_eq!(rows, vec![vec![0, 3, 6, 9], vec![1, 4, 7, 10], vec![2, 5, 8, 11]]);
        let mut all: Vec<usize> = rows.concat();
        all.sort();
        assert_eq!(all, (0..12).collect::<Vec<_>>());
        assert_eq!(d.held(&v), None);
        assert_eq!(
            d.panel_title(&v, 1).as_deref(),
            Some("cooldown: ScaleInCooldown (s) = 1")
        );
    }

    #[test]
    fn derived_axes_are_neither_panels_nor_held() {
        let d = grid(&[
            ("a", None, "values", 2),
            ("t", Some("x.target_value"), "derived", 2),
            ("b", None, "values", 3),
            ("c", None, "values", 2),
        ]);
        let (v, rows) = panels(&d);
        assert_eq!((v.x, v.y, v.panels), (0, Some(2), Some(3)));
        assert_eq!(rows.concat().len(), 12);
        assert_eq!(d.held(&v), None);
    }

    #[test]
    fn a_fourth_axis_is_held_and_said() {
        let d = grid(&[
            ("a", None, "values", 2),
            ("b", None, "values", 2),
            ("c", None, "values", 2),
            ("launch_s", None, "values", 3),
        ]);
        let (v, rows) = panels(&d);
        assert_eq!(v.panels, Some(2));
        // Panels cover the third axis, the fourth sits at its first value.
        assert_eq!(rows, vec![vec![0, 6, 12, 18], vec![3, 9, 15, 21]]);
        assert_eq!(d.held(&v).as_deref(), Some("other axes held at launch (s) = 0"));
    }

    #[test]
    fn too_many_values_for_panels_are_held() {
        let d = grid(&[
            ("a", None, "values", 2),
            ("b", None, "values", 2),
            ("c", None, "values", MAX_PANELS + 1),
        ]);
        let (v, rows) = panels(&d);
        assert_eq!(v.panels, None);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].len(), 4);
        let held = d.held(&v).unwrap();
        assert!(
            held.starts_with("other axes held at c = 0 (more than 12 values"),
            "{held}"
        );
        // Twelve values still make panels.
        let d = grid(&[
            ("a", None, "values", 2),
            ("b", None, "values", 2),
            ("c", None, "values", MAX_PANELS),
        ]);
        assert_eq!(panels(&d).1.len(), MAX_PANELS);
    }

    #[test]
    fn chosen_axes_leave_the_next_one_for_panels() {
        let d = grid(&[
            ("a", None, "values", 2),
            ("b", None, "values", 3),
            ("c", None, "values", 4),
        ]);
        let o = SweepPlotOptions {
            x: Some("c".into()),
            y: Some("a".into()),
            ..SweepPlotOptions::default()
        };
        let v = d.view(&o).unwrap();
        assert_eq!((v.x, v.y, v.panels), (2, Some(0), Some(1)));
        assert_eq!(d.panel_count(&v), 3);
    }
}
