//! What a run produces: closed metric periods, totals, activities and per-variant bills.
//! Reports are built from this alone, never from model internals.

use super::config::{EndpointKind, Slo};
use super::users::UserPoint;
use super::world::World;
use crate::engine::{SimDuration, SimTime};
use crate::model::metrics::{EndpointPoint, LatencyHistogram, ServerlessPoint, ServerlessTotals, Totals};
use crate::model::workload::{MinuteStats, StopReason};
use crate::model::{Activity, VariantId};

/// Per-variant outcome of a run.
#[derive(Clone, Debug)]
pub struct VariantResult {
    pub name: String,
    pub instance_type: String,
    pub price_per_hour_usd: Option<f64>,
    pub instance_hours: f64,
    pub cost_usd: Option<f64>,
}

/// The result of one run: totals, per-period points, activities, per-variant and deployment
/// results. [`crate::report::summary`] turns it into the figures of `summary.json`, and
/// [`crate::report::render_run`] into the output files' bytes.
#[derive(Debug)]
pub struct RunResult {
    /// The configuration's name.
    pub name: String,
    /// Real-time or asynchronous endpoint.
    pub kind: EndpointKind,
    /// The run seed.
    pub seed: u64,
    /// The wall-clock instant of simulated time zero: the scenario's `start_time`, or
    /// [`default_start_time`](super::default_start_time) when it sets none.
    pub start_time: chrono::DateTime<chrono::Utc>,
    /// Simulated duration.
    pub duration: SimDuration,
    /// Length of a metrics period.
    pub period: SimDuration,
    /// The latency percentiles every period reports (the scenario's and its alarms'), whether
    /// or not a period had a request to report them on.
    pub percentiles: Vec<f64>,
    /// One point per metrics period (the rows of `timeseries.csv`).
    pub points: Vec<EndpointPoint>,
    /// Every request's outcome, counted.
    pub totals: Totals,
    /// Scaling activities, deployment steps and lifecycle milestones (`activities.csv`).
    pub activities: Vec<Activity>,
    /// Per variant: instance-hours, cost, latency.
    pub variants: Vec<VariantResult>,
    /// Requests holding a slot or waiting when the run ended.
    pub in_flight_at_end: u64,
    /// Events processed (arrivals included).
    pub events: u64,
    /// One entry per configured deployment, in file order.
    pub deployments: Vec<super::DeploymentResult>,
    /// `(variant name, configuration name)` of each configuration series (the order of
    /// `EndpointPoint::configs`).
    pub configs: Vec<(String, String)>,
    /// Endpoint and variant status changes caused by deployments, in time order.
    pub statuses: Vec<super::StatusChange>,
    /// The shadow test, if any; its variant is `variants[shadow.variant]`.
    pub shadow: Option<ShadowResult>,
    /// The scenario's latency objective, if any.
    pub slo: Option<Slo>,
    /// A serverless endpoint's metrics, totals and bill.
    pub serverless: Option<ServerlessResult>,
    /// The host pool of an endpoint with inference components; `variants` and the points'
    /// variant series are then the components (copies for instances).
    pub components: Option<ComponentsResult>,
    /// The closed-loop users of a load test, as the load generator saw them.
    pub users: Option<UsersResult>,
}

/// What a load test's users saw.
#[derive(Clone, Debug)]
pub struct UsersResult {
    /// Per metrics period: users at its end, calls answered and given up in it.
    pub points: Vec<UserPoint>,
    /// Most users at once.
    pub peak_users: u32,
    /// Calls answered (responses and give-ups).
    pub answered: u64,
    /// Calls given up (no answer within the invocation timeout).
    pub gave_up: u64,
    /// Client-side latency of answered calls, send to answer seen \[µs\].
    pub latency: LatencyHistogram,
    pub latency_sum_us: u128,
    /// The stopping condition that ended the test, and when (`None`: none held).
    pub stopped: Option<(StopReason, SimTime)>,
    /// The test's `MaxInvocations` stopping condition, if it has one.
    pub max_invocations: Option<u64>,
    /// With stopping conditions: the test's minutes as they saw them, from its first up to the
    /// one that stopped it (empty without conditions).
    pub minutes: Vec<MinuteStats>,
}

impl UsersResult {
    /// Mean client-side latency \[µs\], if any call was answered.
    pub fn mean_latency_us(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.latency_sum_us as f64 / self.answered as f64)
    }
}

/// The instances of an endpoint that hosts inference components.
#[derive(Clone, Debug)]
pub struct ComponentsResult {
    /// `VariantName` of the hosting variant.
    pub variant: String,
    pub instance_type: String,
    pub price_per_hour_usd: Option<f64>,
    pub min_instance_count: u32,
    pub max_instance_count: u32,
    /// Most instances alive at once.
    pub peak_instances: u32,
    pub instance_hours: f64,
    pub cost_usd: Option<f64>,
    /// One per metrics period, aligned with `RunResult::points`.
    pub points: Vec<super::HostPoint>,
}

/// What a serverless endpoint did: its configuration's key figures, the per-period points
/// (same order as `points`) and the run totals, bill included.
#[derive(Clone, Debug)]
pub struct ServerlessResult {
    pub memory_size_in_mb: u32,
    pub max_concurrency: u32,
    pub provisioned_concurrency: Option<u32>,
    pub account_concurrency: u32,
    pub points: Vec<ServerlessPoint>,
    pub totals: ServerlessTotals,
}

/// A shadow test's facts; the shadow variant's own series hold what its copies did.
#[derive(Clone, Debug)]
pub struct ShadowResult {
    pub name: String,
    /// The shadow variant (the last of `RunResult::variants`).
    pub variant: VariantId,
    pub source: String,
    pub sampling_percentage: u32,
    pub start: crate::engine::SimTime,
    pub end: crate::engine::SimTime,
    /// Requests copied to the shadow variant.
    pub copies: u64,
}

impl RunResult {
    pub(super) fn from_world(mut w: World) -> Self {
        w.deployment_snapshot();
        let (deployments, statuses) = std::mem::take(&mut w.deploy).into_parts();
        let configs = w
            .config_series
            .iter()
            .map(|(v, n)| (w.variants[*v].name.clone(), n.clone()))
            .collect();
        let now = w.now;
        let variants: Vec<VariantResult> = w
            .variants
            .iter()
            .map(|v| VariantResult {
                name: v.name.clone(),
                instance_type: v.instance.name.clone(),
                price_per_hour_usd: v.instance.price_per_hour_usd,
                instance_hours: w.metrics.instance_hours(v.id, now),
                cost_usd: w.metrics.cost_usd(v.id, now),
            })
            .collect();
        let components = w.hosting.components().map(|hosts| {
            let hours = hosts.billing.instance_hours(now);
            ComponentsResult {
                variant: hosts.cfg.variant.clone(),
                instance_type: hosts.cfg.instance.name.clone(),
                price_per_hour_usd: hosts.cfg.instance.price_per_hour_usd,
                min_instance_count: hosts.cfg.min_instance_count,
                max_instance_count: hosts.cfg.max_instance_count,
                peak_instances: hosts.billing.peak,
                instance_hours: hours,
                cost_usd: hosts.cfg.instance.price_per_hour_usd.map(|p| p * hours),
                points: hosts.billing.points.clone(),
            }
        });
        let shadow = w.config.shadow.as_ref().map(|s| s.variant);
        let in_flight_at_end = w
            .fleets
            .iter()
            .filter(|f| Some(f.variant) != shadow)
            .map(|f| u64::from(f.busy) + f.backlog.len() as u64)
            .sum::<u64>()
            + w.serverless_in_flight();
        let shadow_test = w.config.shadow.as_ref().map(|s| ShadowResult {
            name: s.name.clone(),
            variant: s.variant,
            source: w.variants[s.source].name.clone(),
            sampling_percentage: s.sampling_percentage,
            start: s.start,
            end: s.end,
            copies: w.shadow_copies,
        });
        let period = w.metrics.config().period;
        let serverless = w
            .metrics
            .take_serverless()
            .zip(w.config.endpoint.serverless.as_ref())
            .map(|(m, cfg)| {
                let (points, totals) = m.into_parts();
                ServerlessResult {
                    memory_size_in_mb: cfg.memory_size_in_mb,
                    max_concurrency: cfg.max_concurrency,
                    provisioned_concurrency: cfg.provisioned_concurrency,
                    account_concurrency: cfg.account_concurrency,
                    points,
                    totals,
                }
            });
        let mut variants = variants;
        if let (Some(s), Some(v)) = (&serverless, variants.first_mut()) {
            // A serverless variant is billed per GB-second, not per instance-hour.
            v.cost_usd = Some(s.totals.cost_usd);
        }
        let users = w.users.map(|mut u| {
            let (answered, gave_up, latency_sum_us) = u.totals();
            UsersResult {
                latency: u.take_run_latency(),
                peak_users: u.peak,
                answered,
                gave_up,
                latency_sum_us,
                stopped: u.stopped,
                max_invocations: u.max_invocations(),
                minutes: u.minutes,
                points: u.points,
            }
        });
        let (points, totals) = w.metrics.into_points();
        RunResult {
            percentiles: w.config.metrics.percentiles.clone(),
            slo: w.config.slo,
            kind: w.config.endpoint.kind,
            name: w.config.name,
            seed: w.config.seed,
            start_time: w.config.start_time,
            duration: w.config.duration,
            period,
            points,
            totals,
            activities: w.activities,
            variants,
            in_flight_at_end,
            events: w.events,
            deployments,
            statuses,
            shadow: shadow_test,
            configs,
            serverless,
            components,
            users,
        }
    }

    /// Total cost, or `None` if any variant's price is unknown.
    pub fn cost_usd(&self) -> Option<f64> {
        if let Some(c) = &self.components {
            // Instances are billed, copies are not.
            return c.cost_usd;
        }
        self.variants.iter().map(|v| v.cost_usd).sum()
    }

    pub fn instance_hours(&self) -> f64 {
        if let Some(c) = &self.components {
            return c.instance_hours;
        }
        self.variants.iter().map(|v| v.instance_hours).sum()
    }

    /// Number of requests that left the system one way or another.
    pub fn accounted(&self) -> u64 {
        let t = &self.totals;
        t.completed
            + t.errors_4xx
            + t.errors_5xx
            + t.timed_out
            + t.rejected_backlog_full
            + t.rejected_no_capacity
            + t.throttled
    }
}
