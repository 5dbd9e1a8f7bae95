//! The run as a whole: its name, duration, wall-clock start and service-level objective.

use super::check::Check;
use crate::scenario::file::Scenario;
use crate::scenario::limits::MAX_DURATION;
use crate::sim::Slo;

/// Validates `name` and `duration`.
pub(super) fn name_and_duration(c: &mut Check, s: &Scenario) {
    c.name(
        "name",
        &s.name,
        "1 to 128 letters, digits, `-`, `_` or `.`, starting with a letter or digit (it names the output folder)",
    );
    if s.duration.0 .0 == 0 || s.duration.0 > MAX_DURATION {
        c.fail(
            "duration",
            format!("\"{}\"", s.duration.0),
            "a duration > 0 and at most 366d",
        );
    }
}

/// The wall-clock instant of simulated time zero (`start_time`).
pub(super) fn start_time(c: &mut Check, s: &Scenario) -> chrono::DateTime<chrono::Utc> {
    match &s.start_time {
        None => crate::sim::default_start_time(),
        Some(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(t) => t.with_timezone(&chrono::Utc),
            Err(_) => {
                c.fail(
                    "start_time",
                    format!("\"{text}\""),
                    "an RFC 3339 instant such as \"2024-01-01T00:00:00Z\"",
                );
                crate::sim::default_start_time()
            }
        },
    }
}

/// The service-level objective (`slo`), if any.
pub(super) fn slo(c: &mut Check, s: &Scenario) -> Option<Slo> {
    s.slo.as_ref().map(|slo| Slo {
        percentile: c.open_range("slo.percentile", slo.percentile, 0.0, 100.0),
        latency: c.positive_duration("slo.latency", slo.latency.0),
    })
}
