//! When a load test stops: its stopping conditions (`StoppingConditions` of the
//! `CreateInferenceRecommendationsJob` API) evaluated at the end of every one-minute bucket, in
//! the order of docs/semantics/load-tests.md §5 (`MaxInvocations`, the latency threshold,
//! `FlatInvocations`, the default job's failed share); the first that holds ends the test, and
//! the test keeps the minutes up to and including that one. `fleetsim loadtest` and a
//! scenario's `Users(stopping_conditions: ...)` decide with the same rules.
//!
//! Flatness \[assumption; [`Flatness`], default 3 rises and 5 %\]: at a minute in which the
//! user count rose, look at the last three such minutes; the invocations of this one grew by
//! less than 5 % over the minute before the first of the three. Three more users that bring
//! less than 5 % more calls mean the endpoint is at capacity.

/// `FlatInvocations`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FlatInvocations {
    #[default]
    Stop,
    Continue,
}

/// The stopping conditions of a load test.
#[derive(Clone, Debug, PartialEq)]
pub struct StopRules {
    pub max_invocations: Option<u64>,
    /// `(percentile in (0, 100), threshold in µs)`.
    pub latency: Option<(f64, u64)>,
    pub flat: FlatInvocations,
    /// When invocations count as flat \[assumption\].
    pub flatness: Flatness,
    /// The default job's rule: stop when a minute's failed share reaches this (1 %).
    pub failure_share: Option<f64>,
}

/// The flatness rule's parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flatness {
    /// Rises of the user count the rule looks back over (1 to [`MAX_FLAT_RISES`]).
    pub rises: usize,
    /// Growth (a fraction, above 0 and at most 1) below which those rises count as flat.
    pub growth: f64,
}

impl Default for Flatness {
    fn default() -> Self {
        Flatness { rises: 3, growth: 0.05 }
    }
}

/// Largest `MaxInvocations` (invocations per minute) the API allows.
pub const MAX_INVOCATIONS: u64 = 30_000;

/// Largest `ValueInMilliseconds` of a latency threshold: a real-time call times out at 60 s.
pub const MAX_LATENCY_THRESHOLD_MS: u64 = 60_000;

/// A threshold's `Percentile` (`"P1"` to `"P99"`) as a number, or `None` when it is not one.
pub fn threshold_percentile(text: &str) -> Option<u32> {
    text.strip_prefix('P')
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| (1..=99).contains(n))
}

/// Most rises the flatness rule may look back over: an hour of a user a minute.
pub const MAX_FLAT_RISES: usize = 60;

/// One minute of a test, as the load generator and CloudWatch saw it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MinuteStats {
    /// Users during the minute (the pattern adds them at whole minutes).
    pub users: u32,
    pub invocations: u64,
    /// Failed invocations: 4XX, 5XX, timed out, rejected or throttled.
    pub failures: u64,
    /// The threshold's percentile of `ModelLatency` over the minute \[µs\], when a threshold
    /// is set and something completed.
    pub latency_at_threshold_us: Option<f64>,
    /// Mean `ModelLatency` \[µs\].
    pub model_latency_mean_us: Option<f64>,
}

/// Why a test stopped (one per test, as the service logs one per benchmark endpoint).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    MaxInvocations,
    ModelLatencyThreshold,
    FlatInvocations,
    /// The default job: 1 % of a minute's invocations failed.
    ErrorRate,
    /// The traffic pattern ended first.
    PatternComplete,
}

impl StopReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::MaxInvocations => "MaxInvocations",
            StopReason::ModelLatencyThreshold => "ModelLatencyThreshold",
            StopReason::FlatInvocations => "FlatInvocations",
            StopReason::ErrorRate => "ErrorRate",
            StopReason::PatternComplete => "PatternComplete",
        }
    }
}

/// The number of minutes the test keeps and why it stopped.
pub fn first_stop(minutes: &[MinuteStats], rules: &StopRules) -> (usize, StopReason) {
    let mut rises: Vec<usize> = Vec::new();
    for (m, row) in minutes.iter().enumerate() {
        if let Some(max) = rules.max_invocations {
            if row.invocations >= max {
                return (m + 1, StopReason::MaxInvocations);
            }
        }
        if let (Some((_, limit)), Some(p)) = (rules.latency, row.latency_at_threshold_us) {
            if p > limit as f64 {
                return (m + 1, StopReason::ModelLatencyThreshold);
            }
        }
        if m > 0 && row.users > minutes[m - 1].users {
            rises.push(m);
            if rules.flat == FlatInvocations::Stop && is_flat(minutes, &rises, rules.flatness) {
                return (m + 1, StopReason::FlatInvocations);
            }
        }
        if let Some(share) = rules.failure_share {
            if row.invocations > 0 && row.failures as f64 >= share * row.invocations as f64 {
                return (m + 1, StopReason::ErrorRate);
            }
        }
    }
    (minutes.len(), StopReason::PatternComplete)
}

/// Whether the last `f.rises` rises (the last of them the current minute) brought less than
/// `f.growth` more invocations than the minute before the first of them.
fn is_flat(minutes: &[MinuteStats], rises: &[usize], f: Flatness) -> bool {
    let k = f.rises.max(1);
    if rises.len() < k {
        return false;
    }
    let first = rises[rises.len() - k];
    let before = minutes[first - 1].invocations;
    let now = minutes[*rises.last().expect("at least one rise")].invocations;
    before > 0 && (now as f64) < before as f64 * (1.0 + f.growth)
}

/// The minute with the most invocations among `minutes` (the first on ties).
pub fn peak(minutes: &[MinuteStats]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, m) in minutes.iter().enumerate() {
        if best.is_none_or(|b| m.invocations > minutes[b].invocations) {
            best = Some(i);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> StopRules {
        StopRules {
            max_invocations: None,
            latency: None,
            flat: FlatInvocations::Continue,
            flatness: Flatness::default(),
            failure_share: None,
        }
    }

    fn row(users: u32, invocations: u64) -> MinuteStats {
        MinuteStats {
            users,
            invocations,
            ..MinuteStats::default()
        }
    }

    #[test]
    fn max_invocations_stops_at_the_minute_that_reaches_it() {
        let r = StopRules {
            max_invocations: Some(1000),
            ..rules()
        };
        let m = [row(1, 400), row(2, 999), row(3, 1000), row(4, 1400)];
        assert_eq!(first_stop(&m, &r), (3, StopReason::MaxInvocations));
        // One invocation short everywhere: the pattern completes.
        let m = [row(1, 400), row(2, 999)];
        assert_eq!(first_stop(&m, &r), (2, StopReason::PatternComplete));
    }

    #[test]
    fn latency_threshold_is_strictly_above_the_value() {
        let r = StopRules {
            latency: Some((95.0, 100_000)),
            ..rules()
        };
        let mut m = vec![row(1, 10), row(2, 20), row(3, 30)];
        m[1].latency_at_threshold_us = Some(100_000.0);
        m[2].latency_at_threshold_us = Some(100_001.0);
        assert_eq!(first_stop(&m, &r), (3, StopReason::ModelLatencyThreshold));
    }

    #[test]
    fn flat_invocations_needs_three_rises_under_five_percent() {
        let stop = StopRules {
            flat: FlatInvocations::Stop,
            ..rules()
        };
        // Before the first rise: 1000; after three rises: 1049 (< 5 %): flat at minute 3.
        let m = [row(1, 1000), row(2, 1030), row(3, 1040), row(4, 1049), row(5, 2000)];
        assert_eq!(first_stop(&m, &stop), (4, StopReason::FlatInvocations));
        // 1050 is 5 % exactly: not flat.
        let m = [row(1, 1000), row(2, 1030), row(3, 1040), row(4, 1050)];
        assert_eq!(first_stop(&m, &stop).1, StopReason::PatternComplete);
        // Minutes without a rise do not count: users 1, 2, 2, 3, 4.
        let m = [row(1, 1000), row(2, 1010), row(2, 1010), row(3, 1020), row(4, 1030)];
        assert_eq!(first_stop(&m, &stop), (5, StopReason::FlatInvocations));
        // Continue keeps testing under saturation.
        assert_eq!(first_stop(&m, &rules()).1, StopReason::PatternComplete);
        // A longer window: four rises are needed, and the fourth (minute 4) is still flat.
        let four = StopRules {
            flatness: Flatness { rises: 4, growth: 0.05 },
            ..stop.clone()
        };
        let m = [row(1, 1000), row(2, 1010), row(3, 1020), row(4, 1030), row(5, 1040)];
        assert_eq!(first_stop(&m, &stop), (4, StopReason::FlatInvocations));
        assert_eq!(first_stop(&m, &four), (5, StopReason::FlatInvocations));
        // A 1 % threshold: 3 % growth is not flat.
        let strict = StopRules {
            flatness: Flatness { rises: 3, growth: 0.01 },
            ..stop
        };
        assert_eq!(first_stop(&m, &strict).1, StopReason::PatternComplete);
    }

    #[test]
    fn error_rate_of_the_default_job_l17() {
        // L17: at 648 invocations, 7 failures stop the test (6.48 needed), 6 do not.
        let r = StopRules {
            failure_share: Some(0.01),
            ..rules()
        };
        let mut m = vec![row(1, 648)];
        m[0].failures = 6;
        assert_eq!(first_stop(&m, &r).1, StopReason::PatternComplete);
        m[0].failures = 7;
        assert_eq!(first_stop(&m, &r), (1, StopReason::ErrorRate));
    }

    #[test]
    fn conditions_are_evaluated_in_the_documented_order() {
        let r = StopRules {
            max_invocations: Some(100),
            latency: Some((99.0, 1)),
            flat: FlatInvocations::Stop,
            flatness: Flatness::default(),
            failure_share: Some(0.01),
        };
        let mut m = vec![row(1, 100)];
        m[0].latency_at_threshold_us = Some(5.0);
        m[0].failures = 100;
        assert_eq!(first_stop(&m, &r).1, StopReason::MaxInvocations);
        m[0].invocations = 99;
        assert_eq!(first_stop(&m, &r).1, StopReason::ModelLatencyThreshold);
    }

    #[test]
    fn peak_is_the_first_of_the_highest() {
        let m = [row(1, 5), row(2, 9), row(3, 9), row(4, 2)];
        assert_eq!(peak(&m), Some(1));
        assert_eq!(peak(&[]), None);
    }
}
