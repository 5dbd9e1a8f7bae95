//! Traffic from CloudWatch: the JSON `aws cloudwatch get-metric-statistics` and
//! `get-metric-data` print for `Invocations` replays exactly as the same counts in CSV, in a
//! scenario's `Trace(...)` and through `fleetsim import aws`; a partial or wrong export is
//! refused with the file and field.

use crate::common::{assert_success, bundled, failed, fleetsim, TempFolder};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/fixtures/aws")
        .join(name)
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
        (
            "stats",
            fixture("traffic-get-metric-statistics.json").display().to_string(),
        ),
        ("data", fixture("traffic-get-metric-data.json").display().to_string()),
    ];
    for (tag, file) in &runs {
        let s = trace_scenario(&folder, &format!("{tag}.ron"), file);
        run(&folder, &s, &format!("run-{tag}"));
    }
    for f in ["summary.json", "timeseries.csv", "activities.csv"] {
        let csv = folder.read(&format!("run-csv/{f}"));
        assert_eq!(
            csv,
            folder.read(&format!("run-stats/{f}")),
            "{f}: get-metric-statistics"
        );
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
    let s = trace_scenario(
        &folder,
        "short.ron",
        &fixture("traffic-minimal.json").display().to_string(),
    );
    let text = std::fs::read_to_string(&s)
        .unwrap()
        .replace("period: \"60s\"", "period: \"120s\"");
    std::fs::write(&s, text).unwrap();
    let err = failed(&fleetsim(&["validate", s.as_str()]), "period");
    assert!(
        err.contains("at `Datapoints[1].Timestamp`: timestamp `2026-05-04T09:01:00Z` is less than one period (2m)"),
        "{err}"
    );
}

/// `fleetsim import aws FILES --into BASE --out folder/imported.ron`; the output.
fn import(folder: &TempFolder, files: &[PathBuf], base: &str) -> std::process::Output {
    let out = folder.join("scenarios/imported.ron").display().to_string();
    std::fs::create_dir_all(folder.join("scenarios")).unwrap();
    let mut args: Vec<String> = vec!["import".into(), "aws".into()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    args.extend([
        "--into".into(),
        bundled(base).display().to_string(),
        "--out".into(),
        out,
        "--quiet".into(),
    ]);
    fleetsim(&args)
}

#[test]
fn an_imported_export_becomes_the_workload_named_from_the_scenario_folder() {
    let folder = TempFolder::new("aws-traffic", "import");
    // The export sits beside the written scenario's folder, not in it.
    std::fs::create_dir_all(folder.join("exports")).unwrap();
    let export = folder.join("exports/invocations.json");
    std::fs::copy(fixture("traffic-get-metric-data.json"), &export).unwrap();
    assert_success(&import(&folder, std::slice::from_ref(&export), "quickstart.ron"));
    let text = String::from_utf8(folder.read("scenarios/imported.ron")).unwrap();
    assert!(
        text.contains("// from ")
            && text.contains("(aws cloudwatch get-metric-data: Invocations Sum, 60 periods of 60 s)"),
        "{text}"
    );
    assert!(
        text.contains(
            r#"workload: Trace(file: "../exports/invocations.json", format: Counts(period: "1m"), scale: 1.0)"#
        ),
        "{text}"
    );
    // Runs, replaying every recorded invocation (the CSV's 380,135), wherever it is run from.
    let s = folder.join("scenarios/imported.ron").display().to_string();
    let out = folder.join("run").display().to_string();
    assert_success(&fleetsim(&[
        "run",
        s.as_str(),
        "--out",
        out.as_str(),
        "--quiet",
        "--no-plots",
    ]));
    let summary: serde_json::Value = serde_json::from_slice(&folder.read("run/summary.json")).unwrap();
    assert_eq!(summary["requests"]["arrived"], 380135, "{summary}");
    // The base's autoscaling is kept: no autoscaling request was imported.
    let base = std::fs::read_to_string(bundled("quickstart.ron")).unwrap();
    assert_eq!(base.contains("TargetTracking("), text.contains("TargetTracking("));
}

#[test]
fn an_export_beside_a_load_test_is_its_background() {
    let folder = TempFolder::new("aws-traffic", "background");
    assert_success(&import(
        &folder,
        &[fixture("traffic-minimal.json")],
        "load-test-stairs.ron",
    ));
    let text = String::from_utf8(folder.read("scenarios/imported.ron")).unwrap();
    assert!(text.contains("traffic_pattern:"), "the users stay: {text}");
    assert!(text.contains("background: Some(Trace(file: "), "{text}");
    assert!(text.contains("format: Counts(period: \"1m\")"), "{text}");
}

#[test]
fn bad_exports_are_refused_by_import_with_the_file_and_field() {
    let folder = TempFolder::new("aws-traffic", "bad-import");
    for (name, needle) in [
        (
            "invalid-traffic-one-datapoint.json",
            "one datapoint, so its period is unknown",
        ),
        (
            "invalid-traffic-partial.json",
            "at `MetricDataResults[0].StatusCode`: `PartialData`",
        ),
        ("invalid-traffic-no-sum.json", "at `Datapoints[0]`: no `Sum`"),
    ] {
        let err = failed(&import(&folder, &[fixture(name)], "quickstart.ron"), name);
        assert!(err.contains(name) && err.contains(needle), "{name}: {err}");
    }
}

#[test]
fn metric_math_that_returns_one_metric_is_that_metric() {
    let folder = TempFolder::new("aws-traffic", "metric-math");
    let files = [
        fixture("register-scalable-target-diurnal.json"),
        fixture("put-scaling-policy-metric-math.json"),
    ];
    assert_success(&import(&folder, &files, "autoscaling-diurnal.ron"));
    let text = String::from_utf8(folder.read("scenarios/imported.ron")).unwrap();
    assert!(
        text.contains("metric: Customized(metric: CPUUtilization, statistic: \"Average\")"),
        "{text}"
    );
    for (name, needle) in [
        (
            "invalid-put-scaling-policy-metric-math-expression.json",
            "at `TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Metrics[1].Expression`: metric math `cpu / 2` cannot be simulated",
        ),
        (
            "invalid-put-scaling-policy-metric-math-two-returned.json",
            "ValidationException: exactly one of the Metrics must return data (ReturnData true, the default); 2 do",
        ),
    ] {
        let files = [fixture("register-scalable-target-diurnal.json"), fixture(name)];
        let err = failed(&import(&folder, &files, "autoscaling-diurnal.ron"), name);
        assert!(err.contains(name) && err.contains(needle), "{name}: {err}");
    }
}
