//! Objective, constraints and the Pareto front of a sweep.
//!
//! Feasibility is judged on the mean over replications: a point is feasible when every
//! constraint holds for the mean of its metric (a missing mean fails the constraint). The best
//! point is the feasible point with the lowest (or highest) mean objective; ties go to the lower
//! point index. The Pareto front is taken over every point with both means present, minimising
//! `cost_usd` and `latency_ms.p99`: a point is on it when no other point is at least as good on
//! both and better on one.

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

/// `METRIC OP NUMBER`, the number optionally in percent (`0.1 %` is 0.001).
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    /// As written in the sweep file.
    pub text: String,
    pub metric: String,
    pub cmp: Cmp,
    pub bound: f64,
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.metric, self.cmp.as_str(), self.bound)
    }
}

impl Constraint {
    /// Parses `latency_ms.p99 <= 250` or `error_rate < 0.1 %`.
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
        let rest = text[at + op.len()..].trim();
        if metric.is_empty() {
            return Err("the metric is missing before the comparison".into());
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
        Ok(Constraint {
            text: text.to_string(),
            metric: metric.to_string(),
            cmp,
            bound: bound * scale,
        })
    }

    /// Does the mean satisfy the constraint? A missing mean does not.
    pub fn holds(&self, mean: Option<f64>) -> bool {
        mean.is_some_and(|m| self.cmp.holds(m, self.bound))
    }
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
