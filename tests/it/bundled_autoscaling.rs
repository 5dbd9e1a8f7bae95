//! The bundled autoscaling scenarios show what their header comments claim: exact activity
//! times where arrivals, service and launch times are deterministic. The notebook's rounds have
//! their own file (`notebook.rs`).

use crate::common::{load_bundled, run_checked};
use fleetsim::model::{Activity, ActivityKind, Change};
use fleetsim::sim::RunResult;

const MIN: u64 = 60;
const HOUR: u64 = 3600;

/// Runs `scenarios/<file>` with `--set` overrides and an optional seed, every arrival accounted
/// for.
fn run_file(file: &str, sets: &[&str], seed: Option<u64>) -> RunResult {
    run_checked(load_bundled(file, sets, seed).config)
}

fn secs(a: &Activity) -> u64 {
    a.time.0 / 1_000_000
}

/// `(time in s, cause, "desired A -> B", reason)` of every capacity change.
fn changes(r: &RunResult) -> Vec<(u64, String, String, String)> {
    r.activities
        .iter()
        .filter_map(|a| {
            let (from, to) = a.desired_change()?;
            Some((
                secs(a),
                a.cause.clone(),
                format!("desired {from} -> {to}"),
                a.reason.clone(),
            ))
        })
        .collect()
}

/// `(A, B)` of "desired A -> B".
fn from_to(arrow: &str) -> (u32, u32) {
    let mut it = arrow["desired ".len()..]
        .split(" -> ")
        .map(|x| x.parse::<u32>().unwrap());
    (it.next().unwrap(), it.next().unwrap())
}

/// `(time in s, new state)` of every transition of alarm `name`.
fn transitions(r: &RunResult, name: &str) -> Vec<(u64, String)> {
    r.activities
        .iter()
        .filter(|a| a.kind == ActivityKind::AlarmStateChange && a.cause == name)
        .map(|a| match a.change {
            Change::AlarmState { to, .. } => (secs(a), to.to_string()),
            _ => panic!("an alarm row without its states: {a:?}"),
        })
        .collect()
}

/// State of alarm `name` just after time `t` (its last transition at or before `t`).
fn state_at(r: &RunResult, name: &str, t: u64) -> String {
    transitions(r, name)
        .into_iter()
        .take_while(|(at, _)| *at <= t)
        .last()
        .map_or("INSUFFICIENT_DATA".to_string(), |(_, s)| s)
}

/// The `(latest X)` value of the transition of alarm `name` at time `t`.
fn latest(r: &RunResult, name: &str, t: u64) -> f64 {
    let a = r
        .activities
        .iter()
        .find(|a| a.kind == ActivityKind::AlarmStateChange && a.cause == name && secs(a) == t)
        .unwrap_or_else(|| panic!("no transition of {name} at {t} s"));
    match a.change {
        Change::AlarmState { latest: Some(x), .. } => x,
        _ => panic!("no datapoint on {a:?}"),
    }
}

/// What target tracking proposes: `ceil(n x metric / target)`.
fn proposal(n: u32, metric: f64, target: f64) -> u32 {
    (f64::from(n) * metric / target - 1e-9).ceil() as u32
}

/// `desired` at the end of the metrics period that starts at `t` seconds.
fn desired_after_period(r: &RunResult, t: u64) -> u32 {
    r.points.iter().find(|p| p.start_us == t * 1_000_000).unwrap().variants[0].desired
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
        .filter(|p| p.variants[0].requests.rejected_backlog_full + p.variants[0].requests.timed_out > 0)
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

#[test]
fn two_policies_scale_out_to_the_largest_proposal_and_in_only_when_both_agree() {
    let r = run_file("two-policies.ron", &[], None);
    let c = changes(&r);
    let got: Vec<(u64, &str, &str)> = c
        .iter()
        .map(|(t, cause, arrow, _)| (*t, cause.as_str(), arrow.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (23 * MIN, "cpu", "desired 4 -> 6"),
            (43 * MIN, "invocations", "desired 6 -> 19"),
            (46 * MIN, "cpu", "desired 19 -> 22"),
            (49 * MIN, "cpu", "desired 22 -> 23"),
            (80 * MIN, "cpu", "desired 23 -> 7"),
        ]
    );
    // At 00:46 and 00:49 the thirteen instances of 00:43 are coming into service: each datapoint
    // is carried by the instances that served it (16.8 and 21.5 on average over the minute),
    // not by the count at its end, so the invocations policy no longer proposes anything and
    // CPU asks for little more.
    assert!(c[2].3.contains("ceil(16.8333 x 125.7291 / 100) = 22"), "{}", c[2].3);
    assert!(c[3].3.contains("ceil(21.5 x 105.1163 / 100) = 23"), "{}", c[3].3);
    for (i, (_, _, _, reason)) in c.iter().enumerate() {
        match i {
            0 | 1 => assert!(reason.ends_with("largest of 2 scale-out proposals"), "{reason}"),
            2 | 3 => assert!(!reason.contains("proposals"), "one proposal only: {reason}"),
            _ => assert!(reason.ends_with("least aggressive of 2 scale-in proposals"), "{reason}"),
        }
    }
    // The losing policy asked for less: at 00:23 invocations (4200 on 4 instances, target
    // 3600) wanted 5 against cpu's 6; at 00:43 cpu (200 on 6, target 100) wanted 12 against 19.
    assert_eq!(proposal(4, latest(&r, "invocations-AlarmHigh", 23 * MIN), 3600.0), 5);
    assert_eq!(proposal(4, latest(&r, "cpu-AlarmHigh", 23 * MIN), 100.0), 6);
    assert_eq!(proposal(6, latest(&r, "cpu-AlarmHigh", 43 * MIN), 100.0), 12);
    assert_eq!(proposal(6, latest(&r, "invocations-AlarmHigh", 43 * MIN), 3600.0), 19);

    // invocations-AlarmLow was in ALARM twice without the cpu policy agreeing: no scale-in.
    let inv_low = transitions(&r, "invocations-AlarmLow");
    assert!(inv_low.contains(&(15 * MIN, "ALARM".into())), "{inv_low:?}");
    assert!(inv_low.contains(&(40 * MIN, "ALARM".into())), "{inv_low:?}");
    for t in [15 * MIN, 20 * MIN, 40 * MIN] {
        assert_eq!(state_at(&r, "invocations-AlarmLow", t), "ALARM", "{t}");
        assert_ne!(state_at(&r, "cpu-AlarmLow", t), "ALARM", "{t}");
    }
    // Every scale-in happened with both low alarms in ALARM.
    for (t, _, _, reason) in c.iter().filter(|x| from_to(&x.2).1 < from_to(&x.2).0) {
        for alarm in ["invocations-AlarmLow", "cpu-AlarmLow"] {
            assert_eq!(state_at(&r, alarm, *t), "ALARM", "{alarm} at {t}: {reason}");
        }
    }
}

#[test]
fn business_hours_floor_holds_on_weekdays_and_not_at_the_weekend() {
    let r = run_file("scheduled-business-hours.ron", &[], None);
    // 08:00 and 19:00 in Berlin are 07:00 and 18:00 UTC in January; time zero is Friday 00:00
    // UTC, so Monday is 72 h later. Nothing runs on Saturday or Sunday.
    let scheduled: Vec<(u64, &str, ActivityKind)> = r
        .activities
        .iter()
        .filter(|a| a.cause == "business-hours-floor" || a.cause == "evening")
        .filter(|a| matches!(a.kind, ActivityKind::CapacityChange | ActivityKind::ScheduledAction))
        .map(|a| (secs(a), a.cause.as_str(), a.kind))
        .collect();
    assert_eq!(
        scheduled,
        vec![
            (7 * HOUR, "business-hours-floor", ActivityKind::CapacityChange),
            (18 * HOUR, "evening", ActivityKind::ScheduledAction),
            (79 * HOUR, "business-hours-floor", ActivityKind::CapacityChange),
            (90 * HOUR, "evening", ActivityKind::ScheduledAction),
        ]
    );
    let c = changes(&r);
    for day in [0, 72 * HOUR] {
        // The floor lifts the fleet at once, from what target tracking had found enough.
        let (_, _, arrow, reason) = c.iter().find(|x| x.0 == day + 7 * HOUR).unwrap();
        assert!(reason.contains("MinCapacity 1 -> 5"), "{reason}");
        let (before, after) = from_to(arrow);
        assert!(before < 5 && after == 5, "{arrow}");
        // While it holds, desired never drops below 5.
        for m in (day + 7 * HOUR..day + 18 * HOUR).step_by(MIN as usize) {
            assert!(desired_after_period(&r, m) >= 5, "desired below the floor at {m} s");
        }
        // In the evening the bound goes and target tracking scales in at the same instant.
        let evening = r
            .activities
            .iter()
            .find(|a| secs(a) == day + 18 * HOUR && a.cause == "evening")
            .unwrap();
        assert!(
            evening.reason.contains("MinCapacity 5 -> 1") && evening.reason.contains("desired stays 5"),
            "{}",
            evening.reason
        );
        let tt = c
            .iter()
            .find(|x| x.0 == day + 18 * HOUR && x.1 == "invocations")
            .unwrap();
        assert_eq!(tt.2, "desired 5 -> 4");
    }
    // Target tracking still adds capacity above the floor on Friday.
    let friday_max = (7 * HOUR..18 * HOUR)
        .step_by(MIN as usize)
        .map(|m| desired_after_period(&r, m))
        .max()
        .unwrap();
    assert!(friday_max >= 6, "{friday_max}");
    assert!(c
        .iter()
        .any(|x| x.0 > 7 * HOUR && x.0 < 18 * HOUR && x.1 == "invocations" && x.2.ends_with("-> 6")));
    // Saturday 08:00 in Berlin: target tracking alone has fewer instances than Friday's floor.
    assert_eq!(desired_after_period(&r, 7 * HOUR), 5);
    assert!(
        desired_after_period(&r, 31 * HOUR) < 5,
        "{}",
        desired_after_period(&r, 31 * HOUR)
    );
    assert_eq!(r.totals.rejected_backlog_full + r.totals.timed_out, 0);
}

/// Every capacity change and failed scaling activity a scaling policy decided names that
/// policy in its `policy` field; scheduled actions, updates and deployments name none; every
/// capacity change carries its from/to counts, and every alarm row its states.
#[test]
fn activity_rows_carry_their_policy_and_change() {
    let mut policy_rows = 0;
    // Target tracking and step policies, scheduled actions, a quota, a serverless endpoint and
    // a deployment during scaling.
    for name in [
        "two-policies.ron",
        "scheduled-business-hours.ron",
        "step-spike.ron",
        "notebook-round3-step.ron",
        "serverless-provisioned-concurrency.ron",
        "deploy-during-ramp.ron",
    ] {
        let loaded = load_bundled(name, &[], None);
        let policies: Vec<String> = loaded
            .config
            .targets
            .iter()
            .flat_map(|t| t.policies.iter().map(|p| p.name().to_string()))
            .collect();
        let r = run_checked(loaded.config);
        for a in &r.activities {
            match a.kind {
                ActivityKind::CapacityChange | ActivityKind::ScalingFailed => {
                    let by_policy = policies.contains(&a.cause);
                    assert_eq!(a.policy.is_some(), by_policy, "{name}: {a:?}");
                    if by_policy {
                        policy_rows += 1;
                        assert_eq!(a.policy.as_deref(), Some(a.cause.as_str()), "{name}: {a:?}");
                    }
                    if a.kind == ActivityKind::CapacityChange {
                        let (from, to) = a.desired_change().unwrap_or_else(|| panic!("{name}: {a:?}"));
                        assert!(a.reason.contains(&format!("desired {from} -> {to}")), "{name}: {a:?}");
                    }
                }
                ActivityKind::AlarmStateChange => {
                    assert!(
                        matches!(a.change, Change::AlarmState { from, to, .. } if from != to),
                        "{name}: {a:?}"
                    )
                }
                _ => assert_eq!((&a.change, &a.policy), (&Change::None, &None), "{name}: {a:?}"),
            }
        }
    }
    assert!(policy_rows > 20, "only {policy_rows} rows decided by policies");
}
