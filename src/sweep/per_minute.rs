//! Per-minute constraints: a run's worst metrics period of a `timeseries.csv` column.
//!
//! `latency_p99_ms <= 500 per minute` asks that every period of a run meets the bound, so the
//! run's value is its worst period: the largest for an upper bound (`max_per_minute.<column>`),
//! the smallest for a lower one (`min_per_minute.<column>`). A period with no value (no request
//! completed, so no percentile) is not judged. `error_rate` per minute is the period's failed
//! requests (the `failed` column: 4XX, throttles on a serverless endpoint among them, 5XX, timed
//! out, rejected) over its arrivals, judged where something arrived.
//!
//! The values are read from the rendered `timeseries.csv`, so a column means exactly what the
//! file a user opens says; only runs of sweeps with such a constraint pay for rendering it.

use super::metrics::{Metrics, ERROR_RATE};
use super::objective::Constraint;

/// The column of a period's failed requests; `error_rate` per minute is it over arrivals.
const FAILED: &str = "failed";

/// Its parts, for a `timeseries.csv` written before it had the column. Throttles are inside
/// `errors_4xx`, as CloudWatch counts them, so they are not added again.
const FAILED_PARTS: [&str; 4] = ["errors_4xx", "errors_5xx", "timed_out", "rejected"];

/// The columns a per-minute constraint may name, from a run's `timeseries.csv` header: the
/// numeric columns and `error_rate`.
pub fn columns(header: &[String]) -> Vec<String> {
    let mut out: Vec<String> = header
        .iter()
        .filter(|c| {
            !matches!(c.as_str(), "time_s" | "clock" | "timestamp" | "endpoint_status")
                && !c.ends_with(".variant_status")
        })
        .cloned()
        .collect();
    out.push(ERROR_RATE.to_string());
    out
}

/// The header of a rendered `timeseries.csv`.
pub fn header(csv_bytes: &[u8]) -> Vec<String> {
    let mut r = csv::Reader::from_reader(csv_bytes);
    r.headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// The per-minute run metrics of `constraints` from a run's rendered `timeseries.csv`: for each,
/// the worst period's value, or missing when no period had one.
pub fn metrics(csv_bytes: &[u8], constraints: &[Constraint]) -> Metrics {
    let mut out = Metrics::new();
    let asked: Vec<(&Constraint, &String)> = constraints
        .iter()
        .filter_map(|c| c.per_minute.as_ref().map(|col| (c, col)))
        .collect();
    if asked.is_empty() {
        return out;
    }
    let mut r = csv::Reader::from_reader(csv_bytes);
    let head = r
        .headers()
        .map(|h| h.iter().map(str::to_string).collect::<Vec<_>>())
        .unwrap_or_default();
    let at = |name: &str| head.iter().position(|h| h == name);
    let failed: Vec<usize> = match at(FAILED) {
        Some(i) => vec![i],
        None => FAILED_PARTS.iter().filter_map(|c| at(c)).collect(),
    };
    let arrivals = at("arrivals");
    let rows: Vec<Vec<Option<f64>>> = r
        .records()
        .flatten()
        .map(|rec| rec.iter().map(|cell| cell.parse::<f64>().ok()).collect())
        .collect();
    for (c, col) in asked {
        let larger_is_worse = c.metric.starts_with("max_per_minute.");
        let values = rows.iter().filter_map(|row| {
            if col == ERROR_RATE {
                let n = row.get(arrivals?).copied().flatten()?;
                let f: f64 = failed.iter().filter_map(|&i| row.get(i).copied().flatten()).sum();
                (n > 0.0).then(|| f / n)
            } else {
                row.get(at(col)?).copied().flatten()
            }
        });
        let worst = values.fold(None, |w: Option<f64>, v| match w {
            None => Some(v),
            Some(w) if larger_is_worse => Some(w.max(v)),
            Some(w) => Some(w.min(v)),
        });
        out.insert(c.metric.clone(), worst);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &[u8] = b"time_s,clock,arrivals,errors_4xx,errors_5xx,timed_out,rejected,latency_p99_ms\n\
        0,00:00:00,100,0,1,0,0,120\n\
        60,00:01:00,200,2,2,0,4,480.5\n\
        120,00:02:00,0,0,0,0,0,\n";

    #[test]
    fn worst_period_of_a_column_and_of_the_error_rate() {
        let cs: Vec<Constraint> = [
            "latency_p99_ms <= 500 per minute",
            "latency_p99_ms >= 100 per minute",
            "error_rate < 1 % per minute",
        ]
        .iter()
        .map(|t| Constraint::parse(t).unwrap())
        .collect();
        let m = metrics(CSV, &cs);
        assert_eq!(m["max_per_minute.latency_p99_ms"], Some(480.5));
        assert_eq!(m["min_per_minute.latency_p99_ms"], Some(120.0));
        // 8 failed of 200 in the second minute; the empty third minute is not judged.
        assert_eq!(m["max_per_minute.error_rate"], Some(0.04));
        // A column with no value anywhere is missing, not zero.
        let c = [Constraint::parse("latency_p99_ms <= 1 per minute").unwrap()];
        let empty = b"time_s,clock,arrivals,latency_p99_ms\n0,00:00:00,0,\n";
        assert_eq!(metrics(empty, &c)["max_per_minute.latency_p99_ms"], None);
    }

    /// A serverless throttle is a 4XX: the `failed` column counts it once, where the sum of
    /// `errors_4xx` and `serverless.throttled` counted it twice.
    #[test]
    fn throttles_count_once_in_the_error_rate() {
        let csv = b"time_s,arrivals,errors_4xx,throttled,failed,serverless.throttled\n0,100,5,5,5,5\n";
        let c = [Constraint::parse("error_rate < 1 % per minute").unwrap()];
        assert_eq!(metrics(csv, &c)["max_per_minute.error_rate"], Some(0.05));
    }

    #[test]
    fn the_columns_a_constraint_may_name() {
        let h = header(CSV);
        let cols = columns(&h);
        assert!(cols.contains(&"latency_p99_ms".to_string()) && cols.contains(&"error_rate".to_string()));
        assert!(!cols.contains(&"clock".to_string()));
    }
}
