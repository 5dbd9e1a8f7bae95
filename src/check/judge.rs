//! One expectation judged on one run: pass or fail, what was measured, and for a failure the
//! instant, datapoint or activity row that shows it.
//!
//! A name the run does not have (a summary value, a time-series column) is an error in the
//! expectation, not a failure: `Err` with the names there are.

use super::run_data::{RunData, Series};
use crate::engine::{SimDuration, SimTime};
use crate::model::{Activity, ActivityKind};
use crate::scenario::expectation::{Cmp, EventCheck, EventKind, EventWindow, Expectation, Rule, Value};
use crate::scenario::expr::Expr;
use crate::scenario::shorten_to;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// An expectation's verdict on one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Judged {
    pub pass: bool,
    /// What was measured, e.g. `latency_ms.p99 = 312.4`.
    pub measured: String,
    /// For a failure: where it shows (the first instant, datapoint or row that broke it).
    pub detail: Option<String>,
}

impl Judged {
    fn new(pass: bool, measured: String, detail: Option<String>) -> Judged {
        Judged { pass, measured, detail }
    }
}

/// The bound an expectation states, as the report prints it.
pub fn bound_text(e: &Expectation) -> String {
    match &e.rule {
        Rule::Summary { text, cmp, rhs, .. } => format!("{text} {cmp} {rhs}"),
        Rule::Series {
            text,
            cmp,
            bound,
            from,
            to,
            over,
            ..
        } => format!(
            "{text} {cmp} {bound} {} from {from} to {to}",
            over.map_or("in every period".to_string(), |o| format!("over every {o}"))
        ),
        Rule::Event { kind, variant, check } => {
            let what = match variant {
                Some(v) => format!("{} of {v}", kind.name()),
                None => kind.name().to_string(),
            };
            match check {
                EventCheck::FirstBetween(a, b) => format!("first {what} from {a} to {b}"),
                EventCheck::Count {
                    cmp,
                    bound,
                    window,
                    per,
                } => {
                    let per = per.map(|p| format!(" in any {p}")).unwrap_or_default();
                    let window = match window {
                        EventWindow::Span(a, b) => format!("from {a} to {b}"),
                        EventWindow::Deployments => "during deployments".to_string(),
                    };
                    format!("{what} count {cmp} {bound}{per} {window}")
                }
            }
        }
    }
}

/// Judges `e` on `run`.
pub fn judge(e: &Expectation, run: &RunData) -> Result<Judged, String> {
    match &e.rule {
        Rule::Summary { lhs, text, cmp, rhs } => summary(&run.summary, lhs, text, *cmp, rhs),
        Rule::Series {
            lhs,
            text,
            cmp,
            bound,
            from,
            to,
            over,
        } => series(&run.series, lhs, text, *cmp, *bound, (*from, *to), *over),
        Rule::Event { kind, variant, check } => Ok(event(&run.activities, run.end, *kind, variant.as_deref(), check)),
    }
}

fn names_list(names: impl Iterator<Item = String>) -> String {
    shorten_to(&names.collect::<Vec<_>>().join(", "), 4_000)
}

/// A number for display: integers without a fraction, others with up to 6 significant digits.
fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.6}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

fn json_text(v: &Json) -> String {
    match v {
        Json::Null => "null (no value)".into(),
        Json::Number(n) => n.as_f64().map_or(n.to_string(), num),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn summary(values: &BTreeMap<String, Json>, lhs: &Expr, text: &str, cmp: Cmp, rhs: &Value) -> Result<Judged, String> {
    let unknown = |n: &str| {
        format!(
            "`{n}` is not a summary value of this run; the values are: {}",
            names_list(values.keys().cloned())
        )
    };
    if let Expr::Name(n) = lhs {
        let v = values.get(n).ok_or_else(|| unknown(n))?;
        let measured = format!("{n} = {}", json_text(v));
        let pass = match (rhs, v) {
            (Value::Number(b), Json::Number(x)) => cmp.holds(x.as_f64().unwrap_or(f64::NAN), *b),
            (Value::Number(b), Json::Bool(x)) => cmp.holds(f64::from(u8::from(*x)), *b),
            (Value::Number(_), Json::Null) => false,
            (Value::Bool(b), Json::Bool(x)) => cmp.holds(x, b),
            (Value::Text(t), Json::String(x)) => cmp.holds(x.as_str(), t.as_str()),
            (Value::Null, v) => cmp.holds(v.is_null(), true),
            (Value::Text(_) | Value::Bool(_), Json::Null) => cmp == Cmp::Ne,
            (Value::Number(_), _) => {
                return Err(format!(
                    "`{n}` is {}, not a number: compare it with == or !=",
                    json_text(v)
                ))
            }
            (Value::Bool(_), _) => return Err(format!("`{n}` is {}, not true or false", json_text(v))),
            (Value::Text(_), _) => return Err(format!("`{n}` is {}, not a text", json_text(v))),
        };
        return Ok(Judged::new(pass, measured, None));
    }
    let Value::Number(b) = rhs else {
        return Err("only a single summary name compares with a text".into());
    };
    let mut env = BTreeMap::new();
    let mut missing = Vec::new();
    for n in lhs.names() {
        match values.get(&n).ok_or_else(|| unknown(&n))? {
            Json::Number(x) => {
                env.insert(n, x.as_f64().unwrap_or(f64::NAN));
            }
            Json::Bool(x) => {
                env.insert(n, f64::from(u8::from(*x)));
            }
            Json::Null => missing.push(n),
            other => return Err(format!("`{n}` is {}, not a number", json_text(other))),
        }
    }
    if !missing.is_empty() {
        return Ok(Judged::new(
            false,
            format!("{text}: no value ({} null)", missing.join(", ")),
            None,
        ));
    }
    let v = lhs.eval(&env)?;
    let pass = v.is_finite() && cmp.holds(v, *b);
    Ok(Judged::new(pass, format!("{text} = {}", num(v)), None))
}

/// Which way a value is worse for the bound: `Some(true)` when larger is worse.
fn larger_is_worse(cmp: Cmp) -> Option<bool> {
    match cmp {
        Cmp::Lt | Cmp::Le => Some(true),
        Cmp::Gt | Cmp::Ge => Some(false),
        Cmp::Eq | Cmp::Ne => None,
    }
}

fn series(
    s: &Series,
    lhs: &Expr,
    text: &str,
    cmp: Cmp,
    bound: f64,
    (from, to): (SimTime, SimTime),
    over: Option<SimDuration>,
) -> Result<Judged, String> {
    let mut cols = Vec::new();
    for n in lhs.names() {
        let i = s.columns.iter().position(|c| *c == n).ok_or_else(|| {
            format!(
                "`{n}` is not a column of this run's timeseries.csv; the columns are: {}",
                names_list(
                    s.columns
                        .iter()
                        .filter(|c| !matches!(c.as_str(), "time_s" | "period_end_s" | "timestamp" | "clock"))
                        .cloned()
                )
            )
        })?;
        if s.text_columns[i] {
            return Err(format!("`{n}` holds text (a status), not numbers"));
        }
        cols.push((n, i));
    }
    let p = s.period.0.max(1);
    // The window's whole periods, in time order (rows are one per period).
    let rows: Vec<&(SimTime, Vec<Option<f64>>)> =
        s.rows.iter().filter(|(t, _)| *t >= from && t.0 + p <= to.0).collect();
    let k = over.map_or(1, |o| (o.0 / p) as usize).max(1);
    let mut judged = 0usize;
    let mut worst: Option<(f64, SimTime, SimTime)> = None;
    let mut first_break: Option<(f64, SimTime, SimTime)> = None;
    for w in rows.windows(k) {
        let mut env = BTreeMap::new();
        let mut any = false;
        for (n, i) in &cols {
            // Over several periods a column is summed; an empty cell adds nothing.
            let mut sum = 0.0;
            let mut seen = false;
            for (_, cells) in w {
                if let Some(v) = cells[*i] {
                    sum += v;
                    seen = true;
                }
            }
            if !seen && k == 1 {
                break;
            }
            any |= seen;
            env.insert(n.clone(), sum);
        }
        if env.len() < cols.len() || !any && !cols.is_empty() {
            continue; // no datapoint
        }
        let v = lhs.eval(&env)?;
        if !v.is_finite() {
            continue; // 0 / 0: nothing to judge
        }
        judged += 1;
        let (start, end) = (w[0].0, SimTime(w[w.len() - 1].0 .0 + p));
        let worse = match (larger_is_worse(cmp), worst) {
            (_, None) => true,
            (Some(true), Some((x, _, _))) => v > x,
            (Some(false), Some((x, _, _))) => v < x,
            (None, Some(_)) => false,
        };
        if worse {
            worst = Some((v, start, end));
        }
        if first_break.is_none() && !cmp.holds(v, bound) {
            first_break = Some((v, start, end));
            if larger_is_worse(cmp).is_none() {
                worst = first_break;
            }
        }
    }
    // A row's gauges are read at its period's end, so a period is shown with both ends.
    let span = |a: SimTime, b: SimTime| format!("{a}-{b}");
    let Some((wv, ws, we)) = worst else {
        return Ok(Judged::new(
            false,
            format!("{text}: no datapoint from {from} to {to}"),
            None,
        ));
    };
    let unit = if k == 1 { "periods" } else { "stretches" };
    let measured = match (larger_is_worse(cmp), first_break) {
        (Some(_), _) => format!(
            "worst {text} = {} in {} ({judged} {unit} judged)",
            num(wv),
            span(ws, we)
        ),
        (None, None) => format!("{text} {cmp} {} in all {judged} {unit} judged", num(bound)),
        (None, Some(_)) => format!(
            "first {text} = {} in {} ({judged} {unit} judged)",
            num(wv),
            span(ws, we)
        ),
    };
    let detail = first_break.map(|(v, a, b)| {
        let cells: Vec<String> = rows
            .iter()
            .find(|(t, _)| *t == a)
            .map(|(_, cells)| {
                cols.iter()
                    .map(|(n, i)| format!("{n} {}", cells[*i].map_or("(empty)".to_string(), num)))
                    .collect()
            })
            .unwrap_or_default();
        let row = if k == 1 {
            format!(" (timeseries.csv row {a}: {})", cells.join(", "))
        } else {
            String::new()
        };
        format!("first broken in {}: {text} = {}{row}", span(a, b), num(v))
    });
    Ok(Judged::new(first_break.is_none(), measured, detail))
}

fn matches(a: &Activity, kind: EventKind, variant: Option<&str>) -> bool {
    if variant.is_some_and(|v| v != a.variant) {
        return false;
    }
    match kind {
        EventKind::Row(k) => a.kind == k,
        EventKind::ScaleOut => a.desired_change().is_some_and(|(f, t)| t > f),
        EventKind::ScaleIn => a.desired_change().is_some_and(|(f, t)| t < f),
    }
}

/// An activity row as `activities.csv` shows it.
pub fn row_text(a: &Activity) -> String {
    format!(
        "activities.csv row {} {} {} ({}): {}",
        a.time,
        a.variant,
        a.kind.name(),
        a.cause,
        a.reason
    )
}

fn event(rows: &[Activity], end: SimTime, kind: EventKind, variant: Option<&str>, check: &EventCheck) -> Judged {
    let hits: Vec<&Activity> = rows.iter().filter(|a| matches(a, kind, variant)).collect();
    let name = kind.name();
    match check {
        EventCheck::FirstBetween(a, b) => match hits.first() {
            None => Judged::new(false, format!("no {name} row"), None),
            Some(first) => {
                let pass = first.time >= *a && first.time <= *b;
                Judged::new(
                    pass,
                    format!("first {name} at {}", first.time),
                    (!pass).then(|| row_text(first)),
                )
            }
        },
        EventCheck::Count {
            cmp,
            bound,
            window,
            per,
        } => {
            let spans: Vec<(SimTime, SimTime)> = match window {
                EventWindow::Span(a, b) => vec![(*a, *b)],
                EventWindow::Deployments => deployment_spans(rows, end),
            };
            let inside: Vec<&Activity> = hits
                .iter()
                .copied()
                .filter(|h| spans.iter().any(|(a, b)| h.time >= *a && h.time <= *b))
                .collect();
            let where_ = match window {
                EventWindow::Span(a, b) => format!("from {a} to {b}"),
                EventWindow::Deployments if spans.is_empty() => "(no deployment ran)".to_string(),
                EventWindow::Deployments => format!(
                    "during {}",
                    spans
                        .iter()
                        .map(|(a, b)| format!("{a}-{b}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            // With `per`: the busiest stretch of that length, starting at a row.
            let (count, stretch) = match per {
                None => (inside.len(), 0),
                Some(per) => {
                    let mut best = (0, 0);
                    let mut j = 0;
                    for i in 0..inside.len() {
                        while j < inside.len() && inside[j].time.0 < inside[i].time.0.saturating_add(per.0) {
                            j += 1;
                        }
                        if j - i > best.0 {
                            best = (j - i, i);
                        }
                    }
                    best
                }
            };
            let pass = cmp.holds(count as u64, *bound);
            let measured = match per {
                None => format!("{count} {name} {where_}"),
                Some(p) if count > 0 => format!("busiest {p}: {count} {name} from {} ({where_})", inside[stretch].time),
                Some(p) => format!("busiest {p}: 0 {name} ({where_})"),
            };
            // The row past the bound when there is one; else (too few) the rows there are.
            let detail = (!pass).then(|| {
                let nth = match cmp {
                    Cmp::Lt => Some(*bound as usize),
                    Cmp::Le | Cmp::Eq => Some(*bound as usize + 1),
                    _ => None,
                };
                match nth.and_then(|n| inside.get(stretch + n.checked_sub(1)?)) {
                    Some(a) => row_text(a),
                    None if inside.is_empty() => format!("no {name} row {where_}"),
                    None => {
                        let shown: Vec<String> = inside
                            .iter()
                            .take(5)
                            .map(|a| format!("{} ({})", a.time, a.reason))
                            .collect();
                        let more = inside.len().saturating_sub(5);
                        let more = if more > 0 {
                            format!(" and {more} more")
                        } else {
                            String::new()
                        };
                        format!("the {name} rows: {}{more}", shown.join("; "))
                    }
                }
            });
            Judged::new(pass, measured, detail)
        }
    }
}

/// From each `DeploymentStart` row to the next `DeploymentEnd` row (or `end`, the end of the
/// run, for a deployment still running then).
fn deployment_spans(rows: &[Activity], end: SimTime) -> Vec<(SimTime, SimTime)> {
    let mut out = Vec::new();
    let mut open: Option<SimTime> = None;
    for a in rows {
        match a.kind {
            ActivityKind::DeploymentStart if open.is_none() => open = Some(a.time),
            ActivityKind::DeploymentEnd => {
                if let Some(s) = open.take() {
                    out.push((s, a.time));
                }
            }
            _ => {}
        }
    }
    if let Some(s) = open {
        out.push((s, end));
    }
    out
}
