//! Resource limits and messages for hostile input: every size that drives memory or time is
//! refused at validation, before anything is allocated, with the field path, the value as
//! written and what is allowed; messages speak the scenario's terms, never Rust's.

use crate::common::{assert_contains, config, invalid, load_with, loaded, target_scratch};
use fleetsim::scenario::{self, limits};
use std::path::{Path, PathBuf};

/// A small valid scenario; `extra` goes inside `Scenario(...)`, `variant` inside the variant.
fn text(extra: &str, variant: &str) -> String {
    format!(
        r#"Scenario(
    name: "limits",
    duration: "10m",
    endpoint: RealTime(
        variants: [Variant(
            name: "blue",
            instance_type: "ml.c5.xlarge",
            initial_instance_count: 2,
            concurrency: 4,
            model: Model(service_time: Constant("10ms")),
            {variant}
        )],
    ),
    workload: Open(arrivals: Deterministic, rate: Constant(10.0)),
    {extra}
)"#
    )
}

/// The error message of loading `text` (with data files read from `base`).
fn error_in(text: &str, base: &Path) -> String {
    match scenario::load_str(text, "limits.ron", base, &[], None) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// A folder of its own for a test's data files.
fn data_dir(name: &str) -> PathBuf {
    target_scratch("limits", name)
}

#[test]
fn the_small_scenario_is_valid() {
    loaded(&text("", ""));
}

#[test]
fn alarm_evaluation_periods_are_bounded_to_a_day_before_any_window_is_allocated() {
    let alarm = |n: u64| {
        text(
            &format!(
                r#"alarms: [Alarm(name: "a", metric: CPUUtilization, statistic: "Average", period: "60s",
                    evaluation_periods: {n}, comparison_operator: GreaterThanThreshold, threshold: 50.0)],"#
            ),
            "",
        )
    };
    // 2^31 periods once aborted the run with a 34 GB allocation.
    let msg = invalid(&alarm(1 << 31));
    assert_contains(
        &msg,
        &["alarms[0].evaluation_periods", "2147483648", "1 to 1440", "one day"],
    );
    // One day of one-minute periods is the most CloudWatch allows.
    loaded(&alarm(1440));
    assert_contains(&invalid(&alarm(1441)), &["alarms[0].evaluation_periods", "1441"]);
}

#[test]
fn target_tracking_alarm_windows_are_bounded_too() {
    let tt = text(
        r#"autoscaling: [ScalableTarget(min_capacity: 1, max_capacity: 4, policies: [TargetTracking(
            name: "ipi", metric: SageMakerVariantInvocationsPerInstance, target_value: 100.0,
            alarms: ManagedAlarms(low_datapoints: 4000000000))])],"#,
        "",
    );
    assert_contains(
        &invalid(&tt),
        &["autoscaling[0].policies[0].alarms.low_datapoints", "4000000000"],
    );
}

#[test]
fn stairs_steps_are_checked_before_the_shape_is_built() {
    // validate itself once allocated 34 GB laying out 2^32 - 1 steps before refusing them.
    let t = text("", "").replace(
        "Constant(10.0)",
        r#"Stairs(duration: "10m", number_of_steps: 4294967295, rps_per_step: 1.0)"#,
    );
    assert_contains(
        &invalid(&t),
        &["workload.rate.number_of_steps", "4294967295", "1 to 10000"],
    );
}

#[test]
fn metrics_periods_and_ticks_are_bounded_per_run() {
    // A 1 µs period over ten minutes is 600 million periods.
    let t = text(r#"metrics: Metrics(period: "1us", high_resolution_period: "1us"),"#, "");
    let msg = invalid(&t);
    assert_contains(
        &msg,
        &[
            "metrics.period",
            "\"1us\"",
            "at most 1000000 metrics periods",
            "metrics.high_resolution_period",
        ],
    );
    // 1 ms over a year.
    let t =
        text(r#"metrics: Metrics(period: "1ms", high_resolution_period: "1ms"),"#, "").replace("\"10m\"", "\"366d\"");
    assert_contains(&invalid(&t), &["metrics.period", "at least 31622400us"]);
    // A year of one-minute periods and ten-second ticks is fine.
    let t = text("", "").replace("\"10m\"", "\"366d\"");
    loaded(&t);
}

#[test]
fn an_alarm_period_of_more_ticks_than_kept_is_refused() {
    let t = text(
        r#"metrics: Metrics(period: "60s", high_resolution_period: "1ms"),
        alarms: [Alarm(name: "a", metric: CPUUtilization, statistic: "Average", period: "1h",
            evaluation_periods: 1, comparison_operator: GreaterThanThreshold, threshold: 50.0)],"#,
        "",
    );
    assert_contains(
        &invalid(&t),
        &["alarms[0].period", "3600000 sampling ticks", "at most 100000"],
    );
}

#[test]
fn backlogs_hold_a_bounded_number_of_requests() {
    let t = text("", "").replace(
        "    ),\n    workload",
        "    backlog: Backlog(capacity: 1000000000000),\n    ),\n    workload",
    );
    assert_contains(
        &invalid(&t),
        &["endpoint.backlog.capacity", "1000000000000", "0 to 10000000"],
    );
    // An asynchronous endpoint's durable queue holds at most the same number in memory.
    let t = text("", "").replace("RealTime(", "Async(");
    let loaded = loaded(&t);
    assert_eq!(loaded.config.endpoint.backlog_capacity, limits::MAX_BACKLOG);
}

#[test]
fn oversized_lists_are_refused_before_they_are_compared() {
    // 100,000 variants were compared name against name (quadratic) before any answer.
    let v = r#"Variant(name: "v", instance_type: "ml.c5.xlarge", initial_instance_count: 1, model: Model(service_time: Constant("10ms")))"#;
    let many = vec![v; 100_000].join(",");
    let t = text("", "").replacen("variants: [Variant(", &format!("variants: [{many}, Variant("), 1);
    let msg = invalid(&t);
    assert_contains(
        &msg,
        &["endpoint.variants", "100001 entries", "at most 10 production variants"],
    );
    let a = r#"Alarm(name: "a", metric: CPUUtilization, statistic: "Average", period: "60s", evaluation_periods: 1, comparison_operator: GreaterThanThreshold, threshold: 50.0)"#;
    let t = text(&format!("alarms: [{}],", vec![a; 100_000].join(",")), "");
    assert_contains(&invalid(&t), &["alarms", "100000 entries", "at most 1000 alarms"]);
}

#[test]
fn trace_counts_are_held_to_the_open_workload_rate_limit() {
    let dir = data_dir("counts");
    std::fs::write(dir.join("huge.csv"), "timestamp,count\n0,1e12\n60,5\n").unwrap();
    let t = text("", "").replace(
        "Open(arrivals: Deterministic, rate: Constant(10.0))",
        r#"Trace(file: "huge.csv", format: Counts(period: "1m"))"#,
    );
    let msg = error_in(&t, &dir);
    assert_contains(
        &msg,
        &[
            "huge.csv:2",
            "1e12",
            "1000000000 requests per second",
            "60000000000 per period",
        ],
    );
    std::fs::write(dir.join("inf.csv"), "0,inf\n").unwrap();
    let msg = error_in(&t.replace("huge.csv", "inf.csv"), &dir);
    assert_contains(&msg, &["inf.csv:1", "count `inf` is not a number of requests"]);
}

#[test]
fn a_trace_mixing_numbers_and_dates_is_refused() {
    let dir = data_dir("mixed");
    std::fs::write(dir.join("mixed.csv"), "0,10\n2024-05-06 14:01:00,10\n").unwrap();
    std::fs::write(dir.join("mixed-ts.csv"), "2024-05-06T14:00:00Z\n60\n").unwrap();
    let counts = text("", "").replace(
        "Open(arrivals: Deterministic, rate: Constant(10.0))",
        r#"Trace(file: "mixed.csv", format: Counts(period: "1m"))"#,
    );
    assert_contains(
        &error_in(&counts, &dir),
        &[
            "mixed.csv:2",
            "is a date and time",
            "first row's timestamp is a number of seconds",
        ],
    );
    let stamps = text("", "").replace(
        "Open(arrivals: Deterministic, rate: Constant(10.0))",
        r#"Trace(file: "mixed-ts.csv", format: Timestamps)"#,
    );
    assert_contains(&error_in(&stamps, &dir), &["mixed-ts.csv:2", "is a number of seconds"]);
}

#[test]
fn ron_nesting_past_the_limit_is_explained_once_in_the_users_terms() {
    let deep = format!("{}1.0{}", "Sum([".repeat(200), "])".repeat(200));
    let t = text("", "").replace("Constant(10.0)", &deep);
    let msg = invalid(&t);
    assert_contains(&msg, &["nested too deeply"]);
    assert!(
        !msg.contains("serde_stacker") && !msg.contains("recursion_limit"),
        "{msg}"
    );
    assert!(msg.matches("workload").count() <= 1, "the path is not repeated: {msg}");
}

#[test]
fn messages_name_what_the_field_expects_not_rust_types() {
    let msg = invalid(&text("", "").replace("concurrency: 4", "concurrency: \"four\""));
    assert_contains(&msg, &["concurrency", "expected a whole number"]);
    assert!(!msg.contains("u32"), "{msg}");
    // The same through --set, whose values are read by another path.
    let msg = match load_with(&text("", ""), &["endpoint.variants[0].concurrency=\"four\""]) {
        Err(e) => e,
        Ok(_) => panic!("accepted"),
    };
    assert_contains(&msg, &["concurrency", "expected a whole number >= 0", "\"four\""]);
    assert!(!msg.contains("u32"), "{msg}");
    let msg = invalid(&text("", "").replace("Constant(10.0)", "Constant(\"fast\")"));
    assert_contains(&msg, &["expected a number"]);
    assert!(!msg.contains("f64"), "{msg}");
}

#[test]
fn long_values_are_shortened_in_messages() {
    let long = "x".repeat(1_000_000);
    let msg = invalid(&text("", "").replace("name: \"limits\"", &format!("name: \"{long}\"")));
    assert!(msg.len() < 1_000, "{} characters", msg.len());
    assert_contains(&msg, &["name", "(1000002 characters)"]);
}

#[test]
fn a_duration_below_the_time_resolution_is_reported_as_written() {
    let msg = invalid(&text("", "").replace("Constant(\"10ms\")", "Constant(\"0.4us\")"));
    assert_contains(&msg, &["\"0.4us\"", "shorter than 1µs"]);
    assert!(!msg.contains("got \"0s\""), "{msg}");
}

#[test]
fn expected_requests_say_how_large_a_run_is() {
    let c = config(&text("", ""));
    // 10 requests per second for 10 minutes.
    let n = c.workload.expected_requests(c.duration);
    assert!((n - 6000.0).abs() < 1e-6, "{n}");
    let ramp = text("", "").replace(
        "Constant(10.0)",
        r#"Ramp(from_rps: 0.0, to_rps: 100.0, start: "0s", duration: "10m")"#,
    );
    let c = config(&ramp);
    let n = c.workload.expected_requests(c.duration);
    assert!((n - 30_000.0).abs() < 30.0, "{n}");
}

#[test]
fn a_set_value_nested_past_the_limit_is_refused_before_it_is_read() {
    // 100,000 nested brackets once overflowed the stack of the value reader.
    let deep = format!("workload.rate={}1.0{}", "Sum([".repeat(100_000), "])".repeat(100_000));
    let msg = match scenario::parse_override(&deep) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("accepted"),
    };
    assert_contains(&msg, &["nests brackets more than 128 levels", "(700017 characters)"]);
}
