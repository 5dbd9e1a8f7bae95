//! Serverless endpoints (docs/semantics/serverless.md, docs/semantics/autoscaling.md §3.5 and worked examples
//! B7, C11, G2, H1-H4; docs/semantics/instances.md §6 and I9): validation, the concurrency pool (PC first,
//! warm and cold on-demand containers, throttling at MaxConcurrency and at the account pool),
//! the serverless metrics, provisioned concurrency under Application Auto Scaling, accounting
//! and determinism.

use crate::common::{
    assert_contains, assert_success, bundled, capacity_changes, config, config_at, fails, first_minute, fleetsim,
    invalid, load, load_bundled, run_checked, TempFolder,
};
use fleetsim::autoscaling::alarm::Statistic;
use fleetsim::engine::SimTime;
use fleetsim::model::metrics::MetricName;
use fleetsim::model::{Activity, ActivityKind, VariantId};
use fleetsim::report;
use fleetsim::sim::observe::Dimension;
use fleetsim::sim::{run, World};

/// A serverless endpoint: `endpoint` holds the fields inside `Serverless(...)` after the
/// model; `extra` goes inside `Scenario(...)`.
fn serverless(duration: &str, service: &str, endpoint: &str, extra: &str) -> String {
    format!(
        r#"Scenario(
    name: "serverless",
    duration: "{duration}",
    endpoint: Serverless(
        memory_size_in_mb: 2048,
        model: Model(service_time: Constant("{service}")),
        {endpoint}
    ),
    workload: Open(rate: Constant(0.0)),
    {extra}
)"#
    )
}

/// `n` requests at the same instant `t` seconds.
fn burst(n: usize, t: f64) -> Vec<f64> {
    vec![t; n]
}

/// Any alarm makes a run keep the metric history `World::datapoint` reads.
const KEEP_HISTORY: &str = r#"alarms: [Alarm(name: "keep", metric: ServerlessConcurrentExecutionsUtilization, evaluation_periods: 3, comparison_operator: GreaterThanThreshold, threshold: 1e9)],"#;

#[test]
fn b7_utilisations_with_eight_concurrent_executions() {
    // PC 10, MaxConcurrency 20, 8 requests at 1 s running for an hour: every tick samples 8.
    let text = serverless(
        "2m",
        "1h",
        "max_concurrency: 20, provisioned_concurrency: Some(10),",
        KEEP_HISTORY,
    );
    let mut w = World::new(config_at(&text, &burst(8, 1.0)));
    w.run_until(SimTime::from_secs(60));
    let dp = |name, stat: Statistic| first_minute(&w, Dimension::Variant(VariantId(0)), name, stat);
    let avg = Statistic::Average;
    // The Average of six equal samples, up to float rounding.
    let close = |x: Option<f64>, want: f64| x.is_some_and(|x| (x - want).abs() < 1e-12);
    let pc = dp(MetricName::ServerlessProvisionedConcurrencyUtilization, avg);
    assert!(close(pc, 0.8), "{pc:?}");
    let all = dp(MetricName::ServerlessConcurrentExecutionsUtilization, avg);
    assert!(close(all, 0.4), "{all:?}");
    assert_eq!(
        dp(
            MetricName::ServerlessProvisionedConcurrencyUtilization,
            Statistic::Maximum
        ),
        Some(0.8)
    );
    assert_eq!(
        dp(MetricName::ServerlessProvisionedConcurrencyExecutions, avg),
        Some(8.0)
    );
    assert_eq!(
        dp(MetricName::ServerlessProvisionedConcurrencyInvocations, Statistic::Sum),
        Some(8.0)
    );
    assert_eq!(
        dp(
            MetricName::ServerlessProvisionedConcurrencySpilloverInvocations,
            Statistic::Sum
        ),
        Some(0.0)
    );
    // PC units never cold-start: no ModelSetupTime sample.
    assert_eq!(dp(MetricName::ModelSetupTime, Statistic::Maximum), None);
    assert_eq!(dp(MetricName::Invocations, Statistic::Sum), Some(8.0));
    // docs/semantics/serverless.md §4: no per-instance metric on serverless endpoints.
    assert_eq!(dp(MetricName::CPUUtilization, avg), None);
}

#[test]
fn spillover_goes_to_on_demand_containers_that_cold_start() {
    // PC 2, 5 simultaneous requests: 2 on PC, 3 spill over and cold-start (3 s each).
    let text = serverless(
        "2m",
        "1h",
        r#"max_concurrency: 10, provisioned_concurrency: Some(2), cold_start: Constant("3s"),"#,
        KEEP_HISTORY,
    );
    let mut w = World::new(config_at(&text, &burst(5, 1.0)));
    w.run_until(SimTime::from_secs(60));
    let dp = |name, stat: Statistic| first_minute(&w, Dimension::Endpoint, name, stat);
    assert_eq!(
        dp(MetricName::ServerlessProvisionedConcurrencyInvocations, Statistic::Sum),
        Some(2.0)
    );
    assert_eq!(
        dp(
            MetricName::ServerlessProvisionedConcurrencySpilloverInvocations,
            Statistic::Sum
        ),
        Some(3.0)
    );
    assert_eq!(dp(MetricName::ModelSetupTime, Statistic::SampleCount), Some(3.0));
    assert_eq!(dp(MetricName::ModelSetupTime, Statistic::Average), Some(3_000_000.0));
    // 5 executions over PC 2 (docs/semantics/serverless.md §4: concurrent executions / allocated PC).
    assert_eq!(
        dp(
            MetricName::ServerlessProvisionedConcurrencyUtilization,
            Statistic::Average
        ),
        Some(2.5)
    );
    let r = w.into_result();
    let s = r.serverless.as_ref().expect("serverless result");
    assert_eq!(
        (s.totals.pc_invocations, s.totals.spillover, s.totals.cold_starts),
        (2, 3, 3)
    );

    // On demand only: nothing is a spillover.
    let text = serverless("2m", "1h", "max_concurrency: 10,", "");
    let r = run_checked(config_at(&text, &burst(5, 1.0)));
    let s = r.serverless.as_ref().expect("serverless result");
    assert_eq!((s.totals.spillover, s.totals.on_demand_invocations), (0, 5));
}

#[test]
fn cold_start_warm_reuse_and_cold_again_after_the_keep_alive() {
    // No PC; cold start 2 s; keep-alive 60 s; service 100 ms.
    // 10 s: cold, served 12.0-12.1 s (latency 2.1 s); 20 s: the idle container is warm (0.1 s);
    // 80 s: idle since 20.1 s, still warm until 80.1 s (0.1 s); 140.1 s: idle since 80.1 s,
    // its keep-alive ends at 140.1 s exactly, so the request cold-starts again (2.1 s).
    let text = serverless(
        "5m",
        "100ms",
        r#"max_concurrency: 5, cold_start: Constant("2s"), keep_alive: "60s","#,
        r#"metrics: Metrics(period: "10s", high_resolution_period: "10s"),"#,
    );
    let r = run_checked(config_at(&text, &[10.0, 20.0, 80.0, 140.1]));
    assert_eq!(r.totals.completed, 4);
    assert_eq!(r.totals.latency_sum_us, 4_400_000);
    let s = r.serverless.as_ref().expect("serverless result");
    assert_eq!(s.totals.cold_starts, 2);
    assert_eq!(s.totals.setup_sum_us, 4_000_000);
    // Per 10 s period: the requests that ended in it and their OverheadLatency (cold start
    // included) [ms]; ModelLatency is the 100 ms service every time.
    let ended: Vec<(u64, u64, Option<f64>)> = r
        .points
        .iter()
        .filter(|p| p.variants[0].requests.completed > 0)
        .map(|p| {
            let v = &p.variants[0];
            (
                p.start_us / 1_000_000,
                v.requests.completed,
                v.overhead_latency.max.map(|x| x / 1000.0),
            )
        })
        .collect();
    assert_eq!(
        ended,
        vec![
            (10, 1, Some(2000.0)),
            (20, 1, Some(0.0)),
            (80, 1, Some(0.0)),
            (140, 1, Some(2000.0))
        ]
    );
    // Scale to zero: no warm container is left at the end.
    assert_eq!(s.points.last().map(|p| p.warm_idle_end), Some(0));
}

#[test]
fn h3_201_concurrent_requests_on_max_concurrency_200_throttle_exactly_one() {
    let text = serverless("2m", "1h", r#"max_concurrency: 200, cold_start: Constant("1s"),"#, "");
    let r = run_checked(config_at(&text, &burst(201, 1.0)));
    assert_eq!(r.totals.throttled, 1);
    assert_eq!(r.totals.errors_4xx, 0, "a throttle is not a model 4XX in the totals");
    assert_eq!(r.in_flight_at_end, 200);
    let s = r.serverless.as_ref().expect("serverless result");
    assert_eq!((s.totals.throttled_max_concurrency, s.totals.throttled_account), (1, 0));
    // The throttle is a 4XX datapoint of the minute it happened in.
    assert_eq!(r.points[0].variants[0].requests.errors_4xx, 1);
    assert_eq!(r.points[0].variants[0].requests.invocations, 201);
    let sum = report::summary(&r);
    assert_eq!(sum.requests.throttled, Some(1));
    assert_eq!(sum.endpoint, "Serverless");
    // A sweep sees the throttle as a failure and the serverless figures as metrics.
    let m = fleetsim::sweep::metrics::from_summary(&sum);
    assert_eq!(m["error_rate"], Some(1.0 / 201.0));
    assert_eq!(m["serverless.throttled_max_concurrency"], Some(1.0));
    assert_eq!(m["serverless.cold_starts"], Some(200.0));
}

#[test]
fn account_concurrency_throttles_across_endpoints() {
    // I9/H3: us-east-1 has 1000; other endpoints hold 900, so 100 of 200 simultaneous
    // requests get a container and 100 are throttled by the account pool.
    let text = serverless(
        "2m",
        "1h",
        r#"max_concurrency: 200, region: Some("us-east-1"), other_endpoints_concurrency: 900,"#,
        "",
    );
    let r = run_checked(config_at(&text, &burst(200, 1.0)));
    let s = r.serverless.as_ref().expect("serverless result");
    assert_eq!(s.account_concurrency, 1000);
    assert_eq!(
        (s.totals.throttled_account, s.totals.throttled_max_concurrency),
        (100, 0)
    );
    assert_eq!(r.in_flight_at_end, 100);

    // eu-west-2 (London) has 500: with 450 held elsewhere, 50 are served.
    let text = serverless(
        "2m",
        "1h",
        r#"max_concurrency: 200, region: Some("eu-west-2"), other_endpoints_concurrency: 450,"#,
        "",
    );
    let r = run_checked(config_at(&text, &burst(60, 1.0)));
    let s = r.serverless.as_ref().expect("serverless result");
    assert_eq!((s.account_concurrency, s.totals.throttled_account), (500, 10));

    // PC is reserved in the account pool: PC 20 + 470 elsewhere leaves 10 on-demand units.
    let text = serverless(
        "2m",
        "1h",
        r#"max_concurrency: 200, provisioned_concurrency: Some(20), region: Some("eu-west-2"), other_endpoints_concurrency: 470,"#,
        "",
    );
    let r = run_checked(config_at(&text, &burst(40, 1.0)));
    let s = r.serverless.as_ref().expect("serverless result");
    assert_eq!(
        (s.totals.pc_invocations, s.totals.spillover, s.totals.throttled_account),
        (20, 10, 10)
    );
}

#[test]
fn h1_h2_i9_limits_name_path_value_and_range() {
    let ok = |ep: &str| {
        load(&serverless("1m", "1s", ep, ""))
            .unwrap_or_else(|e| panic!("{ep}: {e}"))
            .config
    };
    // H1: MaxConcurrency 1..200, PC <= MaxConcurrency.
    ok("max_concurrency: 200,");
    ok("max_concurrency: 20, provisioned_concurrency: Some(10),");
    let e = invalid(&serverless("1m", "1s", "max_concurrency: 201,", ""));
    assert_contains(&e, &["endpoint.max_concurrency: got 201", "an integer from 1 to 200"]);
    let e = invalid(&serverless("1m", "1s", "max_concurrency: 0,", ""));
    assert_contains(&e, &["endpoint.max_concurrency: got 0"]);
    let e = invalid(&serverless(
        "1m",
        "1s",
        "max_concurrency: 20, provisioned_concurrency: Some(25),",
        "",
    ));
    assert_contains(
        &e,
        &[
            "endpoint.provisioned_concurrency: got 25 (max_concurrency 20)",
            "ProvisionedConcurrency <= MaxConcurrency",
        ],
    );
    // H2 / I9: memory sizes.
    let with_memory = |mb: u32| serverless("1m", "1s", "max_concurrency: 20,", "").replace("2048", &mb.to_string());
    load(&with_memory(3072)).expect("3072 MB is valid");
    for bad in [1500, 3000] {
        let e = invalid(&with_memory(bad));
        assert_contains(
            &e,
            &[
                &format!("endpoint.memory_size_in_mb: got {bad}"),
                "1024, 2048, 3072, 4096, 5120 or 6144",
            ],
        );
    }
    // Regions: eu-west-2 gives 500, an unknown region is named.
    let c = ok(r#"max_concurrency: 20, region: Some("eu-west-2"),"#);
    assert_eq!(c.endpoint.serverless.as_ref().map(|s| s.account_concurrency), Some(500));
    let c = ok("max_concurrency: 20,");
    assert_eq!(
        c.endpoint.serverless.as_ref().map(|s| s.account_concurrency),
        Some(1000)
    );
    let e = invalid(&serverless(
        "1m",
        "1s",
        r#"max_concurrency: 20, region: Some("mars-1"),"#,
        "",
    ));
    assert_contains(&e, &["endpoint.region: got \"mars-1\"", "eu-west-2"]);
    let e = invalid(&serverless(
        "1m",
        "1s",
        "max_concurrency: 20, other_endpoints_concurrency: 1600,",
        "",
    ));
    assert_contains(
        &e,
        &["endpoint.other_endpoints_concurrency: got 1600 (account concurrency 1000)"],
    );
}

#[test]
fn h4_pc_target_needs_min_one_and_provisioned_concurrency() {
    let pc = "max_concurrency: 20, provisioned_concurrency: Some(4),";
    let target =
        |min: u32, max: u32| format!("autoscaling: [ScalableTarget(min_capacity: {min}, max_capacity: {max})],");
    load(&serverless("1m", "1s", pc, &target(1, 10))).expect("1..10 is valid");
    let e = invalid(&serverless("1m", "1s", pc, &target(0, 10)));
    assert_contains(
        &e,
        &[
            "autoscaling[0].min_capacity: got 0",
            "an integer >= 1 for provisioned concurrency",
        ],
    );
    let e = invalid(&serverless("1m", "1s", pc, &target(5, 3)));
    assert_contains(&e, &["autoscaling[0].max_capacity: got 3 (min_capacity 5)"]);
    let e = invalid(&serverless("1m", "1s", pc, &target(1, 25)));
    assert_contains(&e, &["autoscaling[0].max_capacity: got 25 (max_concurrency 20)"]);
    let e = invalid(&serverless("1m", "1s", "max_concurrency: 20,", &target(1, 10)));
    assert_contains(&e, &["autoscaling[0]", "provisioned_concurrency set"]);
}

#[test]
fn metrics_a_serverless_endpoint_does_not_publish_are_rejected() {
    let alarm = |metric: &str| {
        format!(
            r#"alarms: [Alarm(name: "a", metric: {metric}, evaluation_periods: 1, comparison_operator: GreaterThanThreshold, threshold: 1.0)],"#
        )
    };
    for metric in ["InvocationsPerInstance", "CPUUtilization", "ApproximateBacklogSize"] {
        let e = invalid(&serverless("1m", "1s", "max_concurrency: 20,", &alarm(metric)));
        assert_contains(
            &e,
            &[
                &format!("alarms[0].metric: got {metric}"),
                "serverless endpoint publishes",
            ],
        );
    }
    load(&serverless(
        "1m",
        "1s",
        "max_concurrency: 20,",
        &alarm("ModelSetupTime"),
    ))
    .expect("published");
    // And the serverless metrics do not exist on a real-time endpoint.
    let rt = format!(
        r#"Scenario(name: "rt", duration: "1m",
        endpoint: RealTime(variants: [Variant(name: "v", instance_type: "ml.c5.large", initial_instance_count: 1, model: Model(service_time: Constant("1s")))]),
        workload: Open(rate: Constant(1.0)), {})"#,
        alarm("ServerlessProvisionedConcurrencyUtilization")
    );
    assert_contains(
        &invalid(&rt),
        &["alarms[0].metric: got ServerlessProvisionedConcurrencyUtilization"],
    );
    // Nor the PC predefined metric type.
    let rt = rt.replace(
        &alarm("ServerlessProvisionedConcurrencyUtilization"),
        &format!("autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 2, policies: [{PC_TRACKING}])],"),
    );
    assert_contains(
        &invalid(&rt),
        &["autoscaling[0].policies[0].metric: got SageMakerVariantProvisionedConcurrencyUtilization"],
    );
}

#[test]
fn deployments_and_shadow_tests_are_rejected_on_serverless() {
    let rolling = r#"deployments: [Deployment(
        at: "30s", endpoint_config_name: "config-2", model: Model(label: "v2", service_time: Constant("1s")),
        policy: Rolling(maximum_batch_size: InstanceCount(1), wait_interval: "1m"),
    )],"#;
    let e = invalid(&serverless("1m", "1s", "max_concurrency: 20,", rolling));
    assert_contains(
        &e,
        &["deployments[0].policy: got Rolling", "not available for serverless"],
    );
    let blue_green = r#"deployments: [Deployment(
        at: "30s", endpoint_config_name: "config-2", model: Model(label: "v2", service_time: Constant("1s")),
        policy: BlueGreen(traffic_routing: AllAtOnce),
    )],"#;
    let e = invalid(&serverless("1m", "1s", "max_concurrency: 20,", blue_green));
    assert_contains(&e, &["deployments[0]: got \"config-2\" (BlueGreen)", "not simulated"]);
    let shadow = r#"shadow_test: Some(ShadowTest(
        name: "s", sampling_percentage: 50, start: "0s", duration: "1m",
        variant: Variant(name: "Shadow", instance_type: "ml.c5.large", initial_instance_count: 1,
                         model: Model(service_time: Constant("1s"))),
    )),"#;
    let e = invalid(&serverless("1m", "1s", "max_concurrency: 20,", shadow));
    assert_contains(&e, &["shadow_test: got a shadow test", "one production variant"]);
}

#[test]
fn the_binary_reports_serverless_limits() {
    let folder = TempFolder::new("serverless", "limits");
    let file = folder.write(
        "s.ron",
        &serverless("1m", "1s", "max_concurrency: 201,", "").replace("2048", "1500"),
    );
    let err = fails(&["validate", &file.display().to_string()], &[]);
    assert_contains(
        &err,
        &[
            "endpoint.memory_size_in_mb: got 1500",
            "endpoint.max_concurrency: got 201; allowed: an integer from 1 to 200",
        ],
    );
}

const PC_TRACKING: &str = r#"TargetTracking(
    name: "pc", metric: SageMakerVariantProvisionedConcurrencyUtilization, target_value: 0.5,
    scale_in_cooldown: "1s", scale_out_cooldown: "1s",
)"#;

#[test]
fn c11_pc_target_tracking_from_5_at_utilisation_0_8_to_8() {
    // PC 5 with 4 executions (util 0.8 > 0.5) for three one-minute datapoints: at 180 s
    // ceil(5 x 0.8 / 0.5) = 8; the three new units are ready 30 s later, at 210 s.
    let text = serverless(
        "10m",
        "1h",
        r#"max_concurrency: 20, provisioned_concurrency: Some(5), provisioned_concurrency_provisioning_time: "30s","#,
        &format!("autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 10, policies: [{PC_TRACKING}])],"),
    );
    let r = run_checked(config_at(&text, &burst(4, 1.0)));
    let c = capacity_changes(&r.activities);
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!(c[0].0, 180);
    assert_contains(&c[0].2, &["(0.8, 0.8, 0.8); ceil(5 x 0.8 / 0.5) = 8", "desired 5 -> 8"]);
    // The minute [180, 240) mixes PC 5 (ticks 190, 200: 0.8) and PC 8 (210-240: 0.5), so its
    // Average is 0.6 > 0.5 and, with the seed's 1 s cooldowns, target tracking scales out once
    // more from the allocated 8: ceil(8 x 0.6 / 0.5) = 10 (a scale-out cooldown does not stop
    // a larger scale-out, docs/semantics/autoscaling.md §7.2).
    assert_eq!(c[1].0, 240);
    assert_contains(
        &c[1].2,
        &["(0.8, 0.8, 0.6); ceil(8 x 0.6 / 0.5) = 10", "desired 8 -> 10"],
    );
    let s = r.serverless.as_ref().expect("serverless result");
    // `(desired, allocated)` at the end of each minute: 8 is requested at 180 s and ready at
    // 210 s; 10 is requested at 240 s; 4 / 10 = 0.4 then stays between the alarms.
    let pc: Vec<(u32, u32)> = s
        .points
        .iter()
        .map(|p| (p.pc_desired_end, p.pc_allocated_end))
        .collect();
    assert_eq!(&pc[..5], &[(5, 5), (5, 5), (5, 5), (8, 8), (10, 10)]);
    assert_eq!(pc.last(), Some(&(10, 10)));
}

#[test]
fn g2_scheduled_min_capacity_raises_pc_to_ten_at_12_15() {
    let run_with = |pc: u32| {
        let text = serverless(
            "1h",
            "1s",
            &format!(
                r#"max_concurrency: 20, provisioned_concurrency: Some({pc}), provisioned_concurrency_provisioning_time: "1m","#
            ),
            &format!(
                r#"start_time: "2024-01-01T12:00:00Z",
                autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 10, policies: [{PC_TRACKING}],
                    scheduled: [ScheduledAction(name: "noon", schedule: "cron(15 12 * * ? *)", min_capacity: Some(10))])],"#
            ),
        );
        run_checked(config_at(&text, &[]))
    };
    // Idle from the start: the low alarm sees 15 quiet minutes at 12:15, when the scheduled
    // action (queued first) has already raised the minimum, so PC goes 4 -> 10 and never back.
    let r = run_with(4);
    let c = capacity_changes(&r.activities);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!((c[0].0, c[0].1.as_str()), (900, "noon"));
    assert_contains(&c[0].2, &["MinCapacity 1 -> 10", "desired 4 -> 10"]);
    let s = r.serverless.as_ref().expect("serverless result");
    // Ready one minute later; still 10 at the end of the idle hour.
    assert_eq!(s.points[15].pc_allocated_end, 10);
    assert_eq!(s.points[14].pc_allocated_end, 4);
    assert_eq!(s.points.last().map(|p| p.pc_allocated_end), Some(10));

    // Already at 10: only the minimum moves.
    let r = run_with(10);
    assert!(
        capacity_changes(&r.activities).is_empty(),
        "{:?}",
        capacity_changes(&r.activities)
    );
    let sched: Vec<&Activity> = r
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::ScheduledAction)
        .collect();
    assert_eq!(sched.len(), 1);
    assert_contains(&sched[0].reason, &["MinCapacity 1 -> 10", "desired stays 10"]);
}

#[test]
fn a_step_policy_scales_provisioned_concurrency() {
    // PC 2 fully used (utilisation 1.0 > 0.7 for one minute): +2 at 60 s.
    let text = serverless(
        "5m",
        "1h",
        r#"max_concurrency: 20, provisioned_concurrency: Some(2), provisioned_concurrency_provisioning_time: "0s","#,
        r#"alarms: [Alarm(name: "pc-high", metric: ServerlessProvisionedConcurrencyUtilization, statistic: "Maximum",
            evaluation_periods: 1, comparison_operator: GreaterThanThreshold, threshold: 0.7)],
        autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 10, policies: [StepScaling(
            name: "pc-step", alarm: "pc-high", adjustment_type: ChangeInCapacity, cooldown: "600s",
            step_adjustments: [StepAdjustment(lower: Some(0.0), adjustment: 2)])])],"#,
    );
    let r = run_checked(config_at(&text, &burst(2, 1.0)));
    let c = capacity_changes(&r.activities);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!((c[0].0, c[0].1.as_str()), (60, "pc-step"));
    assert_contains(&c[0].2, &["desired 2 -> 4"]);
}

#[test]
fn accounting_holds_with_errors_throttles_and_cold_starts() {
    let text = serverless(
        "30m",
        "2s",
        r#"max_concurrency: 5, provisioned_concurrency: Some(2), cold_start: Exponential(mean: "3s"), keep_alive: "1m","#,
        "",
    )
    .replace(
        r#"model: Model(service_time: Constant("2s")),"#,
        r#"model: Model(service_time: Exponential(mean: "2s"), error_rate: 0.05, client_error_rate: 0.05),"#,
    )
    .replace("Constant(0.0)", "Constant(3.0)");
    let r = run_checked(config(&text));
    assert!(r.totals.throttled > 0 && r.totals.errors_4xx > 0 && r.totals.errors_5xx > 0);
    let s = r.serverless.as_ref().expect("serverless result");
    assert!(s.totals.cold_starts > 0);
    // Every admitted request ran on PC or on demand.
    let admitted = r.totals.arrived - r.totals.throttled - r.totals.errors_4xx;
    assert_eq!(s.totals.pc_invocations + s.totals.on_demand_invocations, admitted);
    // Per-period 4XX datapoints hold the throttles and the model's 4XX.
    let period_4xx: u64 = r.points.iter().map(|p| p.variants[0].requests.errors_4xx).sum();
    assert_eq!(period_4xx, r.totals.errors_4xx + r.totals.throttled);
}

#[test]
fn serverless_runs_are_deterministic() {
    let once = || {
        let l = load_bundled("serverless-provisioned-concurrency.ron", &[], None);
        let r = run(l.config);
        (
            report::timeseries_csv(&r),
            serde_json::to_vec(&report::summary(&r)).unwrap(),
        )
    };
    assert_eq!(once(), once());
}

#[test]
fn the_terminal_summary_shows_the_pool_not_instances() {
    let r = run(load_bundled("serverless-provisioned-concurrency.ron", &[], None).config);
    let text = report::terminal_summary(&report::summary(&r));
    assert!(text.contains("serverless  peak "), "{text}");
    assert!(text.contains("capacity  scaling activities "), "{text}");
    assert!(!text.contains("in service min"), "no instances to count: {text}");
}

#[test]
fn the_capacity_plot_shows_provisioned_concurrency() {
    let folder = TempFolder::new("serverless", "plot");
    let scenario = bundled("serverless-provisioned-concurrency.ron");
    let out = folder.join("out");
    assert_success(&fleetsim(&[
        "run",
        &scenario.display().to_string(),
        "--out",
        &out.display().to_string(),
        "--quiet",
        "--set",
        "duration=20m",
    ]));
    let svg = String::from_utf8(folder.read("out/capacity.svg")).unwrap();
    assert_contains(&svg, &["provisioned concurrency", "PC allocated", "desired PC"]);
}
