//! The reference benchmark scenario: one warm real-time variant under steady Poisson traffic,
//! with metrics, a target tracking policy and a rollout in progress most of the run.
//!
//! It is the workload `fleetsim bench` and `benches/throughput.rs` time. It stays close to the
//! quickstart scenario (ml.c5.xlarge, log-normal service, four slots per instance) so the numbers
//! describe an ordinary run, not a best case. The performance budget asks for metrics,
//! autoscaling and a rollout, so all three are on: see [`reference_deployment`].

use crate::autoscaling::alarm::Statistic;
use crate::autoscaling::cooldown::CooldownStart;
use crate::autoscaling::target_tracking::TargetTrackingConfig;
use crate::deployment::{BlueGreen, CapacitySize, DeploymentPolicy, Guardrails, TrafficRouting};
use crate::engine::SimDuration;
use crate::model::metrics::{MetricName, MetricsConfig};
use crate::model::workload::{ArrivalProcess, RateShape, SpawnMode, TrafficPattern, UserTest, Workload};
use crate::model::{catalog, DurationDist, ModelVersion, Routing, VariantId};
use crate::sim::{
    DeploymentConfig, DeploymentFailures, EndpointConfig, EndpointKind, LaunchConfig, PolicyConfig, SimConfig,
    StartState, TargetConfig, VariantConfig,
};

/// Worker slots per instance in the reference scenario.
pub const REFERENCE_CONCURRENCY: u32 = 4;

/// Slot utilisation the instance count is sized for: busy enough that requests queue now and
/// then (the backlog path runs), idle enough that the backlog never fills.
pub const TARGET_UTILISATION: f64 = 0.65;

/// Service time of the reference model: log-normal, 40 ms median, 120 ms p99 (mean ~44.7 ms).
pub fn reference_service_time() -> DurationDist {
    DurationDist::lognormal(SimDuration::from_millis(40), SimDuration::from_millis(120))
}

/// Instances needed to keep the slots at no more than [`TARGET_UTILISATION`] at `rps`
/// (at least one). Rounding up keeps utilisation within 60-65 % once seven or more instances are
/// needed; at low rates one instance is already mostly idle.
pub fn reference_instances(rps: f64) -> u32 {
    let erlangs = rps * reference_service_time().mean_micros() / 1e6;
    let n = (erlangs / (TARGET_UTILISATION * f64::from(REFERENCE_CONCURRENCY))).ceil();
    // `as` saturates, so absurd rates give u32::MAX instead of wrapping.
    (n as u32).max(1)
}

/// Where the steady load sits between the target tracking policy's thresholds: the invocations
/// per instance the sized fleet sees are this fraction of the target, so the high alarm (above
/// 1.0) and the low alarm (below the default 0.9) both stay quiet and the instance count holds.
pub const TARGET_TRACKING_LOAD: f64 = 0.95;

/// Target value [invocations per instance per minute] of the reference policy at `rps`: the
/// sized fleet's load divided by [`TARGET_TRACKING_LOAD`].
pub fn reference_target_value(rps: f64) -> f64 {
    rps * 60.0 / f64::from(reference_instances(rps)) / TARGET_TRACKING_LOAD
}

/// The reference scalable target: the variant between 1 and twice its sized count, one target
/// tracking policy on `SageMakerVariantInvocationsPerInstance` (Sum over 60 s, AWS default
/// alarms: 3 of 3 above target, 15 of 15 below 90 %), cooldowns 300 s.
///
/// Autoscaling runs for real (the alarms are evaluated on every sampling tick) but, as the load
/// is steady and sits at [`TARGET_TRACKING_LOAD`] of the target, it decides to hold: the
/// instance count stays the one the baseline is given, so both simulate the same M/M/c queue.
pub fn reference_target(rps: f64) -> TargetConfig {
    let n = reference_instances(rps);
    TargetConfig {
        variant: VariantId(0),
        min: 1,
        max: n.saturating_mul(2),
        dynamic_in_suspended: false,
        dynamic_out_suspended: false,
        scheduled_suspended: false,
        policies: vec![PolicyConfig::TargetTracking {
            name: "invocations-per-instance".into(),
            metric: MetricName::InvocationsPerInstance,
            statistic: Statistic::Sum,
            config: TargetTrackingConfig::new(reference_target_value(rps)),
            high_period: SimDuration::from_secs(60),
            low_period: SimDuration::from_secs(60),
        }],
        scheduled: Vec::new(),
        cooldown_start: CooldownStart::default(),
    }
}

/// The reference rollout: a LINEAR blue/green deployment (10 % steps) of the same model,
/// called at 5 % of the run, whose bakes (one per step: ten, or fewer when 10 % of the fleet
/// rounds up to more than one step's share) span up to 80 % of it (each at most 3600 s, the
/// API's limit): for most of the run two fleets split the traffic, every request is recorded
/// for its variant and its configuration, and the deployment's timers run. The active instance
/// count stays the sized one, so the baseline still simulates the same number of requests.
pub fn reference_deployment(rps: f64, duration_s: u64) -> DeploymentConfig {
    let bake = (duration_s * 8 / 100).min(3600);
    DeploymentConfig {
        name: "config-2".into(),
        at: crate::engine::SimTime(SimDuration::from_secs(duration_s).0 / 20),
        variant: VariantId(0),
        model: reference_model(),
        launch: reference_launch(),
        initial_instance_count: reference_instances(rps),
        retain_all_variant_properties: false,
        policy: DeploymentPolicy::BlueGreen(BlueGreen {
            routing: TrafficRouting::Linear {
                step: CapacitySize::CapacityPercent(10.0),
            },
            wait_s: bake,
            final_bake_s: bake,
            termination_wait_s: 0,
        }),
        guard: Guardrails::default(),
        alarms: Vec::new(),
        alarm_poll_interval: SimDuration::ZERO,
        failures: DeploymentFailures::default(),
    }
}

fn reference_model() -> ModelVersion {
    ModelVersion {
        label: "v1".into(),
        service_time: reference_service_time(),
        error_rate: 0.001,
        client_error_rate: 0.0,
        overhead: SimDuration::from_millis(2),
        load_slowdown: 0.0,
    }
}

/// The scenario-file defaults (used by the rollout's green fleet, and if the policy ever
/// scales out).
fn reference_launch() -> LaunchConfig {
    LaunchConfig {
        pending: DurationDist::Constant(SimDuration::ZERO),
        provision: DurationDist::Constant(SimDuration::from_secs(180)),
        load: DurationDist::Constant(SimDuration::from_secs(60)),
    }
}

/// The reference scenario at `rps` requests per second for `duration_s` simulated seconds.
///
/// One warm variant of ml.c5.xlarge with four slots per instance, least-outstanding-requests
/// routing, log-normal service (40 ms median, 120 ms p99), 0.1 % server errors, 2 ms front-end
/// overhead, Poisson arrivals at a constant rate (so the request count is about
/// `rps * duration_s` and the utilisation is the same all run), the default backlog (1000
/// requests, 60 s timeout), default metrics, the target tracking policy of
/// [`reference_target`] and the rollout of [`reference_deployment`].
pub fn reference_config(rps: f64, duration_s: u64, seed: u64) -> SimConfig {
    reference_config_with(rps, duration_s, seed, Controllers::Full)
}

/// Which controllers the reference scenario runs, so their cost can be read off against the
/// same scenario without them (metrics are always on).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Controllers {
    /// Target tracking autoscaling and the rollout: the design budget's case.
    #[default]
    Full,
    /// Target tracking autoscaling, no rollout.
    Autoscaling,
    /// Neither: the endpoint model and its metrics alone.
    None,
}

/// Where the reference scenario's requests come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Load {
    /// Poisson arrivals at the given rate.
    #[default]
    Open,
    /// Closed-loop users with no think time, as a load test's users, as many as send about the
    /// given rate (see [`reference_users`]).
    Users,
}

/// The client's round trip of a reference user.
pub const REFERENCE_ROUND_TRIP: SimDuration = SimDuration(1_000);

/// Users that send about `rps` requests per second with no think time: by Little's law,
/// `rps x (response time + round trip)`, with the response time taken as the model's mean
/// service time (the reference endpoint rarely queues). 500 requests per second take 23, in
/// line with a load test's 15-20 users reaching 500 TPS on a faster model.
pub fn reference_users(rps: f64) -> u32 {
    let cycle_s = (reference_service_time().mean_micros() + REFERENCE_ROUND_TRIP.0 as f64) / 1e6;
    (rps * cycle_s).round().max(1.0) as u32
}

/// The closed-loop reference workload: [`reference_users`] users for the whole run (one
/// phase per hour, all of the same size).
fn users_workload(rps: f64, duration_s: u64) -> Workload {
    Workload::Users {
        test: UserTest {
            pattern: TrafficPattern::constant(reference_users(rps), SimDuration::from_secs(duration_s)),
            spawn_mode: SpawnMode::MinuteBatches,
            start: crate::engine::SimTime::ZERO,
            think_time: DurationDist::Constant(SimDuration::ZERO),
            round_trip: REFERENCE_ROUND_TRIP,
            stopping: None,
        },
        background: None,
    }
}

/// [`reference_config`] with only the given controllers.
pub fn reference_config_with(rps: f64, duration_s: u64, seed: u64, controllers: Controllers) -> SimConfig {
    reference_config_loaded(rps, duration_s, seed, controllers, Load::Open)
}

/// [`reference_config_with`] under the given load.
pub fn reference_config_loaded(
    rps: f64,
    duration_s: u64,
    seed: u64,
    controllers: Controllers,
    load: Load,
) -> SimConfig {
    let targets = match controllers {
        Controllers::Full | Controllers::Autoscaling => vec![reference_target(rps)],
        Controllers::None => Vec::new(),
    };
    let deployments = match controllers {
        Controllers::Full => vec![reference_deployment(rps, duration_s)],
        Controllers::Autoscaling | Controllers::None => Vec::new(),
    };
    SimConfig {
        name: "bench-reference".into(),
        seed,
        duration: SimDuration::from_secs(duration_s),
        endpoint: EndpointConfig {
            kind: EndpointKind::RealTime,
            processing_timeout: None,
            routing: Routing::LeastOutstandingRequests,
            variants: vec![VariantConfig {
                name: "blue".into(),
                instance: catalog::builtin("ml.c5.xlarge").expect("ml.c5.xlarge is a built-in type"),
                initial_instance_count: reference_instances(rps),
                initial_weight: 1.0,
                concurrency: REFERENCE_CONCURRENCY,
                model: reference_model(),
                launch: reference_launch(),
            }],
            backlog_capacity: 1000,
            invocation_timeout: SimDuration::from_secs(60),
            start: StartState::Warm,
            capacity_updates: vec![],
            config_name: "config-1".into(),
            serverless: None,
            components: None,
        },
        workload: match load {
            Load::Open => Workload::Open {
                arrivals: ArrivalProcess::Poisson,
                rate: RateShape::Constant(rps),
            },
            Load::Users => users_workload(rps, duration_s),
        },
        metrics: MetricsConfig::default(),
        start_time: crate::sim::default_start_time(),
        publication_delay: crate::engine::SimDuration::ZERO,
        alarms: Vec::new(),
        targets,
        deployments,
        shadow: None,
        slo: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::run;

    #[test]
    fn sizing_lands_near_target_utilisation() {
        for rps in [500.0, 1000.0, 2000.0, 10_000.0] {
            let n = reference_instances(rps);
            let util = rps * reference_service_time().mean_micros() / 1e6 / f64::from(n * REFERENCE_CONCURRENCY);
            assert!(
                (0.57..=TARGET_UTILISATION + 1e-9).contains(&util),
                "{rps} rps: {n} instances, {util}"
            );
        }
        assert_eq!(reference_instances(500.0), 9);
        assert_eq!(reference_instances(0.1), 1);
    }

    #[test]
    fn reference_run_accounts_for_every_arrival() {
        let r = run(reference_config(500.0, 120, 3));
        let t = &r.totals;
        assert_eq!(t.arrived, r.accounted() + r.in_flight_at_end);
        // 60,000 expected arrivals, sd ~245: 5 sd is 2 % of the mean.
        assert!((t.arrived as f64 / 60_000.0 - 1.0).abs() < 0.021, "{}", t.arrived);
        // At ~62 % utilisation nothing should time out or be turned away.
        assert_eq!(t.timed_out + t.rejected_backlog_full + t.rejected_no_capacity, 0);
        // 0.1 % server errors: ~60 expected; 0 or a flood would mean the outcome draw is off.
        assert!(t.errors_5xx > 20 && t.errors_5xx < 120, "{}", t.errors_5xx);
        assert_eq!(r.points.len(), 2);
    }

    #[test]
    fn reference_autoscaling_evaluates_and_holds() {
        let r = run(reference_config(500.0, 1800, 3));
        let t = &r.totals;
        assert_eq!(t.arrived, r.accounted() + r.in_flight_at_end);
        // The policy is live: its alarms leave INSUFFICIENT_DATA and are recorded as activities.
        assert!(!r.activities.is_empty(), "no autoscaling activity recorded");
        // ... and holds the sized count: no scaling activity changes the capacity.
        assert!(
            r.points.iter().all(|p| p.variants[0].desired == 9),
            "desired moved: {:?}",
            r.points.iter().map(|p| p.variants[0].desired).collect::<Vec<_>>()
        );
        assert_eq!((t.min_in_service, t.max_in_service), (9, 9));
    }

    #[test]
    fn reference_rollout_runs_through_most_of_the_run() {
        let r = run(reference_config(500.0, 3600, 5));
        let d = &r.deployments[0];
        assert_eq!(d.outcome.name(), "Succeeded");
        // Called at 180 s; green boots 240 s; 10 % of 9 instances rounds up to one instance per
        // step, so nine bakes of 288 s: done at 3012 s.
        assert_eq!(
            (d.started.0 / 1_000_000, d.finished.map(|f| f.0 / 1_000_000)),
            (180, Some(3012))
        );
        assert!(d.requests_served_by_new_version > 500 * 1000);
    }

    #[test]
    fn controllers_switch_policy_and_rollout() {
        let count = |c| {
            let cfg = reference_config_with(500.0, 3600, 1, c);
            (cfg.targets.len(), cfg.deployments.len())
        };
        assert_eq!(count(Controllers::Full), (1, 1));
        assert_eq!(count(Controllers::Autoscaling), (1, 0));
        assert_eq!(count(Controllers::None), (0, 0));
        // Same requests either way: the arrival stream does not depend on the controllers.
        let a = run(reference_config_with(500.0, 120, 1, Controllers::None));
        let b = run(reference_config_with(500.0, 120, 1, Controllers::Full));
        assert_eq!(a.totals.arrived, b.totals.arrived);
    }
}
