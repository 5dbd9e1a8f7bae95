//! The expected minimum and maximum request rates of a workload, per minute: what
//! `MinCapacity` and `MaxCapacity` are sized for (the capacity-planning notebook's `min_tps` and
//! `max_tps`).
//!
//! Open-loop arrivals: the rate shape averaged over each whole minute of the run (sampled every
//! second), so a dip shorter than a minute does not set the floor. A counts trace: each
//! period's count over its length. A timestamps trace: arrivals per minute. Closed-loop users
//! offer what they are answered, so they have no rate of their own: the caller must give one.

use crate::engine::{SimDuration, SimTime};
use crate::model::workload::Workload;

/// Lowest and highest per-minute mean rate [requests per second].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rates {
    pub min_rps: f64,
    pub max_rps: f64,
}

/// The workload's rates over `[0, duration)`; `None` for closed-loop users (with or without a
/// background load) and for a run shorter than a minute.
pub fn of(workload: &Workload, duration: SimDuration) -> Option<Rates> {
    let minutes = duration.0 / 60_000_000;
    let per_minute: Vec<f64> = match workload {
        Workload::Open { rate, .. } => (0..minutes)
            .map(|m| (0..60).map(|s| rate.rate(SimTime::from_secs(m * 60 + s))).sum::<f64>() / 60.0)
            .collect(),
        Workload::TraceCounts(t) => {
            let secs = t.period.0 as f64 / 1e6;
            t.rows
                .iter()
                .filter(|(start, _)| start.0 < duration.0)
                .map(|(_, n)| *n as f64 / secs)
                .collect()
        }
        Workload::TraceTimestamps(t) => {
            let mut counts = vec![0u64; minutes as usize];
            for at in t.times.iter() {
                if let Some(c) = counts.get_mut((at.0 / 60_000_000) as usize) {
                    *c += 1;
                }
            }
            counts.into_iter().map(|c| c as f64 / 60.0).collect()
        }
        Workload::Users { .. } => return None,
    };
    let min_rps = per_minute.iter().copied().reduce(f64::min)?;
    let max_rps = per_minute.iter().copied().reduce(f64::max)?;
    Some(Rates { min_rps, max_rps })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workload::{ArrivalProcess, RateShape};

    #[test]
    fn per_minute_means_of_a_shape() {
        let w = Workload::Open {
            arrivals: ArrivalProcess::Poisson,
            rate: RateShape::Steps(vec![(SimTime::ZERO, 10.0), (SimTime::from_secs(120), 40.0)]),
        };
        let r = of(&w, SimDuration::from_secs(300)).unwrap();
        assert_eq!((r.min_rps, r.max_rps), (10.0, 40.0));
        // A 30 s spike counts for half of its minute.
        let w = Workload::Open {
            arrivals: ArrivalProcess::Poisson,
            rate: RateShape::Spike {
                base: Box::new(RateShape::Constant(10.0)),
                start: SimTime::from_secs(60),
                duration: SimDuration::from_secs(30),
                multiplier: 3.0,
            },
        };
        let r = of(&w, SimDuration::from_secs(180)).unwrap();
        assert_eq!((r.min_rps, r.max_rps), (10.0, 20.0));
        assert!(of(&w, SimDuration::from_secs(59)).is_none());
    }
}
