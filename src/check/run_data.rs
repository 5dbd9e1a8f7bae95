//! What expectations read of one run, under the names its output files use: the values of
//! `summary.json` by dotted name (the names of `sweep.csv`, plus its texts), the columns of
//! `timeseries.csv` (parsed from the rendered bytes, so the names are the file's), and the
//! activity rows.

use crate::engine::{SimDuration, SimTime};
use crate::model::Activity;
use crate::report;
use crate::sim::RunResult;
use serde_json::Value;
use std::collections::BTreeMap;

/// One run, as its expectations see it.
pub struct RunData {
    pub seed: u64,
    /// The end of the run.
    pub end: SimTime,
    /// `summary.json` leaves by dotted name (lists left out), and `error_rate`.
    pub summary: BTreeMap<String, Value>,
    pub series: Series,
    pub activities: Vec<Activity>,
}

/// `timeseries.csv`: the header, and per row the period's start and its cells (`None`: empty
/// or not a number).
pub struct Series {
    pub columns: Vec<String>,
    pub period: SimDuration,
    pub rows: Vec<(SimTime, Vec<Option<f64>>)>,
    /// Columns holding text (statuses), which no bound can compare.
    pub text_columns: Vec<bool>,
}

impl RunData {
    pub fn new(result: &RunResult) -> RunData {
        let s = report::summary(result);
        let mut summary = BTreeMap::new();
        if let Ok(Value::Object(map)) = serde_json::to_value(&s) {
            for (k, v) in &map {
                if k != "seed" && !(k == "deployment" && v.is_null()) {
                    leaves(k, v, &mut summary);
                }
            }
        }
        // The same definition as `sweep.csv`'s, without flattening the summary a second time.
        let rate = crate::sweep::metrics::error_rate(&s);
        summary.insert(
            crate::sweep::metrics::ERROR_RATE.to_string(),
            rate.and_then(serde_json::Number::from_f64)
                .map_or(Value::Null, Value::Number),
        );
        RunData {
            seed: result.seed,
            end: SimTime(result.duration.0),
            summary,
            series: Series::parse(&report::timeseries_csv(result), result.period),
            activities: result.activities.clone(),
        }
    }
}

fn leaves(path: &str, v: &Value, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                leaves(&format!("{path}.{k}"), v, out);
            }
        }
        Value::Array(_) => {}
        leaf => {
            out.insert(path.to_string(), leaf.clone());
        }
    }
}

impl Series {
    /// Reads the rendered `timeseries.csv` (always well formed: the report wrote it).
    pub fn parse(bytes: &[u8], period: SimDuration) -> Series {
        let mut r = csv::Reader::from_reader(bytes);
        let columns: Vec<String> = r
            .headers()
            .map(|h| h.iter().map(str::to_string).collect())
            .unwrap_or_default();
        let mut text_columns = vec![false; columns.len()];
        let mut rows = Vec::new();
        for rec in r.records().flatten() {
            let cells: Vec<Option<f64>> = rec
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    let v = cell.parse::<f64>().ok();
                    if v.is_none() && !cell.is_empty() {
                        text_columns[i] = true;
                    }
                    v
                })
                .collect();
            let start = cells.first().copied().flatten().unwrap_or(0.0);
            rows.push((SimTime((start * 1e6).round() as u64), cells));
        }
        Series {
            columns,
            period,
            rows,
            text_columns,
        }
    }
}
