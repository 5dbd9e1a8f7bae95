//! `SimConfig`: plain, validated data that fully describes a run. A Rust user can build one in
//! code and call [`crate::sim::run`] without any file.

use super::deployment_config::DeploymentConfig;
use super::scaling_config::{AlarmConfig, TargetConfig};
use crate::engine::{SimDuration, SimTime};
use crate::model::metrics::MetricsConfig;
use crate::model::workload::Workload;
use crate::model::{DurationDist, InstanceSpec, ModelVersion, Routing, VariantId};
use chrono::{DateTime, Utc};

/// Everything a run needs: plain data, and a run is a pure function of it ([`crate::sim::run`]).
///
/// A scenario file becomes one through [`crate::scenario::load`] (or [`crate::scenario::validate`]),
/// which checks every bound and names the field of anything out of range. Built in code (see
/// `examples/mmc.rs`), it is taken as given: keep values within the ranges
/// `scenarios/README.md` lists.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// The scenario's name (`summary.json`'s `scenario`, the default output folder).
    pub name: String,
    /// The run seed; every random stream is derived from it and the stream's name.
    pub seed: u64,
    /// Simulated duration; arrivals stop and the last period closes here.
    pub duration: SimDuration,
    /// The endpoint: kind, variants, routing, backlog, capacity updates.
    pub endpoint: EndpointConfig,
    /// Where requests come from: open-loop arrivals, a trace, or closed-loop users.
    pub workload: Workload,
    /// The CloudWatch-style metrics: period, sampling tick, percentiles reported.
    pub metrics: MetricsConfig,
    /// The wall-clock instant of simulated time zero (schedules are evaluated against it).
    pub start_time: DateTime<Utc>,
    /// Delay between the end of a metric period and its datapoint reaching alarms; a multiple
    /// of the sampling tick.
    pub publication_delay: SimDuration,
    /// CloudWatch alarms defined by the scenario (step policies and deployments refer to them).
    pub alarms: Vec<AlarmConfig>,
    /// Scalable targets (at most one per variant).
    pub targets: Vec<TargetConfig>,
    /// `UpdateEndpoint` calls, in time order.
    pub deployments: Vec<DeploymentConfig>,
    /// A shadow test: its variant is the last of `endpoint.variants`.
    pub shadow: Option<ShadowConfig>,
    /// Latency objective the run is judged against (reported, drawn on the latency plot).
    pub slo: Option<Slo>,
}

/// A latency service-level objective: the run's end-to-end `percentile` latency over
/// completed requests must not exceed `latency`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slo {
    /// Percentile in (0, 100), e.g. `99.0`.
    pub percentile: f64,
    /// Upper limit of that percentile.
    pub latency: SimDuration,
}

/// How production requests are picked for copying to the shadow variant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ShadowSampling {
    /// A copy each time the running sum of the percentage crosses 100 \[assumption\].
    #[default]
    Deterministic,
    /// Each request independently, from the `shadow` random stream.
    Bernoulli,
}

/// A shadow test (docs/semantics/rollouts.md §7): a copy of `sampling_percentage` % of the requests of the
/// production variant `source` goes to the shadow variant, whose answers are discarded.
#[derive(Clone, Debug)]
pub struct ShadowConfig {
    pub name: String,
    /// Index of the shadow variant in `endpoint.variants` (the last one).
    pub variant: VariantId,
    /// The production variant whose requests are copied.
    pub source: VariantId,
    pub sampling_percentage: u32,
    pub sampling: ShadowSampling,
    /// The test runs in `[start, end)`; the shadow's instances are requested at `start` and
    /// removed at `end`, when the endpoint returns to its pre-test state.
    pub start: SimTime,
    pub end: SimTime,
}

/// Monday 2024-01-01 00:00 UTC: the default wall-clock start, so weekday schedules mean
/// something.
pub fn default_start_time() -> DateTime<Utc> {
    DateTime::from_timestamp(1_704_067_200, 0).expect("valid timestamp")
}

/// Whether the initial instances are already serving at time zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartState {
    /// The endpoint exists and its initial instances are in service at time zero.
    Warm,
    /// The initial instances are requested at time zero and go through launch and load.
    Cold,
}

/// What kind of SageMaker endpoint is simulated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EndpointKind {
    /// Real-time: a bounded backlog, an invocation timeout on waiting, rejection when no
    /// instance is in service.
    #[default]
    RealTime,
    /// Asynchronous: a durable, unbounded queue; requests wait for capacity (also at zero
    /// instances) until their time-to-live runs out (`ExpiredRequests`).
    Async,
    /// Serverless: a pool of single-request containers and provisioned concurrency
    /// (`EndpointConfig::serverless`); no instances, no backlog.
    Serverless,
}

/// An endpoint: its variants and how requests wait for a slot.
#[derive(Clone, Debug)]
pub struct EndpointConfig {
    pub kind: EndpointKind,
    pub routing: Routing,
    pub variants: Vec<VariantConfig>,
    /// Most requests that may wait for a slot, over the whole endpoint (for the durable queue
    /// of an asynchronous endpoint, the most it holds in memory: `scenario::limits::MAX_BACKLOG`
    /// from a scenario file).
    pub backlog_capacity: u64,
    /// A waiting request fails once it has waited this long: the real-time invocation
    /// timeout, or the request time-to-live of an asynchronous endpoint.
    pub invocation_timeout: SimDuration,
    /// Asynchronous endpoints: longest processing of one request; a request still in the
    /// container then ends as a failure and frees its slot. `None` for real-time endpoints.
    pub processing_timeout: Option<SimDuration>,
    pub start: StartState,
    /// Out-of-band `UpdateEndpointWeightsAndCapacities` calls at fixed times.
    pub capacity_updates: Vec<CapacityUpdate>,
    /// `EndpointConfigName` of the configuration the endpoint starts with.
    pub config_name: String,
    /// The serverless configuration (`kind` is `Serverless`); its one variant is
    /// `variants[0]`, whose desired count is the provisioned concurrency.
    pub serverless: Option<super::serverless_config::ServerlessConfig>,
    /// Inference components: when set, `variants` are the components (a copy is one of their
    /// "instances") and the physical instances are the host pool described here.
    pub components: Option<ComponentsConfig>,
}

impl EndpointConfig {
    /// The ids of the variants, in configuration order (a variant's id is its position).
    pub fn variant_ids(&self) -> impl Iterator<Item = VariantId> {
        (0..self.variants.len()).map(VariantId::from)
    }

    /// The configuration of variant `v`.
    pub fn variant(&self, v: VariantId) -> &VariantConfig {
        &self.variants[usize::from(v)]
    }
}

/// The production variant of an endpoint that hosts inference components: its instance type
/// and `ManagedInstanceScaling`, and what each component's copy needs (by index of
/// `EndpointConfig::variants`).
#[derive(Clone, Debug)]
pub struct ComponentsConfig {
    /// `VariantName` of the hosting variant (activity rows of its instances).
    pub variant: String,
    pub instance: InstanceSpec,
    /// `InitialInstanceCount`.
    pub initial_instance_count: u32,
    /// `ManagedInstanceScaling.MinInstanceCount` (0 lets the endpoint scale to zero).
    pub min_instance_count: u32,
    /// `ManagedInstanceScaling.MaxInstanceCount`.
    pub max_instance_count: u32,
    /// Boot phases of a host: it can take copies once `pending`, `provision` and `load`
    /// (instance set-up) have passed. Copies load their model after that (`VariantConfig::launch.load`).
    pub launch: LaunchConfig,
    /// Resources of one host, from the instance catalog.
    pub capacity: crate::model::Resources,
    /// `ComputeResourceRequirements` of one copy of each component.
    pub requirements: typed_index_collections::TiVec<crate::model::VariantId, crate::model::Resources>,
}

/// One production variant.
#[derive(Clone, Debug)]
pub struct VariantConfig {
    pub name: String,
    pub instance: InstanceSpec,
    pub initial_instance_count: u32,
    pub initial_weight: f64,
    /// Worker slots per instance.
    pub concurrency: u32,
    pub model: ModelVersion,
    pub launch: LaunchConfig,
}

/// Durations of the boot phases of a new instance.
#[derive(Clone, Debug)]
pub struct LaunchConfig {
    /// `Pending`: from the capacity request until provisioning starts.
    pub pending: DurationDist,
    /// `Provisioning`: hardware launch.
    pub provision: DurationDist,
    /// `Loading`: container start and model load.
    pub load: DurationDist,
}

/// Sets a variant's desired instance count at a given time.
#[derive(Clone, Debug, PartialEq)]
pub struct CapacityUpdate {
    pub at: SimTime,
    pub variant: VariantId,
    pub desired: u32,
}
