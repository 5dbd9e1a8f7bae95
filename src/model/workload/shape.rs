//! Request-rate shapes `lambda(t)` in requests per second, and local upper bounds on them.
//!
//! The bound over an interval is what makes thinning exact and cheap: the arrival generator
//! proposes candidates at the interval's bound and accepts each with `lambda(t) / bound`.

use crate::engine::{SimDuration, SimTime};

/// A time-varying arrival rate in requests per second.
#[derive(Clone, Debug, PartialEq)]
pub enum RateShape {
    /// A fixed rate.
    Constant(f64),
    /// `from_rps` until `start`, linear to `to_rps` at `start + duration`, then `to_rps`.
    Ramp {
        from_rps: f64,
        to_rps: f64,
        start: SimTime,
        duration: SimDuration,
    },
    /// Piecewise constant: each `(at, rps)` holds from `at` until the next step; zero before the
    /// first step. Steps are sorted by time.
    Steps(Vec<(SimTime, f64)>),
    /// `mean * (1 + amplitude * cos(2 pi (t - peak_at) / period))`.
    Diurnal {
        mean_rps: f64,
        amplitude: f64,
        period: SimDuration,
        peak_at: SimTime,
    },
    /// `base` multiplied by `multiplier` on `[start, start + duration)`.
    Spike {
        base: Box<RateShape>,
        start: SimTime,
        duration: SimDuration,
        multiplier: f64,
    },
    /// The sum of several shapes.
    Sum(Vec<RateShape>),
}

impl RateShape {
    /// A staircase, as a load test's `STAIRS` pattern lays it out (docs/semantics/load-tests.md §3,
    /// autoscaling.md I8): `number_of_steps` steps of `duration / number_of_steps` each (whole
    /// microseconds, rounded down), step `k` (from 0) at `(k + 1) x per_step` requests per
    /// second; the last level holds after `duration`. 600 s in 5 steps: a step every 120 s.
    pub fn stairs(duration: SimDuration, number_of_steps: u32, per_step: f64) -> RateShape {
        let n = number_of_steps.max(1);
        let step = duration.0 / u64::from(n);
        RateShape::Steps(
            (0..n)
                .map(|k| (SimTime(step * u64::from(k)), per_step * f64::from(k + 1)))
                .collect(),
        )
    }

    /// The rate at `t`, never negative.
    pub fn rate(&self, t: SimTime) -> f64 {
        match self {
            RateShape::Constant(r) => *r,
            RateShape::Ramp {
                from_rps,
                to_rps,
                start,
                duration,
            } => {
                if t <= *start {
                    *from_rps
                } else if t >= *start + *duration || duration.0 == 0 {
                    *to_rps
                } else {
                    let f = (t.0 - start.0) as f64 / duration.0 as f64;
                    from_rps + (to_rps - from_rps) * f
                }
            }
            RateShape::Steps(steps) => {
                // Steps are few; a partition point keeps this O(log n).
                let i = steps.partition_point(|(at, _)| *at <= t);
                if i == 0 {
                    0.0
                } else {
                    steps[i - 1].1
                }
            }
            RateShape::Diurnal {
                mean_rps,
                amplitude,
                period,
                peak_at,
            } => {
                let phase = (t.0 as f64 - peak_at.0 as f64) / period.0 as f64;
                (mean_rps * (1.0 + amplitude * (std::f64::consts::TAU * phase).cos())).max(0.0)
            }
            RateShape::Spike {
                base,
                start,
                duration,
                multiplier,
            } => {
                let r = base.rate(t);
                if t >= *start && t < *start + *duration {
                    r * multiplier
                } else {
                    r
                }
            }
            RateShape::Sum(parts) => parts.iter().map(|p| p.rate(t)).sum(),
        }
        .max(0.0)
    }

    /// An upper bound of the rate on `[t0, t1]` (tight for every shape but sums).
    pub fn bound(&self, t0: SimTime, t1: SimTime) -> f64 {
        match self {
            RateShape::Constant(r) => r.max(0.0),
            // Linear between the ends, constant outside: the maximum is at an end.
            RateShape::Ramp { .. } => self.rate(t0).max(self.rate(t1)),
            RateShape::Steps(steps) => {
                let mut m = self.rate(t0);
                for (at, r) in steps {
                    if *at > t0 && *at <= t1 {
                        m = m.max(*r);
                    }
                }
                m
            }
            RateShape::Diurnal {
                mean_rps,
                amplitude,
                period,
                peak_at,
            } => {
                // Monotone between a peak and a trough, so without a peak inside the interval the
                // maximum is at an end.
                let p = period.0 as f64;
                let k = ((t0.0 as f64 - peak_at.0 as f64) / p).ceil();
                let next_peak = peak_at.0 as f64 + k * p;
                if next_peak <= t1.0 as f64 {
                    mean_rps * (1.0 + amplitude.abs())
                } else {
                    self.rate(t0).max(self.rate(t1))
                }
            }
            RateShape::Spike {
                base,
                start,
                duration,
                multiplier,
            } => {
                let b = base.bound(t0, t1);
                let overlaps = t1 >= *start && t0 < *start + *duration;
                if overlaps {
                    b * multiplier.max(1.0)
                } else {
                    b
                }
            }
            RateShape::Sum(parts) => parts.iter().map(|p| p.bound(t0, t1)).sum(),
        }
    }

    /// The largest rate the shape ever reaches (used for sizing and reports).
    pub fn peak(&self, horizon: SimTime) -> f64 {
        self.bound(SimTime::ZERO, horizon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: u64) -> SimTime {
        SimTime::from_secs(x)
    }

    #[test]
    fn rates() {
        let ramp = RateShape::Ramp {
            from_rps: 100.0,
            to_rps: 400.0,
            start: s(10),
            duration: SimDuration::from_secs(30),
        };
        assert_eq!(ramp.rate(s(0)), 100.0);
        assert_eq!(ramp.rate(s(25)), 250.0);
        assert_eq!(ramp.rate(s(99)), 400.0);
        let steps = RateShape::Steps(vec![(s(0), 100.0), (s(60), 400.0)]);
        assert_eq!(steps.rate(s(59)), 100.0);
        assert_eq!(steps.rate(s(60)), 400.0);
        let d = RateShape::Diurnal {
            mean_rps: 300.0,
            amplitude: 0.6,
            period: SimDuration::from_secs(86_400),
            peak_at: s(14 * 3600),
        };
        assert!((d.rate(s(14 * 3600)) - 480.0).abs() < 1e-9);
        assert!((d.rate(s(2 * 3600)) - 120.0).abs() < 1e-9);
        let spike = RateShape::Spike {
            base: Box::new(RateShape::Constant(10.0)),
            start: s(5),
            duration: SimDuration::from_secs(5),
            multiplier: 3.0,
        };
        assert_eq!(spike.rate(s(7)), 30.0);
        assert_eq!(spike.rate(s(10)), 10.0);
        let sum = RateShape::Sum(vec![RateShape::Constant(1.0), RateShape::Constant(2.0)]);
        assert_eq!(sum.rate(s(1)), 3.0);
    }

    #[test]
    fn bounds_dominate_rates() {
        let shapes = [
            RateShape::Diurnal {
                mean_rps: 300.0,
                amplitude: 0.6,
                period: SimDuration::from_secs(3600),
                peak_at: s(600),
            },
            RateShape::Ramp {
                from_rps: 400.0,
                to_rps: 10.0,
                start: s(100),
                duration: SimDuration::from_secs(1000),
            },
            RateShape::Steps(vec![(s(0), 5.0), (s(50), 50.0), (s(70), 1.0)]),
            RateShape::Spike {
                base: Box::new(RateShape::Constant(10.0)),
                start: s(55),
                duration: SimDuration::from_secs(10),
                multiplier: 4.0,
            },
        ];
        for sh in &shapes {
            for a in (0..4000).step_by(7) {
                let (t0, t1) = (s(a), s(a + 13));
                let b = sh.bound(t0, t1);
                for x in a..=a + 13 {
                    assert!(sh.rate(s(x)) <= b + 1e-9, "{sh:?} at {x}: {} > {b}", sh.rate(s(x)));
                }
            }
        }
    }

    #[test]
    fn i8_stairs_of_600_s_in_5_steps_last_120_s_each() {
        let st = RateShape::stairs(SimDuration::from_secs(600), 5, 10.0);
        let RateShape::Steps(steps) = &st else {
            panic!("a staircase is piecewise constant")
        };
        let starts: Vec<u64> = steps.iter().map(|(t, _)| t.0 / 1_000_000).collect();
        assert_eq!(starts, [0, 120, 240, 360, 480]);
        assert_eq!(st.rate(s(119)), 10.0);
        assert_eq!(st.rate(s(120)), 20.0);
        assert_eq!(st.rate(s(599)), 50.0);
        assert_eq!(st.rate(s(900)), 50.0, "the top level holds");
    }
}
