//! CloudWatch metric alarms: comparison, statistic, `TreatMissingData` and the M-of-N evaluation
//! that yields `OK` / `ALARM` / `INSUFFICIENT_DATA` (docs/semantics/autoscaling.md §4,
//! docs/semantics/rollouts.md §4).
//!
//! Pure: datapoints come in as a window of `Option<f64>` (`None` = missing), an [`Evaluation`]
//! with a CloudWatch-style reason comes out. Turning samples into datapoints (period, statistic)
//! is the metrics layer's job; this module only names the statistics.
//!
//! # How a window is evaluated \[AWS\]
//!
//! CloudWatch reads an *evaluation range* that may be longer than `EvaluationPeriods` (N), so it
//! can look past missing datapoints (5 points for N = 3 in the AWS examples). The window passed to
//! [`AlarmRule::evaluate`] is that range, oldest first; the simulator normally passes exactly the
//! last N datapoints, and a shorter window counts as missing in front. With `r` present datapoints
//! and `M` = `DatapointsToAlarm`:
//!
//! 1. `r >= N`: the N most recent present datapoints decide; `ALARM` iff at least M breach.
//!    `TreatMissingData` is not consulted.
//! 2. `r < N`: every present datapoint counts and `N - r` missing ones are filled:
//!    - `breaching`: the fills breach; `notBreaching`: the fills do not breach;
//!    - `missing`: the fills count neither way; all missing gives `INSUFFICIENT_DATA`;
//!    - `ignore`: like `missing`, but all missing keeps the current state.
//!
//!    `ALARM` iff at least M counted datapoints breach, otherwise `OK`, with one exception:
//! 3. *Premature-alarm rule* (`missing` and `ignore` only): if every present datapoint breaches and
//!    the oldest of them is at least M periods old (the newest slot is 1 period old), `missing`
//!    goes to `ALARM` and `ignore` keeps the current state. This reproduces the two tables in
//!    CloudWatch's "Configuring how CloudWatch alarms treat missing data" (tested below), e.g.
//!    3-of-3 `- - X - -` is `ALARM` under `missing` while `0 - X - -` (2-of-3) is `OK`.
//!
//! Reading of the AWS wording \[assumption\]: AWS states the premature rule as "the oldest breaching
//! datapoint is at least M old and all more recent ones are breaching or missing"; taken literally
//! that would make 2-of-3 `0 - X - -` an `ALARM`, which its own table says is `OK`, so the rule is
//! applied only when no present datapoint is within the threshold. The simple reading "ALARM needs
//! M breaching present datapoints" differs from AWS only in these premature cases.

use super::config_error::{ConfigError, FieldPath};
use std::fmt;
use std::str::FromStr;

/// A number for reasons and messages: at most 4 decimals, trailing zeros trimmed, never `-0`
/// (`612.4`, `700`, `0.0004`, `inf`). Deterministic, so reasons can be snapshot-tested.
pub fn fmt_num(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "+inf" } else { "-inf" }.into();
    }
    // `{:.4}` always prints a '.', so trimming zeros cannot eat integer digits.
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// `ComparisonOperator` of a static-threshold alarm. \[AWS\]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Comparison {
    GreaterThanThreshold,
    GreaterThanOrEqualToThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
}

impl Comparison {
    pub const ALL: [Comparison; 4] = [
        Comparison::GreaterThanThreshold,
        Comparison::GreaterThanOrEqualToThreshold,
        Comparison::LessThanThreshold,
        Comparison::LessThanOrEqualToThreshold,
    ];

    /// Does `value` breach `threshold`? A NaN value never breaches (every comparison is false).
    pub fn breaches(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::GreaterThanThreshold => value > threshold,
            Comparison::GreaterThanOrEqualToThreshold => value >= threshold,
            Comparison::LessThanThreshold => value < threshold,
            Comparison::LessThanOrEqualToThreshold => value <= threshold,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::GreaterThanThreshold => ">",
            Comparison::GreaterThanOrEqualToThreshold => ">=",
            Comparison::LessThanThreshold => "<",
            Comparison::LessThanOrEqualToThreshold => "<=",
        }
    }

    /// True when the alarm fires on high values; a step policy behind it then matches its
    /// intervals as `[lower, upper)` (docs/semantics/autoscaling.md §6.2).
    pub fn is_upward(self) -> bool {
        matches!(
            self,
            Comparison::GreaterThanThreshold | Comparison::GreaterThanOrEqualToThreshold
        )
    }

    /// The AWS API name, e.g. `GreaterThanThreshold`.
    pub fn name(self) -> &'static str {
        match self {
            Comparison::GreaterThanThreshold => "GreaterThanThreshold",
            Comparison::GreaterThanOrEqualToThreshold => "GreaterThanOrEqualToThreshold",
            Comparison::LessThanThreshold => "LessThanThreshold",
            Comparison::LessThanOrEqualToThreshold => "LessThanOrEqualToThreshold",
        }
    }

    /// Parses the AWS API name.
    pub fn parse(s: &str) -> Result<Comparison, String> {
        Comparison::ALL.into_iter().find(|c| c.name() == s).ok_or_else(|| {
            format!(
                "unknown comparison operator {s:?}; expected one of {}",
                Comparison::ALL.map(|c| c.name()).join(", ")
            )
        })
    }

    /// Can any value in `[min, max]` breach `threshold`? Used to warn about alarms that can never
    /// fire, such as `Average` of a 0/1 error metric `> 1` (rollouts.md 4.4). \[AWS\]
    pub fn can_breach(self, min: f64, max: f64, threshold: f64) -> bool {
        if self.is_upward() {
            self.breaches(max, threshold)
        } else {
            self.breaches(min, threshold)
        }
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// `TreatMissingData`; the module doc gives the exact semantics. \[AWS\]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TreatMissingData {
    /// Missing datapoints count neither way; an all-missing window is `INSUFFICIENT_DATA`.
    /// The AWS default.
    #[default]
    Missing,
    /// Missing datapoints count as within the threshold.
    NotBreaching,
    /// Missing datapoints count as breaching.
    Breaching,
    /// The current state is kept when the data cannot decide.
    Ignore,
}

impl TreatMissingData {
    pub const ALL: [TreatMissingData; 4] = [
        TreatMissingData::Missing,
        TreatMissingData::NotBreaching,
        TreatMissingData::Breaching,
        TreatMissingData::Ignore,
    ];

    /// The AWS API value, e.g. `notBreaching`.
    pub fn name(self) -> &'static str {
        match self {
            TreatMissingData::Missing => "missing",
            TreatMissingData::NotBreaching => "notBreaching",
            TreatMissingData::Breaching => "breaching",
            TreatMissingData::Ignore => "ignore",
        }
    }

    /// Parses the AWS API value.
    pub fn parse(s: &str) -> Result<TreatMissingData, String> {
        TreatMissingData::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown TreatMissingData {s:?}; expected one of {}",
                    TreatMissingData::ALL.map(|t| t.name()).join(", ")
                )
            })
    }
}

/// Alarm state. A new alarm starts in `INSUFFICIENT_DATA` (the `Default`). \[AWS\]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AlarmState {
    Ok,
    Alarm,
    #[default]
    InsufficientData,
}

impl AlarmState {
    pub fn name(self) -> &'static str {
        match self {
            AlarmState::Ok => "OK",
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "INSUFFICIENT_DATA",
        }
    }
}

impl fmt::Display for AlarmState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The statistic that turns a period's samples into one datapoint (`Statistic` or
/// `ExtendedStatistic`). \[AWS\]
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Statistic {
    Sum,
    Average,
    Minimum,
    Maximum,
    SampleCount,
    /// `pNN`, with `0 < NN < 100` (e.g. 99 or 99.9).
    Percentile(f64),
}

impl Statistic {
    /// `Sum`, `Average`, ..., `p99`, `p99.9`. Percentiles print with Rust's shortest round-trip
    /// formatting, so `parse(name())` gives the same value back.
    pub fn name(&self) -> String {
        match self {
            Statistic::Sum => "Sum".into(),
            Statistic::Average => "Average".into(),
            Statistic::Minimum => "Minimum".into(),
            Statistic::Maximum => "Maximum".into(),
            Statistic::SampleCount => "SampleCount".into(),
            Statistic::Percentile(p) => format!("p{p}"),
        }
    }

    /// Parses a statistic name. Percentiles are `p` followed by a plain decimal (digits with an
    /// optional fractional part; no sign, exponent or `inf`) strictly between 0 and 100.
    pub fn parse(s: &str) -> Result<Statistic, String> {
        match s {
            "Sum" => return Ok(Statistic::Sum),
            "Average" => return Ok(Statistic::Average),
            "Minimum" => return Ok(Statistic::Minimum),
            "Maximum" => return Ok(Statistic::Maximum),
            "SampleCount" => return Ok(Statistic::SampleCount),
            _ => {}
        }
        // The caller shows the value with its field path: the message says only what is allowed.
        let unknown = || "Sum, Average, Minimum, Maximum, SampleCount or pNN (0 < NN < 100)".to_string();
        let digits = s.strip_prefix('p').ok_or_else(unknown)?;
        // Checked by hand because `f64::from_str` also accepts "inf", "1e1" and "+5".
        let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
        let plain = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !plain(int) || !plain(frac) {
            return Err(unknown());
        }
        let p: f64 = digits.parse().map_err(|_| unknown())?;
        if p <= 0.0 || p >= 100.0 {
            return Err("a percentile strictly between p0 and p100".to_string());
        }
        Ok(Statistic::Percentile(p))
    }
}

impl fmt::Display for Statistic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl FromStr for Statistic {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Statistic::parse(s)
    }
}

/// How a step policy combines several alarm datapoints (`MetricAggregationType`, docs/semantics/autoscaling.md §6.1).
/// Defaults to `Average`. \[AWS\]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Aggregation {
    #[default]
    Average,
    Minimum,
    Maximum,
}

impl Aggregation {
    pub const ALL: [Aggregation; 3] = [Aggregation::Average, Aggregation::Minimum, Aggregation::Maximum];

    pub fn name(self) -> &'static str {
        match self {
            Aggregation::Average => "Average",
            Aggregation::Minimum => "Minimum",
            Aggregation::Maximum => "Maximum",
        }
    }

    pub fn parse(s: &str) -> Result<Aggregation, String> {
        Aggregation::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| format!("unknown MetricAggregationType {s:?}; expected Average, Minimum or Maximum"))
    }
}

/// Aggregates datapoints; `None` when there is nothing to aggregate. NaN values are skipped so
/// the three aggregations agree on which values exist.
pub fn aggregate(values: &[f64], how: Aggregation) -> Option<f64> {
    let mut it = values.iter().copied().filter(|v| !v.is_nan());
    let first = it.next()?;
    let (mut n, mut sum, mut min, mut max) = (1usize, first, first, first);
    for v in it {
        n += 1;
        sum += v;
        min = min.min(v);
        max = max.max(v);
    }
    Some(match how {
        Aggregation::Average => sum / n as f64,
        Aggregation::Minimum => min,
        Aggregation::Maximum => max,
    })
}

/// The decision part of a CloudWatch metric alarm: "M out of N datapoints `cmp` threshold".
#[derive(Clone, Debug, PartialEq)]
pub struct AlarmRule {
    /// N: how many periods the alarm looks at. \[AWS\]
    pub evaluation_periods: u32,
    /// M: how many of them must breach; equals N when omitted in AWS. \[AWS\]
    pub datapoints_to_alarm: u32,
    pub comparison: Comparison,
    pub threshold: f64,
    pub treat_missing: TreatMissingData,
}

/// The outcome of one evaluation, with the numbers behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub state: AlarmState,
    /// Counted datapoints that breach, filled ones included.
    pub breaching: u32,
    /// Datapoints the decision counted: present ones plus those filled by `breaching` /
    /// `notBreaching`; 0 when an all-missing window decided nothing.
    pub considered: u32,
    /// A CloudWatch-style sentence, e.g. `3 of 3 datapoints > 420 (612.4, 650.1, 700)`.
    pub reason: String,
}

impl AlarmRule {
    /// An N-of-N rule with `TreatMissingData` `missing` (the AWS defaults for omitted fields).
    pub fn new(evaluation_periods: u32, comparison: Comparison, threshold: f64) -> AlarmRule {
        AlarmRule {
            evaluation_periods,
            datapoints_to_alarm: evaluation_periods,
            comparison,
            threshold,
            treat_missing: TreatMissingData::default(),
        }
    }

    pub fn with_datapoints_to_alarm(mut self, m: u32) -> AlarmRule {
        self.datapoints_to_alarm = m;
        self
    }

    pub fn with_treat_missing(mut self, treat: TreatMissingData) -> AlarmRule {
        self.treat_missing = treat;
        self
    }

    /// Every rule this alarm breaks, in field order: `evaluation_periods` N >= 1,
    /// `datapoints_to_alarm` M from 1 to N (checked only once N is), a finite `threshold`.
    /// \[AWS\]
    pub fn errors(&self) -> Vec<ConfigError> {
        let (n, m) = (self.evaluation_periods, self.datapoints_to_alarm);
        let mut out = Vec::new();
        if n == 0 {
            out.push(ConfigError::new(
                FieldPath::field("evaluation_periods"),
                n,
                "an integer >= 1",
            ));
        } else if m == 0 || m > n {
            out.push(ConfigError::new(
                FieldPath::field("datapoints_to_alarm"),
                m,
                format!("an integer from 1 to evaluation_periods ({n})"),
            ));
        }
        if !self.threshold.is_finite() {
            out.push(ConfigError::new(
                FieldPath::field("threshold"),
                self.threshold,
                "a finite number",
            ));
        }
        out
    }

    /// The first of [`errors`](Self::errors), if any.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.errors().into_iter().next().map_or(Ok(()), Err)
    }

    /// Can a datapoint within `[min, max]` ever breach? `false` flags an alarm that can never
    /// fire, e.g. `Average` of a 0/1 error metric `> 1`; the caller turns this into a
    /// configuration warning while the alarm itself is evaluated literally (rollouts.md 4.4).
    pub fn can_breach(&self, min: f64, max: f64) -> bool {
        self.comparison.can_breach(min, max, self.threshold)
    }

    /// Evaluates `window`, the alarm's evaluation range oldest first (normally the last
    /// `evaluation_periods` datapoints; `None` = missing), given the `current` state. The
    /// module doc states the rules. Never panics; results for rules failing [`validate`] are
    /// unspecified.
    ///
    /// [`validate`]: AlarmRule::validate
    pub fn evaluate(&self, current: AlarmState, window: &[Option<f64>]) -> Evaluation {
        let n = self.evaluation_periods;
        // (age, value) of present datapoints, oldest first; the newest slot is 1 period old.
        let present: Vec<(usize, f64)> = window
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|x| (window.len() - i, x)))
            .collect();

        if present.len() >= n as usize {
            // Enough real data: the N most recent present datapoints decide on their own.
            let used: Vec<f64> = present[present.len() - n as usize..].iter().map(|&(_, v)| v).collect();
            let k = self.count_breaching(&used);
            return Evaluation {
                state: self.verdict(k),
                breaching: k,
                considered: n,
                reason: self.counted(k, n, &used),
            };
        }

        let values: Vec<f64> = present.iter().map(|&(_, v)| v).collect();
        let k_real = self.count_breaching(&values);
        let fills = n - values.len() as u32;
        match self.treat_missing {
            TreatMissingData::Breaching => {
                let k = k_real + fills;
                let reason = format!("{}; {fills} missing counted as breaching", self.counted(k, n, &values));
                Evaluation {
                    state: self.verdict(k),
                    breaching: k,
                    considered: n,
                    reason,
                }
            }
            TreatMissingData::NotBreaching => {
                let reason = format!(
                    "{}; {fills} missing counted as not breaching",
                    self.counted(k_real, n, &values)
                );
                Evaluation {
                    state: self.verdict(k_real),
                    breaching: k_real,
                    considered: n,
                    reason,
                }
            }
            TreatMissingData::Missing | TreatMissingData::Ignore => {
                // Oldest first, so `present[0]` is the oldest present datapoint.
                let oldest_age = present.first().map_or(0, |&(age, _)| age);
                self.evaluate_sparse(current, &values, k_real, oldest_age)
            }
        }
    }

    /// `missing` and `ignore` with fewer than N present datapoints: missing ones count neither
    /// way, plus the all-missing case and the premature-alarm rule (module doc).
    fn evaluate_sparse(&self, current: AlarmState, values: &[f64], k: u32, oldest_age: usize) -> Evaluation {
        let (n, m) = (self.evaluation_periods, self.datapoints_to_alarm);
        let treat = self.treat_missing.name();
        // What "the data cannot decide" means: `missing` says so, `ignore` keeps the state.
        let undecided = match self.treat_missing {
            TreatMissingData::Ignore => current,
            _ => AlarmState::InsufficientData,
        };
        let considered = values.len() as u32;
        if values.is_empty() {
            let reason = format!(
                "no datapoints in the last {n} periods: {} (treat missing data: {treat})",
                self.outcome(undecided)
            );
            return Evaluation {
                state: undecided,
                breaching: 0,
                considered,
                reason,
            };
        }
        let head = format!(
            "{}; {} missing (treat missing data: {treat})",
            self.counted(k, considered, values),
            n - considered
        );
        let premature = k == considered && oldest_age >= m as usize;
        let (state, reason) = if k < m && premature {
            // `missing` alarms early; `ignore` waits, keeping its state.
            let state = if self.treat_missing == TreatMissingData::Missing {
                AlarmState::Alarm
            } else {
                current
            };
            let reason = format!(
                "{head}; oldest breaching datapoint is {oldest_age} periods old with none within the threshold since \
                 (needs {m}): {}",
                self.outcome(state)
            );
            (state, reason)
        } else {
            (self.verdict(k), head)
        };
        Evaluation {
            state,
            breaching: k,
            considered,
            reason,
        }
    }

    /// How a state reached without enough data reads: `ignore` keeps the current state, so say so.
    fn outcome(&self, state: AlarmState) -> String {
        match self.treat_missing {
            TreatMissingData::Ignore => format!("state {state} kept"),
            _ => state.name().to_string(),
        }
    }

    fn count_breaching(&self, values: &[f64]) -> u32 {
        values
            .iter()
            .filter(|&&v| self.comparison.breaches(v, self.threshold))
            .count() as u32
    }

    /// M-of-N: `ALARM` iff at least M counted datapoints breach.
    fn verdict(&self, breaching: u32) -> AlarmState {
        if breaching >= self.datapoints_to_alarm {
            AlarmState::Alarm
        } else {
            AlarmState::Ok
        }
    }

    /// `k of considered datapoints > thr (v1, v2, ...)`, listing the present values oldest first.
    fn counted(&self, k: u32, considered: u32, values: &[f64]) -> String {
        let mut s = format!(
            "{k} of {considered} datapoints {} {}",
            self.comparison.symbol(),
            fmt_num(self.threshold)
        );
        if !values.is_empty() {
            let list: Vec<String> = values.iter().map(|&v| fmt_num(v)).collect();
            s.push_str(&format!(" ({})", list.join(", ")));
        }
        s
    }
}

impl fmt::Display for AlarmRule {
    /// `2 of 3 datapoints > 420, missing data: missing`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} datapoints {} {}, missing data: {}",
            self.datapoints_to_alarm,
            self.evaluation_periods,
            self.comparison.symbol(),
            fmt_num(self.threshold),
            self.treat_missing.name()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AlarmState::{Alarm, InsufficientData, Ok};
    use Comparison::*;
    use TreatMissingData::{Breaching, Ignore, Missing, NotBreaching};

    /// AWS-table notation, oldest first: `X` breaches (600 > 420), `0` does not (100), `-` missing.
    fn window(s: &str) -> Vec<Option<f64>> {
        s.split_whitespace()
            .map(|t| match t {
                "X" => Some(600.0),
                "0" => Some(100.0),
                "-" => None,
                v => Some(v.parse().unwrap()),
            })
            .collect()
    }

    fn rule(m: u32, n: u32, treat: TreatMissingData) -> AlarmRule {
        AlarmRule::new(n, GreaterThanThreshold, 420.0)
            .with_datapoints_to_alarm(m)
            .with_treat_missing(treat)
    }

    #[test]
    fn comparisons() {
        let rows = [
            (GreaterThanThreshold, 421.0, true),
            (GreaterThanThreshold, 420.0, false),
            (GreaterThanThreshold, 419.0, false),
            (GreaterThanOrEqualToThreshold, 421.0, true),
            (GreaterThanOrEqualToThreshold, 420.0, true),
            (GreaterThanOrEqualToThreshold, 419.0, false),
            (LessThanThreshold, 421.0, false),
            (LessThanThreshold, 420.0, false),
            (LessThanThreshold, 419.0, true),
            (LessThanOrEqualToThreshold, 421.0, false),
            (LessThanOrEqualToThreshold, 420.0, true),
            (LessThanOrEqualToThreshold, 419.0, true),
        ];
        for (cmp, value, expected) in rows {
            assert_eq!(cmp.breaches(value, 420.0), expected, "{value} {} 420", cmp.symbol());
        }
        for cmp in Comparison::ALL {
            assert!(!cmp.breaches(f64::NAN, 420.0), "NaN never breaches {cmp:?}");
            assert_eq!(Comparison::parse(cmp.name()), Result::Ok(cmp));
        }
        let symbols: Vec<_> = Comparison::ALL.iter().map(|c| (c.symbol(), c.is_upward())).collect();
        assert_eq!(symbols, [(">", true), (">=", true), ("<", false), ("<=", false)]);
        assert!(Comparison::parse("GreaterThan")
            .unwrap_err()
            .contains("GreaterThanThreshold"));
    }

    #[test]
    fn m_of_n_with_complete_windows() {
        // (M, N, window, state, breaching): missing data cannot matter here.
        let rows = [
            (1, 1, "X", Alarm, 1),
            (1, 1, "0", Ok, 0),
            (3, 3, "X X X", Alarm, 3),
            (3, 3, "X X 0", Ok, 2),
            (3, 3, "0 X X", Ok, 2),
            (2, 3, "X 0 X", Alarm, 2),
            (2, 3, "0 X X", Alarm, 2),
            (2, 3, "X 0 0", Ok, 1),
            (2, 3, "0 0 0", Ok, 0),
            (15, 15, "X X X X X X X X X X X X X X X", Alarm, 15),
            (15, 15, "0 X X X X X X X X X X X X X X", Ok, 14),
        ];
        for (m, n, w, state, k) in rows {
            for treat in TreatMissingData::ALL {
                let e = rule(m, n, treat).evaluate(InsufficientData, &window(w));
                assert_eq!(
                    (e.state, e.breaching, e.considered),
                    (state, k, n),
                    "{m}-of-{n} {w:?} {treat:?}"
                );
            }
        }
    }

    /// The two tables of CloudWatch's "Configuring how CloudWatch alarms treat missing data":
    /// evaluation range 5, N = 3. `None` = "retain current state".
    #[test]
    fn aws_missing_data_tables() {
        type Row = (u32, &'static str, [Option<AlarmState>; 4]);
        // Columns: missing, ignore, breaching, notBreaching.
        let rows: [Row; 10] = [
            (3, "0 - X - X", [Some(Ok), Some(Ok), Some(Ok), Some(Ok)]),
            (3, "0 - - - -", [Some(Ok), Some(Ok), Some(Ok), Some(Ok)]),
            (3, "- - - - -", [Some(InsufficientData), None, Some(Alarm), Some(Ok)]),
            (3, "0 X X - X", [Some(Alarm), Some(Alarm), Some(Alarm), Some(Alarm)]),
            (3, "- - X - -", [Some(Alarm), None, Some(Alarm), Some(Ok)]),
            (2, "0 - X - X", [Some(Alarm), Some(Alarm), Some(Alarm), Some(Alarm)]),
            (2, "0 0 X 0 X", [Some(Alarm), Some(Alarm), Some(Alarm), Some(Alarm)]),
            (2, "0 - X - -", [Some(Ok), Some(Ok), Some(Alarm), Some(Ok)]),
            (2, "- - - - 0", [Some(Ok), Some(Ok), Some(Alarm), Some(Ok)]),
            (2, "- - - X -", [Some(Alarm), None, Some(Alarm), Some(Ok)]),
        ];
        for (m, w, expected) in rows {
            for (treat, want) in [Missing, Ignore, Breaching, NotBreaching].into_iter().zip(expected) {
                for current in [Ok, Alarm, InsufficientData] {
                    let e = rule(m, 3, treat).evaluate(current, &window(w));
                    assert_eq!(
                        e.state,
                        want.unwrap_or(current),
                        "{m}-of-3 {w:?} {treat:?} from {current}"
                    );
                }
            }
        }
    }

    /// The usual case: the window is exactly the last N datapoints.
    #[test]
    fn missing_data_in_an_n_window() {
        // (M, N, treat, current, window, state, breaching, considered)
        let rows = [
            (3, 3, Missing, Ok, "X X -", Alarm, 2, 2), // premature rule: breach 3 periods old
            (3, 3, Missing, Ok, "- X X", Ok, 2, 2),    // might still be followed by a good point
            (3, 3, Missing, Alarm, "0 X -", Ok, 1, 2),
            (2, 3, Missing, Ok, "X - X", Alarm, 2, 2),
            (2, 3, Missing, Ok, "- - X", Ok, 1, 1),
            (1, 1, Missing, Alarm, "-", InsufficientData, 0, 0),
            (3, 3, Breaching, Ok, "X - X", Alarm, 3, 3),
            (3, 3, Breaching, Ok, "0 - -", Ok, 2, 3),
            (2, 3, Breaching, Ok, "- - 0", Alarm, 2, 3),
            (1, 1, Breaching, InsufficientData, "-", Alarm, 1, 1),
            (3, 3, NotBreaching, Alarm, "X - X", Ok, 2, 3),
            (2, 3, NotBreaching, Ok, "X - X", Alarm, 2, 3),
            (1, 1, NotBreaching, Alarm, "-", Ok, 0, 1),
            (2, 2, NotBreaching, InsufficientData, "- -", Ok, 0, 2),
            (1, 1, Ignore, Alarm, "-", Alarm, 0, 0),
            (1, 1, Ignore, Ok, "-", Ok, 0, 0),
            (1, 1, Ignore, InsufficientData, "-", InsufficientData, 0, 0),
            (3, 3, Ignore, Ok, "X X -", Ok, 2, 2), // premature: keeps the current state
            (3, 3, Ignore, Alarm, "X X -", Alarm, 2, 2),
            (3, 3, Ignore, Alarm, "0 X -", Ok, 1, 2),
            (2, 3, Ignore, Ok, "X X -", Alarm, 2, 2), // M breaching present datapoints suffice
        ];
        for (m, n, treat, current, w, state, k, considered) in rows {
            let e = rule(m, n, treat).evaluate(current, &window(w));
            assert_eq!(
                (e.state, e.breaching, e.considered),
                (state, k, considered),
                "{m}-of-{n} {w:?} {treat:?} from {current}: {}",
                e.reason
            );
        }
    }

    #[test]
    fn insufficient_data_transitions() {
        let r = rule(3, 3, Missing);
        // A new alarm starts in INSUFFICIENT_DATA and leaves it with the first datapoint.
        assert_eq!(AlarmState::default(), InsufficientData);
        let steps = [
            ("- - -", InsufficientData),
            ("- - 0", Ok),
            ("- 0 X", Ok),
            ("0 X X", Ok),
            ("X X X", Alarm),
            ("X X -", Alarm),
            ("X - -", Alarm),
            ("- - -", InsufficientData),
            ("- - X", Ok),
        ];
        let mut state = InsufficientData;
        for (w, want) in steps {
            state = r.evaluate(state, &window(w)).state;
            assert_eq!(state, want, "after {w:?}");
        }
    }

    #[test]
    fn short_window_counts_as_missing_in_front() {
        let r = rule(3, 3, Missing);
        assert_eq!(r.evaluate(Ok, &window("X")), r.evaluate(Ok, &window("- - X")));
        assert_eq!(r.evaluate(Ok, &[]).state, InsufficientData);
        assert_eq!(rule(3, 3, Breaching).evaluate(Ok, &window("0")).breaching, 2);
    }

    #[test]
    fn reasons() {
        let rows = [
            (rule(3, 3, Missing), "612.4 650.1 700", "3 of 3 datapoints > 420 (612.4, 650.1, 700)"),
            (
                rule(2, 3, Missing),
                "0.12345 - 1e9",
                "1 of 2 datapoints > 420 (0.1235, 1000000000); 1 missing (treat missing data: missing)",
            ),
            (rule(3, 3, Breaching), "- 500 -", "3 of 3 datapoints > 420 (500); 2 missing counted as breaching"),
            (rule(1, 1, NotBreaching), "-", "0 of 1 datapoints > 420; 1 missing counted as not breaching"),
            (
                rule(3, 3, Missing),
                "- - -",
                "no datapoints in the last 3 periods: INSUFFICIENT_DATA (treat missing data: missing)",
            ),
            (
                rule(3, 3, Ignore),
                "- - -",
                "no datapoints in the last 3 periods: state OK kept (treat missing data: ignore)",
            ),
            (
                rule(3, 3, Missing),
                "X - -",
                "1 of 1 datapoints > 420 (600); 2 missing (treat missing data: missing); oldest breaching datapoint is \
                 3 periods old with none within the threshold since (needs 3): ALARM",
            ),
            (
                rule(3, 3, Ignore),
                "X - -",
                "1 of 1 datapoints > 420 (600); 2 missing (treat missing data: ignore); oldest breaching datapoint is \
                 3 periods old with none within the threshold since (needs 3): state OK kept",
            ),
        ];
        for (r, w, want) in rows {
            assert_eq!(r.evaluate(Ok, &window(w)).reason, want);
        }
        let low = AlarmRule::new(15, LessThanThreshold, 63.0);
        assert!(low
            .evaluate(Ok, &[Some(50.0); 15])
            .reason
            .starts_with("15 of 15 datapoints < 63 (50, 50"));
    }

    #[test]
    fn number_formatting() {
        let rows = [
            (700.0, "700"),
            (612.4, "612.4"),
            (0.00004, "0"),
            (0.12345, "0.1235"),
            (-0.00001, "0"),
            (-2.5, "-2.5"),
            (1e9, "1000000000"),
            (f64::INFINITY, "+inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "NaN"),
        ];
        for (x, want) in rows {
            assert_eq!(fmt_num(x), want, "{x}");
        }
    }

    #[test]
    fn statistic_names_round_trip() {
        let rows = [
            ("Sum", Statistic::Sum),
            ("Average", Statistic::Average),
            ("Minimum", Statistic::Minimum),
            ("Maximum", Statistic::Maximum),
            ("SampleCount", Statistic::SampleCount),
            ("p99", Statistic::Percentile(99.0)),
            ("p99.9", Statistic::Percentile(99.9)),
            ("p50", Statistic::Percentile(50.0)),
            ("p0.1", Statistic::Percentile(0.1)),
            ("p99.999", Statistic::Percentile(99.999)),
        ];
        for (name, stat) in rows {
            assert_eq!(Statistic::parse(name), Result::Ok(stat), "{name}");
            assert_eq!(stat.name(), name);
            assert_eq!(name.parse::<Statistic>(), Result::Ok(stat));
        }
        // "p99.0" parses and prints canonically.
        assert_eq!(Statistic::parse("p99.0").unwrap().name(), "p99");
        for bad in [
            "p0", "p100", "p100.5", "p", "p.5", "p5.", "p-1", "p+5", "p1e1", "pinf", "pNaN", "P99", "avg", "sum", "",
        ] {
            assert!(Statistic::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(Statistic::parse("p100").unwrap_err().contains("between p0 and p100"));
    }

    #[test]
    fn enum_names_round_trip() {
        for t in TreatMissingData::ALL {
            assert_eq!(TreatMissingData::parse(t.name()), Result::Ok(t));
        }
        for a in Aggregation::ALL {
            assert_eq!(Aggregation::parse(a.name()), Result::Ok(a));
        }
        assert_eq!(TreatMissingData::default(), Missing);
        assert_eq!(Aggregation::default(), Aggregation::Average);
        let states: Vec<_> = [Ok, Alarm, InsufficientData].map(|s| s.to_string()).to_vec();
        assert_eq!(states, ["OK", "ALARM", "INSUFFICIENT_DATA"]);
        assert!(TreatMissingData::parse("not_breaching").is_err());
    }

    #[test]
    fn validation() {
        let m_of_3 = "an integer from 1 to evaluation_periods (3)";
        // (N, M, threshold, the first error as (field, value, allowed))
        let rows = [
            (1, 1, 420.0, None),
            (3, 3, 420.0, None),
            (3, 2, 0.0, None),
            (0, 0, 420.0, Some(("evaluation_periods", "0", "an integer >= 1"))),
            (3, 0, 420.0, Some(("datapoints_to_alarm", "0", m_of_3))),
            (3, 4, 420.0, Some(("datapoints_to_alarm", "4", m_of_3))),
            (1, 1, f64::NAN, Some(("threshold", "NaN", "a finite number"))),
            (1, 1, f64::INFINITY, Some(("threshold", "inf", "a finite number"))),
        ];
        for (n, m, threshold, want) in rows {
            let r = AlarmRule::new(n, GreaterThanThreshold, threshold).with_datapoints_to_alarm(m);
            let got = r.validate().err();
            let got = got
                .as_ref()
                .map(|e| (e.field.to_string(), e.value.as_str(), e.allowed.as_str()));
            let want = want.map(|(f, v, a)| (f.to_string(), v, a));
            assert_eq!(got, want, "{m}-of-{n} threshold {threshold}");
        }
        // Every broken rule at once; M is not compared with a zero N.
        let r = AlarmRule::new(0, GreaterThanThreshold, f64::NAN).with_datapoints_to_alarm(5);
        let fields: Vec<String> = r.errors().iter().map(|e| e.field.to_string()).collect();
        assert_eq!(fields, ["evaluation_periods", "threshold"]);
        assert_eq!(
            AlarmRule::new(2, GreaterThanThreshold, 1.0)
                .with_datapoints_to_alarm(3)
                .validate()
                .unwrap_err()
                .to_string(),
            "datapoints_to_alarm: got 3; allowed: an integer from 1 to evaluation_periods (2)"
        );
    }

    #[test]
    fn aggregation() {
        let rows = [
            (vec![], Aggregation::Average, None),
            (vec![1.0, 2.0, 6.0], Aggregation::Average, Some(3.0)),
            (vec![1.0, 2.0, 6.0], Aggregation::Minimum, Some(1.0)),
            (vec![1.0, 2.0, 6.0], Aggregation::Maximum, Some(6.0)),
            (vec![f64::NAN, 4.0], Aggregation::Average, Some(4.0)),
            (vec![f64::NAN], Aggregation::Maximum, None),
            (vec![-3.0], Aggregation::Minimum, Some(-3.0)),
        ];
        for (values, how, want) in rows {
            assert_eq!(aggregate(&values, how), want, "{how:?} of {values:?}");
        }
    }

    /// rollouts.md 4.4: `Average` of a 0/1 error metric `> 1` can never breach, whether successes
    /// emit 0 (average in [0, 1]) or only errors emit 1 (average exactly 1).
    #[test]
    fn average_of_zero_one_metric_never_exceeds_one() {
        let r = AlarmRule::new(2, GreaterThanThreshold, 1.0).with_treat_missing(NotBreaching);
        assert!(!r.can_breach(0.0, 1.0));
        for bits in 0u32..(1 << 8) {
            // Every mix of up to 8 successes (0) and errors (1) in one period.
            let samples: Vec<f64> = (0..8).map(|i| f64::from((bits >> i) & 1)).collect();
            let only_errors: Vec<f64> = samples.iter().copied().filter(|&v| v == 1.0).collect();
            for period in [&samples, &only_errors] {
                let dp = aggregate(period, Aggregation::Average);
                let e = r.evaluate(Alarm, &[dp, dp]);
                assert_eq!(e.state, Ok, "{period:?}: {}", e.reason);
            }
        }
        // What would fire: `>=` 1 with error-only emission, or `Sum > 1`.
        assert!(AlarmRule::new(2, GreaterThanOrEqualToThreshold, 1.0).can_breach(0.0, 1.0));
        assert!(AlarmRule::new(1, LessThanThreshold, 0.0).can_breach(-1.0, 1.0));
        assert!(!AlarmRule::new(1, LessThanThreshold, 0.0).can_breach(0.0, 1.0));
    }
}
