//! What `tune` hands over: the recommendation in the `GetScalingConfigurationRecommendation`
//! `DynamicScalingConfiguration` shape, the same as a scenario fragment, the benchmark minute
//! by minute, a machine-readable `tune.json`, and `report.md` that walks through the steps with
//! the plots embedded, for a person to read or forward.

use super::{BenchmarkRun, Choice, Located, Objectives};
use crate::recommend::response::{
    DynamicScalingConfiguration, MetricSpecification, ScalingPolicy, TargetTrackingRecommendation,
};
use crate::scenario::scaling::ScalableTarget;
use crate::sweep::{Plan, Table};
use serde::Serialize;
use std::fmt::Write;

/// Everything the report is made of.
pub struct Evidence<'a> {
    pub scenario_file: &'a str,
    pub scenario_name: &'a str,
    pub located: &'a Located,
    pub objectives: &'a Objectives,
    pub bench: &'a BenchmarkRun,
    pub min_rps: f64,
    pub max_rps: f64,
    pub rates_source: &'a str,
    pub growth_factor: f64,
    pub plan: &'a Plan,
    pub table: &'a Table,
    /// `None` when no point met every objective.
    pub choice: Option<&'a Choice>,
    /// The chosen point's scalable target, as its scenario has it.
    pub target: Option<&'a ScalableTarget>,
    /// Plot files written beside the report, by name.
    pub plots: &'a [String],
}

/// `recommendation.json`: `{"DynamicScalingConfiguration": {...}}` as the API returns it.
pub fn recommendation_json(c: &Choice) -> Vec<u8> {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Doc {
        dynamic_scaling_configuration: DynamicScalingConfiguration,
    }
    let doc = Doc {
        dynamic_scaling_configuration: DynamicScalingConfiguration {
            min_capacity: c.min_capacity,
            max_capacity: c.max_capacity,
            scale_in_cooldown: c.scale_in_cooldown_s.min(u64::from(u32::MAX)) as u32,
            scale_out_cooldown: c.scale_out_cooldown_s.min(u64::from(u32::MAX)) as u32,
            scaling_policies: vec![ScalingPolicy::TargetTracking(TargetTrackingRecommendation {
                metric_specification: MetricSpecification::Predefined {
                    predefined_metric_type: "SageMakerVariantInvocationsPerInstance".into(),
                },
                target_value: c.target_value,
            })],
        },
    };
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("serializes");
    bytes.push(b'\n');
    bytes
}

/// `scenario-fragment.ron`: the chosen scalable target, to paste over `autoscaling[i]`.
pub fn scenario_fragment(e: &Evidence, c: &Choice, target: &ScalableTarget) -> Vec<u8> {
    let pretty = ron::ser::PrettyConfig::new().struct_names(true);
    let body = ron::ser::to_string_pretty(target, pretty).expect("a scalable target serializes");
    let mut s = String::new();
    writeln!(
        s,
        "// fleetsim tune of {}: replaces `autoscaling[{}]` (policy `{}` on variant `{}`).",
        e.scenario_file, e.located.target, e.located.name, e.located.variant_name
    )
    .unwrap();
    writeln!(
        s,
        "// Also start the variant at MinCapacity: endpoint.variants[{}].initial_instance_count = {}.",
        e.located.variant, c.min_capacity
    )
    .unwrap();
    s.push_str(&body);
    s.push('\n');
    s.into_bytes()
}

/// `benchmark.csv`: one row per minute of the staircase, with the knee marked.
pub fn benchmark_csv(bench: &BenchmarkRun, percentile: f64) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let lat = super::sweep_text::column(percentile);
    let users = bench.minutes.iter().any(|m| m.users.is_some());
    w.write_record([
        "minute",
        if users { "users" } else { "offered_rps" },
        "arrivals",
        "invocations",
        "succeeded",
        "failures",
        "throughput_rps",
        lat.as_str(),
        "cpu_utilization_per_core",
        "knee",
    ])
    .expect("in memory");
    let k = &bench.knee;
    for (i, m) in bench.minutes.iter().enumerate() {
        let mark = if i == k.peak_minute {
            "MAX_RPS"
        } else if k.past.as_ref().is_some_and(|(p, _)| *p == i) {
            "past the knee"
        } else {
            ""
        };
        w.write_record([
            i.to_string(),
            match m.users {
                Some(u) => u.to_string(),
                None => round(m.offered_rps, 3),
            },
            m.arrivals.to_string(),
            m.invocations.to_string(),
            m.succeeded.to_string(),
            m.failures.to_string(),
            round(m.throughput_rps(), 3),
            m.latency_ms.map(|l| round(l, 3)).unwrap_or_default(),
            round(m.cpu_per_core, 2),
            mark.to_string(),
        ])
        .expect("in memory");
    }
    w.into_inner().expect("in memory")
}

fn round(v: f64, decimals: i32) -> String {
    let f = 10f64.powi(decimals);
    format!("{}", (v * f).round() / f)
}

/// `tune.json`: the steps' figures for machines.
pub fn tune_json(e: &Evidence) -> Vec<u8> {
    let k = &e.bench.knee;
    let o = e.objectives;
    let doc = serde_json::json!({
        "scenario": e.scenario_file,
        "policy": {
            "autoscaling": e.located.target,
            "policy": e.located.policy,
            "name": e.located.name,
            "variant": e.located.variant_name,
        },
        "objectives": {
            "percentile": o.percentile,
            "latency_ms": o.latency_ms,
            "judged": if o.per_minute { "per minute" } else { "over the run" },
            "error_budget": o.error_budget,
            "max_cost_usd": o.max_cost_usd,
            "confidence": o.confidence,
        },
        "benchmark": {
            "instance_type": e.bench.instance_type,
            "step_rps": e.bench.step_rps,
            "minutes": e.bench.minutes.len(),
            "max_rps": k.max_rps,
            "peak_minute": k.peak_minute,
            "past_knee": k.past.as_ref().map(|(m, why)| serde_json::json!({"minute": m, "why": why})),
            "baseline_latency_ms": k.baseline_ms,
        },
        "expected_rates": {"min_rps": e.min_rps, "max_rps": e.max_rps, "source": e.rates_source, "growth_factor": e.growth_factor},
        "sweep": {
            "points": e.plan.points.len(),
            "replications": e.plan.design.replications,
            "constraints": e.plan.design.constraints.iter().map(|c| c.text.clone()).collect::<Vec<_>>(),
            "feasible_points": e.table.rows.iter().filter(|r| r.feasible == Some(true)).count(),
        },
        "recommendation": e.choice.map(|c| serde_json::json!({
            "point": c.point,
            "safety_factor": c.safety_factor,
            "TargetValue": c.target_value,
            "MinCapacity": c.min_capacity,
            "MaxCapacity": c.max_capacity,
            "ScaleInCooldown": c.scale_in_cooldown_s,
            "ScaleOutCooldown": c.scale_out_cooldown_s,
        })),
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("serializes");
    bytes.push(b'\n');
    bytes
}

/// A number for people, as the sweep's terminal report writes it.
fn n(v: f64) -> String {
    crate::sweep::table::fmt_num(v)
}

/// The lines of the terminal and of the report's steps: one per step, with its figure.
pub fn steps(e: &Evidence) -> Vec<String> {
    let k = &e.bench.knee;
    let o = e.objectives;
    let mut out = Vec::new();
    let why = match &k.past {
        Some((m, why)) => format!("minute {m} is past the knee: {why}"),
        None => "the staircase ended before any knee".to_string(),
    };
    out.push(match e.bench.minutes.first().and_then(|m| m.users) {
        Some(u) => format!(
            "1. Benchmark: one warm {} instance, {u} more virtual user(s) every minute (closed loop, no think time) for {} minutes.",
            e.bench.instance_type,
            e.bench.minutes.len()
        ),
        None => format!(
            "1. Benchmark: one warm {} instance, Poisson load rising {} requests/s every minute for {} minutes.",
            e.bench.instance_type,
            n(e.bench.step_rps),
            e.bench.minutes.len()
        ),
    });
    out.push(format!(
        "2. MAX_RPS = {} requests/s: the most successful invocations per second of a minute before the knee (minute {}; {why}).",
        n(k.max_rps),
        k.peak_minute
    ));
    out.push(format!(
        "3. TargetValue = floor(MAX_RPS x SAFETY_FACTOR x 60) = {} x SAFETY_FACTOR x 60 invocations per instance per minute.",
        n(k.max_rps)
    ));
    out.push(format!(
        "4. Expected rates {} to {} requests/s ({}): MinCapacity = max(1, ceil(min / (TargetValue / 60))), MaxCapacity = max(MinCapacity, ceil(max / (TargetValue / 60) x {})).",
        n(e.min_rps),
        n(e.max_rps),
        e.rates_source,
        e.growth_factor
    ));
    let factors: Vec<String> = e
        .plan
        .design
        .axes
        .iter()
        .zip(0..)
        .filter(|(a, _)| a.kind != crate::sweep::design::AxisKind::Derived)
        .map(|(a, i)| {
            let vals: Vec<String> = e.plan.design.axis_values(i).iter().map(|v| v.to_string()).collect();
            format!("{} in {{{}}}", a.name, vals.join(", "))
        })
        .collect();
    out.push(format!(
        "5. Sweep: {}; {} points x {} replications on common random numbers, each judged on the upper {} % confidence bound: {}.",
        factors.join(", "),
        e.plan.points.len(),
        e.plan.design.replications,
        (o.confidence * 1000.0).round() / 10.0,
        e.plan
            .design
            .constraints
            .iter()
            .map(|c| c.text.clone())
            .collect::<Vec<_>>()
            .join("; ")
    ));
    let feasible = e.table.rows.iter().filter(|r| r.feasible == Some(true)).count();
    out.push(match e.choice {
        Some(c) => format!(
            "6. Chosen: safety factor {} (point {}), the cheapest of {feasible} feasible points: TargetValue {}, MinCapacity {}, MaxCapacity {}, cooldowns in {} s / out {} s.",
            c.safety_factor, c.point, c.target_value, c.min_capacity, c.max_capacity, c.scale_in_cooldown_s, c.scale_out_cooldown_s
        ),
        None => "6. No setting meets every objective at this confidence: see the sweep table for the closest, and widen the safety factors, add replications or relax an objective.".to_string(),
    });
    out
}

/// The sweep table for people: one row per point with the judged bounds.
fn table_md(e: &Evidence) -> String {
    let d = &e.plan.design;
    let mut s = String::new();
    let shown: Vec<usize> = d
        .axes
        .iter()
        .enumerate()
        .filter(|(_, a)| a.name != "initial_instance_count")
        .map(|(i, _)| i)
        .collect();
    let mut head: Vec<String> = shown.iter().map(|i| d.axes[*i].name.clone()).collect();
    head.push("cost (USD, mean)".into());
    for c in &d.constraints {
        head.push(format!("{} ({})", c.metric, c.value_name()));
    }
    head.push("feasible".into());
    writeln!(s, "| {} |", head.join(" | ")).unwrap();
    writeln!(s, "|{}", "---|".repeat(head.len())).unwrap();
    for row in &e.table.rows {
        let p = &d.points[row.point];
        let mut cells: Vec<String> = shown.iter().map(|i| p.values[*i].to_string()).collect();
        cells.push(e.table.mean(row, "cost_usd").map(n).unwrap_or_default());
        for c in &d.constraints {
            let j = e.table.judge(row, c);
            let v = j.value.map(n).unwrap_or_else(|| "none".into());
            cells.push(if j.holds { v } else { format!("**{v}**") });
        }
        let chosen = e.choice.is_some_and(|c| c.point == row.point);
        cells.push(match (row.feasible, chosen) {
            (_, true) => "chosen".into(),
            (Some(true), _) => "yes".into(),
            _ => "no".into(),
        });
        writeln!(s, "| {} |", cells.join(" | ")).unwrap();
    }
    s
}

/// `report.md`.
pub fn report_md(e: &Evidence) -> Vec<u8> {
    let mut s = String::new();
    let o = e.objectives;
    writeln!(s, "# Scaling configuration for `{}`\n", e.scenario_name).unwrap();
    writeln!(
        s,
        "Objectives: p{} latency at most {} ms {}, at most {} % of requests failed{}, each met by the one-sided {} % confidence bound over the replications, not only by the mean.\n",
        o.percentile,
        o.latency_ms,
        if o.per_minute { "in every minute" } else { "over the run" },
        (o.error_budget * 1e9).round() / 1e7,
        o.max_cost_usd.map(|c| format!(", cost at most {c} USD per run")).unwrap_or_default(),
        (o.confidence * 1000.0).round() / 10.0
    )
    .unwrap();
    match e.choice {
        Some(c) => {
            writeln!(s, "## Recommendation\n").unwrap();
            writeln!(
                s,
                "Target tracking on `SageMakerVariantInvocationsPerInstance` with **TargetValue {}** (safety factor {}), **MinCapacity {}**, **MaxCapacity {}**, cooldowns in {} s / out {} s. As the API's `DynamicScalingConfiguration` in `recommendation.json`; as a scenario fragment in `scenario-fragment.ron`; as the `RegisterScalableTarget` and `PutScalingPolicy` requests that configure it, with the `aws` CLI calls, in `aws/`.\n",
                c.target_value, c.safety_factor, c.min_capacity, c.max_capacity, c.scale_in_cooldown_s, c.scale_out_cooldown_s
            )
            .unwrap();
        }
        None => {
            writeln!(s, "## No recommendation\n").unwrap();
            writeln!(s, "No setting of the sweep meets every objective at this confidence; the table shows how close each came.\n").unwrap();
        }
    }
    writeln!(s, "## Steps\n").unwrap();
    for line in steps(e) {
        writeln!(s, "{line}\n").unwrap();
    }
    writeln!(
        s,
        "The benchmark minute by minute is in `benchmark.csv`; the sweep file, `sweep.csv` and `runs.csv` in `sweep/`.\n"
    )
    .unwrap();
    writeln!(s, "## The sweep\n").unwrap();
    writeln!(s, "Values in bold break their objective.\n").unwrap();
    s.push_str(&table_md(e));
    s.push('\n');
    if !e.plots.is_empty() {
        writeln!(s, "## Plots\n").unwrap();
        for p in e.plots {
            let caption = if p.starts_with("cost-vs-slo") {
                "cost against the SLO's metric as its objective judges it, every setting"
            } else if p.starts_with("chosen/") {
                "the chosen setting on the scenario's traffic (one run)"
            } else if p.contains("pareto") {
                "cost against p99 latency, every point"
            } else {
                "a metric against the safety factor, with its objective"
            };
            writeln!(s, "![{caption}]({p})\n").unwrap();
        }
    }
    s.into_bytes()
}
