//! The binary's contract on bad input: a clear message naming the file and position or the field
//! path, the value and what is allowed; a non-zero exit; no panic; no output folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::common::TINY_SCENARIO as GOOD;

struct Case {
    dir: PathBuf,
}

impl Case {
    fn new(tag: &str, text: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("fleetsim-cli-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("s.ron"), text).unwrap();
        Case { dir }
    }

    fn run(&self, extra: &[&str]) -> Output {
        let out = self.dir.join("out");
        let mut args = vec![
            "run".to_string(),
            self.dir.join("s.ron").display().to_string(),
            "--out".into(),
            out.display().to_string(),
            "--quiet".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        Command::new(env!("CARGO_BIN_EXE_fleetsim"))
            .args(&args)
            .output()
            .unwrap()
    }

    fn out_exists(&self) -> bool {
        self.dir.join("out").exists()
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs the binary on `text` and checks it fails cleanly with a message containing `needles`.
fn fails(tag: &str, text: &str, extra: &[&str], needles: &[&str]) {
    let c = Case::new(tag, text);
    let o = c.run(extra);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{tag}: should fail");
    assert!(!err.contains("panicked"), "{tag}: panicked: {err}");
    assert!(!c.out_exists(), "{tag}: left an output folder");
    for n in needles {
        assert!(err.contains(n), "{tag}: message lacks `{n}`:\n{err}");
    }
}

#[test]
fn good_scenario_writes_all_outputs() {
    let c = Case::new("good", GOOD);
    let o = c.run(&[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["manifest.json", "summary.json", "timeseries.csv", "activities.csv"] {
        assert!(c.dir.join("out").join(f).is_file(), "{f} missing");
    }
    // No temporary folders left beside the output.
    let leftovers: Vec<_> = std::fs::read_dir(&c.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(c.dir.join("out/summary.json")).unwrap()).unwrap();
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
    fails(
        "malformed",
        &GOOD.replace("duration: \"2m\",", "duration: \"2m\""),
        &[],
        &["s.ron:4:5"],
    );
}

#[test]
fn unknown_field_is_named() {
    fails(
        "unknown",
        &GOOD.replace("concurrency: 2,", "concurrency: 2, concurency: 3,"),
        &[],
        &["s.ron:", "concurency", "endpoint"],
    );
}

#[test]
fn wrong_type_is_reported_with_position() {
    fails(
        "type",
        &GOOD.replace("initial_instance_count: 2", "initial_instance_count: \"two\""),
        &[],
        &["s.ron:8:", "initial_instance_count"],
    );
}

#[test]
fn out_of_range_values_name_path_value_and_range() {
    fails(
        "rate",
        &GOOD.replace("Constant(20.0)", "Constant(-5.0)"),
        &[],
        &["workload.rate.Constant", "got -5", "from 0 to 1e9"],
    );
    fails(
        "conc",
        &GOOD.replace("concurrency: 2", "concurrency: 0"),
        &[],
        &["endpoint.variants[0].concurrency", "got 0", "1 to 10000"],
    );
    fails(
        "p99",
        &GOOD.replace("p99: \"120ms\"", "p99: \"20ms\""),
        &[],
        &["service_time.p99", "median"],
    );
    fails(
        "minmax",
        &GOOD.replace(
            "LogNormal(median: \"40ms\", p99: \"120ms\")",
            "Uniform(min: \"50ms\", max: \"10ms\")",
        ),
        &[],
        &["service_time.max", ">= min"],
    );
    fails(
        "itype",
        &GOOD.replace("ml.c5.xlarge", "ml.c5.huge"),
        &[],
        &["instance_type", "ml.c5.huge", "ml.c5.large"],
    );
}

#[test]
fn missing_files_are_named() {
    let c = Case::new("nofile", GOOD);
    let o = Command::new(env!("CARGO_BIN_EXE_fleetsim"))
        .args(["run", "/nonexistent/x.ron", "--quiet"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/x.ron"));
    drop(c);
    fails(
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
    std::fs::write(c.dir.join("t.csv"), "timestamp,count\n0,10\n60,abc\n").unwrap();
    let o = c.run(&[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("t.csv:3") && err.contains("abc"), "{err}");
    assert!(!c.out_exists());
}

#[test]
fn bad_overrides_name_the_path() {
    fails(
        "setpath",
        GOOD,
        &["--set", "endpoint.variants[0].concurency=3"],
        &[
            "--set endpoint.variants[0].concurency=3",
            "no field `concurency`",
            "concurrency",
        ],
    );
    fails(
        "setidx",
        GOOD,
        &["--set", "endpoint.variants[3].concurrency=3"],
        &["index 3 is out of range"],
    );
    fails(
        "setval",
        GOOD,
        &["--set", "endpoint.variants[0].concurrency=lots"],
        &["--set", "concurrency"],
    );
    fails(
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
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(c.dir.join("out/manifest.json")).unwrap()).unwrap();
    assert_eq!(m["seed"], 3);
    assert_eq!(m["overrides"][0], "endpoint.variants[0].initial_instance_count=5");
    let s: serde_json::Value = serde_json::from_slice(&std::fs::read(c.dir.join("out/summary.json")).unwrap()).unwrap();
    assert_eq!(s["capacity"]["max_in_service"], 5);
    // 40 rps for 120 s: about 4800 arrivals (5 sd = 350).
    let arrived = s["requests"]["arrived"].as_f64().unwrap();
    assert!((arrived - 4800.0).abs() < 350.0, "{arrived}");
}

#[test]
fn validate_command_accepts_bundled_scenarios() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for p in crate::scenarios::bundled() {
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
    let bench = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_fleetsim"))
            .arg("bench")
            .args(args)
            .output()
            .unwrap();
        assert!(!o.status.success(), "{args:?}: should fail");
        String::from_utf8_lossy(&o.stderr).to_string()
    };
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
