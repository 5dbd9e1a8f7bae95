//! Durations as written in scenario files: a string with a unit (`"250ms"`, `"90s"`, `"5m"`,
//! `"2h"`, `"1d"`, `"1500us"`, decimals allowed; parts added: `"2h30m"`) or a plain number of
//! seconds.

use crate::engine::SimDuration;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A non-negative duration read from a scenario file, kept in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub SimDuration);

impl Duration {
    pub fn secs(s: u64) -> Self {
        Duration(SimDuration::from_secs(s))
    }
    pub fn millis(ms: u64) -> Self {
        Duration(SimDuration::from_millis(ms))
    }
}

/// Parses `"250ms"`, `"1.5s"`, `"5m"`, `"2h"`, `"1d"`, `"1500us"`, `"30"` (seconds), or parts
/// written one after the other and added: `"2h30m"`, `"1m30s"`.
pub fn parse_duration(text: &str) -> Result<SimDuration, String> {
    let t = text.trim();
    if t.is_empty() || t.find(|c: char| !(c.is_ascii_digit() || c == '.')).is_none() {
        // A plain number: seconds.
        return part_us(t, "", text).and_then(|us| to_duration(us, text));
    }
    let mut us = 0.0;
    let mut rest = t;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let after = &rest[num_end..];
        let unit_end = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        // A part needs its unit: `"2h30"` is not a duration.
        let unit = after[..unit_end].trim();
        if unit.is_empty() && num_end < rest.len() || unit.is_empty() && us > 0.0 {
            return Err(format!(
                "\"{text}\": give every part of a duration a unit (\"2h30m\", not \"2h30\")"
            ));
        }
        us += part_us(&rest[..num_end], unit, text)?;
        rest = &after[unit_end..];
    }
    to_duration(us, text)
}

/// One number and its unit, in microseconds.
fn part_us(num: &str, unit: &str, text: &str) -> Result<f64, String> {
    let scale: f64 = match unit {
        "" | "s" | "sec" | "secs" => 1e6,
        "us" | "µs" => 1.0,
        "ms" => 1e3,
        "m" | "min" | "mins" => 60e6,
        "h" => 3600e6,
        "d" => 86_400e6,
        _ => {
            return Err(format!(
                "unknown unit `{unit}` in duration \"{text}\" (use us, ms, s, m, h or d)"
            ))
        }
    };
    let value: f64 = num.parse().map_err(|_| {
        format!("\"{text}\" is not a duration (examples: \"250ms\", \"90s\", \"5m\", \"2h30m\", \"1d\")")
    })?;
    Ok(value * scale)
}

fn to_duration(us: f64, text: &str) -> Result<SimDuration, String> {
    if !us.is_finite() || us > 1e17 {
        return Err(format!("duration \"{text}\" is too large"));
    }
    // Rounding a non-zero value to zero would report it later as "0s", which the user never
    // wrote: say here that it is below the time resolution.
    if us > 0.0 && us < 0.5 {
        return Err(format!(
            "duration \"{text}\" is shorter than 1µs, the time resolution (write \"0s\" or at least \"1us\")"
        ));
    }
    Ok(SimDuration(us.round() as u64))
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

struct DurationVisitor;

impl Visitor<'_> for DurationVisitor {
    type Value = Duration;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a duration such as \"250ms\", \"90s\", \"5m\", \"2h\", \"1d\" or a number of seconds")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
        parse_duration(v).map(Duration).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
        v.checked_mul(1_000_000)
            .map(|us| Duration(SimDuration(us)))
            .ok_or_else(|| E::custom(format!("duration {v} s is too large")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
        if v < 0 {
            return Err(E::custom(format!("duration {v} is negative; durations must be >= 0")));
        }
        self.visit_u64(v as u64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Duration, E> {
        if !v.is_finite() || v < 0.0 {
            return Err(E::custom(format!(
                "duration {v} is negative or not finite; durations must be >= 0"
            )));
        }
        if v > 1e11 {
            return Err(E::custom(format!("duration {v} s is too large")));
        }
        if v > 0.0 && v < 0.5e-6 {
            return Err(E::custom(format!(
                "duration {v} s is shorter than 1µs, the time resolution (write 0 or at least 0.000001)"
            )));
        }
        Ok(Duration(SimDuration::from_secs_f64(v)))
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DurationVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(parse_duration("250ms").unwrap(), SimDuration::from_millis(250));
        assert_eq!(parse_duration("90s").unwrap(), SimDuration::from_secs(90));
        assert_eq!(parse_duration("5m").unwrap(), SimDuration::from_secs(300));
        assert_eq!(parse_duration("2h").unwrap(), SimDuration::from_secs(7200));
        assert_eq!(parse_duration("1d").unwrap(), SimDuration::from_secs(86_400));
        assert_eq!(parse_duration("1.5s").unwrap(), SimDuration::from_millis(1500));
        assert_eq!(parse_duration("1500us").unwrap(), SimDuration(1500));
        assert_eq!(parse_duration("30").unwrap(), SimDuration::from_secs(30));
        assert_eq!(parse_duration("2h30m").unwrap(), SimDuration::from_secs(9000));
        assert_eq!(parse_duration("1m30s").unwrap(), SimDuration::from_secs(90));
        assert_eq!(parse_duration("1m 0.5s").unwrap(), SimDuration::from_millis(60_500));
        assert!(parse_duration("2h30").unwrap_err().contains("every part"));
        assert!(parse_duration("2h3x").unwrap_err().contains("unknown unit `x`"));
        assert!(parse_duration("5 parsecs").is_err());
        assert!(parse_duration("-5s").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn round_trips_through_display() {
        for s in ["250ms", "90s", "5m", "2h", "1d", "1500us", "0s"] {
            assert_eq!(parse_duration(s).unwrap().to_string(), s);
        }
    }
}
