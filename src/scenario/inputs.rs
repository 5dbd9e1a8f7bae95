//! Data files a scenario refers to: traffic traces (CSV, or a CloudWatch export in JSON) and
//! recorded service-time samples.
//!
//! Paths are relative to the scenario file's folder. Bad rows are reported with their line
//! number; a header row is recognised and skipped.

use super::error::ScenarioError;
use super::limits;
use super::parse_message::shorten;
use crate::engine::{SimDuration, SimTime};
use std::path::Path;

/// Reads a data file whole, once its size is known to be within
/// [`limits::MAX_INPUT_BYTES`].
fn read(base: &Path, file: &str) -> Result<(String, String), ScenarioError> {
    let path = base.join(file);
    let shown = path.display().to_string();
    let io = |source| ScenarioError::Io {
        file: shown.clone(),
        source,
    };
    let size = std::fs::metadata(&path).map_err(io)?.len();
    if size > limits::MAX_INPUT_BYTES {
        return Err(io(std::io::Error::other(format!(
            "the file holds {size} bytes; a trace or samples file may hold at most {} MiB",
            limits::MAX_INPUT_BYTES >> 20
        ))));
    }
    let text = std::fs::read_to_string(&path).map_err(io)?;
    Ok((shown, text))
}

/// How a trace writes its timestamps; one file uses one form throughout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TimeForm {
    /// A number of seconds.
    Seconds,
    /// A calendar date and time.
    Date,
}

impl TimeForm {
    fn name(self) -> &'static str {
        match self {
            TimeForm::Seconds => "a number of seconds",
            TimeForm::Date => "a date and time",
        }
    }
}

/// A timestamp in seconds: a number of seconds, RFC 3339 (`2024-05-06T14:00:00Z`) or
/// `2024-05-06 14:00:00` (UTC, as CloudWatch console exports write it).
fn parse_timestamp(s: &str) -> Option<(f64, TimeForm)> {
    let s = s.trim();
    if let Ok(x) = s.parse::<f64>() {
        return x.is_finite().then_some((x, TimeForm::Seconds));
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some((t.timestamp_micros() as f64 / 1e6, TimeForm::Date));
    }
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| (t.and_utc().timestamp_micros() as f64 / 1e6, TimeForm::Date))
}

/// Checks that a row's timestamp is written like the first row's.
fn same_form(first: &mut Option<TimeForm>, form: TimeForm, text: &str) -> Result<(), String> {
    match *first.get_or_insert(form) {
        f if f == form => Ok(()),
        f => Err(format!(
            "`{}` is {}, but the first row's timestamp is {}; write every timestamp the same way",
            shorten(text),
            form.name(),
            f.name()
        )),
    }
}

fn records(text: &str) -> impl Iterator<Item = (usize, Vec<String>)> + '_ {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let rows: Vec<(usize, Vec<String>)> = rdr
        .records()
        .filter_map(|r| r.ok())
        .map(|r| {
            let line = r.position().map_or(0, |p| p.line() as usize);
            (line, r.iter().map(str::to_string).collect::<Vec<String>>())
        })
        .filter(|(_, f)| !(f.is_empty() || f.len() == 1 && f[0].is_empty() || f[0].starts_with('#')))
        .collect();
    rows.into_iter()
}

/// Where a trace row is written: a CSV line, or a JSON field path (a CloudWatch export).
enum Loc {
    Line(usize),
    Path(String),
}

/// Reads `timestamp,count` rows, or the JSON CloudWatch prints for `Invocations`
/// ([`super::cloudwatch_counts`]). Timestamps become offsets from the first row.
pub fn count_trace(
    base: &Path,
    file: &str,
    period: SimDuration,
    scale: f64,
) -> Result<Vec<(SimTime, u64)>, ScenarioError> {
    let (shown, text) = read(base, file)?;
    let bad = |loc: &Loc, message: String| match loc {
        Loc::Line(line) => ScenarioError::Input {
            file: shown.clone(),
            line: *line,
            message,
        },
        Loc::Path(at) => ScenarioError::Data {
            file: shown.clone(),
            message: format!("at `{at}`: {message}"),
        },
    };
    // Counts are held to the open workloads' rate limit: at most MAX_RPS over a period.
    let most = limits::MAX_RPS * period.0 as f64 / 1e6;
    // (where, seconds, timestamp as written, count, count as written)
    let mut entries: Vec<(Loc, f64, String, f64, String)> = Vec::new();
    if super::cloudwatch_counts::is_json(&text) {
        let export = super::cloudwatch_counts::read(&text, |t| match parse_timestamp(t) {
            Some((x, TimeForm::Date)) => Some(x),
            _ => None,
        })
        .map_err(|message| ScenarioError::Data {
            file: shown.clone(),
            message,
        })?;
        for r in export.rows {
            let count_text = r.count.to_string();
            entries.push((Loc::Path(r.at), r.secs, r.timestamp, r.count, count_text));
        }
    } else {
        let mut form = None;
        for (idx, (line, f)) in records(&text).enumerate() {
            let loc = Loc::Line(line);
            let Some((ts, this)) = parse_timestamp(&f[0]) else {
                if idx == 0 {
                    continue; // header
                }
                return Err(bad(
                    &loc,
                    format!(
                        "`{}` is not a timestamp (seconds, RFC 3339 or `YYYY-MM-DD HH:MM:SS`)",
                        shorten(&f[0])
                    ),
                ));
            };
            same_form(&mut form, this, &f[0]).map_err(|m| bad(&loc, m))?;
            let Some(c) = f.get(1) else {
                return Err(bad(&loc, "expected two columns: timestamp,count".into()));
            };
            let count = c
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| {
                    bad(
                        &loc,
                        format!(
                            "count `{}` is not a number of requests; allowed: a number from 0 to {most}",
                            shorten(c)
                        ),
                    )
                })?;
            entries.push((loc, ts, f[0].clone(), count, c.clone()));
        }
    }
    let mut rows: Vec<(SimTime, u64)> = Vec::new();
    let mut origin: Option<f64> = None;
    for (loc, ts, ts_text, count, c) in entries {
        if count * scale > most {
            return Err(bad(
                &loc,
                format!(
                    "count `{c}`{} is more than {} requests per second over a period of {period}; allowed: at most {most} per period",
                    if scale == 1.0 { String::new() } else { format!(" (x {scale} scale)") },
                    limits::MAX_RPS
                ),
            ));
        }
        let o = *origin.get_or_insert(ts);
        if ts < o {
            return Err(bad(&loc, format!("timestamp `{ts_text}` is before the first row")));
        }
        let at = offset(ts - o).map_err(|m| bad(&loc, m))?;
        if let Some(&(prev, _)) = rows.last() {
            if at.0 < prev.0.saturating_add(period.0) {
                return Err(bad(
                    &loc,
                    format!("timestamp `{ts_text}` is less than one period ({period}) after the previous row; rows must be sorted and one period apart or more"),
                ));
            }
        }
        rows.push((at, (count * scale).round() as u64));
    }
    if rows.is_empty() {
        return Err(bad(&Loc::Line(1), "the trace has no rows".into()));
    }
    Ok(rows)
}

/// Reads one timestamp per row (first column); sorted ascending, offsets from the earliest.
pub fn timestamp_trace(base: &Path, file: &str) -> Result<Vec<SimTime>, ScenarioError> {
    let (shown, text) = read(base, file)?;
    let mut secs = Vec::new();
    let mut form = None;
    for (idx, (line, f)) in records(&text).enumerate() {
        match parse_timestamp(&f[0]) {
            Some((ts, this)) => {
                same_form(&mut form, this, &f[0]).map_err(|message| ScenarioError::Input {
                    file: shown.clone(),
                    line,
                    message,
                })?;
                secs.push(ts)
            }
            None if idx == 0 => continue,
            None => {
                return Err(ScenarioError::Input {
                    file: shown,
                    line,
                    message: format!(
                        "`{}` is not a timestamp (seconds, RFC 3339 or `YYYY-MM-DD HH:MM:SS`)",
                        shorten(&f[0])
                    ),
                })
            }
        }
    }
    if secs.is_empty() {
        return Err(ScenarioError::Input {
            file: shown,
            line: 1,
            message: "the trace has no rows".into(),
        });
    }
    secs.sort_by(f64::total_cmp);
    let o = secs[0];
    let last = secs[secs.len() - 1];
    offset(last - o).map_err(|message| ScenarioError::Input {
        file: shown.clone(),
        line: 1,
        message: format!("the latest timestamp: {message}"),
    })?;
    Ok(secs.into_iter().map(|s| at_us((s - o) * 1e6)).collect())
}

/// Reads recorded durations (first column) in `unit` (`us`, `ms` or `s`).
pub fn samples(base: &Path, file: &str, unit: &str) -> Result<Vec<u64>, ScenarioError> {
    let scale = match unit {
        "us" => 1.0,
        "ms" => 1e3,
        "s" => 1e6,
        _ => unreachable!("unit validated before reading"),
    };
    let (shown, text) = read(base, file)?;
    let mut out = Vec::new();
    for (idx, (line, f)) in records(&text).enumerate() {
        match f[0].parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => out.push((x * scale).round() as u64),
            Ok(_) => {
                return Err(ScenarioError::Input {
                    file: shown,
                    line,
                    message: format!(
                        "sample `{}` is not a duration; allowed: a finite number >= 0 (in {unit})",
                        shorten(&f[0])
                    ),
                })
            }
            Err(_) if idx == 0 => continue,
            Err(_) => {
                return Err(ScenarioError::Input {
                    file: shown,
                    line,
                    message: format!("`{}` is not a number", shorten(&f[0])),
                })
            }
        }
    }
    if out.is_empty() {
        return Err(ScenarioError::Input {
            file: shown,
            line: 1,
            message: "no samples in the file".into(),
        });
    }
    Ok(out)
}

/// Latest offset from the first row a trace may hold [s]: far beyond any run (366 days), yet
/// small enough that times stay exact integers of microseconds and never overflow.
const MAX_OFFSET_S: f64 = 1e11;

/// An offset from the first row in seconds, as a time, or why it is out of range.
fn offset(secs: f64) -> Result<SimTime, String> {
    if secs > MAX_OFFSET_S {
        return Err(format!(
            "the row is {secs:e} s after the first one; allowed: at most {MAX_OFFSET_S:e} s (about 3000 years)"
        ));
    }
    Ok(at_us(secs * 1e6))
}

/// A float microsecond offset rounded to a whole microsecond.
fn at_us(us: f64) -> SimTime {
    SimTime(us.round().max(0.0) as u64)
}
