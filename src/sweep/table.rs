//! Aggregates run records into per-point statistics, judges feasibility, picks the best point
//! and the Pareto front, and renders `sweep.csv`, `runs.csv` and `sweep.json`.
//!
//! `runs.csv` holds numbers in Rust's shortest round-trip formatting, so reading it back gives
//! the exact values: `fleetsim merge` re-aggregates shards through this same code and writes
//! the same bytes as a single machine. `sweep.csv` is for reading: each metric is aggregated as
//! its [`Kind`] says and written to six significant digits.

use super::design::Design;
use super::metrics::{self, Kind, Metrics};
use super::objective::Constraint;
use super::objective::{self, PARETO_COST, PARETO_LATENCY};
use super::run::RunRecord;
use super::shard::Shard;
use super::stats::{stats_of_present, wilson, Stat};
use serde::{Deserialize, Serialize};

/// One row of `sweep.csv`.
#[derive(Clone, Debug)]
pub struct PointRow {
    pub point: usize,
    pub runs: usize,
    /// One per metric, in metric order.
    pub stats: Vec<Stat>,
    /// `None` when the sweep has no constraints.
    pub feasible: Option<bool>,
    pub pareto: bool,
}

/// The aggregated sweep (or shard).
#[derive(Clone, Debug)]
pub struct Table {
    pub metrics: Vec<String>,
    pub rows: Vec<PointRow>,
    pub best: Option<usize>,
    pub pareto: Vec<usize>,
}

impl Table {
    pub fn row(&self, point: usize) -> Option<&PointRow> {
        self.rows.iter().find(|r| r.point == point)
    }

    pub fn mean(&self, row: &PointRow, metric: &str) -> Option<f64> {
        self.stat(row, metric)?.mean
    }

    pub fn stat<'a>(&self, row: &'a PointRow, metric: &str) -> Option<&'a Stat> {
        let i = self.metrics.iter().position(|m| m == metric)?;
        row.stats.get(i)
    }

    /// Constraint `c` judged at `row`: on the mean, or on its confidence bound.
    pub fn judge(&self, row: &PointRow, c: &Constraint) -> objective::Judged {
        match self.stat(row, &c.metric) {
            Some(s) => c.judge(s, metrics::kind(&c.metric) == Kind::Share),
            None => objective::Judged {
                value: None,
                holds: false,
            },
        }
    }
}

/// The statistics of one metric over a point's runs, as its kind asks: a share's interval is
/// Wilson's (a Student-t interval around a share of 0 or 1 would be empty).
fn stat_of(metric: &str, values: &[Option<f64>]) -> Stat {
    let mut s = stats_of_present(values);
    if metrics::kind(metric) == Kind::Share {
        if let Some(p) = s.mean {
            s.sd = None;
            s.ci95 = Some(wilson(p, s.n as f64, super::stats::z(0.975)));
        }
    }
    s
}

/// Aggregates `records` (sorted by point, then replication) over the listed metrics.
pub fn aggregate(design: &Design, records: &[RunRecord], metrics: &[String]) -> Table {
    let mut rows = Vec::new();
    let mut start = 0;
    while start < records.len() {
        let point = records[start].point;
        let end = start + records[start..].iter().take_while(|r| r.point == point).count();
        let group = &records[start..end];
        let stats = metrics
            .iter()
            .map(|m| {
                stat_of(
                    m,
                    &group
                        .iter()
                        .map(|r| r.metrics.get(m).copied().flatten())
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        rows.push(PointRow {
            point,
            runs: group.len(),
            stats,
            feasible: None,
            pareto: false,
        });
        start = end;
    }
    let mut table = Table {
        metrics: metrics.to_vec(),
        rows,
        best: None,
        pareto: Vec::new(),
    };
    if !design.constraints.is_empty() {
        let feasible: Vec<bool> = table
            .rows
            .iter()
            .map(|row| design.constraints.iter().all(|c| table.judge(row, c).holds))
            .collect();
        for (row, f) in table.rows.iter_mut().zip(feasible) {
            row.feasible = Some(f);
        }
    }
    if let Some(o) = &design.objective {
        let candidates: Vec<(usize, f64)> = table
            .rows
            .iter()
            .filter(|r| r.feasible != Some(false))
            .filter_map(|r| table.mean(r, &o.metric).map(|v| (r.point, v)))
            .collect();
        table.best = objective::best(o.direction, candidates);
    }
    let front_input: Vec<(usize, f64, f64)> = table
        .rows
        .iter()
        .filter_map(|r| Some((r.point, table.mean(r, PARETO_COST)?, table.mean(r, PARETO_LATENCY)?)))
        .collect();
    table.pareto = objective::pareto(&front_input);
    for row in &mut table.rows {
        row.pareto = table.pareto.contains(&row.point);
    }
    table
}

fn num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Significant digits of `sweep.csv`: far finer than any interval over a few replications, and
/// short enough to read.
const DIGITS: i32 = 6;

/// `v` to `DIGITS` significant digits, without trailing zeros or an exponent (`173.252`,
/// `0.00125`, `1400`); empty when missing.
pub fn sig(v: Option<f64>) -> String {
    let Some(x) = v else { return String::new() };
    if x == 0.0 || !x.is_finite() {
        return if x == 0.0 { "0".into() } else { x.to_string() };
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = DIGITS - 1 - magnitude;
    if decimals > 15 {
        // Smaller than 1e-10: an exponent is shorter than the zeros.
        let text = format!("{:.*e}", (DIGITS - 1) as usize, x);
        let (mantissa, exponent) = text.split_once('e').expect("exponent format");
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    if decimals <= 0 {
        let unit = 10f64.powi(-decimals);
        return format!("{}", (x / unit).round() * unit);
    }
    let text = format!("{:.*}", decimals as usize, x);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().expect("writing to memory cannot fail")
}

/// The statistics `sweep.csv` gives a metric of `kind`.
fn columns_of(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Measure => &["mean", "sd", "ci95_lo", "ci95_hi"],
        Kind::Share => &["mean", "ci95_lo", "ci95_hi"],
        Kind::Setting => &[],
    }
}

/// `sweep.csv`: `point`, the axes, `runs`; per metric `M.mean`, `M.sd`, `M.ci95_lo`,
/// `M.ci95_hi` for a measure, `M.mean` (the share of runs) with its Wilson `M.ci95_lo` /
/// `M.ci95_hi` for a 0/1 outcome, `M` alone for a setting; then per constraint judged on a
/// confidence bound `constraints[i].bound`; `feasible`, `pareto`. Six significant digits.
pub fn sweep_csv(design: &Design, table: &Table) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(design.axes.iter().map(|a| a.name.clone()));
    header.push("runs".into());
    for m in &table.metrics {
        match metrics::kind(m) {
            Kind::Setting => header.push(m.clone()),
            k => header.extend(columns_of(k).iter().map(|s| format!("{m}.{s}"))),
        }
    }
    let bounded: Vec<(usize, &Constraint)> = design
        .constraints
        .iter()
        .enumerate()
        .filter(|(_, c)| c.confidence.is_some())
        .collect();
    header.extend(bounded.iter().map(|(i, _)| format!("constraints[{i}].bound")));
    header.extend(["feasible".to_string(), "pareto".to_string()]);
    w.write_record(&header).expect("in memory");
    for row in &table.rows {
        let mut rec: Vec<String> = vec![row.point.to_string()];
        rec.extend(design.points[row.point].values.iter().map(|v| v.to_string()));
        rec.push(row.runs.to_string());
        for (m, s) in table.metrics.iter().zip(&row.stats) {
            for c in columns_of(metrics::kind(m)) {
                rec.push(sig(match *c {
                    "mean" => s.mean,
                    "sd" => s.sd,
                    "ci95_lo" => s.ci95.map(|c| c.0),
                    _ => s.ci95.map(|c| c.1),
                }));
            }
            if metrics::kind(m) == Kind::Setting {
                rec.push(sig(s.mean));
            }
        }
        rec.extend(bounded.iter().map(|(_, c)| sig(table.judge(row, c).value)));
        rec.push(row.feasible.map(|f| f.to_string()).unwrap_or_default());
        rec.push(row.pareto.to_string());
        w.write_record(&rec).expect("in memory");
    }
    finish(w)
}

/// `runs.csv`: `point`, the axes, `replication`, `seed`, then every metric.
pub fn runs_csv(design: &Design, records: &[RunRecord], metrics: &[String]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(design.axes.iter().map(|a| a.name.clone()));
    header.extend(["replication".to_string(), "seed".to_string()]);
    header.extend(metrics.iter().cloned());
    w.write_record(&header).expect("in memory");
    for r in records {
        let mut rec: Vec<String> = vec![r.point.to_string()];
        rec.extend(design.points[r.point].values.iter().map(|v| v.to_string()));
        rec.push(r.replication.to_string());
        rec.push(r.seed.to_string());
        rec.extend(metrics.iter().map(|m| num(r.metrics.get(m).copied().flatten())));
        w.write_record(&rec).expect("in memory");
    }
    finish(w)
}

/// `runs.csv` read back: the metric names, and the records with the line each was read from.
pub type RunsCsv = (Vec<String>, Vec<(u64, RunRecord)>);

/// Reads `runs.csv` back: the metric names and the records, each with the line it was read
/// from. Every cell is checked against the design: the point exists, its axis cells are the
/// point's values, the replication is one of the sweep's, and every metric is a finite number
/// or empty (missing). Errors name the line and the column (1-based, with its header).
pub fn parse_runs_csv(design: &Design, bytes: &[u8]) -> Result<RunsCsv, String> {
    let mut rd = csv::Reader::from_reader(bytes);
    let header: Vec<String> = rd
        .headers()
        .map_err(|e| format!("line 1: not CSV ({e})"))?
        .iter()
        .map(str::to_string)
        .collect();
    let first_metric = 3 + design.axes.len();
    let expected: Vec<String> = std::iter::once("point".to_string())
        .chain(design.axes.iter().map(|a| a.name.clone()))
        .chain(["replication".to_string(), "seed".to_string()])
        .collect();
    if header.len() < first_metric || header[..first_metric] != expected[..] {
        return Err(format!(
            "line 1: the header starts {:?}; expected it to start {}",
            super::error::shorten(&header.join(",")),
            expected.join(",")
        ));
    }
    let metrics = header[first_metric..].to_vec();
    let mut records = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| match e.position() {
            Some(p) => format!("line {}: not a CSV row of {} cells ({e})", p.line(), header.len()),
            None => format!("not CSV ({e})"),
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let at = |col: usize, what: String| {
            format!(
                "line {line}, column {} (`{}`): {:?} {what}",
                col + 1,
                super::error::shorten(&header[col]),
                super::error::shorten(&rec[col])
            )
        };
        let point: usize = rec[0].parse().map_err(|_| at(0, "is not a point number".into()))?;
        if point >= design.points.len() {
            return Err(at(
                0,
                format!("is beyond the sweep's points (0 to {})", design.points.len() - 1),
            ));
        }
        for (a, v) in design.points[point].values.iter().enumerate() {
            if rec[1 + a] != v.to_string() {
                return Err(at(
                    1 + a,
                    format!("differs from the sweep's value at point {point} ({v})"),
                ));
            }
        }
        let replication: u32 = rec[first_metric - 2]
            .parse()
            .ok()
            .filter(|r| *r < design.replications)
            .ok_or_else(|| {
                at(
                    first_metric - 2,
                    format!("is not a replication of the sweep (0 to {})", design.replications - 1),
                )
            })?;
        let seed: u64 = rec[first_metric - 1].parse().map_err(|_| {
            at(
                first_metric - 1,
                "is not a seed (a whole number from 0 to 2^64 - 1)".into(),
            )
        })?;
        let mut m = Metrics::new();
        for (k, name) in metrics.iter().enumerate() {
            let cell = &rec[first_metric + k];
            let v = if cell.is_empty() {
                None
            } else {
                match cell.parse::<f64>() {
                    Ok(x) if x.is_finite() => Some(x),
                    _ => {
                        return Err(at(
                            first_metric + k,
                            "is not a metric value; allowed: a finite number, or empty for a missing one".into(),
                        ))
                    }
                }
            };
            m.insert(name.clone(), v);
        }
        records.push((
            line,
            RunRecord {
                point,
                replication,
                seed,
                metrics: m,
            },
        ));
    }
    Ok((metrics, records))
}

/// `sweep.json`: the sweep's description and results (field order fixed by this struct).
#[derive(Debug, Serialize, Deserialize)]
pub struct SweepJson {
    pub name: String,
    pub base_scenario: String,
    pub sweep_text: String,
    /// `--set PATH=VALUE` given to `fleetsim sweep`, applied after the file's `set`.
    #[serde(default)]
    pub command_line_set: Vec<String>,
    pub replications: u32,
    pub combine: String,
    pub axes: Vec<AxisJson>,
    pub metrics: Vec<String>,
    pub objective: Option<ObjectiveJson>,
    pub constraints: Vec<String>,
    pub best_point: Option<usize>,
    pub pareto_points: Vec<usize>,
    pub shard: Option<ShardJson>,
    pub fleetsim_version: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AxisJson {
    pub name: String,
    pub path: Option<String>,
    pub kind: String,
    pub values: Vec<serde_json::Value>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ObjectiveJson {
    pub direction: String,
    pub metric: String,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ShardJson {
    pub index: usize,
    pub count: usize,
}

pub fn sweep_json(design: &Design, sweep_text: &str, table: &Table, shard: Option<Shard>) -> Vec<u8> {
    let doc = SweepJson {
        name: design.name.clone(),
        base_scenario: design.base_scenario.clone(),
        sweep_text: sweep_text.to_string(),
        command_line_set: design.command_line_set.clone(),
        replications: design.replications,
        combine: design.combine.as_str().to_string(),
        axes: design
            .axes
            .iter()
            .enumerate()
            .map(|(i, a)| AxisJson {
                name: a.name.clone(),
                path: a.path.clone(),
                kind: a.kind.as_str().to_string(),
                values: design.axis_values(i).iter().map(|v| v.to_json()).collect(),
            })
            .collect(),
        metrics: table.metrics.clone(),
        objective: design.objective.as_ref().map(|o| ObjectiveJson {
            direction: o.direction.as_str().to_string(),
            metric: o.metric.clone(),
        }),
        constraints: design.constraints.iter().map(|c| c.text.clone()).collect(),
        best_point: table.best,
        pareto_points: table.pareto.clone(),
        shard: shard.map(|s| ShardJson {
            index: s.index,
            count: s.count,
        }),
        fleetsim_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("sweep.json serializes");
    bytes.push(b'\n');
    bytes
}

/// The rows of `sweep.csv` as a JSON array, for `fleetsim sweep --json`: per point `point`,
/// `values` (axis name to value), `runs`, `metrics` (per metric the columns of `sweep.csv`:
/// `mean`, `sd`, `ci95_lo`, `ci95_hi` for a measure, `mean`, `ci95_lo`, `ci95_hi` for a share,
/// the value for a setting), `constraint_bounds` (the `constraints[i].bound` columns, by
/// constraint index), `feasible` (`null` without constraints) and `pareto`. Numbers are exact,
/// not rounded to six digits; a missing value is `null`.
pub fn points_json(design: &Design, table: &Table) -> Vec<u8> {
    use serde_json::{json, Map, Value};
    let num = |v: Option<f64>| v.filter(|x| x.is_finite()).map_or(Value::Null, Value::from);
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|row| {
            let values: Map<String, Value> = design
                .axes
                .iter()
                .zip(&design.points[row.point].values)
                .map(|(a, v)| (a.name.clone(), v.to_json()))
                .collect();
            let metrics: Map<String, Value> = table
                .metrics
                .iter()
                .zip(&row.stats)
                .map(|(m, s)| {
                    let kind = metrics::kind(m);
                    let v = if kind == Kind::Setting {
                        num(s.mean)
                    } else {
                        let cells: Map<String, Value> = columns_of(kind)
                            .iter()
                            .map(|c| {
                                let v = match *c {
                                    "mean" => s.mean,
                                    "sd" => s.sd,
                                    "ci95_lo" => s.ci95.map(|c| c.0),
                                    _ => s.ci95.map(|c| c.1),
                                };
                                (c.to_string(), num(v))
                            })
                            .collect();
                        Value::Object(cells)
                    };
                    (m.clone(), v)
                })
                .collect();
            let bounds: Map<String, Value> = design
                .constraints
                .iter()
                .enumerate()
                .filter(|(_, c)| c.confidence.is_some())
                .map(|(i, c)| (i.to_string(), num(table.judge(row, c).value)))
                .collect();
            json!({
                "point": row.point,
                "values": values,
                "runs": row.runs,
                "metrics": metrics,
                "constraint_bounds": bounds,
                "feasible": row.feasible,
                "pareto": row.pareto,
            })
        })
        .collect();
    serde_json::to_vec_pretty(&rows).expect("points serialize")
}

/// The terminal report: the best feasible point and the Pareto front.
pub fn terminal_report(design: &Design, table: &Table) -> String {
    let mut out = String::new();
    let describe = |point: usize| design.points[point].describe(&design.axes);
    // Cost, p99 and errors, then every constrained metric: what decides feasibility is shown.
    let mut shown: Vec<&str> = vec![PARETO_COST, PARETO_LATENCY, super::metrics::ERROR_RATE];
    for c in &design.constraints {
        if !shown.contains(&c.metric.as_str()) {
            shown.push(&c.metric);
        }
    }
    let figures = |row: &PointRow| {
        let mut parts = Vec::new();
        for m in &shown {
            if let Some(v) = table.mean(row, m) {
                parts.push(format!("{m} {}", fmt_num(v)));
            }
        }
        parts.join(", ")
    };
    // The constraints a point breaks, with the value judged (mean or confidence bound).
    let broken = |row: &PointRow| {
        design
            .constraints
            .iter()
            .map(|c| (c, table.judge(row, c)))
            .filter(|(_, j)| !j.holds)
            .map(|(c, j)| match j.value {
                Some(v) => format!("{} {} {} breaks {}", c.metric, c.value_name(), fmt_num(v), c.text),
                None => format!("{} has no {}, {} cannot hold", c.metric, c.value_name(), c.text),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let feasible = table.rows.iter().filter(|r| r.feasible == Some(true)).count();
    if !design.constraints.is_empty() {
        out.push_str(&format!("feasible  {feasible} of {} points\n", table.rows.len()));
    }
    if let Some(o) = &design.objective {
        match table.best.and_then(|b| table.row(b)) {
            Some(row) => out.push_str(&format!(
                "best      point {} ({}): {} {} = {}; {}\n",
                row.point,
                describe(row.point),
                o.direction.as_str(),
                o.metric,
                table.mean(row, &o.metric).map(fmt_num).unwrap_or_default(),
                figures(row)
            )),
            None => {
                let met: Vec<String> = design
                    .constraints
                    .iter()
                    .map(|c| {
                        let n = table.rows.iter().filter(|r| table.judge(r, c).holds).count();
                        format!("{} met by {n} of {}", c.text, table.rows.len())
                    })
                    .collect();
                out.push_str(&format!(
                    "best      none: no point satisfies every constraint ({})\n",
                    met.join("; ")
                ));
            }
        }
    }
    if !table.pareto.is_empty() {
        out.push_str("pareto    cost_usd vs latency_ms.p99 (means over replications):\n");
        let mut front: Vec<&PointRow> = table.pareto.iter().filter_map(|&p| table.row(p)).collect();
        front.sort_by(|a, b| {
            let key = |r: &PointRow| table.mean(r, PARETO_COST).unwrap_or(f64::INFINITY);
            key(a).total_cmp(&key(b)).then(a.point.cmp(&b.point))
        });
        for row in front {
            let mark = match row.feasible {
                Some(false) => format!(" (infeasible: {})", broken(row)),
                _ => String::new(),
            };
            out.push_str(&format!(
                "  point {} ({}): {}{mark}\n",
                row.point,
                describe(row.point),
                figures(row)
            ));
        }
    }
    out
}

/// A number for the terminal: one decimal from 100 up or for whole numbers, else four.
pub fn fmt_num(v: f64) -> String {
    if v.abs() >= 100.0 || v == v.trunc() {
        format!("{v:.1}")
    } else {
        format!("{v:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::sig;

    #[test]
    fn six_significant_digits_without_noise() {
        for (v, text) in [
            (173.25193847, "173.252"),
            (0.0012500000000000002, "0.00125"),
            (1400.0, "1400"),
            (1234567.8, "1234570"),
            (-2.5, "-2.5"),
            (0.0, "0"),
            (-0.0000001, "-0.0000001"),
            (3.0e-12, "3e-12"),
            (1.5e-11, "1.5e-11"),
            (99.99999999, "100"),
        ] {
            assert_eq!(sig(Some(v)), text, "{v}");
        }
        assert_eq!(sig(None), "");
    }
}
