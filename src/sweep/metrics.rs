//! The metrics a sweep aggregates: the numeric leaves of `summary.json` under dotted paths
//! (`latency_ms.p99`, `cost_usd`, `requests.errors_5xx`, `capacity.mean_in_service`), plus
//! `error_rate`.
//!
//! Lists (per-variant figures) and text are left out, and so is `seed` (it varies by
//! replication by design); `deployment` contributes its leaves when a run has a deployment and
//! nothing when it is null. Booleans count as 0 and 1 so their mean is a fraction. A leaf that is
//! null in a run (`cost_usd` with an unknown price, percentiles with no completion) is a
//! missing value, not zero. Metric names are always in sorted order so that every run, shard
//! and merge lists the same columns in the same order.

use crate::report::Summary;
use serde_json::Value;
use std::collections::BTreeMap;

/// What a metric is, which decides how `sweep.csv` aggregates it over a point's runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A measured value: mean, standard deviation and Student-t interval.
    Measure,
    /// A 0/1 outcome (a boolean of `summary.json`): the share of runs, with a Wilson interval.
    Share,
    /// A setting the summary echoes (the same in every run of a point): its value alone.
    Setting,
}

/// The booleans of `summary.json`, as 0/1 outcomes.
pub const SHARES: [&str; 2] = ["slo.met", "users.reached_max_invocations"];

/// The leaves of `summary.json` that echo the scenario rather than measure the run.
pub const SETTINGS: [&str; 3] = ["duration_s", "slo.latency_ms", "slo.percentile"];

/// The kind of metric `name`.
pub fn kind(name: &str) -> Kind {
    if SHARES.contains(&name) {
        Kind::Share
    } else if SETTINGS.contains(&name) {
        Kind::Setting
    } else {
        Kind::Measure
    }
}

/// One run's metrics by dotted path; `None` is a missing value.
pub type Metrics = BTreeMap<String, Option<f64>>;

/// `error_rate`: requests that did not complete successfully over arrivals:
/// (4XX + 5XX + timed out + expired + rejected + throttled) / arrived. Missing when nothing
/// arrived.
pub const ERROR_RATE: &str = "error_rate";

/// The metrics of one run's summary.
pub fn from_summary(summary: &Summary) -> Metrics {
    let tree = serde_json::to_value(summary).expect("summary serializes");
    let mut out = Metrics::new();
    if let Value::Object(map) = &tree {
        for (k, v) in map {
            if k != "seed" && !(k == "deployment" && v.is_null()) {
                leaves(k, v, &mut out);
            }
        }
    }
    out.insert(ERROR_RATE.to_string(), error_rate(summary));
    out
}

/// [`ERROR_RATE`] of a run; `None` when nothing arrived.
pub fn error_rate(summary: &Summary) -> Option<f64> {
    let r = &summary.requests;
    // Throttles exist only on serverless endpoints (`None` elsewhere).
    let failed = r.errors_4xx + r.errors_5xx + r.timed_out + r.expired + r.rejected + r.throttled.unwrap_or(0);
    (r.arrived > 0).then(|| failed as f64 / r.arrived as f64)
}

fn leaves(path: &str, v: &Value, out: &mut Metrics) {
    match v {
        Value::Number(n) => {
            out.insert(path.to_string(), n.as_f64());
        }
        Value::Bool(b) => {
            out.insert(path.to_string(), Some(if *b { 1.0 } else { 0.0 }));
        }
        Value::Null => {
            out.insert(path.to_string(), None);
        }
        Value::Object(map) => {
            for (k, v) in map {
                leaves(&format!("{path}.{k}"), v, out);
            }
        }
        Value::String(_) | Value::Array(_) => {}
    }
}

/// The sorted union of metric names; a name that is a strict prefix of another (an object that
/// was null in some run, e.g. `deployment`) is dropped in favour of the leaves.
pub fn union<'a>(sets: impl IntoIterator<Item = &'a Metrics>) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for m in sets {
        all.extend(m.keys().cloned());
    }
    all.sort();
    all.dedup();
    let keep: Vec<String> = all
        .iter()
        .filter(|name| {
            let prefix = format!("{name}.");
            !all.iter().any(|other| other.starts_with(&prefix))
        })
        .cloned()
        .collect();
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_and_union() {
        let mut a = Metrics::new();
        leaves(
            "x",
            &serde_json::json!({"b": 1, "a": {"c": null, "d": true}, "s": "t", "l": [1]}),
            &mut a,
        );
        assert_eq!(a.get("x.b"), Some(&Some(1.0)));
        assert_eq!(a.get("x.a.c"), Some(&None));
        assert_eq!(a.get("x.a.d"), Some(&Some(1.0)));
        assert!(!a.contains_key("x.s") && !a.contains_key("x.l"));
        let mut b = Metrics::new();
        b.insert("x.a".into(), None);
        b.insert("w".into(), Some(2.0));
        assert_eq!(union([&a, &b]), vec!["w", "x.a.c", "x.a.d", "x.b"]);
    }
}
