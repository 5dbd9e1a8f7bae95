//! Traffic from CloudWatch: the JSON `aws cloudwatch get-metric-statistics` and
//! `get-metric-data` print for `Invocations` replays exactly as the same counts in CSV, in a
//! scenario's `Trace(...)` and through `fleetsim import aws`; a partial or wrong export is
//! refused with the file and field.

use crate::common::{assert_success, bundled, failed, fleetsim, TempFolder};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/aws").join(name)
}

/// `scenarios/trace-counts.ron` with its trace replaced by `file` (a path from the folder).
fn trace_scenario(folder: &TempFolder, name: &str, file: &str) -> String {
    let text = std::fs::read_to_string(bundled("trace-counts.ron")).unwrap();
    let text = text.replace("\"data/invocations.csv\"", &format!("{file:?}"));
    assert!(text.contains(file), "the bundled scenario names its trace as expected");
    folder.write(name, &text).display().to_string()
}

fn run(folder: &TempFolder, scenario: &str, out: &str) {
    let out = folder.join(out).display().to_string();
    assert_success(&fleetsim(&[
        "run",
        scenario,
        "--out",
        out.as_str(),
        "--quiet",
        "--no-plots",
    ]));
}

#[test]
fn cloudwatch_json_replays_like_the_csv_it_was_exported_from() {
    // The fixtures hold the CSV's 60 minutes: get-metric-statistics in shuffled order (as
    // CloudWatch returns them), get-metric-data newest first (its default).
    let folder = TempFolder::new("aws-traffic", "replay");
    let csv = crate::common::bundled_dir().join("data/invocations.csv");
    let runs = [
        ("csv", csv.display().to_string()),
        ("stats", fixture("traffic-get-metric-statistics.json").display().to_string()),
        ("data", fixture("traffic-get-metric-data.json").display().to_string()),
    ];
    for (tag, file) in &runs {
        let s = trace_scenario(&folder, &format!("{tag}.ron"), file);
        run(&folder, &s, &format!("run-{tag}"));
    }
    for f in ["summary.json", "timeseries.csv", "activities.csv"] {
        let csv = folder.read(&format!("run-csv/{f}"));
        assert_eq!(csv, folder.read(&format!("run-stats/{f}")), "{f}: get-metric-statistics");
        assert_eq!(csv, folder.read(&format!("run-data/{f}")), "{f}: get-metric-data");
    }
}

#[test]
fn bad_exports_in_a_scenario_name_the_file_and_field() {
    let folder = TempFolder::new("aws-traffic", "bad-scenario");
    for (name, needle) in [
        (
            "invalid-traffic-partial.json",
            "at `MetricDataResults[0].StatusCode`: `PartialData`; allowed: `Complete`",
        ),
        ("invalid-traffic-next-token.json", "at `NextToken`: the export has more pages"),
        (
            "invalid-traffic-no-sum.json",
            "at `Datapoints[0]`: no `Sum`; allowed: a datapoint with the Sum statistic (export with `--statistics Sum`)",
        ),
        (
            "invalid-traffic-metric.json",
            "at `Label`: the export is of `InvocationsPerInstance`; allowed: the endpoint's `Invocations`",
        ),
        ("invalid-traffic-two-results.json", "at `MetricDataResults`: 2 results (`a`, `b`)"),
        (
            "invalid-traffic-timestamp.json",
            "at `Datapoints[0].Timestamp`: `yesterday` is not a timestamp",
        ),
    ] {
        let file = fixture(name).display().to_string();
        let s = trace_scenario(&folder, "bad.ron", &file);
        let err = failed(&fleetsim(&["validate", s.as_str()]), name);
        assert!(err.contains(name) && err.contains(needle), "{name}: {err}");
    }
    // Two periods closer than the scenario's period: the row is named by its field.
    let s = trace_scenario(&folder, "short.ron", &fixture("traffic-minimal.json").display().to_string());
    let text = std::fs::read_to_string(&s).unwrap().replace("period: \"60s\"", "period: \"120s\"");
    std::fs::write(&s, text).unwrap();
    let err = failed(&fleetsim(&["validate", s.as_str()]), "period");
    assert!(
        err.contains("at `Datapoints[1].Timestamp`: timestamp `2026-05-04T09:01:00Z` is less than one period (2m)"),
        "{err}"
    );
}
