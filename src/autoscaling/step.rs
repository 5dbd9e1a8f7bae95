//! Step scaling policies: validation of the step intervals and the pure mapping from an alarm
//! breach to a new capacity (docs/semantics/autoscaling.md §6.2 and §6.3, worked examples D).
//!
//! The policy only does arithmetic. Cooldowns (§7), the `[MinCapacity, MaxCapacity]`
//! clamp and arbitration between policies (§8) belong to the caller.

use super::alarm::{self, fmt_num, Aggregation};
use super::config_error::{ConfigError, FieldPath};
use std::fmt;

/// `Cooldown` of a step policy when none is given \[s\]. \[AWS\]
pub const DEFAULT_COOLDOWN_S: u64 = 300;

/// `AdjustmentType` (docs/semantics/autoscaling.md §6.1). \[AWS\]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AdjustmentType {
    /// `new = current + adjustment`.
    ChangeInCapacity,
    /// `new = current + round(current × adjustment / 100)`, rounded as docs/semantics/autoscaling.md §6.3 says.
    PercentChangeInCapacity,
    /// `new = adjustment`.
    ExactCapacity,
}

impl AdjustmentType {
    pub const ALL: [AdjustmentType; 3] = [
        AdjustmentType::ChangeInCapacity,
        AdjustmentType::PercentChangeInCapacity,
        AdjustmentType::ExactCapacity,
    ];

    pub fn name(self) -> &'static str {
        match self {
            AdjustmentType::ChangeInCapacity => "ChangeInCapacity",
            AdjustmentType::PercentChangeInCapacity => "PercentChangeInCapacity",
            AdjustmentType::ExactCapacity => "ExactCapacity",
        }
    }

    pub fn parse(s: &str) -> Result<AdjustmentType, String> {
        AdjustmentType::ALL.into_iter().find(|t| t.name() == s).ok_or_else(|| {
            format!("unknown AdjustmentType {s:?}; expected ChangeInCapacity, PercentChangeInCapacity or ExactCapacity")
        })
    }
}

impl fmt::Display for AdjustmentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One step: an interval of the breach `b = metric − threshold` and what to do in it.
/// \[AWS\]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepAdjustment {
    /// `MetricIntervalLowerBound`, relative to the alarm threshold; `None` = −∞.
    pub lower: Option<f64>,
    /// `MetricIntervalUpperBound`, relative to the alarm threshold; `None` = +∞.
    pub upper: Option<f64>,
    /// `ScalingAdjustment`: instances, percent, or the exact capacity, per the adjustment type.
    pub adjustment: i64,
}

impl StepAdjustment {
    /// Does the breach `b` fall in this step? Intervals are `[lower, upper)` for a breach above
    /// the threshold (`upward`) and `(lower, upper]` below it, so `b = 0` belongs to the
    /// `[0, …)` step of a scale-out policy and to the `(…, 0]` step of a scale-in policy
    /// (docs/semantics/autoscaling.md §6.2). Compared exactly, without an epsilon, as AWS compares doubles. \[assumption\]
    pub fn contains(&self, b: f64, upward: bool) -> bool {
        if b.is_nan() {
            return false;
        }
        let above_lower = self.lower.is_none_or(|l| if upward { b >= l } else { b > l });
        let below_upper = self.upper.is_none_or(|u| if upward { b < u } else { b <= u });
        above_lower && below_upper
    }

    /// The interval in mathematical notation, e.g. `[5, 80)`, `[80, +inf)`, `(-10, 0]`.
    pub fn interval(&self, upward: bool) -> String {
        let (open_lower, close_upper) = if upward { ("[", ")") } else { ("(", "]") };
        let lower = match self.lower {
            Some(l) => format!("{open_lower}{}", fmt_num(l)),
            None => "(-inf".to_string(),
        };
        let upper = match self.upper {
            Some(u) => format!("{}{close_upper}", fmt_num(u)),
            None => "+inf)".to_string(),
        };
        format!("{lower}, {upper}")
    }
}

/// A step bound as a configuration holds it: the number, or `None` when unbounded.
fn bound(b: Option<f64>) -> String {
    b.map_or("None".to_string(), |x| x.to_string())
}

/// `StepScalingPolicyConfiguration` (docs/semantics/autoscaling.md §6.1).
#[derive(Clone, Debug, PartialEq)]
pub struct StepPolicyConfig {
    pub adjustment_type: AdjustmentType,
    pub steps: Vec<StepAdjustment>,
    /// `MinAdjustmentMagnitude`: only with `PercentChangeInCapacity`. \[AWS\]
    pub min_adjustment_magnitude: Option<u32>,
    /// `Cooldown` \[s\]; [`DEFAULT_COOLDOWN_S`] when omitted. Applied by the caller (§7).
    pub cooldown_s: u64,
    /// `MetricAggregationType`; `Average` when omitted.
    pub aggregation: alarm::Aggregation,
}

/// What a step policy asks for, before cooldowns and the capacity clamp.
#[derive(Clone, Debug, PartialEq)]
pub struct StepOutcome {
    /// Index into `steps` of the step that matched.
    pub step_index: usize,
    /// `b = metric − threshold`.
    pub breach: f64,
    /// The capacity change (`ChangeInCapacity`, and `PercentChangeInCapacity` after rounding and
    /// `MinAdjustmentMagnitude`) or the exact capacity (`ExactCapacity`).
    pub delta_or_exact: i64,
    /// Requested capacity, never negative, not clamped to `[MinCapacity, MaxCapacity]`.
    pub new_capacity: i64,
    /// E.g. `breach 10 in [5, 80): +3; 3 -> 6`.
    pub reason: String,
}

impl StepPolicyConfig {
    /// A policy with the AWS defaults: no `MinAdjustmentMagnitude`, cooldown 300 s, `Average`.
    pub fn new(adjustment_type: AdjustmentType, steps: Vec<StepAdjustment>) -> StepPolicyConfig {
        StepPolicyConfig {
            adjustment_type,
            steps,
            min_adjustment_magnitude: None,
            cooldown_s: DEFAULT_COOLDOWN_S,
            aggregation: Aggregation::default(),
        }
    }

    /// Checks the AWS rules for step adjustments (docs/semantics/autoscaling.md §6.2) and the adjustment type (§6.3): at
    /// least one step; finite bounds with `lower < upper`; no step without both bounds; at most
    /// one step without a lower bound, required if any lower bound is negative; at most one
    /// without an upper bound, required if any upper bound is positive; no overlap and no gap;
    /// `ExactCapacity` adjustments `>= 0`; `MinAdjustmentMagnitude` only with
    /// `PercentChangeInCapacity`. \[AWS\] Reports the first violation on the field at fault
    /// (`steps[i].lower`, `.upper`, `.adjustment`, or `steps[i]`); of two steps in conflict, on
    /// the later one, naming the other in what is allowed.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let steps = &self.steps;
        let at = |i: usize, member: &'static str| FieldPath::item("steps", i).member(member);
        if steps.is_empty() {
            return Err(ConfigError::new(
                FieldPath::field("steps"),
                "[]",
                "at least one step adjustment",
            ));
        }
        for (i, s) in steps.iter().enumerate() {
            for (name, bound) in [("lower", s.lower), ("upper", s.upper)] {
                if let Some(x) = bound.filter(|x| !x.is_finite()) {
                    return Err(ConfigError::new(
                        at(i, name),
                        x,
                        "a finite number, or None for no bound",
                    ));
                }
            }
            match (s.lower, s.upper) {
                (None, None) => {
                    return Err(ConfigError::new(
                        FieldPath::item("steps", i),
                        "a step with neither a lower nor an upper bound",
                        "a step with a lower bound, an upper bound or both",
                    ))
                }
                (Some(l), Some(u)) if l >= u => {
                    return Err(ConfigError::new(
                        at(i, "lower"),
                        l,
                        format!("a number below this step's upper bound ({})", fmt_num(u)),
                    ))
                }
                _ => {}
            }
            if self.adjustment_type == AdjustmentType::ExactCapacity && s.adjustment < 0 {
                return Err(ConfigError::new(
                    at(i, "adjustment"),
                    s.adjustment,
                    "an integer >= 0 (with ExactCapacity the adjustment is the new capacity)",
                ));
            }
        }

        let no_lower: Vec<usize> = (0..steps.len()).filter(|&i| steps[i].lower.is_none()).collect();
        let no_upper: Vec<usize> = (0..steps.len()).filter(|&i| steps[i].upper.is_none()).collect();
        if let [a, b, ..] = no_lower[..] {
            return Err(ConfigError::new(
                at(b, "lower"),
                "None",
                format!(
                    "a number: the step at index {a} has no lower bound already, and at most one step may have none"
                ),
            ));
        }
        if let [a, b, ..] = no_upper[..] {
            return Err(ConfigError::new(
                at(b, "upper"),
                "None",
                format!(
                    "a number: the step at index {a} has no upper bound already, and at most one step may have none"
                ),
            ));
        }
        if no_lower.is_empty() {
            if let Some((i, l)) = steps
                .iter()
                .enumerate()
                .find_map(|(i, s)| s.lower.filter(|&l| l < 0.0).map(|l| (i, l)))
            {
                return Err(ConfigError::new(
                    at(i, "lower"),
                    l,
                    "a number >= 0 unless one step has no lower bound (none has)",
                ));
            }
        }
        if no_upper.is_empty() {
            if let Some((i, u)) = steps
                .iter()
                .enumerate()
                .find_map(|(i, s)| s.upper.filter(|&u| u > 0.0).map(|u| (i, u)))
            {
                return Err(ConfigError::new(
                    at(i, "upper"),
                    u,
                    "a number <= 0 unless one step has no upper bound (none has)",
                ));
            }
        }

        // Sorted by lower bound (−∞ first; ties keep index order), consecutive steps must meet
        // exactly: the upper bound of one is the lower bound of the next.
        let mut order: Vec<usize> = (0..steps.len()).collect();
        order.sort_by(|&a, &b| {
            let key = |i: usize| steps[i].lower.unwrap_or(f64::NEG_INFINITY);
            key(a).total_cmp(&key(b))
        });
        for pair in order.windows(2) {
            let (p, q) = (pair[0], pair[1]);
            let (sp, sq) = (&steps[p], &steps[q]);
            let next_lower = sq.lower.unwrap_or(f64::NEG_INFINITY);
            let this_upper = sp.upper.unwrap_or(f64::INFINITY);
            let problem = if this_upper < next_lower {
                format!(
                    "these leave a gap between {} and {}",
                    fmt_num(this_upper),
                    fmt_num(next_lower)
                )
            } else if this_upper > next_lower {
                let overlap_end = this_upper.min(sq.upper.unwrap_or(f64::INFINITY));
                format!(
                    "these overlap between {} and {}",
                    fmt_num(next_lower),
                    fmt_num(overlap_end)
                )
            } else {
                continue;
            };
            // The later step of the two is at fault: its bound must meet the other's.
            return Err(if q > p {
                ConfigError::new(
                    at(q, "lower"),
                    bound(sq.lower),
                    format!(
                        "the upper bound of the step at index {p} ({}), as consecutive steps meet without gap or overlap; {problem}",
                        bound(sp.upper)
                    ),
                )
            } else {
                ConfigError::new(
                    at(p, "upper"),
                    bound(sp.upper),
                    format!(
                        "the lower bound of the step at index {q} ({}), as consecutive steps meet without gap or overlap; {problem}",
                        bound(sq.lower)
                    ),
                )
            });
        }

        if let Some(m) = self.min_adjustment_magnitude {
            if self.adjustment_type != AdjustmentType::PercentChangeInCapacity {
                return Err(ConfigError::new(
                    FieldPath::field("min_adjustment_magnitude"),
                    m,
                    format!(
                        "None unless the adjustment type is PercentChangeInCapacity (it is {})",
                        self.adjustment_type
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Index of the step containing the breach `b`; the first in `steps` order if an invalid
    /// configuration has several.
    pub fn matching_step(&self, b: f64, upward: bool) -> Option<usize> {
        self.steps.iter().position(|s| s.contains(b, upward))
    }

    /// The metric a step policy compares with the threshold: its `aggregation` over the present
    /// datapoints among the `datapoints_to_alarm` most recent slots of the alarm window (oldest
    /// first); for a 1-of-1 alarm, the latest datapoint. `None` when all of them are missing.
    /// Which datapoints AWS aggregates is undocumented. [assumption, docs/semantics/autoscaling.md §6.2]
    pub fn aggregated_metric(&self, window: &[Option<f64>], datapoints_to_alarm: u32) -> Option<f64> {
        let m = (datapoints_to_alarm as usize).min(window.len());
        let recent: Vec<f64> = window[window.len() - m..].iter().flatten().copied().collect();
        alarm::aggregate(&recent, self.aggregation)
    }

    /// Runs the policy for an alarm breach: `b = metric − threshold` picks the step (`upward` =
    /// the alarm fires above its threshold, see [`StepAdjustment::contains`]), then docs/semantics/autoscaling.md §6.3
    /// turns it into a capacity. `None` when no step contains `b` (or `b` is NaN).
    ///
    /// Not clamped to `[MinCapacity, MaxCapacity]` (the caller does that) but floored at 0.
    /// `PercentChangeInCapacity` rounds `current × adjustment / 100` toward zero when its
    /// magnitude exceeds 1 (12.7 → 12, −6.67 → −6) and away from zero below 1 (0.67 → 1,
    /// −0.58 → −1); a set `MinAdjustmentMagnitude` then raises a smaller magnitude to itself.
    /// \[AWS\]
    pub fn apply(&self, current: u32, metric: f64, threshold: f64, upward: bool) -> Option<StepOutcome> {
        let breach = metric - threshold;
        let step_index = self.matching_step(breach, upward)?;
        let step = &self.steps[step_index];
        let adj = step.adjustment;
        let cur = i128::from(current);
        let head = format!("breach {} in {}", fmt_num(breach), step.interval(upward));
        let (delta_or_exact, raw_new, what) = match self.adjustment_type {
            AdjustmentType::ChangeInCapacity => (i128::from(adj), cur + i128::from(adj), format!("{adj:+}")),
            AdjustmentType::ExactCapacity => (i128::from(adj), i128::from(adj), format!("exactly {adj}")),
            AdjustmentType::PercentChangeInCapacity => {
                // Integer arithmetic keeps the rounding exact: `/` truncates toward zero.
                let product = cur * i128::from(adj);
                let mut delta = product / 100;
                if delta == 0 && product != 0 {
                    delta = product.signum();
                }
                let mut what = format!(
                    "{adj:+}% of {current} = {} -> {delta:+}",
                    fmt_num(product as f64 / 100.0)
                );
                if let Some(mag) = self.min_adjustment_magnitude {
                    // Sign of the adjustment, not of `delta`: they agree unless `current` is 0,
                    // where AWS is silent and a set minimum should still move capacity. [assumption]
                    if adj != 0 && delta.abs() < i128::from(mag) {
                        delta = i128::from(adj.signum()) * i128::from(mag);
                        what.push_str(&format!(", min magnitude {mag} -> {delta:+}"));
                    }
                }
                (delta, cur + delta, what)
            }
        };
        let new_capacity = raw_new.clamp(0, i128::from(i64::MAX)) as i64;
        let mut reason = format!("{head}: {what}; {current} -> {new_capacity}");
        if raw_new < 0 {
            reason.push_str(&format!(" (floored at 0 from {raw_new})"));
        }
        Some(StepOutcome {
            step_index,
            breach,
            delta_or_exact: delta_or_exact.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64,
            new_capacity,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(lower: Option<f64>, upper: Option<f64>, adjustment: i64) -> StepAdjustment {
        StepAdjustment {
            lower,
            upper,
            adjustment,
        }
    }

    /// Notebook step policy (docs/semantics/autoscaling.md §6.4): [0, 5) -> +1, [5, 80) -> +3, [80, inf) -> +4.
    fn notebook() -> StepPolicyConfig {
        StepPolicyConfig::new(
            AdjustmentType::ChangeInCapacity,
            vec![
                step(Some(0.0), Some(5.0), 1),
                step(Some(5.0), Some(80.0), 3),
                step(Some(80.0), None, 4),
            ],
        )
    }

    /// A scale-in policy: (-10, 0] -> -1, (-inf, -10] -> -2.
    fn scale_in() -> StepPolicyConfig {
        StepPolicyConfig::new(
            AdjustmentType::ChangeInCapacity,
            vec![step(Some(-10.0), Some(0.0), -1), step(None, Some(-10.0), -2)],
        )
    }

    fn percent(adjustment: i64, min_magnitude: Option<u32>) -> StepPolicyConfig {
        StepPolicyConfig {
            min_adjustment_magnitude: min_magnitude,
            ..StepPolicyConfig::new(
                AdjustmentType::PercentChangeInCapacity,
                vec![step(Some(0.0), None, adjustment)],
            )
        }
    }

    #[test]
    fn seed_policies_validate() {
        let ic = StepPolicyConfig {
            cooldown_s: 60,
            aggregation: Aggregation::Maximum,
            ..StepPolicyConfig::new(AdjustmentType::ChangeInCapacity, vec![step(Some(0.0), None, 1)])
        };
        let asynchronous = StepPolicyConfig::new(AdjustmentType::ChangeInCapacity, vec![step(Some(0.0), None, 1)]);
        for p in [notebook(), ic, asynchronous, scale_in(), percent(25, Some(2))] {
            assert_eq!(p.validate(), Ok(()), "{p:?}");
        }
        assert_eq!(notebook().cooldown_s, 300);
        assert_eq!(notebook().aggregation, Aggregation::Average);
    }

    /// D1: the notebook steps against the breach (threshold 0, so metric = b exactly).
    #[test]
    fn d1_notebook_steps() {
        let rows = [
            (0.0, 0, 1),
            (4.99, 0, 1),
            (5.0, 1, 3),
            (79.99, 1, 3),
            (80.0, 2, 4),
            (1000.0, 2, 4),
        ];
        for (b, index, adj) in rows {
            let out = notebook().apply(3, b, 0.0, true).expect("a step matches");
            assert_eq!(
                (out.step_index, out.delta_or_exact, out.new_capacity),
                (index, adj, 3 + adj),
                "b = {b}"
            );
        }
        assert_eq!(
            notebook().apply(3, -0.01, 0.0, true),
            None,
            "below the threshold no step matches"
        );
    }

    /// D2 (the caller clamps 14 to MaxCapacity 12) and D7's two policies before arbitration.
    #[test]
    fn d2_d7_unclamped_capacities() {
        let plus_200 = percent(200, None);
        let rows = [
            (notebook(), 3, 10.0, 6, "breach 10 in [5, 80): +3; 3 -> 6"),
            (notebook(), 10, 100.0, 14, "breach 100 in [80, +inf): +4; 10 -> 14"),
            (
                StepPolicyConfig::new(AdjustmentType::ChangeInCapacity, vec![step(Some(0.0), None, 3)]),
                10,
                1.0,
                13,
                "breach 1 in [0, +inf): +3; 10 -> 13",
            ),
            (
                plus_200,
                10,
                1.0,
                30,
                "breach 1 in [0, +inf): +200% of 10 = 20 -> +20; 10 -> 30",
            ),
        ];
        for (policy, current, b, new, reason) in rows {
            let out = policy.apply(current, 50.0 + b, 50.0, true).unwrap();
            assert_eq!((out.new_capacity, out.reason.as_str()), (new, reason));
        }
    }

    /// D3: threshold 50; [0, 10) matches 50..<60 upward, (-10, 0] matches >40..50 downward.
    #[test]
    fn d3_inclusivity_both_directions() {
        let up = StepPolicyConfig::new(
            AdjustmentType::ChangeInCapacity,
            vec![step(Some(0.0), Some(10.0), 1), step(Some(10.0), None, 2)],
        );
        // (policy, upward, metric, matched step)
        let rows = [
            (&up, true, 50.0, Some(0)),
            (&up, true, 55.0, Some(0)),
            (&up, true, 59.99, Some(0)),
            (&up, true, 60.0, Some(1)),
            (&up, true, 49.99, None),
            (&scale_in(), false, 50.0, Some(0)),
            (&scale_in(), false, 45.0, Some(0)),
            (&scale_in(), false, 40.01, Some(0)),
            (&scale_in(), false, 40.0, Some(1)),
            (&scale_in(), false, 0.0, Some(1)),
            (&scale_in(), false, 50.01, None),
        ];
        for (policy, upward, metric, want) in rows {
            let got = policy.apply(4, metric, 50.0, upward).map(|o| o.step_index);
            assert_eq!(got, want, "metric {metric}, upward {upward}");
        }
        // b = 0 sits in the [0, ..) step going up and in the (.., 0] step going down.
        let edge = step(Some(0.0), Some(0.5), 1);
        assert!(edge.contains(0.0, true) && !edge.contains(0.0, false));
        let edge = step(Some(-0.5), Some(0.0), -1);
        assert!(!edge.contains(0.0, true) && edge.contains(0.0, false));
        assert_eq!(up.steps[0].interval(true), "[0, 10)");
        assert_eq!(scale_in().steps[1].interval(false), "(-inf, -10]");
    }

    /// D4 rounding and D5 MinAdjustmentMagnitude (25 % of 4 = 1, minimum 2 -> +2).
    #[test]
    fn d4_d5_percent_change() {
        // (current, adjustment %, min magnitude, delta, reason)
        let rows = [
            (127, 10, None, 12, "+10% of 127 = 12.7 -> +12; 127 -> 139"),
            (67, 1, None, 1, "+1% of 67 = 0.67 -> +1; 67 -> 68"),
            (58, -1, None, -1, "-1% of 58 = -0.58 -> -1; 58 -> 57"),
            (667, -1, None, -6, "-1% of 667 = -6.67 -> -6; 667 -> 661"),
            (4, 25, None, 1, "+25% of 4 = 1 -> +1; 4 -> 5"),
            (4, 25, Some(2), 2, "+25% of 4 = 1 -> +1, min magnitude 2 -> +2; 4 -> 6"),
            (40, 25, Some(2), 10, "+25% of 40 = 10 -> +10; 40 -> 50"),
            (
                4,
                -25,
                Some(2),
                -2,
                "-25% of 4 = -1 -> -1, min magnitude 2 -> -2; 4 -> 2",
            ),
            (0, 50, None, 0, "+50% of 0 = 0 -> +0; 0 -> 0"),
            (0, 50, Some(1), 1, "+50% of 0 = 0 -> +0, min magnitude 1 -> +1; 0 -> 1"),
            (
                3,
                -200,
                None,
                -6,
                "-200% of 3 = -6 -> -6; 3 -> 0 (floored at 0 from -3)",
            ),
        ];
        for (current, adj, mag, delta, reason) in rows {
            let out = percent(adj, mag).apply(current, 10.0, 0.0, true).unwrap();
            let want_new = (i64::from(current) + delta).max(0);
            let got = (
                out.delta_or_exact,
                out.new_capacity,
                out.reason.strip_prefix("breach 10 in [0, +inf): "),
            );
            assert_eq!(got, (delta, want_new, Some(reason)), "{adj}% of {current}");
        }
    }

    #[test]
    fn exact_and_scale_in_capacities() {
        let exact = StepPolicyConfig::new(
            AdjustmentType::ExactCapacity,
            vec![step(Some(0.0), Some(20.0), 5), step(Some(20.0), None, 0)],
        );
        // (policy, current, metric, threshold, upward, delta_or_exact, new)
        let rows = [
            (&exact, 3, 110.0, 100.0, true, 5, 5),
            (&exact, 8, 130.0, 100.0, true, 0, 0),
            (&scale_in(), 5, 45.0, 50.0, false, -1, 4),
            (&scale_in(), 5, 35.0, 50.0, false, -2, 3),
            (&scale_in(), 1, 35.0, 50.0, false, -2, 0),
            (&scale_in(), 0, 35.0, 50.0, false, -2, 0),
        ];
        for (policy, current, metric, threshold, upward, d, new) in rows {
            let out = policy.apply(current, metric, threshold, upward).unwrap();
            assert_eq!((out.delta_or_exact, out.new_capacity), (d, new), "{}", out.reason);
        }
        let out = scale_in().apply(1, 35.0, 50.0, false).unwrap();
        assert_eq!(
            out.reason,
            "breach -15 in (-inf, -10]: -2; 1 -> 0 (floored at 0 from -1)"
        );
        assert_eq!(
            exact.apply(3, 110.0, 100.0, true).unwrap().reason,
            "breach 10 in [0, 20): exactly 5; 3 -> 5"
        );
        assert_eq!(scale_in().apply(5, f64::NAN, 50.0, false), None);
    }

    /// D8 and the other rules of docs/semantics/autoscaling.md §6.2 / §6.3: each error names the
    /// field at fault, its value and what is allowed.
    #[test]
    fn validation_errors() {
        use AdjustmentType::*;
        let meet = |other: &str, bound: &str, problem: &str| {
            format!(
                "the {bound} of the step at index {other}, as consecutive steps meet without gap or overlap; {problem}"
            )
        };
        let one_unbounded = |side: &str| {
            format!("a number: the step at index 0 has no {side} bound already, and at most one step may have none")
        };
        // (adjustment type, steps, field, value, allowed)
        let rows: Vec<(AdjustmentType, Vec<StepAdjustment>, &str, &str, String)> = vec![
            (
                ChangeInCapacity,
                vec![step(None, Some(-10.0), -1), step(Some(0.0), None, 1)],
                "steps[1].lower",
                "0",
                meet("0 (-10)", "upper bound", "these leave a gap between -10 and 0"),
            ),
            (
                ChangeInCapacity,
                vec![step(Some(5.0), None, 3), step(Some(0.0), Some(4.5), 1)],
                "steps[1].upper",
                "4.5",
                meet("0 (5)", "lower bound", "these leave a gap between 4.5 and 5"),
            ),
            (
                ChangeInCapacity,
                vec![step(Some(0.0), Some(10.0), 1), step(Some(5.0), None, 3)],
                "steps[1].lower",
                "5",
                meet("0 (10)", "upper bound", "these overlap between 5 and 10"),
            ),
            (
                ChangeInCapacity,
                vec![
                    step(Some(0.0), Some(10.0), 1),
                    step(Some(0.0), Some(10.0), 2),
                    step(Some(10.0), None, 3),
                ],
                "steps[1].lower",
                "0",
                meet("0 (10)", "upper bound", "these overlap between 0 and 10"),
            ),
            (
                ChangeInCapacity,
                vec![],
                "steps",
                "[]",
                "at least one step adjustment".into(),
            ),
            (
                ChangeInCapacity,
                vec![step(None, None, 1)],
                "steps[0]",
                "a step with neither a lower nor an upper bound",
                "a step with a lower bound, an upper bound or both".into(),
            ),
            (
                ChangeInCapacity,
                vec![step(Some(5.0), Some(5.0), 1)],
                "steps[0].lower",
                "5",
                "a number below this step's upper bound (5)".into(),
            ),
            (
                ChangeInCapacity,
                vec![step(Some(f64::NAN), None, 1)],
                "steps[0].lower",
                "NaN",
                "a finite number, or None for no bound".into(),
            ),
            (
                ChangeInCapacity,
                vec![step(Some(0.0), Some(f64::INFINITY), 1)],
                "steps[0].upper",
                "inf",
                "a finite number, or None for no bound".into(),
            ),
            (
                ChangeInCapacity,
                vec![step(None, Some(-5.0), -1), step(None, Some(0.0), -1)],
                "steps[1].lower",
                "None",
                one_unbounded("lower"),
            ),
            (
                ChangeInCapacity,
                vec![step(Some(0.0), None, 1), step(Some(5.0), None, 2)],
                "steps[1].upper",
                "None",
                one_unbounded("upper"),
            ),
            (
                ChangeInCapacity,
                vec![step(Some(-10.0), Some(0.0), -1)],
                "steps[0].lower",
                "-10",
                "a number >= 0 unless one step has no lower bound (none has)".into(),
            ),
            (
                ChangeInCapacity,
                vec![step(Some(0.0), Some(5.0), 1)],
                "steps[0].upper",
                "5",
                "a number <= 0 unless one step has no upper bound (none has)".into(),
            ),
            (
                ExactCapacity,
                vec![step(Some(0.0), None, -2)],
                "steps[0].adjustment",
                "-2",
                "an integer >= 0 (with ExactCapacity the adjustment is the new capacity)".into(),
            ),
        ];
        for (adjustment_type, steps, field, value, allowed) in rows {
            let p = StepPolicyConfig::new(adjustment_type, steps);
            let e = p.validate().expect_err(field);
            assert_eq!(
                (e.field.to_string().as_str(), e.value.as_str(), e.allowed.as_str()),
                (field, value, allowed.as_str()),
                "{:?}",
                p.steps
            );
        }
        let p = StepPolicyConfig {
            min_adjustment_magnitude: Some(2),
            ..notebook()
        };
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "min_adjustment_magnitude: got 2; allowed: None unless the adjustment type is PercentChangeInCapacity (it is ChangeInCapacity)"
        );
        // Valid shapes AWS allows: a lone step bounded on one side, a downward single step.
        for steps in [vec![step(None, Some(0.0), -1)], vec![step(Some(10.0), None, 1)]] {
            assert_eq!(StepPolicyConfig::new(ChangeInCapacity, steps).validate(), Ok(()));
        }
        assert_eq!(
            StepPolicyConfig::new(ExactCapacity, vec![step(Some(0.0), None, 0)]).validate(),
            Ok(())
        );
    }

    #[test]
    fn aggregated_metric_uses_the_m_most_recent_datapoints() {
        let avg = notebook();
        let max = StepPolicyConfig {
            aggregation: Aggregation::Maximum,
            ..notebook()
        };
        let w = [Some(100.0), Some(10.0), None, Some(30.0)];
        let rows = [
            (&avg, 1, Some(30.0)),
            (&avg, 2, Some(30.0)),
            (&avg, 3, Some(20.0)),
            (&avg, 4, Some(140.0 / 3.0)),
            (&avg, 9, Some(140.0 / 3.0)),
            (&max, 4, Some(100.0)),
            (&max, 0, None),
        ];
        for (p, m, want) in rows {
            assert_eq!(p.aggregated_metric(&w, m), want, "{:?} of last {m}", p.aggregation);
        }
        assert_eq!(avg.aggregated_metric(&[Some(1.0), None], 1), None);
    }

    #[test]
    fn adjustment_type_names_round_trip() {
        for t in AdjustmentType::ALL {
            assert_eq!(AdjustmentType::parse(t.name()), Ok(t));
        }
        assert!(AdjustmentType::parse("Percent").is_err());
    }
}
