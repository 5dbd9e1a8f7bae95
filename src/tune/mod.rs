//! `fleetsim tune`: from a one-instance benchmark to a validated target tracking configuration.
//!
//! The steps, each reported:
//! 1. **Benchmark** the policy's variant on one warm instance under a load rising every minute
//!    (the Default job's staircase, [`crate::recommend::benchmark`]).
//! 2. **`MAX_RPS`** at the knee of that benchmark ([`knee`], the rule stated there).
//! 3. **`TargetValue = MAX_RPS x SAFETY_FACTOR x 60`** invocations per instance per minute,
//!    rounded down to a whole invocation.
//! 4. **`MinCapacity` / `MaxCapacity`** from the expected minimum and maximum rates ([`rates`])
//!    with the notebook's formulas: an instance is planned at its target rate
//!    `MAX_RPS x SAFETY_FACTOR`, `MinCapacity = max(1, ceil(min / that))`, `MaxCapacity =
//!    max(MinCapacity, ceil(max / that x growth factor))`; the endpoint starts at `MinCapacity`.
//! 5. **Sweep** the safety factor (and, if asked, the cooldowns and the minimum) over the user's
//!    own traffic with replications on common random numbers: an ordinary sweep
//!    ([`sweep_text`]) whose constraints are the objectives judged on their one-sided
//!    confidence bound.
//! 6. **Choose** the cheapest point whose bounds meet every objective, and run it once more
//!    with every output for the evidence ([`report`]).
//!
//! No file is read or written here: the CLI reads the scenario and writes the returned files.

pub mod knee;
pub mod rates;
pub mod report;
pub mod sweep_text;

use crate::model::VariantId;
use crate::recommend::benchmark::{benchmark_config, BenchmarkOptions};
use crate::scenario::scaling::{Policy, TrackedMetric};
use crate::scenario::Scenario;
use crate::sim::SimConfig;
use crate::sweep::{self, Plan};
use rates::Rates;

/// What the tuned configuration must achieve.
#[derive(Clone, Debug, PartialEq)]
pub struct Objectives {
    /// The latency SLO: end-to-end `percentile` at most `latency_ms`.
    pub percentile: f64,
    pub latency_ms: f64,
    /// Judge the SLO in every minute (each run's worst minute) rather than over the run.
    pub per_minute: bool,
    /// Largest share of failed requests over a run (a fraction).
    pub error_budget: f64,
    /// Largest cost of a run \[USD\], if any.
    pub max_cost_usd: Option<f64>,
    /// One-sided confidence level the bounds are taken at (0.95).
    pub confidence: f64,
}

/// How `tune` searches.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub objectives: Objectives,
    pub safety_factors: Vec<f64>,
    /// Scale-in cooldowns to try \[s\]; empty: the policy's own.
    pub scale_in_cooldowns: Vec<u64>,
    /// Scale-out cooldowns to try \[s\]; empty: the policy's own.
    pub scale_out_cooldowns: Vec<u64>,
    /// Minimum capacities to try; empty: derived from the expected minimum rate.
    pub min_capacities: Vec<u32>,
    pub replications: u32,
    /// Headroom on `MaxCapacity` beyond the expected maximum rate (the notebook's 1.2).
    pub growth_factor: f64,
    /// Expected rates given by the user, instead of the workload's.
    pub rates: Option<Rates>,
    pub knee: knee::Rule,
    pub benchmark: BenchmarkOptions,
    pub load: BenchmarkLoad,
}

/// What drives the benchmark's instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BenchmarkLoad {
    /// The Default job's open-loop staircase: Poisson arrivals, the rate rising every minute.
    Staircase,
    /// Virtual users, as a load test's `STAIRS` pattern: this many more closed-loop users each
    /// minute, each sending its next request when the last is answered (no think time, a 1 ms
    /// round trip): the guidance's "increasing number of parallel requests".
    Users { per_minute: u32 },
}

/// Safety factors tried when none are given.
pub const DEFAULT_SAFETY_FACTORS: [f64; 7] = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/// Most values one searched list may hold (the sweep's own limits bound the product).
pub const MAX_VALUES: usize = 100;

/// The target tracking policy being tuned.
#[derive(Clone, Debug, PartialEq)]
pub struct Located {
    /// Index in `autoscaling`.
    pub target: usize,
    /// Index in that target's `policies`.
    pub policy: usize,
    /// The policy's name.
    pub name: String,
    /// The variant it scales: index and name.
    pub variant: usize,
    pub variant_name: String,
    /// The policy's cooldowns as the scenario sets them \[s\].
    pub scale_in_cooldown_s: u64,
    pub scale_out_cooldown_s: u64,
}

/// Why `tune` cannot proceed: the scenario or options do not fit, in the user's terms.
#[derive(Debug, thiserror::Error)]
pub enum TuneError {
    #[error("{file}: {message}")]
    Scenario { file: String, message: String },
    #[error("{0}")]
    Options(String),
    #[error(transparent)]
    Sweep(#[from] sweep::SweepError),
}

/// The first target tracking policy on `SageMakerVariantInvocationsPerInstance`: the policy
/// whose `TargetValue` the sizing rule gives.
pub fn locate(scenario: &Scenario, config: &SimConfig, file: &str) -> Result<Located, TuneError> {
    let err = |message: String| TuneError::Scenario {
        file: file.to_string(),
        message,
    };
    if !matches!(config.endpoint.kind, crate::sim::EndpointKind::RealTime) || config.endpoint.components.is_some() {
        return Err(err(
            "tune sizes instances of a real-time endpoint (not asynchronous, serverless or inference components)"
                .into(),
        ));
    }
    for (t, target) in scenario.autoscaling.iter().enumerate() {
        if target.inference_component.is_some() {
            continue;
        }
        for (p, policy) in target.policies.iter().enumerate() {
            let Policy::TargetTracking {
                name,
                metric: TrackedMetric::SageMakerVariantInvocationsPerInstance,
                scale_in_cooldown,
                scale_out_cooldown,
                ..
            } = policy
            else {
                continue;
            };
            let names: Vec<&str> = config.endpoint.variants.iter().map(|v| v.name.as_str()).collect();
            let variant = match &target.variant {
                Some(v) => names.iter().position(|n| n == v).ok_or_else(|| {
                    err(format!(
                        "autoscaling[{t}] names variant `{v}`, which the endpoint does not have"
                    ))
                })?,
                None => 0,
            };
            let secs = |d: &crate::scenario::duration::Duration| d.0 .0 / 1_000_000;
            return Ok(Located {
                target: t,
                policy: p,
                name: name.clone(),
                variant,
                variant_name: names[variant].to_string(),
                scale_in_cooldown_s: secs(scale_in_cooldown),
                scale_out_cooldown_s: secs(scale_out_cooldown),
            });
        }
    }
    Err(err(
        "no target tracking policy on SageMakerVariantInvocationsPerInstance to tune; add one under `autoscaling` (its TargetValue, MinCapacity and MaxCapacity are what tune sets)".into(),
    ))
}

/// The benchmark: one instance of the located variant up the staircase, read minute by minute
/// at the SLO's percentile.
pub struct BenchmarkRun {
    pub instance_type: String,
    pub vcpus: u32,
    pub step_rps: f64,
    pub minutes: Vec<knee::Minute>,
    pub knee: knee::Knee,
}

/// Runs the benchmark of the located variant and finds its knee.
pub fn benchmark(config: &SimConfig, located: &Located, opts: &Options) -> Result<BenchmarkRun, TuneError> {
    let variant = VariantId(located.variant as u16);
    let (mut cfg, step_rps) = benchmark_config(config, variant, &opts.benchmark)
        .map_err(|e| TuneError::Options(format!("the benchmark cannot run: {e}")))?;
    if let BenchmarkLoad::Users { per_minute } = opts.load {
        use crate::model::workload::{SpawnMode, Stairs, TrafficPattern, UserTest};
        cfg.workload = crate::model::workload::Workload::Users {
            test: UserTest {
                pattern: TrafficPattern::Stairs(Stairs {
                    duration: cfg.duration,
                    number_of_steps: opts.benchmark.max_minutes,
                    users_per_step: per_minute,
                }),
                spawn_mode: SpawnMode::MinuteBatches,
                start: crate::engine::SimTime::ZERO,
                think_time: crate::model::DurationDist::Constant(crate::engine::SimDuration::ZERO),
                round_trip: crate::engine::SimDuration::from_millis(1),
                stopping: None,
            },
            background: None,
        };
    }
    let users = |k: usize| match opts.load {
        BenchmarkLoad::Users { per_minute } => Some(per_minute * (k as u32 + 1)),
        BenchmarkLoad::Staircase => None,
    };
    let p = opts.objectives.percentile;
    if !cfg.metrics.percentiles.iter().any(|q| (q - p).abs() < 1e-9) {
        cfg.metrics.percentiles.push(p);
    }
    let v = &cfg.endpoint.variants[0];
    let vcpus = v.instance.vcpus.unwrap_or(1).max(1);
    let instance_type = v.instance.name.clone();
    let result = crate::sim::run(cfg);
    let minutes: Vec<knee::Minute> = result
        .points
        .iter()
        .enumerate()
        .map(|(k, point)| {
            let vp = &point.variants[0];
            let r = &vp.requests;
            knee::Minute {
                offered_rps: step_rps * (k as f64 + 1.0),
                users: users(k),
                arrivals: point.arrivals,
                invocations: r.invocations,
                succeeded: r.completed,
                failures: r.errors_4xx + r.errors_5xx + r.timed_out + r.rejected_backlog_full + r.rejected_no_capacity,
                latency_ms: point.latency.percentile(p).map(|us| us / 1000.0),
                cpu_per_core: vp.cpu_utilization.unwrap_or(0.0) / f64::from(vcpus),
            }
        })
        .collect();
    let knee = knee::find(&minutes, &opts.knee).map_err(TuneError::Options)?;
    Ok(BenchmarkRun {
        instance_type,
        vcpus,
        step_rps,
        minutes,
        knee,
    })
}

/// The expected rates: the user's, else the workload's.
pub fn expected_rates(config: &SimConfig, opts: &Options) -> Result<(Rates, &'static str), TuneError> {
    if let Some(r) = opts.rates {
        return Ok((r, "given"));
    }
    match rates::of(&config.workload, config.duration) {
        Some(r) if r.max_rps > 0.0 => Ok((r, "the workload's per-minute means")),
        Some(_) => Err(TuneError::Options(
            "the workload offers no requests; give the expected rates with --min-rps and --max-rps".into(),
        )),
        None => Err(TuneError::Options(
            "the workload has no rate of its own (closed-loop users, or a run under a minute); give the expected rates with --min-rps and --max-rps".into(),
        )),
    }
}

/// A setting the sweep chose, with what decided it.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub point: usize,
    pub safety_factor: f64,
    pub target_value: f64,
    pub min_capacity: u32,
    pub max_capacity: u32,
    pub scale_in_cooldown_s: u64,
    pub scale_out_cooldown_s: u64,
}

/// Reads the chosen point's values off the plan (every value the sweep set is an axis).
pub fn choice(plan: &Plan, point: usize, located: &Located) -> Choice {
    let d = &plan.design;
    let p = &d.points[point];
    let get = |name: &str| -> Option<f64> {
        let i = d.axes.iter().position(|a| a.name == name)?;
        p.values[i].as_f64()
    };
    Choice {
        point,
        safety_factor: get("safety_factor").unwrap_or(f64::NAN),
        target_value: get("target_value").unwrap_or(f64::NAN),
        min_capacity: get("min_capacity").unwrap_or(1.0) as u32,
        max_capacity: get("max_capacity").unwrap_or(1.0) as u32,
        scale_in_cooldown_s: get("scale_in_cooldown").map_or(located.scale_in_cooldown_s, |v| v as u64),
        scale_out_cooldown_s: get("scale_out_cooldown").map_or(located.scale_out_cooldown_s, |v| v as u64),
    }
}

/// Checks the options' ranges before anything runs.
pub fn check_options(opts: &Options) -> Result<(), TuneError> {
    let bad = |m: String| Err(TuneError::Options(m));
    let o = &opts.objectives;
    if !(o.percentile > 0.0 && o.percentile < 100.0) {
        return bad(format!(
            "the SLO percentile is {}; allowed: more than 0 and less than 100",
            o.percentile
        ));
    }
    if !(o.latency_ms.is_finite() && o.latency_ms > 0.0) {
        return bad(format!("the SLO latency is {} ms; allowed: more than 0", o.latency_ms));
    }
    if !(o.error_budget > 0.0 && o.error_budget < 1.0) {
        return bad(format!(
            "the error budget is {} %; allowed: more than 0 % and less than 100 %",
            o.error_budget * 100.0
        ));
    }
    if let Some(c) = o.max_cost_usd {
        if !(c.is_finite() && c > 0.0) {
            return bad(format!("the cost ceiling is {c} USD; allowed: more than 0"));
        }
    }
    if opts.safety_factors.is_empty() || opts.safety_factors.len() > MAX_VALUES {
        return bad(format!("give 1 to {MAX_VALUES} safety factors"));
    }
    if let Some(f) = opts.safety_factors.iter().find(|f| !(**f > 0.0 && **f <= 1.0)) {
        return bad(format!(
            "safety factor {f}; allowed: more than 0 and at most 1 (the target must stay below the measured maximum)"
        ));
    }
    for (what, n) in [
        ("scale-in cooldowns", opts.scale_in_cooldowns.len()),
        ("scale-out cooldowns", opts.scale_out_cooldowns.len()),
        ("minimum capacities", opts.min_capacities.len()),
    ] {
        if n > MAX_VALUES {
            return bad(format!("{n} {what}; allowed: at most {MAX_VALUES}"));
        }
    }
    if let BenchmarkLoad::Users { per_minute } = opts.load {
        if !(1..=1000).contains(&per_minute) {
            return bad(format!("{per_minute} users per minute; allowed: 1 to 1000"));
        }
    }
    if opts.replications < 2 {
        return bad(format!(
            "{} replication(s); allowed: 2 or more (a confidence bound needs a spread)",
            opts.replications
        ));
    }
    if !(opts.growth_factor >= 1.0 && opts.growth_factor <= 10.0) {
        return bad(format!("growth factor {}; allowed: 1 to 10", opts.growth_factor));
    }
    if let Some(r) = opts.rates {
        if !(r.min_rps >= 0.0 && r.max_rps > 0.0 && r.min_rps <= r.max_rps && r.max_rps.is_finite()) {
            return bad(format!(
                "expected rates {} to {} requests per second; allowed: 0 <= minimum <= maximum, maximum more than 0",
                r.min_rps, r.max_rps
            ));
        }
    }
    Ok(())
}
