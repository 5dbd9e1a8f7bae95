//! SageMaker endpoint requests in and out: `CreateEndpointConfig`, `CreateEndpoint` and
//! `UpdateEndpoint` bodies written from the API reference's request syntax (valid, minimal,
//! maximal and invalid, under `fixtures/aws/`) imported into bundled base scenarios, what each
//! gives, the exact message of each invalid one, and the export of an import giving the same
//! request JSON up to the API's documented defaults.

use crate::common::{assert_same_runs, assert_success, bundled, failed, fleetsim, TempFolder};
use fleetsim::aws::{export_endpoint, import};
use fleetsim::scenario::deployment::{CapacitySize, TrafficRouting, UpdatePolicy};
use fleetsim::scenario::duration::Duration;
use fleetsim::scenario::file::{Endpoint, Routing};
use fleetsim::scenario::Scenario;
use serde_json::{json, Value};
use std::path::PathBuf;

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/fixtures/aws")
        .join(name)
}

fn fixture(name: &str) -> import::Input {
    import::Input {
        file: name.to_string(),
        text: std::fs::read_to_string(fixture_path(name)).unwrap_or_else(|e| panic!("{name}: {e}")),
    }
}

fn base(name: &str) -> (fleetsim::scenario::Source, Scenario) {
    let source = fleetsim::scenario::Source::read(&bundled(name)).unwrap();
    let mut s = fleetsim::scenario::parse(&source.text, &source.file).unwrap();
    s.expect.clear();
    (source, s)
}

/// Imports the fixtures into the bundled scenario `into`; the result must validate.
fn import_into(into: &str, files: &[&str]) -> import::Imported {
    let (source, scenario) = base(into);
    let inputs: Vec<import::Input> = files.iter().map(|f| fixture(f)).collect();
    let imported = import::import(&scenario, &inputs).unwrap_or_else(|e| panic!("{files:?}: {e}"));
    source
        .validate(&imported.scenario)
        .unwrap_or_else(|e| panic!("{files:?}: the imported scenario is invalid: {e}"));
    imported
}

fn variant(s: &Scenario) -> &fleetsim::scenario::file::Variant {
    match &s.endpoint {
        Endpoint::RealTime { variants, .. } | Endpoint::Async { variants, .. } => &variants[0],
        Endpoint::Serverless { .. } => panic!("instance-based endpoint expected"),
    }
}

/// The body of the exported call whose file name contains `what`.
fn exported(s: &Scenario, what: &str) -> Value {
    let e = export_endpoint::export(s).unwrap();
    let c = e.calls.iter().find(|c| c.file.contains(what)).unwrap_or_else(|| {
        panic!(
            "no {what} among {:?}",
            e.calls.iter().map(|c| &c.file).collect::<Vec<_>>()
        )
    });
    serde_json::from_str(&c.body).unwrap()
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name).text).unwrap()
}

#[test]
fn a_minimal_endpoint_config_gives_the_endpoint_with_the_api_defaults() {
    let imported = import_into("deploy-canary-success.ron", &["create-endpoint-config-minimal.json"]);
    assert!(imported.not_imported.is_empty(), "{:?}", imported.not_imported);
    let s = &imported.scenario;
    let Endpoint::RealTime {
        routing,
        endpoint_config_name,
        ..
    } = &s.endpoint
    else {
        panic!("real-time")
    };
    // No RoutingConfig: the API's default, random routing.
    assert_eq!(*routing, Routing::Random);
    assert_eq!(endpoint_config_name, "prod-v1");
    let v = variant(s);
    assert_eq!(v.instance_type, "ml.c5.4xlarge");
    assert_eq!(v.initial_instance_count, 4);
    assert_eq!(v.initial_weight, 1.0);
    assert_eq!(v.model.as_ref().unwrap().label, "churn-model-v1");
    // The base supplies what the request does not hold.
    assert_eq!(v.concurrency, 4);
    assert_eq!(
        imported.sources,
        [(
            "endpoint".to_string(),
            "create-endpoint-config-minimal.json (CreateEndpointConfig)".to_string()
        )]
    );
    // Exported again: the same request, the documented defaults written out.
    let mut expected = fixture_json("create-endpoint-config-minimal.json");
    expected["ProductionVariants"][0]["InitialVariantWeight"] = json!(1.0);
    expected["ProductionVariants"][0]["RoutingConfig"] = json!({"RoutingStrategy": "RANDOM"});
    assert_eq!(exported(s, "create-endpoint-config-prod-v1"), expected);
}

#[test]
fn a_canary_update_gives_the_deployment_of_its_configuration() {
    let files = [
        "create-endpoint-config-minimal.json",
        "create-endpoint.json",
        "create-endpoint-config-v2.json",
        "update-endpoint-canary.json",
    ];
    let imported = import_into("deploy-canary-success.ron", &files);
    assert_eq!(
        imported.not_imported,
        ["create-endpoint.json: Tags: tags do not change the simulation"]
    );
    let d = &imported.scenario.deployments[0];
    assert_eq!(d.endpoint_config_name, "v2");
    assert_eq!(d.model.label, "churn-model-v2");
    assert_eq!(d.initial_instance_count, Some(6));
    assert!(!d.retain_all_variant_properties);
    assert_eq!(
        d.policy,
        UpdatePolicy::BlueGreen {
            traffic_routing: TrafficRouting::Canary {
                canary_size: CapacitySize::CapacityPercent(30.0)
            },
            wait_interval: Some(Duration::secs(600)),
            termination_wait: Duration::secs(600),
            final_bake: None,
            maximum_execution_timeout: Some(Duration::secs(3600)),
        }
    );
    assert_eq!(d.auto_rollback_alarms, ["v2-p99", "variant-5xx"]);
    // The time and the new model's behaviour are the base's.
    assert_eq!(d.at, Duration::secs(15 * 60));
    let text = import::to_ron(&imported, "// Imported by fleetsim import aws\n").unwrap();
    assert!(
        text.contains(
            "// from create-endpoint-config-v2.json (CreateEndpointConfig), update-endpoint-canary.json (UpdateEndpoint)\n        Deployment("
        ),
        "{text}"
    );
    assert!(
        text.contains("    // from create-endpoint-config-minimal.json (CreateEndpointConfig), create-endpoint.json (CreateEndpoint)\n    endpoint: RealTime("),
        "{text}"
    );
    // Exported again: the same requests, up to the defaults the API documents.
    let mut update = fixture_json("update-endpoint-canary.json");
    update["EndpointName"] = json!("deploy-canary-success");
    update["RetainAllVariantProperties"] = json!(false);
    assert_eq!(exported(&imported.scenario, "update-endpoint-v2"), update);
    let mut config = fixture_json("create-endpoint-config-v2.json");
    config["ProductionVariants"][0]["InitialVariantWeight"] = json!(1.0);
    config["ProductionVariants"][0]["RoutingConfig"] = json!({"RoutingStrategy": "RANDOM"});
    assert_eq!(exported(&imported.scenario, "create-endpoint-config-v2"), config);
}

#[test]
fn linear_rolling_minimal_and_maximal_updates() {
    let with = |update: &str| {
        import_into(
            "deploy-canary-success.ron",
            &[
                "create-endpoint-config-minimal.json",
                "create-endpoint-config-v2.json",
                update,
            ],
        )
    };
    let linear = with("update-endpoint-linear.json");
    assert!(linear.not_imported.is_empty(), "{:?}", linear.not_imported);
    let d = &linear.scenario.deployments[0];
    assert_eq!(
        d.policy,
        UpdatePolicy::BlueGreen {
            traffic_routing: TrafficRouting::Linear {
                linear_step_size: CapacitySize::InstanceCount(2)
            },
            wait_interval: Some(Duration::secs(300)),
            termination_wait: Duration::secs(300),
            final_bake: None,
            maximum_execution_timeout: Some(Duration::secs(3600)),
        }
    );
    // No AutoRollbackConfiguration: no rollback alarms, whatever the base had.
    assert!(d.auto_rollback_alarms.is_empty());

    let rolling = with("update-endpoint-rolling.json");
    let d = &rolling.scenario.deployments[0];
    assert!(d.retain_all_variant_properties);
    assert_eq!(
        d.policy,
        UpdatePolicy::Rolling {
            maximum_batch_size: CapacitySize::CapacityPercent(25.0),
            wait_interval: Duration::secs(300),
            maximum_execution_timeout: Some(Duration::secs(7200)),
            rollback_maximum_batch_size: Some(CapacitySize::InstanceCount(2)),
        }
    );
    assert_eq!(d.auto_rollback_alarms, ["variant-5xx"]);
    let mut update = fixture_json("update-endpoint-rolling.json");
    update["EndpointName"] = json!("deploy-canary-success");
    assert_eq!(exported(&rolling.scenario, "update-endpoint-v2"), update);

    // No DeploymentConfig: blue/green all at once, no bake, no termination wait.
    let minimal = with("update-endpoint-minimal.json");
    assert_eq!(
        minimal.scenario.deployments[0].policy,
        UpdatePolicy::BlueGreen {
            traffic_routing: TrafficRouting::AllAtOnce,
            wait_interval: None,
            termination_wait: Duration::default(),
            final_bake: None,
            maximum_execution_timeout: None,
        }
    );

    let maximal = with("update-endpoint-maximal.json");
    assert_eq!(
        maximal.not_imported,
        ["update-endpoint-maximal.json: ExcludeRetainedVariantProperties: the simulator retains the instance count only"]
    );
    let d = &maximal.scenario.deployments[0];
    assert!(d.retain_all_variant_properties);
    assert_eq!(
        d.policy,
        UpdatePolicy::BlueGreen {
            traffic_routing: TrafficRouting::AllAtOnce,
            wait_interval: Some(Duration::secs(900)),
            termination_wait: Duration::secs(120),
            final_bake: None,
            maximum_execution_timeout: Some(Duration::secs(28_800)),
        }
    );
}

#[test]
fn a_maximal_async_config_lists_every_setting_it_cannot_represent() {
    let imported = import_into("async-scale-from-zero.ron", &["create-endpoint-config-maximal.json"]);
    let Endpoint::Async {
        routing,
        max_concurrent_invocations_per_instance,
        endpoint_config_name,
        ..
    } = &imported.scenario.endpoint
    else {
        panic!("async")
    };
    assert_eq!(*routing, Routing::Random);
    assert_eq!(*max_concurrent_invocations_per_instance, Some(4));
    assert_eq!(endpoint_config_name, "async-v1");
    let v = variant(&imported.scenario);
    assert_eq!(
        (v.instance_type.as_str(), v.initial_instance_count),
        ("ml.g4dn.xlarge", 1)
    );
    assert_eq!(v.model.as_ref().unwrap().label, "sd-model-v1");
    let f = "create-endpoint-config-maximal.json";
    let expected: Vec<String> = [
        "DataCaptureConfig: capturing requests and responses does not change how the endpoint serves them",
        "KmsKeyId: security and networking settings are not simulated",
        "ExecutionRoleArn: security and networking settings are not simulated",
        "VpcConfig: security and networking settings are not simulated",
        "EnableNetworkIsolation: security and networking settings are not simulated",
        "Tags: tags do not change the simulation",
        "AsyncInferenceConfig.OutputConfig.S3FailurePath: where results and notifications go is not simulated",
        "AsyncInferenceConfig.OutputConfig.NotificationConfig: where results and notifications go is not simulated",
        "AsyncInferenceConfig.OutputConfig.KmsKeyId: security and networking settings are not simulated",
        "ProductionVariants[0].AcceleratorType: Elastic Inference accelerators are not simulated",
        "ProductionVariants[0].CoreDumpConfig: storage is not simulated",
        "ProductionVariants[0].VolumeSizeInGB: storage is not simulated",
        "ProductionVariants[0].ModelDataDownloadTimeoutInSeconds: a launch that never finishes is not simulated; boot times are the base scenario's launch",
        "ProductionVariants[0].ContainerStartupHealthCheckTimeoutInSeconds: a launch that never finishes is not simulated; boot times are the base scenario's launch",
        "ProductionVariants[0].EnableSSMAccess: security and networking settings are not simulated",
        "ProductionVariants[0].InferenceAmiVersion: the instance image is not simulated",
        "ProductionVariants[0].CapacityReservationConfig: capacity reservations are not simulated",
    ]
    .iter()
    .map(|l| format!("{f}: {l}"))
    .collect();
    assert_eq!(imported.not_imported, expected);
    // The required output path is noted where the endpoint is written, not kept.
    assert!(
        imported.sources[0].1.contains(
            "S3OutputPath \"s3://amzn-s3-demo-bucket/async-output/\" is where AWS writes results, not simulated"
        ),
        "{:?}",
        imported.sources
    );
}

#[test]
fn serverless_and_inference_component_configs() {
    let imported = import_into(
        "serverless-provisioned-concurrency.ron",
        &["create-endpoint-config-serverless.json"],
    );
    assert!(imported.not_imported.is_empty(), "{:?}", imported.not_imported);
    let Endpoint::Serverless {
        memory_size_in_mb,
        max_concurrency,
        provisioned_concurrency,
        model,
        ..
    } = &imported.scenario.endpoint
    else {
        panic!("serverless")
    };
    assert_eq!(
        (*memory_size_in_mb, *max_concurrency, *provisioned_concurrency),
        (4096, 50, Some(8))
    );
    assert_eq!(model.label, "small-model");
    assert_eq!(
        exported(&imported.scenario, "create-endpoint-config"),
        fixture_json("create-endpoint-config-serverless.json")
    );

    let imported = import_into(
        "inference-components-scale-to-zero.ron",
        &["create-endpoint-config-components.json"],
    );
    assert_eq!(
        imported.not_imported,
        ["create-endpoint-config-components.json: ExecutionRoleArn: security and networking settings are not simulated"]
    );
    let v = variant(&imported.scenario);
    let m = v.managed_instance_scaling.as_ref().unwrap();
    assert_eq!((m.min_instance_count, m.max_instance_count), (0, 3));
    // The components are the base's (CreateInferenceComponent is not read).
    assert_eq!(v.inference_components[0].name, "chat");
}

#[test]
fn invalid_bodies_are_refused_with_the_file_and_field() {
    let canary = "deploy-canary-success.ron";
    let serverless = "serverless-provisioned-concurrency.ron";
    let with_v2 = |update: &'static str| -> Vec<&'static str> {
        vec![
            "create-endpoint-config-minimal.json",
            "create-endpoint-config-v2.json",
            update,
        ]
    };
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        (
            canary,
            vec!["invalid-create-endpoint-config-unknown-field.json"],
            "invalid-create-endpoint-config-unknown-field.json: CreateEndpointConfig: at `ProductionVariants[0].InstanceCount`: unknown field `InstanceCount`",
        ),
        (
            serverless,
            vec!["invalid-create-endpoint-config-memory.json"],
            "invalid-create-endpoint-config-memory.json: ValidationException: 1 validation error detected: Value '8192' at 'productionVariants.1.member.serverlessConfig.memorySizeInMB' failed to satisfy constraint: Member must have value less than or equal to 6144",
        ),
        (
            serverless,
            vec!["invalid-create-endpoint-config-provisioned.json"],
            "invalid-create-endpoint-config-provisioned.json: ValidationException: ProvisionedConcurrency 10 cannot be greater than MaxConcurrency 5",
        ),
        (
            canary,
            vec!["invalid-create-endpoint-config-both.json"],
            "invalid-create-endpoint-config-both.json: ValidationException: Variant AllTraffic: InstanceType and ServerlessConfig cannot both be specified",
        ),
        (
            canary,
            vec!["invalid-create-endpoint-config-routing.json"],
            "invalid-create-endpoint-config-routing.json: ValidationException: 1 validation error detected: Value 'ROUND_ROBIN' at 'productionVariants.1.member.routingConfig.routingStrategy' failed to satisfy constraint: Member must satisfy enum value set: [LEAST_OUTSTANDING_REQUESTS, RANDOM]",
        ),
        (
            canary,
            vec!["invalid-create-endpoint-config-name.json"],
            "invalid-create-endpoint-config-name.json: ValidationException: 1 validation error detected: Value 'prod_v1' at 'endpointConfigName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
        ),
        (
            canary,
            with_v2("invalid-update-endpoint-wait.json"),
            "invalid-update-endpoint-wait.json: ValidationException: 1 validation error detected: Value '3601' at 'deploymentConfig.blueGreenUpdatePolicy.trafficRoutingConfiguration.waitIntervalInSeconds' failed to satisfy constraint: Member must have value less than or equal to 3600",
        ),
        (
            canary,
            with_v2("invalid-update-endpoint-timeout.json"),
            "invalid-update-endpoint-timeout.json: ValidationException: 1 validation error detected: Value '599' at 'deploymentConfig.rollingUpdatePolicy.maximumExecutionTimeoutInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 600",
        ),
        (
            canary,
            with_v2("invalid-update-endpoint-both-policies.json"),
            "invalid-update-endpoint-both-policies.json: ValidationException: BlueGreenUpdatePolicy and RollingUpdatePolicy cannot both be specified",
        ),
        (
            canary,
            with_v2("invalid-update-endpoint-canary-size.json"),
            "invalid-update-endpoint-canary-size.json: ValidationException: TrafficRoutingConfiguration of Type CANARY needs CanarySize and no LinearStepSize (CanarySize for CANARY, LinearStepSize for LINEAR, neither for ALL_AT_ONCE)",
        ),
        (
            canary,
            with_v2("invalid-update-endpoint-size-type.json"),
            "invalid-update-endpoint-size-type.json: ValidationException: 1 validation error detected: Value 'PERCENT' at 'deploymentConfig.blueGreenUpdatePolicy.trafficRoutingConfiguration.linearStepSize.type' failed to satisfy constraint: Member must satisfy enum value set: [INSTANCE_COUNT, CAPACITY_PERCENT]",
        ),
        (
            canary,
            with_v2("invalid-update-endpoint-unknown-field.json"),
            "invalid-update-endpoint-unknown-field.json: UpdateEndpoint: at `DeploymentConfig.BlueGreenUpdatePolicy.TerminationWaitInSecond`: unknown field `TerminationWaitInSecond`",
        ),
        (
            canary,
            with_v2("invalid-update-endpoint-alarms.json"),
            "invalid-update-endpoint-alarms.json: ValidationException: 1 validation error detected: Value '[]' at 'deploymentConfig.autoRollbackConfiguration.alarms' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ),
        // Requests that are valid for AWS but do not fit the base scenario.
        (
            "deploy-rolling-rollback.ron",
            vec!["create-endpoint-config-serverless.json"],
            "create-endpoint-config-serverless.json: a serverless configuration needs a Serverless base endpoint (its cold starts and prices are the simulator's)",
        ),
        (
            "step-spike.ron",
            vec!["create-endpoint-config-minimal.json"],
            "create-endpoint-config-minimal.json: ProductionVariants[0].VariantName `AllTraffic` is not a variant of the base endpoint, which supplies its model and launch times (it has: blue)",
        ),
        (
            "shadow-test.ron",
            vec!["create-endpoint-config-minimal.json", "create-endpoint-config-v2.json", "update-endpoint-canary.json"],
            "update-endpoint-canary.json: UpdateEndpoint deploys `v2`, but the base scenario has no deployment of it to take its time and its new model's behaviour from (it has: none)",
        ),
        (
            canary,
            vec!["create-endpoint-config-minimal.json", "update-endpoint-canary.json"],
            "update-endpoint-canary.json: UpdateEndpoint: no CreateEndpointConfig among the inputs creates `v2`",
        ),
        (
            canary,
            vec!["create-endpoint-config-minimal.json", "create-endpoint-config-v2.json"],
            "create-endpoint-config-minimal.json: which configuration does the endpoint start with? Add the CreateEndpoint that names one of prod-v1, v2",
        ),
    ];
    let mut wrong = Vec::new();
    for (into, files, message) in &cases {
        let (_, scenario) = base(into);
        let inputs: Vec<import::Input> = files.iter().map(|f| fixture(f)).collect();
        match import::import(&scenario, &inputs) {
            Ok(_) => wrong.push(format!("{files:?}: imported")),
            Err(e) if e.starts_with(message) => {}
            Err(e) => wrong.push(format!("{files:?}:\n  expected {message}\n  got      {e}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn strict_import_refuses_what_it_would_list() {
    let folder = TempFolder::new("aws-endpoint", "strict");
    // The base and its trace copied, so that the import is written beside the trace.
    std::fs::create_dir_all(folder.join("data")).unwrap();
    std::fs::copy(bundled("data/async-jobs.csv"), folder.join("data/async-jobs.csv")).unwrap();
    std::fs::copy(bundled("async-scale-from-zero.ron"), folder.join("base.ron")).unwrap();
    let into = folder.join("base.ron").display().to_string();
    let file = fixture_path("create-endpoint-config-maximal.json")
        .display()
        .to_string();
    let out = folder.join("imported.ron");
    let outs = out.display().to_string();
    let args = |strict: bool| {
        let mut a = vec![
            "import",
            "aws",
            file.as_str(),
            "--into",
            into.as_str(),
            "--out",
            outs.as_str(),
        ];
        if strict {
            a.push("--strict");
        }
        a
    };
    let err = failed(&fleetsim(&args(true)), "strict");
    assert!(
        err.contains("--strict: 17 setting(s) cannot be represented in a scenario"),
        "{err}"
    );
    assert!(
        err.contains("create-endpoint-config-maximal.json: DataCaptureConfig:"),
        "{err}"
    );
    assert!(!out.exists());
    let o = fleetsim(&args(false));
    assert_success(&o);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(stderr.matches("not imported: ").count(), 17, "{stderr}");
    let text = String::from_utf8(folder.read("imported.ron")).unwrap();
    assert!(text.contains("is where AWS writes results, not simulated"), "{text}");
}

/// The CLI's export and import of every bundled scenario with a deployment or an endpoint of
/// another kind (asynchronous, serverless, inference components) run to the same outputs, byte
/// for byte, as the original.
#[test]
fn endpoint_and_deployment_round_trips_run_to_the_same_outputs() {
    let names: Vec<String> = crate::common::all_bundled()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .filter(|n| {
            ["deploy-", "async-", "serverless-", "inference-components-"]
                .iter()
                .any(|p| n.starts_with(p))
        })
        .collect();
    assert!(names.len() >= 9, "{names:?}");
    for name in &names {
        let folder = TempFolder::new("aws-endpoint", name);
        // The import is written beside a copy of the data files the base reads.
        std::fs::create_dir_all(folder.join("data")).unwrap();
        for f in crate::common::file_names(&bundled("data")) {
            std::fs::copy(bundled(&format!("data/{f}")), folder.join(&format!("data/{f}"))).unwrap();
        }
        let base = bundled(name).display().to_string();
        let out = folder.join("out").display().to_string();
        assert_success(&fleetsim(&[
            "export",
            "aws",
            base.as_str(),
            "--out",
            out.as_str(),
            "--quiet",
        ]));
        let mut files: Vec<String> = crate::common::file_names(&folder.join("out"))
            .into_iter()
            .filter(|n| n.ends_with(".json"))
            .map(|n| folder.join(&format!("out/{n}")).display().to_string())
            .collect();
        files.sort();
        let imported = folder.join("imported.ron").display().to_string();
        let mut args = vec!["import".to_string(), "aws".into()];
        args.extend(files.iter().cloned());
        args.extend([
            "--into".into(),
            base.clone(),
            "--out".into(),
            imported.clone(),
            "--quiet".into(),
            "--strict".into(),
        ]);
        assert_success(&fleetsim(&args));
        assert_same_runs(&folder, &base, &imported, name);
    }
}

#[test]
fn deployments_and_asynchronous_endpoints_are_exported_as_the_api_takes_them() {
    let (_, s) = base("deploy-rolling-rollback.ron");
    assert_eq!(
        exported(&s, "update-endpoint-v2"),
        json!({
            "EndpointName": "deploy-rolling-rollback",
            "EndpointConfigName": "v2",
            "DeploymentConfig": {
                "RollingUpdatePolicy": {
                    "MaximumBatchSize": {"Type": "CAPACITY_PERCENT", "Value": 25},
                    "WaitIntervalInSeconds": 300,
                    "MaximumExecutionTimeoutInSeconds": 7200,
                    "RollbackMaximumBatchSize": {"Type": "INSTANCE_COUNT", "Value": 2},
                },
                "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "variant-error-rate"}]},
            },
            "RetainAllVariantProperties": false,
        })
    );
    let (_, s) = base("async-scale-from-zero.ron");
    let e = export_endpoint::export(&s).unwrap();
    assert_eq!(
        exported(&s, "create-endpoint-config")["AsyncInferenceConfig"],
        json!({
            "ClientConfig": {"MaxConcurrentInvocationsPerInstance": 2},
            "OutputConfig": {"S3OutputPath": "${S3_OUTPUT_PATH}"},
        })
    );
    // Names the API's pattern refuses are listed.
    let (_, mut named) = base("quickstart.ron");
    named.name = "my_endpoint".into();
    let e2 = export_endpoint::export(&named).unwrap();
    assert_eq!(
        e2.not_exported,
        ["name (EndpointName): `my_endpoint` does not match the API's name pattern ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}; rename it before applying"]
    );
    // A variant that starts at zero instances is written as it is, and said to be refused by AWS.
    assert!(
        e.not_exported
            .iter()
            .any(|n| n.starts_with("endpoint.variants[0].initial_instance_count: 0 is below the API's minimum of 1")),
        "{:?}",
        e.not_exported
    );
}

/// Inputs from an export of `s`, the body of the file containing `what` changed by `edit`.
fn exported_inputs(s: &Scenario, what: &str, edit: impl Fn(&mut Value)) -> Vec<import::Input> {
    let e = export_endpoint::export(s).unwrap();
    e.calls
        .iter()
        .map(|c| {
            let mut body: Value = serde_json::from_str(&c.body).unwrap();
            if c.file.contains(what) {
                edit(&mut body);
            }
            import::Input {
                file: c.file.clone(),
                text: body.to_string(),
            }
        })
        .collect()
}

#[test]
fn a_deployment_changes_one_variant_and_keeps_the_routing() {
    // A two-variant endpoint deploying a new model to `challenger`.
    let (_, mut s) = base("trace-timestamps.ron");
    let (_, donor) = base("deploy-canary-success.ron");
    let mut d = donor.deployments[0].clone();
    d.at = Duration::secs(120);
    d.variant = Some("challenger".into());
    d.endpoint_config_name = "v3".into();
    d.auto_rollback_alarms.clear();
    s.deployments = vec![d];
    let config = "create-endpoint-config-v3";
    let import = |edit: &dyn Fn(&mut Value)| import::import(&s, &exported_inputs(&s, config, edit));

    let back = import(&|_| {}).unwrap();
    assert_eq!(back.scenario.deployments, s.deployments);

    let err = import(&|b| b["ProductionVariants"][0]["InitialInstanceCount"] = json!(5))
        .err()
        .unwrap();
    assert_eq!(
        err,
        "03-create-endpoint-config-v3.json: ProductionVariants[0]: variant `control` changes too, but a deployment in the simulator changes one variant (`challenger`)"
    );
    let err = import(&|b| b["ProductionVariants"][1]["InstanceType"] = json!("ml.m5.large"))
        .err()
        .unwrap();
    assert_eq!(
        err,
        "03-create-endpoint-config-v3.json: ProductionVariants[1].InstanceType: ml.m5.xlarge -> ml.m5.large: a deployment that changes the instance type is not simulated (the new fleet keeps the variant's type)"
    );
    let back = import(&|b| {
        b["ProductionVariants"][1]["RoutingConfig"] = json!({"RoutingStrategy": "LEAST_OUTSTANDING_REQUESTS"})
    })
    .unwrap();
    assert_eq!(
        back.not_imported,
        ["03-create-endpoint-config-v3.json: ProductionVariants[1].RoutingConfig: RANDOM -> LEAST_OUTSTANDING_REQUESTS: the simulator routes with the endpoint's first configuration's strategy throughout"]
    );
}

#[test]
fn the_base_autoscaling_and_alarms_stay_when_the_requests_hold_none() {
    let (_, base_scenario) = base("deploy-during-ramp.ron");
    let imported = import_into("deploy-during-ramp.ron", &["create-endpoint-config-minimal.json"]);
    assert_eq!(imported.scenario.autoscaling, base_scenario.autoscaling);
    assert_eq!(imported.scenario.alarms, base_scenario.alarms);
    // Written without a source comment: they are the base's.
    let text = import::to_ron(&imported, "// Imported by fleetsim import aws\n").unwrap();
    assert_eq!(text.matches("// from ").count(), 1, "{text}");
    assert!(text.contains("ScalableTarget("), "{text}");
}
