//! The bundled autoscaling scenarios show what their header comments claim, with exact
//! activity times where arrivals, service and launch times are deterministic.

use fleetsim::model::{Activity, ActivityKind};
use fleetsim::scenario;
use fleetsim::sim::{run, RunResult};
use std::path::Path;

const MIN: u64 = 60;

/// Runs `scenarios/<file>` with `--set` overrides and an optional seed.
fn run_file(file: &str, sets: &[&str], seed: Option<u64>) -> RunResult {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file);
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let loaded = scenario::load(&p, &sets, seed).unwrap_or_else(|e| panic!("{file}: {e}"));
    let r = run(loaded.config);
    assert_eq!(
        r.totals.arrived,
        r.accounted() + r.in_flight_at_end,
        "{file}: accounting"
    );
    r
}

fn secs(a: &Activity) -> u64 {
    a.time.0 / 1_000_000
}

/// `(time in s, cause, "desired A -> B", reason)` of every capacity change.
fn changes(r: &RunResult) -> Vec<(u64, String, String, String)> {
    r.activities
        .iter()
        .filter(|a| a.kind == ActivityKind::CapacityChange)
        .map(|a| {
            let arrow = a.reason.rfind("desired ").map_or("", |i| &a.reason[i..]);
            let arrow = arrow.split(';').next().unwrap();
            (secs(a), a.cause.clone(), arrow.to_string(), a.reason.clone())
        })
        .collect()
}

/// `(time in s, new state)` of every transition of alarm `name`.
fn transitions(r: &RunResult, name: &str) -> Vec<(u64, String)> {
    r.activities
        .iter()
        .filter(|a| a.kind == ActivityKind::AlarmStateChange && a.cause == name)
        .map(|a| {
            // "alarm NAME: OLD -> NEW: why (latest X)"
            let rest = &a.reason[format!("alarm {name}: ").len()..];
            let new = rest.split(": ").next().unwrap().split(" -> ").nth(1).unwrap();
            (secs(a), new.to_string())
        })
        .collect()
}

#[test]
fn step_spike_steps_out_while_the_alarm_stays_in_alarm_and_steps_back_in() {
    let r = run_file("step-spike.ron", &[], None);
    let c = changes(&r);
    let got: Vec<(u64, &str, &str)> = c
        .iter()
        .map(|(t, cause, arrow, _)| (*t, cause.as_str(), arrow.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (11 * MIN, "scale-out-steps", "desired 3 -> 6"),
            (14 * MIN, "scale-out-steps", "desired 6 -> 7"),
            (17 * MIN, "scale-out-steps", "desired 7 -> 8"),
            (45 * MIN, "scale-in-steps", "desired 8 -> 5"),
            (50 * MIN, "scale-in-steps", "desired 5 -> 4"),
            (55 * MIN, "scale-in-steps", "desired 4 -> 3"),
        ]
    );
    // Each change took the step that contains its breach (metric minus threshold).
    for (i, step) in [
        "in [80, +inf): +3",
        "in [0, 40): +1",
        "in [0, 40): +1",
        "in (-inf, -20]: -3",
        "in (-20, 0]: -1",
        "in (-20, 0]: -1",
    ]
    .iter()
    .enumerate()
    {
        assert!(c[i].3.contains(step), "{step}: {}", c[i].3);
    }
    // The alarms stayed in ALARM across the repeated firings: one transition in, one out.
    assert_eq!(
        transitions(&r, "cpu-high"),
        vec![(MIN, "OK".into()), (11 * MIN, "ALARM".into()), (20 * MIN, "OK".into())]
    );
    assert_eq!(
        transitions(&r, "cpu-low"),
        vec![(MIN, "OK".into()), (45 * MIN, "ALARM".into()), (56 * MIN, "OK".into())]
    );
    // Requests fail only while three instances face the spike (00:10 to 00:13).
    let failing: Vec<u64> = r
        .points
        .iter()
        .filter(|p| p.variants[0].rejected_backlog_full + p.variants[0].timed_out > 0)
        .map(|p| p.start_us / 60_000_000)
        .collect();
    assert_eq!(failing, vec![10, 11, 12]);
    assert!(
        r.totals.rejected_backlog_full > 9000,
        "{}",
        r.totals.rejected_backlog_full
    );

    // What the cooldown prevented: without it, the stale saturated datapoint at 00:13 adds
    // another 3 instances the moment the first three come into service.
    let r0 = run_file("step-spike.ron", &["autoscaling[0].policies[0].cooldown=0s"], None);
    let c0 = changes(&r0);
    assert_eq!((c0[1].0, c0[1].2.as_str()), (13 * MIN, "desired 6 -> 9"), "{c0:?}");
}

