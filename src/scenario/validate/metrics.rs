//! Metrics: the reporting period, the sampling tick, the publication delay and the reported
//! percentiles, each bounded so that a run holds a bounded number of periods and ticks.

use super::check::Check;
use crate::engine::SimDuration;
use crate::scenario::file::Scenario;
use crate::scenario::limits::{self, MAX_DURATION};

/// The validated metrics settings.
pub(super) struct MetricsSettings {
    pub period: SimDuration,
    /// `high_resolution_period`: the sampling tick.
    pub tick: SimDuration,
    pub publication_delay: SimDuration,
    pub percentiles: Vec<f64>,
}

/// Validates `metrics`, except that the publication delay is a whole number of ticks
/// ([`publication_delay_in_ticks`]), which is reported after the alarms.
pub(super) fn validate(c: &mut Check, s: &Scenario) -> MetricsSettings {
    let m = &s.metrics;
    let period = c.positive_duration("metrics.period", m.period.0);
    let hr = c.positive_duration("metrics.high_resolution_period", m.high_resolution_period.0);
    if hr.0 > 0 && period.0 % hr.0 != 0 {
        c.fail(
            "metrics.high_resolution_period",
            format!("\"{hr}\""),
            &format!("a duration that divides metrics.period ({period})"),
        );
    }
    // Periods and ticks are kept or worked through one by one: bound their number per run.
    let run = s.duration.0.min(MAX_DURATION);
    for (field, d, most, what) in [
        (
            "metrics.period",
            period,
            limits::MAX_METRIC_PERIODS,
            "metrics periods (timeseries.csv rows, held in memory)",
        ),
        (
            "metrics.high_resolution_period",
            hr,
            limits::MAX_SAMPLING_TICKS,
            "sampling ticks",
        ),
    ] {
        if d.0 > 0 && run.0.div_ceil(d.0) > most {
            c.fail(
                field,
                format!("\"{d}\" ({} in a run of {run})", run.0.div_ceil(d.0)),
                &format!(
                    "a duration of at least {} for this run: a run holds at most {most} {what}",
                    SimDuration(run.0.div_ceil(most))
                ),
            );
        }
    }
    let delay = m.publication_delay.0;
    if hr.0 > 0 && delay.0 / hr.0 > limits::MAX_HISTORY_TICKS {
        c.fail(
            "metrics.publication_delay",
            format!("\"{delay}\""),
            &format!(
                "at most {} sampling ticks (metrics.high_resolution_period {hr})",
                limits::MAX_HISTORY_TICKS
            ),
        );
    }
    for (i, p) in m.percentiles.iter().enumerate() {
        if !(p.is_finite() && *p > 0.0 && *p < 100.0) {
            c.fail(
                &format!("metrics.percentiles[{i}]"),
                p,
                "a percentile strictly between 0 and 100",
            );
        }
    }

    MetricsSettings {
        period,
        tick: hr,
        publication_delay: delay,
        percentiles: m.percentiles.clone(),
    }
}

/// The publication delay is a whole number of sampling ticks.
pub(super) fn publication_delay_in_ticks(c: &mut Check, m: &MetricsSettings) {
    let (delay, hr) = (m.publication_delay, m.tick);
    if hr.0 > 0 && delay.0 % hr.0 != 0 {
        c.fail(
            "metrics.publication_delay",
            format!("\"{delay}\""),
            &format!("a multiple of metrics.high_resolution_period ({hr})"),
        );
    }
}
