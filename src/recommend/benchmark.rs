//! The instance benchmark behind a recommendation job: one variant's model on one warm
//! instance under a rising load, measured minute by minute, stopped at saturation or when 1 %
//! of a minute's invocations fail (docs/semantics/load-tests.md §1; docs/semantics/autoscaling.md §11.3 step 1, I7).
//!
//! The load is open-loop: minute `k` (from 1) offers `k x step` requests per second, Poisson.
//! \[assumption\] The seeds give no ramp schedule for a default job; a staircase of one-minute
//! steps keeps every minute's bucket at one load level, so each bucket is one point of the
//! load-versus-utilisation curve the scaling recommendation reads.

use crate::autoscaling::guidance::BENCHMARK_FAILURE_SHARE;
use crate::engine::SimDuration;
use crate::model::metrics::MetricsConfig;
use crate::model::workload::{ArrivalProcess, RateShape, Workload};
use crate::model::VariantId;
use crate::sim::{EndpointKind, SimConfig, StartState};

/// How the staircase is laid out and when it stops.
#[derive(Clone, Debug, PartialEq)]
pub struct BenchmarkOptions {
    /// Added load per minute [requests per second]; `None`: a twentieth of the instance's
    /// nominal capacity (worker slots over mean service time), so saturation comes after
    /// about twenty minutes. \[assumption\]
    pub step_rps: Option<f64>,
    /// Longest staircase \[minutes\]; the test ends there if nothing stops it first.
    pub max_minutes: u32,
    /// Stop when a minute's failed share of invocations reaches this (1 %, docs/semantics/load-tests.md §1).
    pub failure_share: f64,
    /// Stop when a minute's utilisation per core reaches this percentage: the instance is
    /// saturated and more load only queues. \[assumption\]
    pub saturation_percent: f64,
}

impl Default for BenchmarkOptions {
    fn default() -> Self {
        BenchmarkOptions {
            step_rps: None,
            max_minutes: 60,
            failure_share: BENCHMARK_FAILURE_SHARE,
            saturation_percent: 98.0,
        }
    }
}

/// Why a benchmark stopped (one stop reason per benchmark, an assumption).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// A minute's failed share reached the limit.
    ErrorRate,
    /// A minute's utilisation per core reached the saturation level.
    Saturation,
    /// The staircase ended first.
    PatternComplete,
}

impl StopReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::ErrorRate => "ErrorRate",
            StopReason::Saturation => "Saturation",
            StopReason::PatternComplete => "PatternComplete",
        }
    }
}

/// One minute of the benchmark on its single instance (a row of the saved job's
/// `Benchmark`, AWS-style names).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct BenchmarkMinute {
    /// Offered load in this minute [requests per second]: the staircase's step (absent for a
    /// load test, whose users offer what they are answered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offered_rps: Option<f64>,
    /// Users during the minute (a load test).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<u32>,
    /// `Invocations` of the minute: on one instance, also invocations per instance per minute.
    pub invocations: u64,
    /// Requests that failed: 4XX, 5XX, timed out or rejected.
    pub failures: u64,
    /// `CPUUtilization` divided by the instance's vCPUs [percent per core].
    pub cpu_utilization_per_core: f64,
    /// Mean `ModelLatency` of the minute \[µs\]; 0 when nothing completed.
    #[serde(rename = "ModelLatency")]
    pub model_latency_us: f64,
    /// The latency threshold's percentile of `ModelLatency` over the minute \[µs\] (a load
    /// test with a `ModelLatencyThresholds` stopping condition).
    #[serde(rename = "ModelLatencyAtThreshold", default, skip_serializing_if = "Option::is_none")]
    pub model_latency_at_threshold_us: Option<f64>,
}

/// A finished benchmark: its minutes up to and including the one that stopped it.
#[derive(Clone, Debug, PartialEq)]
pub struct Benchmark {
    pub variant: String,
    pub instance_type: String,
    pub price_per_hour_usd: Option<f64>,
    pub vcpus: u32,
    pub step_rps: f64,
    pub minutes: Vec<BenchmarkMinute>,
    pub stop: StopReason,
}

impl Benchmark {
    /// The minute with the most invocations (the first on ties), as load tests 9 keeps `peak`.
    pub fn peak(&self) -> &BenchmarkMinute {
        let mut best = &self.minutes[0];
        for m in &self.minutes[1..] {
            if m.invocations > best.invocations {
                best = m;
            }
        }
        best
    }
}

/// Why a scenario cannot be benchmarked.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum BenchmarkError {
    #[error("only real-time endpoints of instances can be benchmarked; this scenario's endpoint is {0}")]
    NotRealTime(&'static str),
    #[error("variant {index} does not exist (the endpoint has {count})")]
    NoSuchVariant { index: usize, count: usize },
    #[error("step_rps is {0}; allowed: more than 0 and at most {MAX_STEP_RPS} requests per second")]
    BadStep(f64),
    #[error(
        "the default step (a twentieth of variant `{variant}`'s nominal capacity) is {step} requests per second; allowed: at most {MAX_STEP_RPS} (give a step)"
    )]
    DefaultStepTooLarge { variant: String, step: f64 },
    #[error("max_minutes is {0}; allowed: 1 to {MAX_MINUTES} (one week)")]
    BadMinutes(u32),
    #[error(
        "the staircase would reach {step} x {minutes} = {top} requests per second; allowed: at most {MAX_TOP_RPS} (a smaller step or fewer minutes)",
        top = step * f64::from(*minutes)
    )]
    TooSteep { step: f64, minutes: u32 },
    #[error(
        "the benchmark of variant `{variant}` saw no invocation in its {minutes} minute(s) at {step} requests per second added per minute; there is no load to recommend from (allowed: a load that reaches the instance: a larger step or more minutes)"
    )]
    NoInvocations { variant: String, minutes: usize, step: f64 },
}

/// Longest staircase \[minutes\]: one week. The run keeps a metric period per minute, and a
/// benchmark that has not saturated an instance in a week will not.
pub const MAX_MINUTES: u32 = 10_080;

/// Largest added load per minute [requests per second]: one instance is saturated long before.
pub const MAX_STEP_RPS: f64 = 1e6;

/// Highest load the staircase may reach [requests per second]: the top a scenario's `Stairs`
/// rate may have, so the simulated work of a minute stays bounded.
pub const MAX_TOP_RPS: f64 = 1e9;

/// The run configuration of the benchmark of variant `variant` of `config`: that
/// variant alone, one warm instance, the staircase as its workload, one-minute periods, no
/// scaling, deployments or capacity updates.
pub fn benchmark_config(
    config: &SimConfig,
    variant: VariantId,
    opts: &BenchmarkOptions,
) -> Result<(SimConfig, f64), BenchmarkError> {
    match config.endpoint.kind {
        EndpointKind::RealTime => {}
        EndpointKind::Async => return Err(BenchmarkError::NotRealTime("asynchronous")),
        EndpointKind::Serverless => return Err(BenchmarkError::NotRealTime("serverless")),
    }
    if config.endpoint.components.is_some() {
        return Err(BenchmarkError::NotRealTime("real-time with inference components"));
    }
    let count = config.endpoint.variants.len();
    let index = usize::from(variant);
    let Some(v) = config.endpoint.variants.get(index) else {
        return Err(BenchmarkError::NoSuchVariant { index, count });
    };
    if !(1..=MAX_MINUTES).contains(&opts.max_minutes) {
        return Err(BenchmarkError::BadMinutes(opts.max_minutes));
    }
    let step = match opts.step_rps {
        Some(s) if s.is_finite() && s > 0.0 && s <= MAX_STEP_RPS => s,
        Some(s) => return Err(BenchmarkError::BadStep(s)),
        None => {
            let mean_s = v.model.service_time.mean_micros().max(1.0) / 1e6;
            let step = f64::from(v.concurrency) / mean_s / 20.0;
            if step > MAX_STEP_RPS {
                return Err(BenchmarkError::DefaultStepTooLarge {
                    variant: v.name.clone(),
                    step,
                });
            }
            step
        }
    };
    if step * f64::from(opts.max_minutes) > MAX_TOP_RPS {
        return Err(BenchmarkError::TooSteep {
            step,
            minutes: opts.max_minutes,
        });
    }
    let mut one = v.clone();
    one.initial_instance_count = 1;
    one.initial_weight = 1.0;
    let mut endpoint = config.endpoint.clone();
    endpoint.variants = vec![one];
    endpoint.start = StartState::Warm;
    endpoint.capacity_updates.clear();
    let duration = SimDuration::from_secs(60 * u64::from(opts.max_minutes));
    let cfg = SimConfig {
        name: format!("{}-benchmark-{}", config.name, v.name),
        seed: config.seed,
        duration,
        endpoint,
        workload: Workload::Open {
            arrivals: ArrivalProcess::Poisson,
            rate: RateShape::stairs(duration, opts.max_minutes, step),
        },
        metrics: MetricsConfig::default(),
        start_time: config.start_time,
        publication_delay: SimDuration::ZERO,
        alarms: Vec::new(),
        targets: Vec::new(),
        deployments: Vec::new(),
        shadow: None,
        slo: None,
    };
    Ok((cfg, step))
}

/// Runs the benchmark of one variant and cuts it at the first minute that stops it.
pub fn run_benchmark(
    config: &SimConfig,
    variant: VariantId,
    opts: &BenchmarkOptions,
) -> Result<Benchmark, BenchmarkError> {
    let (cfg, step) = benchmark_config(config, variant, opts)?;
    let v = &cfg.endpoint.variants[0];
    let vcpus = v.instance.vcpus.unwrap_or(1).max(1);
    let (name, instance_type, price) = (v.name.clone(), v.instance.name.clone(), v.instance.price_per_hour_usd);
    let result = crate::sim::run(cfg);
    let mut minutes = Vec::new();
    let mut stop = StopReason::PatternComplete;
    for (k, p) in result.points.iter().enumerate() {
        let vp = &p.variants[0];
        let r = &vp.requests;
        let failures = r.errors_4xx + r.errors_5xx + r.timed_out + r.rejected_backlog_full + r.rejected_no_capacity;
        let minute = BenchmarkMinute {
            offered_rps: Some(step * (k as f64 + 1.0)),
            users: None,
            invocations: vp.requests.invocations,
            failures,
            cpu_utilization_per_core: vp.cpu_utilization.unwrap_or(0.0) / f64::from(vcpus),
            model_latency_us: vp.model_latency.average().unwrap_or(0.0),
            model_latency_at_threshold_us: None,
        };
        // Stop rules in the order of load tests 9: the error share, then saturation.
        let failed = minute.invocations > 0 && minute.failures as f64 >= opts.failure_share * minute.invocations as f64;
        let saturated = minute.cpu_utilization_per_core >= opts.saturation_percent;
        minutes.push(minute);
        if failed || saturated {
            stop = if failed {
                StopReason::ErrorRate
            } else {
                StopReason::Saturation
            };
            break;
        }
    }
    // A benchmark with no invocation (a step too small to bring a request in the time) gives
    // nothing to read a target from; saved, it would yield a TargetValue of 1 without a word.
    if !minutes.iter().any(|m: &BenchmarkMinute| m.invocations > 0) {
        return Err(BenchmarkError::NoInvocations {
            variant: name,
            minutes: minutes.len(),
            step,
        });
    }
    Ok(Benchmark {
        variant: name,
        instance_type,
        price_per_hour_usd: price,
        vcpus,
        step_rps: step,
        minutes,
        stop,
    })
}
