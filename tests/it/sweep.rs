//! Sweeps: expansion (grid, zip, ranges, derived axes), seeds and common random numbers,
//! byte-identical output across thread counts, statistics, objective and Pareto front, shards
//! and merge, and the contract on bad input.

use fleetsim::sweep::design::AxisValue;
use fleetsim::sweep::metrics::Metrics;
use fleetsim::sweep::read_sweep_plan;
use fleetsim::sweep::{plan, render, Design, RunRecord};
use std::path::PathBuf;
use std::process::Output;

use super::common::{assert_contains, assert_success, bundled_dir, csv_rows, failed, fleetsim, TempFolder};

/// A small autoscaling scenario: 10 minutes at 30 requests per second.
const BASE: &str = r#"Scenario(
    name: "sweep-base",
    seed: 11,
    duration: "10m",
    instance_types: [InstanceType(name: "ml.c5.large", price_per_hour: 0.119)],
    endpoint: RealTime(
        variants: [Variant(
            name: "blue",
            instance_type: "ml.c5.large",
            initial_instance_count: 2,
            concurrency: 2,
            model: Model(service_time: LogNormal(median: "40ms", p99: "120ms"), error_rate: 0.001),
            launch: Launch(provision: Constant("60s"), load: Constant("30s")),
        )],
    ),
    workload: Open(rate: Ramp(from_rps: 10.0, to_rps: 60.0, start: "1m", duration: "5m")),
    autoscaling: [ScalableTarget(
        min_capacity: 1,
        max_capacity: 10,
        policies: [TargetTracking(
            name: "ipi",
            metric: SageMakerVariantInvocationsPerInstance,
            target_value: 600.0,
            scale_in_cooldown: "300s",
            scale_out_cooldown: "60s",
        )],
    )],
)"#;

/// A 2 x 2 grid over the safety factor (through a derived TargetValue) and the scale-in
/// cooldown, 3 replications, with an objective and constraints.
const SWEEP: &str = r#"Sweep(
    name: "t",
    base_scenario: "base.ron",
    replications: 3,
    constants: {"max_rps": 20.0},
    axes: [
        Values(name: "safety_factor", values: [0.5, 0.9]),
        Derived(name: "target_value", path: "autoscaling[0].policies[0].target_value", expr: "max_rps * safety_factor * 60"),
        Range(name: "cooldown", path: "autoscaling[0].policies[0].scale_in_cooldown", from: 120, to: 300, step: 180),
    ],
    objective: Minimize("cost_usd"),
    constraints: ["latency_ms.p99 <= 1000", "error_rate < 5 %"],
)"#;

/// A folder holding `base.ron` ([`BASE`]) and a sweep file `sweep.ron`.
struct Case {
    folder: TempFolder,
}

impl Case {
    fn new(tag: &str, sweep: &str) -> Self {
        let folder = TempFolder::new("sweep", tag);
        folder.write("base.ron", BASE);
        folder.write("sweep.ron", sweep);
        Case { folder }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.join(name)
    }

    /// `fleetsim sweep sweep.ron --out <dir>/<out> --quiet` plus `extra`.
    fn sweep(&self, out: &str, extra: &[&str]) -> Output {
        let sweep = self.path("sweep.ron").display().to_string();
        let out = self.path(out).display().to_string();
        let mut args = vec!["sweep", sweep.as_str(), "--out", out.as_str(), "--quiet"];
        args.extend_from_slice(extra);
        fleetsim(&args)
    }

    fn read(&self, rel: &str) -> Vec<u8> {
        self.folder.read(rel)
    }

    fn plan(&self) -> Result<plan::Plan, fleetsim::sweep::SweepError> {
        read_sweep_plan(&self.path("sweep.ron"), &[])
    }
}

fn design(text: &str) -> Design {
    plan::design(text, "t.ron").unwrap()
}

fn values(d: &Design) -> Vec<Vec<String>> {
    d.points
        .iter()
        .map(|p| p.values.iter().map(|v| v.to_string()).collect())
        .collect()
}

#[test]
fn grid_and_zip_expansion() {
    let axes = r#"axes: [Values(name: "a", values: [1, 2, 3]), Values(name: "b", values: ["x", "y", "z"])]"#;
    let grid = design(&format!(r#"Sweep(name: "g", base_scenario: "b.ron", {axes})"#));
    assert_eq!(grid.points.len(), 9);
    // First axis slowest, like nested loops in file order.
    assert_eq!(
        values(&grid)[..4],
        [vec!["1", "x"], vec!["1", "y"], vec!["1", "z"], vec!["2", "x"]]
    );
    let zip = design(&format!(
        r#"Sweep(name: "z", base_scenario: "b.ron", combine: Zip, {axes})"#
    ));
    assert_eq!(values(&zip), vec![vec!["1", "x"], vec!["2", "y"], vec!["3", "z"]]);
    assert!(zip.points.iter().enumerate().all(|(i, p)| p.index == i));
}

#[test]
fn ranges_with_step() {
    let d = design(
        r#"Sweep(name: "r", base_scenario: "b.ron", axes: [
            Range(name: "f", from: 0.5, to: 0.9, step: 0.1),
            Range(name: "i", from: 60, to: 300, step: 120),
            Range(name: "open", from: 0, to: 10, step: 4),
            Range(name: "down", from: 3, to: 1, step: -1),
        ])"#,
    );
    assert_eq!(
        d.axes[0].values,
        [0.5, 0.6, 0.7, 0.8, 0.9].map(AxisValue::Float).to_vec(),
        "float steps land on tidy values, `to` included"
    );
    assert_eq!(d.axes[1].values, [60, 180, 300].map(AxisValue::Int).to_vec());
    assert_eq!(d.axes[2].values, [0, 4, 8].map(AxisValue::Int).to_vec());
    assert_eq!(d.axes[3].values, [3, 2, 1].map(AxisValue::Int).to_vec());
    assert_eq!(d.points.len(), 5 * 3 * 3 * 3);
}

#[test]
fn derived_values_reach_the_scenario() {
    let case = Case::new("derived", SWEEP);
    let p = case.plan().unwrap();
    let got: Vec<Vec<String>> = values(&p.design);
    assert_eq!(
        got,
        vec![
            vec!["0.5", "600", "120"],
            vec!["0.5", "600", "300"],
            vec!["0.9", "1080", "120"],
            vec!["0.9", "1080", "300"],
        ]
    );
    // The derived value is applied through its path; the pure parameter has no path.
    let resolved = serde_json::to_value(&p.points[2].scenario).unwrap();
    let policy = &resolved["autoscaling"][0]["policies"][0]["TargetTracking"];
    assert_eq!(policy["target_value"], serde_json::json!(1080.0), "{policy}");
    assert_eq!(
        p.points[2].overrides,
        vec![
            "autoscaling[0].policies[0].target_value=1080",
            "autoscaling[0].policies[0].scale_in_cooldown=120"
        ]
    );
    // A derived axis may read another derived axis above it and a value axis below it.
    let d = design(
        r#"Sweep(name: "d", base_scenario: "b.ron", constants: {"k": 2.0}, axes: [
            Derived(name: "x", expr: "ceil(k * y / 3)"),
            Derived(name: "z", expr: "x ^ 2 - 1"),
            Values(name: "y", values: [1, 4]),
        ])"#,
    );
    assert_eq!(values(&d), vec![vec!["1", "0", "1"], vec!["3", "8", "4"]]);
}

#[test]
fn seeds_follow_replications_and_give_common_random_numbers() {
    let case = Case::new("crn", SWEEP);
    assert_success(&case.sweep("out", &["--keep-runs", "--threads", "2"]));
    let runs = String::from_utf8(case.read("out/runs.csv")).unwrap();
    let rows: Vec<Vec<&str>> = runs.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 4 * 3);
    for r in &rows {
        // point, 3 axes, replication, seed: seed = base seed 11 + replication at every point.
        let rep: u64 = r[4].parse().unwrap();
        assert_eq!(r[5], (11 + rep).to_string());
    }
    // Points 0 and 2 differ only in the policy's TargetValue: same arrivals at the same
    // replication, period by period; another replication sees other arrivals.
    let arrivals = |run: &str| -> Vec<String> {
        let text = String::from_utf8(case.read(&format!("out/runs/{run}/timeseries.csv"))).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = header.iter().position(|h| *h == "arrivals").expect("arrivals column");
        lines.map(|l| l.split(',').nth(col).unwrap().to_string()).collect()
    };
    assert_eq!(arrivals("p0-r1"), arrivals("p2-r1"));
    assert_ne!(arrivals("p0-r1"), arrivals("p0-r2"));
    // ... while the policy change does change what the endpoint did.
    assert_ne!(
        case.read("out/runs/p0-r1/activities.csv"),
        case.read("out/runs/p2-r1/activities.csv")
    );
    for f in ["manifest.json", "summary.json", "timeseries.csv", "activities.csv"] {
        assert!(case.path(&format!("out/runs/p3-r2/{f}")).exists(), "{f}");
    }
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let case = Case::new("threads", SWEEP);
    assert_success(&case.sweep("one", &["--threads", "1"]));
    assert_success(&case.sweep("two", &["--threads", "2"]));
    for f in ["sweep.csv", "runs.csv", "sweep.json"] {
        assert_eq!(case.read(&format!("one/{f}")), case.read(&format!("two/{f}")), "{f}");
    }
    // The shape the plots read.
    let csv = String::from_utf8(case.read("one/sweep.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(
        header[..5],
        ["point", "safety_factor", "target_value", "cooldown", "runs"]
    );
    assert_eq!(header[header.len() - 2..], ["feasible", "pareto"]);
    for m in [
        "cost_usd",
        "latency_ms.p99",
        "requests.errors_5xx",
        "capacity.mean_in_service",
        "error_rate",
    ] {
        for s in ["mean", "sd", "ci95_lo", "ci95_hi"] {
            assert!(header.contains(&format!("{m}.{s}").as_str()), "{m}.{s}");
        }
    }
    assert_eq!(csv.lines().count(), 1 + 4);
    let json: serde_json::Value = serde_json::from_slice(&case.read("one/sweep.json")).unwrap();
    assert_eq!(json["axes"][1]["kind"], "derived");
    assert_eq!(json["axes"][1]["values"], serde_json::json!([600, 1080]));
    assert_eq!(json["axes"][0]["path"], serde_json::Value::Null);
    assert_eq!(json["replications"], 3);
    assert_eq!(json["shard"], serde_json::Value::Null);
}

fn record(point: usize, replication: u32, figures: &[(&str, f64)]) -> RunRecord {
    let metrics: Metrics = figures.iter().map(|(k, v)| (k.to_string(), Some(*v))).collect();
    RunRecord {
        point,
        replication,
        seed: u64::from(replication),
        metrics,
    }
}

#[test]
fn confidence_interval_uses_student_t() {
    let d = design(r#"Sweep(name: "c", base_scenario: "b.ron", replications: 4, axes: [])"#);
    let recs: Vec<RunRecord> = [1.0, 2.0, 4.0, 5.0]
        .iter()
        .enumerate()
        .map(|(r, v)| record(0, r as u32, &[("cost_usd", *v)]))
        .collect();
    let out = render(&d, "", &recs, &["cost_usd".to_string()], None);
    let row = &csv_rows(&out.files[0].1)[0];
    let get = |k: &str| row[k].parse::<f64>().unwrap();
    // mean 3, sample sd sqrt(10/3) = 1.825742; t(0.975, 3) = 3.182446 from a t table;
    // half width 3.182446 * 1.825742 / 2 = 2.905166.
    assert_eq!(get("cost_usd.mean"), 3.0);
    // sweep.csv writes six significant digits.
    assert!((get("cost_usd.sd") - 1.825_742).abs() < 1e-5);
    assert!((get("cost_usd.ci95_lo") - (3.0 - 2.905_166)).abs() < 1e-5, "{row:?}");
    assert!((get("cost_usd.ci95_hi") - (3.0 + 2.905_166)).abs() < 1e-5, "{row:?}");
    assert_eq!(row["runs"], "4");
    assert_eq!(row["feasible"], "", "no constraints: empty");
}

#[test]
fn objective_constraints_and_pareto_front() {
    let d = design(
        r#"Sweep(name: "o", base_scenario: "b.ron", replications: 2,
            axes: [Values(name: "v", values: [0, 1, 2, 3, 4])],
            objective: Minimize("cost_usd"),
            constraints: ["latency_ms.p99 <= 250", "error_rate < 0.1 %"])"#,
    );
    // (cost, p99, error rate) per point, two replications around each mean.
    let means = [
        (1.0, 400.0, 0.0),
        (2.0, 240.0, 0.0),
        (3.0, 100.0, 0.0),
        (4.0, 150.0, 0.0),
        (1.5, 300.0, 0.01),
    ];
    let mut recs = Vec::new();
    for (p, (c, l, e)) in means.iter().enumerate() {
        for (r, delta) in [(0u32, -0.5), (1, 0.5)] {
            recs.push(record(
                p,
                r,
                &[
                    ("cost_usd", c + delta / 10.0),
                    ("latency_ms.p99", l + delta),
                    ("error_rate", *e),
                ],
            ));
        }
    }
    let names: Vec<String> = ["cost_usd", "error_rate", "latency_ms.p99"].map(String::from).to_vec();
    let out = render(&d, "", &recs, &names, None);
    let rows = csv_rows(&out.files[0].1);
    let col = |k: &str| rows.iter().map(|r| r[k].clone()).collect::<Vec<_>>();
    // Point 0 breaks the latency bound, point 4 the error bound.
    assert_eq!(col("feasible"), ["false", "true", "true", "true", "false"]);
    // Cheapest feasible: point 1 (point 4 is cheaper but infeasible).
    assert_eq!(out.table.best, Some(1));
    // Point 3 is dominated by point 2 (dearer and slower); the others trade cost for latency.
    assert_eq!(out.table.pareto, vec![0, 1, 2, 4]);
    assert_eq!(col("pareto"), ["true", "true", "true", "false", "true"]);
    let json: serde_json::Value = serde_json::from_slice(&out.files[2].1).unwrap();
    assert_eq!(json["best_point"], 1);
    assert_eq!(json["pareto_points"], serde_json::json!([0, 1, 2, 4]));
    assert_eq!(
        json["objective"],
        serde_json::json!({"direction": "minimize", "metric": "cost_usd"})
    );
}

#[test]
fn shards_merge_into_the_single_machine_output() {
    let case = Case::new("shard", SWEEP);
    assert_success(&case.sweep("all", &[]));
    assert_success(&case.sweep("s0", &["--shard", "0/3", "--threads", "1"]));
    assert_success(&case.sweep("s1", &["--shard", "1/3"]));
    assert_success(&case.sweep("s2", &["--shard", "2/3"]));
    // Shard 1 of 3 holds point 1 only (index % 3 == 1), with all its replications.
    let s1 = String::from_utf8(case.read("s1/sweep.csv")).unwrap();
    assert_eq!(
        s1.lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect::<Vec<_>>(),
        ["1"]
    );
    let json: serde_json::Value = serde_json::from_slice(&case.read("s1/sweep.json")).unwrap();
    assert_eq!(json["shard"], serde_json::json!({"index": 1, "count": 3}));

    let dir = |n: &str| case.path(n).display().to_string();
    // Shards in any order.
    assert_success(&fleetsim(&[
        "merge",
        &dir("merged"),
        &dir("s2"),
        &dir("s0"),
        &dir("s1"),
        "--quiet",
    ]));
    for f in ["sweep.csv", "runs.csv", "sweep.json"] {
        assert_eq!(case.read(&format!("merged/{f}")), case.read(&format!("all/{f}")), "{f}");
    }
    // A missing or repeated shard is refused and nothing is written.
    let out = fleetsim(&["merge", &dir("bad"), &dir("s0"), &dir("s1")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("shard 2/3 is missing"));
    let out = fleetsim(&["merge", &dir("bad"), &dir("s0"), &dir("s1"), &dir("s1")]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("given twice"));
    let out = fleetsim(&["merge", &dir("bad"), &dir("all")]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a shard"));
    assert!(!case.path("bad").exists());
}

/// Runs a bad sweep; it must fail with every `expected` fragment in stderr and write nothing.
fn rejects(tag: &str, sweep: &str, extra: &[&str], expected: &[&str]) {
    let case = Case::new(tag, sweep);
    let err = failed(&case.sweep("out", extra), tag);
    assert_contains(&err, expected);
    assert!(!case.path("out").exists(), "{tag}: wrote output");
    let leftovers: Vec<_> = std::fs::read_dir(case.folder.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "{tag}: {leftovers:?}");
}

#[test]
fn bad_input_is_refused_clearly_and_writes_nothing() {
    rejects(
        "ron",
        "Sweep(\n    name: \"t\",\n    base_scenario: \"base.ron\"\n    axes: [],\n)",
        &[],
        &["sweep.ron:4:5"],
    );
    rejects(
        "field",
        r#"Sweep(name: "t", base_scenario: "base.ron", axes: [], replication: 3)"#,
        &[],
        &["sweep.ron:1:", "replication"],
    );
    rejects(
        "path",
        &SWEEP.replace("policies[0].scale_in_cooldown", "policies[0].scale_in_cooldwn"),
        &[],
        &["point 0", "axis `cooldown`", "no field `scale_in_cooldwn`"],
    );
    rejects(
        "value",
        &SWEEP.replace("values: [0.5, 0.9]", "values: [0.5, -1.0]"),
        &[],
        &["point 2", "safety_factor=-1", "axis `target_value`", "target_value"],
    );
    rejects(
        "expr",
        &SWEEP.replace("max_rps * safety_factor * 60", "max_rps * safety * 60"),
        &[],
        &[
            "target_value",
            "max_rps * safety * 60",
            "unknown name `safety`",
            "known names: max_rps",
        ],
    );
    rejects(
        "syntax",
        &SWEEP.replace("max_rps * safety_factor * 60", "max_rps * (safety_factor * 60"),
        &[],
        &["expected `)`"],
    );
    rejects(
        "metric",
        &SWEEP.replace("latency_ms.p99 <= 1000", "latency_ms.p98 <= 1000"),
        &[],
        &[
            "unknown metric `latency_ms.p98`",
            "known metrics:",
            "latency_ms.p99",
            "error_rate",
        ],
    );
    rejects(
        "objective",
        &SWEEP.replace("Minimize(\"cost_usd\")", "Minimize(\"cost\")"),
        &[],
        &["objective", "unknown metric `cost`"],
    );
    rejects(
        "shard",
        SWEEP,
        &["--shard", "3/3"],
        &["--shard 3/3", "INDEX must be below COUNT"],
    );
    rejects("shard-form", SWEEP, &["--shard", "2"], &["INDEX/COUNT"]);
    rejects(
        "base",
        &SWEEP.replace("base.ron", "missing.ron"),
        &[],
        &["missing.ron", "cannot read"],
    );
    rejects(
        "zero",
        &SWEEP.replace("replications: 3", "replications: 0"),
        &[],
        &["replications", "1 or more"],
    );
}

#[test]
fn bundled_sweeps_are_valid() {
    let dir = bundled_dir().join("sweeps");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            let p = read_sweep_plan(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                p.design.points.len() > 1 && p.design.replications >= 3,
                "{}",
                path.display()
            );
            n += 1;
        }
    }
    assert!(n >= 1);
}

/// A sweep of one range axis over `from..to` by `step`, no path.
fn one_range(from: &str, to: &str, step: &str) -> String {
    format!(
        r#"Sweep(name: "t", base_scenario: "base.ron", axes: [Range(name: "r", from: {from}, to: {to}, step: {step})])"#
    )
}

#[test]
fn hostile_sizes_are_refused_before_anything_is_allocated() {
    // A step of 1e-19 once wrapped the value count to 0 and panicked indexing the points.
    for (tag, step) in [("step-19", "1e-19"), ("step-18", "1e-18"), ("step-324", "5e-324")] {
        rejects(
            tag,
            &one_range("0", "1", step),
            &[],
            &[
                "sweep.ron: axes[0] (r): from 0 to 1 in steps of",
                "allowed: 1 to 10000 per axis",
            ],
        );
    }
    rejects(
        "huge-range",
        &one_range("-1e308", "1e308", "1e300"),
        &[],
        &["infinitely many values"],
    );
    // A billion replications once allocated 16 GB for the run list at once.
    rejects(
        "replications",
        &SWEEP.replace("replications: 3", "replications: 1000000000"),
        &[],
        &[
            "sweep.ron: replications: 4 points x 1000000000 replications = 4000000000 runs",
            "allowed: at most 100000 runs",
        ],
    );
    rejects(
        "points",
        r#"Sweep(name: "t", base_scenario: "base.ron", axes: [
            Range(name: "a", from: 1, to: 1000, step: 1), Range(name: "b", from: 1, to: 1000, step: 1)])"#,
        &[],
        &["axes: the axes combine into 1000000 points; allowed: at most 10000"],
    );
    rejects(
        "threads",
        SWEEP,
        &["--threads", "10000"],
        &["--threads", "expected a whole number of threads from 1 to 256"],
    );
    rejects(
        "threads-0",
        SWEEP,
        &["--threads", "0"],
        &["expected a whole number of threads from 1 to 256"],
    );
}

#[test]
fn deep_or_long_expressions_are_refused_without_overflowing_the_stack() {
    let derived = |expr: &str| {
        format!(
            r#"Sweep(name: "t", base_scenario: "base.ron", axes: [Values(name: "a", values: [1]), Derived(name: "d", expr: "{expr}")])"#
        )
    };
    let parens = format!("{}a{}", "(".repeat(30_000), ")".repeat(30_000));
    rejects(
        "parens",
        &derived(&parens),
        &[],
        &[
            "axes[1] (d): expression `((((",
            "characters)`",
            "60001 characters long; allowed: at most 1000",
        ],
    );
    let minus = format!("{}a", "-".repeat(100_000));
    rejects("minus", &derived(&minus), &[], &["100001 characters long"]);
    let nested = format!("{}a{}", "(".repeat(65), ")".repeat(65));
    rejects(
        "nested",
        &derived(&nested),
        &[],
        &["axes[1] (d)", "nested more than 64 levels deep at character 65"],
    );
}

#[test]
fn parse_errors_say_what_a_field_takes_not_its_rust_type() {
    let values =
        |v: &str| format!(r#"Sweep(name: "t", base_scenario: "base.ron", axes: [Values(name: "a", values: [{v}])])"#);
    for (tag, v) in [("some", "Some(3)"), ("tuple", "(1, 2)"), ("list", "[1]")] {
        rejects(
            tag,
            &values(v),
            &[],
            &[
                "sweep.ron:1:",
                "a number, true or false, or text in quotes such as \"5m\"",
                "(at axes[0].Values.values[0])",
            ],
        );
    }
    rejects(
        "range-text",
        &one_range("\"x\"", "1", "1"),
        &[],
        &["expected a number such as 60 or 0.5, found the string \"x\""],
    );
    rejects(
        "axis-kind",
        r#"Sweep(name: "t", base_scenario: "base.ron", axes: [Foo(name: "a")])"#,
        &[],
        &["unknown variant `Foo`; expected one of: Values, Range, Scenarios, Derived (at axes[0])"],
    );
    rejects(
        "negative-replications",
        r#"Sweep(name: "t", base_scenario: "base.ron", replications: -1, axes: [])"#,
        &[],
        &[
            "(at replications)",
            "allowed: a whole number of runs per point, 1 or more",
        ],
    );
    for (tag, sweep) in [
        ("value-words", values("Some(3)")),
        (
            "enum-words",
            r#"Sweep(name: "t", base_scenario: "base.ron", combine: Grd, axes: [])"#.to_string(),
        ),
    ] {
        let case = Case::new(tag, &sweep);
        let err = String::from_utf8_lossy(&case.sweep("out", &[]).stderr).to_string();
        for rust in ["untagged", "ValueFile", "enum `", "AxisFile", "Combine`"] {
            assert!(!err.contains(rust), "{tag}: {err}");
        }
    }
}

/// Replaces the first match of `from` in a file of a shard folder.
fn edit(case: &Case, rel: &str, from: &str, to: &str) {
    let text = String::from_utf8(case.read(rel)).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(case.path(rel), text.replacen(from, to, 1)).unwrap();
}

#[test]
fn merge_checks_every_shard_against_its_files_and_the_others() {
    let case = Case::new("merge-hostile", &SWEEP.replace("replications: 3", "replications: 2"));
    assert_success(&case.sweep("s0", &["--shard", "0/2"]));
    assert_success(&case.sweep("s1", &["--shard", "1/2"]));
    let dir = |n: &str| case.path(n).display().to_string();
    let copy = |from: &str, to: &str| {
        std::fs::create_dir_all(case.path(to)).unwrap();
        for f in ["sweep.json", "runs.csv"] {
            std::fs::copy(case.path(&format!("{from}/{f}")), case.path(&format!("{to}/{f}"))).unwrap();
        }
    };
    let refused = |bad: &str, expected: &[&str]| {
        let out = fleetsim(&["merge", &dir("merged"), &dir("s0"), &dir(bad)]);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success(), "{bad}: merged");
        assert!(!err.contains("panicked"), "{bad}: {err}");
        for e in expected {
            assert!(err.contains(e), "{bad}: expected {e:?} in:\n{err}");
        }
        assert!(!case.path("merged").exists(), "{bad}: wrote output");
    };
    let runs = String::from_utf8(case.read("s1/runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let cost = header.iter().position(|h| *h == "cost_usd").unwrap();

    // NaN in a metric cell: named by file, line and column.
    copy("s1", "nan");
    let mut lines: Vec<String> = runs.lines().map(str::to_string).collect();
    let mut cells: Vec<&str> = lines[2].split(',').collect();
    cells[cost] = "NaN";
    lines[2] = cells.join(",");
    std::fs::write(case.path("nan/runs.csv"), lines.join("\n") + "\n").unwrap();
    refused(
        "nan",
        &[
            "nan/runs.csv: line 3, column",
            &format!("column {} (`cost_usd`): \"NaN\"", cost + 1),
            "allowed: a finite number, or empty for a missing one",
        ],
    );
    // A run removed: the shard's row count.
    copy("s1", "short");
    let kept: Vec<&str> = runs.lines().take(runs.lines().count() - 1).collect();
    std::fs::write(case.path("short/runs.csv"), kept.join("\n") + "\n").unwrap();
    refused(
        "short",
        &["short/runs.csv: 3 rows; shard 1/2 of this sweep has 2 points x 2 replications = 4 rows"],
    );
    // A run of shard 0 slipped into shard 1.
    copy("s1", "foreign");
    let s0 = String::from_utf8(case.read("s0/runs.csv")).unwrap();
    let mut rows: Vec<&str> = runs.lines().collect();
    rows[1] = s0.lines().nth(1).unwrap();
    std::fs::write(case.path("foreign/runs.csv"), rows.join("\n") + "\n").unwrap();
    refused(
        "foreign",
        &["foreign/runs.csv: line 2, column 1 (`point`): point 0 belongs to shard 0/2"],
    );
    // Edited sweep.json fields.
    copy("s1", "reps");
    edit(&case, "reps/sweep.json", "\"replications\": 2", "\"replications\": 3");
    refused(
        "reps",
        &["reps/sweep.json: `replications` is 3, but", "s0/sweep.json has 2"],
    );
    copy("s1", "version");
    let v = format!("\"fleetsim_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    edit(&case, "version/sweep.json", &v, "\"fleetsim_version\": \"0.0.1\"");
    refused(
        "version",
        &["version/sweep.json: written by fleetsim 0.0.1, but this is fleetsim"],
    );
    copy("s1", "axes");
    edit(&case, "axes/sweep.json", "\"safety_factor\"", "\"safety\"");
    refused("axes", &["axes/sweep.json: `axes` is"]);
    // Both shards edited alike: checked against the sweep text they carry.
    copy("s0", "e0");
    copy("s1", "e1");
    for d in ["e0", "e1"] {
        edit(
            &case,
            &format!("{d}/sweep.json"),
            "\"replications\": 2",
            "\"replications\": 3",
        );
    }
    let out = fleetsim(&["merge", &dir("merged"), &dir("e0"), &dir("e1")]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains("`replications` is 3, but its `sweep_text` gives 2"),
        "{err}"
    );
    // Not a sweep.json at all: said in JSON terms, not Rust's.
    copy("s1", "shape");
    std::fs::write(case.path("shape/sweep.json"), "[]").unwrap();
    let out = fleetsim(&["merge", &dir("merged"), &dir("s0"), &dir("shape")]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains("shape/sweep.json: the document is []; expected an object") && !err.contains("SweepJson"),
        "{err}"
    );
    copy("s1", "count");
    edit(&case, "count/sweep.json", "\"replications\": 2", "\"replications\": -2");
    let out = fleetsim(&["merge", &dir("merged"), &dir("s0"), &dir("count")]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains("field `replications` is -2; expected a whole number of replications") && !err.contains("u32"),
        "{err}"
    );
    // The untouched shards still merge.
    assert_success(&fleetsim(&["merge", &dir("merged"), &dir("s0"), &dir("s1"), "--quiet"]));
}

/// A `Scenarios` axis: each point starts from one of the files (named by file name in the
/// tables), the other axes apply to every one, and a template writes a number into a
/// distribution.
#[test]
fn a_scenarios_axis_sweeps_whole_scenarios_and_a_template_writes_the_value() {
    let sweep = r#"Sweep(
    name: "s",
    replications: 2,
    axes: [
        Scenarios(name: "policy", files: ["base.ron", "fast/base-fast.ron"]),
        Range(name: "provision_s", path: "endpoint.variants[0].launch.provision", template: "Constant(\"{}s\")", from: 30, to: 90, step: 60),
    ],
)"#;
    let case = Case::new("scenarios-axis", sweep);
    std::fs::create_dir_all(case.path("fast")).unwrap();
    case.folder.write(
        "fast/base-fast.ron",
        &BASE
            .replace("target_value: 600.0", "target_value: 300.0")
            .replace("sweep-base", "sweep-fast"),
    );
    let plan = case.plan().unwrap();
    let d = &plan.design;
    assert_eq!(d.scenario_files, ["base.ron", "fast/base-fast.ron"]);
    assert_eq!(
        values(d),
        [["base", "30"], ["base", "90"], ["base-fast", "30"], ["base-fast", "90"]]
    );
    for (p, (target, provision_s)) in plan
        .points
        .iter()
        .zip([(600.0, 30), (600.0, 90), (300.0, 30), (300.0, 90)])
    {
        assert_eq!(p.config.name, if target == 600.0 { "sweep-base" } else { "sweep-fast" });
        assert_eq!(
            p.overrides,
            [format!(
                "endpoint.variants[0].launch.provision=Constant(\"{provision_s}s\")"
            )]
        );
        let launch = format!("{:?}", p.config.endpoint.variants[0].launch.provision);
        assert!(launch.contains(&format!("{}", provision_s * 1_000_000)), "{launch}");
    }
    // The manifest keeps both scenarios.
    assert!(plan.scenario_text.contains("sweep-base") && plan.scenario_text.contains("sweep-fast"));
    assert_success(&case.sweep("out", &[]));
    let csv = String::from_utf8(case.read("out/sweep.csv")).unwrap();
    assert!(csv.starts_with("point,policy,provision_s,"), "{csv}");
    assert!(csv.contains("\n2,base-fast,30,"), "{csv}");
}

#[test]
fn a_scenarios_axis_is_checked() {
    let scen =
        |files: &str, base: &str| format!(r#"Sweep(name: "s", {base} axes: [Scenarios(name: "p", files: [{files}])])"#);
    let e = plan::design(&scen(r#""a.ron""#, r#"base_scenario: "b.ron","#), "t.ron")
        .unwrap_err()
        .to_string();
    assert!(e.contains("base_scenario") && e.contains("one of them"), "{e}");
    let e = plan::design(&scen("", ""), "t.ron").unwrap_err().to_string();
    assert!(e.contains("`files` has 0; allowed: 1 to 64 scenario files"), "{e}");
    let e = plan::design(&scen(r#""x/a.ron", "y/a.ron""#, ""), "t.ron")
        .unwrap_err()
        .to_string();
    assert!(e.contains("two files are both named a"), "{e}");
    let e = plan::design(r#"Sweep(name: "s", axes: [Values(name: "a", values: [1])])"#, "t.ron")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("base_scenario: missing; allowed: a scenario file, or a `Scenarios` axis"),
        "{e}"
    );
    let e = plan::design(
        r#"Sweep(name: "s", base_scenario: "b.ron", axes: [Values(name: "a", path: "duration", template: "{}s{}", values: [1])])"#,
        "t.ron",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("exactly one `{}`"), "{e}");
}

#[test]
fn validate_checks_a_sweep_file_and_every_point_without_running() {
    let case = Case::new("validate", SWEEP);
    let sweep = case.path("sweep.ron");
    let o = fleetsim(&["validate".as_ref(), sweep.as_os_str()]);
    assert_success(&o);
    assert_contains(
        &String::from_utf8_lossy(&o.stdout),
        &[
            "sweep.ron: valid sweep (4 point(s) x 3 replication(s) = 12 runs of ",
            "base.ron)",
        ],
    );
    assert!(!case.path("outputs").exists());
    // A point whose scenario is invalid is named, as `sweep` names it.
    let bad = case.folder.write(
        "bad.ron",
        &SWEEP.replace(r#"from: 120, to: 300, step: 180"#, r#"from: -60, to: 300, step: 360"#),
    );
    let err = failed(&fleetsim(&["validate".as_ref(), bad.as_os_str()]), "bad point");
    assert_contains(&err, &["point", "cooldown"]);
    // `--set` changes the base scenario of every point, as `sweep --set` does.
    let o = fleetsim(&[
        "validate".as_ref(),
        sweep.as_os_str(),
        "--set".as_ref(),
        "duration=1h".as_ref(),
    ]);
    assert_success(&o);
}

#[test]
fn the_terminal_report_shows_what_decides_feasibility() {
    let strict = SWEEP.replace(r#""latency_ms.p99 <= 1000""#, r#""latency_ms.p99 <= 1""#);
    let case = Case::new("report", &strict);
    let sweep = case.path("sweep.ron").display().to_string();
    let out = case.path("out").display().to_string();
    let o = fleetsim(&["sweep", sweep.as_str(), "--out", out.as_str(), "--no-plots"]);
    assert_success(&o);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_contains(
        &text,
        &[
            "feasible  0 of 4 points",
            "best      none: no point satisfies every constraint (latency_ms.p99 <= 1 met by 0 of 4; error_rate < 5 % met by 4 of 4)",
            "(infeasible: latency_ms.p99 ",
            " breaks latency_ms.p99 <= 1)",
        ],
    );
}

#[test]
fn infeasible_points_are_crossed_on_top_of_the_front() {
    let strict = SWEEP.replace(r#""latency_ms.p99 <= 1000""#, r#""latency_ms.p99 <= 1""#);
    let case = Case::new("pareto-infeasible", &strict);
    assert_success(&case.sweep("out", &[]));
    let svg = std::fs::read_to_string(case.path("out/pareto.svg")).unwrap();
    // Every point is infeasible: no filled front marker, and the crosses (dark red) come after
    // the front's rings in drawing order.
    let cross = svg.find("#AA0000").expect("infeasible crosses are drawn");
    let ring = svg.find(r#"r="6""#).expect("front markers are drawn");
    assert!(ring < cross, "crosses are drawn under the front");
    assert!(
        !svg.contains(r##"r="6" opacity="1" fill="#1F77B4""##),
        "an infeasible point on the front is not filled like a feasible one"
    );
}

#[test]
fn set_on_the_command_line_changes_every_point_and_merges() {
    let case = Case::new("set", &SWEEP.replace("replications: 3", "replications: 1"));
    let set = ["--set", "duration=5m", "--set", "autoscaling[0].max_capacity=3"];
    assert_success(&case.sweep("all", &set));
    // Recorded in sweep.json beside the untouched sweep text.
    let json: serde_json::Value = serde_json::from_slice(&case.read("all/sweep.json")).unwrap();
    assert_eq!(
        json["command_line_set"],
        serde_json::json!(["duration=5m", "autoscaling[0].max_capacity=3"])
    );
    // Honoured: every run lasts 5 minutes (the base runs 10).
    let runs = String::from_utf8(case.read("all/runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "duration_s")
        .expect("duration_s column");
    for line in runs.lines().skip(1) {
        assert_eq!(line.split(',').nth(col), Some("300"), "{line}");
    }
    // Without --set the sweep differs, so the override is not a no-op.
    assert_success(&case.sweep("plain", &[]));
    assert_ne!(case.read("plain/runs.csv"), case.read("all/runs.csv"));

    // Shards run with the same --set merge into the single-machine output; shards with
    // different --set values are refused.
    let mut s0 = set.to_vec();
    s0.extend(["--shard", "0/2"]);
    let mut s1 = set.to_vec();
    s1.extend(["--shard", "1/2"]);
    assert_success(&case.sweep("s0", &s0));
    assert_success(&case.sweep("s1", &s1));
    assert_success(&case.sweep("other", &["--set", "duration=6m", "--shard", "1/2"]));
    let dir = |n: &str| case.path(n).display().to_string();
    assert_success(&fleetsim(&["merge", &dir("merged"), &dir("s0"), &dir("s1"), "--quiet"]));
    for f in ["sweep.csv", "runs.csv", "sweep.json"] {
        assert_eq!(case.read(&format!("merged/{f}")), case.read(&format!("all/{f}")), "{f}");
    }
    let out = fleetsim(&["merge", &dir("bad"), &dir("s0"), &dir("other")]);
    let err = failed(&out, "different --set");
    assert!(err.contains("command_line_set"), "{err}");
    assert!(!case.path("bad").exists());

    // `validate` takes the same --set, and both refuse a path an axis varies or a bad value.
    let sweep = case.path("sweep.ron").display().to_string();
    assert_success(&fleetsim(&["validate", &sweep, "--set", "duration=5m"]));
    for (bad, expected) in [
        (
            "autoscaling[0].policies[0].scale_in_cooldown=60",
            "axis `cooldown` sets",
        ),
        ("autoscaling[0].policies[0].target_value=1", "axis `target_value` sets"),
        ("duration=-5m", "duration"),
        ("nonsense", "PATH=VALUE"),
    ] {
        let err = failed(&fleetsim(&["validate", &sweep, "--set", bad]), bad);
        assert!(err.contains(expected), "{bad}: {err}");
        let err = failed(&case.sweep("refused", &["--set", bad]), bad);
        assert!(err.contains(expected), "{bad}: {err}");
        assert!(!case.path("refused").exists());
    }
}

#[test]
fn sweep_csv_aggregates_each_metric_as_its_kind_at_six_digits() {
    let d = design(r#"Sweep(name: "k", base_scenario: "b.ron", replications: 4, axes: [])"#);
    // slo.met is a 0/1 outcome (3 of 4 runs met), duration_s a setting, cost a measure.
    let recs: Vec<RunRecord> = [(1.0, 1.0), (2.0, 1.0), (2.0, 0.0), (2.0, 1.0)]
        .iter()
        .enumerate()
        .map(|(r, (c, met))| {
            record(
                0,
                r as u32,
                &[("cost_usd", c / 3.0), ("slo.met", *met), ("duration_s", 600.0)],
            )
        })
        .collect();
    let names: Vec<String> = ["cost_usd", "duration_s", "slo.met"].map(String::from).to_vec();
    let out = render(&d, "", &recs, &names, None);
    let text = String::from_utf8(out.files[0].1.clone()).unwrap();
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        "point,runs,cost_usd.mean,cost_usd.sd,cost_usd.ci95_lo,cost_usd.ci95_hi,duration_s,slo.met.mean,slo.met.ci95_lo,slo.met.ci95_hi,feasible,pareto"
    );
    let row = &csv_rows(text.as_bytes())[0];
    // 7/12 = 0.58333...: six significant digits, where runs.csv keeps every digit.
    assert_eq!(row["cost_usd.mean"], "0.583333");
    assert_eq!(row["duration_s"], "600");
    // 3 of 4: Wilson 95 % interval (0.3006, 0.9544), inside 0..1 where mean ± t·sd is not.
    assert_eq!(row["slo.met.mean"], "0.75");
    let get = |k: &str| row[k].parse::<f64>().unwrap();
    assert!((get("slo.met.ci95_lo") - 0.3006).abs() < 5e-4, "{row:?}");
    assert!((get("slo.met.ci95_hi") - 0.9544).abs() < 5e-4, "{row:?}");
    let runs = String::from_utf8(out.files[1].1.clone()).unwrap();
    assert!(runs.contains(&(1.0f64 / 3.0).to_string()), "{runs}");
}

#[test]
fn constraints_judged_on_a_confidence_bound() {
    let d = design(
        r#"Sweep(name: "b", base_scenario: "b.ron", replications: 20,
            axes: [Values(name: "v", values: [0, 1, 2])],
            objective: Minimize("cost_usd"),
            constraints: ["latency_ms.p99 <= 250 at 95 % confidence", "slo.met >= 0.9 at 95 % confidence"])"#,
    );
    assert_eq!(d.constraints[0].confidence, Some(0.95));
    // Point 0: mean 240 with a wide spread, so its upper bound passes 250 though its mean does
    // not; points 1 and 2: tight, under 250. Every run met the SLO, but 20 of 20 only gives a
    // Wilson lower bound of 0.8809 < 0.9 at 95 %, so no point is feasible on the SLO share.
    let mut recs = Vec::new();
    for (p, (mean, spread)) in [(240.0, 40.0), (245.0, 1.0), (200.0, 1.0)].iter().enumerate() {
        for r in 0..20u32 {
            let sign = if r % 2 == 0 { -1.0 } else { 1.0 };
            recs.push(record(
                p,
                r,
                &[
                    ("cost_usd", 3.0 - p as f64),
                    ("latency_ms.p99", mean + sign * spread),
                    ("slo.met", 1.0),
                ],
            ));
        }
    }
    let names: Vec<String> = ["cost_usd", "latency_ms.p99", "slo.met"].map(String::from).to_vec();
    let out = render(&d, "", &recs, &names, None);
    let rows = csv_rows(&out.files[0].1);
    let bound = |p: usize, i: usize| rows[p][&format!("constraints[{i}].bound")].parse::<f64>().unwrap();
    // Upper one-sided 95 % bound: mean + t(0.95, 19) sd / sqrt(20), t = 1.729133 (t table);
    // sd of ±40 over 20 runs is 40 * sqrt(20/19) = 41.0391.
    assert!(
        (bound(0, 0) - (240.0 + 1.729_133 * 41.039_1 / 20f64.sqrt())).abs() < 1e-3,
        "{rows:?}"
    );
    assert!(bound(1, 0) < 250.0 && bound(0, 0) > 250.0);
    assert!((bound(2, 1) - 0.8809).abs() < 5e-4, "{rows:?}");
    assert!(rows.iter().all(|r| r["feasible"] == "false"));
    assert_eq!(out.table.best, None);

    // Without the share constraint the bound drops point 0 only.
    let d = design(
        r#"Sweep(name: "b", base_scenario: "b.ron", replications: 20,
            axes: [Values(name: "v", values: [0, 1, 2])],
            objective: Minimize("cost_usd"),
            constraints: ["latency_ms.p99 <= 250 at 95 % confidence"])"#,
    );
    let out = render(&d, "", &recs, &names, None);
    let rows = csv_rows(&out.files[0].1);
    assert_eq!(
        rows.iter().map(|r| r["feasible"].as_str()).collect::<Vec<_>>(),
        ["false", "true", "true"]
    );
    // On the mean alone, point 0 would pass.
    let d = design(
        r#"Sweep(name: "b", base_scenario: "b.ron", replications: 20,
            axes: [Values(name: "v", values: [0, 1, 2])],
            constraints: ["latency_ms.p99 <= 250"])"#,
    );
    let out = render(&d, "", &recs, &names, None);
    assert_eq!(csv_rows(&out.files[0].1)[0]["feasible"], "true");
}

#[test]
fn a_per_minute_constraint_judges_every_run_on_its_worst_minute() {
    let sweep = SWEEP.replace("replications: 3", "replications: 2").replace(
        r#""latency_ms.p99 <= 1000""#,
        r#""latency_p99_ms <= 1000 per minute", "error_rate < 5 % per minute at 90 % confidence""#,
    );
    let case = Case::new("per-minute", &sweep);
    assert_success(&case.sweep("out", &["--keep-runs"]));
    let runs = csv_rows(&case.read("out/runs.csv"));
    for r in &runs {
        // The run's value is the largest p99 of its timeseries.csv.
        let series = csv_rows(&case.read(&format!(
            "out/runs/p{}-r{}/timeseries.csv",
            r["point"], r["replication"]
        )));
        let worst = series
            .iter()
            .filter_map(|row| row["latency_p99_ms"].parse::<f64>().ok())
            .fold(f64::MIN, f64::max);
        let recorded: f64 = r["max_per_minute.latency_p99_ms"].parse().unwrap();
        assert_eq!(recorded, worst, "{r:?}");
        let summary_p99: f64 = r["latency_ms.p99"].parse().unwrap();
        assert!(recorded >= summary_p99 * 0.5, "{r:?}");
        let worst_rate = series
            .iter()
            .filter_map(|row| {
                let n: f64 = row["arrivals"].parse().ok()?;
                let f: f64 = ["errors_4xx", "errors_5xx", "timed_out", "rejected"]
                    .iter()
                    .map(|c| row[*c].parse::<f64>().unwrap_or(0.0))
                    .sum();
                (n > 0.0).then(|| f / n)
            })
            .fold(f64::MIN, f64::max);
        assert_eq!(
            r["max_per_minute.error_rate"].parse::<f64>().unwrap(),
            worst_rate,
            "{r:?}"
        );
    }
    let points = csv_rows(&case.read("out/sweep.csv"));
    assert!(points[0].contains_key("max_per_minute.latency_p99_ms.mean"));
    assert!(points[0].contains_key("constraints[1].bound"));

    // A sharded run of the same sweep merges into the same files.
    assert_success(&case.sweep("s0", &["--shard", "0/2"]));
    assert_success(&case.sweep("s1", &["--shard", "1/2"]));
    let dir = |n: &str| case.path(n).display().to_string();
    assert_success(&fleetsim(&["merge", &dir("merged"), &dir("s0"), &dir("s1"), "--quiet"]));
    for f in ["sweep.csv", "runs.csv", "sweep.json"] {
        assert_eq!(case.read(&format!("merged/{f}")), case.read(&format!("out/{f}")), "{f}");
    }
}

#[test]
fn per_minute_and_confidence_constraints_are_checked() {
    let with = |c: &str| SWEEP.replace(r#""error_rate < 5 %""#, c);
    rejects(
        "pm-column",
        &with(r#""latency_p42_ms <= 3 per minute""#),
        &[],
        &["constraints[1]", "`latency_p42_ms` is not a column", "latency_p99_ms"],
    );
    rejects(
        "pm-period",
        &with(r#""latency_p99_ms <= 3 per minute""#),
        &["--set", "metrics.period=5m"],
        &["constraints[1]", "per minute", "metrics.period is 5m"],
    );
    rejects(
        "ci-level",
        &with(r#""error_rate < 5 % at 150 % confidence""#),
        &[],
        &["constraints[1]", "`150 %` is not a confidence level", "50 % to 99.9 %"],
    );
    rejects(
        "ci-reps",
        &with(r#""error_rate < 5 % at 95 % confidence""#).replace("replications: 3", "replications: 1"),
        &[],
        &["constraints[1]", "2 or more replications"],
    );
}
