//! A load test's closed-loop users: the traffic pattern's ranges and continuity rules
//! (`Strict`: the console's and the API's; `Lenient`: any `SpawnRate` and user count within the
//! simulator's bound), the start, the think time, the round trip and the stopping conditions.
//!
//! The rule that a phase ends with more users than it starts with (`B > A`) needs no check of
//! its own: a phase lasts at least 120 s, so it adds users whenever its `SpawnRate` is above 0,
//! and a `SpawnRate` of 0 is allowed (with no growth) as the range says.

use super::check::Check;
use crate::engine::{SimDuration, SimTime};
use crate::model::workload::stopping::{
    threshold_percentile, MAX_FLAT_RISES, MAX_INVOCATIONS, MAX_LATENCY_THRESHOLD_MS,
};
use crate::model::workload::{
    FlatInvocations, Flatness, Phase, SpawnMode, Stairs, StopRules, TrafficPattern, UserTest,
};
use crate::model::DurationDist;
use crate::scenario::file::{self, PatternValidation, Scenario};
use crate::scenario::limits::MAX_USERS;

const PATH: &str = "workload.traffic_pattern";

/// Validates a load test's users (`w` is `Workload::Users`).
pub(super) fn validate(c: &mut Check, s: &Scenario, w: &file::Workload, warnings: &mut Vec<String>) -> UserTest {
    let file::Workload::Users {
        traffic_pattern,
        start,
        think_time,
        round_trip,
        spawn_mode,
        validation,
        stairs_duration_is_per_step,
        stopping_conditions,
        ..
    } = w
    else {
        unreachable!("called for a Users workload")
    };
    let strict = *validation == PatternValidation::Strict;
    let spawn_mode = match spawn_mode {
        file::SpawnMode::MinuteBatches => SpawnMode::MinuteBatches,
        file::SpawnMode::Even => SpawnMode::Even,
    };
    let pattern = match traffic_pattern {
        file::TrafficPattern::Phases(phases) => TrafficPattern::Phases(validate_phases(c, phases, strict, spawn_mode)),
        file::TrafficPattern::Stairs {
            duration_in_seconds,
            number_of_steps,
            users_per_step,
        } => TrafficPattern::Stairs(validate_stairs(
            c,
            *duration_in_seconds,
            *number_of_steps,
            *users_per_step,
            strict,
            *stairs_duration_is_per_step,
        )),
    };
    let run = s.duration.0;
    let start = start.as_ref().map_or(SimDuration::ZERO, |d| d.0);
    if start >= run {
        c.fail(
            "workload.start",
            format!("\"{start}\" (the run lasts \"{run}\")"),
            "a time before the end of the run",
        );
    }
    let end = start + pattern.duration();
    // With stopping conditions the run's end is one more way for the test to end.
    if end > run && start < run && stopping_conditions.is_none() {
        warnings.push(format!(
            "workload: the traffic pattern ends at {end}, after the run's end at {run}; the users stop with the run"
        ));
    }
    let think_time = match think_time {
        Some(d) => c.dist("workload.think_time", d, false),
        None => DurationDist::Constant(SimDuration::ZERO),
    };
    let round_trip = round_trip.as_ref().map_or(SimDuration::from_millis(1), |d| d.0);
    if round_trip == SimDuration::ZERO || round_trip > SimDuration::from_secs(60) {
        c.fail(
            "workload.round_trip",
            format!("\"{round_trip}\""),
            "a duration from 1us to 60s (a call refused at once still takes the client a round trip, so a user cannot call again within the same instant)",
        );
    }
    let stopping = stopping_conditions.as_ref().map(|sc| validate_stops(c, s, sc));
    UserTest {
        pattern,
        spawn_mode,
        start: SimTime(start.0),
        think_time,
        round_trip,
        stopping,
    }
}

/// `workload.stopping_conditions`: the API's ranges, and the one-minute metrics period the
/// conditions are defined on.
fn validate_stops(c: &mut Check, s: &Scenario, sc: &file::StoppingConditions) -> StopRules {
    const AT: &str = "workload.stopping_conditions";
    if s.metrics.period.0 != SimDuration::from_secs(60) {
        c.fail(
            "metrics.period",
            format!("\"{}\" with {AT}", s.metrics.period.0),
            "60s: a load test's stopping conditions are checked on one-minute periods",
        );
    }
    let max_invocations = sc.max_invocations.inspect(|&m| {
        if !(1..=MAX_INVOCATIONS).contains(&m) {
            c.fail(
                &format!("{AT}.max_invocations"),
                m,
                &format!("an integer from 1 to {MAX_INVOCATIONS} invocations per minute (MaxInvocations)"),
            );
        }
    });
    let latency = match &sc.model_latency_thresholds[..] {
        [] => None,
        [t] => {
            let path = format!("{AT}.model_latency_thresholds[0]");
            let p = threshold_percentile(&t.percentile);
            if p.is_none() {
                c.fail(
                    &format!("{path}.percentile"),
                    format!("{:?}", t.percentile),
                    "P followed by a whole percentile from 1 to 99, e.g. \"P95\"",
                );
            }
            let ms = t.value_in_milliseconds;
            if !(1..=MAX_LATENCY_THRESHOLD_MS).contains(&ms) {
                c.fail(
                    &format!("{path}.value_in_milliseconds"),
                    ms,
                    &format!(
                        "an integer from 1 to {MAX_LATENCY_THRESHOLD_MS} milliseconds (a real-time call times out at 60 s)"
                    ),
                );
            }
            p.map(|p| (f64::from(p), ms * 1000))
        }
        list => {
            c.fail(
                &format!("{AT}.model_latency_thresholds"),
                format!("{} thresholds", list.len()),
                "at most one ModelLatencyThreshold(percentile, value_in_milliseconds)",
            );
            None
        }
    };
    let mut flatness = Flatness::default();
    if let Some(r) = sc.flat_rises {
        if !(1..=MAX_FLAT_RISES as u32).contains(&r) {
            c.fail(
                &format!("{AT}.flat_rises"),
                r,
                &format!("an integer from 1 to {MAX_FLAT_RISES} rises of the user count"),
            );
        }
        flatness.rises = r as usize;
    }
    if let Some(g) = sc.flat_growth_percent {
        if !(g.is_finite() && g > 0.0 && g <= 100.0) {
            c.fail(
                &format!("{AT}.flat_growth_percent"),
                g,
                "a percentage above 0 and at most 100",
            );
        }
        flatness.growth = g / 100.0;
    }
    StopRules {
        max_invocations,
        latency,
        flat: match sc.flat_invocations {
            file::FlatInvocations::Stop => FlatInvocations::Stop,
            file::FlatInvocations::Continue => FlatInvocations::Continue,
        },
        flatness,
        failure_share: None,
    }
}

fn validate_phases(c: &mut Check, phases: &[file::Phase], strict: bool, mode: SpawnMode) -> Vec<Phase> {
    if phases.is_empty() {
        c.fail(&format!("{PATH}.Phases"), "[]", "at least one phase");
    }
    let mut out = Vec::with_capacity(phases.len());
    let mut previous_end: Option<u64> = None;
    for (i, p) in phases.iter().enumerate() {
        let path = format!("{PATH}.Phases[{i}]");
        let users_max = if strict { 3 } else { MAX_USERS };
        let a = p.initial_number_of_users;
        if a < 1 || u64::from(a) > users_max {
            c.fail(
                &format!("{path}.initial_number_of_users"),
                a,
                &format!("an integer from 1 to {users_max} (InitialNumberOfUsers)"),
            );
        }
        let r = p.spawn_rate;
        if strict && r > 3 {
            c.fail(
                &format!("{path}.spawn_rate"),
                r,
                "an integer from 0 to 3 users per minute (SpawnRate; validation: Lenient accepts more)",
            );
        }
        let d = p.duration_in_seconds;
        if !(120..=3600).contains(&d) {
            c.fail(
                &format!("{path}.duration_in_seconds"),
                d,
                "an integer from 120 to 3600 (DurationInSeconds)",
            );
        }
        let phase = Phase {
            initial_number_of_users: a,
            spawn_rate: r,
            duration: SimDuration::from_secs(u64::from(d)),
        };
        let b = phase.end_users(mode);
        if b > MAX_USERS {
            c.fail(
                &format!("{path}.spawn_rate"),
                format!("{r} ({b} users at the end of the phase)"),
                &format!("at most {MAX_USERS} users at once"),
            );
        }
        if let Some(prev) = previous_end {
            if u64::from(a).abs_diff(prev) > 3 {
                c.fail(
                    &format!("{path}.initial_number_of_users"),
                    format!("{a} (the previous phase ends with {prev} users)"),
                    &format!(
                        "within 3 users of the previous phase's end: from {} to {}",
                        prev.saturating_sub(3).max(1),
                        prev + 3
                    ),
                );
            }
        }
        previous_end = Some(b);
        out.push(phase);
    }
    out
}

fn validate_stairs(
    c: &mut Check,
    duration: u32,
    steps: u32,
    per_step: u32,
    strict: bool,
    per_step_reading: bool,
) -> Stairs {
    let path = format!("{PATH}.Stairs");
    let (lo, hi, what) = if per_step_reading {
        (1, 3600, "each step")
    } else {
        (120, 3600, "the whole pattern")
    };
    if !(lo..=hi).contains(&duration) {
        c.fail(
            &format!("{path}.duration_in_seconds"),
            duration,
            &format!("an integer from {lo} to {hi}, the length of {what} (DurationInSeconds)"),
        );
    }
    let users_max = if strict { 3 } else { MAX_USERS };
    if per_step < 1 || u64::from(per_step) > users_max {
        c.fail(
            &format!("{path}.users_per_step"),
            per_step,
            &format!("an integer from 1 to {users_max} (UsersPerStep)"),
        );
    }
    let peak = u64::from(per_step) * u64::from(steps);
    if steps < 1 || peak > MAX_USERS {
        c.fail(
            &format!("{path}.number_of_steps"),
            format!("{steps} ({peak} users in the last step)"),
            &format!("an integer >= 1 with at most {MAX_USERS} users in the last step (NumberOfSteps)"),
        );
    }
    let length = SimDuration::from_secs(u64::from(duration));
    Stairs {
        duration: if per_step_reading {
            SimDuration(length.0 * u64::from(steps.max(1)))
        } else {
            length
        },
        number_of_steps: steps.max(1),
        users_per_step: per_step,
    }
}
