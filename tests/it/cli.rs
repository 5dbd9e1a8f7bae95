//! The binary's contract on bad input: a clear message naming the file and position or the field
//! path, the value and what is allowed; a non-zero exit; no panic; no output folder.

use std::ffi::OsString;
use std::process::{Command, Output};

use super::common::{
    all_bundled, assert_contains, assert_success, bundled_dir, failed, fails, fleetsim, TempFolder,
    TINY_SCENARIO as GOOD,
};

/// A folder holding the scenario `s.ron`; runs write to `out` beside it.
struct Case {
    folder: TempFolder,
}

impl Case {
    fn new(tag: &str, text: &str) -> Self {
        let folder = TempFolder::new("cli", tag);
        folder.write("s.ron", text);
        Case { folder }
    }

    /// `fleetsim run s.ron --out out --quiet` plus `extra`.
    fn run(&self, extra: &[&str]) -> Output {
        let mut args: Vec<OsString> = vec![
            "run".into(),
            self.folder.join("s.ron").into(),
            "--out".into(),
            self.folder.join("out").into(),
            "--quiet".into(),
        ];
        args.extend(extra.iter().map(OsString::from));
        fleetsim(&args)
    }

    fn out_exists(&self) -> bool {
        self.folder.join("out").exists()
    }
}

/// Runs the binary on `text` and checks it fails cleanly, leaves no output folder, and says
/// every one of `needles`.
fn run_fails(tag: &str, text: &str, extra: &[&str], needles: &[&str]) {
    let c = Case::new(tag, text);
    let err = failed(&c.run(extra), tag);
    assert!(!c.out_exists(), "{tag}: left an output folder");
    assert_contains(&err, needles);
}

#[test]
fn good_scenario_writes_all_outputs() {
    let c = Case::new("good", GOOD);
    assert_success(&c.run(&[]));
    for f in ["manifest.json", "summary.json", "timeseries.csv", "activities.csv"] {
        assert!(c.folder.join("out").join(f).is_file(), "{f} missing");
    }
    // No temporary folders left beside the output.
    let leftovers: Vec<_> = std::fs::read_dir(c.folder.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let summary: serde_json::Value = serde_json::from_slice(&c.folder.read("out/summary.json")).unwrap();
    for key in [
        "scenario",
        "seed",
        "duration_s",
        "requests",
        "latency_ms",
        "wait_ms",
        "capacity",
        "cost_usd",
        "scaling_activities",
        "deployment",
    ] {
        assert!(summary.get(key).is_some(), "summary lacks {key}");
    }
    for key in [
        "arrived",
        "completed",
        "errors_4xx",
        "errors_5xx",
        "timed_out",
        "rejected",
        "in_flight_at_end",
    ] {
        assert!(summary["requests"].get(key).is_some(), "summary.requests lacks {key}");
    }
    for key in ["mean", "p50", "p90", "p99", "p999", "max"] {
        assert!(
            summary["latency_ms"].get(key).is_some(),
            "summary.latency_ms lacks {key}"
        );
    }
}

#[test]
fn malformed_ron_names_line_and_column() {
    run_fails(
        "malformed",
        &GOOD.replace("duration: \"2m\",", "duration: \"2m\""),
        &[],
        &["s.ron:4:5"],
    );
}

#[test]
fn unknown_field_is_named() {
    run_fails(
        "unknown",
        &GOOD.replace("concurrency: 2,", "concurrency: 2, concurency: 3,"),
        &[],
        &["s.ron:", "concurency", "endpoint"],
    );
}

#[test]
fn wrong_type_is_reported_with_position() {
    run_fails(
        "type",
        &GOOD.replace("initial_instance_count: 2", "initial_instance_count: \"two\""),
        &[],
        &["s.ron:8:", "initial_instance_count"],
    );
}

#[test]
fn out_of_range_values_name_path_value_and_range() {
    run_fails(
        "rate",
        &GOOD.replace("Constant(20.0)", "Constant(-5.0)"),
        &[],
        &["workload.rate.Constant", "got -5", "from 0 to 1e9"],
    );
    run_fails(
        "conc",
        &GOOD.replace("concurrency: 2", "concurrency: 0"),
        &[],
        &["endpoint.variants[0].concurrency", "got 0", "1 to 10000"],
    );
    run_fails(
        "p99",
        &GOOD.replace("p99: \"120ms\"", "p99: \"20ms\""),
        &[],
        &["service_time.p99", "median"],
    );
    run_fails(
        "minmax",
        &GOOD.replace(
            "LogNormal(median: \"40ms\", p99: \"120ms\")",
            "Uniform(min: \"50ms\", max: \"10ms\")",
        ),
        &[],
        &["service_time.max", ">= min"],
    );
    run_fails(
        "itype",
        &GOOD.replace("ml.c5.xlarge", "ml.c5.huge"),
        &[],
        &["instance_type", "ml.c5.huge", "ml.c5.large"],
    );
}

#[test]
fn missing_files_are_named() {
    fails(&["run", "/nonexistent/x.ron", "--quiet"], &["/nonexistent/x.ron"]);
    run_fails(
        "notrace",
        &GOOD.replace(
            "Open(rate: Constant(20.0))",
            "Trace(file: \"missing.csv\", format: Counts(period: \"60s\"))",
        ),
        &[],
        &["missing.csv", "cannot read"],
    );
}

#[test]
fn bad_trace_rows_are_reported_with_line_numbers() {
    let text = GOOD.replace(
        "Open(rate: Constant(20.0))",
        "Trace(file: \"t.csv\", format: Counts(period: \"60s\"))",
    );
    let c = Case::new("badrow", &text);
    c.folder.write("t.csv", "timestamp,count\n0,10\n60,abc\n");
    let err = failed(&c.run(&[]), "badrow");
    assert!(err.contains("t.csv:3") && err.contains("abc"), "{err}");
    assert!(!c.out_exists());
}

#[test]
fn bad_overrides_name_the_path() {
    run_fails(
        "setpath",
        GOOD,
        &["--set", "endpoint.variants[0].concurency=3"],
        &[
            "--set endpoint.variants[0].concurency=3",
            "no field `concurency`",
            "concurrency",
        ],
    );
    run_fails(
        "setidx",
        GOOD,
        &["--set", "endpoint.variants[3].concurrency=3"],
        &["index 3 is out of range"],
    );
    run_fails(
        "setval",
        GOOD,
        &["--set", "endpoint.variants[0].concurrency=lots"],
        &["--set", "concurrency"],
    );
    run_fails(
        "setrange",
        GOOD,
        &["--set", "endpoint.variants[0].concurrency=0"],
        &["endpoint.variants[0].concurrency", "got 0"],
    );
}

#[test]
fn overrides_change_the_run_and_are_recorded() {
    let c = Case::new("setok", GOOD);
    let o = c.run(&[
        "--set",
        "endpoint.variants[0].initial_instance_count=5",
        "--set",
        "workload.rate=Constant(40)",
        "--seed",
        "3",
    ]);
    assert_success(&o);
    let m: serde_json::Value = serde_json::from_slice(&c.folder.read("out/manifest.json")).unwrap();
    assert_eq!(m["seed"], 3);
    assert_eq!(m["overrides"][0], "endpoint.variants[0].initial_instance_count=5");
    let s: serde_json::Value = serde_json::from_slice(&c.folder.read("out/summary.json")).unwrap();
    assert_eq!(s["capacity"]["max_in_service"], 5);
    // 40 rps for 120 s: about 4800 arrivals (5 sd = 350).
    let arrived = s["requests"]["arrived"].as_f64().unwrap();
    assert!((arrived - 4800.0).abs() < 350.0, "{arrived}");
}

#[test]
fn validate_command_accepts_bundled_scenarios() {
    let dir = bundled_dir();
    for p in all_bundled() {
        let o = Command::new(env!("CARGO_BIN_EXE_fleetsim"))
            .arg("validate")
            .arg(&p)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{}: {}",
            p.display(),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn bench_flags_are_bounded_before_anything_runs() {
    let bench = |args: &[&str]| fails(&[&["bench"], args].concat(), &[]);
    for rps in ["1e12", "0", "-5", "inf", "NaN"] {
        let e = bench(&[&format!("--rps={rps}")]);
        assert!(
            e.contains("expected requests per second: a number from 1 to 1000000"),
            "{rps}: {e}"
        );
    }
    let e = bench(&["--duration", "365d"]);
    assert!(
        e.contains("--duration 365d: expected a simulated duration from 1s to 30d"),
        "{e}"
    );
    let e = bench(&["--rps", "1000000", "--duration", "1d"]);
    assert!(
        e.contains("--rps 1000000 x --duration 1d = 8.64e10 requests; allowed: at most 1e10"),
        "{e}"
    );
}
