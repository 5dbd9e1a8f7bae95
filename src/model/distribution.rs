//! Duration distributions for service times and instance launch phases.
//!
//! Parameters are validated by the scenario layer; constructors here assume valid input and the
//! samplers never panic. Samples are rounded to whole microseconds.

use crate::engine::{SimDuration, SimRng};
use rand::RngExt;
use rand_distr::{Distribution, Exp1, Gamma, StandardNormal};
use std::sync::Arc;

/// z-score of the 99th percentile of the standard normal distribution.
pub const Z_P99: f64 = 2.326_347_874_040_841;

/// A distribution of non-negative durations.
#[derive(Clone, Debug, PartialEq)]
pub enum DurationDist {
    /// Always the same value.
    Constant(SimDuration),
    /// Uniform on `[min, max]`.
    Uniform { min: SimDuration, max: SimDuration },
    /// Exponential with the given mean.
    Exponential { mean: SimDuration },
    /// Log-normal given by its median and 99th percentile: `mu = ln(median)`,
    /// `sigma = ln(p99 / median) / z_0.99`.
    LogNormal {
        median: SimDuration,
        p99: SimDuration,
        mu: f64,
        sigma: f64,
    },
    /// Gamma given by mean and coefficient of variation: `shape = 1 / cv^2`, `scale = mean / shape`.
    Gamma {
        mean: SimDuration,
        cv: f64,
        dist: Gamma<f64>,
    },
    /// Uniform choice among recorded samples (microseconds).
    Empirical(Arc<[u64]>),
}

impl DurationDist {
    pub fn constant(d: SimDuration) -> Self {
        DurationDist::Constant(d)
    }

    /// Log-normal from median and p99; requires `0 < median <= p99`.
    pub fn lognormal(median: SimDuration, p99: SimDuration) -> Self {
        let m = median.micros().max(1) as f64;
        let mu = m.ln();
        let sigma = ((p99.micros().max(1) as f64) / m).ln() / Z_P99;
        DurationDist::LogNormal {
            median,
            p99,
            mu,
            sigma: sigma.max(0.0),
        }
    }

    /// Gamma from mean and coefficient of variation; requires `mean > 0`, `cv > 0`.
    pub fn gamma(mean: SimDuration, cv: f64) -> Option<Self> {
        let shape = 1.0 / (cv * cv);
        let scale = mean.micros() as f64 / shape;
        Gamma::new(shape, scale)
            .ok()
            .map(|dist| DurationDist::Gamma { mean, cv, dist })
    }

    /// Draws one duration.
    #[inline(always)]
    pub fn sample(&self, rng: &mut SimRng) -> SimDuration {
        let us = match self {
            DurationDist::Constant(d) => return *d,
            DurationDist::Uniform { min, max } => {
                if max.0 <= min.0 {
                    return *min;
                }
                return SimDuration(rng.random_range(min.0..=max.0));
            }
            DurationDist::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean.0 as f64
            }
            DurationDist::LogNormal { mu, sigma, .. } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
            DurationDist::Gamma { dist, .. } => dist.sample(rng),
            DurationDist::Empirical(samples) => {
                let i = rng.random_range(0..samples.len());
                return SimDuration(samples[i]);
            }
        };
        // Non-negative after the clamp, so +0.5 and truncation round to nearest. Below 2^63 the
        // conversion through `i64` gives the same integer as a direct `as u64`, in fewer
        // instructions (x86-64 has no unsigned conversion before AVX-512).
        SimDuration((us.clamp(0.0, 1e15) + 0.5) as i64 as u64)
    }

    /// The mean of the distribution, in microseconds.
    pub fn mean_micros(&self) -> f64 {
        match self {
            DurationDist::Constant(d) => d.0 as f64,
            DurationDist::Uniform { min, max } => (min.0 as f64 + max.0 as f64) / 2.0,
            DurationDist::Exponential { mean } => mean.0 as f64,
            DurationDist::LogNormal { mu, sigma, .. } => (mu + sigma * sigma / 2.0).exp(),
            DurationDist::Gamma { mean, .. } => mean.0 as f64,
            DurationDist::Empirical(s) => s.iter().map(|&x| x as f64).sum::<f64>() / s.len().max(1) as f64,
        }
    }

    /// The squared coefficient of variation (variance / mean^2), used by queueing formulas.
    pub fn scv(&self) -> f64 {
        let m = self.mean_micros();
        if m == 0.0 {
            return 0.0;
        }
        let var = match self {
            DurationDist::Constant(_) => 0.0,
            DurationDist::Uniform { min, max } => (max.0 as f64 - min.0 as f64).powi(2) / 12.0,
            DurationDist::Exponential { mean } => (mean.0 as f64).powi(2),
            DurationDist::LogNormal { mu, sigma, .. } => {
                ((sigma * sigma).exp() - 1.0) * (2.0 * mu + sigma * sigma).exp()
            }
            DurationDist::Gamma { mean, cv, .. } => (cv * mean.0 as f64).powi(2),
            DurationDist::Empirical(s) => {
                s.iter().map(|&x| (x as f64 - m).powi(2)).sum::<f64>() / s.len().max(1) as f64
            }
        };
        var / (m * m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RngStreams;

    fn sample_mean(d: &DurationDist, n: usize) -> f64 {
        let mut rng = RngStreams::new(3).stream("t");
        (0..n).map(|_| d.sample(&mut rng).0 as f64).sum::<f64>() / n as f64
    }

    #[test]
    fn lognormal_hits_median_and_p99() {
        let d = DurationDist::lognormal(SimDuration::from_millis(40), SimDuration::from_millis(120));
        let mut rng = RngStreams::new(1).stream("t");
        let mut v: Vec<u64> = (0..200_000).map(|_| d.sample(&mut rng).0).collect();
        v.sort_unstable();
        let median = v[v.len() / 2] as f64;
        let p99 = v[v.len() * 99 / 100] as f64;
        // 200k samples: the empirical quantiles are within ~1 % of the true ones.
        assert!((median / 40_000.0 - 1.0).abs() < 0.02, "median {median}");
        assert!((p99 / 120_000.0 - 1.0).abs() < 0.03, "p99 {p99}");
    }

    #[test]
    fn means_match_parameters() {
        // 100k samples, cv <= 1: standard error of the mean <= 0.32 %, tolerance 2 %.
        for d in [
            DurationDist::Exponential {
                mean: SimDuration(10_000),
            },
            DurationDist::gamma(SimDuration(10_000), 0.5).unwrap(),
            DurationDist::Uniform {
                min: SimDuration(5_000),
                max: SimDuration(15_000),
            },
        ] {
            let m = sample_mean(&d, 100_000);
            assert!((m / d.mean_micros() - 1.0).abs() < 0.02, "{d:?}: {m}");
        }
    }

    #[test]
    fn scv_known_values() {
        assert_eq!(DurationDist::Constant(SimDuration(5)).scv(), 0.0);
        assert!((DurationDist::Exponential { mean: SimDuration(7) }.scv() - 1.0).abs() < 1e-12);
        assert!((DurationDist::gamma(SimDuration(100), 0.5).unwrap().scv() - 0.25).abs() < 1e-12);
    }
}
