//! Mean, standard deviation and 95 % confidence interval over replications.
//!
//! The interval is `mean ± t(0.975, n − 1) · sd / √n` with Student's t quantile from statrs and
//! the sample standard deviation (divisor n − 1): replications are few and their spread is
//! estimated, so the normal 1.96 would be too narrow.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Summary statistics of one metric at one point. `sd` and the interval need two values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stat {
    /// Values that were present (a metric can be missing, e.g. p99 with no completion).
    pub n: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub ci95: Option<(f64, f64)>,
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom.
pub fn t975(df: usize) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .expect("df >= 1 is a valid Student t")
        .inverse_cdf(0.975)
}

/// Statistics of the present values, summed in the order given (so results are reproducible).
pub fn stats_of_present(values: &[Option<f64>]) -> Stat {
    let xs: Vec<f64> = values.iter().flatten().copied().collect();
    let n = xs.len();
    if n == 0 {
        return Stat {
            n,
            mean: None,
            sd: None,
            ci95: None,
        };
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Stat {
            n,
            mean: Some(mean),
            sd: None,
            ci95: None,
        };
    }
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    let sd = var.sqrt();
    let half = t975(n - 1) * sd / (n as f64).sqrt();
    Stat {
        n,
        mean: Some(mean),
        sd: Some(sd),
        ci95: Some((mean - half, mean + half)),
    }
}

/// The standard normal quantile at `p` (1.96 at 0.975).
pub fn z(p: f64) -> f64 {
    Normal::new(0.0, 1.0).expect("the standard normal").inverse_cdf(p)
}

/// The Wilson score interval `(low, high)` of a share `p` of `n` 0/1 outcomes at normal
/// quantile `z` (1.96 for a two-sided 95 % interval): unlike `p ± z·sd`, it stays inside 0..1 and
/// is not empty when every outcome is the same.
pub fn wilson(p: f64, n: f64, z: f64) -> (f64, f64) {
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).max(0.0).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        // Two-sided 95 % critical values from any t table.
        for (df, t) in [(1, 12.706), (2, 4.303), (4, 2.776), (9, 2.262), (29, 2.045)] {
            assert!((t975(df) - t).abs() < 5e-4, "df {df}: {} vs {t}", t975(df));
        }
    }

    #[test]
    fn wilson_matches_published_values() {
        // 0 of 10: (0, 0.2775); 5 of 10: (0.2366, 0.7634); 20 of 20: (0.8389, 1), z = 1.96.
        let near = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 5e-4 && (a.1 - b.1).abs() < 5e-4;
        assert!(
            near(wilson(0.0, 10.0, 1.96), (0.0, 0.2775)),
            "{:?}",
            wilson(0.0, 10.0, 1.96)
        );
        assert!(
            near(wilson(0.5, 10.0, 1.96), (0.2366, 0.7634)),
            "{:?}",
            wilson(0.5, 10.0, 1.96)
        );
        assert!(
            near(wilson(1.0, 20.0, 1.96), (0.8389, 1.0)),
            "{:?}",
            wilson(1.0, 20.0, 1.96)
        );
    }

    #[test]
    fn missing_values_are_skipped() {
        let s = stats_of_present(&[Some(1.0), None, Some(3.0)]);
        assert_eq!(s.n, 2);
        assert_eq!(s.mean, Some(2.0));
        assert_eq!(stats_of_present(&[None]).mean, None);
        assert_eq!(stats_of_present(&[Some(5.0)]).sd, None);
    }
}
