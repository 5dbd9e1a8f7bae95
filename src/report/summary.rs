//! `summary.json`: totals and percentiles of a run.
//!
//! Definitions: `latency_ms` is end to end (backlog wait + model latency + fixed overhead) over
//! completed (2XX) requests; `wait_ms.mean` is the mean backlog wait over requests that got a
//! worker slot (zero waits included) and `wait_ms.p_wait` the fraction of them that waited.
//! On an asynchronous endpoint "latency" is the time from `InvokeEndpointAsync` to the end of
//! processing (queue time included).

use super::format::round;
use crate::model::workload::StopReason;
use crate::model::ActivityKind;
use crate::sim::{EndpointKind, RunResult};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    /// `RealTime`, `Async` or `Serverless`.
    pub endpoint: &'static str,
    pub duration_s: f64,
    pub requests: Requests,
    pub latency_ms: Latency,
    pub wait_ms: Wait,
    pub capacity: Capacity,
    /// Total cost \[USD\]; null when some instance price is unknown.
    pub cost_usd: Option<f64>,
    /// Capacity changes (desired count set by a policy, a schedule or an update).
    pub scaling_activities: usize,
    /// The scenario's latency objective and whether the run met it; null without one.
    pub slo: Option<SloSummary>,
    /// The (last) deployment; null for runs without one.
    pub deployment: Option<DeploymentSummary>,
    /// Every deployment, when the scenario has any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deployments: Vec<DeploymentSummary>,
    /// The shadow test, when the scenario has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shadow_test: Option<ShadowSummary>,
    /// A serverless endpoint's concurrency, cold starts, throttles and bill.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serverless: Option<ServerlessSummary>,
    /// The instances and components of an endpoint with inference components (`variants`
    /// then lists the components, with copy-hours as their instance-hours and no cost).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inference_components: Option<ComponentsSummary>,
    /// A load test's closed-loop users, as the load generator saw them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<UsersSummary>,
    pub variants: Vec<VariantSummary>,
}

/// A load test's users over the run.
#[derive(Debug, Serialize)]
pub struct UsersSummary {
    /// Most users at once.
    pub peak_users: u32,
    /// Calls answered (responses, errors and give-ups).
    pub calls: u64,
    /// Calls given up at the invocation timeout.
    pub gave_up: u64,
    /// The load test's `MaximumInvocations`: the most invocations the endpoint counted in one
    /// whole metrics period, per minute (null without a whole period).
    pub max_invocations_per_minute: Option<f64>,
    /// Start of that period \[s since the run's start\] (the first on ties).
    pub max_invocations_at_s: Option<f64>,
    /// The stopping condition that ended the test (`MaxInvocations`, `ModelLatencyThreshold`,
    /// `FlatInvocations`); null when none held (or the scenario sets none).
    pub stop_reason: Option<&'static str>,
    /// When it ended the test \[s since the run's start\]: the end of the minute it held in.
    pub stopped_at_s: Option<f64>,
    /// The load test's verdict against its `MaxInvocations`: whether a minute of the test reached it
    /// (what stops the test with `MaxInvocations`); null without that condition. A sweep's
    /// mean of it is the share of runs that passed.
    pub reached_max_invocations: Option<bool>,
    /// Client-side latency of the calls, send to answer seen (round trip included) \[ms\].
    pub client_latency_ms: ClientLatency,
}

/// Client-side latency statistics \[ms\]; null without calls.
#[derive(Debug, Serialize)]
pub struct ClientLatency {
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p99: Option<f64>,
    pub max: Option<f64>,
}

/// A serverless endpoint over the run.
#[derive(Debug, Serialize)]
pub struct ServerlessSummary {
    pub memory_size_in_mb: u32,
    pub max_concurrency: u32,
    /// At the start; null for on demand only.
    pub provisioned_concurrency: Option<u32>,
    pub account_concurrency: u32,
    /// Most concurrent executions seen at a sampling tick.
    pub peak_concurrent_executions: u32,
    /// Requests served by provisioned concurrency.
    pub provisioned_concurrency_invocations: u64,
    /// Requests served on demand while provisioned concurrency is configured.
    pub spillover_invocations: u64,
    /// Requests served on demand (warm or cold).
    pub on_demand_invocations: u64,
    pub cold_starts: u64,
    pub model_setup_time_ms: MeanMax,
    /// Throttled at `MaxConcurrency`, and by the account's regional concurrency.
    pub throttled_max_concurrency: u64,
    pub throttled_account: u64,
    /// Billed GB-seconds: on-demand compute, PC-served compute, PC provisioned.
    pub on_demand_gb_s: f64,
    pub provisioned_inference_gb_s: f64,
    pub provisioned_concurrency_gb_s: f64,
    pub cost_usd: f64,
}

/// Mean and maximum of a duration \[ms\]; null without samples.
#[derive(Debug, Serialize)]
pub struct MeanMax {
    pub mean: Option<f64>,
    pub max: Option<f64>,
}

/// An endpoint with inference components: its instances (`capacity` and `cost_usd` count
/// these) and each component's copies and requests.
#[derive(Debug, Serialize)]
pub struct ComponentsSummary {
    pub variant: String,
    pub instance_type: String,
    pub min_instance_count: u32,
    pub max_instance_count: u32,
    pub peak_instances: u32,
    pub instance_hours: f64,
    pub cost_usd: Option<f64>,
    pub components: Vec<ComponentSummary>,
}

#[derive(Debug, Serialize)]
pub struct ComponentSummary {
    pub name: String,
    pub invocations: u64,
    pub completed: u64,
    /// Requests that arrived while no copy was in service (`NoCapacityInvocationFailures`),
    /// counted in `requests.rejected_no_capacity`.
    pub no_capacity_invocation_failures: u64,
    /// Copies in service at the end of the run, and the most at the end of any period.
    pub copies_in_service_at_end: u32,
    pub peak_copies_in_service: u32,
    /// `DesiredCopyCount` at the end of the run.
    pub desired_copies_at_end: u32,
    pub copy_hours: f64,
    pub model_latency_mean_ms: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Requests {
    pub arrived: u64,
    pub completed: u64,
    pub errors_4xx: u64,
    pub errors_5xx: u64,
    /// Real-time: waited in the backlog past the invocation timeout.
    pub timed_out: u64,
    /// Asynchronous: still queued when the request time-to-live ran out (`ExpiredRequests`).
    pub expired: u64,
    /// Backlog full plus no instance in service.
    pub rejected: u64,
    pub rejected_backlog_full: u64,
    pub rejected_no_capacity: u64,
    /// Serverless: refused with ThrottlingException (also counted as 4XX datapoints in
    /// `timeseries.csv`, not in `errors_4xx` here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttled: Option<u64>,
    pub in_flight_at_end: u64,
}

#[derive(Debug, Serialize)]
pub struct Latency {
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub p99: Option<f64>,
    pub p999: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Wait {
    pub mean: Option<f64>,
    pub p_wait: Option<f64>,
}

/// In-service instances over the run (with inference components: the instances that hold
/// the copies, not the copies).
#[derive(Debug, Serialize)]
pub struct Capacity {
    pub min_in_service: u32,
    pub max_in_service: u32,
    pub mean_in_service: f64,
    pub instance_hours: f64,
}

/// One deployment (an `UpdateEndpoint` call).
#[derive(Clone, Debug, Serialize)]
pub struct DeploymentSummary {
    /// `EndpointConfigName` of the new configuration.
    pub name: String,
    pub variant: String,
    /// `ALL_AT_ONCE`, `CANARY`, `LINEAR` or `ROLLING`.
    pub strategy: &'static str,
    /// `Succeeded`, `RolledBack`, `TimedOut`, `UpdateRollbackFailed`, `Rejected` or
    /// `InProgress` (the run ended first).
    pub outcome: &'static str,
    pub started_s: f64,
    pub finished_s: Option<f64>,
    /// The alarm, deadline or failure behind a rollback (or why the call was rejected).
    pub rollback_trigger: Option<String>,
    /// Instances of the old fleet (`N`) and the new one (`G`) at the call.
    pub old_instances: u32,
    pub new_instances: u32,
    /// Most billed instances of the variant during the deployment.
    pub peak_instances: u32,
    /// Instance-hours above the `N` instances of the call, billed while it ran.
    pub extra_instance_hours: f64,
    /// The documented billing rule's figure: both fleets for the whole update when it shifts
    /// in stages or bakes, else one; null for rolling updates.
    pub billing_rule_instance_hours: Option<f64>,
    /// Requests routed to the new version while the deployment ran.
    pub requests_served_by_new_version: u64,
    /// 4XX, 5XX, timed-out and rejected requests of the endpoint while it ran.
    pub errors_during_deployment: u64,
}

/// A shadow test: what its copies did, beside the production variant on the same requests.
#[derive(Clone, Debug, Serialize)]
pub struct ShadowSummary {
    pub name: String,
    pub shadow_variant: String,
    pub source_variant: String,
    pub sampling_percentage: u32,
    pub start_s: f64,
    pub end_s: f64,
    /// Requests copied to the shadow variant (callers never see their answers).
    pub requests_copied: u64,
    /// Per variant (production, then shadow) over the run: invocations, 5XX, mean
    /// `ModelLatency` [ms].
    pub comparison: Vec<ShadowSide>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ShadowSide {
    pub variant: String,
    pub invocations: u64,
    pub errors_5xx: u64,
    pub model_latency_mean_ms: Option<f64>,
}

/// `met`: the run's end-to-end latency at `percentile` (over completed requests) is at most
/// `latency_ms`; false when no request completed.
#[derive(Debug, Serialize)]
pub struct SloSummary {
    pub percentile: f64,
    pub latency_ms: f64,
    pub met: bool,
}

#[derive(Debug, Serialize)]
pub struct VariantSummary {
    pub name: String,
    pub instance_type: String,
    pub price_per_hour_usd: Option<f64>,
    pub instance_hours: f64,
    pub cost_usd: Option<f64>,
}

/// Builds the summary of a run.
pub fn summary(r: &RunResult) -> Summary {
    let t = &r.totals;
    let h = &t.latency;
    let n = h.len();
    let q = |p: f64| (n > 0).then(|| round(h.value_at_quantile(p) as f64 / 1000.0, 3));
    let duration_us = r.duration.0 as f64;
    let is_async = r.kind == EndpointKind::Async;
    let deployments: Vec<DeploymentSummary> = r
        .deployments
        .iter()
        .map(|d| DeploymentSummary {
            name: d.name.clone(),
            variant: d.variant.clone(),
            strategy: d.strategy,
            outcome: d.outcome.name(),
            started_s: round(d.started.as_secs_f64(), 6),
            finished_s: d.finished.map(|t| round(t.as_secs_f64(), 6)),
            rollback_trigger: d.rollback_trigger.clone(),
            old_instances: d.old_instances,
            new_instances: d.new_instances,
            peak_instances: d.peak_instances,
            extra_instance_hours: round(d.extra_instance_hours, 4),
            billing_rule_instance_hours: d.billing_rule_instance_hours.map(|h| round(h, 4)),
            requests_served_by_new_version: d.requests_served_by_new_version,
            errors_during_deployment: d.errors_during_deployment,
        })
        .collect();
    Summary {
        scenario: r.name.clone(),
        seed: r.seed,
        endpoint: match r.kind {
            EndpointKind::RealTime => "RealTime",
            EndpointKind::Async => "Async",
            EndpointKind::Serverless => "Serverless",
        },
        duration_s: r.duration.as_secs_f64(),
        requests: Requests {
            arrived: t.arrived,
            completed: t.completed,
            errors_4xx: t.errors_4xx,
            errors_5xx: t.errors_5xx,
            // The simulator counts both as requests that left the queue unserved.
            timed_out: if is_async { 0 } else { t.timed_out },
            expired: if is_async { t.timed_out } else { 0 },
            rejected: t.rejected_backlog_full + t.rejected_no_capacity,
            rejected_backlog_full: t.rejected_backlog_full,
            rejected_no_capacity: t.rejected_no_capacity,
            throttled: r.serverless.as_ref().map(|_| t.throttled),
            in_flight_at_end: r.in_flight_at_end,
        },
        latency_ms: Latency {
            mean: (n > 0).then(|| round(t.latency_sum_us as f64 / n as f64 / 1000.0, 3)),
            p50: q(0.50),
            p90: q(0.90),
            p99: q(0.99),
            p999: q(0.999),
            max: (n > 0).then(|| round(h.max() as f64 / 1000.0, 3)),
        },
        wait_ms: Wait {
            mean: (t.served > 0).then(|| round(t.wait_sum_us as f64 / t.served as f64 / 1000.0, 3)),
            p_wait: (t.served > 0).then(|| round(t.waited as f64 / t.served as f64, 6)),
        },
        capacity: Capacity {
            min_in_service: if t.min_in_service == u32::MAX {
                0
            } else {
                t.min_in_service
            },
            max_in_service: t.max_in_service,
            mean_in_service: round(
                t.in_service.area_at(crate::engine::SimTime(r.duration.0)) as f64 / duration_us.max(1.0),
                4,
            ),
            instance_hours: round(r.instance_hours(), 4),
        },
        cost_usd: r.cost_usd().map(|c| round(c, 4)),
        scaling_activities: r
            .activities
            .iter()
            .filter(|a| a.kind == ActivityKind::CapacityChange)
            .count(),
        slo: r.slo.map(|slo| SloSummary {
            percentile: slo.percentile,
            latency_ms: round(slo.latency.0 as f64 / 1000.0, 3),
            // Compared in microseconds, the histogram's unit, so no rounding decides it.
            met: n > 0 && h.value_at_quantile(slo.percentile / 100.0) <= slo.latency.0,
        }),
        deployment: deployments.last().cloned(),
        deployments,
        shadow_test: r.shadow.as_ref().map(|sh| {
            // The result lists are in variant order: position `i` is variant `i`'s.
            let side = |i: usize| {
                let (mut n, mut e, mut sum, mut cnt) = (0u64, 0u64, 0.0f64, 0u64);
                for p in &r.points {
                    let x = &p.variants[i];
                    n += x.requests.invocations;
                    e += x.requests.errors_5xx;
                    sum += x.model_latency.sum;
                    cnt += x.model_latency.sample_count;
                }
                ShadowSide {
                    variant: r.variants[i].name.clone(),
                    invocations: n,
                    errors_5xx: e,
                    model_latency_mean_ms: (cnt > 0).then(|| round(sum / cnt as f64 / 1000.0, 3)),
                }
            };
            let source = r.variants.iter().position(|v| v.name == sh.source).unwrap_or(0);
            let shadow = usize::from(sh.variant);
            ShadowSummary {
                name: sh.name.clone(),
                shadow_variant: r.variants[shadow].name.clone(),
                source_variant: sh.source.clone(),
                sampling_percentage: sh.sampling_percentage,
                start_s: sh.start.as_secs_f64(),
                end_s: sh.end.as_secs_f64().min(r.duration.as_secs_f64()),
                requests_copied: sh.copies,
                comparison: vec![side(source), side(shadow)],
            }
        }),
        serverless: r.serverless.as_ref().map(|s| {
            let x = &s.totals;
            ServerlessSummary {
                memory_size_in_mb: s.memory_size_in_mb,
                max_concurrency: s.max_concurrency,
                provisioned_concurrency: s.provisioned_concurrency,
                account_concurrency: s.account_concurrency,
                peak_concurrent_executions: x.peak_concurrent,
                provisioned_concurrency_invocations: x.pc_invocations,
                spillover_invocations: x.spillover,
                on_demand_invocations: x.on_demand_invocations,
                cold_starts: x.cold_starts,
                model_setup_time_ms: MeanMax {
                    mean: (x.cold_starts > 0).then(|| round(x.setup_sum_us as f64 / x.cold_starts as f64 / 1000.0, 3)),
                    max: (x.cold_starts > 0).then(|| round(x.setup_max_us as f64 / 1000.0, 3)),
                },
                throttled_max_concurrency: x.throttled_max_concurrency,
                throttled_account: x.throttled_account,
                on_demand_gb_s: round(x.on_demand_gb_s, 4),
                provisioned_inference_gb_s: round(x.pc_inference_gb_s, 4),
                provisioned_concurrency_gb_s: round(x.pc_provisioned_gb_s, 4),
                cost_usd: round(x.cost_usd, 6),
            }
        }),
        users: r.users.as_ref().map(|u| {
            let any = u.answered > 0;
            let q = |x: f64| any.then(|| round(u.latency.value_at_quantile(x) as f64 / 1000.0, 3));
            // Whole periods only: a shorter last period scaled to a minute would overstate it.
            let peak = r
                .points
                .iter()
                .filter(|p| p.length_us == r.period.0)
                .map(|p| {
                    (
                        p.variants.iter().map(|v| v.requests.invocations).sum::<u64>(),
                        p.start_us,
                    )
                })
                .fold(None, |best: Option<(u64, u64)>, x| match best {
                    Some(b) if b.0 >= x.0 => Some(b),
                    _ => Some(x),
                });
            let per_minute = 60_000_000.0 / r.period.0 as f64;
            UsersSummary {
                peak_users: u.peak_users,
                calls: u.answered,
                gave_up: u.gave_up,
                max_invocations_per_minute: peak.map(|(n, _)| round(n as f64 * per_minute, 3)),
                max_invocations_at_s: peak.map(|(_, at)| at as f64 / 1e6),
                stop_reason: u.stopped.map(|(r, _)| r.as_str()),
                stopped_at_s: u.stopped.map(|(_, at)| at.0 as f64 / 1e6),
                reached_max_invocations: u
                    .max_invocations
                    .map(|_| u.stopped.is_some_and(|(r, _)| r == StopReason::MaxInvocations)),
                client_latency_ms: ClientLatency {
                    mean: u.mean_latency_us().map(|m| round(m / 1000.0, 3)),
                    p50: q(0.5),
                    p99: q(0.99),
                    max: any.then(|| round(u.latency.max() as f64 / 1000.0, 3)),
                },
            }
        }),
        inference_components: r.components.as_ref().map(|c| ComponentsSummary {
            variant: c.variant.clone(),
            instance_type: c.instance_type.clone(),
            min_instance_count: c.min_instance_count,
            max_instance_count: c.max_instance_count,
            peak_instances: c.peak_instances,
            instance_hours: round(c.instance_hours, 4),
            cost_usd: c.cost_usd.map(|x| round(x, 4)),
            components: r
                .variants
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let series = || r.points.iter().filter_map(|p| p.variants.get(i));
                    let (sum, cnt) = series().fold((0.0, 0u64), |(s, n), x| {
                        (s + x.model_latency.sum, n + x.model_latency.sample_count)
                    });
                    let last = r.points.last().and_then(|p| p.variants.get(i));
                    ComponentSummary {
                        name: v.name.clone(),
                        invocations: series().map(|x| x.requests.invocations).sum(),
                        completed: series().map(|x| x.requests.completed).sum(),
                        no_capacity_invocation_failures: series().map(|x| x.requests.rejected_no_capacity).sum(),
                        copies_in_service_at_end: last.map_or(0, |x| x.instances.in_service),
                        peak_copies_in_service: series().map(|x| x.instances.in_service).max().unwrap_or(0),
                        desired_copies_at_end: last.map_or(0, |x| x.desired),
                        copy_hours: round(v.instance_hours, 4),
                        model_latency_mean_ms: (cnt > 0).then(|| round(sum / cnt as f64 / 1000.0, 3)),
                    }
                })
                .collect(),
        }),
        variants: r
            .variants
            .iter()
            .map(|v| VariantSummary {
                name: v.name.clone(),
                instance_type: v.instance_type.clone(),
                price_per_hour_usd: v.price_per_hour_usd,
                instance_hours: round(v.instance_hours, 4),
                cost_usd: v.cost_usd.map(|c| round(c, 4)),
            })
            .collect(),
    }
}
