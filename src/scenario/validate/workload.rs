//! The workload: an open-loop rate shape, a recorded trace replayed from the file read
//! beforehand, or a load test's closed-loop users (`users.rs`) with an optional open-loop
//! background.

use super::check::Check;
use super::files::Trace;
use super::users;
use crate::engine::SimTime;
use crate::model::workload::{ArrivalProcess, CountTrace, RateShape, TimestampTrace, Workload};
use crate::scenario::file::{self, Rate, Scenario, Workload as FileWorkload};
use crate::scenario::limits;
use std::sync::Arc;

/// Validates `workload`.
pub(super) fn validate(c: &mut Check, s: &Scenario, warnings: &mut Vec<String>) -> Workload {
    match &s.workload {
        users @ FileWorkload::Users { background, .. } => {
            let background = background.as_deref().map(|b| {
                if matches!(b, FileWorkload::Users { .. }) {
                    c.fail(
                        "workload.background",
                        "Users(...)",
                        "an Open(...) or Trace(...) workload",
                    );
                }
                Box::new(open_loop(c, "workload.background", b))
            });
            Workload::Users {
                test: users::validate(c, s, users, warnings),
                background,
            }
        }
        open => open_loop(c, "workload", open),
    }
}

/// An open-loop workload at `path`: the scenario's, or a load test's background.
fn open_loop(c: &mut Check, path: &str, w: &FileWorkload) -> Workload {
    match w {
        FileWorkload::Users { .. } => Workload::Open {
            arrivals: ArrivalProcess::Poisson,
            rate: RateShape::Constant(0.0),
        },
        FileWorkload::Open { arrivals, rate: r } => Workload::Open {
            arrivals: match arrivals {
                file::Arrivals::Poisson => ArrivalProcess::Poisson,
                file::Arrivals::Deterministic => ArrivalProcess::Deterministic,
            },
            rate: rate(c, &format!("{path}.rate"), r),
        },
        FileWorkload::Trace { format, scale, .. } => {
            let scale = c.finite_range(&format!("{path}.scale"), *scale, 0.0, 1e6, "a number from 0 to 1e6");
            match format {
                file::TraceFormat::Counts { period } => {
                    let period = c.positive_duration(&format!("{path}.format.period"), period.0);
                    let rows = match c.files.trace() {
                        Some(Trace::Counts(rows)) => rows.clone(),
                        _ => Arc::from(Vec::new()),
                    };
                    Workload::TraceCounts(CountTrace { period, rows })
                }
                file::TraceFormat::Timestamps => {
                    if scale != 1.0 {
                        c.fail(
                            &format!("{path}.scale"),
                            scale,
                            "1 (a timestamp trace cannot be scaled)",
                        );
                    }
                    let times = match c.files.trace() {
                        Some(Trace::Timestamps(times)) => times.clone(),
                        _ => Arc::from(Vec::new()),
                    };
                    Workload::TraceTimestamps(TimestampTrace { times })
                }
            }
        }
    }
}

/// A rate shape; `Spike` and `Sum` nest shapes of their own.
fn rate(c: &mut Check, path: &str, r: &Rate) -> RateShape {
    const RPS: &str = "a rate from 0 to 1e9 requests per second";
    match r {
        Rate::Constant(x) => {
            RateShape::Constant(c.finite_range(&format!("{path}.Constant"), *x, 0.0, limits::MAX_RPS, RPS))
        }
        Rate::Ramp {
            from_rps,
            to_rps,
            start,
            duration,
        } => RateShape::Ramp {
            from_rps: c.finite_range(&format!("{path}.from_rps"), *from_rps, 0.0, limits::MAX_RPS, RPS),
            to_rps: c.finite_range(&format!("{path}.to_rps"), *to_rps, 0.0, limits::MAX_RPS, RPS),
            start: SimTime(start.0 .0),
            duration: duration.0,
        },
        Rate::Steps(steps) => {
            if steps.is_empty() {
                c.fail(&format!("{path}.Steps"), "[]", "at least one step");
            }
            for (i, w) in steps.windows(2).enumerate() {
                if w[1].at <= w[0].at {
                    c.fail(
                        &format!("{path}.Steps[{}].at", i + 1),
                        format!("\"{}\"", w[1].at.0),
                        "steps in increasing time order",
                    );
                }
            }
            RateShape::Steps(
                steps
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        (
                            SimTime(s.at.0 .0),
                            c.finite_range(&format!("{path}.Steps[{i}].rps"), s.rps, 0.0, limits::MAX_RPS, RPS),
                        )
                    })
                    .collect(),
            )
        }
        Rate::Stairs {
            duration,
            number_of_steps,
            rps_per_step,
        } => {
            let d = c.positive_duration(&format!("{path}.duration"), duration.0);
            if *number_of_steps == 0 || *number_of_steps > 10_000 {
                c.fail(
                    &format!("{path}.number_of_steps"),
                    number_of_steps,
                    "an integer from 1 to 10000",
                );
                // The shape lays out one entry per step: never build it out of range.
                return RateShape::Constant(0.0);
            }
            if *number_of_steps > 0 && d.0 > 0 && d.0 / u64::from(*number_of_steps) == 0 {
                c.fail(
                    &format!("{path}.duration"),
                    format!("\"{}\" ({number_of_steps} steps)", duration.0),
                    "at least 1 µs per step",
                );
            }
            let per = c.finite_range(
                &format!("{path}.rps_per_step"),
                *rps_per_step,
                0.0,
                limits::MAX_RPS,
                RPS,
            );
            let top = per * f64::from(*number_of_steps);
            if top > limits::MAX_RPS {
                c.fail(
                    &format!("{path}.rps_per_step"),
                    format!("{per} ({number_of_steps} steps reach {top} requests per second)"),
                    "a top step of at most 1e9 requests per second",
                );
            }
            RateShape::stairs(d, *number_of_steps, per)
        }
        Rate::Diurnal {
            mean_rps,
            amplitude,
            period,
            peak_at,
        } => RateShape::Diurnal {
            mean_rps: c.finite_range(&format!("{path}.mean_rps"), *mean_rps, 0.0, limits::MAX_RPS, RPS),
            amplitude: c.finite_range(
                &format!("{path}.amplitude"),
                *amplitude,
                0.0,
                1.0,
                "a number from 0 to 1",
            ),
            period: c.positive_duration(&format!("{path}.period"), period.0),
            peak_at: SimTime(peak_at.0 .0),
        },
        Rate::Spike {
            base,
            start,
            duration,
            multiplier,
        } => RateShape::Spike {
            base: Box::new(rate(c, &format!("{path}.base"), base)),
            start: SimTime(start.0 .0),
            duration: duration.0,
            multiplier: c.finite_range(
                &format!("{path}.multiplier"),
                *multiplier,
                0.0,
                1e6,
                "a number from 0 to 1e6",
            ),
        },
        Rate::Sum(parts) => {
            if parts.is_empty() {
                c.fail(&format!("{path}.Sum"), "[]", "at least one shape");
            }
            RateShape::Sum(
                parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| rate(c, &format!("{path}.Sum[{i}]"), p))
                    .collect(),
            )
        }
    }
}
