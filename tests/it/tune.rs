//! `fleetsim tune`: the pipeline's figures follow from each other (MAX_RPS, TargetValue and the
//! capacities by their formulas), the recommendation is the sweep's cheapest feasible point and
//! pastes back into a scenario, the saved sweep file reproduces the sweep, output does not
//! depend on the thread count, and bad input or an impossible objective is told apart.

use crate::common::{assert_contains, assert_success, bundled, csv_rows, failed, fleetsim, TempFolder};
use serde_json::Value;

/// A small tune of the bundled case: two safety factors, three replications.
fn small(folder: &TempFolder, out: &str, extra: &[&str]) -> std::process::Output {
    let scenario = bundled("diurnal-2h.ron").display().to_string();
    let out = folder.join(out).display().to_string();
    let mut args = vec!["tune", scenario.as_str(), "--out", out.as_str()];
    // The small defaults, unless the test gives its own.
    for (flag, value) in [("--replications", "3"), ("--safety-factors", "0.5,0.9")] {
        if !extra.contains(&flag) {
            args.extend([flag, value]);
        }
    }
    args.extend_from_slice(extra);
    fleetsim(&args)
}

fn json(folder: &TempFolder, rel: &str) -> Value {
    serde_json::from_slice(&folder.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn tune_derives_each_figure_from_the_last_and_recommends_the_cheapest_feasible_point() {
    let folder = TempFolder::new("tune", "pipeline");
    let o = small(&folder, "out", &["--threads", "2"]);
    assert_success(&o);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_contains(
        &stdout,
        &[
            "1. Benchmark",
            "2. MAX_RPS = ",
            "3. TargetValue",
            "4. Expected rates",
            "5. Sweep",
            "6. Chosen",
        ],
    );
    let t = json(&folder, "out/tune.json");
    // MAX_RPS against theory: 4 workers over a mean service time of 44.7 ms (log-normal,
    // median 40 ms, p99 120 ms) is 89.6 requests/s; the knee comes before saturation, and
    // well after half of it (the latency rule allows 4 x the unloaded p99).
    let max_rps = t["benchmark"]["max_rps"].as_f64().unwrap();
    assert!((0.6 * 89.6..=89.6).contains(&max_rps), "MAX_RPS {max_rps}");
    // The expected rates of Diurnal(300, 0.6): per-minute means of 120 to 480, within a minute's
    // averaging of the extremes.
    let (lo, hi) = (
        t["expected_rates"]["min_rps"].as_f64().unwrap(),
        t["expected_rates"]["max_rps"].as_f64().unwrap(),
    );
    assert!(
        (120.0..121.0).contains(&lo) && (479.0..=480.0).contains(&hi),
        "{lo} {hi}"
    );
    // The recommendation by the formulas, at its own safety factor.
    let r = &t["recommendation"];
    let sf = r["safety_factor"].as_f64().unwrap();
    let target = (max_rps * sf * 60.0).floor();
    assert_eq!(r["TargetValue"].as_f64().unwrap(), target);
    let per_instance = target / 60.0;
    let min = ((lo / per_instance).ceil()).max(1.0);
    assert_eq!(r["MinCapacity"].as_f64().unwrap(), min);
    assert_eq!(
        r["MaxCapacity"].as_f64().unwrap(),
        (hi / per_instance * 1.2).ceil().max(min)
    );

    // The recommendation is the sweep's best point, in the API's shape.
    let sweep = json(&folder, "out/sweep/sweep.json");
    assert_eq!(sweep["best_point"], r["point"]);
    let rec = json(&folder, "out/recommendation.json");
    let d = &rec["DynamicScalingConfiguration"];
    assert_eq!(d["MinCapacity"], r["MinCapacity"]);
    assert_eq!(d["MaxCapacity"], r["MaxCapacity"]);
    assert_eq!(d["ScaleInCooldown"], 600);
    assert_eq!(d["ScaleOutCooldown"], 60);
    let tt = &d["ScalingPolicies"][0]["TargetTracking"];
    assert_eq!(tt["TargetValue"].as_f64(), Some(target));
    assert_eq!(
        tt["MetricSpecification"]["Predefined"]["PredefinedMetricType"],
        "SageMakerVariantInvocationsPerInstance"
    );
    // And as the AWS requests that configure it.
    let put = json(&folder, "out/aws/02-put-scaling-policy-ipi.json");
    assert_eq!(
        put["TargetTrackingScalingPolicyConfiguration"]["TargetValue"].as_f64(),
        Some(target)
    );
    let reg = json(&folder, "out/aws/01-register-scalable-target-blue.json");
    assert_eq!(reg["MinCapacity"], r["MinCapacity"]);
    assert_eq!(reg["MaxCapacity"], r["MaxCapacity"]);
    // Every infeasible point is cheaper than the choice or breaks an objective: the choice is
    // the cheapest feasible one.
    let rows = csv_rows(&folder.read("out/sweep/sweep.csv"));
    let chosen_cost: f64 = rows[r["point"].as_u64().unwrap() as usize]["cost_usd.mean"]
        .parse()
        .unwrap();
    for row in &rows {
        let cost: f64 = row["cost_usd.mean"].parse().unwrap();
        if row["feasible"] == "true" {
            assert!(cost >= chosen_cost, "{row:?}");
        }
        // The bounds are recorded beside the means.
        assert!(row.contains_key("constraints[0].bound"));
    }

    // The evidence: the report names the steps and embeds plots that exist.
    let report = String::from_utf8(folder.read("out/report.md")).unwrap();
    assert_contains(
        &report,
        &["## Recommendation", "## Steps", "## The sweep", "MAX_RPS = "],
    );
    for line in report.lines().filter(|l| l.starts_with("![")) {
        let path = &line[line.find("](").unwrap() + 2..line.len() - 1];
        assert!(folder.join(&format!("out/{path}")).exists(), "{path}");
    }
    assert!(report.contains("chosen/capacity.png") && report.contains("cost-vs-slo.png"));
    // The cost-against-SLO curve plots the bound the objective judges, and the objective.
    let svg = String::from_utf8(folder.read("out/cost-vs-slo.svg")).unwrap();
    assert_contains(
        &svg,
        &[
            "upper 95 % bound",
            "objective: latency_ms.p99 &lt;= 250 at 95 % confidence",
        ],
    );
    let bench = String::from_utf8(folder.read("out/benchmark.csv")).unwrap();
    assert_eq!(bench.matches(",MAX_RPS").count(), 1, "{bench}");
}

#[test]
fn the_fragment_pastes_back_and_the_sweep_file_reproduces_the_sweep() {
    let folder = TempFolder::new("tune", "reproduce");
    assert_success(&small(&folder, "out", &["--threads", "1", "--quiet"]));
    // The scenario fragment is a valid scalable target: pasted over autoscaling[0], the
    // scenario validates with the recommended values.
    let fragment = String::from_utf8(folder.read("out/scenario-fragment.ron")).unwrap();
    let body: String = fragment
        .lines()
        .filter(|l| !l.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let scenario = bundled("diurnal-2h.ron").display().to_string();
    let set = format!("autoscaling[0]={body}");
    let t = json(&folder, "out/tune.json");
    let o = fleetsim(&["validate", scenario.as_str(), "--set", set.as_str()]);
    assert_success(&o);
    let target = t["recommendation"]["TargetValue"].as_f64().unwrap();
    assert!(fragment.contains(&format!("target_value: {target:.1}")), "{fragment}");

    // `fleetsim sweep` on the saved sweep file gives the same sweep, byte for byte.
    let sweep_file = folder.join("out/sweep/sweep.ron").display().to_string();
    let again = folder.join("again").display().to_string();
    assert_success(&fleetsim(&[
        "sweep",
        sweep_file.as_str(),
        "--out",
        again.as_str(),
        "--quiet",
        "--no-plots",
    ]));
    for f in ["sweep.csv", "runs.csv"] {
        assert_eq!(
            folder.read(&format!("again/{f}")),
            folder.read(&format!("out/sweep/{f}")),
            "{f}"
        );
    }

    // And tune itself is a function of its input: another thread count, the same bytes.
    assert_success(&small(&folder, "two", &["--threads", "2", "--quiet"]));
    for f in [
        "tune.json",
        "report.md",
        "recommendation.json",
        "scenario-fragment.ron",
        "benchmark.csv",
        "sweep/sweep.csv",
        "sweep/runs.csv",
        "chosen/summary.json",
    ] {
        assert_eq!(
            folder.read(&format!("two/{f}")),
            folder.read(&format!("out/{f}")),
            "{f}"
        );
    }
}

#[test]
fn an_objective_no_setting_meets_exits_1_with_the_evidence() {
    let folder = TempFolder::new("tune", "impossible");
    let o = small(&folder, "out", &["--latency", "20ms"]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no setting of the sweep meets every objective"));
    let report = String::from_utf8(folder.read("out/report.md")).unwrap();
    assert!(report.contains("## No recommendation"), "{report}");
    assert!(!folder.join("out/recommendation.json").exists());
    assert_eq!(json(&folder, "out/tune.json")["recommendation"], Value::Null);
}

#[test]
fn bad_input_is_refused_before_anything_runs() {
    let folder = TempFolder::new("tune", "bad");
    for (extra, needle) in [
        (vec!["--safety-factors", "0.5,1.5"], "safety factor 1.5"),
        (vec!["--replications", "1"], "2 or more"),
        (vec!["--percentile", "95"], "50, 90, 99 or 99.9"),
        (vec!["--error-budget", "0"], "error budget"),
        (vec!["--min-rps", "10"], "both --min-rps and --max-rps"),
        (vec!["--confidence", "100"], "--confidence"),
        (vec!["--latency", "fast"], "--latency"),
    ] {
        let err = failed(&small(&folder, "out", &extra), needle);
        assert!(err.contains(needle), "{extra:?}: {err}");
        assert!(!folder.join("out").exists(), "{extra:?} wrote output");
    }
    // A scenario without a target tracking policy on invocations per instance.
    let quick = bundled("quickstart.ron").display().to_string();
    let err = failed(
        &fleetsim(&["tune", quick.as_str(), "--percentile", "99", "--latency", "250ms"]),
        "no policy",
    );
    assert!(
        err.contains("no target tracking policy on SageMakerVariantInvocationsPerInstance"),
        "{err}"
    );
}

#[test]
fn per_minute_objectives_judge_each_runs_worst_minute_at_any_percentile() {
    let folder = TempFolder::new("tune", "per-minute");
    let o = small(
        &folder,
        "out",
        &["--per-minute", "--percentile", "99.9", "--latency", "400ms", "--quiet"],
    );
    // Met or not, the sweep judged p99.9 in every minute, which the scenario does not measure
    // by itself (it asks for p50, p90 and p99).
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{:?}",
        o.status
    );
    let sweep = json(&folder, "out/sweep/sweep.json");
    assert_eq!(
        sweep["constraints"][0],
        "latency_p99_9_ms <= 400 per minute at 95 % confidence"
    );
    let header = String::from_utf8(folder.read("out/sweep/runs.csv")).unwrap();
    assert!(header
        .lines()
        .next()
        .unwrap()
        .contains("max_per_minute.latency_p99_9_ms"));
    assert_eq!(json(&folder, "out/tune.json")["objectives"]["judged"], "per minute");
}

#[test]
fn a_virtual_users_benchmark_reads_max_rps_off_the_throughput_plateau() {
    let folder = TempFolder::new("tune", "users");
    let o = small(
        &folder,
        "out",
        &[
            "--benchmark-users-per-minute",
            "1",
            "--replications",
            "2",
            "--safety-factors",
            "0.5",
            "--quiet",
        ],
    );
    assert_success(&o);
    // Closed-loop users with no think time keep the 4 workers busy from 4 users on: the
    // throughput plateau is the instance's capacity, 4 / 44.7 ms = 89.6 requests/s, within the
    // noise of a minute's count (about 1 %).
    let max_rps = json(&folder, "out/tune.json")["benchmark"]["max_rps"].as_f64().unwrap();
    assert!((0.97 * 89.6..=1.03 * 89.6).contains(&max_rps), "MAX_RPS {max_rps}");
    let bench = String::from_utf8(folder.read("out/benchmark.csv")).unwrap();
    assert!(bench.starts_with("minute,users,"), "{bench}");
    let err = failed(
        &small(&folder, "bad", &["--benchmark-users-per-minute", "0"]),
        "0 users",
    );
    assert!(err.contains("users per minute; allowed: 1 to 1000"), "{err}");
}

#[test]
fn listed_minimums_and_cooldowns_become_axes_of_the_sweep() {
    let folder = TempFolder::new("tune", "axes");
    let o = small(
        &folder,
        "out",
        &[
            "--safety-factors",
            "0.6",
            "--replications",
            "2",
            "--min-capacities",
            "2,3",
            "--scale-in-cooldowns",
            "300,600",
            "--quiet",
        ],
    );
    assert_success(&o);
    let sweep = json(&folder, "out/sweep/sweep.json");
    let axes: Vec<(&str, &Value)> = sweep["axes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), &a["values"]))
        .collect();
    assert!(axes.contains(&("min_capacity", &serde_json::json!([2, 3]))), "{axes:?}");
    assert!(
        axes.contains(&("scale_in_cooldown", &serde_json::json!([300, 600]))),
        "{axes:?}"
    );
    // 2 minimums x 2 cooldowns, and the choice is one of them.
    assert_eq!(csv_rows(&folder.read("out/sweep/sweep.csv")).len(), 4);
    let r = &json(&folder, "out/tune.json")["recommendation"];
    assert!([2, 3].contains(&r["MinCapacity"].as_u64().unwrap()), "{r}");
    assert!([300, 600].contains(&r["ScaleInCooldown"].as_u64().unwrap()), "{r}");
}
