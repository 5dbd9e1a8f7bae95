//! The arrival generator: produces the next arrival time of an open-loop workload, one at a time.
//!
//! Poisson arrivals at a time-varying rate use thinning over short segments: within a segment
//! candidates come at the segment's rate bound and are kept with probability `rate / bound`; a
//! candidate past the segment end restarts at the end, which is exact because exponential gaps are
//! memoryless. Internally the clock is an `f64` of microseconds so rounding never accumulates;
//! each emitted arrival is rounded to a whole microsecond.

use super::{ArrivalProcess, CountTrace, RateShape, TimestampTrace, Workload};
use crate::engine::{SimRng, SimTime};
use rand::RngExt;
use rand_distr::{Distribution, Exp1};

/// Length of a thinning segment [µs]. Shorter segments give tighter bounds (fewer rejected
/// candidates) at the cost of one extra draw per segment boundary.
const SEGMENT_US: f64 = 10_000_000.0;

/// Stateful generator of arrival times for one run.
#[derive(Debug)]
pub struct ArrivalGenerator {
    source: Source,
    horizon: f64,
}

#[derive(Debug)]
enum Source {
    Poisson {
        rate: RateShape,
        constant: bool,
        t: f64,
        seg_end: f64,
        bound: f64,
        /// Mean candidate gap at `bound` [µs], precomputed per segment to avoid a division.
        gap: f64,
    },
    Deterministic {
        rate: RateShape,
        t: f64,
        first: bool,
    },
    Counts {
        trace: CountTrace,
        row: usize,
        remaining: u64,
        /// Position inside the current period, as a fraction in [0, 1).
        pos: f64,
    },
    Timestamps {
        trace: TimestampTrace,
        next: usize,
    },
    /// No open-loop arrivals (closed-loop users alone).
    Silent,
}

impl ArrivalGenerator {
    /// A generator for `workload` that emits arrivals strictly before `horizon`.
    pub fn new(workload: &Workload, horizon: SimTime) -> Self {
        let source = match workload {
            Workload::Open {
                arrivals: ArrivalProcess::Poisson,
                rate,
            } => Source::Poisson {
                constant: matches!(rate, RateShape::Constant(_)),
                rate: rate.clone(),
                t: 0.0,
                seg_end: 0.0,
                bound: 0.0,
                gap: 0.0,
            },
            Workload::Open {
                arrivals: ArrivalProcess::Deterministic,
                rate,
            } => Source::Deterministic {
                rate: rate.clone(),
                t: 0.0,
                first: true,
            },
            Workload::TraceCounts(trace) => Source::Counts {
                trace: trace.clone(),
                row: 0,
                remaining: trace.rows.first().map_or(0, |r| r.1),
                pos: 0.0,
            },
            Workload::TraceTimestamps(trace) => Source::Timestamps {
                trace: trace.clone(),
                next: 0,
            },
            Workload::Users {
                background: Some(open), ..
            } => return ArrivalGenerator::new(open, horizon),
            Workload::Users { background: None, .. } => Source::Silent,
        };
        ArrivalGenerator {
            source,
            horizon: horizon.0 as f64,
        }
    }

    /// The next arrival strictly after the previous one (or equal, for traces with duplicate
    /// timestamps), or `None` when the workload has no more arrivals before the horizon.
    ///
    /// The common case, a Poisson candidate at a constant rate that lands inside the current
    /// segment, is handled here, inline at the caller: it is exactly the first pass of
    /// `next_slow`'s loop (same draw, same state change), and everything else (segment
    /// boundaries, other rate shapes and sources) goes through that loop.
    #[inline(always)]
    pub fn next(&mut self, rng: &mut SimRng) -> Option<SimTime> {
        if let Source::Poisson {
            constant: true,
            t,
            seg_end,
            bound,
            gap,
            ..
        } = &mut self.source
        {
            if *t < *seg_end && *bound > 0.0 {
                let e: f64 = Exp1.sample(rng);
                let cand = *t + e * *gap;
                if cand < *seg_end {
                    *t = cand;
                    // `seg_end <= horizon`, so the slow path's horizon check would pass.
                    // `cand < seg_end < 2^63`: through `i64`, the same integer as `as u64`, with
                    // fewer instructions.
                    return Some(SimTime((cand + 0.5) as i64 as u64));
                }
                // Past the segment: restart at its end, as the loop would.
                *t = *seg_end;
            }
        }
        self.next_slow(rng)
    }

    /// [`Self::next`] for every case; see there.
    #[inline(never)]
    fn next_slow(&mut self, rng: &mut SimRng) -> Option<SimTime> {
        let horizon = self.horizon;
        let t = match &mut self.source {
            Source::Poisson {
                rate,
                constant,
                t,
                seg_end,
                bound,
                gap,
            } => loop {
                if *t >= *seg_end {
                    if *t >= horizon {
                        return None;
                    }
                    *seg_end = (*t + SEGMENT_US).min(horizon);
                    *bound = rate.bound(SimTime(t.floor() as u64), SimTime(seg_end.ceil() as u64));
                    *gap = if *bound > 0.0 { 1e6 / *bound } else { 0.0 };
                }
                if *bound <= 0.0 {
                    *t = *seg_end;
                    continue;
                }
                let e: f64 = Exp1.sample(rng);
                let cand = *t + e * *gap;
                if cand >= *seg_end {
                    *t = *seg_end;
                    continue;
                }
                *t = cand;
                if *constant {
                    break cand;
                }
                let u: f64 = rng.random();
                if u * *bound < rate.rate(SimTime(cand as u64)) {
                    break cand;
                }
            },
            Source::Deterministic { rate, t, first } => {
                // Skip stretches of zero rate segment by segment.
                while rate.rate(SimTime(*t as u64)) <= 0.0 {
                    let end = *t + SEGMENT_US;
                    if rate.bound(SimTime(*t as u64), SimTime(end as u64)) <= 0.0 {
                        *t = end;
                    } else {
                        *t += 1_000.0;
                    }
                    if *t >= horizon {
                        return None;
                    }
                }
                if *first {
                    // The first arrival comes half a gap in, so a constant rate r gives exactly
                    // r arrivals per second in every whole second.
                    *first = false;
                    *t += 0.5e6 / rate.rate(SimTime(*t as u64));
                } else {
                    // Midpoint rule on the integrated rate: exact for constant and linear rates.
                    let r0 = rate.rate(SimTime(*t as u64));
                    let half = 0.5e6 / r0;
                    let rm = rate.rate(SimTime((*t + half) as u64));
                    *t += if rm > 0.0 { 1e6 / rm } else { 1e6 / r0 };
                }
                *t
            }
            Source::Counts {
                trace,
                row,
                remaining,
                pos,
            } => loop {
                let &(start, _) = trace.rows.get(*row)?;
                if *remaining == 0 {
                    *row += 1;
                    *pos = 0.0;
                    *remaining = trace.rows.get(*row).map_or(0, |r| r.1);
                    continue;
                }
                // The smallest of k uniforms on (pos, 1): pos + (1 - pos)(1 - U^(1/k)).
                let u: f64 = rng.random();
                *pos += (1.0 - *pos) * (1.0 - u.powf(1.0 / *remaining as f64));
                *remaining -= 1;
                break start.0 as f64 + *pos * trace.period.0 as f64;
            },
            Source::Timestamps { trace, next } => {
                let t = trace.times.get(*next)?;
                *next += 1;
                t.0 as f64
            }
            Source::Silent => return None,
        };
        if t >= horizon {
            return None;
        }
        // t >= 0, so adding one half and truncating rounds to nearest (cheaper than `round`).
        Some(SimTime((t + 0.5) as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{RngStreams, SimDuration};
    use std::sync::Arc;

    fn count(w: &Workload, secs: u64) -> Vec<SimTime> {
        let mut g = ArrivalGenerator::new(w, SimTime::from_secs(secs));
        let mut rng = RngStreams::new(11).stream("arrivals");
        std::iter::from_fn(|| g.next(&mut rng)).collect()
    }

    #[test]
    fn constant_rate_fast_path_is_the_loop() {
        // Rates from below one per segment to thousands per second, horizons ending mid-segment:
        // the inline path and the loop alone give the same times and leave the generator in the
        // same state (the next draw agrees too).
        for (rps, secs) in [(0.05, 1000), (3.0, 95), (500.0, 61), (20_000.0, 12)] {
            let w = Workload::Open {
                arrivals: ArrivalProcess::Poisson,
                rate: RateShape::Constant(rps),
            };
            let horizon = SimTime(secs * 1_000_000 + 7_000);
            let (mut fast, mut slow) = (ArrivalGenerator::new(&w, horizon), ArrivalGenerator::new(&w, horizon));
            let mut rf = RngStreams::new(5).stream("arrivals");
            let mut rs = RngStreams::new(5).stream("arrivals");
            let a: Vec<SimTime> = std::iter::from_fn(|| fast.next(&mut rf)).collect();
            let b: Vec<SimTime> = std::iter::from_fn(|| slow.next_slow(&mut rs)).collect();
            assert_eq!(a, b, "{rps} rps");
            assert!(!a.is_empty(), "{rps} rps");
            assert_eq!(rf.random::<u64>(), rs.random::<u64>(), "{rps} rps");
        }
    }

    #[test]
    fn poisson_constant_rate_count() {
        let w = Workload::Open {
            arrivals: ArrivalProcess::Poisson,
            rate: RateShape::Constant(200.0),
        };
        let n = count(&w, 1000).len() as f64;
        // Expected 200,000, sd ~447: 5 sd is 0.011 of the mean.
        assert!((n / 200_000.0 - 1.0).abs() < 0.012, "{n}");
    }

    #[test]
    fn poisson_follows_ramp() {
        let w = Workload::Open {
            arrivals: ArrivalProcess::Poisson,
            rate: RateShape::Ramp {
                from_rps: 0.0,
                to_rps: 100.0,
                start: SimTime::ZERO,
                duration: SimDuration::from_secs(1000),
            },
        };
        let v = count(&w, 1000);
        // Integral is 50,000; first half holds a quarter of it. 5 sd tolerances.
        assert!((v.len() as f64 / 50_000.0 - 1.0).abs() < 0.025);
        let first_half = v.iter().filter(|t| t.0 < 500_000_000).count() as f64;
        assert!((first_half / 12_500.0 - 1.0).abs() < 0.05, "{first_half}");
        assert!(v.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn deterministic_constant_rate_is_evenly_spaced() {
        let w = Workload::Open {
            arrivals: ArrivalProcess::Deterministic,
            rate: RateShape::Constant(4.0),
        };
        let v = count(&w, 10);
        assert_eq!(v.len(), 40);
        assert_eq!(v[0], SimTime(125_000));
        assert_eq!(v[1], SimTime(375_000));
    }

    #[test]
    fn deterministic_skips_zero_rate() {
        let w = Workload::Open {
            arrivals: ArrivalProcess::Deterministic,
            rate: RateShape::Steps(vec![(SimTime::from_secs(100), 2.0)]),
        };
        let v = count(&w, 110);
        assert_eq!(v.len(), 20);
        assert!(v[0] >= SimTime::from_secs(100));
    }

    #[test]
    fn count_trace_places_counts_inside_periods() {
        let trace = CountTrace {
            period: SimDuration::from_secs(60),
            rows: Arc::from(vec![
                (SimTime::ZERO, 5),
                (SimTime::from_secs(60), 0),
                (SimTime::from_secs(120), 3),
            ]),
        };
        let v = count(&Workload::TraceCounts(trace), 1000);
        assert_eq!(v.len(), 8);
        assert!(v[..5].iter().all(|t| t.0 < 60_000_000));
        assert!(v[5..].iter().all(|t| t.0 >= 120_000_000 && t.0 < 180_000_000));
        assert!(v.windows(2).all(|w| w[0] <= w[1]));
    }
}
