//! Traffic in: a CloudWatch export of the endpoint's `Invocations` (the JSON `aws cloudwatch
//! get-metric-statistics` or `get-metric-data` prints) becomes the scenario's open-loop
//! workload, a counts trace replayed from that file.
//!
//! The file is read where it is (the scenario names it by a path relative to the scenario's
//! own folder), so the replay reads exactly what CloudWatch printed, and the period is the
//! export's: its shortest gap between datapoints. A base whose workload is a load test keeps
//! its users; the export becomes the open-loop load beside them.

use crate::scenario::cloudwatch_counts::{self, Export};
use crate::scenario::duration::Duration;
use crate::scenario::file::{TraceFormat, Workload};
use crate::scenario::Scenario;
use std::path::{Component, Path, PathBuf};

/// Whether a file's text is a CloudWatch export (rather than a request body).
pub fn is_traffic(text: &str) -> bool {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => v.get("Datapoints").is_some() || v.get("MetricDataResults").is_some(),
        Err(_) => false,
    }
}

/// Reads an export as the scenario's replay would (timestamps in RFC 3339).
fn read(file: &str, text: &str) -> Result<Export, String> {
    cloudwatch_counts::read(text, |t| {
        chrono::DateTime::parse_from_rfc3339(t.trim())
            .ok()
            .map(|d| d.timestamp_micros() as f64 / 1e6)
    })
    .map_err(|m| format!("{file}: {m}"))
}

/// Makes the export in `file` (named `path_in_scenario` from the written scenario's folder)
/// the scenario's open-loop workload; returns the source line for the scenario's comment.
pub fn import(scenario: &mut Scenario, file: &str, text: &str, path_in_scenario: &str) -> Result<String, String> {
    let export = read(file, text)?;
    let Some(period) = export.period_secs() else {
        return Err(format!(
            "{file}: one datapoint, so its period is unknown; allowed: an export of two periods or more (CloudWatch's --period is not in its output)"
        ));
    };
    // CloudWatch periods are whole seconds (1, 5, 10, 30 or a multiple of 60).
    if period < 1.0 || period.fract() != 0.0 {
        return Err(format!(
            "{file}: datapoints {period} s apart; allowed: a whole number of seconds, as CloudWatch periods are"
        ));
    }
    let trace = Workload::Trace {
        file: path_in_scenario.to_string(),
        format: TraceFormat::Counts {
            period: Duration::secs(period as u64),
        },
        scale: 1.0,
    };
    match &mut scenario.workload {
        Workload::Users { background, .. } => *background = Some(Box::new(trace)),
        w => *w = trace,
    }
    Ok(format!(
        "{file} ({}: Invocations Sum, {} periods of {period} s)",
        export.source.command(),
        export.rows.len()
    ))
}

/// `path` as seen from the folder `from` (both as the user gave them, relative to the current
/// folder or absolute): relative when they share a root, `path` made absolute otherwise.
pub fn relative_to(path: &Path, from: &Path) -> Result<PathBuf, String> {
    let abs = |p: &Path| -> Result<PathBuf, String> {
        let p = if p.as_os_str().is_empty() { Path::new(".") } else { p };
        std::path::absolute(p).map_err(|e| format!("{}: {e}", p.display()))
    };
    let normal = |p: PathBuf| -> PathBuf {
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                c => out.push(c),
            }
        }
        out
    };
    let (path, from) = (normal(abs(path)?), normal(abs(from)?));
    let (a, b): (Vec<Component>, Vec<Component>) = (path.components().collect(), from.components().collect());
    if a.first() != b.first() {
        return Ok(path);
    }
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &a[common..] {
        out.push(c);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_from_the_scenario_folder() {
        let r = |p: &str, f: &str| relative_to(Path::new(p), Path::new(f)).unwrap();
        assert_eq!(r("/a/b/inv.json", "/a/b"), PathBuf::from("inv.json"));
        assert_eq!(r("/a/data/inv.json", "/a/out"), PathBuf::from("../data/inv.json"));
        assert_eq!(r("/a/./x/../inv.json", "/a/b/c"), PathBuf::from("../../inv.json"));
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(r("data/inv.json", ""), PathBuf::from("data/inv.json"));
        assert_eq!(
            relative_to(&cwd.join("inv.json"), Path::new("out")).unwrap(),
            PathBuf::from("../inv.json")
        );
    }

    #[test]
    fn exports_are_told_from_requests() {
        assert!(is_traffic(r#"{"Label": "Invocations", "Datapoints": []}"#));
        assert!(is_traffic(r#"{"MetricDataResults": []}"#));
        assert!(!is_traffic(r#"{"PolicyName": "p"}"#));
        assert!(!is_traffic("timestamp,count\n"));
    }
}
