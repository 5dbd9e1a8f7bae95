//! Data files a scenario refers to: traffic traces and recorded service-time samples.
//!
//! Paths are relative to the scenario file's folder. Bad rows are reported with their line
//! number; a header row is recognised and skipped.

use super::error::ScenarioError;
use crate::engine::{SimDuration, SimTime};
use std::path::Path;

fn read(base: &Path, file: &str) -> Result<(String, String), ScenarioError> {
    let path = base.join(file);
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|source| ScenarioError::Io {
        file: shown.clone(),
        source,
    })?;
    Ok((shown, text))
}

/// A timestamp in seconds: a number of seconds, RFC 3339 (`2024-05-06T14:00:00Z`) or
/// `2024-05-06 14:00:00` (UTC, as CloudWatch console exports write it).
fn parse_timestamp(s: &str) -> Option<f64> {
    let s = s.trim();
    if let Ok(x) = s.parse::<f64>() {
        return x.is_finite().then_some(x);
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_micros() as f64 / 1e6);
    }
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| t.and_utc().timestamp_micros() as f64 / 1e6)
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

/// Reads `timestamp,count` rows. Timestamps become offsets from the first row.
pub fn count_trace(
    base: &Path,
    file: &str,
    period: SimDuration,
    scale: f64,
) -> Result<Vec<(SimTime, u64)>, ScenarioError> {
    let (shown, text) = read(base, file)?;
    let bad = |line: usize, message: String| ScenarioError::Input {
        file: shown.clone(),
        line,
        message,
    };
    let mut rows: Vec<(SimTime, u64)> = Vec::new();
    let mut origin: Option<f64> = None;
    for (idx, (line, f)) in records(&text).enumerate() {
        let Some(ts) = parse_timestamp(&f[0]) else {
            if idx == 0 {
                continue; // header
            }
            return Err(bad(
                line,
                format!(
                    "`{}` is not a timestamp (seconds, RFC 3339 or `YYYY-MM-DD HH:MM:SS`)",
                    f[0]
                ),
            ));
        };
        let Some(c) = f.get(1) else {
            return Err(bad(line, "expected two columns: timestamp,count".into()));
        };
        let count: f64 = c
            .parse()
            .map_err(|_| bad(line, format!("count `{c}` is not a number")))?;
        if !(count.is_finite() && count >= 0.0) {
            return Err(bad(line, format!("count {c} must be a number >= 0")));
        }
        let o = *origin.get_or_insert(ts);
        if ts < o {
            return Err(bad(line, format!("timestamp `{}` is before the first row", f[0])));
        }
        let at = at_us((ts - o) * 1e6);
        if let Some(&(prev, _)) = rows.last() {
            if at.0 < prev.0 + period.0 {
                return Err(bad(
                    line,
                    format!("timestamp `{}` is less than one period ({period}) after the previous row; rows must be sorted and one period apart or more", f[0]),
                ));
            }
        }
        rows.push((at, (count * scale).round() as u64));
    }
    if rows.is_empty() {
        return Err(bad(1, "the trace has no rows".into()));
    }
    Ok(rows)
}

/// Reads one timestamp per row (first column); sorted ascending, offsets from the earliest.
pub fn timestamp_trace(base: &Path, file: &str) -> Result<Vec<SimTime>, ScenarioError> {
    let (shown, text) = read(base, file)?;
    let mut secs = Vec::new();
    for (idx, (line, f)) in records(&text).enumerate() {
        match parse_timestamp(&f[0]) {
            Some(ts) => secs.push(ts),
            None if idx == 0 => continue,
            None => {
                return Err(ScenarioError::Input {
                    file: shown,
                    line,
                    message: format!(
                        "`{}` is not a timestamp (seconds, RFC 3339 or `YYYY-MM-DD HH:MM:SS`)",
                        f[0]
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
                    message: format!("sample {} must be >= 0", f[0]),
                })
            }
            Err(_) if idx == 0 => continue,
            Err(_) => {
                return Err(ScenarioError::Input {
                    file: shown,
                    line,
                    message: format!("`{}` is not a number", f[0]),
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

/// A float microsecond offset rounded to a whole microsecond.
fn at_us(us: f64) -> SimTime {
    SimTime(us.round().max(0.0) as u64)
}
