//! Expectations checked: what a scenario's run must show, in the form `fleetsim check`
//! evaluates (`crate::check`). Built from the file's [`Expect`](super::expect::Expect)s by
//! `validate/expect.rs`; plain data, no serde.

use super::expr::Expr;
use crate::engine::{SimDuration, SimTime};
use crate::model::ActivityKind;
use std::fmt;

/// Most seeds one expectation may ask for: each is a whole run.
pub const MAX_SEEDS: u32 = 1_000;

/// One expectation of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    pub name: String,
    pub rule: Rule,
    /// Runs it is judged on: the scenario's seed and the next `seeds - 1`.
    pub seeds: u32,
    /// Share of those runs that must pass, in (0, 1].
    pub at_least: f64,
}

/// What an expectation says.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// `summary.json` value (or arithmetic of values) against a bound.
    Summary {
        lhs: Expr,
        text: String,
        cmp: Cmp,
        rhs: Value,
    },
    /// Every metrics period from `from` to `to` (whole periods only), or with `over` every run
    /// of consecutive periods that long (columns summed over it), meets the bound.
    Series {
        lhs: Expr,
        text: String,
        cmp: Cmp,
        bound: f64,
        from: SimTime,
        to: SimTime,
        over: Option<SimDuration>,
    },
    /// Activity rows of a kind.
    Event {
        kind: EventKind,
        variant: Option<String>,
        check: EventCheck,
    },
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Eq,
    Ne,
    Ge,
    Gt,
}

impl Cmp {
    /// Longest first, so that `<=` is not read as `<`.
    const ALL: [(&'static str, Cmp); 6] = [
        ("<=", Cmp::Le),
        (">=", Cmp::Ge),
        ("==", Cmp::Eq),
        ("!=", Cmp::Ne),
        ("<", Cmp::Lt),
        (">", Cmp::Gt),
    ];

    pub fn symbol(self) -> &'static str {
        Cmp::ALL
            .iter()
            .find(|(_, c)| *c == self)
            .map(|(s, _)| *s)
            .expect("every comparison has a symbol")
    }

    /// Whether `a cmp b` holds.
    pub fn holds<T: PartialOrd>(self, a: T, b: T) -> bool {
        match self {
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::Ge => a >= b,
            Cmp::Gt => a > b,
        }
    }

    /// Splits `text` at its one comparison: `(left, cmp, right)`, both sides trimmed.
    pub fn split(text: &str) -> Result<(&str, Cmp, &str), String> {
        let mut found: Option<(usize, usize, Cmp)> = None;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let rest = &text[i..];
            if let Some((sym, cmp)) = Cmp::ALL.iter().find(|(s, _)| rest.starts_with(s)) {
                if found.is_some() {
                    return Err("more than one comparison; write one, e.g. `latency_ms.p99 <= 250`".into());
                }
                found = Some((i, sym.len(), *cmp));
                i += sym.len();
            } else {
                i += rest.chars().next().map_or(1, char::len_utf8);
            }
        }
        let Some((at, len, cmp)) = found else {
            return Err("no comparison; write one of <, <=, ==, !=, >=, >, e.g. `latency_ms.p99 <= 250`".into());
        };
        let (l, r) = (text[..at].trim(), text[at + len..].trim());
        if l.is_empty() || r.is_empty() {
            return Err(format!("`{}` needs a value on each side", cmp.symbol()));
        }
        Ok((l, cmp, r))
    }
}

impl fmt::Display for Cmp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// The right-hand side of a summary bound.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(f64),
    Bool(bool),
    /// A word (`RolledBack`) or a quoted text.
    Text(String),
    /// `null`: the summary has no value there.
    Null,
}

impl Value {
    /// Reads `true`, `false`, `null`, a number, a quoted text or a bare word.
    pub fn parse(text: &str) -> Value {
        let t = text.trim();
        match t {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            "null" => return Value::Null,
            _ => {}
        }
        if let Ok(v) = t.parse::<f64>() {
            if v.is_finite() {
                return Value::Number(v);
            }
        }
        let unquoted = t
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .or_else(|| t.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
            .unwrap_or(t);
        Value::Text(unquoted.to_string())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(v) => write!(f, "{v}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Text(t) => f.write_str(t),
            Value::Null => f.write_str("null"),
        }
    }
}

/// Which activity rows an event expectation counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// Rows of this kind.
    Row(ActivityKind),
    /// `CapacityChange` rows that raise the desired count.
    ScaleOut,
    /// `CapacityChange` rows that lower it.
    ScaleIn,
}

impl EventKind {
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Row(k) => k.name(),
            EventKind::ScaleOut => "ScaleOut",
            EventKind::ScaleIn => "ScaleIn",
        }
    }
}

/// What an event expectation checks.
#[derive(Clone, Debug, PartialEq)]
pub enum EventCheck {
    /// The first matching row falls from the first instant to the second, both included.
    FirstBetween(SimTime, SimTime),
    /// The number of matching rows in the window (or, with `per`, in every stretch of time that
    /// long within it) meets the bound.
    Count {
        cmp: Cmp,
        bound: u64,
        window: EventWindow,
        per: Option<SimDuration>,
    },
}

/// Where an event count looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventWindow {
    /// From the first instant to the second, both included.
    Span(SimTime, SimTime),
    /// While a deployment runs: from each `DeploymentStart` row to its `DeploymentEnd` row.
    Deployments,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_one_comparison() {
        assert_eq!(
            Cmp::split("latency_ms.p99 <= 250"),
            Ok(("latency_ms.p99", Cmp::Le, "250"))
        );
        assert_eq!(Cmp::split("a<b"), Ok(("a", Cmp::Lt, "b")));
        assert_eq!(Cmp::split("x != RolledBack"), Ok(("x", Cmp::Ne, "RolledBack")));
        assert!(Cmp::split("a < b < c").unwrap_err().contains("more than one"));
        assert!(Cmp::split("latency").unwrap_err().contains("no comparison"));
        assert!(Cmp::split("<= 3").unwrap_err().contains("each side"));
    }

    #[test]
    fn values() {
        assert_eq!(Value::parse("250"), Value::Number(250.0));
        assert_eq!(Value::parse("true"), Value::Bool(true));
        assert_eq!(Value::parse("null"), Value::Null);
        assert_eq!(Value::parse("RolledBack"), Value::Text("RolledBack".into()));
        assert_eq!(Value::parse("\"Rolled Back\""), Value::Text("Rolled Back".into()));
        assert!(Cmp::Le.holds(1.0, 1.0) && !Cmp::Lt.holds(1.0, 1.0) && Cmp::Ne.holds(1, 2));
    }
}
