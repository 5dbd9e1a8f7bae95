//! The scenario file, mirrored field by field as serde types (`deny_unknown_fields`).
//!
//! These types only describe what a file may say; `validate` turns them into a `SimConfig` and
//! is where ranges are checked. Field names follow the AWS names in snake_case where one exists.
//! `scenarios/README.md` is the reference for every field.

pub use super::deployment::Deployment;
use super::duration::Duration;
pub use super::scaling::{Alarm, ScalableTarget};
use serde::{Deserialize, Serialize};

fn one() -> u64 {
    1
}
fn one_f() -> f64 {
    1.0
}
fn one_u32() -> u32 {
    1
}

/// Names of the structs a file may write before `(`; RON allows them, and `--set` values use
/// this list to tell `Step(at: ..)` (a struct) from `Ramp(from_rps: ..)` (an enum variant).
pub const STRUCT_NAMES: &[&str] = &[
    "Scenario",
    "InstanceType",
    "Backlog",
    "Variant",
    "Model",
    "Launch",
    "CapacityUpdate",
    "Step",
    "Metrics",
    "Alarm",
    "ScalableTarget",
    "SuspendedState",
    "ManagedAlarms",
    "StepAdjustment",
    "ScheduledAction",
    "Deployment",
    "Guardrails",
    "Failures",
    "ShadowTest",
    "Slo",
    "ManagedInstanceScaling",
    "InferenceComponent",
    "ComputeResourceRequirements",
];

/// A whole scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Names the output directory: letters, digits, `-`, `_`, `.`.
    pub name: String,
    #[serde(default = "one")]
    pub seed: u64,
    pub duration: Duration,
    /// Extra or overriding instance types (prices, vCPUs) on top of the built-in catalog.
    #[serde(default)]
    pub instance_types: Vec<InstanceType>,
    pub endpoint: Endpoint,
    pub workload: Workload,
    #[serde(default)]
    pub metrics: Metrics,
    /// Wall-clock instant of simulated time zero (RFC 3339); default Monday
    /// 2024-01-01T00:00:00Z so that weekday schedules mean something.
    #[serde(default)]
    pub start_time: Option<String>,
    /// CloudWatch alarms (step policies refer to them by name).
    #[serde(default)]
    pub alarms: Vec<Alarm>,
    /// Scalable targets: Application Auto Scaling of variants.
    #[serde(default)]
    pub autoscaling: Vec<ScalableTarget>,
    /// `UpdateEndpoint` calls (deployments of new model versions), in time order.
    #[serde(default)]
    pub deployments: Vec<Deployment>,
    /// A shadow test: a shadow variant receiving copies of production requests.
    #[serde(default)]
    pub shadow_test: Option<super::deployment::ShadowTest>,
    /// Latency objective: reported in `summary.json` and drawn on the latency plot.
    #[serde(default)]
    pub slo: Option<Slo>,
    /// What the run must show, judged by `fleetsim check` and `fleetsim run --check`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expect: Vec<super::expect::Expect>,
}

/// `Slo(percentile: 99.0, latency: "250ms")`: the run's end-to-end `percentile` latency must
/// not exceed `latency`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slo {
    pub percentile: f64,
    pub latency: Duration,
}

/// An instance type entry: overrides the catalog's figures for `name`, or adds a new type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceType {
    pub name: String,
    #[serde(default)]
    pub vcpus: Option<u32>,
    #[serde(default)]
    pub memory_gib: Option<f64>,
    #[serde(default)]
    pub gpus: Option<u32>,
    #[serde(default)]
    pub gpu_memory_gib: Option<f64>,
    /// On-demand price of one instance-hour \[USD\].
    #[serde(default)]
    pub price_per_hour: Option<f64>,
    /// Account quota "`<type>` for endpoint usage" \[instances\]; a scale-out beyond it fails.
    #[serde(default)]
    pub endpoint_quota: Option<u32>,
}

/// The endpoint: real-time or asynchronous.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Endpoint {
    RealTime {
        #[serde(default)]
        routing: Routing,
        variants: Vec<Variant>,
        #[serde(default)]
        backlog: Backlog,
        #[serde(default)]
        start: Start,
        /// `UpdateEndpointWeightsAndCapacities` calls at fixed times.
        #[serde(default)]
        capacity_updates: Vec<CapacityUpdate>,
        /// `EndpointConfigName` of the configuration the endpoint starts with.
        #[serde(default = "default_config_name")]
        endpoint_config_name: String,
    },
    /// An asynchronous endpoint (`AsyncInferenceConfig`): requests wait in a durable queue,
    /// also while no instance is in service, and variants may scale to zero.
    Async {
        #[serde(default)]
        routing: Routing,
        variants: Vec<Variant>,
        /// `ClientConfig.MaxConcurrentInvocationsPerInstance`: requests one instance processes
        /// at once; when omitted, each variant's `concurrency`.
        #[serde(default)]
        max_concurrent_invocations_per_instance: Option<u32>,
        /// `RequestTTLSeconds`: a request still queued after this long expires
        /// (`ExpiredRequests`).
        #[serde(default = "default_request_ttl")]
        request_ttl: Duration,
        /// `InvocationTimeoutSeconds`: a request still processing after this long fails.
        #[serde(default = "default_async_invocation_timeout")]
        invocation_timeout: Duration,
        #[serde(default)]
        start: Start,
        /// `UpdateEndpointWeightsAndCapacities` calls at fixed times.
        #[serde(default)]
        capacity_updates: Vec<CapacityUpdate>,
        /// `EndpointConfigName` of the configuration the endpoint starts with.
        #[serde(default = "default_config_name")]
        endpoint_config_name: String,
    },
    /// A serverless endpoint (`ProductionVariantServerlessConfig`): one variant, a pool of
    /// single-request containers that cold-start, optional provisioned concurrency.
    /// Defaults marked \[assumption\] are documented in `scenarios/README.md`.
    Serverless {
        /// `VariantName` of the one production variant.
        #[serde(default = "default_serverless_variant")]
        variant_name: String,
        /// `MemorySizeInMB`: 1024, 2048, 3072, 4096, 5120 or 6144.
        memory_size_in_mb: u32,
        /// `MaxConcurrency`: 1 to 200.
        max_concurrency: u32,
        /// `ProvisionedConcurrency`: 1 to `max_concurrency`; `None` = on demand only.
        #[serde(default)]
        provisioned_concurrency: Option<u32>,
        model: Model,
        /// Duration of a cold start (`ModelSetupTime`) \[assumption\].
        #[serde(default = "default_cold_start")]
        cold_start: Dist,
        /// How long an idle on-demand container stays warm \[assumption\].
        #[serde(default = "default_keep_alive")]
        keep_alive: Duration,
        /// Time for raised provisioned concurrency to become available \[assumption\].
        #[serde(default = "default_pc_provisioning_time")]
        provisioned_concurrency_provisioning_time: Duration,
        /// AWS Region, e.g. `"us-east-1"`: gives the account concurrency (1000 or 500).
        #[serde(default)]
        region: Option<String>,
        /// Account concurrency of the region, all serverless endpoints together; overrides
        /// the region's (default 1000).
        #[serde(default)]
        account_concurrency: Option<u32>,
        /// Concurrency the account's other serverless endpoints hold (constant).
        #[serde(default)]
        other_endpoints_concurrency: u32,
        /// USD per GB-second of on-demand compute \[AWS\].
        #[serde(default = "default_on_demand_price")]
        price_per_gb_second: f64,
        /// USD per GB-second of provisioned concurrency kept available \[AWS\].
        #[serde(default = "default_pc_price")]
        provisioned_concurrency_price_per_gb_second: f64,
        /// USD per GB-second of compute served by provisioned concurrency \[AWS\].
        #[serde(default = "default_pc_inference_price")]
        provisioned_inference_price_per_gb_second: f64,
        /// `EndpointConfigName` of the configuration the endpoint starts with.
        #[serde(default = "default_config_name")]
        endpoint_config_name: String,
    },
}

fn default_serverless_variant() -> String {
    "AllTraffic".into()
}

/// Cold start: log-normal, median 5 s, p99 15 s \[assumption\]; AWS documents no figure.
pub fn default_cold_start() -> Dist {
    Dist::LogNormal {
        median: Duration::secs(5),
        p99: Duration::secs(15),
    }
}

/// Ten minutes of keep-alive for idle on-demand containers \[assumption\].
pub fn default_keep_alive() -> Duration {
    Duration::secs(600)
}

/// Two minutes to provision raised provisioned concurrency \[assumption\].
pub fn default_pc_provisioning_time() -> Duration {
    Duration::secs(120)
}

/// On-demand compute, USD per GB-second (us-east-1 list price) \[AWS\].
pub fn default_on_demand_price() -> f64 {
    0.000_020
}

/// Provisioned concurrency, USD per GB-second provisioned \[AWS\].
pub fn default_pc_price() -> f64 {
    0.000_004_8
}

/// Compute served by provisioned concurrency, USD per GB-second \[AWS\].
pub fn default_pc_inference_price() -> f64 {
    0.000_014
}

fn default_config_name() -> String {
    "config-1".into()
}

/// Six hours: the queue message time-to-live of asynchronous inference \[AWS\].
pub fn default_request_ttl() -> Duration {
    Duration::secs(6 * 3600)
}

/// Fifteen minutes: the default `InvocationTimeoutSeconds` of `InvokeEndpointAsync` \[AWS\];
/// AWS documents only the 60-minute limit.
pub fn default_async_invocation_timeout() -> Duration {
    Duration::secs(15 * 60)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Routing {
    Random,
    #[default]
    LeastOutstandingRequests,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Start {
    /// Initial instances are in service at time zero.
    #[default]
    Warm,
    /// Initial instances are requested at time zero and boot.
    Cold,
}

/// The queue of requests waiting for a worker slot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backlog {
    /// Most waiting requests over the whole endpoint.
    #[serde(default = "default_backlog_capacity")]
    pub capacity: u64,
    /// Invocation timeout: a request that has waited this long fails.
    #[serde(default = "default_timeout")]
    pub timeout: Duration,
}

pub fn default_backlog_capacity() -> u64 {
    1000
}
fn default_timeout() -> Duration {
    Duration::secs(60)
}

impl Default for Backlog {
    fn default() -> Self {
        Backlog {
            capacity: default_backlog_capacity(),
            timeout: default_timeout(),
        }
    }
}

/// A production variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// `VariantName`.
    pub name: String,
    /// `InstanceType`, e.g. `"ml.c5.large"`.
    pub instance_type: String,
    /// `InitialInstanceCount`.
    pub initial_instance_count: u32,
    /// `InitialVariantWeight`.
    #[serde(default = "one_f")]
    pub initial_weight: f64,
    /// Worker slots per instance (requests one instance serves at once).
    #[serde(default = "one_u32")]
    pub concurrency: u32,
    /// The model; required unless the variant hosts inference components (each has its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<Model>,
    #[serde(default)]
    pub launch: Launch,
    /// `ManagedInstanceScaling`, for a variant that hosts inference components. (Absent fields
    /// are not serialized, so the resolved scenario of `manifest.json` is unchanged for
    /// variants without components.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_instance_scaling: Option<super::components::ManagedInstanceScaling>,
    /// Inference components hosted on this variant's instances.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inference_components: Vec<super::components::InferenceComponent>,
}

/// Model behaviour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    #[serde(default = "default_label")]
    pub label: String,
    /// Time a request holds a worker slot (`ModelLatency`).
    pub service_time: Dist,
    /// Probability that a served request (one not rejected 4XX) ends 5XX.
    #[serde(default)]
    pub error_rate: f64,
    /// Probability that a request is rejected 4XX at once.
    #[serde(default)]
    pub client_error_rate: f64,
    /// Fixed front-end overhead added to every answer.
    #[serde(default)]
    pub overhead: Duration,
    /// Service time grows by `1 + load_slowdown * busy / concurrency`.
    #[serde(default)]
    pub load_slowdown: f64,
}

fn default_label() -> String {
    "v1".into()
}

/// Durations of an instance's boot phases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Launch {
    #[serde(default = "default_pending")]
    pub pending: Dist,
    #[serde(default = "default_provision")]
    pub provision: Dist,
    #[serde(default = "default_load")]
    pub load: Dist,
}

fn default_pending() -> Dist {
    Dist::Constant(Duration::secs(0))
}
fn default_provision() -> Dist {
    Dist::Constant(Duration::secs(180))
}
fn default_load() -> Dist {
    Dist::Constant(Duration::secs(60))
}

impl Default for Launch {
    fn default() -> Self {
        Launch {
            pending: default_pending(),
            provision: default_provision(),
            load: default_load(),
        }
    }
}

/// A distribution of durations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Dist {
    Constant(Duration),
    Uniform {
        min: Duration,
        max: Duration,
    },
    Exponential {
        mean: Duration,
    },
    LogNormal {
        median: Duration,
        p99: Duration,
    },
    Gamma {
        mean: Duration,
        cv: f64,
    },
    /// Recorded samples, chosen uniformly.
    Samples(Vec<Duration>),
    /// Recorded samples from a file: one number per line (first column of a CSV), in `unit`.
    Empirical {
        file: String,
        #[serde(default = "default_unit")]
        unit: String,
    },
}

fn default_unit() -> String {
    "ms".into()
}

/// Sets a variant's desired instance count at a given time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityUpdate {
    pub at: Duration,
    pub variant: String,
    pub desired_instance_count: u32,
}

/// Where requests come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Workload {
    /// Open-loop arrivals at a rate shape.
    Open {
        #[serde(default)]
        arrivals: Arrivals,
        rate: Rate,
    },
    /// Replay of a recorded trace (CSV).
    Trace {
        file: String,
        format: TraceFormat,
        /// Multiplies per-period counts (what-if growth); counts only.
        #[serde(default = "one_f")]
        scale: f64,
    },
    /// A load test of closed-loop virtual users: each sends a request, waits for its answer,
    /// thinks, and sends the next; how many there are over time is an Inference Recommender
    /// `TrafficPattern`.
    Users {
        /// `TrafficPattern`: `Phases([...])` or `Stairs(...)`.
        traffic_pattern: TrafficPattern,
        /// When the pattern starts, from the start of the run.
        #[serde(default)]
        start: Option<Duration>,
        /// Pause between an answer and the user's next request (default none).
        #[serde(default)]
        think_time: Option<Dist>,
        /// The client's network round trip on top of every answer (default 1 ms).
        #[serde(default)]
        round_trip: Option<Duration>,
        /// How a phase's users arrive within a minute: `MinuteBatches` (default) or `Even`.
        #[serde(default)]
        spawn_mode: SpawnMode,
        /// `Strict` (default): the console's ranges; `Lenient`: any `SpawnRate` and user count
        /// within the simulator's bounds (the CLI example's `SpawnRate` 60).
        #[serde(default)]
        validation: PatternValidation,
        /// Read `Stairs.duration_in_seconds` as each step's length (the API reference's reading)
        /// instead of the whole pattern's.
        #[serde(default)]
        stairs_duration_is_per_step: bool,
        /// An open-loop load beside the users (`Open(...)` or `Trace(...)`).
        #[serde(default)]
        background: Option<Box<Workload>>,
        /// `StoppingConditions`: when the load test ends (its users stop); default none, the
        /// users run the whole pattern.
        #[serde(default)]
        stopping_conditions: Option<StoppingConditions>,
    },
}

/// A load test's `StoppingConditions`, checked at the end of every minute.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoppingConditions {
    /// `MaxInvocations`: stop once a minute counts this many invocations (1 to 30000).
    #[serde(default)]
    pub max_invocations: Option<u64>,
    /// `ModelLatencyThresholds`: at most one; stop once a minute's `ModelLatency` percentile
    /// is above the value.
    #[serde(default)]
    pub model_latency_thresholds: Vec<ModelLatencyThreshold>,
    /// `FlatInvocations`: `Stop` (default) or `Continue`.
    #[serde(default)]
    pub flat_invocations: FlatInvocations,
    /// The flatness rule: rises of the user count it looks back over (default 3).
    #[serde(default)]
    pub flat_rises: Option<u32>,
    /// The flatness rule: invocations growing less than this over those rises are flat
    /// \[percent, default 5\].
    #[serde(default)]
    pub flat_growth_percent: Option<f64>,
}

/// One `ModelLatencyThresholds` entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelLatencyThreshold {
    /// `P1` to `P99`.
    pub percentile: String,
    pub value_in_milliseconds: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlatInvocations {
    #[default]
    Stop,
    Continue,
}

impl Workload {
    /// The open-loop part of the workload: itself, or a load test's background.
    pub fn open_loop(&self) -> Option<&Workload> {
        match self {
            Workload::Users { background, .. } => background.as_deref(),
            open => Some(open),
        }
    }
}

/// A load test's `TrafficPattern` (`TrafficType` is the variant's name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum TrafficPattern {
    Phases(Vec<Phase>),
    Stairs {
        duration_in_seconds: u32,
        number_of_steps: u32,
        users_per_step: u32,
    },
}

/// One phase of a `Phases` pattern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub initial_number_of_users: u32,
    /// Users added per minute.
    pub spawn_rate: u32,
    pub duration_in_seconds: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpawnMode {
    #[default]
    MinuteBatches,
    Even,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PatternValidation {
    #[default]
    Strict,
    Lenient,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Arrivals {
    #[default]
    Poisson,
    Deterministic,
}

/// Trace file layout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum TraceFormat {
    /// `timestamp,count` rows, one per period (a CloudWatch `Invocations` Sum export).
    Counts { period: Duration },
    /// One `timestamp` per request.
    Timestamps,
}

/// A rate shape in requests per second.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Rate {
    Constant(f64),
    Ramp {
        from_rps: f64,
        to_rps: f64,
        start: Duration,
        duration: Duration,
    },
    Steps(Vec<Step>),
    /// A load test's `STAIRS` laid out in requests per second: `number_of_steps` equal steps
    /// over `duration`, step k (from 1) at `k x rps_per_step`.
    Stairs {
        duration: Duration,
        number_of_steps: u32,
        rps_per_step: f64,
    },
    Diurnal {
        mean_rps: f64,
        amplitude: f64,
        period: Duration,
        peak_at: Duration,
    },
    Spike {
        base: Box<Rate>,
        start: Duration,
        duration: Duration,
        multiplier: f64,
    },
    Sum(Vec<Rate>),
}

/// One step of a piecewise-constant rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub at: Duration,
    pub rps: f64,
}

/// Metrics settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    #[serde(default = "default_period")]
    pub period: Duration,
    #[serde(default = "default_hr_period")]
    pub high_resolution_period: Duration,
    #[serde(default = "default_percentiles")]
    pub percentiles: Vec<f64>,
    /// Lag between the end of a period and its datapoint reaching alarms.
    #[serde(default)]
    pub publication_delay: Duration,
}

fn default_period() -> Duration {
    Duration::secs(60)
}
fn default_hr_period() -> Duration {
    Duration::secs(10)
}
fn default_percentiles() -> Vec<f64> {
    vec![50.0, 90.0, 99.0]
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            period: default_period(),
            high_resolution_period: default_hr_period(),
            percentiles: default_percentiles(),
            publication_delay: Duration::default(),
        }
    }
}
