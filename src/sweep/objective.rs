//! Objective, constraints and the Pareto front of a sweep.
//!
//! A constraint is judged on the mean over replications of a run's value, or with `at C %
//! confidence` on the one-sided confidence bound on the side the bound guards (the upper bound
//! for `<=` and `<`, the lower for `>=` and `>`): Student's t over the replications for a
//! measure, the Wilson score bound for a 0/1 outcome (`slo.met`). A run's value is a summary
//! metric, or with `per minute` the worst metrics period of a `timeseries.csv` column (the
//! largest for `<=` and `<`, the smallest for `>=` and `>`), recorded as the run metric
//! `max_per_minute.<column>` or `min_per_minute.<column>`. A point is feasible when every
//! constraint holds (a missing value fails it). The best
//! point is the feasible point with the lowest (or highest) mean objective; ties go to the lower
//! point index. The Pareto front is taken over every point with both means present, minimising
//! `cost_usd` and `latency_ms.p99`: a point is on it when no other point is at least as good on
//! both and better on one.

use super::stats::Stat;
use statrs::distribution::{ContinuousCDF, StudentsT};
use std::fmt;

pub const PARETO_COST: &str = "cost_usd";
pub const PARETO_LATENCY: &str = "latency_ms.p99";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Minimize,
    Maximize,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Minimize => "minimize",
            Direction::Maximize => "maximize",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Objective {
    pub direction: Direction,
    pub metric: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Le,
    Lt,
    Ge,
    Gt,
}

impl Cmp {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Cmp::Le => a <= b,
            Cmp::Lt => a < b,
            Cmp::Ge => a >= b,
            Cmp::Gt => a > b,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Cmp::Le => "<=",
            Cmp::Lt => "<",
            Cmp::Ge => ">=",
            Cmp::Gt => ">",
        }
    }
}

/// `METRIC OP NUMBER [per minute] [at C % confidence]`, the number optionally in percent
/// (`0.1 %` is 0.001).
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    /// As written in the sweep file.
    pub text: String,
    /// The run metric judged: a summary metric, or for `per minute` the worst period's value
    /// (`max_per_minute.<column>` / `min_per_minute.<column>`).
    pub metric: String,
    /// `per minute`: the `timeseries.csv` column (or `error_rate`) judged in every period.
    pub per_minute: Option<String>,
    /// `at C % confidence`: the one-sided confidence level, as a fraction (0.95).
    pub confidence: Option<f64>,
    pub cmp: Cmp,
    pub bound: f64,
}

/// Lowest and highest confidence level `at C % confidence` takes, in percent.
pub const CONFIDENCE_PERCENT: (f64, f64) = (50.0, 99.9);

/// What a constraint compares with its bound at one point: the mean, or a confidence bound.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Judged {
    pub value: Option<f64>,
    pub holds: bool,
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.metric, self.cmp.as_str(), self.bound)
    }
}

impl Constraint {
    /// Parses `latency_ms.p99 <= 250`, `error_rate < 0.1 %`, `latency_p99_ms <= 500 per
    /// minute` or `latency_ms.p999 <= 175 at 95 % confidence`.
    pub fn parse(text: &str) -> Result<Constraint, String> {
        let ops = [("<=", Cmp::Le), (">=", Cmp::Ge), ("<", Cmp::Lt), (">", Cmp::Gt)];
        let Some((at, op, cmp)) = ops
            .iter()
            .filter_map(|(op, cmp)| text.find(op).map(|at| (at, *op, *cmp)))
            .min_by_key(|(at, _, _)| *at)
        else {
            return Err("expected METRIC OP NUMBER with OP one of <=, <, >=, >".into());
        };
        let metric = text[..at].trim();
        let mut rest = text[at + op.len()..].trim();
        if metric.is_empty() {
            return Err("the metric is missing before the comparison".into());
        }
        let mut confidence = None;
        if let Some(head) = rest.strip_suffix("confidence") {
            let head = head.trim_end();
            let Some((before, level)) = head.rsplit_once(" at ") else {
                return Err("expected `at C % confidence` at the end, e.g. `at 95 % confidence`".into());
            };
            let (lo, hi) = CONFIDENCE_PERCENT;
            let c: f64 = level
                .trim()
                .strip_suffix('%')
                .and_then(|n| n.trim().parse().ok())
                .filter(|c| (lo..=hi).contains(c))
                .ok_or_else(|| {
                    format!(
                        "`{}` is not a confidence level; allowed: {lo} % to {hi} %",
                        level.trim()
                    )
                })?;
            confidence = Some(c / 100.0);
            rest = before.trim_end();
        }
        let mut per_minute = None;
        if let Some(before) = rest.strip_suffix("per minute") {
            per_minute = Some(metric.to_string());
            rest = before.trim_end();
        }
        let (number, scale) = match rest.strip_suffix('%') {
            Some(n) => (n.trim(), 0.01),
            None => (rest, 1.0),
        };
        let bound: f64 = number
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| format!("`{rest}` is not a number (a percentage ends in `%`)"))?;
        let metric = match (&per_minute, cmp) {
            (Some(m), Cmp::Le | Cmp::Lt) => format!("max_per_minute.{m}"),
            (Some(m), Cmp::Ge | Cmp::Gt) => format!("min_per_minute.{m}"),
            (None, _) => metric.to_string(),
        };
        Ok(Constraint {
            text: text.to_string(),
            metric,
            per_minute,
            confidence,
            cmp,
            bound: bound * scale,
        })
    }

    /// Does the value satisfy the constraint? A missing value does not.
    pub fn holds(&self, value: Option<f64>) -> bool {
        value.is_some_and(|m| self.cmp.holds(m, self.bound))
    }

    /// Judges the constraint on a point's statistics of its metric: the mean, or with a
    /// confidence level the one-sided bound on the side the bound guards. `fraction`: the
    /// metric is a 0/1 outcome (Wilson bound) rather than a measure (Student's t). A bound
    /// needs two runs; with fewer it is missing and the constraint fails.
    pub fn judge(&self, stat: &Stat, fraction: bool) -> Judged {
        let upper = matches!(self.cmp, Cmp::Le | Cmp::Lt);
        let value = match self.confidence {
            None => stat.mean,
            Some(c) => one_sided_bound(stat, fraction, c, upper),
        };
        Judged {
            value,
            holds: self.holds(value),
        }
    }

    /// How the judged value is named in messages: `mean`, or `upper 95 % bound`.
    pub fn value_name(&self) -> String {
        match self.confidence {
            None => "mean".into(),
            Some(c) => format!(
                "{} {} % bound",
                if matches!(self.cmp, Cmp::Le | Cmp::Lt) {
                    "upper"
                } else {
                    "lower"
                },
                fmt_level(c)
            ),
        }
    }
}

/// `0.95` as `95`, `0.999` as `99.9`.
fn fmt_level(c: f64) -> String {
    let p = (c * 1000.0).round() / 10.0;
    format!("{p}")
}

/// The one-sided `level` confidence bound of a point's mean (upper or lower): Student's t with
/// n − 1 degrees of freedom over the runs for a measure, the Wilson score bound for a share of
/// 0/1 outcomes (exact at the ends, where the t bound of a share of 0 or 1 would claim
/// certainty). `None` with fewer than two runs.
pub fn one_sided_bound(stat: &Stat, fraction: bool, level: f64, upper: bool) -> Option<f64> {
    let mean = stat.mean?;
    if stat.n < 2 {
        return None;
    }
    let n = stat.n as f64;
    if fraction {
        let (lo, hi) = super::stats::wilson(mean, n, super::stats::z(level));
        return Some(if upper { hi } else { lo });
    }
    let sd = stat.sd?;
    let t = StudentsT::new(0.0, 1.0, n - 1.0)
        .expect("n >= 2 gives a valid Student t")
        .inverse_cdf(level);
    let half = t * sd / n.sqrt();
    Some(if upper { mean + half } else { mean - half })
}

/// Index of the best point among `candidates` (point index, mean objective value).
pub fn best(direction: Direction, candidates: impl IntoIterator<Item = (usize, f64)>) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, v) in candidates {
        let better = match best {
            None => true,
            Some((_, b)) => match direction {
                Direction::Minimize => v < b,
                Direction::Maximize => v > b,
            },
        };
        if better {
            best = Some((i, v));
        }
    }
    best.map(|(i, _)| i)
}

/// Which of `points` (index, cost, latency) are on the Pareto front, both minimised; in input
/// order.
pub fn pareto(points: &[(usize, f64, f64)]) -> Vec<usize> {
    points
        .iter()
        .filter(|(i, c, l)| {
            !points
                .iter()
                .any(|(j, c2, l2)| j != i && c2 <= c && l2 <= l && (c2 < c || l2 < l))
        })
        .map(|(i, _, _)| *i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_parse() {
        let c = Constraint::parse("latency_ms.p99 <= 250").unwrap();
        assert_eq!((c.metric.as_str(), c.cmp, c.bound), ("latency_ms.p99", Cmp::Le, 250.0));
        let c = Constraint::parse("error_rate < 0.1 %").unwrap();
        assert_eq!((c.cmp, c.bound), (Cmp::Lt, 0.001));
        assert!(c.holds(Some(0.0005)) && !c.holds(Some(0.001)) && !c.holds(None));
        assert!(Constraint::parse("cost_usd = 3").is_err());
        assert!(Constraint::parse("<= 3").is_err());
        assert!(Constraint::parse("x <= abc").is_err());
    }

    #[test]
    fn best_and_front() {
        assert_eq!(best(Direction::Minimize, [(0, 3.0), (1, 2.0), (2, 2.0)]), Some(1));
        assert_eq!(best(Direction::Maximize, [(0, 3.0), (1, 2.0)]), Some(0));
        assert_eq!(best(Direction::Minimize, []), None);
        // 1 dominates 3; 0, 1, 2 trade cost against latency; 4 ties 2 and stays.
        let pts = [
            (0, 1.0, 9.0),
            (1, 2.0, 5.0),
            (2, 4.0, 1.0),
            (3, 3.0, 6.0),
            (4, 4.0, 1.0),
        ];
        assert_eq!(pareto(&pts), vec![0, 1, 2, 4]);
    }
}
