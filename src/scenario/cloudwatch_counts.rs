//! A counts trace as CloudWatch prints it: the JSON of `aws cloudwatch get-metric-statistics`
//! (`Label`, `Datapoints[]` with `Timestamp` and `Sum`) or of `aws cloudwatch get-metric-data`
//! (`MetricDataResults[]` with `Timestamps[]` and `Values[]`), for the endpoint's
//! `Invocations` metric.
//!
//! CloudWatch returns datapoints in no particular order (`get-metric-statistics`) or newest
//! first (`get-metric-data`'s default `TimestampDescending`), and leaves out a period without
//! invocations: the rows come back sorted oldest first, and a missing period is a period
//! without requests, as in a CSV trace. An export that is not whole (a `NextToken` to fetch
//! more, a `StatusCode` other than `Complete`) is refused rather than replayed short.
//!
//! References: [`GetMetricStatistics`](https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html),
//! [`GetMetricData`](https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).

use serde::Deserialize;

/// One period of the export: where it is in the file (a field path), its start in seconds
/// since the epoch, as written, and its request count.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub at: String,
    pub secs: f64,
    pub timestamp: String,
    pub count: f64,
}

/// Which CloudWatch call printed the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    GetMetricStatistics,
    GetMetricData,
}

impl Source {
    pub fn command(self) -> &'static str {
        match self {
            Source::GetMetricStatistics => "aws cloudwatch get-metric-statistics",
            Source::GetMetricData => "aws cloudwatch get-metric-data",
        }
    }
}

/// The export read: the call that printed it and its rows, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Export {
    pub source: Source,
    pub rows: Vec<Row>,
}

impl Export {
    /// The export's period \[s\]: the shortest gap between two rows (CloudWatch leaves out the
    /// periods without invocations, so longer gaps are multiples of it). `None` with one row.
    pub fn period_secs(&self) -> Option<f64> {
        self.rows
            .windows(2)
            .map(|w| w[1].secs - w[0].secs)
            .fold(None, |m: Option<f64>, g| Some(m.map_or(g, |m| m.min(g))))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Statistics {
    label: String,
    datapoints: Vec<Datapoint>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Datapoint {
    timestamp: String,
    #[serde(default)]
    sum: Option<f64>,
    #[serde(default, rename = "SampleCount")]
    _sample_count: Option<f64>,
    #[serde(default, rename = "Average")]
    _average: Option<f64>,
    #[serde(default, rename = "Minimum")]
    _minimum: Option<f64>,
    #[serde(default, rename = "Maximum")]
    _maximum: Option<f64>,
    #[serde(default, rename = "Unit")]
    _unit: Option<String>,
    #[serde(default, rename = "ExtendedStatistics")]
    _extended_statistics: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct MetricData {
    metric_data_results: Vec<Result1>,
    #[serde(default)]
    next_token: Option<String>,
    #[serde(default, rename = "Messages")]
    _messages: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Result1 {
    id: String,
    #[serde(default, rename = "Label")]
    _label: Option<String>,
    timestamps: Vec<String>,
    values: Vec<f64>,
    #[serde(default)]
    status_code: Option<String>,
    #[serde(default, rename = "Messages")]
    _messages: Option<serde_json::Value>,
}

/// Whether a data file's text is JSON (a CloudWatch export) rather than CSV.
pub fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// Reads a CloudWatch export of `Invocations`. Errors name the field path and say what is
/// allowed; timestamps are parsed by `parse` (seconds since the epoch, or `None`).
pub fn read(text: &str, parse: impl Fn(&str) -> Option<f64>) -> Result<Export, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let (source, mut rows) = if v.get("Datapoints").is_some() {
        let s: Statistics = serde_path_to_error::deserialize(v).map_err(|e| {
            let path = e.path().to_string();
            format!("at `{path}`: {} (get-metric-statistics output)", e.into_inner())
        })?;
        if s.label != "Invocations" {
            return Err(format!(
                "at `Label`: the export is of `{}`; allowed: the endpoint's `Invocations` (a request count per period)",
                s.label
            ));
        }
        let mut rows = Vec::with_capacity(s.datapoints.len());
        for (i, d) in s.datapoints.into_iter().enumerate() {
            let at = format!("Datapoints[{i}]");
            let Some(sum) = d.sum else {
                return Err(format!(
                    "at `{at}`: no `Sum`; allowed: a datapoint with the Sum statistic (export with `--statistics Sum`)"
                ));
            };
            rows.push(row(
                &parse,
                format!("{at}.Timestamp"),
                d.timestamp,
                sum,
                &format!("{at}.Sum"),
            )?);
        }
        (Source::GetMetricStatistics, rows)
    } else if v.get("MetricDataResults").is_some() {
        let d: MetricData = serde_path_to_error::deserialize(v).map_err(|e| {
            let path = e.path().to_string();
            format!("at `{path}`: {} (get-metric-data output)", e.into_inner())
        })?;
        if d.next_token.as_deref().is_some_and(|t| !t.is_empty()) {
            return Err(
                "at `NextToken`: the export has more pages; allowed: a whole export (fetch every page and merge them, or export a shorter range)"
                    .into(),
            );
        }
        let n = d.metric_data_results.len();
        if n != 1 {
            let ids: Vec<String> = d.metric_data_results.iter().map(|r| format!("`{}`", r.id)).collect();
            return Err(format!(
                "at `MetricDataResults`: {n} results ({}); allowed: exactly one, the endpoint's Invocations Sum",
                if ids.is_empty() {
                    "none".to_string()
                } else {
                    ids.join(", ")
                }
            ));
        }
        let r = d.metric_data_results.into_iter().next().expect("one result");
        if let Some(code) = r.status_code.as_deref().filter(|c| *c != "Complete") {
            return Err(format!(
                "at `MetricDataResults[0].StatusCode`: `{code}`; allowed: `Complete` (CloudWatch returned part of the data: fetch the rest, or export a shorter range)"
            ));
        }
        if r.timestamps.len() != r.values.len() {
            return Err(format!(
                "at `MetricDataResults[0]`: {} timestamps but {} values; allowed: one value per timestamp",
                r.timestamps.len(),
                r.values.len()
            ));
        }
        let mut rows = Vec::with_capacity(r.values.len());
        for (i, (t, x)) in r.timestamps.into_iter().zip(r.values).enumerate() {
            rows.push(row(
                &parse,
                format!("MetricDataResults[0].Timestamps[{i}]"),
                t,
                x,
                &format!("MetricDataResults[0].Values[{i}]"),
            )?);
        }
        (Source::GetMetricData, rows)
    } else {
        return Err(
            "neither `Datapoints` (aws cloudwatch get-metric-statistics) nor `MetricDataResults` (aws cloudwatch get-metric-data); allowed: the JSON either prints for the Invocations metric"
                .into(),
        );
    };
    if rows.is_empty() {
        return Err("the export has no datapoints; allowed: at least one period".into());
    }
    // Stable, so of two rows at one instant the first written is reported.
    rows.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    if let Some(w) = rows.windows(2).find(|w| w[0].secs == w[1].secs) {
        return Err(format!(
            "at `{}`: timestamp `{}` appears twice (also at `{}`); allowed: one datapoint per period",
            w[1].at, w[1].timestamp, w[0].at
        ));
    }
    Ok(Export { source, rows })
}

fn row(
    parse: &impl Fn(&str) -> Option<f64>,
    at: String,
    timestamp: String,
    count: f64,
    count_at: &str,
) -> Result<Row, String> {
    let Some(secs) = parse(&timestamp) else {
        return Err(format!(
            "at `{at}`: `{}` is not a timestamp; allowed: ISO 8601 / RFC 3339 such as `2024-05-06T14:00:00Z`",
            crate::scenario::parse_message::shorten(&timestamp)
        ));
    };
    if !(count.is_finite() && count >= 0.0) {
        return Err(format!(
            "at `{count_at}`: {count}; allowed: a number of requests, 0 or more"
        ));
    }
    Ok(Row {
        at,
        secs,
        timestamp,
        count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> Option<f64> {
        chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.timestamp() as f64)
    }

    #[test]
    fn statistics_rows_come_back_oldest_first_with_the_period() {
        let text = r#"{"Label": "Invocations", "Datapoints": [
            {"Timestamp": "2024-05-06T14:02:00+00:00", "Sum": 7.0, "Unit": "None"},
            {"Timestamp": "2024-05-06T14:00:00+00:00", "Sum": 5.0, "Unit": "None"},
            {"Timestamp": "2024-05-06T14:05:00+00:00", "Sum": 0.0, "Unit": "None"}]}"#;
        let e = read(text, secs).unwrap();
        assert_eq!(e.source, Source::GetMetricStatistics);
        let counts: Vec<f64> = e.rows.iter().map(|r| r.count).collect();
        assert_eq!(counts, vec![5.0, 7.0, 0.0]);
        assert_eq!(e.rows[0].at, "Datapoints[1].Timestamp");
        assert_eq!(e.period_secs(), Some(120.0));
    }

    #[test]
    fn metric_data_is_newest_first_and_must_be_whole() {
        let text = r#"{"MetricDataResults": [{"Id": "m1", "Label": "Invocations",
            "Timestamps": ["2024-05-06T14:01:00Z", "2024-05-06T14:00:00Z"], "Values": [3.0, 4.0],
            "StatusCode": "Complete"}], "Messages": []}"#;
        let e = read(text, secs).unwrap();
        assert_eq!(e.rows.iter().map(|r| r.count).collect::<Vec<_>>(), vec![4.0, 3.0]);
        assert_eq!(e.period_secs(), Some(60.0));
        let partial = text.replace("Complete", "PartialData");
        assert!(read(&partial, secs)
            .unwrap_err()
            .contains("`PartialData`; allowed: `Complete`"));
        let paged = text.replace("\"Messages\": []", "\"NextToken\": \"abc\"");
        assert!(read(&paged, secs).unwrap_err().starts_with("at `NextToken`"));
    }

    #[test]
    fn bad_exports_name_the_field() {
        let no_sum =
            r#"{"Label": "Invocations", "Datapoints": [{"Timestamp": "2024-05-06T14:00:00Z", "Average": 1.0}]}"#;
        assert_eq!(
            read(no_sum, secs).unwrap_err(),
            "at `Datapoints[0]`: no `Sum`; allowed: a datapoint with the Sum statistic (export with `--statistics Sum`)"
        );
        let other = r#"{"Label": "ModelLatency", "Datapoints": []}"#;
        assert!(read(other, secs)
            .unwrap_err()
            .starts_with("at `Label`: the export is of `ModelLatency`"));
        let unknown = r#"{"Label": "Invocations", "Datapoints": [{"Timestamp": "x", "Sum": 1, "Bogus": 2}]}"#;
        assert_eq!(
            read(unknown, secs).unwrap_err(),
            "at `Datapoints[0].Bogus`: unknown field `Bogus`, expected one of `Timestamp`, `Sum`, `SampleCount`, `Average`, `Minimum`, `Maximum`, `Unit`, `ExtendedStatistics` (get-metric-statistics output)"
        );
        let twice = r#"{"Label": "Invocations", "Datapoints": [{"Timestamp": "2024-05-06T14:00:00Z", "Sum": 1},
            {"Timestamp": "2024-05-06T14:00:00Z", "Sum": 2}]}"#;
        assert!(read(twice, secs).unwrap_err().contains("appears twice"));
        let empty = r#"{"Label": "Invocations", "Datapoints": []}"#;
        assert!(read(empty, secs).unwrap_err().contains("no datapoints"));
        assert!(read(r#"{"Foo": 1}"#, secs)
            .unwrap_err()
            .starts_with("neither `Datapoints`"));
    }
}
