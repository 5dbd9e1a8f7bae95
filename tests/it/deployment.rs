//! Deployments: the worked examples of docs/semantics/rollouts.md §8 as golden timelines (exact
//! times of provisioning, shifts, bakes, terminations and rollbacks), validation rules, and
//! behaviour under load (blast radius, autoscaling blocked while `Updating`).
//!
//! Inputs as in those examples unless a test says otherwise: N = G = 10 instances, every set of
//! instances launched together takes P = 300 s to provision (load 0 s), shifts and
//! terminations are instantaneous, warm start, deterministic arrivals.

use crate::common::{config, invalid, load_bundled, loaded, run_checked};
use fleetsim::model::{Activity, ActivityKind, Change};
use fleetsim::sim::{run, RunResult};

/// Inputs of one deployment scenario.
struct Case<'a> {
    n: u32,
    /// The `UpdateEndpoint` call [s].
    call_s: u64,
    duration: &'a str,
    rps: f64,
    /// The new version's model.
    green: &'a str,
    blue: &'a str,
    policy: &'a str,
    /// Extra fields of the `Deployment(...)`.
    deployment: &'a str,
    /// Extra fields of the `Scenario(...)` (alarms, autoscaling, instance types).
    extra: &'a str,
}

impl Default for Case<'_> {
    fn default() -> Self {
        Case {
            n: 10,
            call_s: 600,
            duration: "2h",
            rps: 100.0,
            green: r#"Model(label: "v2", service_time: Constant("10ms"))"#,
            blue: r#"Model(service_time: Constant("10ms"))"#,
            policy: "",
            deployment: "",
            extra: "",
        }
    }
}

impl Case<'_> {
    fn text(&self) -> String {
        format!(
            r#"Scenario(
    name: "deploy",
    duration: "{duration}",
    endpoint: RealTime(
        variants: [Variant(
            name: "AllTraffic",
            instance_type: "ml.c5.xlarge",
            initial_instance_count: {n},
            concurrency: 4,
            model: {blue},
            launch: Launch(provision: Constant("300s"), load: Constant("0s")),
        )],
    ),
    workload: Open(arrivals: Deterministic, rate: Constant({rps})),
    {extra}
    deployments: [Deployment(
        at: "{call}s",
        endpoint_config_name: "v2",
        model: {green},
        policy: {policy},
        {deployment}
    )],
)"#,
            duration = self.duration,
            n = self.n,
            blue = self.blue,
            rps = self.rps,
            extra = self.extra,
            call = self.call_s,
            green = self.green,
            policy = self.policy,
            deployment = self.deployment,
        )
    }

    /// A run of the scenario, every arrival accounted for.
    fn run(&self) -> RunResult {
        run_checked(config(&self.text()))
    }

    /// The validation error of the scenario, which must be invalid.
    fn error(&self) -> String {
        invalid(&self.text())
    }

    fn warnings(&self) -> Vec<String> {
        loaded(&self.text()).warnings
    }
}

/// Deployment rows as `(seconds after the call, kind, reason)`.
fn timeline(r: &RunResult, call_s: u64) -> Vec<(i64, &'static str, String)> {
    r.activities
        .iter()
        .filter(|a| {
            matches!(
                a.kind,
                ActivityKind::DeploymentStart
                    | ActivityKind::DeploymentStage
                    | ActivityKind::DeploymentRollback
                    | ActivityKind::DeploymentEnd
            )
        })
        .map(|a| {
            (
                a.time.0 as i64 / 1_000_000 - call_s as i64,
                a.kind.name(),
                a.reason.clone(),
            )
        })
        .collect()
}

/// Times [s after the call] of rows whose reason contains `needle`.
fn times(r: &RunResult, call_s: u64, needle: &str) -> Vec<i64> {
    timeline(r, call_s)
        .into_iter()
        .filter(|(_, _, reason)| reason.contains(needle))
        .map(|(t, _, _)| t)
        .collect()
}

fn end(r: &RunResult, call_s: u64) -> (i64, String) {
    let d = r.deployments.last().expect("a deployment");
    (
        (d.finished.expect("finished").0 / 1_000_000) as i64 - call_s as i64,
        d.outcome.name().to_string(),
    )
}

fn dump(r: &RunResult, call_s: u64) -> String {
    timeline(r, call_s)
        .iter()
        .map(|(t, k, s)| format!("{t:>6} {k:<18} {s}"))
        .collect::<Vec<_>>()
        .join("\n")
}

const CANARY_SEED: &str = r#"BlueGreen(
        traffic_routing: Canary(canary_size: CapacityPercent(30.0)),
        wait_interval: Some("600s"),
        termination_wait: "600s",
        maximum_execution_timeout: Some("1800s"),
    )"#;

const LINEAR_SEED: &str = r#"BlueGreen(
        traffic_routing: Linear(linear_step_size: CapacityPercent(20.0)),
        wait_interval: Some("300s"),
        termination_wait: "300s",
        maximum_execution_timeout: Some("3600s"),
    )"#;

fn rolling(batch: &str, timeout: &str, rollback: &str) -> String {
    format!(
        r#"Rolling(
        maximum_batch_size: {batch},
        wait_interval: "300s",
        maximum_execution_timeout: Some("{timeout}"),
        rollback_maximum_batch_size: {rollback},
    )"#
    )
}

#[test]
fn r1_all_at_once_with_termination_wait() {
    let case = Case {
        policy: r#"BlueGreen(traffic_routing: AllAtOnce, termination_wait: "600s", maximum_execution_timeout: Some("1800s"))"#,
        ..Case::default()
    };
    let r = case.run();
    let t = |n| times(&r, 600, n);
    assert_eq!(t("provisioning 10 green"), vec![0], "{}", dump(&r, 600));
    assert_eq!(
        t("all at once: 10 of 10 green instances active, 0 of 10 blue"),
        vec![300]
    );
    assert_eq!(t("termination wait 600 s before"), vec![300]);
    assert_eq!(t("terminating 10 blue"), vec![900]);
    assert_eq!(end(&r, 600), (900, "Succeeded".into()));
    let d = &r.deployments[0];
    assert_eq!(d.peak_instances, 20);
    // R13: no bake, so the seed rule bills one fleet: 10 x 900 s.
    assert!((d.billing_rule_instance_hours.unwrap() - 2.5).abs() < 1e-9);
    // Green carried all traffic from 300 s: 100 rps x (900 - 300) s.
    assert_eq!(d.requests_served_by_new_version, 60_000);
    // Extra capacity: 10 green instances for 900 s = 2.5 instance-hours.
    assert!(
        (d.extra_instance_hours - 2.5).abs() < 1e-6,
        "{}",
        d.extra_instance_hours
    );
}

#[test]
fn r2_canary_times_out_at_the_deadline_and_rolls_back() {
    let case = Case {
        policy: CANARY_SEED,
        ..Case::default()
    };
    let r = case.run();
    let t = |n| times(&r, 600, n);
    assert_eq!(
        t("canary: 3 of 10 green instances active, 7 of 10 blue; 30 % of traffic"),
        vec![300],
        "{}",
        dump(&r, 600)
    );
    assert_eq!(t("full shift: 10 of 10 green instances active"), vec![900]);
    assert_eq!(t("termination wait 600 s before"), vec![1500]);
    assert_eq!(t("MaximumExecutionTimeoutInSeconds 1800 s reached"), vec![1800, 1800]);
    assert_eq!(end(&r, 600), (1800, "TimedOut".into()));
    assert_eq!(
        r.deployments[0].rollback_trigger.as_deref(),
        Some("MaximumExecutionTimeoutInSeconds 1800 s reached at 00:40:00")
    );
    // Rolled back: blue serves everything again, green is gone.
    assert!(t("endpoint InService on config-1 (10 instances)")[0] == 1800);
}

#[test]
fn r2_canary_with_first_shift_clock_ties_the_deadline_with_blue_termination() {
    let case = Case {
        policy: CANARY_SEED,
        deployment: "guardrails: Guardrails(timeout_clock_start: FirstShift),",
        ..Case::default()
    };
    let r = case.run();
    // Deadline 300 + 1800 = 2100, the instant the termination wait ends: the deadline wins.
    assert_eq!(end(&r, 600), (2100, "TimedOut".into()), "{}", dump(&r, 600));
    assert!(times(&r, 600, "terminating 10 blue").is_empty());
}

#[test]
fn r2_canary_without_final_bake_finishes_before_the_deadline() {
    let case = Case {
        policy: r#"BlueGreen(
        traffic_routing: Canary(canary_size: CapacityPercent(30.0)),
        wait_interval: Some("600s"),
        final_bake: Some("0s"),
        termination_wait: "600s",
        maximum_execution_timeout: Some("1800s"),
    )"#,
        ..Case::default()
    };
    let r = case.run();
    assert_eq!(end(&r, 600), (1500, "Succeeded".into()), "{}", dump(&r, 600));
}

#[test]
fn r3_canary_size_is_at_most_half_of_green() {
    let canary = |size: &str, g: u32| Case {
        n: 4,
        policy: Box::leak(
            format!(r#"BlueGreen(traffic_routing: Canary(canary_size: {size}), wait_interval: Some("60s"))"#)
                .into_boxed_str(),
        ),
        deployment: Box::leak(format!("initial_instance_count: Some({g}),").into_boxed_str()),
        ..Case::default()
    };
    // 50 % of 10 is valid (5 instances); 60 % is not.
    canary("CapacityPercent(50.0)", 10).run();
    let e = canary("CapacityPercent(60.0)", 10).error();
    assert!(
        e.contains("deployments[0].policy.BlueGreen.traffic_routing.Canary.canary_size"),
        "{e}"
    );
    assert!(e.contains("at most 50 % of the green fleet (rule 4)"), "{e}");
    // INSTANCE_COUNT 2 of 4 = 50 % valid; 3 of 4 = 75 % rejected.
    canary("InstanceCount(2)", 4).run();
    let e = canary("InstanceCount(3)", 4).error();
    assert!(e.contains("INSTANCE_COUNT 3 of the green fleet = 4 (75 %)"), "{e}");
}

#[test]
fn r4_linear_shifts_every_bake_and_finishes_after_the_termination_wait() {
    let case = Case {
        policy: LINEAR_SEED,
        ..Case::default()
    };
    let r = case.run();
    let rows = timeline(&r, 600);
    let shifts: Vec<(i64, String)> = rows
        .iter()
        .filter(|(_, _, s)| s.starts_with("linear step"))
        .map(|(t, _, s)| (*t, s.split(';').next().unwrap().to_string()))
        .collect();
    assert_eq!(
        shifts,
        vec![
            (
                300,
                "linear step 1: 2 of 10 green instances active, 8 of 10 blue".to_string()
            ),
            (
                600,
                "linear step 2: 4 of 10 green instances active, 6 of 10 blue".to_string()
            ),
            (
                900,
                "linear step 3: 6 of 10 green instances active, 4 of 10 blue".to_string()
            ),
            (
                1200,
                "linear step 4: 8 of 10 green instances active, 2 of 10 blue".to_string()
            ),
            (
                1500,
                "linear step 5: 10 of 10 green instances active, 0 of 10 blue".to_string()
            ),
        ],
        "{}",
        dump(&r, 600)
    );
    assert_eq!(times(&r, 600, "termination wait 300 s before"), vec![1800]);
    assert_eq!(end(&r, 600), (2100, "Succeeded".into()));
    // R13: baking in stages: both fleets billed for the update, 2 x 10 x 2100 s.
    let d = &r.deployments[0];
    assert!((d.billing_rule_instance_hours.unwrap() - 42_000.0 / 3600.0).abs() < 1e-9);
    // Blue stays alive throughout: 20 instances until blue terminates.
    assert_eq!(d.peak_instances, 20);
    // Traffic to green: 100 rps x 300 s x (0.2 + 0.4 + 0.6 + 0.8) + 100 rps x 600 s x 1.0,
    // within a few standard deviations of the random fleet split.
    let expect = 100.0 * 300.0 * 2.0 + 100.0 * 600.0;
    let got = d.requests_served_by_new_version as f64;
    assert!((got - expect).abs() < 600.0, "{got} vs {expect}");
}

#[test]
fn r5_linear_step_sizes_in_instances_and_the_ten_to_fifty_percent_rule() {
    let linear = |size: &'static str| Case {
        policy: Box::leak(
            format!(r#"BlueGreen(traffic_routing: Linear(linear_step_size: {size}), wait_interval: Some("300s"))"#)
                .into_boxed_str(),
        ),
        ..Case::default()
    };
    let r = linear("InstanceCount(3)").run();
    let shares: Vec<String> = timeline(&r, 600)
        .iter()
        .filter(|(_, _, s)| s.starts_with("linear step"))
        .map(|(_, _, s)| s.split("; ").nth(1).unwrap().to_string())
        .collect();
    assert_eq!(
        shares,
        vec![
            "30 % of traffic to green",
            "60 % of traffic to green",
            "90 % of traffic to green",
            "100 % of traffic to green"
        ]
    );
    assert!(linear("CapacityPercent(5.0)")
        .error()
        .contains("10 % to 50 % of the green fleet (rule 5)"));
    assert!(linear("CapacityPercent(55.0)")
        .error()
        .contains("10 % to 50 % of the green fleet (rule 5)"));
    let r = linear("CapacityPercent(10.0)").run();
    assert_eq!(times(&r, 600, "linear step 10:").len(), 1);
}

/// Green answers every request with a 5XX; an alarm on the variant's 5XX average over
/// `period`-second periods trips once more than half of the traffic goes to green.
fn green_fails_alarm(period: u32, periods: u32) -> String {
    format!(
        r#"alarms: [Alarm(name: "variant-5xx", metric: Invocation5XXErrors, variant: Some("AllTraffic"),
        statistic: "Average", period: "{period}s", evaluation_periods: {periods},
        comparison_operator: GreaterThanThreshold, threshold: 0.5, treat_missing_data: notBreaching)],"#
    )
}

const FAILING_GREEN: &str = r#"Model(label: "v2", service_time: Constant("10ms"), error_rate: 1.0)"#;

#[test]
fn r6_linear_rollback_returns_all_traffic_to_blue_at_the_trip() {
    let alarm = green_fails_alarm(100, 1);
    let case = Case {
        policy: LINEAR_SEED,
        green: FAILING_GREEN,
        extra: &alarm,
        deployment: r#"auto_rollback_alarms: ["variant-5xx"],"#,
        ..Case::default()
    };
    let r = case.run();
    // Step 3 (60 %) starts at 900; the period [900, 1000) is the first above 0.5.
    assert_eq!(
        times(
            &r,
            600,
            "alarm variant-5xx in ALARM at 00:26:40: rollback, 100 % of traffic back to blue"
        ),
        vec![1000],
        "{}",
        dump(&r, 600)
    );
    assert_eq!(end(&r, 600), (1000, "RolledBack".into()));
    assert!(times(&r, 600, "termination wait 300 s before").is_empty());
    // Green carried 20 % for 300 s, 40 % for 300 s and 60 % for 100 s.
    let expect = 100.0 * (300.0 * 0.2 + 300.0 * 0.4 + 100.0 * 0.6);
    let got = r.deployments[0].requests_served_by_new_version as f64;
    assert!((got - expect).abs() < 500.0, "{got} vs {expect}");
    // After the rollback only blue serves: no 5XX in the last period.
    let last = r.points.last().unwrap();
    assert_eq!(last.variants[0].requests.errors_5xx, 0);
}

fn latency_alarm(config: bool) -> String {
    format!(
        r#"alarms: [Alarm(name: "latency", metric: ModelLatency, variant: Some("AllTraffic"), {}
        statistic: "Average", period: "300s", evaluation_periods: 2,
        comparison_operator: GreaterThanThreshold, threshold: 100000.0, treat_missing_data: notBreaching)],"#,
        if config { r#"endpoint_config: Some("v2"),"# } else { "" }
    )
}

#[test]
fn r7_new_fleet_latency_alarm_rolls_back_when_the_canary_bake_ends() {
    let alarm = latency_alarm(true);
    let case = Case {
        call_s: 0,
        policy: CANARY_SEED,
        blue: r#"Model(service_time: Constant("50ms"))"#,
        green: r#"Model(label: "v2", service_time: Constant("150ms"))"#,
        extra: &alarm,
        deployment: r#"auto_rollback_alarms: ["latency"],"#,
        ..Case::default()
    };
    let r = case.run();
    let alarm_rows: Vec<(u64, String)> = r
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::AlarmStateChange)
        .map(|a: &Activity| match a.change {
            Change::AlarmState { from, to, .. } => (a.time.0 / 1_000_000, format!("{from} -> {to}")),
            _ => panic!("an alarm row without its states: {a:?}"),
        })
        .collect();
    // [0,300) missing (green not serving), [300,600) = 150 ms: 1 of 2 at 600 -> OK; ALARM at 900.
    assert_eq!(
        alarm_rows[0],
        (300, "INSUFFICIENT_DATA -> OK".to_string()),
        "{alarm_rows:?}"
    );
    assert!(alarm_rows.contains(&(900, "OK -> ALARM".to_string())), "{alarm_rows:?}");
    // The canary bake also ends at 900: alarms are processed first.
    assert_eq!(end(&r, 0), (900, "RolledBack".into()), "{}", dump(&r, 0));
    assert!(times(&r, 0, "full shift").is_empty());
}

#[test]
fn r7_variant_level_latency_alarm_trips_only_in_the_final_bake() {
    let alarm = latency_alarm(false);
    let case = Case {
        call_s: 0,
        policy: CANARY_SEED,
        blue: r#"Model(service_time: Constant("50ms"))"#,
        green: r#"Model(label: "v2", service_time: Constant("150ms"))"#,
        extra: &alarm,
        // No deadline here: the point is the alarm window.
        deployment: r#"auto_rollback_alarms: ["latency"],"#,
        ..Case::default()
    };
    let text = case.text().replace("maximum_execution_timeout: Some(\"1800s\"),", "");
    let loaded = loaded(&text);
    let r = run(loaded.config);
    // During the canary the blended average is 0.3 x 150 + 0.7 x 50 = 80 ms; after the full
    // shift at 900 both periods [900,1200) and [1200,1500) are 150 ms: ALARM at 1500, the end
    // of the final bake, and the alarm wins the tie.
    assert_eq!(times(&r, 0, "full shift"), vec![900], "{}", dump(&r, 0));
    assert_eq!(end(&r, 0), (1500, "RolledBack".into()), "{}", dump(&r, 0));
}

#[test]
fn r8_average_of_an_error_metric_above_one_warns() {
    let case = Case {
        policy: r#"BlueGreen(traffic_routing: AllAtOnce)"#,
        extra: r#"alarms: [Alarm(name: "EndToEndDeploymentHighErrorRateAlarm", metric: Invocation4XXErrors,
            variant: Some("AllTraffic"), statistic: "Average", period: "600s", evaluation_periods: 2,
            comparison_operator: GreaterThanThreshold, threshold: 1.0, treat_missing_data: notBreaching)],"#,
        deployment: r#"auto_rollback_alarms: ["EndToEndDeploymentHighErrorRateAlarm"],"#,
        ..Case::default()
    };
    let w = case.warnings();
    assert!(w.iter().any(|w| w.contains("can never enter ALARM")), "{w:?}");
}

#[test]
fn r9_rolling_replaces_batches_and_peaks_at_n_plus_b() {
    let policy = rolling("CapacityPercent(20.0)", "3600s", "None");
    let case = Case {
        policy: &policy,
        duration: "3h",
        ..Case::default()
    };
    let r = case.run();
    assert_eq!(
        times(&r, 600, "terminating 2 old instance(s)"),
        vec![600, 1200, 1800, 2400, 3000],
        "{}",
        dump(&r, 600)
    );
    assert_eq!(end(&r, 600), (3000, "Succeeded".into()));
    assert_eq!(r.deployments[0].peak_instances, 12);
    assert_eq!(r.deployments[0].billing_rule_instance_hours, None);
    // 5 %: one instance per batch, ten batches; 50 %: two batches.
    let five = rolling("CapacityPercent(5.0)", "28800s", "None");
    let r = Case {
        policy: &five,
        duration: "3h",
        ..Case::default()
    }
    .run();
    assert_eq!(end(&r, 600), (6000, "Succeeded".into()));
    let half = rolling("CapacityPercent(50.0)", "3600s", "None");
    let r = Case {
        policy: &half,
        ..Case::default()
    }
    .run();
    assert_eq!(end(&r, 600), (1200, "Succeeded".into()));
}

#[test]
fn r9_rolling_timeout_wins_the_tie_with_the_bake_of_batch_four() {
    let policy = rolling("CapacityPercent(20.0)", "2400s", "None");
    let r = Case {
        policy: &policy,
        ..Case::default()
    }
    .run();
    assert_eq!(
        times(&r, 600, "MaximumExecutionTimeoutInSeconds 2400 s reached")[0],
        2400,
        "{}",
        dump(&r, 600)
    );
    assert!(times(&r, 600, "terminating").iter().all(|t| *t < 2400));
    // Rollback: the 2 deactivated old instances of batch 4 come back at once; the 6
    // terminated ones are provisioned again (300 s), then the new ones leave.
    assert_eq!(end(&r, 600), (2700, "TimedOut".into()), "{}", dump(&r, 600));
}

#[test]
fn r9_rolling_validation() {
    let check = |batch: &str, timeout: &str| {
        let policy = rolling(batch, timeout, "None");
        Case {
            policy: &policy,
            ..Case::default()
        }
        .error()
    };
    assert!(check("CapacityPercent(4.0)", "3600s").contains("5 % to 50 % of the fleet (rule 6)"));
    assert!(check("CapacityPercentage(55.0)", "3600s").contains("5 % to 50 % of the fleet (rule 6)"));
    let e = check("CapacityPercent(20.0)", "28801s");
    assert!(
        e.contains("maximum_execution_timeout") && e.contains("from 600 to 28800"),
        "{e}"
    );
    assert!(check("CapacityPercent(20.0)", "599s").contains("from 600 to 28800"));
}

/// R10: an alarm trips at 1700 s, in the bake of batch 3 (1500-1800): the variant's 5XX
/// average (green fails everything) is 0.6 over [1500, 1600) and [1600, 1700).
fn r10(rollback: &str, deployment: &str) -> RunResult {
    let policy = rolling("CapacityPercent(20.0)", "3600s", rollback);
    let alarm = green_fails_alarm(100, 2);
    let deployment = format!(r#"auto_rollback_alarms: ["variant-5xx"], {deployment}"#);
    Case {
        policy: &policy,
        green: FAILING_GREEN,
        extra: &alarm,
        deployment: &deployment,
        ..Case::default()
    }
    .run()
}

#[test]
fn r10_rolling_rollback_all_at_once() {
    let r = r10("None", "");
    let rows = dump(&r, 600);
    assert_eq!(times(&r, 600, "alarm variant-5xx in ALARM at 00:38:20: rollback all at once; 2 live old instance(s) reactivated, 0 new retired, 4 old to provision again"), vec![1700], "{rows}");
    assert_eq!(
        times(&r, 600, "rollback round 1: provisioning 4 old instance(s)"),
        vec![1700],
        "{rows}"
    );
    assert_eq!(end(&r, 600), (2000, "RolledBack".into()), "{rows}");
    assert!(
        times(&r, 600, "endpoint InService on config-1 (10 instances)") == vec![2000],
        "{rows}"
    );
}

#[test]
fn r10_rolling_rollback_in_batches_of_two() {
    let r = r10("Some(InstanceCount(2))", "");
    let rows = dump(&r, 600);
    assert_eq!(
        times(
            &r,
            600,
            "2 live old instance(s) reactivated, 2 new retired, 4 old to provision again"
        ),
        vec![1700],
        "{rows}"
    );
    assert_eq!(
        times(&r, 600, "2 old instance(s) active, 2 new retired"),
        vec![2000, 2300],
        "{rows}"
    );
    assert_eq!(end(&r, 600), (2300, "RolledBack".into()), "{rows}");
}

#[test]
fn r10_failed_rollback_round_leaves_a_mixed_fleet_serving() {
    let r = r10(
        "Some(InstanceCount(2))",
        "failures: Failures(rollback_provisioning: Some(1)),",
    );
    let rows = dump(&r, 600);
    assert_eq!(end(&r, 600), (2000, "UpdateRollbackFailed".into()), "{rows}");
    assert!(
        times(&r, 600, "endpoint UpdateRollbackFailed (mixed fleet, still serving)") == vec![2000],
        "{rows}"
    );
    // 6 old + 4 new keep serving until the end of the run.
    let last = r.points.last().unwrap();
    assert_eq!(last.variants[0].instances.in_service, 10);
    assert_eq!(last.configs[0].instances.in_service, 6);
    assert_eq!(last.configs[1].instances.in_service, 4);
    assert_eq!(r.totals.rejected_no_capacity, 0);
}

#[test]
fn green_provisioning_failure_keeps_blue() {
    let r = Case {
        policy: CANARY_SEED,
        deployment: "failures: Failures(provisioning: Some(1)),",
        ..Case::default()
    }
    .run();
    let rows = dump(&r, 600);
    assert_eq!(end(&r, 600), (300, "RolledBack".into()), "{rows}");
    assert_eq!(r.deployments[0].requests_served_by_new_version, 0);
    assert!(r.deployments[0]
        .rollback_trigger
        .as_deref()
        .unwrap()
        .contains("provisioning round 1 failed (injected)"));
}

#[test]
fn r11_quota_fails_blue_green_but_not_a_rolling_batch() {
    let quota = r#"instance_types: [InstanceType(name: "ml.c5.xlarge", endpoint_quota: Some(12))],"#;
    let r = Case {
        policy: CANARY_SEED,
        extra: quota,
        ..Case::default()
    }
    .run();
    assert_eq!(end(&r, 600), (0, "RolledBack".into()), "{}", dump(&r, 600));
    let trigger = r.deployments[0].rollback_trigger.clone().unwrap();
    assert!(
        trigger.contains("ResourceLimitExceeded") && trigger.contains("request delta of 10 Instances"),
        "{trigger}"
    );
    let policy = rolling("CapacityPercent(20.0)", "3600s", "None");
    let r = Case {
        policy: &policy,
        extra: quota,
        duration: "3h",
        ..Case::default()
    }
    .run();
    assert_eq!(end(&r, 600), (3000, "Succeeded".into()));
}

#[test]
fn r12_autoscaling_is_blocked_while_updating_and_resumes_after() {
    // Load steps from 100 to 400 rps during the linear deployment (0 -> 2100 s after the
    // call); target tracking at 1000 invocations per instance per minute wants more
    // instances within minutes but may act only after the deployment ends.
    let case = Case {
        policy: LINEAR_SEED,
        extra: r#"autoscaling: [ScalableTarget(variant: Some("AllTraffic"), min_capacity: 1, max_capacity: 40,
            policies: [TargetTracking(name: "ipi", metric: SageMakerVariantInvocationsPerInstance, target_value: 1000.0)])],"#,
        ..Case::default()
    };
    let text = case.text().replace(
        "rate: Constant(100)",
        r#"rate: Steps([Step(at: "0s", rps: 100.0), Step(at: "20m", rps: 400.0)])"#,
    );
    let loaded = loaded(&text);
    let r = run(loaded.config);
    let changes: Vec<u64> = r
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::CapacityChange)
        .map(|a| a.time.0 / 1_000_000)
        .collect();
    let (start, finish) = (600, 600 + 2100);
    assert!(!changes.is_empty(), "scaling resumes after the deployment");
    assert!(changes.iter().all(|t| *t < start || *t >= finish), "{changes:?}");
    // The deployment ends at 2700 s, just after that instant's alarm evaluation (alarms come
    // before stage timers); the next evaluation, one period later, scales out.
    assert_eq!(
        changes[0],
        finish + 60,
        "the first evaluation after the deployment acts"
    );
}

#[test]
fn r12_retain_all_variant_properties_takes_the_current_desired_count() {
    let run_with = |retain: bool| {
        let extra_fields = format!("initial_instance_count: Some(2), retain_all_variant_properties: {retain},");
        let case = Case {
            policy: r#"BlueGreen(traffic_routing: AllAtOnce)"#,
            deployment: &extra_fields,
            ..Case::default()
        };
        let text = case.text().replace(
            "    ),\n    workload",
            "        capacity_updates: [CapacityUpdate(at: \"1m\", variant: \"AllTraffic\", desired_instance_count: 7)],\n    ),\n    workload",
        );
        let loaded = loaded(&text);
        run(loaded.config)
    };
    let kept = run_with(true);
    assert_eq!(kept.deployments[0].new_instances, 7, "{}", dump(&kept, 600));
    assert_eq!(run_with(false).deployments[0].new_instances, 2);
}

#[test]
fn r14_defaults_and_ranges() {
    // Termination wait omitted -> 0; no alarms -> no auto-rollback.
    let r = Case {
        policy: r#"BlueGreen(traffic_routing: AllAtOnce, wait_interval: Some("3600s"))"#,
        duration: "3h",
        ..Case::default()
    }
    .run();
    assert_eq!(times(&r, 600, "termination wait 0 s before"), vec![3900]);
    assert_eq!(end(&r, 600), (3900, "Succeeded".into()));
    let e = Case {
        policy: r#"BlueGreen(traffic_routing: AllAtOnce, wait_interval: Some("3601s"))"#,
        ..Case::default()
    }
    .error();
    assert!(
        e.contains("deployments[0].policy.BlueGreen.wait_interval") && e.contains("from 0 to 3600"),
        "{e}"
    );
    let names: Vec<String> = (0..11).map(|i| format!("\"a{i}\"")).collect();
    let alarms: Vec<String> = (0..11)
        .map(|i| {
            format!(
                r#"Alarm(name: "a{i}", metric: ModelLatency, variant: Some("AllTraffic"), evaluation_periods: 1,
                comparison_operator: GreaterThanThreshold, threshold: 1e9)"#
            )
        })
        .collect();
    let extra = format!("alarms: [{}],", alarms.join(", "));
    let deployment = format!("auto_rollback_alarms: [{}],", names.join(", "));
    let e = Case {
        policy: r#"BlueGreen(traffic_routing: AllAtOnce)"#,
        extra: &extra,
        deployment: &deployment,
        ..Case::default()
    }
    .error();
    assert!(e.contains("at most 10 alarms"), "{e}");
}

#[test]
fn bad_version_canary_limits_the_blast_radius_compared_with_all_at_once() {
    // A bad version answers 5 % of requests with 5XX; an alarm on the variant's 5XX sum per
    // minute (2 of 2 above 100) catches it. The canary exposes 30 % of traffic until the trip;
    // all at once exposes 100 %.
    let alarm = r#"alarms: [Alarm(name: "5xx", metric: Invocation5XXErrors, variant: Some("AllTraffic"),
        statistic: "Sum", period: "60s", evaluation_periods: 2, comparison_operator: GreaterThanThreshold,
        threshold: 100.0, treat_missing_data: notBreaching)],"#;
    let bad = r#"Model(label: "v2", service_time: Constant("10ms"), error_rate: 0.05)"#;
    let run_policy = |policy: &str| {
        Case {
            policy,
            green: bad,
            rps: 200.0,
            extra: alarm,
            deployment: r#"auto_rollback_alarms: ["5xx"],"#,
            ..Case::default()
        }
        .run()
    };
    let canary = run_policy(CANARY_SEED);
    let all = run_policy(r#"BlueGreen(traffic_routing: AllAtOnce, wait_interval: Some("600s"))"#);
    for r in [&canary, &all] {
        assert_eq!(r.deployments[0].outcome.name(), "RolledBack", "{}", dump(r, 600));
    }
    // Green starts serving at 300 s after the call (absolute 900); 30 % of 200 rps x 5 % =
    // 180 errors per minute > 100, so the periods ending 960 and 1020 breach: rollback at
    // 1020 s absolute, 120 s of canary traffic. Bound: canary share x time to detect.
    let served = canary.deployments[0].requests_served_by_new_version;
    let bound = (0.3 * 200.0 * 120.0 * 1.1) as u64;
    assert!(served <= bound, "{served} > {bound}");
    assert!(served > (0.3 * 200.0 * 120.0 * 0.9) as u64, "{served}");
    // All at once sends everything to green for the same detection time.
    let all_served = all.deployments[0].requests_served_by_new_version;
    assert_eq!(all_served, 200 * 120);
    assert!(all_served > 3 * served, "{all_served} vs {served}");
    assert!(all.deployments[0].errors_during_deployment > 3 * canary.deployments[0].errors_during_deployment);
}

#[test]
fn a_second_call_while_updating_is_rejected() {
    let case = Case {
        policy: CANARY_SEED,
        ..Case::default()
    };
    let text = case.text().replace(
        "    )],\n)",
        r#"    ), Deployment(at: "700s", endpoint_config_name: "v3", model: Model(service_time: Constant("10ms")),
        policy: BlueGreen(traffic_routing: AllAtOnce))],
)"#,
    );
    let loaded = loaded(&text);
    let r = run(loaded.config);
    let d = &r.deployments[1];
    assert_eq!(d.outcome.name(), "Rejected");
    assert!(d
        .rollback_trigger
        .as_deref()
        .unwrap()
        .contains("deployment v2 in progress"));
}

#[test]
fn deployment_validation_names_fields() {
    let e = Case {
        policy: r#"BlueGreen(traffic_routing: AllAtOnce)"#,
        deployment: r#"variant: Some("Nope"), auto_rollback_alarms: ["missing"],"#,
        ..Case::default()
    }
    .error();
    assert!(e.contains("deployments[0].variant") && e.contains("rule 2"), "{e}");
    let e = Case {
        policy: r#"BlueGreen(traffic_routing: AllAtOnce)"#,
        deployment: r#"auto_rollback_alarms: ["missing"],"#,
        ..Case::default()
    }
    .error();
    assert!(
        e.contains("deployments[0].auto_rollback_alarms[0]") && e.contains("\"missing\""),
        "{e}"
    );
    let e = Case {
        policy: r#"BlueGreen(traffic_routing: AllAtOnce)"#,
        extra: r#"alarms: [Alarm(name: "x", metric: ModelLatency, variant: Some("AllTraffic"), endpoint_config: Some("v9"),
            evaluation_periods: 1, comparison_operator: GreaterThanThreshold, threshold: 1.0)],"#,
        ..Case::default()
    }
    .error();
    assert!(
        e.contains("alarms[0].endpoint_config") && e.contains("config-1, v2"),
        "{e}"
    );
}

#[test]
fn marketplace_containers_fall_back_to_all_at_once_without_bake() {
    let case = Case {
        policy: CANARY_SEED,
        deployment: "marketplace_container: true,",
        ..Case::default()
    };
    assert!(case.warnings().iter().any(|w| w.contains("guardrails do not apply")));
    let r = case.run();
    assert_eq!(r.deployments[0].strategy, "ALL_AT_ONCE");
    assert_eq!(times(&r, 600, "all at once: 10 of 10 green"), vec![300]);
    assert_eq!(end(&r, 600), (900, "Succeeded".into()), "{}", dump(&r, 600));
}

#[test]
fn statuses_follow_the_stages_in_the_time_series() {
    let r = Case {
        policy: CANARY_SEED,
        ..Case::default()
    }
    .run();
    let csv = String::from_utf8(fleetsim::report::timeseries_csv(&r)).unwrap();
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let (clock, endpoint, variant, share) = (
        col("clock"),
        col("endpoint_status"),
        col("AllTraffic.variant_status"),
        col("AllTraffic@v2.traffic_share"),
    );
    let at = |t: &str| -> Vec<String> {
        let row: Vec<String> = csv
            .lines()
            .find(|l| l.split(',').nth(clock) == Some(t))
            .unwrap()
            .split(',')
            .map(String::from)
            .collect();
        vec![row[endpoint].clone(), row[variant].clone(), row[share].clone()]
    };
    // Call at 00:10; green provisioning to 00:15; canary bake to 00:25; deadline 00:40.
    assert_eq!(at("00:05:00"), vec!["InService", "InService", "0"]);
    assert_eq!(at("00:12:00"), vec!["Updating", "Creating", "0"]);
    let canary = at("00:20:00");
    assert_eq!(canary[..2], ["Updating", "Baking"]);
    let s: f64 = canary[2].parse().unwrap();
    assert!((s - 30.0).abs() < 5.0, "{s} %");
    assert_eq!(at("00:30:00")[..3], ["Updating", "Baking", "100"]);
    assert_eq!(at("00:45:00"), vec!["InService", "InService", "0"]);
}

#[test]
fn rollback_shift_delay_postpones_the_return_to_blue() {
    let alarm = green_fails_alarm(100, 1);
    let r = Case {
        policy: LINEAR_SEED,
        green: FAILING_GREEN,
        extra: &alarm,
        deployment: r#"auto_rollback_alarms: ["variant-5xx"], guardrails: Guardrails(rollback_shift_delay: "60s"),"#,
        ..Case::default()
    }
    .run();
    // The trip of R6 at 1000 s; traffic returns to blue 60 s later.
    assert_eq!(
        times(&r, 600, "rollback, 100 % of traffic back to blue"),
        vec![1000],
        "{}",
        dump(&r, 600)
    );
    assert_eq!(end(&r, 600), (1060, "RolledBack".into()));
    let expect = 100.0 * (300.0 * 0.2 + 300.0 * 0.4 + 160.0 * 0.6);
    let got = r.deployments[0].requests_served_by_new_version as f64;
    assert!((got - expect).abs() < 500.0, "{got} vs {expect}");
}

#[test]
fn alarm_poll_interval_delays_the_reaction_to_the_next_poll() {
    let alarm = green_fails_alarm(100, 1);
    let r = Case {
        policy: LINEAR_SEED,
        green: FAILING_GREEN,
        extra: &alarm,
        deployment: r#"auto_rollback_alarms: ["variant-5xx"], guardrails: Guardrails(alarm_poll_interval: "3m"),"#,
        ..Case::default()
    }
    .run();
    // ALARM at 1600 s absolute; polls fall on multiples of 180 s: the next is 1620.
    assert_eq!(end(&r, 600), (1020, "RolledBack".into()), "{}", dump(&r, 600));
}

#[test]
fn asynchronous_endpoints_deploy_too() {
    let text = r#"Scenario(
    name: "async-deploy",
    duration: "1h",
    endpoint: Async(
        variants: [Variant(name: "AllTraffic", instance_type: "ml.c5.xlarge", initial_instance_count: 4, concurrency: 2,
            model: Model(service_time: Constant("500ms")),
            launch: Launch(provision: Constant("300s"), load: Constant("0s")))],
    ),
    workload: Open(arrivals: Deterministic, rate: Constant(10.0)),
    deployments: [Deployment(at: "10m", endpoint_config_name: "v2",
        model: Model(label: "v2", service_time: Constant("400ms")),
        policy: BlueGreen(traffic_routing: Linear(linear_step_size: InstanceCount(2)), wait_interval: Some("5m")))],
)"#;
    let loaded = loaded(text);
    let r = run(loaded.config);
    assert_eq!(r.totals.arrived, r.accounted() + r.in_flight_at_end);
    let d = &r.deployments[0];
    assert_eq!(d.outcome.name(), "Succeeded");
    // 600 + 300 provisioning + 2 steps x 300 s of bake.
    assert_eq!(d.finished.unwrap().0 / 1_000_000, 1500);
    assert_eq!(r.totals.timed_out, 0);
    assert_eq!(r.totals.errors_5xx, 0);
}

#[test]
fn bundled_deployment_during_a_ramp_freezes_capacity() {
    let loaded = load_bundled("deploy-during-ramp.ron", &[], None);
    let r = run(loaded.config);
    let d = &r.deployments[0];
    let (start, finish) = (d.started.0, d.finished.unwrap().0);
    let changes: Vec<u64> = r
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::CapacityChange)
        .map(|a| a.time.0)
        .collect();
    assert!(changes.iter().all(|t| *t < start || *t >= finish), "{changes:?}");
    assert!(changes.iter().any(|t| *t >= finish), "scaling resumes");
    // The managed high alarm was in ALARM during the deployment.
    assert!(r.activities.iter().any(|a| a.kind == ActivityKind::AlarmStateChange
        && a.reason.contains("OK -> ALARM")
        && a.time.0 > start
        && a.time.0 < finish));
    // The latency cost: p99 of the worst period during the deployment is far above the SLO
    // the fleet meets before and after it.
    let p99 = |t: u64| {
        r.points
            .iter()
            .find(|p| p.start_us == t)
            .and_then(|p| p.latency.percentile(99.0))
            .unwrap()
    };
    assert!(p99(50 * 60_000_000) > 10.0 * p99(5 * 60_000_000));
    assert!(p99(80 * 60_000_000) < 2.0 * p99(5 * 60_000_000));
}

#[test]
fn r16_variant_weights_split_traffic() {
    let split = |a: f64, b: f64| {
        let text = format!(
            r#"Scenario(
    name: "ab",
    duration: "30m",
    endpoint: RealTime(variants: [
        Variant(name: "A", instance_type: "ml.c5.xlarge", initial_instance_count: 2, concurrency: 4, initial_weight: {a},
            model: Model(service_time: Constant("10ms"))),
        Variant(name: "B", instance_type: "ml.c5.xlarge", initial_instance_count: 2, concurrency: 4, initial_weight: {b},
            model: Model(service_time: Constant("10ms"))),
    ]),
    workload: Open(arrivals: Deterministic, rate: Constant(100.0)),
)"#
        );
        let r = run(config(&text));
        let per = |v: usize| r.points.iter().map(|p| p.variants[v].requests.invocations).sum::<u64>() as f64;
        per(0) / (per(0) + per(1))
    };
    // 180,000 requests: the binomial standard deviation of the share is at most 0.0012; allow
    // 0.005 (about 4 standard deviations).
    assert!((split(1.0, 1.0) - 0.5).abs() < 0.005);
    assert!((split(25.0, 75.0) - 0.25).abs() < 0.005);
    assert_eq!(split(0.0, 1.0), 0.0);
}

#[test]
fn a_failed_rolling_batch_rolls_back_the_batches_already_replaced() {
    let policy = rolling("CapacityPercent(20.0)", "3600s", "None");
    let r = Case {
        policy: &policy,
        deployment: "failures: Failures(provisioning: Some(2)),",
        ..Case::default()
    }
    .run();
    let rows = dump(&r, 600);
    // Batch 1 replaced 2 old instances by 600 s; batch 2 fails when it would be ready (900 s):
    // its instances go, the 2 missing old instances are provisioned again (300 s).
    assert_eq!(
        times(&r, 600, "provisioning failed: provisioning round 2 failed (injected)"),
        vec![900, 1200],
        "{rows}"
    );
    assert_eq!(end(&r, 600), (1200, "RolledBack".into()), "{rows}");
    assert!(
        times(&r, 600, "endpoint InService on config-1 (10 instances)") == vec![1200],
        "{rows}"
    );
}

const SHADOW: &str = r#"shadow_test: Some(ShadowTest(
        name: "candidate",
        variant: Variant(name: "Shadow", instance_type: "ml.c5.xlarge", initial_instance_count: 2, concurrency: 4,
            model: Model(label: "v2", service_time: Constant("30ms"), error_rate: 0.5),
            launch: Launch(provision: Constant("300s"), load: Constant("0s"))),
        sampling_percentage: 50,
        start: "10m",
        duration: "1h",
    )),"#;

fn shadow_scenario(shadow: &str) -> String {
    format!(
        r#"Scenario(
    name: "shadow",
    duration: "2h",
    endpoint: RealTime(
        variants: [Variant(name: "AllTraffic", instance_type: "ml.c5.xlarge", initial_instance_count: 4, concurrency: 4,
            model: Model(service_time: LogNormal(median: "40ms", p99: "120ms"), error_rate: 0.01),
            launch: Launch(provision: Constant("300s"), load: Constant("0s")))],
    ),
    workload: Open(arrivals: Deterministic, rate: Constant(16.666666666666668)),
    {shadow}
)"#
    )
}

#[test]
fn r15_shadow_receives_exactly_half_and_callers_see_only_production() {
    let with = run(config(&shadow_scenario(SHADOW)));
    let without = run(config(&shadow_scenario("")));
    // 1000 production requests per minute; 50 % sampling: exactly 500 copies per minute once the
    // shadow's instances serve (requested at 00:10, in service at 00:15), none after 01:10.
    let shadow = usize::from(with.shadow.as_ref().unwrap().variant);
    for p in &with.points {
        let minute = p.start_us / 60_000_000;
        assert_eq!(p.variants[0].requests.invocations, 1000);
        let want = if (15..70).contains(&minute) { 500 } else { 0 };
        assert_eq!(p.variants[shadow].requests.invocations, want, "minute {minute}");
    }
    assert_eq!(with.shadow.as_ref().unwrap().copies, 55 * 500);
    // Callers see production answers only: the endpoint's totals and latency are those of the
    // same run without the shadow (the copies draw from their own random streams).
    let s_with = fleetsim::report::summary(&with);
    let s_without = fleetsim::report::summary(&without);
    assert_eq!(
        serde_json::to_value(&s_with.requests).unwrap(),
        serde_json::to_value(&s_without.requests).unwrap()
    );
    assert_eq!(
        serde_json::to_value(&s_with.latency_ms).unwrap(),
        serde_json::to_value(&s_without.latency_ms).unwrap()
    );
    assert_eq!(with.totals.arrived, with.accounted() + with.in_flight_at_end);
    // The shadow's own errors are visible in its series, not in the endpoint's.
    let cmp = &s_with.shadow_test.as_ref().unwrap().comparison;
    assert_eq!(cmp[1].invocations, 27_500);
    assert!((cmp[1].errors_5xx as f64 / 27_500.0 - 0.5).abs() < 0.02);
    assert_eq!(cmp[1].model_latency_mean_ms, Some(30.0));
    // Its instances are billed only while the test runs: 2 instances for one hour.
    assert!((with.variants[shadow].instance_hours - 2.0).abs() < 1e-9);
    // The endpoint returns to its pre-test state.
    assert_eq!(with.points.last().unwrap().variants[shadow].instances.live(), 0);
}

#[test]
fn r15_shadow_schedule_and_validation() {
    let with = |fields: &str| shadow_scenario(&SHADOW.replace("        duration: \"1h\",\n", fields));
    // Default duration 7 days.
    let cfg = config(&with("")).shadow.unwrap();
    assert_eq!(cfg.end.0 / 1_000_000, 600 + 604_800);
    // Scheduled day 10 for 25 days, started early on day 2: ends on day 32, with a warning.
    let text = with("        duration: \"25d\",\n        started_early_at: Some(\"2d\"),\n")
        .replace("start: \"10m\"", "start: \"10d\"")
        .replace("duration: \"2h\"", "duration: \"40d\"");
    let loaded = loaded(&text);
    let cfg = loaded.config.shadow.unwrap();
    assert_eq!((cfg.start.0 / 86_400_000_000, cfg.end.0 / 86_400_000_000), (2, 32));
    assert!(loaded.warnings.iter().any(|w| w.contains("more than 30 days")));
    for (fields, path, allowed) in [
        (
            "        duration: \"30m\",\n",
            "shadow_test.duration",
            "1 hour to 30 days",
        ),
        (
            "        duration: \"31d\",\n",
            "shadow_test.duration",
            "1 hour to 30 days",
        ),
    ] {
        let e = invalid(&with(fields));
        assert!(e.contains(path) && e.contains(allowed), "{e}");
    }
    let e = invalid(&with("").replace("sampling_percentage: 50", "sampling_percentage: 101"));
    assert!(
        e.contains("shadow_test.sampling_percentage") && e.contains("1 to 100"),
        "{e}"
    );
    let e = invalid(&with("").replace("RealTime(", "Async("));
    assert!(e.contains("shadow tests are not available for asynchronous"), "{e}");
}

#[test]
fn a_shadow_test_started_early_after_the_run_names_started_early_at() {
    // Scheduled at 3 h, started early at 2.5 h: the test would start at 2.5 h, after the run.
    let text = shadow_scenario(&SHADOW.replace(
        "start: \"10m\",",
        "start: \"3h\",\n        started_early_at: Some(\"9000s\"),",
    ));
    let e = invalid(&text);
    assert!(
        e.contains("shadow_test.started_early_at: got 9000 s; allowed: a start before the end of the run (2h)"),
        "{e}"
    );
    assert!(!e.contains("shadow_test.start:"), "{e}");
}
