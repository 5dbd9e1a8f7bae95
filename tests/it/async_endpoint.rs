//! Asynchronous endpoints (docs/semantics/autoscaling.md §10 and worked examples B5, B6, C12,
//! F3-F5): the durable queue, time-to-live and processing limits, the backlog metrics, scale to
//! zero and back, and the bundled scale-from-zero scenario's timeline.

use crate::common::{capacity_changes, config_at, first_minute, invalid, load, load_bundled, run_checked};
use fleetsim::autoscaling::alarm::Statistic;
use fleetsim::engine::{SimDuration, SimTime};
use fleetsim::model::metrics::{InstanceCounts, MetricName};
use fleetsim::model::{Activity, ActivityKind};
use fleetsim::sim::observe::Dimension;
use fleetsim::sim::World;

/// An asynchronous endpoint with `n` initial instances (constant `service` time, 3 min launch,
/// 1 min load) and `extra` appended inside `Scenario(...)`. Arrivals are set by the caller.
fn async_scenario(duration: &str, n: u32, service: &str, endpoint_extra: &str, extra: &str) -> String {
    format!(
        r#"Scenario(
    name: "async",
    duration: "{duration}",
    endpoint: Async(
        variants: [Variant(
            name: "model",
            instance_type: "ml.g4dn.xlarge",
            initial_instance_count: {n},
            model: Model(service_time: Constant("{service}")),
            launch: Launch(provision: Constant("3m"), load: Constant("1m")),
        )],
        {endpoint_extra}
    ),
    workload: Open(rate: Constant(0.0)),
    {extra}
)"#
    )
}

fn times_of(acts: &[Activity], kind: ActivityKind) -> Vec<u64> {
    acts.iter()
        .filter(|a| a.kind == kind)
        .map(|a| a.time.0 / 1_000_000)
        .collect()
}

const HAS_BACKLOG_ALARM: &str = r#"alarms: [Alarm(
        name: "HasBacklogWithoutCapacity", metric: HasBacklogWithoutCapacity, statistic: "Average",
        period: "60s", evaluation_periods: 2, datapoints_to_alarm: Some(2),
        comparison_operator: GreaterThanOrEqualToThreshold, threshold: 1.0, treat_missing_data: missing,
    )],"#;

const STEP_FROM_ZERO: &str = r#"StepScaling(
        name: "HasBacklogWithoutCapacity-ScalingPolicy", alarm: "HasBacklogWithoutCapacity",
        adjustment_type: ChangeInCapacity, metric_aggregation_type: Average, cooldown: "300s",
        step_adjustments: [StepAdjustment(lower: Some(0.0), adjustment: 1)],
    )"#;

const TT_BACKLOG: &str =
    r#"TargetTracking(name: "backlog", metric: ApproximateBacklogSizePerInstance, target_value: 5.0)"#;

fn target(policies: &[&str]) -> String {
    format!(
        "autoscaling: [ScalableTarget(min_capacity: 0, max_capacity: 5, policies: [{}])],",
        policies.join(", ")
    )
}

#[test]
fn f3_requests_wait_at_zero_instances_and_are_never_rejected() {
    // No instance and no policy: every request waits and, after the time-to-live, expires.
    let text = async_scenario("10m", 0, "1s", r#"request_ttl: "2m","#, "");
    let r = run_checked(config_at(&text, &[10.0, 20.0, 30.0, 500.0]));
    assert_eq!(r.totals.rejected_no_capacity + r.totals.rejected_backlog_full, 0);
    // Three expire at 130, 140 and 150 s; the last is still queued at 600 s (expiry 620 s).
    assert_eq!(r.totals.timed_out, 3);
    assert_eq!(r.in_flight_at_end, 1);
    let s = fleetsim::report::summary(&r);
    assert_eq!((s.endpoint, s.requests.expired, s.requests.timed_out), ("Async", 3, 0));
}

#[test]
fn scale_from_zero_with_the_backlog_step_policy_takes_two_minutes() {
    // docs/semantics/autoscaling.md §10: HasBacklogWithoutCapacity must average >= 1 for two consecutive minutes. A
    // request at 0 s makes the minutes [0, 60) and [60, 120) breach: desired 0 -> 1 at 120 s;
    // launch 3 min + load 1 min puts the instance in service at 360 s, when the request starts.
    let text = async_scenario(
        "20m",
        0,
        "30s",
        "",
        &format!("{HAS_BACKLOG_ALARM}\n{}", target(&[STEP_FROM_ZERO])),
    );
    let r = run_checked(config_at(&text, &[0.0]));
    let c = capacity_changes(&r.activities);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].0, 120);
    assert_eq!(c[0].1, "HasBacklogWithoutCapacity-ScalingPolicy");
    assert!(c[0].2.contains("desired 0 -> 1"), "{}", c[0].2);
    assert_eq!(times_of(&r.activities, ActivityKind::InstanceInService), vec![360]);
    // Served from 360 s for 30 s: end-to-end 390 s.
    assert_eq!(r.totals.completed, 1);
    assert_eq!(r.totals.latency_sum_us, 390_000_000);
}

#[test]
fn a_request_landing_mid_minute_waits_one_more_period() {
    // At 30 s the minute [0, 60) averages 0.5 (< 1), so the two breaching minutes are
    // [60, 120) and [120, 180): the first instance is requested at 180 s.
    let text = async_scenario(
        "20m",
        0,
        "30s",
        "",
        &format!("{HAS_BACKLOG_ALARM}\n{}", target(&[STEP_FROM_ZERO])),
    );
    let r = run_checked(config_at(&text, &[30.0]));
    let c = capacity_changes(&r.activities);
    assert_eq!(c[0].0, 180, "{c:?}");
}

#[test]
fn f4_target_tracking_alone_leaves_a_short_queue_at_zero() {
    // 3 queued < target 5: the high alarm never fires and nothing scales out.
    let text = async_scenario("30m", 0, "30s", "", &target(&[TT_BACKLOG]));
    let r = run_checked(config_at(&text, &[0.0, 1.0, 2.0]));
    assert!(
        capacity_changes(&r.activities).is_empty(),
        "{:?}",
        capacity_changes(&r.activities)
    );
    assert_eq!(r.totals.completed, 0);
    assert_eq!(r.in_flight_at_end, 3);
    // With the step policy the same queue gets an instance after two minutes.
    let text = async_scenario(
        "30m",
        0,
        "30s",
        "",
        &format!("{HAS_BACKLOG_ALARM}\n{}", target(&[TT_BACKLOG, STEP_FROM_ZERO])),
    );
    let r = run_checked(config_at(&text, &[0.0, 1.0, 2.0]));
    let c = capacity_changes(&r.activities);
    assert_eq!(
        (c[0].0, c[0].1.as_str()),
        (120, "HasBacklogWithoutCapacity-ScalingPolicy")
    );
    assert_eq!(r.totals.completed, 3);
}

#[test]
fn f5_target_tracking_scales_from_zero_once_the_backlog_exceeds_the_target() {
    // 6 queued at zero instances, target 5: three breaching minutes (6 / max(0, 1) = 6 > 5),
    // then max(1, ceil(6 / 5)) = 2 at 180 s.
    let text = async_scenario("30m", 0, "30s", "", &target(&[TT_BACKLOG]));
    let r = run_checked(config_at(&text, &[0.0, 0.5, 1.0, 1.5, 2.0, 2.5]));
    let c = capacity_changes(&r.activities);
    assert_eq!(c[0].0, 180, "{c:?}");
    assert!(c[0].2.contains("from zero: max(1, ceil(6 / 5)) = 2"), "{}", c[0].2);
    assert!(c[0].2.contains("desired 0 -> 2"), "{}", c[0].2);
    assert_eq!(r.totals.completed, 6);
}

#[test]
fn c12_backlog_per_instance_scale_out_is_clamped_to_max() {
    // 2 instances, 30 queued (15 per instance), target 5: ceil(2 x 15 / 5) = 6 -> clamped to 5.
    // Service 1 h keeps every request (2 processing + 28 waiting) in the queue.
    let text = async_scenario("10m", 2, "1h", r#"invocation_timeout: "1h","#, &target(&[TT_BACKLOG]));
    let at: Vec<f64> = (0..30).map(|i| f64::from(i) * 0.1).collect();
    let r = run_checked(config_at(&text, &at));
    let c = capacity_changes(&r.activities);
    assert_eq!(c[0].0, 180, "{c:?}");
    assert!(c[0].2.contains("ceil(2 x 15 / 5) = 6"), "{}", c[0].2);
    assert!(c[0].2.contains("clamped to 5"), "{}", c[0].2);
}

#[test]
fn b5_b6_backlog_metrics_and_age_of_oldest() {
    // 30 requests at 0-2.9 s on 2 instances with 2 slots each (MaxConcurrentInvocationsPerInstance
    // overrides the variant's concurrency 1), service 1 h: 4 processing + 26 waiting.
    let text = async_scenario(
        "3m",
        2,
        "1h",
        r#"max_concurrent_invocations_per_instance: Some(2), invocation_timeout: "1h","#,
        // Any alarm makes the run keep metric history for `World::datapoint`.
        r#"alarms: [Alarm(name: "keep", metric: ApproximateBacklogSize, evaluation_periods: 3, comparison_operator: GreaterThanThreshold, threshold: 1e9)],"#,
    );
    let at: Vec<f64> = (0..30).map(|i| f64::from(i) * 0.1).collect();
    let mut w = World::new(config_at(&text, &at));
    w.run_until(SimTime::from_secs(60));
    let dp = |name, stat: Statistic| first_minute(&w, Dimension::Endpoint, name, stat);
    // B6: the queue holds the processing and the waiting requests: 30 / 2 instances = 15.
    assert_eq!(dp(MetricName::ApproximateBacklogSize, Statistic::Average), Some(30.0));
    assert_eq!(
        dp(MetricName::ApproximateBacklogSizePerInstance, Statistic::Average),
        Some(15.0)
    );
    // B5: instances present -> 0.
    assert_eq!(dp(MetricName::HasBacklogWithoutCapacity, Statistic::Maximum), Some(0.0));
    // The oldest waiting request arrived at 0.4 s (the first four are processing); sampled at
    // 10, 20, ..., 60 s its age is 9.6 ... 59.6 s.
    assert_eq!(
        dp(MetricName::ApproximateAgeOfOldestRequest, Statistic::Minimum),
        Some(9.6)
    );
    assert_eq!(
        dp(MetricName::ApproximateAgeOfOldestRequest, Statistic::Maximum),
        Some(59.6)
    );
}

#[test]
fn b5_has_backlog_without_capacity_is_one_only_with_a_queue_and_no_instance() {
    let text = async_scenario(
        "3m",
        0,
        "1s",
        "",
        r#"alarms: [Alarm(name: "keep", metric: ApproximateBacklogSize, evaluation_periods: 3, comparison_operator: GreaterThanThreshold, threshold: 1e9)],"#,
    );
    let mut w = World::new(config_at(&text, &[65.0]));
    w.run_until(SimTime::from_secs(120));
    let dp = |end: u64| {
        w.datapoint(
            Dimension::Endpoint,
            MetricName::HasBacklogWithoutCapacity,
            &Statistic::Average,
            SimTime::from_secs(end),
            SimDuration::from_secs(60),
        )
    };
    // Empty queue in the first minute; the request at 65 s is sampled at 70, ..., 120 s.
    assert_eq!(dp(60), Some(0.0));
    assert_eq!(dp(120), Some(1.0));
}

#[test]
fn processing_past_the_invocation_timeout_fails() {
    // Service 2 min against a 1 min limit: the request fails at 60 s of processing, and its
    // slot is free for the next one.
    let text = async_scenario("10m", 1, "2m", r#"invocation_timeout: "1m","#, "");
    let r = run_checked(config_at(&text, &[0.0, 1.0]));
    assert_eq!(r.totals.errors_5xx, 2);
    assert_eq!(r.totals.completed, 0);
    // The second request waited for the first one's slot until 60 s, then failed at 120 s.
    let p = &r.points[1].variants[0];
    assert_eq!(p.requests.errors_5xx, 1);
    assert_eq!(p.model_latency.max, Some(60e6));
}

#[test]
fn scale_in_to_zero_after_the_queue_drains() {
    // One instance, one request; the low alarm (15 datapoints below 4.5) then asks for
    // ceil(1 x 0 / 5) = 0 and the endpoint goes to zero instances (MinCapacity 0).
    let text = async_scenario("30m", 1, "10s", "", &target(&[TT_BACKLOG]));
    let r = run_checked(config_at(&text, &[0.0]));
    let c = capacity_changes(&r.activities);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].0, 900);
    assert!(c[0].2.contains("desired 1 -> 0"), "{}", c[0].2);
    assert_eq!(
        r.points.last().unwrap().variants[0].instances,
        InstanceCounts::default()
    );
}

#[test]
fn bundled_scenario_reproduces_the_spec_timeline() {
    let loaded = load_bundled("async-scale-from-zero.ron", &[], None);
    let r = run_checked(loaded.config);
    let c = capacity_changes(&r.activities);
    let summary: Vec<(u64, &str)> = c.iter().map(|(t, cause, _)| (*t, cause.as_str())).collect();
    assert_eq!(
        summary,
        vec![
            (120, "HasBacklogWithoutCapacity-ScalingPolicy"),
            (900, "backlog-per-instance"),
            (2520, "HasBacklogWithoutCapacity-ScalingPolicy"),
            (2760, "backlog-per-instance"),
            (3900, "backlog-per-instance"),
        ]
    );
    assert!(c[0].2.contains("desired 0 -> 1"));
    assert!(c[1].2.contains("desired 1 -> 0"));
    // 40 queued at one instance: ceil(1 x 40 / 5) = 8, clamped to MaxCapacity 5.
    assert!(c[3].2.contains("ceil(1 x 40 / 5) = 8") && c[3].2.contains("clamped to 5"));
    assert!(c[4].2.contains("desired 5 -> 0"));
    assert_eq!(
        times_of(&r.activities, ActivityKind::InstanceInService),
        vec![360, 2760, 3000, 3000, 3000, 3000]
    );
    assert_eq!((r.totals.completed, r.totals.timed_out, r.in_flight_at_end), (41, 0, 0));
}

#[test]
fn validation_of_asynchronous_endpoints() {
    // A2: MinCapacity 0 is valid on an asynchronous endpoint, not on a real-time one.
    assert!(load(&async_scenario("1h", 0, "1s", "", &target(&[TT_BACKLOG]))).is_ok());
    let realtime = async_scenario("1h", 1, "1s", "", &target(&[TT_BACKLOG])).replace("Async(", "RealTime(");
    let e = invalid(&realtime);
    assert!(
        e.contains("autoscaling[0].min_capacity") && e.contains("0 only on an asynchronous endpoint"),
        "{e}"
    );
    let e = invalid(&async_scenario("1h", 0, "1s", "", "").replace("Async(", "RealTime("));
    assert!(e.contains("initial_instance_count"), "{e}");
    // Metrics an asynchronous endpoint does not publish (docs/semantics/autoscaling.md §3.5).
    let ipi = r#"TargetTracking(name: "ipi", metric: SageMakerVariantInvocationsPerInstance, target_value: 70.0)"#;
    let e = invalid(&async_scenario("1h", 1, "1s", "", &target(&[ipi])));
    assert!(
        e.contains("policies[0].metric") && e.contains("InvocationsPerInstance"),
        "{e}"
    );
    // Limits of the queue settings.
    for (extra, path) in [
        (r#"request_ttl: "7h","#, "endpoint.request_ttl"),
        (r#"request_ttl: "30s","#, "endpoint.request_ttl"),
        (r#"invocation_timeout: "2h","#, "endpoint.invocation_timeout"),
        (
            "max_concurrent_invocations_per_instance: Some(0),",
            "endpoint.max_concurrent_invocations_per_instance",
        ),
    ] {
        let e = invalid(&async_scenario("1h", 1, "1s", extra, ""));
        assert!(e.contains(path), "{extra}: {e}");
    }
    // The bounded backlog belongs to real-time endpoints only.
    let e = invalid(&async_scenario("1h", 1, "1s", "backlog: Backlog(capacity: 10),", ""));
    assert!(e.contains("backlog"), "{e}");
}
