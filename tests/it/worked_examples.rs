//! Worked examples of docs/semantics/autoscaling.md §13 that need a scenario: registration
//! bounds (A1, A3, A4, A8), per-instance metrics (B3, B4), the high-resolution policy (C13),
//! the cooldown values of the documented examples (E5) and the STAIRS step length (I8). Formula-level rows
//! live next to the code they test (`src/autoscaling/*`: C, D, E, G1, G3, G4, I1-I7); the
//! other timing-level examples live with their feature: `metrics.rs` (A6, B1, B2),
//! `autoscaling.rs` (A5, G2), `async_endpoint.rs` (B5, B6, C12, F3-F5), `serverless.rs` (B7,
//! C11, G2, H1-H4), `inference_components.rs` (F1, F2, E5, I9) and `recommend.rs` (I7, J1-J4).

use crate::common::{config, invalid, load};
use fleetsim::autoscaling::alarm::Statistic;
use fleetsim::engine::{SimDuration, SimTime};
use fleetsim::model::metrics::MetricName;
use fleetsim::model::VariantId;
use fleetsim::sim::observe::Dimension;
use fleetsim::sim::{run, PolicyConfig, SimConfig, World};

/// One variant of `n` × `ml.c5.xlarge` (4 vCPUs) with `slots` slots, constant `service`,
/// 60 s launch, deterministic arrivals at `rate`; `extra` goes inside `Scenario(...)`.
fn scenario(duration: &str, n: u32, slots: u32, service: &str, rate: &str, extra: &str) -> String {
    format!(
        r#"Scenario(
    name: "worked",
    duration: "{duration}",
    endpoint: RealTime(
        variants: [Variant(
            name: "blue",
            instance_type: "ml.c5.xlarge",
            initial_instance_count: {n},
            concurrency: {slots},
            model: Model(service_time: Constant("{service}")),
            launch: Launch(provision: Constant("60s"), load: Constant("0s")),
        )],
    ),
    workload: Open(arrivals: Deterministic, rate: {rate}),
    {extra}
)"#
    )
}

/// Desired counts set by capacity changes, with their times [s].
fn desired_changes(c: SimConfig) -> Vec<(u64, u32)> {
    let r = run(c);
    r.activities
        .iter()
        .filter_map(|a| a.desired_change().map(|(_, to)| (a.time.0 / 1_000_000, to)))
        .collect()
}

const TT_IPI: &str =
    r#"TargetTracking(name: "ipi", metric: SageMakerVariantInvocationsPerInstance, target_value: 70.0)"#;

#[test]
fn a1_capacity_moves_within_one_to_eight() {
    // 2 instances; the load steps to 100 rps (far above 8 instances at 70 per minute) and then
    // stops: desired climbs to the maximum 8 and falls back to the minimum 1, never beyond.
    let extra = format!("autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 8, policies: [{TT_IPI}])],");
    let rate = r#"Steps([Step(at: "0s", rps: 100.0), Step(at: "20m", rps: 0.0)])"#;
    let c = config(&scenario("1h", 2, 4, "10ms", rate, &extra));
    let d = desired_changes(c);
    assert_eq!(d.first().map(|x| x.1), Some(8), "{d:?}");
    assert_eq!(d.last().map(|x| x.1), Some(1), "{d:?}");
    assert!(d.iter().all(|(_, n)| (1..=8).contains(n)), "{d:?}");
}

#[test]
fn a3_min_above_max_is_invalid_a4_cloudformation_target_is_valid() {
    let bad = format!("autoscaling: [ScalableTarget(min_capacity: 5, max_capacity: 3, policies: [{TT_IPI}])],");
    let e = invalid(&scenario("1h", 4, 4, "10ms", "Constant(1.0)", &bad));
    assert!(
        e.contains("autoscaling[0].max_capacity") && e.contains("3 (min_capacity 5)") && e.contains(">= min_capacity"),
        "{e}"
    );
    // A4: min 2, max 10, target 70, scale-in cooldown 600 s, scale-out cooldown 30 s.
    let cfn = r#"autoscaling: [ScalableTarget(min_capacity: 2, max_capacity: 10, policies: [
        TargetTracking(name: "cfn", metric: SageMakerVariantInvocationsPerInstance, target_value: 70.0,
                       scale_in_cooldown: "600s", scale_out_cooldown: "30s")])],"#;
    let c = config(&scenario("1h", 4, 4, "10ms", "Constant(1.0)", cfn));
    let t = &c.targets[0];
    assert_eq!((t.min, t.max), (2, 10));
    let PolicyConfig::TargetTracking { config, .. } = &t.policies[0] else {
        panic!("target tracking expected")
    };
    assert_eq!(
        (
            config.target_value,
            config.scale_in_cooldown_s,
            config.scale_out_cooldown_s
        ),
        (70.0, 600, 30)
    );
}

#[test]
fn a8_burstable_variants_cannot_be_registered() {
    let text = scenario(
        "1h",
        1,
        1,
        "10ms",
        "Constant(1.0)",
        &format!("autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 4, policies: [{TT_IPI}])],"),
    )
    .replace("ml.c5.xlarge", "ml.t2.medium");
    let e = invalid(&text);
    assert!(e.contains("autoscaling[0].variant") && e.contains("burstable"), "{e}");
}

#[test]
fn b3_b4_cpu_utilization_range_and_sample_count() {
    // 5 × 4-vCPU instances, one slot each, always busy (10 s service, 1 rps offered): the
    // variant's CPUUtilization is 400 % (0-100 per core, summed) and its one-minute SampleCount
    // is the number of in-service instances, 5.
    let keep = r#"alarms: [Alarm(name: "keep", metric: CPUUtilization, evaluation_periods: 3, comparison_operator: GreaterThanThreshold, threshold: 1e9)],"#;
    let mut w = World::new(config(&scenario("5m", 5, 1, "10s", "Constant(1.0)", keep)));
    w.run_until(SimTime::from_secs(120));
    let dp = |stat: Statistic| {
        w.datapoint(
            Dimension::Variant(VariantId(0)),
            MetricName::CPUUtilization,
            &stat,
            SimTime::from_secs(120),
            SimDuration::from_secs(60),
        )
    };
    assert_eq!(dp(Statistic::Maximum), Some(400.0));
    assert_eq!(dp(Statistic::Average), Some(400.0));
    assert_eq!(dp(Statistic::SampleCount), Some(5.0));
}

#[test]
fn c13_high_resolution_concurrency_scales_out_at_ten_second_granularity() {
    // 10 instances × 8 slots, 100 ms service: 60 rps keeps 0.6 requests per instance. At
    // 05:00 the rate jumps to 1000 rps (100 in flight > 80 slots) and the queue grows at once,
    // so the 10 s samples ending 05:10, 05:20 and 05:30 breach target 5 and the policy scales
    // out at 330 s (to the maximum 40), where a one-minute metric would need until 08:00.
    // Scale-in still needs 15 one-minute datapoints below 4.5: the 40 instances serve from
    // 06:30, so the first full minute below is [07:00, 08:00) and the earliest scale-in 22:00.
    let extra = r#"autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 40, policies: [
        TargetTracking(name: "conc", metric: SageMakerVariantConcurrentRequestsPerModelHighResolution, target_value: 5.0)])],"#;
    let rate = r#"Steps([Step(at: "0s", rps: 60.0), Step(at: "5m", rps: 1000.0), Step(at: "10m", rps: 60.0)])"#;
    let d = desired_changes(config(&scenario("40m", 10, 8, "100ms", rate, extra)));
    assert_eq!(d[0], (330, 40), "{d:?}");
    assert_eq!(d[1], (1320, 2), "{d:?}");
    assert_eq!(d.len(), 2, "{d:?}");
}

#[test]
fn e5_documented_cooldown_values_are_accepted() {
    // (policy text, expected (scale-in, scale-out) or step cooldown [s])
    let rows = [
        (
            r#"StepScaling(name: "ic-from-zero", alarm: "a", adjustment_type: ChangeInCapacity, metric_aggregation_type: Maximum, cooldown: "60s", step_adjustments: [StepAdjustment(lower: Some(0.0), adjustment: 1)])"#,
            (60, 60),
        ),
        (
            r#"StepScaling(name: "has-backlog", alarm: "a", adjustment_type: ChangeInCapacity, cooldown: "300s", step_adjustments: [StepAdjustment(lower: Some(0.0), adjustment: 1)])"#,
            (300, 300),
        ),
        (
            r#"TargetTracking(name: "pc", metric: SageMakerVariantInvocationsPerInstance, target_value: 0.5, scale_in_cooldown: "1s", scale_out_cooldown: "1s")"#,
            (1, 1),
        ),
        (
            r#"TargetTracking(name: "ic", metric: SageMakerVariantInvocationsPerInstance, target_value: 1.0)"#,
            (300, 300),
        ),
        (
            r#"TargetTracking(name: "cfn", metric: SageMakerVariantInvocationsPerInstance, target_value: 70.0, scale_in_cooldown: "600s", scale_out_cooldown: "30s")"#,
            (600, 30),
        ),
    ];
    let alarm = r#"alarms: [Alarm(name: "a", metric: Invocation5XXErrors, statistic: "Sum", evaluation_periods: 1, comparison_operator: GreaterThanThreshold, threshold: 1.0)],"#;
    for (policy, expected) in rows {
        let extra =
            format!("{alarm}\nautoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 10, policies: [{policy}])],");
        let c = load(&scenario("1h", 1, 1, "10ms", "Constant(1.0)", &extra))
            .unwrap_or_else(|e| panic!("{policy}: {e}"))
            .config;
        let got = match &c.targets[0].policies[0] {
            PolicyConfig::TargetTracking { config, .. } => (config.scale_in_cooldown_s, config.scale_out_cooldown_s),
            PolicyConfig::Step { config, .. } => (config.cooldown_s, config.cooldown_s),
        };
        assert_eq!(got, expected, "{policy}");
    }
}

#[test]
fn i8_stairs_of_600_s_in_5_steps_change_every_120_s() {
    // Deterministic arrivals: each 60 s period holds exactly 60 x the step's rate.
    let c = config(&scenario(
        "600s",
        4,
        4,
        "10ms",
        r#"Stairs(duration: "600s", number_of_steps: 5, rps_per_step: 10.0)"#,
        "",
    ));
    let per_minute: Vec<u64> = run(c).points.iter().map(|p| p.arrivals).collect();
    assert_eq!(per_minute, [600, 600, 1200, 1200, 1800, 1800, 2400, 2400, 3000, 3000]);
    for (rate, want) in [
        (
            r#"Stairs(duration: "600s", number_of_steps: 0, rps_per_step: 10.0)"#,
            "number_of_steps: got 0",
        ),
        (
            r#"Stairs(duration: "0s", number_of_steps: 5, rps_per_step: 10.0)"#,
            "duration: got \"0s\"",
        ),
        (
            r#"Stairs(duration: "600s", number_of_steps: 5, rps_per_step: -1.0)"#,
            "rps_per_step: got -1",
        ),
    ] {
        let e = invalid(&scenario("600s", 4, 4, "10ms", rate, ""));
        assert!(e.contains(want), "{rate}: {e}");
    }
}
