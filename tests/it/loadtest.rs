//! `fleetsim loadtest`: `CreateInferenceRecommendationsJob` requests run as load tests of
//! closed-loop users (docs/semantics/load-tests.md §1-6, worked examples L7, L8, L13, L14,
//! L18, L19): validation, stopping conditions, scheduling, the service's result shapes, and the
//! command's files.

use super::common::{assert_success, bundled, failed, fleetsim, load_bundled, TempFolder};
use fleetsim::model::workload::StopReason;
use fleetsim::recommend::job::RecommendationJob;
use fleetsim::recommend::loadtest::checks::{FlatInvocations, Target};
use fleetsim::recommend::loadtest::schedule::Slot;
use fleetsim::recommend::loadtest::{
    check, describe, run_job, JobRequest, JobSteps, ModelScenario, PatternValidation, TestOutcome,
};
use fleetsim::recommend::request::{CheckedRequest, Selector};
use fleetsim::recommend::{recommend, RecommendOptions};
use serde_json::{json, Value};

fn model(name: &str, sets: &[&str]) -> ModelScenario {
    let loaded = load_bundled(name, sets, None);
    ModelScenario {
        file: loaded.file,
        config: loaded.config,
    }
}

fn xgboost(sets: &[&str]) -> ModelScenario {
    model("loadtests/xgboost-model.ron", sets)
}

fn request(v: Value) -> JobRequest {
    serde_json::from_value(v).expect("a request")
}

/// An Advanced request of one phase and the given configurations and stopping conditions.
fn advanced(phase: (i64, i64, i64), configs: Value, stops: Value) -> Value {
    json!({
        "JobName": "t",
        "JobType": "Advanced",
        "InputConfig": {
            "JobDurationInSeconds": 7200,
            "TrafficPattern": {"TrafficType": "PHASES", "Phases": [
                {"InitialNumberOfUsers": phase.0, "SpawnRate": phase.1, "DurationInSeconds": phase.2}
            ]},
            "ResourceLimit": {"MaxNumberOfTests": 10, "MaxParallelOfTests": 2},
            "EndpointConfigurations": configs,
        },
        "StoppingConditions": stops,
    })
}

fn run(v: Value, models: &[ModelScenario]) -> (RecommendationJob, JobSteps, Vec<TestOutcome>) {
    let req = request(v);
    let job = check(&req, &[], PatternValidation::Strict).unwrap_or_else(|e| panic!("{e:?}"));
    let outcomes = run_job(&job, models, 8, &|| {}).expect("tests set up");
    let created = models[0].config.start_time;
    let (described, steps) = describe(&req, &job, &outcomes, vec!["m".into()], 8, created);
    (described, steps, outcomes)
}

fn errors(v: Value) -> Vec<String> {
    match check(&request(v), &[], PatternValidation::Strict) {
        Ok(_) => Vec::new(),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn l7_stopping_condition_and_resource_limit_ranges() {
    let c5 = json!([{"InstanceType": "ml.c5.large"}]);
    let with_max = |n: i64| advanced((1, 1, 120), c5.clone(), json!({"MaxInvocations": n}));
    let e = errors(with_max(0));
    assert!(
        e.len() == 1 && e[0].starts_with("StoppingConditions.MaxInvocations: got 0;"),
        "{e:?}"
    );
    assert!(errors(with_max(1)).is_empty());
    assert!(errors(with_max(30_000)).is_empty());
    assert_eq!(errors(with_max(30_001)).len(), 1);
    let with_limit = |tests: i64, parallel: i64| {
        let mut v = advanced((1, 1, 120), c5.clone(), json!({}));
        v["InputConfig"]["ResourceLimit"] = json!({"MaxNumberOfTests": tests, "MaxParallelOfTests": parallel});
        errors(v)
    };
    assert!(with_limit(10, 3).is_empty());
    let e = with_limit(11, 3);
    assert!(
        e.len() == 1 && e[0].contains("ResourceLimit.MaxNumberOfTests: got 11; allowed: an integer from 1 to 10"),
        "{e:?}"
    );
    let e = with_limit(10, 0);
    assert!(
        e.len() == 1 && e[0].contains("ResourceLimit.MaxParallelOfTests: got 0"),
        "{e:?}"
    );
    // FlatInvocations omitted: Stop.
    let job = check(&request(with_max(1)), &[], PatternValidation::Strict).unwrap();
    assert_eq!(job.stops.flat, FlatInvocations::Stop);
}

#[test]
fn requests_are_validated_field_by_field_in_the_api_s_terms() {
    // L6 through the job's JSON: phase 2 starts 4 users away from phase 1's end; a 119 s phase.
    let mut v = advanced((1, 3, 120), json!([{"InstanceType": "ml.t2.medium"}]), json!({}));
    v["InputConfig"]["TrafficPattern"]["Phases"] = json!([
        {"InitialNumberOfUsers": 1, "SpawnRate": 3, "DurationInSeconds": 119},
        {"InitialNumberOfUsers": 1, "SpawnRate": 0, "DurationInSeconds": 240},
    ]);
    v["InputConfig"]["JobDurationInSeconds"] = json!(300);
    v["StoppingConditions"] = json!({"ModelLatencyThresholds": [{"Percentile": "95", "ValueInMilliseconds": 100}], "FlatInvocations": "stop"});
    let e = errors(v).join("\n");
    for want in [
        "InputConfig.TrafficPattern.Phases[0].DurationInSeconds: got 119; allowed: an integer from 120 to 3600",
        "InputConfig.TrafficPattern: got 360 s in all; allowed: at most InputConfig.JobDurationInSeconds (300 s)",
        "InputConfig.EndpointConfigurations[0].InstanceType: got ml.t2.medium; allowed: a non-burstable instance type (Burstable instance type ml.t2.medium is not allowed)",
        "StoppingConditions.ModelLatencyThresholds[0].Percentile: got \"95\"",
        "StoppingConditions.FlatInvocations: got \"stop\"; allowed: Stop or Continue",
    ] {
        assert!(e.contains(want), "missing {want:?} in\n{e}");
    }
    // B1 = 1 + 3 x 1 = 4 after 119 s (ceil(119 / 60) - 1 = 1 spawn); |1 - 4| = 3 is allowed.
    assert!(!e.contains("Phases[1].InitialNumberOfUsers"), "{e}");
    // Serverless ranges (L21) and exactly one of InstanceType and ServerlessConfig.
    let v = advanced(
        (1, 1, 120),
        json!([
            {"ServerlessConfig": {"MemorySizeInMB": 1536, "MaxConcurrency": 201}},
            {"ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 20, "ProvisionedConcurrency": 25}},
            {"InstanceType": "ml.c5.large", "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 20}},
        ]),
        json!({}),
    );
    let e = errors(v).join("\n");
    for want in [
        "EndpointConfigurations[0].ServerlessConfig.MemorySizeInMB: got 1536; allowed: 1024, 2048",
        "EndpointConfigurations[0].ServerlessConfig.MaxConcurrency: got 201",
        "EndpointConfigurations[1].ServerlessConfig.ProvisionedConcurrency: got 25; allowed: an integer from 1 to 20",
        "EndpointConfigurations[2]: got InstanceType and ServerlessConfig; allowed: exactly one",
    ] {
        assert!(e.contains(want), "missing {want:?} in\n{e}");
    }
}

#[test]
fn l8_calibration_thirty_thousand_invocations_with_fifteen_to_twenty_users() {
    let (job, steps, outcomes) = run(
        advanced(
            (1, 1, 1200),
            json!([{"InstanceType": "ml.c5.large"}]),
            json!({"MaxInvocations": 30000}),
        ),
        &[xgboost(&[])],
    );
    let o = &outcomes[0];
    assert_eq!(o.stop, StopReason::MaxInvocations);
    let last = o.minutes.last().unwrap();
    assert!((15..=20).contains(&last.users), "{} users", last.users);
    assert!(last.invocations >= 30_000);
    // Little's law on the stopping minute: cycle = users / throughput, 30-40 ms.
    let cycle_ms = f64::from(last.users) / (last.invocations as f64 / 60.0) * 1000.0;
    assert!((30.0..=40.0).contains(&cycle_ms), "cycle {cycle_ms} ms");
    // The minute before had one user less and stayed under 30000.
    assert!(o.minutes[o.minutes.len() - 2].invocations < 30_000);
    let rec = &job.inference_recommendations[0];
    assert_eq!(rec.metrics.maximum_invocations, last.invocations);
    assert_eq!(rec.stop_reason, "MaxInvocations");
    assert_eq!(rec.endpoint_configuration.initial_instance_count, Some(1));
    assert_eq!(steps.steps[0].status, "COMPLETED");
    // Without a threshold, ModelLatency is the peak minute's mean: 32 ms service.
    let ms = rec.metrics.model_latency as f64 / 1000.0;
    assert!((31.0..33.0).contains(&ms), "{ms} ms");
}

#[test]
fn l13_instance_count_meets_max_invocations_from_the_per_instance_peak() {
    // Four users saturate nothing: about 4 / 33 ms = 7270 per minute. MaxInvocations 20000
    // then needs ceil(20000 / peak) = 3 instances, and the fleet's figure is 3 x peak.
    let mut v = advanced(
        (4, 0, 180),
        json!([{"InstanceType": "ml.c5.large"}]),
        json!({"MaxInvocations": 20000}),
    );
    v["InputConfig"]["TrafficPattern"]["Phases"][0]["InitialNumberOfUsers"] = json!(3);
    let (job, _, outcomes) = run(v, &[xgboost(&[])]);
    let peak = outcomes[0].minutes.iter().map(|m| m.invocations).max().unwrap();
    let rec = &job.inference_recommendations[0];
    let count = 20_000u64.div_ceil(peak);
    assert_eq!(rec.endpoint_configuration.initial_instance_count, Some(count as u32));
    assert_eq!(rec.metrics.maximum_invocations, peak * count);
    assert_eq!(outcomes[0].stop, StopReason::PatternComplete);
    // CostPerHour: 0.119 USD per instance, in single precision.
    assert_eq!(
        rec.metrics.cost_per_hour,
        Some(f64::from((0.119 * count as f64) as f32))
    );
}

#[test]
fn l14_latency_threshold_in_milliseconds_reported_in_microseconds() {
    // P95 of a 32 ms Gamma (cv 0.3) is about 49 ms: a 40 ms threshold stops the first minute,
    // and ModelLatency is that minute's P95 in microseconds.
    let (job, _, outcomes) = run(
        advanced(
            (1, 1, 600),
            json!([{"InstanceType": "ml.c5.large"}]),
            json!({"ModelLatencyThresholds": [{"Percentile": "P95", "ValueInMilliseconds": 40}]}),
        ),
        &[xgboost(&[])],
    );
    let o = &outcomes[0];
    assert_eq!((o.stop, o.minutes.len()), (StopReason::ModelLatencyThreshold, 1));
    let p95 = o.minutes[0].latency_at_threshold_us.unwrap();
    assert!(p95 > 40_000.0, "{p95}");
    let rec = &job.inference_recommendations[0];
    assert_eq!(rec.metrics.model_latency, p95.round() as u64);
    assert!(
        (45_000..55_000).contains(&rec.metrics.model_latency),
        "{}",
        rec.metrics.model_latency
    );
    // 100 ms is never exceeded: the pattern completes.
    let (_, _, outcomes) = run(
        advanced(
            (1, 1, 180),
            json!([{"InstanceType": "ml.c5.large"}]),
            json!({"ModelLatencyThresholds": [{"Percentile": "P95", "ValueInMilliseconds": 100}]}),
        ),
        &[xgboost(&[])],
    );
    assert_eq!(
        (outcomes[0].stop, outcomes[0].minutes.len()),
        (StopReason::PatternComplete, 3)
    );
}

#[test]
fn flat_invocations_stop_or_continue_on_a_saturated_instance() {
    // Two worker slots of 32 ms: at most 62.5 calls per second; from 3 users on, more users
    // only wait, so invocations go flat.
    let narrow = xgboost(&["endpoint.variants[0].concurrency=2"]);
    let configs = json!([{"InstanceType": "ml.c5.large"}]);
    let (_, _, stop) = run(
        advanced((1, 1, 900), configs.clone(), json!({})),
        std::slice::from_ref(&narrow),
    );
    assert_eq!(stop[0].stop, StopReason::FlatInvocations);
    assert!(stop[0].minutes.len() < 15, "{} minutes", stop[0].minutes.len());
    let (_, _, go_on) = run(
        advanced((1, 1, 900), configs, json!({"FlatInvocations": "Continue"})),
        &[narrow],
    );
    assert_eq!(
        (go_on[0].stop, go_on[0].minutes.len()),
        (StopReason::PatternComplete, 15)
    );
}

#[test]
fn l19_tests_wait_for_a_slot_and_the_last_is_skipped_after_the_job_duration() {
    // Four configurations one at a time; each lasts 220 s of endpoint creation (160 s + 60 s
    // launch) + 1200 s of pattern = 1420 s. JobDurationInSeconds 3600: starts at 0, 1420,
    // 2840; the fourth is due at 4260 > 3600 and is skipped.
    let mut v = advanced(
        (1, 0, 1200),
        json!([
            {"InstanceType": "ml.c5.large"},
            {"InstanceType": "ml.c5.xlarge"},
            {"InstanceType": "ml.m5.large"},
            {"InstanceType": "ml.c5.large", "EnvironmentParameterRanges": {"CategoricalParameterRanges": [{"Name": "OMP_NUM_THREADS", "Value": ["2"]}]}},
        ]),
        json!({}),
    );
    v["InputConfig"]["JobDurationInSeconds"] = json!(3600);
    v["InputConfig"]["ResourceLimit"]["MaxParallelOfTests"] = json!(1);
    let (job, steps, outcomes) = run(v, &[xgboost(&[])]);
    let starts: Vec<Slot> = outcomes.iter().map(|o| o.slot).collect();
    let s = fleetsim::engine::SimDuration::from_secs;
    assert_eq!(
        starts,
        vec![
            Slot::Ran {
                start: s(0),
                end: s(1420)
            },
            Slot::Ran {
                start: s(1420),
                end: s(2840)
            },
            Slot::Ran {
                start: s(2840),
                end: s(4260)
            },
            Slot::Skipped { due: s(4260) },
        ]
    );
    let status: Vec<&str> = steps.steps.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(status, ["COMPLETED", "COMPLETED", "COMPLETED", "STOPPED"]);
    assert!(steps.steps[3]
        .inference_benchmark
        .failure_reason
        .as_deref()
        .unwrap()
        .contains("4260 s"));
    assert_eq!(job.inference_recommendations.len(), 3);
    // L18-style timeline: the job ran from its creation to the third test's end, 4260 s; the
    // second test invoked from 1420 + 220 s to 2840 s.
    assert_eq!(job.creation_time.as_deref(), Some("2024-01-01T00:00:00.000Z"));
    assert_eq!(job.completion_time.as_deref(), Some("2024-01-01T01:11:00.000Z"));
    let second = &steps.steps[1].inference_benchmark;
    assert_eq!(
        second.invocation_start_time.as_deref(),
        Some("2024-01-01T00:27:20.000Z")
    );
    assert_eq!(second.invocation_end_time.as_deref(), Some("2024-01-01T00:47:20.000Z"));
    // Three lanes: all start at 0 (L19's first case).
    let mut v = advanced(
        (1, 0, 120),
        json!([{"InstanceType": "ml.c5.large"}, {"InstanceType": "ml.c5.xlarge"}, {"InstanceType": "ml.m5.large"}]),
        json!({}),
    );
    v["InputConfig"]["ResourceLimit"] = json!({"MaxNumberOfTests": 10, "MaxParallelOfTests": 3});
    let (_, _, outcomes) = run(v, &[xgboost(&[])]);
    assert!(outcomes
        .iter()
        .all(|o| matches!(o.slot, Slot::Ran { start, .. } if start == s(0))));
}

#[test]
fn each_configuration_uses_its_own_model_and_results_do_not_depend_on_threads() {
    let configs =
        json!([{"InstanceType": "ml.c5.large"}, {"InstanceType": "ml.c5.xlarge"}, {"InstanceType": "ml.m5.large"}]);
    let job = |parallel: i64| {
        let mut v = advanced((1, 1, 300), configs.clone(), json!({}));
        v["InputConfig"]["ResourceLimit"]["MaxParallelOfTests"] = json!(parallel);
        run(v, &[xgboost(&[])])
    };
    let (one, _, a) = job(1);
    let (three, _, b) = job(3);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.minutes, y.minutes, "{:?}", x.plan.target);
    }
    assert_eq!(one.inference_recommendations.len(), 3);
    assert_eq!(
        serde_json::to_value(&one.inference_recommendations[0].metrics).unwrap(),
        serde_json::to_value(&three.inference_recommendations[0].metrics).unwrap()
    );
    // The variants' service times: c5.xlarge 26 ms, m5.large 30 ms, c5.large 32 ms, listed by
    // ascending ModelLatency (L15's order).
    let order: Vec<&str> = one
        .inference_recommendations
        .iter()
        .map(|r| r.endpoint_configuration.instance_type.as_deref().unwrap())
        .collect();
    assert_eq!(order, ["ml.c5.xlarge", "ml.m5.large", "ml.c5.large"]);
    // Common random numbers: the same users on every configuration, so the first minute's
    // single user makes about 60 s / cycle calls on each (cycle = service + 1 ms).
    for (o, ms) in a.iter().zip([33.0, 27.0, 31.0]) {
        let calls = o.minutes[0].invocations as f64;
        assert!(
            (calls / (60_000.0 / ms) - 1.0).abs() < 0.03,
            "{:?}: {calls}",
            o.plan.target
        );
    }
}

#[test]
fn serverless_configurations_and_existing_endpoints() {
    let serverless = model("serverless-provisioned-concurrency.ron", &[]);
    let (job, _, outcomes) = run(
        advanced(
            (1, 1, 300),
            json!([{"ServerlessConfig": {"MemorySizeInMB": 4096, "MaxConcurrency": 10}}]),
            json!({}),
        ),
        &[serverless],
    );
    assert!(matches!(outcomes[0].plan.target, Target::Serverless { .. }));
    let rec = &job.inference_recommendations[0];
    let ec = &rec.endpoint_configuration;
    assert_eq!((ec.instance_type.as_deref(), ec.initial_instance_count), (None, None));
    let sc = ec.serverless_config.as_ref().unwrap();
    assert_eq!((sc.memory_size_in_mb, sc.max_concurrency), (4096, 10));
    // Both spellings of the peak, and the cold start the first users waited for.
    assert_eq!(rec.metrics.max_invocations, Some(rec.metrics.maximum_invocations));
    assert!(
        rec.metrics.model_setup_time.is_some_and(|t| t > 1_000_000),
        "{:?}",
        rec.metrics.model_setup_time
    );
    assert!(rec.metrics.cost_per_hour.is_some_and(|c| c > 0.0));
    let text = serde_json::to_string(&job).unwrap();
    assert!(text.contains("\"MemorySizeInMb\":4096"), "{text}");
    // A serverless recommendation has no instance count to scale: refused with a reason.
    let err = recommend(
        &CheckedRequest {
            job_name: "t".into(),
            selector: Selector::RecommendationId(rec.recommendation_id.clone()),
            target_cpu_utilization_per_core: 50,
            objective: None,
        },
        Some(&job),
        RecommendOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("serverless"), "{err}");

    // An existing endpoint: its own scaling policy acts during the test.
    let stairs = model("load-test-stairs.ron", &[]);
    let v = json!({
        "JobName": "t", "JobType": "Advanced",
        "InputConfig": {
            "TrafficPattern": {"TrafficType": "STAIRS", "Stairs": {"DurationInSeconds": 600, "NumberOfSteps": 5, "UsersPerStep": 3}},
            "Endpoints": [{"EndpointName": "load-test-stairs"}],
            // The notebook's request names an instance type beside the endpoint: the test
            // still runs against the endpoint.
            "EndpointConfigurations": [{"InstanceType": "ml.c5.large"}],
        },
    });
    let (job, _, outcomes) = run(v, &[stairs]);
    let perf = &job.endpoint_performances.as_ref().unwrap()[0];
    assert_eq!(perf.endpoint_info.endpoint_name, "load-test-stairs");
    assert!(job.inference_recommendations.is_empty());
    assert_eq!(outcomes[0].minutes.len(), 10);
    assert_eq!(outcomes[0].minutes[9].users, 15);
    assert_eq!(
        perf.metrics.max_invocations,
        outcomes[0].minutes.iter().map(|m| m.invocations).max().unwrap()
    );
}

#[test]
fn an_advanced_job_feeds_recommend_scaling() {
    let (job, _, _) = run(
        advanced((1, 1, 1200), json!([{"InstanceType": "ml.c5.large"}]), json!({})),
        &[xgboost(&[])],
    );
    let rec = &job.inference_recommendations[0];
    let answer = recommend(
        &CheckedRequest {
            job_name: "t".into(),
            selector: Selector::EndpointName(rec.endpoint_configuration.endpoint_name.clone()),
            target_cpu_utilization_per_core: 50,
            objective: None,
        },
        Some(&job),
        RecommendOptions::default(),
    )
    .expect("a recommendation from the users' minutes");
    // 50 % per core of 24 slots of 32 ms on 2 vCPUs: CPU per core = busy slots / 24 x 100, so
    // 50 % is 12 busy slots = 375 calls per second = 22500 per minute.
    let target = answer.metric.invocations_per_instance as f64;
    assert!((target / 22_500.0 - 1.0).abs() < 0.03, "{target}");
}

#[test]
fn a_default_job_benchmarks_the_model_s_instance_types_until_saturation() {
    let narrow = xgboost(&[
        "endpoint.variants[0].concurrency=2",
        "endpoint.variants[1].concurrency=4",
        "endpoint.variants[2].concurrency=2",
    ]);
    let req = request(json!({"JobName": "d", "JobType": "Default", "InputConfig": {"JobDurationInSeconds": 1800}}));
    let types: Vec<String> = ["ml.c5.large", "ml.c5.xlarge", "ml.m5.large"]
        .map(String::from)
        .to_vec();
    let job = check(&req, &types, PatternValidation::Strict).unwrap();
    assert_eq!(job.tests.len(), 3);
    let outcomes = run_job(&job, &[narrow], 8, &|| {}).unwrap();
    for o in &outcomes {
        assert_eq!(o.stop, StopReason::FlatInvocations, "{:?}", o.plan.target);
    }
    // A Default job refuses what the service chooses itself.
    let e = errors(json!({"JobName": "d", "JobType": "Default", "InputConfig": {
        "TrafficPattern": {"TrafficType": "PHASES", "Phases": [{"InitialNumberOfUsers": 1, "SpawnRate": 1, "DurationInSeconds": 120}]}}}));
    assert!(
        e[0].starts_with("InputConfig.TrafficPattern: got a pattern; allowed: none in a Default job"),
        "{e:?}"
    );
}

/// Runs `fleetsim loadtest REQUEST --model <xgboost-model> --jobs-dir JOBS --out OUT` with
/// `extra` arguments after them.
fn loadtest_cmd(
    request: &std::path::Path,
    jobs: &std::path::Path,
    out: &std::path::Path,
    extra: &[&std::ffi::OsStr],
) -> std::process::Output {
    let model = bundled("loadtests/xgboost-model.ron");
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "loadtest".as_ref(),
        request.as_os_str(),
        "--model".as_ref(),
        model.as_os_str(),
        "--jobs-dir".as_ref(),
        jobs.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    args.extend_from_slice(extra);
    fleetsim(&args)
}

#[test]
fn the_command_writes_the_job_its_folder_and_reports_unknown_fields() {
    let dir = TempFolder::new("loadtest", "cmd");
    let jobs = dir.path().join("jobs");
    let out = dir.path().join("out");
    let model = bundled("loadtests/xgboost-model.ron");
    let calibration = bundled("loadtests/calibration.json");
    let o = loadtest_cmd(&calibration, &jobs, &out, &[]);
    assert_success(&o);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("MaxInvocations") && stdout.contains("ml.c5.large"),
        "{stdout}"
    );
    let mut names = super::common::file_names(&out);
    names.sort();
    assert_eq!(
        names,
        [
            "job.json",
            "loadtest.json",
            "minutes.csv",
            "steps.json",
            "test-1.png",
            "test-1.svg"
        ]
    );
    let saved = std::fs::read(jobs.join("xgboost-calibration.json")).unwrap();
    assert_eq!(saved, std::fs::read(out.join("job.json")).unwrap());
    let job: RecommendationJob = serde_json::from_slice(&saved).unwrap();
    assert_eq!(job.job_type, "Advanced");
    // recommend-scaling reads it like a benchmark job.
    let o = fleetsim(&[
        "recommend-scaling".as_ref(),
        "--job-name".as_ref(),
        "xgboost-calibration".as_ref(),
        "--endpoint-name".as_ref(),
        "sm-epc-xgboost-calibration-1".as_ref(),
        "--jobs-dir".as_ref(),
        jobs.as_os_str(),
    ]);
    assert_success(&o);
    // The minutes read back as a table: one row per kept minute.
    let csv = std::fs::read_to_string(out.join("minutes.csv")).unwrap();
    assert!(csv.starts_with("test,endpoint_name,configuration,minute,start_s,users,invocations,failures,model_latency_mean_ms,model_latency_p95_ms,cpu_utilization,stop_reason\n"));
    assert_eq!(
        csv.lines().count(),
        1 + job.inference_recommendations[0].benchmark.len()
    );
    // A second run replaces both (they are fleetsim's own).
    let again = loadtest_cmd(&calibration, &jobs, &out, &["-q".as_ref()]);
    assert_success(&again);
    assert_eq!(std::fs::read(jobs.join("xgboost-calibration.json")).unwrap(), saved);

    // A misspelt field: its path and the valid names; an AWS field fleetsim does not model:
    // a warning.
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"JobName": "x", "JobType": "Advanced", "InputConfig": {"JobDurationInSecond": 10}}"#,
    )
    .unwrap();
    let err = failed(
        &fleetsim(&[
            "loadtest".as_ref(),
            bad.as_os_str(),
            "--model".as_ref(),
            model.as_os_str(),
        ]),
        "misspelt",
    );
    assert!(
        err.contains("unknown field `JobDurationInSecond`")
            && err.contains("JobDurationInSeconds")
            && err.contains("(at InputConfig.JobDurationInSecond)"),
        "{err}"
    );
    let role = dir.path().join("role.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(bundled("loadtests/calibration.json")).unwrap()).unwrap();
    v["RoleArn"] = json!("arn:aws:iam::123456789012:role/x");
    std::fs::write(&role, v.to_string()).unwrap();
    let o = loadtest_cmd(&role, &jobs, &dir.path().join("out2"), &["--no-plots".as_ref()]);
    assert_success(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("RoleArn is accepted but not simulated"), "{err}");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out2/loadtest.json")).unwrap()).unwrap();
    assert!(manifest["not_simulated"][0].as_str().unwrap().starts_with("RoleArn"));
}

/// The capacity-planning notebook's validation job (its own request, bundled as
/// `scenarios/loadtests/notebook-round<N>-validation.json`) against the round's endpoint,
/// for seeds 1-20 and a flatness window of `rises`: how many seeds reach the notebook's
/// 30000 invocations per minute.
fn notebook_passes(round: u32, endpoint: &str, rises: usize) -> usize {
    let text = std::fs::read(bundled(&format!("loadtests/notebook-round{round}-validation.json"))).unwrap();
    let req: JobRequest = serde_json::from_slice(&text).unwrap();
    let mut job = check(&req, &[], PatternValidation::Strict).unwrap();
    job.stops.flatness.rises = rises;
    let endpoint = model(endpoint, &[]);
    (1..=20)
        .filter(|&seed| {
            let outcomes = run_job(&job, std::slice::from_ref(&endpoint), seed, &|| {}).unwrap();
            let peak = outcomes[0].minutes.iter().map(|m| m.invocations).max().unwrap();
            peak >= 30_000
        })
        .count()
}

// The notebook reports that round 1 (target tracking, 1 user a minute) and round 3 (step
// scaling, 3 users a minute) reach 30000 invocations per minute and round 2 (target tracking
// x 1.3, 3 users a minute) does not. Its request leaves FlatInvocations at Stop, so each
// test ends once invocations stay flat while users are added, before or after a scale-out
// lands: the verdict depends on the flatness window. With the default window (3 rises) every
// round stops flat at about 11000 per minute on its 2 starting instances (round 3 passes on 2
// seeds of 20); with 5 rises the notebook's three verdicts come out (20, 3 and 20 seeds of 20).

#[test]
fn notebook_round1_validation_passes_with_a_five_rise_flatness_window() {
    assert_eq!(notebook_passes(1, "notebook-round1-slow-ramp.ron", 5), 20);
    assert_eq!(notebook_passes(1, "notebook-round1-slow-ramp.ron", 3), 0);
}

#[test]
fn notebook_round2_validation_mostly_fails_with_a_five_rise_flatness_window() {
    assert_eq!(notebook_passes(2, "notebook-round2-fast-ramp.ron", 5), 3);
    assert_eq!(notebook_passes(2, "notebook-round2-fast-ramp.ron", 3), 0);
}

#[test]
fn notebook_round3_validation_passes_with_a_five_rise_flatness_window() {
    assert_eq!(notebook_passes(3, "notebook-round3-step.ron", 5), 20);
    assert_eq!(notebook_passes(3, "notebook-round3-step.ron", 3), 2);
}

/// The round scenarios run the notebook's load test themselves (users with its stopping
/// conditions, `flat_rises` 5); `fleetsim loadtest` runs the notebook's request against the
/// same endpoint. Both simulate the same minutes and stop at the same one.
#[test]
fn the_notebook_scenarios_and_the_loadtest_job_stop_at_the_same_minute() {
    for (round, file) in [
        (1, "notebook-round1-slow-ramp.ron"),
        (2, "notebook-round2-fast-ramp.ron"),
    ] {
        let text = std::fs::read(bundled(&format!("loadtests/notebook-round{round}-validation.json"))).unwrap();
        let req: JobRequest = serde_json::from_slice(&text).unwrap();
        let mut job = check(&req, &[], PatternValidation::Strict).unwrap();
        job.stops.flatness.rises = 5;
        let endpoint = model(file, &[]);
        for seed in 1..=3 {
            let outcome = &run_job(&job, std::slice::from_ref(&endpoint), seed, &|| {}).unwrap()[0];
            let job_minutes: Vec<u64> = outcome.minutes.iter().map(|m| m.invocations).collect();
            let r = fleetsim::sim::run(load_bundled(file, &[], Some(seed)).config);
            let (_, at) = r.users.as_ref().unwrap().stopped.unwrap();
            let kept = (at.0 / 60_000_000) as usize;
            let run_minutes: Vec<u64> = r.points[..kept]
                .iter()
                .map(|p| p.variants.iter().map(|v| v.requests.invocations).sum())
                .collect();
            assert_eq!(job_minutes, run_minutes, "round {round}, seed {seed}");
        }
    }
}
