//! Target tracking: a policy's configuration plus the pure proportional decision it makes when one
//! of its two AAS-managed alarms is in `ALARM` (docs/semantics/autoscaling.md §5).
//!
//! The alarms themselves live elsewhere: [`decide`] takes their states as plain booleans so this
//! file depends on nothing but the numbers. No clamping happens here; the caller clamps into the
//! scalable target's bounds after arbitration (§1.3, §8 and §12).

use super::alarm::fmt_num;
use super::config_error::{ConfigError, FieldPath};
use std::fmt;

/// Absolute tolerance subtracted before rounding a proportional capacity up \[capacity units\].
///
/// Why: the exact quotient is often a whole number that `f64` lands just above, and a plain
/// `ceil` then adds a whole unit. Example C9: `10 x 0.56 / 0.7` evaluates to `8.000000000000002`,
/// which `ceil` turns into 9 although the exact answer is 8. Subtracting 1e-9 first gives 8.
/// The tolerance is far above the rounding noise of capacities in the thousands (about 1e-12)
/// and far below any real breach, so a metric above target still adds at least one unit
/// (§5.3: only breaches smaller than the tolerance are lost).
pub const CAPACITY_EPSILON: f64 = 1e-9;

/// Rounds a non-negative capacity up, forgiving float noise of [`CAPACITY_EPSILON`].
///
/// Never negative: NaN and values at or below zero give 0; values beyond `u32` saturate.
fn ceil_guarded(exact: f64) -> u32 {
    let rounded = (exact - CAPACITY_EPSILON).ceil();
    if rounded.is_nan() || rounded <= 0.0 {
        0
    } else if rounded >= u32::MAX as f64 {
        u32::MAX
    } else {
        rounded as u32
    }
}

/// The capacity that brings `metric` back to `target`: `ceil(basis x metric / target - eps)`
/// (§5.3, \[assumption\]).
///
/// `basis` is the number of units whose load produced the datapoint (the in-service count), not
/// the desired count. Rounding up in both directions is deliberate: it never adds too little and
/// never removes too much, so after a scale-in the predicted metric is still at or below target
/// (hence a scale-in from 2 to 1 needs the metric at or below half the target, example C6).
///
/// ```
/// use fleetsim::autoscaling::target_tracking::proportional_capacity;
/// assert_eq!(proportional_capacity(4.0, 105.0, 70.0), 6); // C3
/// assert_eq!(proportional_capacity(10.0, 0.56, 0.7), 8); // C9: a naive ceil gives 9
/// ```
pub fn proportional_capacity(basis: f64, metric: f64, target: f64) -> u32 {
    ceil_guarded(basis * metric / target)
}

/// The capacity to start from zero in-service units: `max(1, ceil(backlog / target - eps))`
/// (§5.3 last bullet, \[assumption\]; example F5: backlog 6, target 5 -> 2).
///
/// Proportional scaling is undefined at zero units (there is no per-unit load to scale), so the
/// whole backlog is shared out at `target` queued requests per instance. At least one unit is
/// always proposed: the caller asks only once its high alarm on the backlog has fired.
pub fn from_zero_capacity(backlog: f64, target: f64) -> u32 {
    ceil_guarded(backlog / target).max(1)
}

/// One target tracking policy (`TargetTrackingScalingPolicyConfiguration`, §5.1) plus the
/// shape of the two alarms AAS creates for it (§5.2).
#[derive(Clone, Debug, PartialEq)]
pub struct TargetTrackingConfig {
    /// `TargetValue`, in the metric's own units (e.g. invocations per instance per minute).
    pub target_value: f64,
    /// `ScaleInCooldown` \[s\]; 300 when not given \[AWS\].
    pub scale_in_cooldown_s: u64,
    /// `ScaleOutCooldown` \[s\]; 300 when not given \[AWS\].
    pub scale_out_cooldown_s: u64,
    /// `DisableScaleIn`: this policy may add capacity but never removes it (§1.4).
    pub disable_scale_in: bool,
    /// Consecutive datapoints above target that put the high alarm in `ALARM`; 3 \[AWS\].
    pub high_datapoints: u32,
    /// Consecutive datapoints below the low threshold that put the low alarm in `ALARM`;
    /// 15 \[AWS\].
    pub low_datapoints: u32,
    /// Low threshold as a fraction of the target; 0.9 \[AWS\].
    pub low_threshold_ratio: f64,
}

impl TargetTrackingConfig {
    /// A policy tracking `target_value` with every other field at its AWS default:
    /// cooldowns 300 s / 300 s, scale-in enabled, high alarm 3 of 3, low alarm 15 of 15 at 90 %.
    pub fn new(target_value: f64) -> Self {
        TargetTrackingConfig {
            target_value,
            scale_in_cooldown_s: 300,
            scale_out_cooldown_s: 300,
            disable_scale_in: false,
            high_datapoints: 3,
            low_datapoints: 15,
            low_threshold_ratio: 0.9,
        }
    }

    /// The high alarm breaches when the metric is strictly above this value (the target itself).
    pub fn high_threshold(&self) -> f64 {
        self.target_value
    }

    /// The low alarm breaches when the metric is strictly below this value
    /// (`low_threshold_ratio x target`, e.g. 63 for target 70).
    pub fn low_threshold(&self) -> f64 {
        self.target_value * self.low_threshold_ratio
    }

    /// Every range the decision relies on that this configuration breaks, in field order:
    /// `target_value` finite and > 0, `high_datapoints` and `low_datapoints` >= 1,
    /// `low_threshold_ratio` strictly between 0 and 1.
    pub fn errors(&self) -> Vec<ConfigError> {
        let mut out = Vec::new();
        if !(self.target_value.is_finite() && self.target_value > 0.0) {
            out.push(ConfigError::new(
                FieldPath::field("target_value"),
                self.target_value,
                "a finite number > 0",
            ));
        }
        for (name, n) in [
            ("high_datapoints", self.high_datapoints),
            ("low_datapoints", self.low_datapoints),
        ] {
            if n < 1 {
                out.push(ConfigError::new(FieldPath::field(name), n, "an integer >= 1"));
            }
        }
        // The negated form also rejects NaN.
        if !(self.low_threshold_ratio > 0.0 && self.low_threshold_ratio < 1.0) {
            out.push(ConfigError::new(
                FieldPath::field("low_threshold_ratio"),
                self.low_threshold_ratio,
                "a number strictly between 0 and 1",
            ));
        }
        out
    }

    /// The first of [`errors`](Self::errors), if any.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.errors().into_iter().next().map_or(Ok(()), Err)
    }
}

/// Which way a proposal moves the desired count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Adds capacity.
    Out,
    /// Removes capacity.
    In,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Out => "scale-out",
            Direction::In => "scale-in",
        })
    }
}

/// A policy's wish for a new desired count, before arbitration, suspension, cooldowns and
/// clamping (§12 step 4). `desired` may lie outside the target's bounds (even 0, C8).
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    /// Name of the policy that made the proposal.
    pub policy: String,
    /// Proposed desired count, unclamped.
    pub desired: u32,
    pub direction: Direction,
    /// Human-readable explanation, e.g.
    /// `ipi: 612.4 > 420 for 3 of 3 datapoints; ceil(4 x 612.4 / 420) = 6; desired 4 -> 6`.
    pub reason: String,
}

/// The target tracking decision for one evaluation (§5.3 and §12 step 4).
///
/// - `high_alarm` / `low_alarm`: whether the policy's high / low alarm is in `ALARM`.
/// - `metric`: the datapoint the formula uses (the most recent of the alarm window, §5.3).
/// - `basis`: the in-service units that produced `metric`, averaged over the datapoint's period
///   (so it may be fractional: 6 instances for half a minute and 11 for the other half carried a
///   minute's invocations as 8.5 instances would). With `basis == 0` (an asynchronous
///   endpoint at zero instances) `metric` is read as the whole backlog and the proposal is
///   [`from_zero_capacity`]; the caller's high alarm must then be on that backlog too.
/// - `current_desired`: the scalable target's desired count, which the proposal must beat.
/// - `alarm_text`: the caller's summary of the alarm, e.g. `612.4 > 420 for 3 of 3 datapoints`;
///   the reason is `"{name}: {alarm_text}; {arithmetic}; desired {current} -> {proposed}"`.
///
/// Scales out only when the high alarm fires and the proposal exceeds `current_desired`; scales
/// in only when the low alarm fires, scale-in is enabled and the proposal is below it. A policy
/// never scales out on a low metric nor in on a high one (§5.2). A metric that is not a
/// finite non-negative number is treated as missing data, which never scales (§5.2).
/// With `basis == 0` only a scale-out is possible: there is no measured load to shrink from
/// (an assumption, docs/semantics/autoscaling.md §5.4). No clamping: that is the caller's job.
#[allow(clippy::too_many_arguments)] // The signature mirrors the rule's inputs one to one.
pub fn decide(
    name: &str,
    cfg: &TargetTrackingConfig,
    high_alarm: bool,
    low_alarm: bool,
    metric: f64,
    basis: f64,
    current_desired: u32,
    alarm_text: &str,
) -> Option<Proposal> {
    if !(metric.is_finite() && metric >= 0.0) {
        return None;
    }
    let target = cfg.target_value;
    let (proposed, arithmetic) = if basis <= 0.0 {
        let p = from_zero_capacity(metric, target);
        (
            p,
            format!(
                "from zero: max(1, ceil({} / {})) = {p}",
                fmt_num(metric),
                fmt_num(target)
            ),
        )
    } else {
        let p = proportional_capacity(basis, metric, target);
        (
            p,
            format!(
                "ceil({} x {} / {}) = {p}",
                fmt_num(basis),
                fmt_num(metric),
                fmt_num(target)
            ),
        )
    };
    let direction = if high_alarm && proposed > current_desired {
        Direction::Out
    } else if low_alarm && !cfg.disable_scale_in && basis > 0.0 && proposed < current_desired {
        Direction::In
    } else {
        return None;
    };
    let alarm = if alarm_text.is_empty() {
        String::new()
    } else {
        format!("{alarm_text}; ")
    };
    Some(Proposal {
        policy: name.to_string(),
        desired: proposed,
        direction,
        reason: format!("{name}: {alarm}{arithmetic}; desired {current_desired} -> {proposed}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_alarm_shape_c1_c2_e1() {
        // (id, target, high threshold, low threshold)
        let rows = [("C1", 70.0, 70.0, 63.0), ("C2", 1500.0, 1500.0, 1350.0)];
        for (id, target, high, low) in rows {
            let cfg = TargetTrackingConfig::new(target);
            assert_eq!(cfg.high_threshold(), high, "{id}");
            assert_eq!(cfg.low_threshold(), low, "{id}");
            assert_eq!((cfg.high_datapoints, cfg.low_datapoints), (3, 15), "{id}");
            assert_eq!(
                (cfg.scale_in_cooldown_s, cfg.scale_out_cooldown_s),
                (300, 300),
                "E1 {id}"
            );
            assert!(!cfg.disable_scale_in, "{id}");
            assert_eq!(cfg.validate(), Ok(()), "{id}");
        }
    }

    #[test]
    fn proportional_formula_values() {
        // (id, basis, metric, target, expected)
        let rows = [
            ("C3", 4.0, 105.0, 70.0, 6),
            ("C4", 2.0, 105.0, 70.0, 3),
            ("C5", 10.0, 50.0, 70.0, 8),
            ("C6 42", 2.0, 42.0, 70.0, 2),
            ("C6 35", 2.0, 35.0, 70.0, 1),
            ("C7", 8.0, 140.0, 70.0, 16),
            ("C8", 3.0, 0.0, 70.0, 0),
            ("C9", 10.0, 0.56, 0.7, 8),
            ("C11", 5.0, 0.8, 0.5, 8),
            ("C12", 2.0, 15.0, 5.0, 6),
            ("C14", 2.0, 150.0, 50.0, 6),
            ("exactly on target", 4.0, 70.0, 70.0, 4),
            ("breach below epsilon", 4.0, 70.0 * (1.0 + 1e-13), 70.0, 4),
        ];
        for (id, basis, metric, target, expected) in rows {
            assert_eq!(proportional_capacity(basis, metric, target), expected, "{id}");
        }
    }

    #[test]
    fn float_guard_c9() {
        // Why the epsilon exists: the naive formula overshoots by a whole unit.
        assert_eq!((10.0_f64 * 0.56 / 0.7).ceil(), 9.0);
        assert_eq!(proportional_capacity(10.0, 0.56, 0.7), 8);
    }

    #[test]
    fn capacity_is_never_negative_and_saturates() {
        assert_eq!(proportional_capacity(3.0, -5.0, 70.0), 0);
        assert_eq!(proportional_capacity(3.0, f64::NAN, 70.0), 0);
        assert_eq!(proportional_capacity(f64::from(u32::MAX), 1e300, 1.0), u32::MAX);
    }

    #[test]
    fn from_zero_f5() {
        // (id, backlog, target, expected)
        let rows = [
            ("F5", 6.0, 5.0, 2),
            ("exact", 10.0, 5.0, 2),
            ("small", 3.0, 5.0, 1),
            ("empty", 0.0, 5.0, 1),
        ];
        for (id, backlog, target, expected) in rows {
            assert_eq!(from_zero_capacity(backlog, target), expected, "{id}");
        }
    }

    /// One decision scenario: the inputs of [`decide`] and the expected `(desired, direction)`.
    struct Row {
        id: &'static str,
        target: f64,
        disable_scale_in: bool,
        high: bool,
        low: bool,
        metric: f64,
        basis: u32,
        current: u32,
        expected: Option<(u32, Direction)>,
    }

    fn row(id: &'static str, target: f64, high: bool, low: bool, metric: f64, basis: u32, current: u32) -> Row {
        Row {
            id,
            target,
            disable_scale_in: false,
            high,
            low,
            metric,
            basis,
            current,
            expected: None,
        }
    }

    impl Row {
        fn expect(mut self, desired: u32, direction: Direction) -> Row {
            self.expected = Some((desired, direction));
            self
        }
        fn no_scale_in(mut self) -> Row {
            self.disable_scale_in = true;
            self
        }
    }

    #[test]
    fn decide_table() {
        use Direction::{In, Out};
        let rows = [
            row("C3", 70.0, true, false, 105.0, 4, 4).expect(6, Out),
            row("C4", 70.0, true, false, 105.0, 2, 2).expect(3, Out),
            row("C5", 70.0, false, true, 50.0, 10, 10).expect(8, In),
            row("C6 42: no change", 70.0, false, true, 42.0, 2, 2),
            row("C6 35", 70.0, false, true, 35.0, 2, 2).expect(1, In),
            row("C7 unclamped", 70.0, true, false, 140.0, 8, 8).expect(16, Out),
            row("C8 proposes 0 before clamping", 70.0, false, true, 0.0, 3, 3).expect(0, In),
            row("C9", 0.7, false, true, 0.56, 10, 10).expect(8, In),
            row("C10 low", 70.0, false, true, 1.0, 10, 10).no_scale_in(),
            row("C10 high", 70.0, true, false, 105.0, 4, 4)
                .no_scale_in()
                .expect(6, Out),
            row("C11", 0.5, true, false, 0.8, 5, 5).expect(8, Out),
            row("C12 unclamped", 5.0, true, false, 15.0, 2, 2).expect(6, Out),
            row("C14", 50.0, true, false, 150.0, 2, 2).expect(6, Out),
            row("F5 from zero", 5.0, true, false, 6.0, 0, 0).expect(2, Out),
            row("F4 backlog below target: no alarm", 5.0, false, false, 3.0, 0, 0),
            row("no alarm", 70.0, false, false, 500.0, 4, 4),
            row("high alarm but already at proposal", 70.0, true, false, 105.0, 4, 6),
            row("high alarm never scales in", 70.0, true, false, 71.0, 2, 5),
            row("low alarm never scales out", 70.0, false, true, 60.0, 4, 3),
            row("basis 0 never scales in", 5.0, false, true, 0.0, 0, 2),
            row("missing data", 70.0, true, true, f64::NAN, 4, 4),
            row("basis below desired", 70.0, true, false, 140.0, 2, 3).expect(4, Out),
        ];
        for r in rows {
            let mut cfg = TargetTrackingConfig::new(r.target);
            cfg.disable_scale_in = r.disable_scale_in;
            let got = decide("p", &cfg, r.high, r.low, r.metric, f64::from(r.basis), r.current, "");
            assert_eq!(got.map(|p| (p.desired, p.direction)), r.expected, "{}", r.id);
        }
    }

    #[test]
    fn reason_explains_the_arithmetic() {
        let cfg = TargetTrackingConfig::new(420.0);
        let p = decide(
            "ipi",
            &cfg,
            true,
            false,
            612.4,
            4.0,
            4,
            "612.4 > 420 for 3 of 3 datapoints",
        )
        .unwrap();
        assert_eq!(p.policy, "ipi");
        assert_eq!(
            p.reason,
            "ipi: 612.4 > 420 for 3 of 3 datapoints; ceil(4 x 612.4 / 420) = 6; desired 4 -> 6"
        );
        let cfg = TargetTrackingConfig::new(5.0);
        let p = decide("backlog", &cfg, true, false, 6.0, 0.0, 0, "").unwrap();
        assert_eq!(p.reason, "backlog: from zero: max(1, ceil(6 / 5)) = 2; desired 0 -> 2");
    }

    #[test]
    fn validate_names_field_and_value() {
        let bad = |edit: fn(&mut TargetTrackingConfig)| {
            let mut cfg = TargetTrackingConfig::new(70.0);
            edit(&mut cfg);
            let e = cfg.validate().unwrap_err();
            (e.field.to_string(), e.value, e.allowed)
        };
        let row = |field: &str, value: &str, allowed: &str| (field.to_string(), value.to_string(), allowed.to_string());
        let positive = "a finite number > 0";
        let ratio = "a number strictly between 0 and 1";
        assert_eq!(bad(|c| c.target_value = 0.0), row("target_value", "0", positive));
        assert_eq!(bad(|c| c.target_value = -1.5), row("target_value", "-1.5", positive));
        assert_eq!(bad(|c| c.target_value = f64::NAN), row("target_value", "NaN", positive));
        assert_eq!(
            bad(|c| c.target_value = f64::INFINITY),
            row("target_value", "inf", positive)
        );
        assert_eq!(
            bad(|c| c.high_datapoints = 0),
            row("high_datapoints", "0", "an integer >= 1")
        );
        assert_eq!(
            bad(|c| c.low_datapoints = 0),
            row("low_datapoints", "0", "an integer >= 1")
        );
        assert_eq!(
            bad(|c| c.low_threshold_ratio = 1.0),
            row("low_threshold_ratio", "1", ratio)
        );
        assert_eq!(
            bad(|c| c.low_threshold_ratio = 0.0),
            row("low_threshold_ratio", "0", ratio)
        );
        assert_eq!(
            bad(|c| c.low_threshold_ratio = f64::NAN),
            row("low_threshold_ratio", "NaN", ratio)
        );
    }

    #[test]
    fn errors_lists_every_bad_field_in_order() {
        let cfg = TargetTrackingConfig {
            target_value: -1.0,
            low_datapoints: 0,
            low_threshold_ratio: 1.5,
            ..TargetTrackingConfig::new(70.0)
        };
        let fields: Vec<String> = cfg.errors().iter().map(|e| e.field.to_string()).collect();
        assert_eq!(fields, ["target_value", "low_datapoints", "low_threshold_ratio"]);
        assert_eq!(
            cfg.validate().unwrap_err().to_string(),
            "target_value: got -1; allowed: a finite number > 0"
        );
        assert!(TargetTrackingConfig::new(70.0).errors().is_empty());
    }
}
