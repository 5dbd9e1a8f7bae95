//! Axis helpers: the time unit that suits a run's length, padded ranges and tick labels that
//! stay short.

/// Simulated time on the x axis, in minutes for runs up to three hours and in hours beyond.
/// When the scenario sets a wall-clock `start_time`, ticks read as UTC clock times (`09:00`,
/// or `Tue 09:00` for runs longer than a day) and the axis title names the start date.
#[derive(Clone, Copy, Debug)]
pub(super) struct TimeAxis {
    /// Seconds per axis unit.
    per_unit_s: f64,
    unit: &'static str,
    /// Wall-clock instant of simulated time zero, and whether the run spans days.
    start: Option<(chrono::DateTime<chrono::Utc>, bool)>,
}

impl TimeAxis {
    pub(super) fn for_duration(duration_s: f64) -> Self {
        if duration_s <= 3.0 * 3600.0 {
            TimeAxis {
                per_unit_s: 60.0,
                unit: "min",
                start: None,
            }
        } else {
            TimeAxis {
                per_unit_s: 3600.0,
                unit: "h",
                start: None,
            }
        }
    }

    /// The same axis labelled in UTC clock time from `start` (the run lasts `duration_s`).
    pub(super) fn with_start(self, start: Option<chrono::DateTime<chrono::Utc>>, duration_s: f64) -> Self {
        TimeAxis {
            start: start.map(|s| (s, duration_s > 86_400.0)),
            ..self
        }
    }

    /// A tick label at axis position `x`: the UTC clock time when the run has a start time,
    /// else the number of axis units.
    pub(super) fn label(&self, x: f64) -> String {
        match self.start {
            Some((start, days)) => {
                let t = start + chrono::Duration::milliseconds((x * self.per_unit_s * 1000.0).round() as i64);
                t.format(if days { "%a %H:%M" } else { "%H:%M" }).to_string()
            }
            None => number(x),
        }
    }

    /// An instant [s] as the text of a note: `09:23 UTC` or `23 min`.
    pub(super) fn instant(&self, secs: f64) -> String {
        match self.start {
            Some(_) => format!("{} UTC", self.label(self.x(secs))),
            None => format!("{} {}", number(self.x(secs)), self.unit),
        }
    }

    /// Axis position of an instant given in seconds.
    pub(super) fn x(&self, secs: f64) -> f64 {
        secs / self.per_unit_s
    }

    pub(super) fn description(&self) -> String {
        match self.start {
            Some((start, _)) => format!("time (UTC) from {}", start.format("%a %Y-%m-%d %H:%M")),
            None => format!("simulated time since the start [{}]", self.unit),
        }
    }
}

/// Top of a value axis that starts at zero: the largest value plus headroom, never zero.
pub(super) fn upper(max: f64) -> f64 {
    if max.is_finite() && max > 0.0 {
        max * 1.1
    } else {
        1.0
    }
}

/// Largest finite value of a series of optional values (0 when there is none).
pub(super) fn max_of<'a>(values: impl IntoIterator<Item = &'a Option<f64>>) -> f64 {
    values
        .into_iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

/// A tick or value label: integers without decimals, thousands grouped as `12k`, otherwise at
/// most three significant decimals.
pub(super) fn number(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let a = v.abs();
    if a >= 100_000.0 {
        return format!("{}k", trim(format!("{:.0}", v / 1000.0)));
    }
    if a >= 10_000.0 {
        return format!("{}k", trim(format!("{:.1}", v / 1000.0)));
    }
    let decimals = if a >= 100.0 || a == 0.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    trim(format!("{v:.decimals$}"))
}

fn trim(s: String) -> String {
    if s.contains('.') {
        let t = s.trim_end_matches('0').trim_end_matches('.');
        if t == "-0" {
            "0".into()
        } else {
            t.to_string()
        }
    } else {
        s
    }
}

/// Per-period values as steps with gaps: each present value holds over its period (from its x
/// to the next x, the last to `end`); a missing value breaks the line.
pub(super) fn step_segments(xs: &[f64], ys: &[Option<f64>], end: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
        match y {
            Some(y) if y.is_finite() => {
                let next = xs.get(i + 1).copied().unwrap_or(end);
                cur.push((*x, *y));
                cur.push((next, *y));
            }
            _ => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A step line: each value holds from its x until the next x (the last until `end`).
pub(super) fn steps(xs: &[f64], ys: &[f64], end: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(xs.len() * 2);
    for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
        let next = xs.get(i + 1).copied().unwrap_or(end);
        out.push((*x, *y));
        out.push((next, *y));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_short() {
        assert_eq!(number(0.0), "0");
        assert_eq!(number(250.0), "250");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(0.125), "0.125");
        assert_eq!(number(1.0), "1");
        assert_eq!(number(12_000.0), "12k");
        assert_eq!(number(12_500.0), "12.5k");
        assert_eq!(number(250_000.0), "250k");
    }

    #[test]
    fn time_unit_follows_run_length() {
        assert_eq!(
            TimeAxis::for_duration(1800.0).description(),
            "simulated time since the start [min]"
        );
        assert_eq!(TimeAxis::for_duration(86_400.0).x(7200.0), 2.0);
    }

    #[test]
    fn a_start_time_labels_ticks_in_utc() {
        let start = chrono::DateTime::parse_from_rfc3339("2026-05-04T09:00:00Z")
            .unwrap()
            .to_utc();
        let a = TimeAxis::for_duration(7200.0).with_start(Some(start), 7200.0);
        assert_eq!(a.label(15.0), "09:15");
        assert_eq!(a.instant(900.0), "09:15 UTC");
        assert_eq!(a.description(), "time (UTC) from Mon 2026-05-04 09:00");
        let week = TimeAxis::for_duration(7.0 * 86_400.0).with_start(Some(start), 7.0 * 86_400.0);
        assert_eq!(week.label(25.0), "Tue 10:00");
    }

    #[test]
    fn gaps_split_lines() {
        let s = step_segments(&[0.0, 1.0, 2.0, 3.0], &[Some(1.0), None, Some(2.0), Some(3.0)], 4.0);
        assert_eq!(
            s,
            vec![
                vec![(0.0, 1.0), (1.0, 1.0)],
                vec![(2.0, 2.0), (3.0, 2.0), (3.0, 3.0), (4.0, 3.0)]
            ]
        );
        let st = step_segments(&[0.0, 1.0, 2.0], &[Some(1.0), Some(2.0), None], 3.0);
        assert_eq!(st, vec![vec![(0.0, 1.0), (1.0, 1.0), (1.0, 2.0), (2.0, 2.0)]]);
        assert_eq!(
            steps(&[0.0, 1.0], &[2.0, 3.0], 5.0),
            vec![(0.0, 2.0), (1.0, 2.0), (1.0, 3.0), (5.0, 3.0)]
        );
    }
}
