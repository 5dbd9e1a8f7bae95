//! `expect`: each expectation's bound parsed, its window inside the run, its kind, variant
//! and replication figures in range (`expectation.rs` says what each means).

use super::check::Check;
use crate::engine::{SimDuration, SimTime};
use crate::scenario::expect::{During, Expect, Kind};
use crate::scenario::expectation::{Cmp, EventCheck, EventWindow, Expectation, Rule, Value, MAX_SEEDS};
use crate::scenario::expr::Expr;

/// Characters an expectation's name may have: it heads a line of the report and a JUnit test
/// case.
const MAX_NAME: usize = 200;

/// What the expectations are checked against.
pub(super) struct Run<'a> {
    pub duration: SimDuration,
    /// The metrics period: a series window holds whole periods.
    pub period: SimDuration,
    pub variants: &'a [String],
    pub deployments: usize,
}

pub(super) fn validate(c: &mut Check, expect: &[Expect], run: &Run) -> Vec<Expectation> {
    let mut out = Vec::new();
    for (i, e) in expect.iter().enumerate() {
        let path = format!("expect[{i}]");
        let name = e.name();
        if name.trim().is_empty() || name.chars().count() > MAX_NAME || name.contains(['\n', '\r']) {
            c.fail(
                &format!("{path}.name"),
                format!("\"{name}\""),
                &format!("a name of 1 to {MAX_NAME} characters on one line"),
            );
        } else if expect[..i].iter().any(|o| o.name() == name) {
            c.fail(
                &format!("{path}.name"),
                format!("\"{name}\""),
                "a name no other expectation of the scenario has",
            );
        }
        let (seeds, at_least) = match e {
            Expect::Summary { seeds, at_least, .. }
            | Expect::Series { seeds, at_least, .. }
            | Expect::Event { seeds, at_least, .. } => (*seeds, *at_least),
        };
        let seeds = seeds.unwrap_or(1);
        if !(1..=MAX_SEEDS).contains(&seeds) {
            c.fail(
                &format!("{path}.seeds"),
                seeds,
                &format!("a whole number of runs from 1 to {MAX_SEEDS}"),
            );
        }
        let at_least = at_least.unwrap_or(1.0);
        if !(at_least.is_finite() && at_least > 0.0 && at_least <= 1.0) {
            c.fail(
                &format!("{path}.at_least"),
                at_least,
                "a share of the seeds' runs greater than 0 and at most 1 (0.95: 95 % must pass)",
            );
        }
        let rule = match e {
            Expect::Summary { that, .. } => summary(c, &path, that),
            Expect::Series {
                that, from, to, over, ..
            } => series(
                c,
                &path,
                that,
                from.map(|d| d.0),
                to.map(|d| d.0),
                over.map(|d| d.0),
                run,
            ),
            Expect::Event {
                kind,
                variant,
                first_between,
                count,
                from,
                to,
                during,
                per,
                ..
            } => event(
                c,
                &path,
                &EventFields {
                    kind: *kind,
                    variant: variant.as_deref(),
                    first_between: first_between.map(|(a, b)| (a.0, b.0)),
                    count: count.as_deref(),
                    from: from.map(|d| d.0),
                    to: to.map(|d| d.0),
                    during: *during,
                    per: per.map(|d| d.0),
                },
                run,
            ),
        };
        if let Some(rule) = rule {
            out.push(Expectation {
                name: name.to_string(),
                rule,
                seeds,
                at_least,
            });
        }
    }
    out
}

/// `that` split at its comparison, the left side parsed; `None` after recording the error.
fn bound<'t>(c: &mut Check, path: &str, that: &'t str) -> Option<(Expr, String, Cmp, &'t str)> {
    let p = format!("{path}.that");
    let (lhs, cmp, rhs) = match Cmp::split(that) {
        Ok(parts) => parts,
        Err(e) => {
            c.fail(
                &p,
                format!("\"{that}\""),
                &format!("a bound such as \"latency_ms.p99 <= 250\": {e}"),
            );
            return None;
        }
    };
    match Expr::parse(lhs) {
        Ok(e) => Some((e, lhs.to_string(), cmp, rhs)),
        Err(e) => {
            c.fail(
                &p,
                format!("\"{that}\""),
                &format!("a value or arithmetic of values left of `{cmp}`: {e}"),
            );
            None
        }
    }
}

fn summary(c: &mut Check, path: &str, that: &str) -> Option<Rule> {
    let (lhs, text, cmp, rhs) = bound(c, path, that)?;
    let rhs = Value::parse(rhs);
    let bare = matches!(lhs, Expr::Name(_));
    match &rhs {
        Value::Number(_) => {}
        Value::Bool(_) | Value::Text(_) | Value::Null if matches!(cmp, Cmp::Eq | Cmp::Ne) && bare => {}
        _ => {
            c.fail(
                &format!("{path}.that"),
                format!("\"{that}\""),
                "a number right of <, <=, >= or >; a word, true, false or null only with == or != after a single summary name",
            );
            return None;
        }
    }
    Some(Rule::Summary { lhs, text, cmp, rhs })
}

/// A window `[from, to]` inside the run, `to` defaulting to its end.
fn window(
    c: &mut Check,
    path: &str,
    from: Option<SimDuration>,
    to: Option<SimDuration>,
    run: &Run,
) -> Option<(SimTime, SimTime)> {
    let from = from.unwrap_or(SimDuration::ZERO);
    let to = to.unwrap_or(run.duration);
    let mut ok = true;
    if from >= run.duration {
        c.fail(
            &format!("{path}.from"),
            from,
            &format!("an instant before the end of the run ({})", run.duration),
        );
        ok = false;
    }
    if to > run.duration {
        c.fail(
            &format!("{path}.to"),
            to,
            &format!("an instant up to the end of the run ({})", run.duration),
        );
        ok = false;
    }
    if ok && to < from {
        c.fail(
            &format!("{path}.to"),
            to,
            &format!("an instant at or after `from` ({from})"),
        );
        ok = false;
    }
    ok.then_some((SimTime(from.0), SimTime(to.0)))
}

fn series(
    c: &mut Check,
    path: &str,
    that: &str,
    from: Option<SimDuration>,
    to: Option<SimDuration>,
    over: Option<SimDuration>,
    run: &Run,
) -> Option<Rule> {
    let parsed = bound(c, path, that);
    let window = window(c, path, from, to, run);
    let (lhs, text, cmp, rhs) = parsed?;
    let bound = match rhs.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => {
            c.fail(
                &format!("{path}.that"),
                format!("\"{that}\""),
                &format!("a number right of `{cmp}`"),
            );
            return None;
        }
    };
    let (from, to) = window?;
    let p = run.period.0.max(1);
    // The whole periods inside the window.
    let first = from.0.div_ceil(p) * p;
    let last_end = to.0 / p * p;
    if last_end <= first {
        c.fail(
            &format!("{path}.to"),
            SimDuration(to.0 - from.0),
            &format!("a window holding at least one whole metrics period ({})", run.period),
        );
        return None;
    }
    if let Some(over) = over {
        if over.0 == 0 || over.0 % p != 0 || over.0 > last_end - first {
            c.fail(
                &format!("{path}.over"),
                over,
                &format!(
                    "a multiple of the metrics period ({}) no longer than the window's whole periods ({})",
                    run.period,
                    SimDuration(last_end - first)
                ),
            );
            return None;
        }
    }
    Some(Rule::Series {
        lhs,
        text,
        cmp,
        bound,
        from,
        to,
        over,
    })
}

struct EventFields<'a> {
    kind: Kind,
    variant: Option<&'a str>,
    first_between: Option<(SimDuration, SimDuration)>,
    count: Option<&'a str>,
    from: Option<SimDuration>,
    to: Option<SimDuration>,
    during: Option<During>,
    per: Option<SimDuration>,
}

fn event(c: &mut Check, path: &str, f: &EventFields, run: &Run) -> Option<Rule> {
    let kind = f.kind.event_kind();
    if let Some(v) = f.variant {
        if !run.variants.iter().any(|n| n == v) {
            c.fail(
                &format!("{path}.variant"),
                format!("\"{v}\""),
                &format!("a variant of the endpoint: {}", run.variants.join(", ")),
            );
        }
    }
    let check = match (f.first_between, f.count) {
        (Some((a, b)), None) => {
            for (field, given) in [
                ("from", f.from.is_some()),
                ("to", f.to.is_some()),
                ("during", f.during.is_some()),
                ("per", f.per.is_some()),
            ] {
                if given {
                    c.fail(
                        &format!("{path}.{field}"),
                        "a value",
                        "nothing with `first_between` (it is a window itself)",
                    );
                }
            }
            if b > run.duration {
                c.fail(
                    &format!("{path}.first_between"),
                    b,
                    &format!("instants up to the end of the run ({})", run.duration),
                );
                None
            } else if b < a {
                c.fail(
                    &format!("{path}.first_between"),
                    format!("({a}, {b})"),
                    "(earliest, latest) with earliest <= latest",
                );
                None
            } else {
                Some(EventCheck::FirstBetween(SimTime(a.0), SimTime(b.0)))
            }
        }
        (None, Some(count)) => count_check(c, path, count, f, run),
        _ => {
            c.fail(
                path,
                "an event expectation",
                "exactly one of `first_between: (EARLIEST, LATEST)` and `count: \"<= N\"`",
            );
            None
        }
    };
    Some(Rule::Event {
        kind,
        variant: f.variant.map(str::to_string),
        check: check?,
    })
}

fn count_check(c: &mut Check, path: &str, count: &str, f: &EventFields, run: &Run) -> Option<EventCheck> {
    let p = format!("{path}.count");
    let parsed = Cmp::split(&format!("n {count}")).ok().and_then(|(l, cmp, r)| {
        let n = r.parse::<u64>().ok().filter(|n| *n <= u64::from(u32::MAX))?;
        (l == "n").then_some((cmp, n))
    });
    let Some((cmp, bound)) = parsed else {
        c.fail(
            &p,
            format!("\"{count}\""),
            "a comparison and a whole number, e.g. \"<= 4\", \"== 0\", \">= 1\"",
        );
        return None;
    };
    let window = match f.during {
        Some(During::Deployment) => {
            if f.from.is_some() || f.to.is_some() {
                c.fail(
                    &format!("{path}.during"),
                    "Deployment",
                    "either `during` or `from`/`to`, not both",
                );
                return None;
            }
            if run.deployments == 0 {
                c.fail(&format!("{path}.during"), "Deployment", "a scenario with a deployment");
                return None;
            }
            EventWindow::Deployments
        }
        None => {
            let (a, b) = window(c, path, f.from, f.to, run)?;
            EventWindow::Span(a, b)
        }
    };
    if let Some(per) = f.per {
        if per.0 == 0 || per > run.duration {
            c.fail(
                &format!("{path}.per"),
                per,
                &format!("a duration > 0 up to the run's ({})", run.duration),
            );
            return None;
        }
    }
    Some(EventCheck::Count {
        cmp,
        bound,
        window,
        per: f.per,
    })
}
