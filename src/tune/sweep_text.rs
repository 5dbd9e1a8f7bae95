//! The sweep `tune` runs, written as an ordinary sweep file: the user can read exactly what was
//! searched, and run it again (or change it) with `fleetsim sweep`.
//!
//! The safety factor is a parameter axis; `TargetValue`, `MinCapacity`, `MaxCapacity` and the
//! initial instance count are derived from it with the sizing formulas (`MinCapacity` is an
//! axis of its own when the user lists values for it); cooldowns are axes when asked. The
//! objective is the cost; the constraints are the objectives on their confidence bounds.

use super::{Located, Objectives, Options};
use std::fmt::Write;

/// The summary metric of end-to-end latency at `percentile` over the run, when the summary has
/// one (`latency_ms.p99`).
pub fn run_metric(percentile: f64) -> Option<&'static str> {
    [
        (50.0, "latency_ms.p50"),
        (90.0, "latency_ms.p90"),
        (99.0, "latency_ms.p99"),
        (99.9, "latency_ms.p999"),
    ]
    .iter()
    .find(|(p, _)| (p - percentile).abs() < 1e-9)
    .map(|(_, m)| *m)
}

/// The `timeseries.csv` column of latency at `percentile` (`latency_p99_ms`, `latency_p99_9_ms`).
pub fn column(percentile: f64) -> String {
    let p = format!("{}", (percentile * 1000.0).round() / 1000.0).replace('.', "_");
    format!("latency_p{p}_ms")
}

/// A number as RON writes it: always with a decimal point for a float.
fn float(v: f64) -> String {
    let s = format!("{v}");
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

/// `v` without the noise of binary fractions (`0.3 x 100` is 30, not 30.000000000000004).
fn tidy(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

fn list<T: ToString>(values: &[T]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// The constraints of `objectives` at their confidence level.
pub fn constraints(o: &Objectives) -> Result<Vec<String>, String> {
    let level = format!("at {} % confidence", (o.confidence * 1000.0).round() / 10.0);
    let slo = if o.per_minute {
        format!("{} <= {} per minute {level}", column(o.percentile), o.latency_ms)
    } else {
        let m = run_metric(o.percentile).ok_or_else(|| {
            format!(
                "over the run the SLO percentile must be 50, 90, 99 or 99.9 (the summary's); {} can be judged per minute",
                o.percentile
            )
        })?;
        format!("{m} <= {} {level}", o.latency_ms)
    };
    let mut out = vec![slo, format!("error_rate <= {} % {level}", tidy(o.error_budget * 100.0))];
    if let Some(c) = o.max_cost_usd {
        out.push(format!("cost_usd <= {c} {level}"));
    }
    Ok(out)
}

/// Everything the sweep needs beyond the options.
pub struct Inputs<'a> {
    pub name: &'a str,
    /// The base scenario, relative to where the sweep file is written.
    pub base_scenario: &'a str,
    pub located: &'a Located,
    pub max_rps: f64,
    pub min_rps: f64,
    pub peak_rps: f64,
    /// The scenario's latency percentiles, so the SLO's can be added when it is missing.
    pub percentiles: &'a [f64],
}

/// The sweep file's text.
pub fn sweep_text(i: &Inputs, opts: &Options) -> Result<String, String> {
    let (t, p, v) = (i.located.target, i.located.policy, i.located.variant);
    let policy = format!("autoscaling[{t}].policies[{p}]");
    let mut s = String::new();
    let o = &opts.objectives;
    writeln!(
        s,
        "// The sweep `fleetsim tune` ran: the safety factor of TargetValue = MAX_RPS x SAFETY_FACTOR x 60,"
    )
    .unwrap();
    writeln!(
        s,
        "// with MinCapacity, MaxCapacity and the initial count derived from the expected rates. Run it"
    )
    .unwrap();
    writeln!(
        s,
        "// again with `fleetsim sweep` on this file (base_scenario is relative to this file's folder)."
    )
    .unwrap();
    writeln!(s, "Sweep(").unwrap();
    writeln!(s, "    name: {:?},", format!("tune-{}", i.name)).unwrap();
    writeln!(s, "    base_scenario: {:?},", i.base_scenario).unwrap();
    writeln!(s, "    replications: {},", opts.replications).unwrap();
    writeln!(s, "    combine: Grid,").unwrap();
    writeln!(
        s,
        "    constants: {{\"max_rps\": {}, \"min_rps\": {}, \"peak_rps\": {}, \"growth\": {}}},",
        float(i.max_rps),
        float(i.min_rps),
        float(i.peak_rps),
        float(opts.growth_factor)
    )
    .unwrap();
    // The SLO's percentile must be measured in every period when it is judged per minute.
    let mut sets = Vec::new();
    if o.per_minute && !i.percentiles.iter().any(|q| (q - o.percentile).abs() < 1e-9) {
        let mut all = i.percentiles.to_vec();
        all.push(o.percentile);
        sets.push(format!(
            "metrics.percentiles=[{}]",
            list(&all.iter().map(|x| float(*x)).collect::<Vec<_>>())
        ));
    }
    writeln!(
        s,
        "    set: [{}],",
        sets.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", ")
    )
    .unwrap();
    writeln!(s, "    axes: [").unwrap();
    let factors: Vec<String> = opts.safety_factors.iter().map(|f| float(*f)).collect();
    writeln!(
        s,
        "        Values(name: \"safety_factor\", values: [{}]),",
        factors.join(", ")
    )
    .unwrap();
    // A listed minimum is an axis of its own, before the values derived from it.
    if !opts.min_capacities.is_empty() {
        writeln!(
            s,
            "        Values(name: \"min_capacity\", path: \"autoscaling[{t}].min_capacity\", values: [{}]),",
            list(&opts.min_capacities)
        )
        .unwrap();
    }
    if !opts.scale_in_cooldowns.is_empty() {
        writeln!(
            s,
            "        Values(name: \"scale_in_cooldown\", path: \"{policy}.scale_in_cooldown\", values: [{}]),",
            list(&opts.scale_in_cooldowns)
        )
        .unwrap();
    }
    if !opts.scale_out_cooldowns.is_empty() {
        writeln!(
            s,
            "        Values(name: \"scale_out_cooldown\", path: \"{policy}.scale_out_cooldown\", values: [{}]),",
            list(&opts.scale_out_cooldowns)
        )
        .unwrap();
    }
    writeln!(
        s,
        "        Derived(name: \"target_value\", path: \"{policy}.target_value\", expr: \"floor(max_rps * safety_factor * 60)\"),"
    )
    .unwrap();
    if opts.min_capacities.is_empty() {
        writeln!(
            s,
            "        Derived(name: \"min_capacity\", path: \"autoscaling[{t}].min_capacity\", expr: \"max(1, ceil(min_rps / (target_value / 60)))\"),"
        )
        .unwrap();
    }
    writeln!(
        s,
        "        Derived(name: \"max_capacity\", path: \"autoscaling[{t}].max_capacity\", expr: \"max(min_capacity, ceil(peak_rps / (target_value / 60) * growth))\"),"
    )
    .unwrap();
    writeln!(
        s,
        "        Derived(name: \"initial_instance_count\", path: \"endpoint.variants[{v}].initial_instance_count\", expr: \"min_capacity\"),"
    )
    .unwrap();
    writeln!(s, "    ],").unwrap();
    writeln!(s, "    objective: Minimize(\"cost_usd\"),").unwrap();
    let cs = constraints(o)?;
    writeln!(
        s,
        "    constraints: [{}],",
        cs.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", ")
    )
    .unwrap();
    writeln!(s, ")").unwrap();
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_the_slo_metric() {
        assert_eq!(run_metric(99.9), Some("latency_ms.p999"));
        assert_eq!(run_metric(95.0), None);
        assert_eq!(column(99.0), "latency_p99_ms");
        assert_eq!(column(99.9), "latency_p99_9_ms");
    }
}
