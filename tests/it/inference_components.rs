//! Inference components (docs/semantics/components.md, docs/semantics/autoscaling.md §5.1 and worked examples E5,
//! F1, F2, I9): copies placed on a managed pool of instances, scale to zero and back, packing,
//! managed instance scaling at its maximum, validation, conservation and determinism.
//!
//! Arrivals are timestamp traces and every duration is constant, so activity times are exact.
//! Instances take 120 s to provision; a copy takes 30 s to load (the variant's `launch.load`).

use crate::common::{
    assert_success, bundled, config, config_at, fleetsim, invalid, load_bundled, load_with, loaded, run_checked,
    TempFolder,
};
use fleetsim::model::{Activity, ActivityKind};
use fleetsim::report;
use fleetsim::sim::RunResult;
use std::ffi::OsStr;

/// An endpoint whose variant `pool` (ml.m5.large: 2 vCPUs, 8192 MB) hosts `components`, with
/// `pool_extra` inside the variant and `extra` inside `Scenario(...)`.
fn ic_scenario(duration: &str, pool_extra: &str, components: &str, extra: &str) -> String {
    format!(
        r#"Scenario(
    name: "ic",
    duration: "{duration}",
    instance_types: [InstanceType(name: "ml.m5.large", price_per_hour: 0.115)],
    endpoint: RealTime(
        variants: [Variant(
            name: "pool",
            instance_type: "ml.m5.large",
            launch: Launch(provision: Constant("120s"), load: Constant("30s")),
            {pool_extra}
            inference_components: [{components}],
        )],
    ),
    workload: Open(rate: Constant(0.0)),
    {extra}
)"#
    )
}

/// One component needing `cores` CPU cores and 2048 MB, serving in 1 s.
fn component(name: &str, cores: f64, copies: u32) -> String {
    format!(
        r#"InferenceComponent(
            name: "{name}",
            model: Model(service_time: Constant("1s")),
            compute_resource_requirements: ComputeResourceRequirements(
                number_of_cpu_cores_required: {cores:?}, min_memory_required_in_mb: 2048),
            copy_count: {copies},
        ),"#
    )
}

fn pool(initial: u32, min: u32, max: u32) -> String {
    format!(
        "initial_instance_count: {initial},
         managed_instance_scaling: ManagedInstanceScaling(min_instance_count: {min}, max_instance_count: {max}),"
    )
}

/// `(time in s, variant column, reason)` of the rows of `kind`.
fn rows(acts: &[Activity], kind: ActivityKind) -> Vec<(u64, String, String)> {
    acts.iter()
        .filter(|a| a.kind == kind)
        .map(|a| (a.time.0 / 1_000_000, a.variant.clone(), a.reason.clone()))
        .collect()
}

fn row(t: u64, who: &str, reason: &str) -> (u64, String, String) {
    (t, who.to_string(), reason.to_string())
}

const SCALE_IN_TRACKING: &str = r#"TargetTracking(
        name: "ipc", metric: SageMakerInferenceComponentInvocationsPerCopy, target_value: 1.0,
        scale_in_cooldown: "300s", scale_out_cooldown: "300s",
    )"#;

/// The scale-from-zero alarm of docs/semantics/components.md §2 with the given comparison operator.
fn no_capacity_alarm(op: &str) -> String {
    format!(
        r#"alarms: [Alarm(
        name: "no-capacity", metric: NoCapacityInvocationFailures, inference_component: Some("llm"),
        statistic: "Sum", period: "60s", evaluation_periods: 1, datapoints_to_alarm: Some(1),
        comparison_operator: {op}, threshold: 1.0,
    )],"#
    )
}

const STEP_FROM_ZERO: &str = r#"StepScaling(
        name: "from-zero", alarm: "no-capacity", adjustment_type: ChangeInCapacity,
        metric_aggregation_type: Maximum, cooldown: "60s",
        step_adjustments: [StepAdjustment(lower: Some(0.0), adjustment: 1)],
    )"#;

#[test]
fn f1_idle_copies_then_instances_fall_to_zero() {
    // One request a minute (at 30 s past each minute) for 20 minutes, then none. Minute 20-21
    // is the first with InvocationsPerCopy 0; the low alarm needs 15 such datapoints (the
    // last ending at 35:00); target tracking then sets ceil(1 x 0 / 1) = 0 copies, clamped
    // into [0, 4]. The copy has nothing in flight and terminates at once, and with
    // MinInstanceCount 0 its instance goes too.
    let text = ic_scenario(
        "40m",
        &pool(1, 0, 2),
        &component("llm", 1.0, 1),
        &format!(
            "autoscaling: [ScalableTarget(inference_component: Some(\"llm\"), min_capacity: 0, max_capacity: 4, policies: [{SCALE_IN_TRACKING}])],"
        ),
    );
    let at: Vec<f64> = (0..20).map(|k| 30.0 + 60.0 * f64::from(k)).collect();
    let r = run_checked(config_at(&text, &at));
    assert_eq!(
        rows(&r.activities, ActivityKind::CapacityChange),
        vec![row(
            2100,
            "llm",
            "ipc: 15 of 15 datapoints < 0.9 (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0); ceil(1 x 0 / 1) = 0; desired 1 -> 0"
        )]
    );
    assert_eq!(
        rows(&r.activities, ActivityKind::InstanceTerminated),
        vec![
            row(2100, "llm", "copy-0 terminated"),
            row(2100, "pool", "i-0 terminated")
        ]
    );
    assert_eq!(r.totals.completed, 20);
    let c = r.components.as_ref().expect("an endpoint with components");
    // Billed from 0 to 35:00, nothing after.
    assert!((c.instance_hours - 2100.0 / 3600.0).abs() < 1e-9);
    assert_eq!(c.points.last().unwrap().instances.live(), 0);
    let last = r.points.last().unwrap();
    assert_eq!(
        (last.variants[0].instances.in_service, last.variants[0].desired),
        (0, 0)
    );
}

/// Requests at 30 s (alone in its minute), 130 s and 150 s (two in minute 2), 200 s and 320 s
/// (while the copy is being provisioned) and 340 s (after).
const F2_ARRIVALS: [f64; 6] = [30.0, 130.0, 150.0, 200.0, 320.0, 340.0];

fn f2(op: &str) -> RunResult {
    let text = ic_scenario(
        "10m",
        &pool(0, 0, 2),
        &component("llm", 1.0, 0),
        &format!(
            "{} autoscaling: [ScalableTarget(inference_component: Some(\"llm\"), min_capacity: 0, max_capacity: 4, policies: [{STEP_FROM_ZERO}])],",
            no_capacity_alarm(op)
        ),
    );
    run_checked(config_at(&text, &F2_ARRIVALS))
}

#[test]
fn f2_two_failures_in_a_minute_bring_a_copy_back() {
    let r = f2("GreaterThanThreshold");
    // Minute 0 holds one failure: Sum 1 is not > 1, no alarm. Minute 2 holds two: ALARM at
    // 180 s, step +1 copy; the instance is in service at 300 s, the copy at 330 s.
    let alarms = rows(&r.activities, ActivityKind::AlarmStateChange);
    assert_eq!(alarms[0].0, 60);
    assert!(
        alarms[0]
            .2
            .contains("INSUFFICIENT_DATA -> OK: 0 of 1 datapoints > 1 (1)"),
        "{alarms:?}"
    );
    assert_eq!(alarms[1].0, 180);
    assert!(
        alarms[1].2.contains("OK -> ALARM: 1 of 1 datapoints > 1 (2)"),
        "{alarms:?}"
    );
    assert_eq!(
        rows(&r.activities, ActivityKind::CapacityChange),
        vec![row(
            180,
            "llm",
            "from-zero: alarm no-capacity in ALARM (1 of 1 datapoints > 1 (2)); breach 1 in [0, +inf): +1; 0 -> 1; desired 0 -> 1"
        )]
    );
    assert_eq!(
        rows(&r.activities, ActivityKind::InstanceLaunch),
        vec![
            row(180, "llm", "copy-0 requested"),
            row(180, "pool", "i-0 requested (ml.m5.large)")
        ]
    );
    assert_eq!(
        rows(&r.activities, ActivityKind::InstanceInService),
        vec![
            row(300, "pool", "i-0 in service after 2m"),
            row(330, "llm", "copy-0 in service after 150s")
        ]
    );
    // Every request before 330 s fails at once (NoCapacityInvocationFailures), the last is served.
    assert_eq!((r.totals.rejected_no_capacity, r.totals.completed), (5, 1));
    let failures: Vec<u64> = r
        .points
        .iter()
        .map(|p| p.variants[0].requests.rejected_no_capacity)
        .collect();
    assert_eq!(failures, vec![1, 0, 2, 1, 0, 1, 0, 0, 0, 0]);
    assert_eq!(r.points[5].variants[0].requests.invocations, 1);
}

#[test]
fn f2_with_greater_or_equal_one_failure_suffices() {
    // The operator is the alarm's own field (docs/semantics/components.md §3): `>=` fires on the first failure.
    let r = f2("GreaterThanOrEqualToThreshold");
    let changes = rows(&r.activities, ActivityKind::CapacityChange);
    assert_eq!(changes[0].0, 60);
    assert!(changes[0].2.ends_with("desired 0 -> 1"), "{changes:?}");
}

#[test]
fn two_components_share_instances_and_room_moves_between_them() {
    // `a` and `b` each need 1 core of an instance's 2. At the warm start a's two copies spread
    // over both instances (most free room first) and b's two fill the rest. At 00:05 a
    // scheduled action raises b's minimum to 4: no room, and MaxInstanceCount 2 is reached, so
    // two copies wait and one row says so. `a` has no traffic: its low alarm (shortened to 8
    // datapoints) takes it to zero copies at 00:08, and the room it frees goes to b's copies.
    let a_target = r#"ScalableTarget(inference_component: Some("a"), min_capacity: 0, max_capacity: 2,
        policies: [TargetTracking(name: "a-ipc", metric: SageMakerInferenceComponentInvocationsPerCopy,
            target_value: 1.0, scale_in_cooldown: "300s", scale_out_cooldown: "300s",
            alarms: ManagedAlarms(low_datapoints: 8))])"#;
    let b_target = r#"ScalableTarget(inference_component: Some("b"), min_capacity: 2, max_capacity: 4,
        scheduled: [ScheduledAction(name: "more-b", schedule: "at(2024-01-01T00:05:00)", min_capacity: Some(4))])"#;
    let text = ic_scenario(
        "15m",
        &pool(2, 0, 2),
        &format!("{}{}", component("a", 1.0, 2), component("b", 1.0, 2)),
        &format!("autoscaling: [{a_target}, {b_target}],"),
    );
    let r = run_checked(config_at(&text, &[]));
    let warm = rows(&r.activities, ActivityKind::InstanceInService);
    assert_eq!(
        warm[..6],
        [
            row(0, "pool", "i-0 in service (warm start)"),
            row(0, "pool", "i-1 in service (warm start)"),
            row(0, "a", "copy-0 in service on i-0 (warm start)"),
            row(0, "a", "copy-1 in service on i-1 (warm start)"),
            row(0, "b", "copy-2 in service on i-0 (warm start)"),
            row(0, "b", "copy-3 in service on i-1 (warm start)"),
        ]
    );
    assert_eq!(
        rows(&r.activities, ActivityKind::CopiesPending),
        vec![
            row(
                300,
                "b",
                "2 copies pending: no room on 2 instances and max_instance_count 2 reached"
            ),
            row(480, "b", "every copy placed"),
        ]
    );
    // a's low alarm: 8 zero datapoints end at 08:00; both copies go and b's two load there.
    assert_eq!(
        rows(&r.activities, ActivityKind::CapacityChange),
        vec![
            row(
                300,
                "b",
                "scheduled action more-b: MinCapacity 2 -> 4, MaxCapacity 4 -> 4; desired 2 -> 4"
            ),
            row(
                480,
                "a",
                "a-ipc: 8 of 8 datapoints < 0.9 (0, 0, 0, 0, 0, 0, 0, 0); ceil(2 x 0 / 1) = 0; desired 2 -> 0"
            ),
        ]
    );
    // Scale-in removes the newest copy first (copy-1, on i-1), so b's first waiting copy
    // goes there.
    assert_eq!(
        rows(&r.activities, ActivityKind::InstanceLoading),
        vec![
            row(480, "b", "copy-4 placed on i-1; loading model"),
            row(480, "b", "copy-5 placed on i-0; loading model"),
        ]
    );
    let last = r.points.last().unwrap();
    assert_eq!(
        (
            last.variants[0].instances.in_service,
            last.variants[1].instances.in_service
        ),
        (0, 4)
    );
    // Two instances throughout: nothing launched, nothing terminated.
    let c = r.components.as_ref().unwrap();
    assert_eq!(c.peak_instances, 2);
    assert!((c.instance_hours - 2.0 * 15.0 / 60.0).abs() < 1e-9);
}

#[test]
fn p4d_accelerators_bound_the_copies_per_instance() {
    // docs/semantics/instances.md §2: the ml.p4d.24xlarge example (96 vCPUs, 1152 GiB, 8 GPUs) with the SDK
    // requirements 2 CPUs, 1 accelerator, 8192 MB: 8 copies per instance, so 9 need 2.
    let text = r#"Scenario(
    name: "p4d",
    duration: "2m",
    endpoint: RealTime(variants: [Variant(
        name: "pool", instance_type: "ml.p4d.24xlarge", initial_instance_count: 1,
        managed_instance_scaling: ManagedInstanceScaling(min_instance_count: 1, max_instance_count: 2),
        inference_components: [InferenceComponent(
            name: "llm", model: Model(service_time: Constant("1s")), copy_count: 9,
            compute_resource_requirements: ComputeResourceRequirements(number_of_cpu_cores_required: 2.0,
                number_of_accelerator_devices_required: 1.0, min_memory_required_in_mb: 8192),
        )],
    )]),
    workload: Open(rate: Constant(0.0)),
)"#;
    let r = run_checked(config(text));
    let c = r.components.as_ref().unwrap();
    assert_eq!((c.peak_instances, c.points[0].instances.in_service), (2, 2));
    assert_eq!(r.points[0].variants[0].instances.in_service, 9);
}

#[test]
fn i9_availability_guidance_is_warned_about_on_both_sides() {
    let guidance = "99.95 % availability guidance";
    let warned = |initial: u32, min: u32, copies: u32| {
        let text = ic_scenario("1m", &pool(initial, min, 4), &component("llm", 0.5, copies), "");
        loaded(&text).warnings.iter().any(|w| w.contains(guidance))
    };
    // More than two copies and at least 2 instances: met.
    assert!(!warned(2, 2, 3));
    // Two copies, or one instance minimum: not met.
    assert!(warned(2, 2, 2));
    assert!(warned(2, 1, 3));
    // A scalable target's floor counts, not the starting copies.
    let text = ic_scenario(
        "1m",
        &pool(2, 2, 4),
        &component("llm", 0.5, 3),
        "autoscaling: [ScalableTarget(inference_component: Some(\"llm\"), min_capacity: 1, max_capacity: 4)],",
    );
    let warnings = loaded(&text).warnings;
    let w = warnings.iter().find(|w| w.contains(guidance)).expect("warned");
    assert!(w.contains("keeps at least 1 copies on at least 2 instances"), "{w}");
    // The command reports it too.
    let folder = TempFolder::new("ic", "i9");
    let file = folder.write(
        "ic.ron",
        &ic_scenario("1m", &pool(1, 1, 4), &component("llm", 0.5, 1), ""),
    );
    let out = fleetsim(&[OsStr::new("validate"), file.as_os_str()]);
    assert_success(&out);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains(guidance), "{all}");
}

#[test]
fn validation_names_field_value_and_range() {
    // A2: MinInstanceCount 0 needs inference components.
    let plain = r#"Scenario(name: "x", duration: "1m",
        endpoint: RealTime(variants: [Variant(name: "v", instance_type: "ml.m5.large", initial_instance_count: 1,
            model: Model(service_time: Constant("1s")),
            managed_instance_scaling: ManagedInstanceScaling(min_instance_count: 0, max_instance_count: 2))]),
        workload: Open(rate: Constant(1.0)))"#;
    let e = invalid(plain);
    assert!(
        e.contains("endpoint.variants[0].managed_instance_scaling.min_instance_count")
            && e.contains("only a variant that hosts inference_components may scale to zero instances"),
        "{e}"
    );
    // A copy that fits no instance names both sets of numbers.
    let e = invalid(&ic_scenario("1m", &pool(1, 0, 2), &component("llm", 4.0, 1), ""));
    assert!(
        e.contains("endpoint.variants[0].inference_components[0].compute_resource_requirements")
            && e.contains("a copy needing 4 CPU cores, 0 accelerators, 2048 MB")
            && e.contains("fit one ml.m5.large instance (2 CPU cores, 0 accelerators, 8192 MB)"),
        "{e}"
    );
    // CopyCount above the target's MaxCapacity.
    let e = invalid(&ic_scenario(
        "1m",
        &pool(1, 0, 2),
        &component("llm", 1.0, 5),
        "autoscaling: [ScalableTarget(inference_component: Some(\"llm\"), min_capacity: 0, max_capacity: 4)],",
    ));
    assert!(
        e.contains("inference_components[0].copy_count")
            && e.contains("from autoscaling[0].min_capacity 0 to max_capacity 4"),
        "{e}"
    );
    // MinCapacity 0 without the scale-to-zero prerequisite.
    let e = invalid(&ic_scenario(
        "1m",
        &pool(1, 1, 2),
        &component("llm", 1.0, 1),
        "autoscaling: [ScalableTarget(inference_component: Some(\"llm\"), min_capacity: 0, max_capacity: 4)],",
    ));
    assert!(
        e.contains("autoscaling[0].min_capacity") && e.contains("managed_instance_scaling.min_instance_count is 0"),
        "{e}"
    );
    // A component's target names the component, not the variant.
    let e = invalid(&ic_scenario(
        "1m",
        &pool(1, 0, 2),
        &component("llm", 1.0, 1),
        "autoscaling: [ScalableTarget(variant: Some(\"pool\"), min_capacity: 1, max_capacity: 4)],",
    ));
    assert!(
        e.contains("autoscaling[0].variant") && e.contains("inference-component/<name>"),
        "{e}"
    );
    // Deployments against an endpoint with components are rejected.
    let deploy = r#"deployments: [Deployment(at: "10s", endpoint_config_name: "v2",
        model: Model(service_time: Constant("1s")), policy: BlueGreen(traffic_routing: AllAtOnce))],"#;
    let e = invalid(&ic_scenario("1m", &pool(1, 0, 2), &component("llm", 1.0, 1), deploy));
    assert!(e.contains("deployments of components are not modelled"), "{e}");
    // Per-copy metrics need components.
    let plain_tracking = r#"Scenario(name: "x", duration: "1m",
        endpoint: RealTime(variants: [Variant(name: "v", instance_type: "ml.m5.large", initial_instance_count: 1,
            model: Model(service_time: Constant("1s")))]),
        workload: Open(rate: Constant(1.0)),
        autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 2, policies: [TargetTracking(
            name: "t", metric: SageMakerInferenceComponentInvocationsPerCopy, target_value: 1.0)])])"#;
    let e = invalid(plain_tracking);
    assert!(
        e.contains("InvocationsPerCopy and ConcurrentRequestsPerCopy exist for inference components"),
        "{e}"
    );
}

#[test]
fn bundled_scenario_is_deterministic_and_conserves_requests() {
    let outputs = || {
        let r = run_checked(load_bundled("inference-components-scale-to-zero.ron", &[], None).config);
        (
            serde_json::to_string_pretty(&report::summary(&r)).unwrap(),
            report::timeseries_csv(&r),
            report::activities_csv(&r),
        )
    };
    let first = outputs();
    assert_eq!(first, outputs());
    let csv = String::from_utf8(first.1).unwrap();
    let header = csv.lines().next().unwrap();
    for col in [
        "chat.invocations_per_copy",
        "chat.concurrent_requests_per_copy",
        "chat.no_capacity_invocation_failures",
        "chat.copies_in_service",
    ] {
        assert!(header.contains(col), "{col}");
    }
}

#[test]
fn concurrency_per_copy_tracking_scales_copies_and_instances_out() {
    // One copy with one slot; a request every 2 s holding it 10 s: the requests in flight or
    // waiting per copy grow by 4 every 10 s sample (5, 9, 13). Target 1 with the
    // high-resolution alarm (3 of 3 datapoints of 10 s) asks for ceil(1 x 13 / 1) = 13 copies,
    // clamped to the target's max 8. Two copies fit per instance and managed instance scaling
    // may run 3 instances: it launches two more, and two copies wait for room.
    let tracking = r#"autoscaling: [ScalableTarget(inference_component: Some("llm"), min_capacity: 1, max_capacity: 8,
        policies: [TargetTracking(name: "crpc",
            metric: SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution, target_value: 1.0)])],"#;
    let text = ic_scenario(
        "5m",
        &pool(1, 1, 3),
        r#"InferenceComponent(name: "llm", model: Model(service_time: Constant("10s")), copy_count: 1,
            compute_resource_requirements: ComputeResourceRequirements(number_of_cpu_cores_required: 1.0,
                min_memory_required_in_mb: 2048))"#,
        tracking,
    );
    let at: Vec<f64> = (0..150).map(|k| 2.0 * f64::from(k)).collect();
    let r = run_checked(config_at(&text, &at));
    let changes = rows(&r.activities, ActivityKind::CapacityChange);
    assert_eq!(changes[0].0, 30, "{changes:?}");
    assert_eq!(
        changes[0].2,
        "crpc: 3 of 3 datapoints > 1 (5, 9, 13); ceil(1 x 13 / 1) = 13; desired 1 -> 13; clamped to 8; desired 1 -> 8"
    );
    let launched: Vec<u64> = rows(&r.activities, ActivityKind::InstanceLaunch)
        .into_iter()
        .filter(|(_, who, _)| who == "pool")
        .map(|(t, _, _)| t)
        .collect();
    assert_eq!(launched, vec![30, 30]);
    let pending = rows(&r.activities, ActivityKind::CopiesPending);
    assert_eq!(
        pending,
        vec![row(
            30,
            "llm",
            "2 copies pending: no room on 3 instances and max_instance_count 3 reached"
        )]
    );
    let last = r.points.last().unwrap();
    assert_eq!(
        (
            last.variants[0].instances.pending,
            last.variants[0].instances.in_service
        ),
        (2, 6)
    );
}

#[test]
fn variant_predefined_metrics_are_rejected_on_components() {
    let e = invalid(&ic_scenario(
        "1m",
        &pool(1, 1, 2),
        &component("llm", 1.0, 1),
        r#"autoscaling: [ScalableTarget(inference_component: Some("llm"), min_capacity: 1, max_capacity: 2,
            policies: [TargetTracking(name: "t", metric: SageMakerVariantInvocationsPerInstance, target_value: 1.0)])],"#,
    ));
    assert!(
        e.contains("autoscaling[0].policies[0].metric") && e.contains("SageMakerInferenceComponentInvocationsPerCopy"),
        "{e}"
    );
}

#[test]
fn idle_instances_stop_at_min_instance_count() {
    // Zero copies at the start and MinInstanceCount 1: the one instance stays, empty.
    let text = ic_scenario("5m", &pool(1, 1, 2), &component("llm", 1.0, 0), "");
    let r = run_checked(config_at(&text, &[30.0]));
    assert!(rows(&r.activities, ActivityKind::InstanceTerminated).is_empty());
    let hosts = r.components.as_ref().unwrap().points[0].instances;
    assert_eq!((hosts.live(), hosts.in_service), (1, 1));
    assert_eq!(r.totals.rejected_no_capacity, 1);
    // MinInstanceCount 0: the empty instance goes at once.
    let text = ic_scenario("5m", &pool(1, 0, 2), &component("llm", 1.0, 0), "");
    let r = run_checked(config_at(&text, &[]));
    assert_eq!(
        rows(&r.activities, ActivityKind::InstanceTerminated),
        vec![row(0, "pool", "i-0 terminated")]
    );
}

#[test]
fn the_instance_quota_holds_copies_back() {
    // Quota 1 ml.m5.large for endpoint usage: the third copy would need a second instance.
    let text = ic_scenario("5m", &pool(1, 0, 3), &component("llm", 1.0, 3), "")
        .replace("price_per_hour: 0.115)", "price_per_hour: 0.115, endpoint_quota: 1)");
    let r = run_checked(config_at(&text, &[]));
    let failed = rows(&r.activities, ActivityKind::ScalingFailed);
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(
        failed[0].2.contains("'ml.m5.large for endpoint usage' is 1 Instances"),
        "{failed:?}"
    );
    assert_eq!(
        rows(&r.activities, ActivityKind::CopiesPending),
        vec![row(
            0,
            "llm",
            "1 copies pending: no room on 1 instances and the instance quota allows no more"
        )]
    );
}

#[test]
fn the_capacity_plot_counts_copies_and_draws_instances() {
    let folder = TempFolder::new("ic", "plot");
    let scenario = bundled("inference-components-scale-to-zero.ron");
    let out = folder.join("out");
    assert_success(&fleetsim(&[
        OsStr::new("run"),
        scenario.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
    ]));
    let svg = String::from_utf8(folder.read("out/capacity.svg")).unwrap();
    assert!(
        svg.contains("\ncopies (count") && svg.contains("instances in service"),
        "labels"
    );
}

#[test]
fn overrides_can_add_the_fields_absent_variants_leave_out() {
    // Fields absent from a plain variant are left out of the resolved scenario (manifest.json
    // stays as it was) and `--set` can still add them.
    let text = ic_scenario("1m", &pool(1, 1, 2), &component("llm", 1.0, 3), "");
    let set = |s: &str| load_with(&text, &[s]);
    let l = set("endpoint.variants[0].inference_components[0].copy_count=1").unwrap();
    assert_eq!(l.config.endpoint.variants[0].initial_instance_count, 1);
    let e = set("endpoint.variants[0].model=Model(service_time: Constant(\"1s\"))").unwrap_err();
    assert!(e.contains("endpoint.variants[0].model"), "{e}");
    let plain = r#"Scenario(name: "x", duration: "1m",
        endpoint: RealTime(variants: [Variant(name: "v", instance_type: "ml.m5.large", initial_instance_count: 1,
            model: Model(service_time: Constant("1s")))]),
        workload: Open(rate: Constant(1.0)))"#;
    let e = load_with(
        plain,
        &["endpoint.variants[0].managed_instance_scaling=ManagedInstanceScaling(min_instance_count: 0, max_instance_count: 2)"],
    )
    .unwrap_err();
    assert!(e.contains("may scale to zero instances"), "{e}");
}

#[test]
fn e5_the_step_cooldown_holds_back_a_second_copy() {
    // An instance is in service, held by a copy of another component (`keep`), with room
    // for one copy of `llm`, which has none; copies load in 5 s. Two
    // failures in minute 0: ALARM at 60 s, +1 copy, in service at 65 s. Two more requests at
    // 61 s and 63 s fail while it loads, so minute 1 breaches too and the alarm is still in
    // ALARM at 120 s. With the recipe's Cooldown 60 (from the activity's end at 65 s, until
    // 125 s) the step counts from the copy it already added and adds none; without a cooldown
    // it adds a second copy (docs/semantics/autoscaling.md §7.2, E5).
    let run_with = |cooldown: &str| {
        let text = ic_scenario(
            "4m",
            &pool(1, 0, 2),
            &format!(
                "{}{}",
                // No traffic of its own.
                component("keep", 1.0, 1).replace("copy_count: 1,", "copy_count: 1, weight: 0.0,"),
                component("llm", 1.0, 0).replace("copy_count: 0,", "copy_count: 0, copy_load: Some(Constant(\"5s\")),")
            ),
            &format!(
                "{} autoscaling: [ScalableTarget(inference_component: Some(\"llm\"), min_capacity: 0, max_capacity: 4, policies: [{}])],",
                no_capacity_alarm("GreaterThanThreshold"),
                STEP_FROM_ZERO.replace("cooldown: \"60s\"", &format!("cooldown: \"{cooldown}\""))
            ),
        );
        run_checked(config_at(&text, &[10.0, 20.0, 61.0, 63.0]))
    };
    let with = run_with("60s");
    let changes: Vec<u64> = rows(&with.activities, ActivityKind::CapacityChange)
        .iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(changes, vec![60]);
    let llm: Vec<_> = rows(&with.activities, ActivityKind::InstanceInService)
        .into_iter()
        .filter(|r| r.1 == "llm")
        .collect();
    assert_eq!(llm, vec![row(65, "llm", "copy-1 in service after 5s")]);
    assert_eq!(with.totals.rejected_no_capacity, 4);
    let without = run_with("0s");
    let changes = rows(&without.activities, ActivityKind::CapacityChange);
    assert_eq!(changes.iter().map(|r| r.0).collect::<Vec<_>>(), vec![60, 120]);
    assert!(changes[1].2.ends_with("desired 1 -> 2"), "{changes:?}");
}

#[test]
fn disabled_managed_scaling_keeps_the_instance_count() {
    // Status DISABLED: the instance count stays at InitialInstanceCount 1 (bounds 0-3 unused),
    // so the third copy waits for room.
    let text = ic_scenario(
        "2m",
        "initial_instance_count: 1,
         managed_instance_scaling: ManagedInstanceScaling(status: DISABLED, min_instance_count: 0, max_instance_count: 3),",
        &component("llm", 1.0, 3),
        "",
    );
    let r = run_checked(config_at(&text, &[]));
    assert_eq!(
        rows(&r.activities, ActivityKind::CopiesPending),
        vec![row(
            0,
            "llm",
            "1 copies pending: no room on 1 instances and max_instance_count 1 reached"
        )]
    );
    assert_eq!(r.components.as_ref().unwrap().peak_instances, 1);
}

#[test]
fn a_second_target_on_a_component_names_the_inference_component_field() {
    let target = r#"ScalableTarget(inference_component: Some("llm"), min_capacity: 1, max_capacity: 4)"#;
    let e = invalid(&ic_scenario(
        "1m",
        &pool(1, 0, 2),
        &component("llm", 1.0, 1),
        &format!("autoscaling: [{target}, {target}],"),
    ));
    assert!(
        e.contains(
            "autoscaling[1].inference_component: got \"llm\"; allowed: a component with no other scalable target"
        ),
        "{e}"
    );
}
