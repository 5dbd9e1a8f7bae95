//! `fleetsim import aws` and `export aws` beyond the request round trip: traffic from
//! CloudWatch (the JSON `get-metric-statistics` and `get-metric-data` print for `Invocations`
//! replays exactly as the same counts in CSV, in a scenario's `Trace(...)` and through an
//! import; a partial or wrong export is refused with the file and field), metric math, the
//! fields a scenario cannot hold (listed, refused under `--strict`), and a scaling
//! recommendation exported as the requests that apply it.

use crate::common::{assert_success, bundled, failed, fleetsim, run_into as run, TempFolder};
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

/// RON text without its layout: what a pretty-printed item holds, on one line.
fn flat(text: &str) -> String {
    text.split_whitespace().collect()
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
        flat(&text)
            .contains(r#"workload:Trace(file:"../exports/invocations.json",format:Counts(period:"1m",),scale:1.0,)"#),
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
    assert!(flat(&text).contains("background:Some(Trace(file:"), "{text}");
    assert!(flat(&text).contains("format:Counts(period:\"1m\",)"), "{text}");
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
        flat(&text).contains("metric:Customized(metric:CPUUtilization,statistic:\"Average\",)"),
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

#[test]
fn fields_the_api_takes_but_a_scenario_cannot_hold_are_listed_and_strict_refuses_them() {
    let folder = TempFolder::new("aws-traffic", "listed");
    // The step-spike export's target and scale-out policy, then an alarm written by hand with
    // every optional field, and the target given a RoleARN and Tags.
    let export = folder.join("export").display().to_string();
    let base = bundled("step-spike.ron").display().to_string();
    assert_success(&fleetsim(&[
        "export",
        "aws",
        base.as_str(),
        "--out",
        export.as_str(),
        "--quiet",
    ]));
    let target = folder.join("export/03-register-scalable-target-blue.json");
    let mut body: serde_json::Value = serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    body["RoleARN"] = "arn:aws:iam::123456789012:role/autoscaling".into();
    body["Tags"] = serde_json::json!({"team": "ml"});
    std::fs::write(&target, body.to_string()).unwrap();
    let files = [
        target,
        folder.join("export/04-put-scaling-policy-scale-out-steps.json"),
        fixture("put-metric-alarm-maximal.json"),
    ];
    // Not `--quiet`: the list is what is printed.
    let mut args: Vec<String> = vec!["import".into(), "aws".into()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let written = folder.join("listed.ron").display().to_string();
    args.extend(["--into".into(), base.clone(), "--out".into(), written]);
    let out = fleetsim(&args);
    assert_success(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "03-register-scalable-target-blue.json: RoleARN: the simulator has no IAM roles",
        "03-register-scalable-target-blue.json: Tags: resource tags are not simulated",
        "put-metric-alarm-maximal.json: AlarmDescription: a scenario's alarm has no description",
        "put-metric-alarm-maximal.json: OKActions: notifications are not simulated",
        "put-metric-alarm-maximal.json: InsufficientDataActions: notifications are not simulated",
        "put-metric-alarm-maximal.json: Unit: ",
        "put-metric-alarm-maximal.json: Tags: ",
    ] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    let mut args: Vec<String> = vec!["import".into(), "aws".into()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let strict_out = folder.join("strict.ron").display().to_string();
    args.extend(["--into".into(), base, "--out".into(), strict_out, "--strict".into()]);
    let err = failed(&fleetsim(&args), "--strict");
    assert!(err.contains("--strict: 7 setting(s) cannot be represented"), "{err}");
}

#[test]
fn a_recommendation_exports_as_the_requests_that_apply_it_and_imports_back() {
    let folder = TempFolder::new("aws-traffic", "recommendation");
    let rec = fixture("recommend-scaling-response.json").display().to_string();
    let out = folder.join("aws").display().to_string();
    assert_success(&fleetsim(&[
        "export",
        "aws",
        rec.as_str(),
        "--variant-name",
        "blue",
        "--out",
        out.as_str(),
        "--quiet",
    ]));
    assert_eq!(
        crate::common::file_names(&folder.join("aws")),
        [
            "01-register-scalable-target-blue.json",
            "02-put-scaling-policy-recommended-target-tracking.json",
            "apply.sh"
        ]
    );
    let target: serde_json::Value =
        serde_json::from_slice(&folder.read("aws/01-register-scalable-target-blue.json")).unwrap();
    assert_eq!(target["ResourceId"], "endpoint/autoscaling-diurnal/variant/blue");
    assert_eq!(
        (target["MinCapacity"].as_u64(), target["MaxCapacity"].as_u64()),
        (Some(2), Some(12))
    );
    let policy: serde_json::Value =
        serde_json::from_slice(&folder.read("aws/02-put-scaling-policy-recommended-target-tracking.json")).unwrap();
    let c = &policy["TargetTrackingScalingPolicyConfiguration"];
    assert_eq!(c["TargetValue"], 2340.0);
    assert_eq!(
        c["PredefinedMetricSpecification"]["PredefinedMetricType"],
        "SageMakerVariantInvocationsPerInstance"
    );
    assert_eq!(
        (c["ScaleInCooldown"].as_u64(), c["ScaleOutCooldown"].as_u64()),
        (Some(300), Some(300))
    );
    // Applied to the scenario it was benchmarked for: the target and policy the response says.
    let files = [
        folder.join("aws/01-register-scalable-target-blue.json"),
        folder.join("aws/02-put-scaling-policy-recommended-target-tracking.json"),
    ];
    assert_success(&import(&folder, &files, "autoscaling-diurnal.ron"));
    let text = flat(&String::from_utf8(folder.read("scenarios/imported.ron")).unwrap());
    assert!(text.contains("min_capacity:2,max_capacity:12,"), "{text}");
    assert!(text.contains("metric:SageMakerVariantInvocationsPerInstance,target_value:2340.0,scale_in_cooldown:\"5m\",scale_out_cooldown:\"5m\""), "{text}");
    // tune's recommendation.json names no endpoint: the flag is required.
    let bare = folder.write(
        "recommendation.json",
        &serde_json::json!({"DynamicScalingConfiguration": serde_json::from_slice::<serde_json::Value>(&std::fs::read(fixture("recommend-scaling-response.json")).unwrap()).unwrap()["DynamicScalingConfiguration"]}).to_string(),
    );
    let bare = bare.display().to_string();
    let err = failed(
        &fleetsim(&["export", "aws", bare.as_str(), "--out", out.as_str()]),
        "no endpoint",
    );
    assert!(
        err.contains("the recommendation names no endpoint: give --endpoint-name"),
        "{err}"
    );
    let out2 = folder.join("aws2").display().to_string();
    assert_success(&fleetsim(&[
        "export",
        "aws",
        bare.as_str(),
        "--endpoint-name",
        "prod",
        "--out",
        out2.as_str(),
        "--quiet",
    ]));
    let target: serde_json::Value =
        serde_json::from_slice(&folder.read("aws2/01-register-scalable-target-AllTraffic.json")).unwrap();
    assert_eq!(target["ResourceId"], "endpoint/prod/variant/AllTraffic");
}

#[test]
fn an_invalid_imported_value_is_traced_to_its_request_file() {
    let folder = TempFolder::new("aws-traffic", "traced");
    let export = folder.join("export").display().to_string();
    let base = bundled("step-spike.ron").display().to_string();
    assert_success(&fleetsim(&[
        "export",
        "aws",
        base.as_str(),
        "--out",
        export.as_str(),
        "--quiet",
    ]));
    // A gap between the first step (0 to 40) and the second: AWS rejects it, and so does the
    // scenario's validation, naming the request the step came from.
    let policy = folder.join("export/04-put-scaling-policy-scale-out-steps.json");
    let mut body: serde_json::Value = serde_json::from_slice(&std::fs::read(&policy).unwrap()).unwrap();
    body["StepScalingPolicyConfiguration"]["StepAdjustments"][1]["MetricIntervalLowerBound"] = 45.0.into();
    std::fs::write(&policy, body.to_string()).unwrap();
    let files = [
        folder.join("export/03-register-scalable-target-blue.json"),
        policy,
        folder.join("export/06-put-metric-alarm-cpu-high.json"),
    ];
    let err = failed(&import(&folder, &files, "step-spike.ron"), "gap");
    assert!(
        err.contains("autoscaling[0].policies[0].step_adjustments[1].lower (from ")
            && err.contains("04-put-scaling-policy-scale-out-steps.json (PutScalingPolicy)): got 45; allowed: the upper bound of the step at index 0 (40)"),
        "{err}"
    );
}

/// Every Application Auto Scaling and CloudWatch call from its fixtures (minimal, maximal,
/// invalid; written from the API reference's request syntax), into `step-spike.ron`.
#[test]
fn autoscaling_fixtures_give_what_the_api_documents() {
    let folder = TempFolder::new("aws-traffic", "autoscaling-fixtures");
    let files = |names: &[&str]| -> Vec<PathBuf> { names.iter().map(|n| fixture(&format!("{n}.json"))).collect() };
    for (names, wanted) in [
        (
            &["register-scalable-target-minimal", "put-scaling-policy-target-tracking-minimal"][..],
            // The API's defaults: cooldowns 300 s, scale-in enabled, nothing suspended.
            &[
                "min_capacity:2,max_capacity:9,suspended_state:SuspendedState(dynamic_scaling_in_suspended:false,dynamic_scaling_out_suspended:false,scheduled_scaling_suspended:false,)",
                "TargetTracking(name:\"ipi\",metric:SageMakerVariantInvocationsPerInstance,target_value:70.0,scale_in_cooldown:\"5m\",scale_out_cooldown:\"5m\",disable_scale_in:false,",
            ][..],
        ),
        (
            &["register-scalable-target-maximal", "put-scaling-policy-target-tracking-maximal"][..],
            &[
                "suspended_state:SuspendedState(dynamic_scaling_in_suspended:true,dynamic_scaling_out_suspended:false,scheduled_scaling_suspended:true,)",
                "metric:Customized(metric:CPUUtilization,statistic:\"Average\",),target_value:60.0,scale_in_cooldown:\"10m\",scale_out_cooldown:\"1m\",disable_scale_in:true,",
            ][..],
        ),
        (
            &["register-scalable-target-minimal", "put-scaling-policy-step-minimal", "put-metric-alarm-minimal"][..],
            // Cooldown 300 s and Average aggregation when the request has none.
            &[
                "StepScaling(name:\"scale-out-steps\",alarm:\"cpu-high\",adjustment_type:ChangeInCapacity,step_adjustments:[StepAdjustment(lower:Some(0.0),upper:None,adjustment:1,),],min_adjustment_magnitude:None,cooldown:\"5m\",metric_aggregation_type:Average,)",
                "Alarm(name:\"cpu-high\",metric:CPUUtilization,variant:Some(\"blue\"),",
            ][..],
        ),
        (
            &["register-scalable-target-minimal", "put-scaling-policy-step-maximal", "put-metric-alarm-maximal"][..],
            &["adjustment_type:PercentChangeInCapacity,step_adjustments:[StepAdjustment(lower:Some(0.0),upper:Some(20.0),adjustment:25,),StepAdjustment(lower:Some(20.0),upper:None,adjustment:100,),],min_adjustment_magnitude:Some(2),cooldown:\"2m\",metric_aggregation_type:Maximum,"][..],
        ),
        (
            &["register-scalable-target-minimal", "put-scheduled-action-at", "put-scheduled-action-maximal"][..],
            &[
                "ScheduledAction(name:\"lunch\",schedule:\"at(2026-05-04T12:00:00)\",timezone:\"UTC\",start_time:None,end_time:None,min_capacity:Some(6),max_capacity:None,)",
                "ScheduledAction(name:\"weekday-floor\",schedule:\"cron(08?*MON-FRI*)\",timezone:\"Europe/Paris\",start_time:Some(\"2026-05-01T00:00:00Z\"),end_time:Some(\"2026-12-31T00:00:00Z\"),min_capacity:Some(6),max_capacity:Some(14),)",
            ][..],
        ),
    ] {
        let out = import(&folder, &files(names), "step-spike.ron");
        assert_success(&out);
        let text = flat(&String::from_utf8(folder.read("scenarios/imported.ron")).unwrap());
        for w in wanted {
            assert!(text.contains(w), "{names:?}: {w}\n{text}");
        }
    }
    for (names, needle) in [
        (
            &["invalid-register-scalable-target-bounds"][..],
            "invalid-register-scalable-target-bounds.json: ValidationException: Minimum capacity cannot be greater than maximum capacity",
        ),
        (
            &["register-scalable-target-minimal", "invalid-put-scaling-policy-both-configurations"][..],
            "invalid-put-scaling-policy-both-configurations.json: ValidationException: PolicyType \"TargetTrackingScaling\" needs exactly its own configuration",
        ),
        (
            &["register-scalable-target-minimal", "invalid-put-scheduled-action-cron"][..],
            "autoscaling[0].scheduled[0].schedule (from ",
        ),
        (
            &["register-scalable-target-minimal", "put-scaling-policy-step-minimal"][..],
            "step policy `scale-out-steps`: no PutMetricAlarm among the inputs names it in AlarmActions",
        ),
    ] {
        let err = failed(&import(&folder, &files(names), "step-spike.ron"), names[names.len() - 1]);
        assert!(err.contains(needle), "{names:?}: {err}");
    }
    let err = failed(
        &import(
            &folder,
            &files(&["register-scalable-target-minimal", "invalid-put-scheduled-action-cron"]),
            "step-spike.ron",
        ),
        "cron",
    );
    assert!(err.contains("cron() needs six fields"), "{err}");
}

#[test]
fn an_asynchronous_export_takes_its_s3_output_path_from_the_environment() {
    let folder = TempFolder::new("aws-traffic", "s3-output");
    let base = bundled("async-scale-from-zero.ron").display().to_string();
    let out = folder.join("aws").display().to_string();
    assert_success(&fleetsim(&[
        "export",
        "aws",
        base.as_str(),
        "--out",
        out.as_str(),
        "--quiet",
    ]));
    let script = String::from_utf8(folder.read("aws/apply.sh")).unwrap();
    assert!(
        script.contains(r#"sed -e 's|\${S3_OUTPUT_PATH}|'"$S3_OUTPUT_PATH"'|g' 01-create-endpoint-config-"#),
        "{script}"
    );
    // Without the variable the script stops before its first call.
    let o = std::process::Command::new("bash")
        .arg(folder.join("aws/apply.sh"))
        .env_remove("S3_OUTPUT_PATH")
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("set S3_OUTPUT_PATH to the S3 URI"), "{err}");
}
