//! Axis titles and colour-bar labels in words with units: a sweep's metric names
//! (`latency_ms.p999` -> `p99.9 latency (ms)`) and its axes, named after the scenario field
//! they set (`autoscaling[0].min_capacity` -> `MinCapacity (instances)`), with AWS's own names
//! where the field has one. Unknown names keep their raw spelling, so a new metric still plots.
//!
//! A fraction (`error_rate`, a boolean's mean over runs) is shown in per cent: its label
//! carries the scale its values are multiplied by.

/// What a metric's values mean on a plot.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct MetricLabel {
    /// `p99 latency`: what is measured, without the unit.
    pub words: String,
    /// `ms`; `None` when the raw name is kept.
    pub unit: Option<&'static str>,
    /// Factor from the stored value to the value shown (100 for a fraction shown in %).
    pub scale: f64,
}

impl MetricLabel {
    /// `p99 latency (ms)`.
    pub(super) fn text(&self) -> String {
        with_unit(&self.words, self.unit)
    }

    /// A value in the label's unit as text: `175 ms`, `0.2 %`, `12` for counts.
    pub(super) fn value(&self, shown: f64) -> String {
        let n = super::axis::number(shown);
        match self.unit {
            None | Some("count") => n,
            Some(u) => format!("{n} {u}"),
        }
    }
}

fn with_unit(words: &str, unit: Option<&str>) -> String {
    match unit {
        Some(u) => format!("{words} ({u})"),
        None => words.to_string(),
    }
}

const COUNT: &str = "count";
const MS: &str = "ms";
const S: &str = "s";
const USD: &str = "USD";
const PCT: &str = "%";
const INSTANCES: &str = "instances";
const INSTANCE_HOURS: &str = "instance-hours";

/// Every leaf of `summary.json` a sweep aggregates (`sweep::metrics`) but the latency
/// statistics, which [`statistic`] words: `(name, words, unit)`. Fractions are in [`FRACTIONS`].
const METRICS: &[(&str, &str, &str)] = &[
    ("cost_usd", "cost per run", USD),
    ("duration_s", "run duration", S),
    ("scaling_activities", "scaling activities", COUNT),
    ("requests.arrived", "requests arrived", COUNT),
    ("requests.completed", "requests completed", COUNT),
    ("requests.errors_4xx", "4XX errors", COUNT),
    ("requests.errors_5xx", "5XX errors", COUNT),
    ("requests.timed_out", "requests timed out", COUNT),
    ("requests.expired", "requests expired", COUNT),
    ("requests.rejected", "requests rejected", COUNT),
    (
        "requests.rejected_backlog_full",
        "requests rejected, backlog full",
        COUNT,
    ),
    ("requests.rejected_no_capacity", "requests rejected, no capacity", COUNT),
    ("requests.throttled", "requests throttled", COUNT),
    ("requests.in_flight_at_end", "requests in flight at the end", COUNT),
    ("capacity.min_in_service", "fewest instances in service", INSTANCES),
    ("capacity.max_in_service", "most instances in service", INSTANCES),
    ("capacity.mean_in_service", "mean instances in service", INSTANCES),
    ("capacity.instance_hours", "instance time", INSTANCE_HOURS),
    ("slo.percentile", "SLO percentile", "percentile"),
    ("slo.latency_ms", "SLO latency", MS),
    ("deployment.started_s", "deployment start", S),
    ("deployment.finished_s", "deployment end", S),
    ("deployment.old_instances", "old fleet at the update", INSTANCES),
    ("deployment.new_instances", "new fleet at the update", INSTANCES),
    (
        "deployment.peak_instances",
        "most instances during the deployment",
        INSTANCES,
    ),
    (
        "deployment.extra_instance_hours",
        "extra instance time of the deployment",
        INSTANCE_HOURS,
    ),
    (
        "deployment.billing_rule_instance_hours",
        "deployment instance time by the billing rule",
        INSTANCE_HOURS,
    ),
    (
        "deployment.requests_served_by_new_version",
        "requests served by the new version",
        COUNT,
    ),
    (
        "deployment.errors_during_deployment",
        "errors during the deployment",
        COUNT,
    ),
    ("shadow_test.sampling_percentage", "shadow SamplingPercentage", PCT),
    ("shadow_test.start_s", "shadow test start", S),
    ("shadow_test.end_s", "shadow test end", S),
    (
        "shadow_test.requests_copied",
        "requests copied to the shadow variant",
        COUNT,
    ),
    ("serverless.memory_size_in_mb", "MemorySizeInMB", "MB"),
    ("serverless.max_concurrency", "MaxConcurrency", "invocations"),
    (
        "serverless.provisioned_concurrency",
        "ProvisionedConcurrency",
        "invocations",
    ),
    (
        "serverless.account_concurrency",
        "account concurrency limit",
        "invocations",
    ),
    (
        "serverless.peak_concurrent_executions",
        "most concurrent executions",
        "invocations",
    ),
    (
        "serverless.provisioned_concurrency_invocations",
        "invocations on provisioned concurrency",
        COUNT,
    ),
    ("serverless.spillover_invocations", "spillover invocations", COUNT),
    ("serverless.on_demand_invocations", "on-demand invocations", COUNT),
    ("serverless.cold_starts", "cold starts", COUNT),
    (
        "serverless.throttled_max_concurrency",
        "throttled at MaxConcurrency",
        COUNT,
    ),
    ("serverless.throttled_account", "throttled by the account limit", COUNT),
    ("serverless.on_demand_gb_s", "on-demand compute", "GB-s"),
    (
        "serverless.provisioned_inference_gb_s",
        "compute on provisioned concurrency",
        "GB-s",
    ),
    (
        "serverless.provisioned_concurrency_gb_s",
        "provisioned concurrency held",
        "GB-s",
    ),
    ("serverless.cost_usd", "serverless cost per run", USD),
    ("inference_components.min_instance_count", "MinInstanceCount", INSTANCES),
    ("inference_components.max_instance_count", "MaxInstanceCount", INSTANCES),
    ("inference_components.peak_instances", "most instances", INSTANCES),
    ("inference_components.instance_hours", "instance time", INSTANCE_HOURS),
    ("inference_components.cost_usd", "instance cost per run", USD),
    ("users.peak_users", "most users", "users"),
    ("users.calls", "calls answered", COUNT),
    ("users.gave_up", "calls given up", COUNT),
    (
        "users.max_invocations_per_minute",
        "MaximumInvocations",
        "invocations per minute",
    ),
    ("users.max_invocations_at_s", "MaximumInvocations reached at", S),
    ("users.stopped_at_s", "load test stopped at", S),
];

/// Fractions stored as 0..=1 (a boolean's mean over runs is the share of runs where it held),
/// shown in per cent.
const FRACTIONS: &[(&str, &str)] = &[
    ("error_rate", "error rate"),
    ("wait_ms.p_wait", "requests that waited"),
    ("slo.met", "runs meeting the SLO"),
    ("users.reached_max_invocations", "runs reaching MaxInvocations"),
];

/// Groups of duration statistics in milliseconds: `(prefix, what)`; `latency_ms.p99` is the
/// `p99 latency`.
const STATISTICS: &[(&str, &str)] = &[
    ("latency_ms.", "latency"),
    ("wait_ms.", "backlog wait"),
    ("users.client_latency_ms.", "client latency"),
    ("serverless.model_setup_time_ms.", "ModelSetupTime"),
];

/// `p999` -> `p99.9`, `p50` -> `p50`, `mean` -> `mean`; `None` for another word.
fn statistic(stat: &str) -> Option<String> {
    match stat {
        "mean" | "max" | "min" => return Some(stat.to_string()),
        _ => {}
    }
    let digits = stat.strip_prefix('p')?;
    if digits.len() < 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Percentiles name their digits after `p`: p999 is the 99.9th, p9999 the 99.99th.
    let (whole, frac) = digits.split_at(2);
    Some(match frac {
        "" => format!("p{whole}"),
        _ => format!("p{whole}.{frac}"),
    })
}

/// The label of metric `name` (a dotted `summary.json` path).
pub(super) fn metric(name: &str) -> MetricLabel {
    let label = |words: String, unit: &'static str, scale: f64| MetricLabel {
        words,
        unit: Some(unit),
        scale,
    };
    if let Some((_, words)) = FRACTIONS.iter().find(|(n, _)| *n == name) {
        return label(words.to_string(), PCT, 100.0);
    }
    if let Some((_, words, unit)) = METRICS.iter().find(|(n, ..)| *n == name) {
        return label(words.to_string(), unit, 1.0);
    }
    for (prefix, what) in STATISTICS {
        if let Some(stat) = name.strip_prefix(prefix).and_then(statistic) {
            return label(format!("{stat} {what}"), MS, 1.0);
        }
    }
    MetricLabel {
        words: name.to_string(),
        unit: None,
        scale: 1.0,
    }
}

/// How a scenario field's value is measured.
#[derive(Clone, Copy)]
enum Unit {
    None,
    /// A fixed unit.
    Of(&'static str),
    /// A duration: a plain number is seconds, a text (`"5m"`) says its own unit.
    Duration,
}

/// Scenario fields an axis may set, by their last path segment (and the one before it where
/// the field alone is ambiguous): `(parent or "", field, words, unit)`. The first match wins,
/// so entries with a parent come first.
const FIELDS: &[(&str, &str, &str, Unit)] = &[
    ("backlog", "capacity", "backlog capacity", Unit::Of("requests")),
    ("backlog", "timeout", "backlog timeout", Unit::Duration),
    ("rate", "period", "load cycle period", Unit::Duration),
    ("rate", "duration", "ramp duration", Unit::Duration),
    ("rate", "start", "ramp start", Unit::Duration),
    ("launch", "provision", "instance provisioning time", Unit::None),
    ("launch", "load", "model load time", Unit::None),
    ("", "target_value", "TargetValue", Unit::None),
    ("", "min_capacity", "MinCapacity", Unit::Of(INSTANCES)),
    ("", "max_capacity", "MaxCapacity", Unit::Of(INSTANCES)),
    ("", "scale_in_cooldown", "ScaleInCooldown", Unit::Duration),
    ("", "scale_out_cooldown", "ScaleOutCooldown", Unit::Duration),
    ("", "cooldown", "Cooldown", Unit::Duration),
    ("", "disable_scale_in", "DisableScaleIn", Unit::None),
    (
        "",
        "min_adjustment_magnitude",
        "MinAdjustmentMagnitude",
        Unit::Of(INSTANCES),
    ),
    ("", "threshold", "alarm Threshold", Unit::None),
    ("", "evaluation_periods", "EvaluationPeriods", Unit::None),
    ("", "datapoints_to_alarm", "DatapointsToAlarm", Unit::None),
    ("", "period", "Period", Unit::Duration),
    (
        "",
        "initial_instance_count",
        "InitialInstanceCount",
        Unit::Of(INSTANCES),
    ),
    ("", "instance_type", "instance type", Unit::None),
    ("", "concurrency", "concurrent requests per instance", Unit::None),
    ("", "initial_weight", "InitialVariantWeight", Unit::None),
    ("", "service_time", "service time", Unit::None),
    ("", "price_per_hour", "price per hour", Unit::Of(USD)),
    ("", "memory_size_in_mb", "MemorySizeInMB", Unit::Of("MB")),
    ("", "max_concurrency", "MaxConcurrency", Unit::None),
    ("", "provisioned_concurrency", "ProvisionedConcurrency", Unit::None),
    ("", "copy_count", "CopyCount", Unit::Of("copies")),
    ("", "min_instance_count", "MinInstanceCount", Unit::Of(INSTANCES)),
    ("", "max_instance_count", "MaxInstanceCount", Unit::Of(INSTANCES)),
    ("", "sampling_percentage", "SamplingPercentage", Unit::Of(PCT)),
    ("", "spawn_rate", "SpawnRate", Unit::None),
    ("", "initial_number_of_users", "InitialNumberOfUsers", Unit::Of("users")),
    ("", "duration_in_seconds", "DurationInSeconds", Unit::Of(S)),
    ("", "duration", "run duration", Unit::Duration),
    ("", "peak_at", "peak at", Unit::Duration),
    ("", "mean_rps", "mean load", Unit::Of(RPS)),
    ("", "from_rps", "starting load", Unit::Of(RPS)),
    ("", "to_rps", "final load", Unit::Of(RPS)),
    ("", "rps_per_step", "load per step", Unit::Of(RPS)),
    ("", "rps", "load", Unit::Of(RPS)),
];

const RPS: &str = "requests/s";

/// Units a name may end in (`launch_s`, `budget_usd`): `(suffix, unit)`.
const SUFFIXES: &[(&str, &str)] = &[
    ("_ms", MS),
    ("_s", S),
    ("_rps", RPS),
    ("_usd", USD),
    ("_pct", PCT),
    ("_percent", PCT),
];

/// `launch_s` -> (`launch`, `s`); a name without a unit suffix is returned whole.
fn split_unit(name: &str) -> (&str, Option<&'static str>) {
    SUFFIXES
        .iter()
        .find_map(|(suffix, unit)| {
            name.strip_suffix(suffix)
                .filter(|rest| !rest.is_empty())
                .map(|rest| (rest, Some(*unit)))
        })
        .unwrap_or((name, None))
}

/// Letters and digits only, lower case: `target_value`, `TargetValue` and `target value` agree.
fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The label of an axis named `name` that sets the scenario field at `path` (none for an axis
/// that only feeds derived ones, or names scenario files), whose values are all numbers when
/// `numeric`. The axis name is kept in front where it says something the field's words do not
/// (`cooldown: ScaleInCooldown (s)`).
pub(super) fn axis(name: &str, path: Option<&str>, numeric: bool) -> String {
    let (name_words, name_unit) = split_unit(name);
    let spaced = name_words.replace('_', " ");
    let Some(path) = path else {
        return with_unit(&spaced, name_unit);
    };
    // `autoscaling[0].policies[0].target_value` -> parent `policies`, field `target_value`.
    let mut segments = path.rsplit('.').map(|s| s.split('[').next().unwrap_or(s));
    let field = segments.next().unwrap_or(path);
    let parent = segments.next().unwrap_or("");
    let known = FIELDS
        .iter()
        .find(|(p, f, ..)| *f == field && (p.is_empty() || *p == parent));
    let (field_words, text) = match known {
        Some((_, _, words, unit)) => {
            let unit = match unit {
                Unit::Of(u) => Some(*u),
                // A plain number is seconds, unless the axis name says otherwise (a template
                // such as `"{}ms"` may write it with another unit).
                Unit::Duration if numeric => Some(name_unit.unwrap_or(S)),
                Unit::Duration | Unit::None => None,
            };
            (field, with_unit(words, unit.or(name_unit)))
        }
        None => {
            let (words, unit) = split_unit(field);
            (words, with_unit(&words.replace('_', " "), unit.or(name_unit)))
        }
    };
    if squash(name_words) == squash(field_words) {
        text
    } else {
        format!("{spaced}: {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_labels() {
        let table = [
            ("latency_ms.p99", "p99 latency (ms)", 1.0),
            ("latency_ms.p999", "p99.9 latency (ms)", 1.0),
            ("latency_ms.p50", "p50 latency (ms)", 1.0),
            ("latency_ms.mean", "mean latency (ms)", 1.0),
            ("latency_ms.max", "max latency (ms)", 1.0),
            ("wait_ms.mean", "mean backlog wait (ms)", 1.0),
            ("wait_ms.p_wait", "requests that waited (%)", 100.0),
            ("users.client_latency_ms.p99", "p99 client latency (ms)", 1.0),
            ("serverless.model_setup_time_ms.max", "max ModelSetupTime (ms)", 1.0),
            ("cost_usd", "cost per run (USD)", 1.0),
            ("error_rate", "error rate (%)", 100.0),
            ("slo.met", "runs meeting the SLO (%)", 100.0),
            (
                "users.reached_max_invocations",
                "runs reaching MaxInvocations (%)",
                100.0,
            ),
            ("requests.errors_5xx", "5XX errors (count)", 1.0),
            (
                "requests.rejected_no_capacity",
                "requests rejected, no capacity (count)",
                1.0,
            ),
            ("capacity.instance_hours", "instance time (instance-hours)", 1.0),
            ("capacity.mean_in_service", "mean instances in service (instances)", 1.0),
            ("serverless.on_demand_gb_s", "on-demand compute (GB-s)", 1.0),
            (
                "users.max_invocations_per_minute",
                "MaximumInvocations (invocations per minute)",
                1.0,
            ),
            // Unknown names keep their spelling.
            ("latency_ms.p9x", "latency_ms.p9x", 1.0),
            ("something.new", "something.new", 1.0),
        ];
        for (name, text, scale) in table {
            let l = metric(name);
            assert_eq!((l.text().as_str(), l.scale), (text, scale), "{name}");
        }
    }

    #[test]
    fn metric_values_carry_their_unit() {
        assert_eq!(metric("latency_ms.p999").value(175.0), "175 ms");
        assert_eq!(metric("error_rate").value(0.2), "0.2 %");
        assert_eq!(metric("requests.errors_5xx").value(12.0), "12");
        assert_eq!(metric("unknown").value(3.0), "3");
    }

    #[test]
    fn axis_labels() {
        let table = [
            (
                "target_value",
                Some("autoscaling[0].policies[0].target_value"),
                true,
                "TargetValue",
            ),
            (
                "min_capacity",
                Some("autoscaling[0].min_capacity"),
                true,
                "MinCapacity (instances)",
            ),
            (
                "scale_in_cooldown",
                Some("autoscaling[0].policies[0].scale_in_cooldown"),
                true,
                "ScaleInCooldown (s)",
            ),
            // Durations written as text say their own unit.
            (
                "scale_in_cooldown",
                Some("autoscaling[0].policies[0].scale_in_cooldown"),
                false,
                "ScaleInCooldown",
            ),
            // The axis name stays where it differs from the field.
            (
                "cooldown",
                Some("autoscaling[0].policies[0].scale_in_cooldown"),
                true,
                "cooldown: ScaleInCooldown (s)",
            ),
            (
                "floor",
                Some("autoscaling[0].min_capacity"),
                true,
                "floor: MinCapacity (instances)",
            ),
            // Axes without a field: the name in words, its unit suffix as the unit.
            ("safety_factor", None, true, "safety factor"),
            ("launch_s", None, true, "launch (s)"),
            ("round", None, false, "round"),
            // A distribution written through a template: the name's suffix gives the unit.
            (
                "provision_s",
                Some("endpoint.variants[0].launch.provision"),
                true,
                "instance provisioning time (s)",
            ),
            (
                "capacity",
                Some("endpoint.backlog.capacity"),
                true,
                "backlog capacity (requests)",
            ),
            ("period", Some("workload.rate.period"), false, "load cycle period"),
            (
                "timeout_ms",
                Some("endpoint.backlog.timeout"),
                true,
                "backlog timeout (ms)",
            ),
            ("timeout", Some("endpoint.backlog.timeout"), true, "backlog timeout (s)"),
            (
                "rps",
                Some("workload.rate.mean_rps"),
                true,
                "rps: mean load (requests/s)",
            ),
            // Unknown fields: the field in words, with the unit its name ends in.
            ("x", Some("endpoint.variants[0].new_knob_ms"), true, "x: new knob (ms)"),
            ("new_knob", Some("a.new_knob"), true, "new knob"),
        ];
        for (name, path, numeric, text) in table {
            assert_eq!(axis(name, path, numeric), text, "{name} {path:?}");
        }
    }

    /// Every metric a bundled scenario's summary has (the snapshots of `tests/it/scenarios.rs`
    /// cover every section: deployments, shadow tests, serverless, inference components, load
    /// tests) has a label in words. Text fields, null in some runs, are no metric to plot.
    #[test]
    fn every_summary_metric_has_words() {
        use std::collections::BTreeSet;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots");
        let (mut names, mut texts) = (BTreeSet::new(), BTreeSet::new());
        for entry in std::fs::read_dir(&dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let Some(json) = text.find("\n{").map(|at| &text[at..]) else {
                continue;
            };
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            leaves("", &v, &mut names, &mut texts);
        }
        for n in [
            "serverless.cold_starts",
            "users.calls",
            "deployment.peak_instances",
            "slo.met",
        ] {
            assert!(names.contains(n), "no bundled scenario reports {n}");
        }
        // As `sweep::metrics::union`: an object null in some run counts by its leaves.
        let raw: Vec<&String> = names
            .iter()
            .filter(|n| !texts.contains(*n) && !names.iter().any(|o| o.starts_with(&format!("{n}."))))
            .filter(|n| metric(n).unit.is_none())
            .collect();
        assert!(raw.is_empty(), "no words for {raw:?}");
    }

    /// The leaves of a summary under dotted names (as `sweep::metrics` names them), and apart
    /// the names of text leaves.
    fn leaves(
        path: &str,
        v: &serde_json::Value,
        out: &mut std::collections::BTreeSet<String>,
        texts: &mut std::collections::BTreeSet<String>,
    ) {
        use serde_json::Value;
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if !(path.is_empty() && k == "seed") {
                        let p = if path.is_empty() {
                            k.clone()
                        } else {
                            format!("{path}.{k}")
                        };
                        leaves(&p, v, out, texts);
                    }
                }
            }
            Value::Number(_) | Value::Bool(_) | Value::Null => {
                out.insert(path.to_string());
            }
            Value::String(_) => {
                texts.insert(path.to_string());
            }
            Value::Array(_) => {}
        }
    }
}
