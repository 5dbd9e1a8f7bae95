//! A finished load-test job in the service's shapes: `DescribeInferenceRecommendationsJob`
//! (the saved job, which `recommend-scaling` reads like a benchmark job) and
//! `ListInferenceRecommendationsJobSteps` (one `BENCHMARK` step per test, with its status).
//!
//! Figures (docs/semantics/load-tests.md §2): the peak minute is the one with the most
//! invocations; `InitialInstanceCount` is the instances that meet `MaxInvocations` at the
//! benchmark's per-instance peak, and `MaximumInvocations` is that fleet's figure (the peak per
//! instance times the count); `CostPerHour` and `CostPerInference` are single-precision, as
//! the service prints them. A serverless test's `CostPerHour` is its peak minute's bill times
//! 60 \[assumption\].

use super::checks::{CheckedJob, JobType, Target};
use super::request::JobRequest;
use super::run::TestOutcome;
use super::schedule::Slot;
use crate::engine::SimDuration;
use crate::model::workload::stopping::{peak, MinuteStats};
use crate::recommend::benchmark::BenchmarkMinute;
use crate::recommend::goals::initial_instance_count;
use crate::recommend::job::{
    cost_per_inference, sort_for_listing, EndpointConfiguration, EndpointInfoOut, EndpointPerformance,
    EndpointPerformanceMetrics, EnvironmentParameter, InferenceRecommendation, JobInputConfig, ModelConfiguration,
    RecommendationJob, RecommendationMetrics, ServerlessConfigOut, Simulation,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `ListInferenceRecommendationsJobSteps`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct JobSteps {
    pub steps: Vec<JobStep>,
}

/// One step: a test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct JobStep {
    /// Always `BENCHMARK`.
    pub step_type: String,
    pub job_name: String,
    /// `COMPLETED`, or `STOPPED` for a test never started before `JobDurationInSeconds`.
    pub status: String,
    pub inference_benchmark: InferenceBenchmark,
}

/// What a step measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct InferenceBenchmark {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<RecommendationMetrics>,
    pub endpoint_configuration: EndpointConfiguration,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_configuration: Option<ModelConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_end_time: Option<String>,
    /// Why the test stopped (fleetsim logs what the service writes to the endpoint's log).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_reason: Option<String>,
}

/// The job's results and steps.
pub fn describe(
    req: &JobRequest,
    job: &CheckedJob,
    outcomes: &[TestOutcome],
    models: Vec<String>,
    seed: u64,
    created: DateTime<Utc>,
) -> (RecommendationJob, JobSteps) {
    let stamp = |d: SimDuration| {
        (created + chrono::Duration::microseconds(d.0 as i64)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    };
    let mut recs = Vec::new();
    let mut performances = Vec::new();
    let mut steps = Vec::new();
    let mut last = SimDuration::ZERO;
    for (i, o) in outcomes.iter().enumerate() {
        let figures = figures(job, o);
        let configuration = endpoint_configuration(o, figures.as_ref().map_or(1, |f| f.count));
        let model_configuration = (!o.plan.environment.is_empty()).then(|| ModelConfiguration {
            environment_parameters: o
                .plan
                .environment
                .iter()
                .map(|(k, v)| EnvironmentParameter {
                    key: k.clone(),
                    value_type: "String".into(),
                    value: v.clone(),
                })
                .collect(),
        });
        let (status, times, failure) = match o.slot {
            Slot::Ran { start, end } => {
                last = last.max(end);
                let started = start + o.facts.creation;
                ("COMPLETED", Some((stamp(started), stamp(end))), None)
            }
            Slot::Skipped { due } => (
                "STOPPED",
                None,
                Some(format!(
                    "not started: its turn came {} s after the job started, at or after JobDurationInSeconds ({} s)",
                    due.0 / 1_000_000,
                    job.job_duration.0 / 1_000_000
                )),
            ),
        };
        let ran = times.is_some();
        steps.push(JobStep {
            step_type: "BENCHMARK".into(),
            job_name: job.name.clone(),
            status: status.into(),
            inference_benchmark: InferenceBenchmark {
                metrics: figures.as_ref().filter(|_| ran).map(|f| f.metrics.clone()),
                endpoint_configuration: configuration.clone(),
                model_configuration: model_configuration.clone(),
                failure_reason: failure,
                invocation_start_time: times.as_ref().map(|t| t.0.clone()),
                invocation_end_time: times.as_ref().map(|t| t.1.clone()),
                stop_reason: ran.then(|| o.stop.as_str().to_string()),
            },
        });
        let (Some(f), Some((start, end))) = (figures, times) else {
            continue;
        };
        let benchmark = minutes_out(o);
        if let Target::Existing(name) = &o.plan.target {
            performances.push(EndpointPerformance {
                metrics: EndpointPerformanceMetrics {
                    max_invocations: f.metrics.maximum_invocations,
                    model_latency: f.metrics.model_latency,
                },
                endpoint_info: EndpointInfoOut {
                    endpoint_name: name.clone(),
                },
                stop_reason: o.stop.as_str().to_string(),
                benchmark,
            });
            continue;
        }
        recs.push(InferenceRecommendation {
            recommendation_id: format!("{}-{}", job.name, i + 1),
            metrics: f.metrics,
            endpoint_configuration: configuration,
            model_configuration,
            invocation_start_time: Some(start),
            invocation_end_time: Some(end),
            stop_reason: o.stop.as_str().to_string(),
            benchmark,
        });
    }
    sort_for_listing(&mut recs);
    let described = RecommendationJob {
        job_name: job.name.clone(),
        job_type: match job.job_type {
            JobType::Default => "Default".into(),
            JobType::Advanced => "Advanced".into(),
        },
        status: "COMPLETED".into(),
        input_config: JobInputConfig::LoadTest(Box::new(req.input_config.clone())),
        stopping_conditions: req.stopping_conditions.clone(),
        creation_time: Some(stamp(SimDuration::ZERO)),
        completion_time: Some(stamp(last)),
        simulation: Some(Simulation {
            model_scenarios: models,
            seed,
        }),
        inference_recommendations: recs,
        endpoint_performances: (!performances.is_empty()).then_some(performances),
    };
    (described, JobSteps { steps })
}

/// A test's headline figures.
struct Figures {
    metrics: RecommendationMetrics,
    count: u32,
}

fn figures(job: &CheckedJob, o: &TestOutcome) -> Option<Figures> {
    let p = peak(&o.minutes)?;
    let top = &o.minutes[p];
    let latency = latency_of(job, top);
    let serverless = matches!(o.plan.target, Target::Serverless { .. });
    let (count, maximum, cost_per_hour) = if serverless {
        (1, top.invocations, o.cost_usd[p].map(|c| f64::from((c * 60.0) as f32)))
    } else if matches!(o.plan.target, Target::Existing(_)) {
        (o.facts.instances, top.invocations, None)
    } else {
        let count = initial_instance_count(job.stops.max_invocations, top.invocations, o.facts.instances);
        let per_instance = top.invocations / u64::from(o.facts.instances.max(1));
        let cost = o
            .facts
            .price_per_hour_usd
            .map(|c| f64::from((c * f64::from(count)) as f32));
        (count, per_instance * u64::from(count), cost)
    };
    Some(Figures {
        metrics: RecommendationMetrics {
            cost_per_hour,
            cost_per_inference: cost_per_hour.and_then(|c| cost_per_inference(c, maximum)),
            maximum_invocations: maximum,
            model_latency: latency.round() as u64,
            max_invocations: serverless.then_some(maximum),
            cpu_utilization: o.cpu_utilization[p],
            model_setup_time: o.model_setup_time_us.map(|t| t.round() as u64),
        },
        count,
    })
}

/// `ModelLatency` of a minute: the threshold's percentile, else the mean \[µs\].
fn latency_of(job: &CheckedJob, m: &MinuteStats) -> f64 {
    let reported = if job.stops.latency.is_some() {
        m.latency_at_threshold_us
    } else {
        m.model_latency_mean_us
    };
    reported.unwrap_or(0.0)
}

fn endpoint_configuration(o: &TestOutcome, count: u32) -> EndpointConfiguration {
    let serverless = match &o.plan.target {
        Target::Serverless {
            memory_size_in_mb,
            max_concurrency,
            ..
        } => Some(ServerlessConfigOut {
            max_concurrency: *max_concurrency,
            memory_size_in_mb: *memory_size_in_mb,
        }),
        _ => None,
    };
    EndpointConfiguration {
        endpoint_name: o.facts.endpoint_name.clone(),
        variant_name: o.facts.variant_name.clone(),
        instance_type: o.facts.instance_type.clone(),
        initial_instance_count: serverless.is_none().then_some(count),
        vcpus: o.facts.vcpus,
        serverless_config: serverless,
    }
}

/// The kept minutes as the saved job's rows, per instance where `recommend-scaling` reads
/// them per instance (a benchmark endpoint has one).
fn minutes_out(o: &TestOutcome) -> Vec<BenchmarkMinute> {
    let vcpus = f64::from(o.facts.vcpus.unwrap_or(1).max(1));
    o.minutes
        .iter()
        .zip(&o.cpu_utilization)
        .map(|(m, cpu)| BenchmarkMinute {
            offered_rps: None,
            users: Some(m.users),
            invocations: m.invocations,
            failures: m.failures,
            cpu_utilization_per_core: cpu.unwrap_or(0.0) / vcpus,
            model_latency_us: m.model_latency_mean_us.unwrap_or(0.0),
            model_latency_at_threshold_us: m.latency_at_threshold_us,
        })
        .collect()
}
