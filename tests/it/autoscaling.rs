//! Golden timelines of autoscaling decisions: deterministic arrivals and launch times, exact
//! times of alarm transitions and capacity changes (docs/semantics/autoscaling.md §5-§9, §12).

use crate::common::{config, invalid, run_checked};
use fleetsim::model::{Activity, ActivityKind};

/// A one-variant endpoint with `n` instances (4 slots, 10 ms service, 60 s launch) under
/// deterministic arrivals at `rate`, with `extra` appended inside `Scenario(...)`.
fn scenario(duration: &str, n: u32, rate: &str, extra: &str) -> String {
    format!(
        r#"Scenario(
    name: "golden",
    duration: "{duration}",
    endpoint: RealTime(
        variants: [Variant(
            name: "blue",
            instance_type: "ml.c5.xlarge",
            initial_instance_count: {n},
            concurrency: 4,
            model: Model(service_time: Constant("10ms")),
            launch: Launch(provision: Constant("60s"), load: Constant("0s")),
        )],
    ),
    workload: Open(arrivals: Deterministic, rate: {rate}),
    {extra}
)"#
    )
}

/// The activities of a run of `text`, every arrival accounted for.
fn activities(text: &str) -> Vec<Activity> {
    run_checked(config(text)).activities
}

/// `(time in s, reason)` of capacity changes.
fn changes(acts: &[Activity]) -> Vec<(u64, String)> {
    acts.iter()
        .filter(|a| a.kind == ActivityKind::CapacityChange)
        .map(|a| (a.time.0 / 1_000_000, a.reason.clone()))
        .collect()
}

const TT70: &str = r#"autoscaling: [ScalableTarget(
        min_capacity: 1, max_capacity: 1000,
        policies: [TargetTracking(name: "ipi", metric: SageMakerVariantInvocationsPerInstance, target_value: 70.0)],
    )],"#;

const STEP_100_400_100: &str =
    "Steps([Step(at: \"0s\", rps: 100.0), Step(at: \"10m\", rps: 400.0), Step(at: \"30m\", rps: 100.0)])";

#[test]
fn target_tracking_scales_out_after_three_datapoints_and_in_after_fifteen() {
    // 86 instances at 100 rps: 6000 / 86 = 69.8 per instance per minute, just under 70 and
    // above the low threshold 63. At 10:00 the rate steps to 400 rps (279.1 per instance): the
    // datapoints ending 11:00, 12:00, 13:00 breach, so the high alarm fires at 13:00 and
    // desired goes to ceil(86 x 279.07 / 70) = 343. At 30:00 the rate drops back: 15 datapoints
    // below 63 end at 45:00, and desired returns to ceil(343 x 17.49 / 70) = 86.
    let acts = activities(&scenario("1h", 86, STEP_100_400_100, TT70));
    let c = changes(&acts);
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!(c[0].0, 780);
    assert!(
        c[0].1.contains("3 of 3 datapoints > 70") && c[0].1.contains("desired 86 -> 343"),
        "{}",
        c[0].1
    );
    assert_eq!(c[1].0, 2700);
    assert!(
        c[1].1.contains("15 of 15 datapoints < 63") && c[1].1.contains("desired 343 -> 86"),
        "{}",
        c[1].1
    );
    // The new instances come into service one launch time (60 s) after the decision.
    let first_in = acts
        .iter()
        .find(|a| a.kind == ActivityKind::InstanceInService && a.cause == "launch")
        .unwrap();
    assert_eq!(first_in.time.0, 840_000_000);
}

#[test]
fn publication_delay_postpones_the_decision() {
    let extra = format!("{TT70}\n    metrics: Metrics(publication_delay: \"60s\"),");
    let c = changes(&activities(&scenario("1h", 86, STEP_100_400_100, &extra)));
    assert_eq!(c[0].0, 840);
    assert_eq!(c[1].0, 2760);
}

#[test]
fn disable_scale_in_keeps_capacity() {
    let tt = TT70.replace("target_value: 70.0)", "target_value: 70.0, disable_scale_in: true)");
    let c = changes(&activities(&scenario("1h", 86, STEP_100_400_100, &tt)));
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].0, 780);
}

#[test]
fn scheduled_minimum_scales_out_at_eight_on_monday() {
    // Time zero is Monday 2024-01-01 00:00 UTC by default.
    let extra = r#"autoscaling: [ScalableTarget(
        min_capacity: 2, max_capacity: 20,
        scheduled: [ScheduledAction(name: "weekday-floor", schedule: "cron(0 8 ? * MON-FRI *)", min_capacity: Some(6))],
    )],"#;
    let acts = activities(&scenario("9h", 2, "Constant(5.0)", extra));
    let c = changes(&acts);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].0, 8 * 3600);
    assert!(
        c[0].1.contains("MinCapacity 2 -> 6") && c[0].1.contains("desired 2 -> 6"),
        "{}",
        c[0].1
    );
}

#[test]
fn scheduled_action_in_a_time_zone_fires_at_local_time() {
    // 08:00 in Berlin (UTC+1 in January) is 07:00 UTC.
    let extra = r#"autoscaling: [ScalableTarget(
        min_capacity: 2, max_capacity: 20,
        scheduled: [ScheduledAction(name: "floor", schedule: "cron(0 8 * * ? *)", timezone: "Europe/Berlin", min_capacity: Some(4))],
    )],"#;
    let c = changes(&activities(&scenario("9h", 2, "Constant(5.0)", extra)));
    assert_eq!(c.iter().map(|x| x.0).collect::<Vec<_>>(), vec![7 * 3600]);
}

#[test]
fn scale_out_during_scale_in_cooldown_is_immediate() {
    // 20 instances at 100 rps (300 per instance-minute at 20 -> far below target 700 x 0.9):
    // the low alarm fires at 15:00 and desired drops to ceil(20 x 300 / 700) = 9, starting a
    // 600 s scale-in cooldown once the drain completes. At 16:00 traffic triples; three
    // breaching minutes later (19:00), well inside the cooldown, the scale-out happens at once:
    // 18 000 requests a minute over 9 instances is 2000 each, so ceil(9 x 2000 / 700) = 26.
    let tt = r#"autoscaling: [ScalableTarget(
        min_capacity: 1, max_capacity: 100,
        policies: [TargetTracking(name: "ipi", metric: SageMakerVariantInvocationsPerInstance, target_value: 700.0,
                                  scale_in_cooldown: "600s", scale_out_cooldown: "60s")],
    )],"#;
    let rate = "Steps([Step(at: \"0s\", rps: 100.0), Step(at: \"16m\", rps: 300.0)])";
    let c = changes(&activities(&scenario("30m", 20, rate, tt)));
    assert_eq!(c[0].0, 900, "{c:?}");
    assert!(c[0].1.contains("desired 20 -> 9"), "{}", c[0].1);
    assert_eq!(c[1].0, 19 * 60, "{c:?}");
    assert!(c[1].1.contains("desired 9 -> 26"), "{}", c[1].1);
}

#[test]
fn step_policy_on_a_cpu_alarm_scales_by_the_matching_step() {
    // 2 instances x 4 slots, 10 ms: 400 rps keeps 4 of 8 slots busy = 50 % x 4 vCPUs = 200 %.
    // The alarm (> 100 for 2 of 2 one-minute datapoints) fires at 02:00 with breach 100 ->
    // the [80, inf) step adds 4.
    let extra = r#"alarms: [Alarm(name: "cpu-high", metric: CPUUtilization, variant: Some("blue"), statistic: "Average",
                    period: "60s", evaluation_periods: 2, comparison_operator: GreaterThanThreshold, threshold: 100.0)],
    autoscaling: [ScalableTarget(
        min_capacity: 1, max_capacity: 12,
        policies: [StepScaling(name: "cpu-steps", alarm: "cpu-high", adjustment_type: ChangeInCapacity,
            step_adjustments: [
                StepAdjustment(lower: Some(0.0), upper: Some(5.0), adjustment: 1),
                StepAdjustment(lower: Some(5.0), upper: Some(80.0), adjustment: 3),
                StepAdjustment(lower: Some(80.0), adjustment: 4),
            ])],
    )],"#;
    let acts = activities(&scenario("10m", 2, "Constant(400.0)", extra));
    let c = changes(&acts);
    assert_eq!(c[0].0, 120, "{c:?}");
    assert!(c[0].1.contains("desired 2 -> 6"), "{}", c[0].1);
    assert!(acts
        .iter()
        .any(|a| a.kind == ActivityKind::AlarmStateChange && a.cause == "cpu-high" && a.time.0 == 120_000_000));
}

#[test]
fn instance_quota_fails_the_scale_out() {
    let extra = r#"instance_types: [InstanceType(name: "ml.c5.xlarge", endpoint_quota: Some(100))],
    autoscaling: [ScalableTarget(
        min_capacity: 1, max_capacity: 1000,
        policies: [TargetTracking(name: "ipi", metric: SageMakerVariantInvocationsPerInstance, target_value: 70.0)],
    )],"#;
    let acts = activities(&scenario("20m", 86, STEP_100_400_100, extra));
    assert!(changes(&acts).is_empty());
    let failed: Vec<&Activity> = acts.iter().filter(|a| a.kind == ActivityKind::ScalingFailed).collect();
    assert_eq!(failed[0].time.0, 780_000_000);
    assert!(
        failed[0].reason.contains("ResourceLimitExceeded") && failed[0].reason.contains("current utilization of 86"),
        "{}",
        failed[0].reason
    );
}

#[test]
fn a5_quota_fails_a_scale_out_caused_by_a_raised_minimum() {
    // Example A5: quota 1000, 997 in use, the minimum raised from 90 to 110 asks for 20 more:
    // the activity fails with ResourceLimitExceeded and desired stays 90.
    let text = r#"Scenario(
    name: "a5",
    duration: "9h",
    instance_types: [InstanceType(name: "ml.c5.xlarge", endpoint_quota: Some(1000))],
    endpoint: RealTime(variants: [
        Variant(name: "blue", instance_type: "ml.c5.xlarge", initial_instance_count: 90,
                model: Model(service_time: Constant("10ms"))),
        Variant(name: "other", instance_type: "ml.c5.xlarge", initial_instance_count: 907,
                model: Model(service_time: Constant("10ms"))),
    ]),
    workload: Open(rate: Constant(0.0)),
    autoscaling: [ScalableTarget(
        variant: Some("blue"), min_capacity: 2, max_capacity: 200,
        scheduled: [ScheduledAction(name: "floor", schedule: "at(2024-01-01T08:00:00)", min_capacity: Some(110))],
    )],
)"#;
    let acts = activities(text);
    assert!(changes(&acts).is_empty(), "{:?}", changes(&acts));
    let failed: Vec<&Activity> = acts.iter().filter(|a| a.kind == ActivityKind::ScalingFailed).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(
        (failed[0].time.0, failed[0].cause.as_str()),
        (8 * 3_600_000_000, "floor")
    );
    let r = &failed[0].reason;
    assert!(r.contains("MinCapacity 2 -> 110"), "{r}");
    assert!(r.contains("ResourceLimitExceeded"), "{r}");
    assert!(
        r.contains("current utilization of 997 Instances and a request delta of 20 Instances"),
        "{r}"
    );
    assert!(r.contains("desired stays 90"), "{r}");
}

#[test]
fn quota_refuses_an_out_of_band_capacity_update() {
    let text = scenario("2h", 2, "Constant(5.0)", r#"instance_types: [InstanceType(name: "ml.c5.xlarge", endpoint_quota: Some(3))],"#)
        .replace(
            "        )],\n    ),",
            "        )],\n        capacity_updates: [CapacityUpdate(at: \"1h\", variant: \"blue\", desired_instance_count: 5)],\n    ),",
        );
    let acts = activities(&text);
    assert!(changes(&acts).is_empty(), "{:?}", changes(&acts));
    let failed = acts
        .iter()
        .find(|a| a.kind == ActivityKind::ScalingFailed)
        .expect("a failed update");
    assert_eq!(
        (failed.time.0, failed.cause.as_str()),
        (3_600_000_000, "capacity_update")
    );
    assert!(
        failed.reason.contains("request delta of 3 Instances"),
        "{}",
        failed.reason
    );
}

#[test]
fn a_raised_minimum_does_not_undo_a_manual_update() {
    // An out-of-band update to 6 at 01:00; at 08:00 the minimum rises to 4: only the bound
    // moves, the count stays 6 (docs/semantics/autoscaling.md §1.3, G2).
    let extra = r#"autoscaling: [ScalableTarget(
        min_capacity: 2, max_capacity: 20,
        scheduled: [ScheduledAction(name: "floor", schedule: "cron(0 8 * * ? *)", min_capacity: Some(4))],
    )],"#;
    let text = scenario("9h", 2, "Constant(5.0)", extra).replace(
        "        )],\n    ),",
        "        )],\n        capacity_updates: [CapacityUpdate(at: \"1h\", variant: \"blue\", desired_instance_count: 6)],\n    ),",
    );
    let acts = activities(&text);
    let c = changes(&acts);
    assert_eq!(c.iter().map(|x| x.0).collect::<Vec<_>>(), vec![3600], "{c:?}");
    let s = acts.iter().find(|a| a.kind == ActivityKind::ScheduledAction).unwrap();
    assert!(s.reason.contains("desired stays 6"), "{}", s.reason);
}

#[test]
fn invalid_policies_name_the_field() {
    let bad = r#"alarms: [Alarm(name: "a", metric: InvocationsPerInstance, statistic: "Maximum",
                    evaluation_periods: 3, datapoints_to_alarm: Some(4), comparison_operator: GreaterThanThreshold, threshold: 1.0)],
    autoscaling: [ScalableTarget(
        min_capacity: 5, max_capacity: 3,
        policies: [
            TargetTracking(name: "t", metric: SageMakerVariantInvocationsPerInstance, target_value: -1.0, scale_in_cooldown: "1.5s"),
            StepScaling(name: "s", alarm: "nope", adjustment_type: ChangeInCapacity, step_adjustments: []),
        ],
        scheduled: [ScheduledAction(name: "x", schedule: "cron(0 8 * * *)", min_capacity: Some(1))],
    )],"#;
    let err = invalid(&scenario("1h", 2, "Constant(5.0)", bad));
    for needle in [
        "alarms[0].statistic",
        "alarms[0].datapoints_to_alarm: got 4",
        "autoscaling[0].max_capacity: got 3 (min_capacity 5)",
        "autoscaling[0].policies[0].target_value: got -1",
        "autoscaling[0].policies[0].scale_in_cooldown",
        "autoscaling[0].policies[1].alarm: got \"nope\"",
        "autoscaling[0].scheduled[0].schedule",
    ] {
        assert!(err.contains(needle), "lacks `{needle}`:\n{err}");
    }
}

/// Capacity changes as `(time in s, from, to)`.
fn moves(acts: &[Activity]) -> Vec<(u64, u32, u32)> {
    acts.iter()
        .filter_map(|a| a.desired_change().map(|(from, to)| (a.time.0 / 1_000_000, from, to)))
        .collect()
}

const STEP_ENDPOINT: &str = r#"endpoint: RealTime(variants: [Variant(name: "blue", instance_type: "ml.c5.large",
        initial_instance_count: 3, concurrency: 2, model: Model(service_time: Constant("20ms")),
        launch: Launch(provision: Constant("90s"), load: Constant("30s")))]),"#;

#[test]
fn a_scale_out_step_during_its_cooldown_never_removes_capacity() {
    // Regression: +3 at 11:00 (3 -> 6); at 14:00, inside the scale-out cooldown, the +1 step
    // counted from the pre-cooldown 3 asks for 4, which the last scale-out already covers: no
    // action, and certainly not a scale-in to 4.
    let text = format!(
        r#"Scenario(name: "out-cooldown", duration: "20m",
    {STEP_ENDPOINT}
    workload: Open(arrivals: Deterministic, rate: Spike(base: Constant(100.0), start: "10m", duration: "1h", multiplier: 3.6)),
    alarms: [Alarm(name: "cpu-high", metric: CPUUtilization, variant: Some("blue"), evaluation_periods: 1,
        comparison_operator: GreaterThanThreshold, threshold: 100.0)],
    autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 12, policies: [
        StepScaling(name: "out", alarm: "cpu-high", adjustment_type: ChangeInCapacity, cooldown: "300s", step_adjustments: [
            StepAdjustment(lower: Some(0.0), upper: Some(80.0), adjustment: 1), StepAdjustment(lower: Some(80.0), adjustment: 3)])])],
)"#
    );
    let m = moves(&activities(&text));
    assert_eq!(m[0], (660, 3, 6), "{m:?}");
    assert!(m.iter().all(|(_, from, to)| to > from), "{m:?}");
}

#[test]
fn a_scale_in_step_during_a_scale_out_cooldown_applies_to_the_current_count() {
    // Regression: after +3 (3 -> 6) the spike ends; the -1 step of the scale-in policy takes
    // one instance from the current 6, not from the pre-cooldown 3.
    let text = format!(
        r#"Scenario(name: "in-during-out-cooldown", duration: "20m",
    {STEP_ENDPOINT}
    workload: Open(arrivals: Deterministic, rate: Spike(base: Constant(100.0), start: "10m", duration: "3m", multiplier: 3.6)),
    alarms: [Alarm(name: "cpu-high", metric: CPUUtilization, variant: Some("blue"), evaluation_periods: 1, comparison_operator: GreaterThanThreshold, threshold: 100.0),
             Alarm(name: "cpu-low", metric: CPUUtilization, variant: Some("blue"), evaluation_periods: 1, comparison_operator: LessThanThreshold, threshold: 55.0)],
    autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 12, policies: [
        StepScaling(name: "out", alarm: "cpu-high", adjustment_type: ChangeInCapacity, cooldown: "600s", step_adjustments: [StepAdjustment(lower: Some(0.0), adjustment: 3)]),
        StepScaling(name: "in", alarm: "cpu-low", adjustment_type: ChangeInCapacity, cooldown: "60s", step_adjustments: [StepAdjustment(upper: Some(0.0), adjustment: -1)])])],
)"#
    );
    let m = moves(&activities(&text));
    assert_eq!(m[0], (660, 3, 6), "{m:?}");
    assert!(m.len() > 1, "{m:?}");
    assert!(m[1..].iter().all(|(_, from, to)| to + 1 == *from), "{m:?}");
}

/// Six instances serving 108 requests per second (1080 invocations per instance per minute)
/// under target tracking at `target` on `metric`, with new instances booting in
/// `provision` + `load`.
fn basis_scenario(metric: &str, target: f64, provision: &str, load: &str) -> String {
    scenario(
        "8m",
        6,
        "Constant(108.0)",
        &format!(
            r#"autoscaling: [ScalableTarget(
        min_capacity: 1, max_capacity: 1000,
        policies: [TargetTracking(name: "tt", metric: {metric}, target_value: {target})],
    )],"#
        ),
    )
    .replace(
        r#"Launch(provision: Constant("60s"), load: Constant("0s"))"#,
        &format!(r#"Launch(provision: Constant("{provision}"), load: Constant("{load}"))"#),
    )
}

#[test]
fn the_capacity_basis_is_what_carried_the_datapoint_not_the_count_at_its_end() {
    // At 03:00 six instances at 1080 per instance against 600 ask for ceil(6 x 1080 / 600) = 11.
    // The five new ones come into service at 04:00 exactly (the minute's end; 60 s of boot time
    // split several ways, so that the boot phase ending at 04:00 is queued before or after the
    // 04:00 sampling tick) or at 03:30 (mid-minute). The 04:00 datapoint was carried by six
    // instances, or by six then eleven: 6480 invocations a minute still need 11, never the
    // ceil(11 x 1080 / 600) = 20 (or 16 mid-minute) that counting the instances at the
    // datapoint's end gave.
    let first = (
        180,
        "tt: 3 of 3 datapoints > 600 (1080, 1080, 1080); ceil(6 x 1080 / 600) = 11; desired 6 -> 11".to_string(),
    );
    for (provision, load) in [
        ("60s", "0s"),
        ("0s", "60s"),
        ("30s", "30s"),
        ("59s", "1s"),
        ("20s", "10s"),
        ("10s", "20s"),
    ] {
        let acts = activities(&basis_scenario(
            "SageMakerVariantInvocationsPerInstance",
            600.0,
            provision,
            load,
        ));
        assert_eq!(changes(&acts), vec![first.clone()], "boot {provision} + {load}");
    }
}

#[test]
fn a_cpu_datapoint_is_carried_by_the_time_weighted_in_service_count() {
    // 108 rps x 10 ms on six 4-vCPU instances of 4 slots: 18 % CPU (1.08 busy slots of 24,
    // x 400 %). Against a target of 10: ceil(6 x 18 / 10) = 11 at 03:00. The five new instances
    // serve from 03:30: the 04:00 datapoint averages 12.7 % over 8.5 instance-minutes, and
    // 8.5 x 12.7 / 10 still asks for 11 (the count at the end, 11, asked for 14).
    let acts = activities(&basis_scenario(
        r#"Customized(metric: CPUUtilization, statistic: "Average")"#,
        10.0,
        "20s",
        "10s",
    ));
    let c = changes(&acts);
    assert_eq!(c.len(), 1, "{c:?}");
    assert!(c[0].1.ends_with("ceil(6 x 18 / 10) = 11; desired 6 -> 11"), "{c:?}");
}

/// The error of loading a two-instance scenario with `extra` inside `Scenario(...)`.
fn error_with(extra: &str) -> String {
    invalid(&scenario("1h", 2, "Constant(5.0)", extra))
}

/// A target tracking policy with `fields` added to its own.
fn tracking(fields: &str) -> String {
    format!(
        r#"autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 4, policies: [TargetTracking(
            name: "t", metric: SageMakerVariantInvocationsPerInstance, {fields})])],"#
    )
}

#[test]
fn a_bad_low_threshold_ratio_is_reported_on_its_own_field() {
    let e = error_with(&tracking(
        "target_value: 50.0, alarms: ManagedAlarms(low_threshold_ratio: 1.5)",
    ));
    assert!(
        e.contains(
            "autoscaling[0].policies[0].alarms.low_threshold_ratio: got 1.5; allowed: a number strictly between 0 and 1"
        ),
        "{e}"
    );
    assert!(!e.contains("target_value"), "{e}");
    assert_eq!(e.matches("low_threshold_ratio").count(), 1, "reported once: {e}");
}

#[test]
fn a_bad_target_value_is_reported_on_its_own_field() {
    let e = error_with(&tracking("target_value: 0.0"));
    assert!(
        e.contains("autoscaling[0].policies[0].target_value: got 0; allowed: a finite number > 0"),
        "{e}"
    );
}

#[test]
fn zero_managed_alarm_datapoints_are_reported_once_on_their_field() {
    let e = error_with(&tracking(
        "target_value: 50.0, alarms: ManagedAlarms(high_datapoints: 0)",
    ));
    let lines: Vec<&str> = e.lines().filter(|l| l.contains("high_datapoints")).collect();
    assert_eq!(lines.len(), 1, "{e}");
    assert!(
        lines[0].contains("autoscaling[0].policies[0].alarms.high_datapoints: got 0"),
        "{e}"
    );
}

/// An alarm on CPUUtilization with `fields` added to its own.
fn cpu_alarm(fields: &str) -> String {
    format!(
        r#"alarms: [Alarm(name: "a", metric: CPUUtilization, statistic: "Average", comparison_operator: GreaterThanThreshold, {fields})],"#
    )
}

#[test]
fn alarm_rule_errors_name_their_field() {
    let e = error_with(&cpu_alarm(
        "evaluation_periods: 3, datapoints_to_alarm: Some(4), threshold: 50.0",
    ));
    assert!(
        e.contains("alarms[0].datapoints_to_alarm: got 4; allowed: an integer from 1 to evaluation_periods (3)"),
        "{e}"
    );
    assert_eq!(e.matches("datapoints_to_alarm").count(), 1, "reported once: {e}");
    assert!(!e.contains("alarms[0]: got"), "not on the alarm as a whole: {e}");
    let e = error_with(&cpu_alarm("evaluation_periods: 1, threshold: NaN"));
    assert!(
        e.contains("alarms[0].threshold: got NaN; allowed: a finite number"),
        "{e}"
    );
    // No evaluation period: one error, on the field.
    let e = error_with(&cpu_alarm("evaluation_periods: 0, threshold: 50.0"));
    let lines: Vec<&str> = e.lines().filter(|l| l.contains("evaluation_periods")).collect();
    assert_eq!(lines.len(), 1, "{e}");
    assert!(lines[0].contains("alarms[0].evaluation_periods: got 0"), "{e}");
}

#[test]
fn a_misplaced_min_adjustment_magnitude_is_reported_on_its_own_field() {
    let e = error_with(&format!(
        r#"{}
        autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 4, policies: [StepScaling(
            name: "s", alarm: "a", adjustment_type: ChangeInCapacity,
            step_adjustments: [StepAdjustment(lower: Some(0.0), adjustment: 1)],
            min_adjustment_magnitude: Some(2))])],"#,
        cpu_alarm("evaluation_periods: 1, threshold: 50.0")
    ));
    assert!(
        e.contains("autoscaling[0].policies[0].min_adjustment_magnitude: got 2"),
        "{e}"
    );
    assert!(!e.contains("step_adjustments"), "{e}");
}

/// The error of a step policy on a CPU alarm with `steps` as its step adjustments.
fn step_error(steps: &str) -> String {
    error_with(&format!(
        r#"{}
        autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 4, policies: [StepScaling(
            name: "s", alarm: "a", adjustment_type: ChangeInCapacity, step_adjustments: [{steps}])])],"#,
        cpu_alarm("evaluation_periods: 1, threshold: 50.0")
    ))
}

/// The lines of `e` that report a field error.
fn error_lines(e: &str) -> Vec<&str> {
    e.lines().filter(|l| l.trim_start().starts_with("- ")).collect()
}

#[test]
fn a_step_with_its_bounds_reversed_is_reported_on_its_lower_bound() {
    let e = step_error(
        "StepAdjustment(lower: Some(0.0), upper: Some(10.0), adjustment: 1),
         StepAdjustment(lower: Some(10.0), upper: Some(20.0), adjustment: 2),
         StepAdjustment(lower: Some(30.0), upper: Some(20.0), adjustment: 3),
         StepAdjustment(lower: Some(20.0), adjustment: 4)",
    );
    assert_eq!(
        error_lines(&e),
        ["  - autoscaling[0].policies[0].step_adjustments[2].lower: got 30; allowed: a number below this step's upper bound (20)"],
        "{e}"
    );
}

#[test]
fn two_steps_without_an_upper_bound_are_reported_on_the_later_one() {
    let e = step_error(
        "StepAdjustment(lower: Some(0.0), adjustment: 1),
         StepAdjustment(lower: Some(10.0), adjustment: 2)",
    );
    assert_eq!(
        error_lines(&e),
        ["  - autoscaling[0].policies[0].step_adjustments[1].upper: got None; allowed: a number: the step at index 0 has no upper bound already, and at most one step may have none"],
        "{e}"
    );
}

#[test]
fn overlapping_steps_are_reported_on_the_later_bound() {
    let e = step_error(
        "StepAdjustment(lower: Some(0.0), upper: Some(10.0), adjustment: 1),
         StepAdjustment(lower: Some(5.0), adjustment: 2)",
    );
    assert!(
        e.contains(
            "autoscaling[0].policies[0].step_adjustments[1].lower: got 5; allowed: the upper bound of the step at index 0 (10), as consecutive steps meet without gap or overlap; these overlap between 5 and 10"
        ),
        "{e}"
    );
}

#[test]
fn an_empty_step_list_and_an_unbounded_step_name_their_field() {
    let e = step_error("");
    assert!(
        e.contains("autoscaling[0].policies[0].step_adjustments: got []; allowed: at least one step adjustment"),
        "{e}"
    );
    let e = step_error("StepAdjustment(adjustment: 1)");
    assert!(
        e.contains(
            "autoscaling[0].policies[0].step_adjustments[0]: got a step with neither a lower nor an upper bound"
        ),
        "{e}"
    );
    let e = step_error("StepAdjustment(lower: Some(0.0), upper: Some(inf), adjustment: 1)");
    assert!(
        e.contains("autoscaling[0].policies[0].step_adjustments[0].upper: got inf; allowed: a finite number"),
        "{e}"
    );
}
