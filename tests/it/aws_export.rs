//! `fleetsim export aws`: the request bodies of a scenario's autoscaling in call order, in the
//! shapes of the API reference, and an `apply.sh` whose calls (run against a stand-in `aws`)
//! send each file and put the policies' ARNs into the alarms that trigger them.

use crate::common::{assert_success, bundled, failed, fleetsim, TempFolder};
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
            "01-register-scalable-target-blue.json",
            "02-put-scaling-policy-scale-out-steps.json",
            "03-put-scaling-policy-scale-in-steps.json",
            "04-put-metric-alarm-cpu-high.json",
            "05-put-metric-alarm-cpu-low.json",
            "apply.sh",
            "not-exported.txt",
        ]
    );
    assert_eq!(
        read_json(&folder, "out/01-register-scalable-target-blue.json"),
        json!({
            "ServiceNamespace": "sagemaker",
            "ResourceId": "endpoint/step-spike/variant/blue",
            "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
            "MinCapacity": 3,
            "MaxCapacity": 12,
        })
    );
    let policy = read_json(&folder, "out/02-put-scaling-policy-scale-out-steps.json");
    assert_eq!(policy["PolicyType"], "StepScaling");
    let c = &policy["StepScalingPolicyConfiguration"];
    assert_eq!(c["AdjustmentType"], "ChangeInCapacity");
    assert_eq!(
        c["StepAdjustments"][0],
        json!({"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 40.0, "ScalingAdjustment": 1})
    );
    // The last step is open above: no upper bound.
    assert!(c["StepAdjustments"][2].get("MetricIntervalUpperBound").is_none());
    let alarm = read_json(&folder, "out/04-put-metric-alarm-cpu-high.json");
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
    assert_eq!(lines.len(), 5, "{calls}");
    assert!(lines[0].starts_with("application-autoscaling register-scalable-target file://01-"));
    assert!(lines[3].starts_with("cloudwatch put-metric-alarm {"), "{}", lines[3]);
    assert!(
        lines[3].contains("\"arn:aws:autoscaling:policy/scale-out-steps\""),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].contains("\"arn:aws:autoscaling:policy/scale-in-steps\""),
        "{}",
        lines[4]
    );
    // The files stay as written.
    assert!(String::from_utf8(folder.read("out/04-put-metric-alarm-cpu-high.json"))
        .unwrap()
        .contains("${POLICY_ARN:"));
}

#[test]
fn target_tracking_and_scheduled_actions() {
    let folder = TempFolder::new("aws-export", "tracking");
    assert_success(&export(&folder, "autoscaling-diurnal.ron", &[]));
    let p = read_json(&folder, "out/02-put-scaling-policy-ipi.json");
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
    let s = read_json(&folder, "out/03-put-scheduled-action-weekday-floor.json");
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
    // Nothing to export.
    let err = failed(&export(&folder, "quickstart.ron", &[]), "nothing");
    assert!(err.contains("no autoscaling or alarms to export"), "{err}");
}
