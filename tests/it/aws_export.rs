//! `fleetsim export aws`: the request bodies of a scenario's autoscaling in call order, in the
//! shapes of the API reference, and an `apply.sh` whose calls (run against a stand-in `aws`)
//! send each file and put the policies' ARNs into the alarms that trigger them.

use crate::common::{assert_same_runs, assert_success, bundled, failed, fleetsim, TempFolder};
use serde_json::{json, Value};
use std::os::unix::fs::PermissionsExt;

fn export(folder: &TempFolder, scenario: &str, extra: &[&str]) -> std::process::Output {
    let path = bundled(scenario).display().to_string();
    let out = folder.join("out").display().to_string();
    let mut args = vec!["export", "aws", path.as_str(), "--out", out.as_str(), "--quiet"];
    args.extend_from_slice(extra);
    fleetsim(&args)
}

fn read_json(folder: &TempFolder, rel: &str) -> Value {
    serde_json::from_slice(&folder.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn step_policies_come_before_their_alarms_and_the_script_links_them() {
    let folder = TempFolder::new("aws-export", "steps");
    assert_success(&export(&folder, "step-spike.ron", &[]));
    let names = crate::common::file_names(&folder.join("out"));
    assert_eq!(
        names,
        [
            "01-create-endpoint-config-config-1.json",
            "02-create-endpoint.json",
            "03-register-scalable-target-blue.json",
            "04-put-scaling-policy-scale-out-steps.json",
            "05-put-scaling-policy-scale-in-steps.json",
            "06-put-metric-alarm-cpu-high.json",
            "07-put-metric-alarm-cpu-low.json",
            "apply.sh",
            "not-exported.txt",
        ]
    );
    assert_eq!(
        read_json(&folder, "out/03-register-scalable-target-blue.json"),
        json!({
            "ServiceNamespace": "sagemaker",
            "ResourceId": "endpoint/step-spike/variant/blue",
            "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
            "MinCapacity": 3,
            "MaxCapacity": 12,
        })
    );
    let policy = read_json(&folder, "out/04-put-scaling-policy-scale-out-steps.json");
    assert_eq!(policy["PolicyType"], "StepScaling");
    let c = &policy["StepScalingPolicyConfiguration"];
    assert_eq!(c["AdjustmentType"], "ChangeInCapacity");
    assert_eq!(
        c["StepAdjustments"][0],
        json!({"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 40.0, "ScalingAdjustment": 1})
    );
    // The last step is open above: no upper bound.
    assert!(c["StepAdjustments"][2].get("MetricIntervalUpperBound").is_none());
    let alarm = read_json(&folder, "out/06-put-metric-alarm-cpu-high.json");
    assert_eq!(alarm["MetricName"], "CPUUtilization");
    assert_eq!(alarm["Namespace"], "/aws/sagemaker/Endpoints");
    assert_eq!(
        alarm["Dimensions"],
        json!([{"Name": "EndpointName", "Value": "step-spike"}, {"Name": "VariantName", "Value": "blue"}])
    );
    assert_eq!(
        alarm["AlarmActions"],
        json!(["${POLICY_ARN:autoscaling[0]/scale-out-steps}"])
    );

    // apply.sh against a stand-in `aws` that logs each call's input and answers a policy ARN.
    let bin = folder.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = folder.join("calls.log");
    let fake = format!(
        "#!/usr/bin/env bash\nprintf '%s %s\\n' \"$1 $2\" \"$(printf '%s' \"$4\" | tr -d '\\n')\" >> {log}\nif [[ $2 == put-scaling-policy ]]; then printf 'arn:aws:autoscaling:policy/%s\\n' \"$(grep -o '\"PolicyName\": \"[^\"]*' \"${{4#file://}}\" | cut -d'\"' -f4)\"; fi\n",
        log = log.display()
    );
    let aws = bin.join("aws");
    std::fs::write(&aws, fake).unwrap();
    std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let o = std::process::Command::new("bash")
        .arg(folder.join("out/apply.sh"))
        .env("PATH", path)
        .output()
        .unwrap();
    assert_success(&o);
    let calls = String::from_utf8(std::fs::read(&log).unwrap()).unwrap();
    let lines: Vec<&str> = calls.lines().collect();
    assert_eq!(lines.len(), 8, "{calls}");
    assert!(lines[0].starts_with("sagemaker create-endpoint-config file://01-"));
    assert!(lines[1].starts_with("sagemaker create-endpoint file://02-"));
    // The variant must be in service before it is registered.
    assert!(lines[2].starts_with("sagemaker wait "), "{}", lines[2]);
    assert!(lines[3].starts_with("application-autoscaling register-scalable-target file://03-"));
    assert!(lines[6].starts_with("cloudwatch put-metric-alarm {"), "{}", lines[6]);
    assert!(
        lines[6].contains("\"arn:aws:autoscaling:policy/scale-out-steps\""),
        "{}",
        lines[6]
    );
    assert!(
        lines[7].contains("\"arn:aws:autoscaling:policy/scale-in-steps\""),
        "{}",
        lines[7]
    );
    // The files stay as written.
    assert!(String::from_utf8(folder.read("out/06-put-metric-alarm-cpu-high.json"))
        .unwrap()
        .contains("${POLICY_ARN:"));
}

#[test]
fn target_tracking_and_scheduled_actions() {
    let folder = TempFolder::new("aws-export", "tracking");
    assert_success(&export(&folder, "autoscaling-diurnal.ron", &[]));
    let p = read_json(&folder, "out/04-put-scaling-policy-ipi.json");
    assert_eq!(
        p["TargetTrackingScalingPolicyConfiguration"],
        json!({
            "TargetValue": 2400.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
            "ScaleInCooldown": 600,
            "ScaleOutCooldown": 60,
            "DisableScaleIn": false,
        })
    );
    let s = read_json(&folder, "out/05-put-scheduled-action-weekday-floor.json");
    assert_eq!(s["Schedule"], "cron(0 8 ? * MON-FRI *)");
    assert_eq!(s["Timezone"], "UTC");
    assert_eq!(s["ScalableTargetAction"], json!({"MinCapacity": 8}));
    let not = String::from_utf8(folder.read("out/not-exported.txt")).unwrap();
    assert!(not.contains("none"), "{not}");

    // A customized metric keeps its namespace and dimensions.
    let folder = TempFolder::new("aws-export", "customized");
    assert_success(&export(&folder, "two-policies.ron", &[]));
    let names = crate::common::file_names(&folder.join("out"));
    let cpu = names
        .iter()
        .find(|n| n.contains("put-scaling-policy-cpu"))
        .expect("the cpu policy");
    let p = read_json(&folder, &format!("out/{cpu}"));
    let m = &p["TargetTrackingScalingPolicyConfiguration"]["CustomizedMetricSpecification"];
    assert_eq!(m["MetricName"], "CPUUtilization");
    assert_eq!(m["Namespace"], "/aws/sagemaker/Endpoints");
    assert_eq!(m["Statistic"], "Average");
}

#[test]
fn what_cannot_be_exported_is_listed_and_strict_refuses_it() {
    let folder = TempFolder::new("aws-export", "strict");
    // The managed alarms' shape is the simulator's, not a request field.
    let set = ["--set", "autoscaling[0].policies[0].alarms.high_datapoints=2"];
    assert_success(&export(&folder, "autoscaling-diurnal.ron", &set));
    let not = String::from_utf8(folder.read("out/not-exported.txt")).unwrap();
    assert!(
        not.contains("autoscaling[0].policies[0].alarms: AWS creates and manages"),
        "{not}"
    );
    let mut strict = set.to_vec();
    strict.push("--strict");
    let folder = TempFolder::new("aws-export", "strict2");
    let err = failed(&export(&folder, "autoscaling-diurnal.ron", &strict), "strict");
    assert!(err.contains("--strict: 1 setting(s) cannot be exported"), "{err}");
    assert!(!folder.join("out").exists());
    // A scenario without autoscaling is its endpoint.
    let folder = TempFolder::new("aws-export", "endpoint-only");
    assert_success(&export(&folder, "quickstart.ron", &[]));
    let names = crate::common::file_names(&folder.join("out"));
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names[1].starts_with("02-create-endpoint"), "{names:?}");
}

/// Every bundled scenario, exported and imported back into itself, resolves to the same
/// configuration: the requests hold everything the simulation uses of them (the endpoint, its
/// autoscaling and alarms, the deployments), and the base supplies the rest.
#[test]
fn import_of_an_export_gives_the_same_configuration_for_every_bundled_scenario() {
    use fleetsim::aws::{export_endpoint, import};
    let mut checked = Vec::new();
    for path in crate::common::all_bundled() {
        let source = fleetsim::scenario::Source::read(&path).unwrap();
        let mut scenario = fleetsim::scenario::parse(&source.text, &source.file).unwrap();
        scenario.expect.clear();
        let e = export_endpoint::export(&scenario).unwrap_or_else(|m| panic!("{}: {m}", path.display()));
        // The shape of the alarms target tracking manages is the simulator's: an import
        // cannot give it back.
        if e.not_exported.iter().any(|n| n.contains("AWS creates and manages")) {
            continue;
        }
        let inputs: Vec<import::Input> = e
            .calls
            .iter()
            .map(|c| import::Input {
                file: c.file.clone(),
                text: c.body.clone(),
            })
            .collect();
        let back = import::import(&scenario, &inputs).unwrap_or_else(|m| panic!("{}: {m}", path.display()));
        assert!(
            back.not_imported.is_empty(),
            "{}: {:?}",
            path.display(),
            back.not_imported
        );
        let (a, _) = source.validate(&scenario).unwrap();
        let (b, _) = source
            .validate(&back.scenario)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", path.display());
        // And the scenario file written from it reads back to the same.
        let text = import::to_ron(&back, "// Imported by fleetsim import aws\n").unwrap();
        let reread = fleetsim::scenario::parse(&text, "imported.ron").unwrap_or_else(|e| panic!("{e}\n{text}"));
        let (c, _) = source.validate(&reread).unwrap();
        assert_eq!(format!("{a:?}"), format!("{c:?}"), "{}", path.display());
        // Every endpoint and deployment is imported from its request.
        assert!(text.contains("(CreateEndpointConfig)"), "{}", path.display());
        assert_eq!(
            text.matches("(UpdateEndpoint)").count(),
            scenario.deployments.len(),
            "{}",
            path.display()
        );
        checked.push(path.file_name().unwrap().to_string_lossy().to_string());
    }
    for must in [
        "deploy-all-at-once-bake.ron",
        "deploy-canary-rollback.ron",
        "deploy-canary-success.ron",
        "deploy-during-ramp.ron",
        "deploy-linear-latency-rollback.ron",
        "deploy-rolling-rollback.ron",
        "async-scale-from-zero.ron",
        "serverless-provisioned-concurrency.ron",
        "inference-components-scale-to-zero.ron",
        "quickstart.ron",
    ] {
        assert!(checked.iter().any(|c| c == must), "{must} was not round-tripped");
    }
    assert!(
        checked.len() >= 25,
        "only {} bundled scenarios round-tripped",
        checked.len()
    );
}

#[test]
fn import_through_the_cli_runs_to_the_same_outputs() {
    let folder = TempFolder::new("aws-export", "roundtrip");
    assert_success(&export(&folder, "step-spike.ron", &[]));
    let mut files: Vec<String> = crate::common::file_names(&folder.join("out"))
        .into_iter()
        .filter(|n| n.ends_with(".json"))
        .map(|n| folder.join(&format!("out/{n}")).display().to_string())
        .collect();
    files.sort();
    let base = bundled("step-spike.ron").display().to_string();
    let imported = folder.join("imported.ron").display().to_string();
    let mut args = vec!["import".to_string(), "aws".into()];
    args.extend(files.iter().cloned());
    args.extend([
        "--into".into(),
        base.clone(),
        "--out".into(),
        imported.clone(),
        "--quiet".into(),
    ]);
    assert_success(&fleetsim(&args));
    let text = String::from_utf8(folder.read("imported.ron")).unwrap();
    assert!(text.contains("// from ") && text.contains("(PutMetricAlarm)"), "{text}");
    // The same run, byte for byte, from the original and from the import.
    assert_same_runs(&folder, &base, &imported, "cli import");
    // A second import may replace the first; a file fleetsim did not write may not.
    assert_success(&fleetsim(&args));
    std::fs::write(folder.join("mine.ron"), "my notes").unwrap();
    let mine = folder.join("mine.ron").display().to_string();
    let pos = args.iter().position(|a| *a == imported).unwrap();
    args[pos] = mine;
    let err = failed(&fleetsim(&args), "not ours");
    assert!(
        err.contains("exists and is not a scenario imported by fleetsim"),
        "{err}"
    );
}

#[test]
fn bad_requests_are_refused_with_the_file_and_field() {
    let folder = TempFolder::new("aws-export", "bad-import");
    let base = bundled("step-spike.ron").display().to_string();
    let out = folder.join("x.ron").display().to_string();
    for (name, body, needle) in [
        (
            "unknown.json",
            r#"{"ServiceNamespace": "sagemaker", "ResourceId": "endpoint/e/variant/blue", "ScalableDimension": "sagemaker:variant:DesiredInstanceCount", "MinCapacity": 1, "MaxCapacity": 2, "MinimumCapacity": 1}"#,
            "unknown field `MinimumCapacity`",
        ),
        (
            "bounds.json",
            r#"{"ServiceNamespace": "sagemaker", "ResourceId": "endpoint/e/variant/blue", "ScalableDimension": "sagemaker:variant:DesiredInstanceCount", "MinCapacity": 3, "MaxCapacity": 2}"#,
            "ValidationException: Minimum capacity cannot be greater than maximum capacity",
        ),
        (
            "variant.json",
            r#"{"ServiceNamespace": "sagemaker", "ResourceId": "endpoint/e/variant/green", "ScalableDimension": "sagemaker:variant:DesiredInstanceCount", "MinCapacity": 1, "MaxCapacity": 2}"#,
            "names variant `green`, which the base endpoint does not have (it has: blue)",
        ),
        ("other.json", r#"{"Foo": 1}"#, "not a request fleetsim imports"),
        (
            "orphan.json",
            r#"{"PolicyName": "p", "ServiceNamespace": "sagemaker", "ResourceId": "endpoint/e/variant/blue", "ScalableDimension": "sagemaker:variant:DesiredInstanceCount", "PolicyType": "TargetTrackingScaling", "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 5.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"}, "ScaleInCooldown": 300, "ScaleOutCooldown": 300, "DisableScaleIn": false}}"#,
            "no RegisterScalableTarget among the inputs",
        ),
    ] {
        let path = folder.write(name, body).display().to_string();
        let err = failed(
            &fleetsim(&[
                "import",
                "aws",
                path.as_str(),
                "--into",
                base.as_str(),
                "--out",
                out.as_str(),
            ]),
            name,
        );
        assert!(err.contains(needle) && err.contains(name), "{name}: {err}");
        assert!(!folder.join("x.ron").exists());
    }
}

#[test]
fn an_imported_scenario_must_find_its_data_files_where_it_is_written() {
    let folder = TempFolder::new("aws-export", "data-files");
    let target = folder.write(
        "target.json",
        r#"{"ServiceNamespace": "sagemaker", "ResourceId": "endpoint/trace-counts/variant/blue", "ScalableDimension": "sagemaker:variant:DesiredInstanceCount", "MinCapacity": 1, "MaxCapacity": 4}"#,
    );
    let base = bundled("trace-counts.ron").display().to_string();
    let target = target.display().to_string();
    // Written elsewhere, the trace `data/invocations.csv` is not beside it: refused, nothing written.
    let out = folder.join("elsewhere.ron").display().to_string();
    let err = failed(
        &fleetsim(&[
            "import",
            "aws",
            target.as_str(),
            "--into",
            base.as_str(),
            "--out",
            out.as_str(),
        ]),
        "trace",
    );
    assert!(err.contains("invocations.csv"), "{err}");
    assert!(!folder.join("elsewhere.ron").exists());
}
