//! Recommendation jobs and `GetScalingConfigurationRecommendation` (docs/semantics/load-tests.md,
//! worked examples I7 and J1-J4): the benchmark's numbers against
//! queueing arithmetic, its stop rules, and the API's contract through the binary.

use crate::common::mmc;
use fleetsim::engine::SimDuration;
use fleetsim::model::{DurationDist, VariantId};
use fleetsim::recommend::job::RecommendationJob;
use fleetsim::recommend::request::{CheckedRequest, Selector};
use fleetsim::recommend::response::at_cpu_target;
use fleetsim::recommend::{recommend, run_benchmark, BenchmarkOptions, JobInput, RecommendOptions, StopReason};
use std::process::Output;

use super::common::{assert_success, bundled, failed, fleetsim, TempFolder};

fn exp50() -> DurationDist {
    DurationDist::Exponential {
        mean: SimDuration::from_millis(50),
    }
}

/// One ml.c5.xlarge instance with 4 slots of 50 ms mean service: 80 requests per second at
/// full load, so 50 % per core is 40 requests per second = 2400 invocations per minute.
#[test]
fn target_at_half_load_matches_utilisation_law() {
    // Per-minute utilisation near 40 rps has a relative sd of sqrt(2 / 2400) = 2.9 % (work of
    // a Poisson minute with exponential service); the interpolated target inherits about that.
    // Averaged over 8 seeds the sd is about 1 %; the tolerance is 4 % (4 sd).
    let seeds = 8;
    let mut sum = 0.0;
    for seed in 0..seeds {
        let cfg = mmc(1.0, exp50(), 1, 4, 60, seed);
        let b = run_benchmark(&cfg, VariantId(0), &BenchmarkOptions::default()).unwrap();
        assert_eq!(b.step_rps, 4.0, "a twentieth of 80 rps");
        assert_eq!(b.stop, StopReason::Saturation, "seed {seed}");
        let n = b.minutes.len();
        assert!((18..=22).contains(&n), "saturation near minute 20, got {n}");
        sum += at_cpu_target(&b.minutes, 50.0).unwrap().0;
    }
    let mean = sum / f64::from(seeds as u32);
    assert!((mean / 2400.0 - 1.0).abs() < 0.04, "mean target {mean} vs 2400");
}

#[test]
fn i7_benchmark_stops_when_one_percent_fails() {
    // 2 % of served requests end 5XX: the first minute already fails more than 1 %
    // (about 14 of 240; below 1 % has probability < 1e-3).
    let mut cfg = mmc(1.0, exp50(), 1, 4, 60, 1);
    cfg.endpoint.variants[0].model.error_rate = 0.02;
    let b = run_benchmark(&cfg, VariantId(0), &BenchmarkOptions::default()).unwrap();
    assert_eq!((b.stop, b.minutes.len()), (StopReason::ErrorRate, 1));
    // At 0.2 % the errors never reach 1 % of a minute before the instance saturates.
    cfg.endpoint.variants[0].model.error_rate = 0.002;
    let b = run_benchmark(&cfg, VariantId(0), &BenchmarkOptions::default()).unwrap();
    assert_eq!(b.stop, StopReason::Saturation);
    // A backlog that times out at once turns saturation into failures instead.
    let mut cfg = mmc(1.0, exp50(), 1, 4, 60, 1);
    cfg.endpoint.backlog_capacity = 0;
    let opts = BenchmarkOptions {
        saturation_percent: 101.0,
        ..BenchmarkOptions::default()
    };
    let b = run_benchmark(&cfg, VariantId(0), &opts).unwrap();
    assert_eq!(b.stop, StopReason::ErrorRate);
    let last = b.minutes.last().unwrap();
    assert!(last.failures as f64 >= 0.01 * last.invocations as f64);
}

#[test]
fn staircase_ends_when_nothing_stops_it() {
    let cfg = mmc(1.0, exp50(), 1, 4, 60, 3);
    let opts = BenchmarkOptions {
        step_rps: Some(1.0),
        max_minutes: 5,
        ..BenchmarkOptions::default()
    };
    let b = run_benchmark(&cfg, VariantId(0), &opts).unwrap();
    assert_eq!((b.stop, b.minutes.len()), (StopReason::PatternComplete, 5));
    let offered: Vec<f64> = b
        .minutes
        .iter()
        .map(|m| m.offered_rps.expect("a staircase minute"))
        .collect();
    assert_eq!(offered, [1.0, 2.0, 3.0, 4.0, 5.0]);
    let bad = BenchmarkOptions {
        step_rps: Some(-1.0),
        ..BenchmarkOptions::default()
    };
    assert!(run_benchmark(&cfg, VariantId(0), &bad)
        .unwrap_err()
        .to_string()
        .contains("allowed: more than 0 and at most 1000000 requests per second"));
    let steep = BenchmarkOptions {
        step_rps: Some(1e6),
        max_minutes: 1001,
        ..BenchmarkOptions::default()
    };
    let e = run_benchmark(&cfg, VariantId(0), &steep).unwrap_err().to_string();
    assert!(e.contains("allowed: at most 1000000000"), "{e}");
    let long = BenchmarkOptions {
        max_minutes: 10_081,
        ..BenchmarkOptions::default()
    };
    let e = run_benchmark(&cfg, VariantId(0), &long).unwrap_err().to_string();
    assert!(e.contains("max_minutes is 10081; allowed: 1 to 10080"), "{e}");
}

#[test]
fn capacities_follow_the_objective() {
    let cfg = mmc(1.0, exp50(), 1, 4, 60, 5);
    let b = run_benchmark(&cfg, VariantId(0), &BenchmarkOptions::default()).unwrap();
    let job = RecommendationJob::new(
        "j",
        JobInput {
            scenario: "s.ron".into(),
            seed: 5,
            step_rps: b.step_rps,
        },
        &[b],
    );
    let req = |lo: Option<u64>, hi: Option<u64>| CheckedRequest {
        job_name: "j".into(),
        selector: Selector::RecommendationId("j-1".into()),
        target_cpu_utilization_per_core: 50,
        objective: Some(fleetsim::recommend::request::ScalingPolicyObjective {
            min_invocations_per_minute: lo,
            max_invocations_per_minute: hi,
        }),
    };
    let r = recommend(&req(Some(3000), Some(30000)), Some(&job), RecommendOptions::default()).unwrap();
    let t = match &r.dynamic_scaling_configuration.scaling_policies[0] {
        fleetsim::recommend::response::ScalingPolicy::TargetTracking(p) => p.target_value,
    };
    let d = &r.dynamic_scaling_configuration;
    assert_eq!(d.min_capacity, (3000.0 / t).ceil() as u32);
    assert_eq!(d.max_capacity, (30000.0 / t).ceil() as u32);
    assert_eq!((d.scale_in_cooldown, d.scale_out_cooldown), (300, 300));
    assert_eq!(r.metric.invocations_per_instance, t as u64);
    // No objective: both at their floor of 1.
    let r = recommend(&req(None, None), Some(&job), RecommendOptions::default()).unwrap();
    assert_eq!(
        (
            r.dynamic_scaling_configuration.min_capacity,
            r.dynamic_scaling_configuration.max_capacity
        ),
        (1, 1)
    );
    // A higher per-core target recommends a higher invocation target.
    let mut hi = req(None, None);
    hi.target_cpu_utilization_per_core = 70;
    let r70 = recommend(&hi, Some(&job), RecommendOptions { cpu_policy: true }).unwrap();
    assert!(r70.metric.invocations_per_instance > t as u64);
    assert_eq!(r70.dynamic_scaling_configuration.scaling_policies.len(), 2);
}

const SCENARIO: &str = r#"Scenario(
    name: "rec",
    duration: "10m",
    endpoint: RealTime(
        variants: [
            Variant(
                name: "small",
                instance_type: "ml.c5.large",
                initial_instance_count: 2,
                concurrency: 2,
                model: Model(service_time: Exponential(mean: "40ms")),
            ),
            Variant(
                name: "large",
                instance_type: "ml.c5.xlarge",
                initial_instance_count: 1,
                concurrency: 4,
                model: Model(service_time: Exponential(mean: "25ms")),
            ),
        ],
    ),
    workload: Open(rate: Constant(20.0)),
)"#;

/// A folder holding the scenario `s.ron`; saved jobs go to its `jobs/`.
struct Jobs {
    folder: TempFolder,
}

impl Jobs {
    fn new(tag: &str) -> Self {
        let folder = TempFolder::new("rec", tag);
        folder.write("s.ron", SCENARIO);
        Jobs { folder }
    }

    /// `fleetsim` with `args` and `--jobs-dir <folder>/jobs`.
    fn fleetsim(&self, args: &[&str]) -> Output {
        let jobs = self.folder.join("jobs").display().to_string();
        fleetsim(&[args, &["--jobs-dir", &jobs]].concat())
    }

    /// The message of `fleetsim` with `args`, which must fail cleanly.
    fn fails(&self, args: &[&str]) -> String {
        failed(&self.fleetsim(args), &format!("{args:?}"))
    }

    fn benchmark(&self, job: &str) -> Output {
        let s = self.folder.join("s.ron").display().to_string();
        self.fleetsim(&["benchmark", &s, "--job-name", job, "--quiet"])
    }

    fn job_text(&self, job: &str) -> String {
        String::from_utf8(self.folder.read(&format!("jobs/{job}.json"))).unwrap()
    }
}

/// The JSON a successful command printed.
fn stdout_json(o: &Output) -> serde_json::Value {
    assert_success(o);
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn benchmark_job_is_deterministic_and_lists_each_variant() {
    let jobs = Jobs::new("det");
    assert!(jobs.benchmark("j").status.success());
    let first = jobs.job_text("j");
    assert!(jobs.benchmark("j").status.success());
    assert_eq!(first, jobs.job_text("j"), "same scenario and seed, same bytes");
    let job: serde_json::Value = serde_json::from_str(&first).unwrap();
    let recs = job["InferenceRecommendations"].as_array().unwrap();
    assert_eq!(recs.len(), 2);
    // Sorted by ascending ModelLatency: the 25 ms model first.
    assert_eq!(recs[0]["EndpointConfiguration"]["VariantName"], "large");
    assert_eq!(recs[0]["RecommendationId"], "j-2");
    assert_eq!(recs[1]["EndpointConfiguration"]["EndpointName"], "sm-epc-j-1");
    assert_eq!(job["Status"], "COMPLETED");
}

#[test]
fn saved_job_prints_single_precision_costs_as_their_shortest_text() {
    let jobs = Jobs::new("f32");
    assert!(jobs.benchmark("j").status.success());
    let text = jobs.job_text("j");
    // ml.c5.xlarge's 0.204 is a float32: written as the service's 0.204, not 0.20399999618530273.
    assert!(text.contains("\"CostPerHour\": 0.204,"), "{text}");
    assert!(!text.contains("0.20399999618530273"), "{text}");
    // Read back, the job holds the float32 values bit for bit, so CostPerInference still
    // equals CostPerHour / (MaximumInvocations x 60) in single precision.
    let job: fleetsim::recommend::job::RecommendationJob = serde_json::from_str(&text).unwrap();
    let large = job
        .inference_recommendations
        .iter()
        .find(|r| r.endpoint_configuration.variant_name == "large")
        .unwrap();
    assert_eq!(large.metrics.cost_per_hour, Some(f64::from(0.204f32)));
    assert_eq!(
        large.metrics.cost_per_inference,
        fleetsim::recommend::job::cost_per_inference(f64::from(0.204f32), large.metrics.maximum_invocations)
    );
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Written as float32 text, it reads as a double with float32's shortest digits.
    // (ml.c5.large has no catalog price: its costs are null.)
    for rec in value["InferenceRecommendations"].as_array().unwrap() {
        let Some(x) = rec["Metrics"]["CostPerInference"].as_f64() else {
            continue;
        };
        assert_eq!(x.to_string(), (x as f32).to_string(), "CostPerInference {x}");
    }
}

#[test]
fn j1_j4_recommendation_through_the_binary() {
    let jobs = Jobs::new("api");
    assert!(jobs.benchmark("j").status.success());
    let v = stdout_json(&jobs.fleetsim(&[
        "recommend-scaling",
        "--job-name",
        "j",
        "--endpoint-name",
        "sm-epc-j-1",
        "--max-invocations-per-minute",
        "6000",
    ]));
    // J1: the per-core target was left out and is echoed as 50.
    assert_eq!(v["TargetCpuUtilizationPerCore"], 50);
    assert_eq!(v["RecommendationId"], "j-1");
    assert_eq!(v["ScalingPolicyObjective"]["MaxInvocationsPerMinute"], 6000);
    // ml.c5.large, 2 slots of 40 ms: 50 rps at full load, 25 rps = 1500 per minute at 50 %.
    let t = v["DynamicScalingConfiguration"]["ScalingPolicies"][0]["TargetTracking"]["TargetValue"]
        .as_f64()
        .unwrap();
    assert!(
        (t / 1500.0 - 1.0).abs() < 0.15,
        "target {t}: one seed, one minute per point"
    );
    // J4: only TargetTracking, and exactly one of Predefined / Customized.
    for p in v["DynamicScalingConfiguration"]["ScalingPolicies"].as_array().unwrap() {
        assert_eq!(p.as_object().unwrap().keys().collect::<Vec<_>>(), ["TargetTracking"]);
        let spec = p["TargetTracking"]["MetricSpecification"].as_object().unwrap();
        assert_eq!(spec.len(), 1);
        assert_eq!(
            spec["Predefined"]["PredefinedMetricType"],
            "SageMakerVariantInvocationsPerInstance"
        );
    }
    // A request file in the AWS shape, with the CPU policy (Customized, Average).
    let req = jobs.folder.join("req.json");
    std::fs::write(
        &req,
        r#"{"InferenceRecommendationsJobName": "j", "RecommendationId": "j-2", "TargetCpuUtilizationPerCore": 40}"#,
    )
    .unwrap();
    let v = stdout_json(&jobs.fleetsim(&["recommend-scaling", "--request", req.to_str().unwrap(), "--cpu-policy"]));
    assert_eq!(v["TargetCpuUtilizationPerCore"], 40);
    let cpu = &v["DynamicScalingConfiguration"]["ScalingPolicies"][1]["TargetTracking"];
    assert_eq!(cpu["MetricSpecification"]["Customized"]["Statistic"], "Average");
    assert_eq!(
        cpu["TargetValue"], 160.0,
        "40 % per core on 4 vCPUs: CPUUtilization sums cores"
    );
}

#[test]
fn j2_j3_errors_through_the_binary() {
    let jobs = Jobs::new("err");
    assert!(jobs.benchmark("j").status.success());
    let base = ["recommend-scaling", "--job-name", "j"];
    // J2: both selectors, or neither.
    let both = jobs.fleetsim(
        &[
            &base[..],
            &["--recommendation-id", "j-1", "--endpoint-name", "sm-epc-j-1"],
        ]
        .concat(),
    );
    assert!(failed(&both, "both ids").contains("ValidationException: both RecommendationId"));
    assert!(jobs.fails(&base).contains("ValidationException: neither"));
    // J3: an unknown job, and an unknown recommendation of a known job.
    let e = jobs.fails(&["recommend-scaling", "--job-name", "nope", "--recommendation-id", "x"]);
    assert!(
        e.contains("ResourceNotFound: no completed recommendation job named \"nope\""),
        "{e}"
    );
    let e = jobs.fails(&[&base[..], &["--recommendation-id", "j-9"]].concat());
    assert!(
        e.contains("ResourceNotFound: job \"j\" has no recommendation \"j-9\""),
        "{e}"
    );
    // Out of range (the flag is checked by its parser, the request file's field by the API's
    // checks), a bad job name, a malformed job file and request file.
    let e = jobs.fails(
        &[
            &base[..],
            &["--recommendation-id", "j-1", "--target-cpu-utilization-per-core", "0"],
        ]
        .concat(),
    );
    assert!(e.contains("expected an integer percentage from 1 to 100"), "{e}");
    let zero = jobs.folder.join("zero.json");
    std::fs::write(
        &zero,
        r#"{"InferenceRecommendationsJobName": "j", "RecommendationId": "j-1", "TargetCpuUtilizationPerCore": 0}"#,
    )
    .unwrap();
    let e = jobs.fails(&["recommend-scaling", "--request", zero.to_str().unwrap()]);
    assert!(e.contains("TargetCpuUtilizationPerCore is 0; allowed: 1 to 100"), "{e}");
    let e = jobs.fails(&["recommend-scaling", "--job-name", "../x", "--recommendation-id", "x"]);
    assert!(e.contains("letters, digits and hyphens"), "{e}");
    std::fs::write(jobs.folder.join("jobs").join("broken.json"), "{\n  \"JobName\": 3\n}").unwrap();
    let e = jobs.fails(&["recommend-scaling", "--job-name", "broken", "--recommendation-id", "x"]);
    assert!(
        e.contains("broken.json:2:") && e.contains("not a saved recommendation job"),
        "{e}"
    );
    let req = jobs.folder.join("req.json");
    std::fs::write(&req, r#"{"InferenceRecommendationsJobName": "j", "Bogus": 1}"#).unwrap();
    let e = jobs.fails(&["recommend-scaling", "--request", req.to_str().unwrap()]);
    assert!(e.contains("req.json:1:") && e.contains("unknown field `Bogus`"), "{e}");
}

#[test]
fn only_instance_endpoints_are_benchmarked() {
    let jobs = Jobs::new("kinds");
    for (file, kind) in [
        ("serverless-provisioned-concurrency.ron", "serverless"),
        (
            "inference-components-scale-to-zero.ron",
            "real-time with inference components",
        ),
        ("async-scale-from-zero.ron", "asynchronous"),
    ] {
        let path = bundled(file).display().to_string();
        let e = jobs.fails(&["benchmark", &path, "--job-name", "k", "--quiet"]);
        assert!(
            e.contains(&format!("this scenario's endpoint is {kind}")),
            "{file}: {e}"
        );
    }
    assert!(!jobs.folder.join("jobs").join("k.json").exists(), "no job is saved");
}

/// Rewrites a saved job through `f`.
fn edit_job(jobs: &Jobs, job: &str, f: impl FnOnce(&mut serde_json::Value)) {
    let mut v: serde_json::Value = serde_json::from_str(&jobs.job_text(job)).unwrap();
    f(&mut v);
    let path = jobs.folder.join("jobs").join(format!("{job}.json"));
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

#[test]
fn jobs_that_did_not_complete_or_measured_nothing_are_refused() {
    let jobs = Jobs::new("hostile-job");
    assert!(jobs.benchmark("j").status.success());
    let ask = |job: &str| jobs.fleetsim(&["recommend-scaling", "--job-name", job, "--recommendation-id", "j-1"]);
    // A job that did not complete is not a completed job (J3).
    edit_job(&jobs, "j", |v| v["Status"] = "FAILED".into());
    let e = failed(&ask("j"), "ask j");
    assert!(
        e.contains(r#"ResourceNotFound: no completed recommendation job named "j" (its Status is "FAILED"; allowed: COMPLETED)"#),
        "{e}"
    );
    edit_job(&jobs, "j", |v| v["Status"] = "COMPLETED".into());
    assert!(ask("j").status.success());
    // A file that holds another job than its name says.
    std::fs::copy(jobs.folder.join("jobs/j.json"), jobs.folder.join("jobs/k.json")).unwrap();
    let e = failed(&ask("k"), "ask k");
    assert!(
        e.contains(
            r#"ResourceNotFound: no completed recommendation job named "k" (the job saved under that name is "j")"#
        ),
        "{e}"
    );
    // A benchmark with no invocation in any minute once gave TargetValue 1 without a word.
    edit_job(&jobs, "j", |v| {
        for rec in v["InferenceRecommendations"].as_array_mut().unwrap() {
            for m in rec["Benchmark"].as_array_mut().unwrap() {
                m["Invocations"] = 0.into();
            }
        }
    });
    let e = jobs.fails(&[
        "recommend-scaling",
        "--job-name",
        "j",
        "--recommendation-id",
        "j-1",
        "--max-invocations-per-minute",
        "30000",
    ]);
    assert!(
        e.contains(r#"ValidationException: recommendation "j-1" has no benchmark minute with Invocations above 0"#),
        "{e}"
    );
    // And the benchmark itself refuses to save a job that measured nothing.
    let s = jobs.folder.join("s.ron").display().to_string();
    let e = jobs.fails(&[
        "benchmark",
        &s,
        "--job-name",
        "empty",
        "--step-rps",
        "1e-9",
        "--max-minutes",
        "1",
        "--quiet",
    ]);
    assert!(
        e.contains("the benchmark of variant `small` saw no invocation in its 1 minute(s)"),
        "{e}"
    );
    assert!(!jobs.folder.join("jobs/empty.json").exists());
}

#[test]
fn numeric_flags_say_what_they_take() {
    let jobs = Jobs::new("flags");
    let s = jobs.folder.join("s.ron").display().to_string();
    let bench = |extra: &[&str]| {
        let mut args = vec!["benchmark", s.as_str(), "--job-name", "f", "--quiet"];
        args.extend_from_slice(extra);
        jobs.fleetsim(&args)
    };
    for (flag, value, expected) in [
        (
            "--max-minutes",
            "0",
            "expected a whole number of minutes from 1 to 10080",
        ),
        (
            "--max-minutes",
            "1000000",
            "expected a whole number of minutes from 1 to 10080",
        ),
        ("--step-rps", "1e308", "a number above 0 and at most 1000000"),
        ("--step-rps", "-1", "a number above 0 and at most 1000000"),
        ("--step-rps", "NaN", "a number above 0 and at most 1000000"),
    ] {
        let e = failed(&bench(&[&format!("{flag}={value}")]), flag);
        assert!(
            e.contains(&format!("invalid value '{value}' for '{flag}")) && e.contains(expected),
            "{flag} {value}: {e}"
        );
    }
    let e = failed(
        &bench(&["--step-rps", "1000000", "--max-minutes", "10080"]),
        "staircase",
    );
    assert!(
        e.contains(
            "the staircase would reach 1000000 x 10080 = 10080000000 requests per second; allowed: at most 1000000000"
        ),
        "{e}"
    );
    assert!(!jobs.folder.join("jobs/f.json").exists());
    for value in ["99.5", "0", "101", "-3"] {
        let e = jobs.fails(&[
            "recommend-scaling",
            "--job-name",
            "j",
            "--recommendation-id",
            "j-1",
            &format!("--target-cpu-utilization-per-core={value}"),
        ]);
        assert!(
            e.contains("expected an integer percentage from 1 to 100 (TargetCpuUtilizationPerCore)"),
            "{value}: {e}"
        );
    }
    let e = jobs.fails(&[
        "recommend-scaling",
        "--job-name",
        "j",
        "--max-invocations-per-minute=-5",
    ]);
    assert!(e.contains("expected a whole number of invocations per minute"), "{e}");
    // The request file's fields say the same, not the Rust type (`expected u32`).
    let req = jobs.folder.join("req.json");
    std::fs::write(
        &req,
        "{\"InferenceRecommendationsJobName\": \"j\",\n \"TargetCpuUtilizationPerCore\": 99.5}",
    )
    .unwrap();
    let e = jobs.fails(&["recommend-scaling", "--request", req.to_str().unwrap()]);
    assert!(
        e.contains("req.json:2:")
            && e.contains("`TargetCpuUtilizationPerCore` expects an integer percentage from 1 to 100"),
        "{e}"
    );
    assert!(!e.contains("u32"), "{e}");
    // So do a saved job's.
    std::fs::create_dir_all(jobs.folder.join("jobs")).unwrap();
    std::fs::write(
        jobs.folder.join("jobs/neg.json"),
        "{\"JobName\": \"neg\", \"JobType\": \"Default\", \"Status\": \"COMPLETED\", \"InputConfig\": {\"Scenario\": \"s\", \"Seed\": -1, \"StepRps\": 1}}",
    )
    .unwrap();
    let e = jobs.fails(&["recommend-scaling", "--job-name", "neg", "--recommendation-id", "x"]);
    assert!(
        e.contains("not a saved recommendation job: invalid value: integer `-1`, expected a whole number, 0 or more (at InputConfig.Seed)"),
        "{e}"
    );
}
