//! What the per-run plots need, read back from a run folder's saved files (`timeseries.csv`,
//! `activities.csv`, `summary.json`, `manifest.json`). `fleetsim run` renders its plots from the
//! same bytes it writes, so a plot never shows something the files do not hold.

use super::axis::TimeAxis;
use super::table::Table;
use super::PlotError;
use serde_json::Value;

/// The saved files of one run.
#[derive(Clone, Copy)]
pub struct RunFiles<'a> {
    pub timeseries_csv: &'a [u8],
    pub activities_csv: &'a [u8],
    pub summary_json: &'a [u8],
    pub manifest_json: &'a [u8],
}

/// One row of `activities.csv`.
pub(super) struct ActivityRow {
    pub time_s: f64,
    pub variant: String,
    pub kind: String,
    pub reason: String,
}

/// The scalable target's bounds over time, from the manifest's resolved scenario and the
/// scheduled actions that changed them.
pub(super) struct Bounds {
    /// The variant the bounds belong to.
    pub variant: String,
    /// `(time [s], min, max)`, from time zero on.
    pub changes: Vec<(f64, f64, f64)>,
}

pub(super) struct RunData {
    pub scenario: String,
    pub duration_s: f64,
    pub time: TimeAxis,
    /// Period start times [s], one per `timeseries.csv` row.
    pub t: Vec<f64>,
    /// Period end times [s]: when the row's gauges (instances, desired, backlog, shares of
    /// nothing) were read.
    pub t_end: Vec<f64>,
    pub ts: Table,
    pub activities: Vec<ActivityRow>,
    pub variants: Vec<String>,
    /// `(percentile, latency [ms])`.
    pub slo: Option<(f64, f64)>,
    pub bounds: Option<Bounds>,
}

fn json(file: &str, bytes: &[u8]) -> Result<Value, PlotError> {
    serde_json::from_slice(bytes).map_err(|e| PlotError::Input {
        file: file.to_string(),
        message: format!("malformed JSON: {e}"),
    })
}

fn missing(file: &str, what: &str) -> PlotError {
    PlotError::Input {
        file: file.to_string(),
        message: format!("missing or invalid `{what}`"),
    }
}

impl RunData {
    pub(super) fn parse(files: RunFiles<'_>) -> Result<RunData, PlotError> {
        let summary = json("summary.json", files.summary_json)?;
        let manifest = json("manifest.json", files.manifest_json)?;
        let scenario = summary["scenario"]
            .as_str()
            .ok_or_else(|| missing("summary.json", "scenario"))?
            .to_string();
        let duration_s = summary["duration_s"]
            .as_f64()
            .filter(|d| d.is_finite() && *d > 0.0)
            .ok_or_else(|| missing("summary.json", "duration_s"))?;
        let variants: Vec<String> = summary["variants"]
            .as_array()
            .ok_or_else(|| missing("summary.json", "variants"))?
            .iter()
            .map(|v| v["name"].as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| missing("summary.json", "variants[].name"))?;
        let slo = match &summary["slo"] {
            Value::Null => None,
            s => Some((
                s["percentile"]
                    .as_f64()
                    .ok_or_else(|| missing("summary.json", "slo.percentile"))?,
                s["latency_ms"]
                    .as_f64()
                    .ok_or_else(|| missing("summary.json", "slo.latency_ms"))?,
            )),
        };

        let ts = Table::parse("timeseries.csv", files.timeseries_csv)?;
        let t = ts.required("time_s")?;
        // A file without `period_end_s` (written before it existed): each period ends where the
        // next starts, the last at the run's end.
        let t_end = if ts.has("period_end_s") {
            ts.required("period_end_s")?
        } else {
            (0..t.len())
                .map(|i| t.get(i + 1).copied().unwrap_or(duration_s))
                .collect()
        };
        let start = manifest["resolved_scenario"]["start_time"]
            .as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.to_utc());

        let acts = Table::parse("activities.csv", files.activities_csv)?;
        let times = acts.required("time_s")?;
        let (av, ak, ar) = (acts.strings("variant")?, acts.strings("kind")?, acts.strings("reason")?);
        let activities: Vec<ActivityRow> = (0..acts.len())
            .map(|i| ActivityRow {
                time_s: times[i],
                variant: av[i].to_string(),
                kind: ak[i].to_string(),
                reason: ar[i].to_string(),
            })
            .collect();

        let bounds = bounds(&manifest, &variants, &activities);
        Ok(RunData {
            scenario,
            duration_s,
            time: TimeAxis::for_duration(duration_s).with_start(start, duration_s),
            t,
            t_end,
            ts,
            activities,
            variants,
            slo,
            bounds,
        })
    }

    /// Period start times on the x axis: where a count or mean over a period starts.
    pub(super) fn xs(&self) -> Vec<f64> {
        self.t.iter().map(|t| self.time.x(*t)).collect()
    }

    /// Period end times on the x axis: where a gauge read at the period's end is drawn.
    pub(super) fn xs_end(&self) -> Vec<f64> {
        self.t_end.iter().map(|t| self.time.x(*t)).collect()
    }

    /// End of the x axis.
    pub(super) fn x_end(&self) -> f64 {
        self.time.x(self.duration_s)
    }

    /// Column `name` as numbers, or all-`None` when the column is absent.
    pub(super) fn column(&self, name: &str) -> Result<Vec<Option<f64>>, PlotError> {
        if self.ts.has(name) {
            self.ts.numbers(name)
        } else {
            Ok(vec![None; self.t.len()])
        }
    }

    pub(super) fn activities_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a ActivityRow> + 'a {
        self.activities.iter().filter(move |a| a.kind == kind)
    }
}

/// Bounds are drawn only for an endpoint with exactly one scalable target: with several, a
/// single min/max pair on the endpoint's total would mislead. The starting bounds come from the
/// manifest's resolved scenario (`autoscaling[0].min_capacity` / `max_capacity`); each
/// `ScheduledAction` row of that variant then states the new pair ("MinCapacity a -> b,
/// MaxCapacity c -> d"). Anything unreadable means no bounds, not an error: they are an aid.
fn bounds(manifest: &Value, variants: &[String], activities: &[ActivityRow]) -> Option<Bounds> {
    let targets = manifest["resolved_scenario"]["autoscaling"].as_array()?;
    let [target] = targets.as_slice() else {
        return None;
    };
    let min = target["min_capacity"].as_f64()?;
    let max = target["max_capacity"].as_f64()?;
    let variant = match target["variant"].as_str() {
        Some(v) => v.to_string(),
        None => variants.first()?.clone(),
    };
    let mut changes = vec![(0.0, min, max)];
    for a in activities
        .iter()
        .filter(|a| a.kind == "ScheduledAction" && a.variant == variant)
    {
        let new_min = after(&a.reason, "MinCapacity ");
        let new_max = after(&a.reason, "MaxCapacity ");
        let (_, lo, hi) = *changes.last().expect("starts non-empty");
        changes.push((a.time_s, new_min.unwrap_or(lo), new_max.unwrap_or(hi)));
    }
    Some(Bounds { variant, changes })
}

/// The number after `"<key>a -> "` in `text`.
fn after(text: &str, key: &str) -> Option<f64> {
    let rest = &text[text.find(key)? + key.len()..];
    let rest = &rest[rest.find("-> ")? + 3..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// The last `desired a -> b` of a capacity change reason, as `(a, b)`.
pub(super) fn desired_change(reason: &str) -> Option<(f64, f64)> {
    let i = reason.rfind("desired ")?;
    let rest = &reason[i + "desired ".len()..];
    let (a, rest) = rest.split_once(" -> ")?;
    let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    Some((a.trim().parse().ok()?, rest[..end].parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_reasons() {
        let r = "scheduled action weekday-floor: MinCapacity 2 -> 8, MaxCapacity 20 -> 20; desired stays 9";
        assert_eq!(after(r, "MinCapacity "), Some(8.0));
        assert_eq!(after(r, "MaxCapacity "), Some(20.0));
        let c = "invocations: ceil(9 x 6188 / 3900) = 15; desired 9 -> 15; clamped to 12; desired 9 -> 12";
        assert_eq!(desired_change(c), Some((9.0, 12.0)));
        assert_eq!(desired_change("no change"), None);
    }
}
