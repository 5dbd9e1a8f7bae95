//! A scenario's load test stopped by its stopping conditions (`Users(stopping_conditions:
//! ...)`): exact stop instants on a deterministic loop, the order at a minute boundary (the
//! minute closes and the conditions decide before the pattern adds users), the test's first
//! minute when it starts late beside a background load, the verdict in summary.json, and the
//! conditions' validation.

use crate::common::{config, invalid, run_checked};
use crate::users::SATURATED;
use fleetsim::model::workload::StopReason;
use fleetsim::model::ActivityKind;
use fleetsim::sim::RunResult;

/// 2 users more every 2 minutes: 2, 2, 4, 4, 6, 6, ...
const STAIRS: &str = "Stairs(duration_in_seconds: 600, number_of_steps: 5, users_per_step: 2)";
/// 2 users, then 1 more every minute.
const PHASES: &str = "Phases([(initial_number_of_users: 2, spawn_rate: 1, duration_in_seconds: 600)])";

/// The saturated loop of `users.rs` (2 slots of a constant 20 ms: 2 users, 21 ms a call with
/// the 1 ms round trip, answer about 5714 calls a minute; 3 or more saturate it at 6000) on
/// `pattern`, with stopping conditions `stops`.
fn scenario(pattern: &str, stops: &str) -> String {
    SATURATED.replace(STAIRS, pattern).replace(
        "    ),\n)",
        &format!("        stopping_conditions: Some(StoppingConditions({stops})),\n    ),\n)"),
    )
}

fn run(pattern: &str, stops: &str) -> RunResult {
    run_checked(config(&scenario(pattern, stops)))
}

fn users(r: &RunResult) -> Vec<u32> {
    r.users.as_ref().unwrap().points.iter().map(|p| p.users).collect()
}

fn invocations(r: &RunResult) -> Vec<u64> {
    r.points
        .iter()
        .map(|p| p.variants.iter().map(|v| v.requests.invocations).sum())
        .collect()
}

fn stop(r: &RunResult) -> Option<(StopReason, u64)> {
    r.users
        .as_ref()
        .unwrap()
        .stopped
        .map(|(reason, at)| (reason, at.0 / 1_000_000))
}

#[test]
fn max_invocations_stops_every_user_at_the_end_of_the_minute_that_reaches_it() {
    let r = run(STAIRS, "max_invocations: Some(5900)");
    let inv = invocations(&r);
    // Minutes 0 and 1 (2 users) stay under 5900; minute 2 (4 users, saturated) reaches it.
    assert!(inv[0] < 5900 && inv[1] < 5900 && inv[2] >= 5900, "{inv:?}");
    assert_eq!(stop(&r), Some((StopReason::MaxInvocations, 180)));
    // The users stop at 03:00: none in the minutes after, and the step to 6 users at 04:00
    // never comes. Only the calls in flight at 03:00 end after it (at most one per user).
    assert_eq!(users(&r), [2, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(r.users.as_ref().unwrap().peak_users, 4);
    assert!(inv[3] <= 4 && inv[4..].iter().all(|&n| n == 0), "{inv:?}");
    let row = r
        .activities
        .iter()
        .find(|a| a.kind == ActivityKind::LoadTestStop)
        .unwrap();
    assert_eq!((row.time.0, row.variant.as_str()), (180_000_000, "*"));
    assert!(
        row.reason.starts_with("MaxInvocations: ")
            && row.reason.ends_with("in the minute with 4 users; the users stop"),
        "{}",
        row.reason
    );
    let summary = fleetsim::report::summary(&r);
    let line = fleetsim::report::terminal_summary(&summary);
    assert!(
        line.contains("(minute from 00:02:00)  stopped by MaxInvocations at 00:03:00  MaxInvocations reached: yes"),
        "{line}"
    );
    let s = summary.users.unwrap();
    assert_eq!(
        (s.stop_reason, s.stopped_at_s, s.reached_max_invocations),
        (Some("MaxInvocations"), Some(180.0), Some(true))
    );
}

#[test]
fn a_stop_at_the_instant_the_pattern_adds_users_wins() {
    // Users 2 then 3 (saturated) at 01:00: the minute 01:00-02:00 reaches 5900, and at 02:00 the
    // minute closes and stops the test before the pattern's fourth user would start.
    let r = run(PHASES, "max_invocations: Some(5900)");
    assert_eq!(stop(&r), Some((StopReason::MaxInvocations, 120)));
    assert_eq!(users(&r)[..4], [2, 3, 0, 0]);
    assert_eq!(r.users.as_ref().unwrap().peak_users, 3);
}

#[test]
fn flat_invocations_stops_or_continues() {
    // Rises at minutes 2, 4 and 6 bring 5714 -> 6000 a minute (5 %, under 10 %): flat at the
    // third rise, minute 6, so the test ends at 07:00.
    let flat = "flat_invocations: Stop, flat_growth_percent: Some(10.0)";
    let r = run(STAIRS, flat);
    assert_eq!(stop(&r), Some((StopReason::FlatInvocations, 420)));
    assert_eq!(users(&r)[..8], [2, 2, 4, 4, 6, 6, 8, 0]);
    // Without MaxInvocations the verdict is null.
    assert_eq!(
        fleetsim::report::summary(&r).users.unwrap().reached_max_invocations,
        None
    );
    // A fourth rise (minute 8) is needed with `flat_rises: 4`.
    let r = run(STAIRS, &format!("{flat}, flat_rises: Some(4)"));
    assert_eq!(stop(&r), Some((StopReason::FlatInvocations, 540)));
    // Continue keeps testing under saturation to the pattern's end.
    let r = run(STAIRS, "flat_invocations: Continue, flat_growth_percent: Some(10.0)");
    assert_eq!(stop(&r), None);
    assert_eq!(users(&r), [2, 2, 4, 4, 6, 6, 8, 8, 10, 10, 0, 0]);
    // MaxInvocations never reached: the verdict is false.
    let r = run(STAIRS, "max_invocations: Some(30000), flat_invocations: Continue");
    let s = fleetsim::report::summary(&r).users.unwrap();
    assert_eq!((s.stop_reason, s.reached_max_invocations), (None, Some(false)));
}

#[test]
fn a_latency_threshold_stops_on_the_minute_s_model_latency_percentile() {
    // ModelLatency is the 20 ms service: P50 above 19 ms holds in the first minute, above 20 ms
    // never.
    let at = |ms: u32| {
        let r = run(
            STAIRS,
            &format!(
                "flat_invocations: Continue, model_latency_thresholds: [ModelLatencyThreshold(percentile: \"P50\", value_in_milliseconds: {ms})]"
            ),
        );
        stop(&r)
    };
    assert_eq!(at(19), Some((StopReason::ModelLatencyThreshold, 60)));
    assert_eq!(at(21), None);
}

#[test]
fn a_test_that_starts_late_counts_its_minutes_from_its_start() {
    // A background load of 10 requests per second (600 a minute) from the start, and users from
    // 05:00: MaxInvocations 500 would hold in every minute of the background alone, but the
    // test's first minute is 05:00-06:00 (the minute that ends at its start is not its own).
    let text = scenario(STAIRS, "max_invocations: Some(500)").replace(
        "        stopping_conditions",
        "        start: \"5m\",\n        background: Open(arrivals: Deterministic, rate: Constant(10.0)),\n        stopping_conditions",
    );
    let r = run_checked(config(&text));
    assert_eq!(stop(&r), Some((StopReason::MaxInvocations, 360)));
    // The background goes on after the test stops.
    assert!(invocations(&r)[7..].iter().all(|&n| n == 600), "{:?}", invocations(&r));
}

#[test]
fn stopping_conditions_are_validated_in_the_api_s_terms() {
    let e = invalid(&scenario(
        STAIRS,
        "max_invocations: Some(30001), model_latency_thresholds: [ModelLatencyThreshold(percentile: \"P100\", value_in_milliseconds: 0)], flat_rises: Some(0), flat_growth_percent: Some(0.0)",
    ));
    for needle in [
        "workload.stopping_conditions.max_invocations: got 30001; allowed: an integer from 1 to 30000 invocations per minute (MaxInvocations)",
        "workload.stopping_conditions.model_latency_thresholds[0].percentile: got \"P100\"; allowed: P followed by a whole percentile from 1 to 99",
        "workload.stopping_conditions.model_latency_thresholds[0].value_in_milliseconds: got 0; allowed: an integer from 1 to 60000 milliseconds",
        "workload.stopping_conditions.flat_rises: got 0; allowed: an integer from 1 to 60 rises of the user count",
        "workload.stopping_conditions.flat_growth_percent: got 0; allowed: a percentage above 0 and at most 100",
    ] {
        assert!(e.contains(needle), "missing `{needle}` in:\n{e}");
    }
    let two = "ModelLatencyThreshold(percentile: \"P95\", value_in_milliseconds: 100)";
    let e = invalid(&scenario(STAIRS, &format!("model_latency_thresholds: [{two}, {two}]")));
    assert!(e.contains("got 2 thresholds; allowed: at most one"), "{e}");
    // The conditions are defined on one-minute periods.
    let e = invalid(&scenario(STAIRS, "max_invocations: Some(100)").replace(
        "    duration: \"12m\",",
        "    duration: \"12m\",\n    metrics: Metrics(period: \"5m\"),",
    ));
    assert!(
        e.contains("metrics.period: got \"5m\" with workload.stopping_conditions; allowed: 60s"),
        "{e}"
    );
    let e = invalid(&scenario(STAIRS, "max_invocation: Some(100)"));
    assert!(e.contains("max_invocation"), "{e}");
}
