//! Scenario types for CloudWatch alarms and Application Auto Scaling (the serde mirror; see
//! `validate/` for ranges). Field names follow the AWS API in snake_case.

use super::duration::Duration;
use serde::{Deserialize, Serialize};

fn default_statistic() -> String {
    "Average".into()
}
fn default_period() -> Duration {
    Duration::secs(60)
}
fn default_cooldown() -> Duration {
    Duration::secs(300)
}
fn default_utc() -> String {
    "UTC".into()
}

/// A CloudWatch alarm, usable by step policies and deployments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alarm {
    /// `AlarmName`.
    pub name: String,
    /// `MetricName`, e.g. `CPUUtilization`.
    pub metric: Metric,
    /// `VariantName` dimension; `None` = the endpoint (`EndpointName` only).
    #[serde(default)]
    pub variant: Option<String>,
    /// `EndpointConfigName` dimension (needs `variant`): only the fleet of that endpoint
    /// configuration, e.g. the new configuration of a deployment.
    #[serde(default)]
    pub endpoint_config: Option<String>,
    /// `InferenceComponentName` dimension: one inference component's metrics (instead of
    /// `variant`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_component: Option<String>,
    /// `Statistic` or `ExtendedStatistic`: `Sum`, `Average`, `Minimum`, `Maximum`,
    /// `SampleCount` or `pNN`.
    #[serde(default = "default_statistic")]
    pub statistic: String,
    /// `Period`.
    #[serde(default = "default_period")]
    pub period: Duration,
    /// `EvaluationPeriods`.
    pub evaluation_periods: u32,
    /// `DatapointsToAlarm`; defaults to `evaluation_periods`.
    #[serde(default)]
    pub datapoints_to_alarm: Option<u32>,
    /// `ComparisonOperator`.
    pub comparison_operator: ComparisonOperator,
    /// `Threshold`.
    pub threshold: f64,
    /// `TreatMissingData`.
    #[serde(default)]
    pub treat_missing_data: TreatMissingData,
}

/// Metrics an alarm or a customized target tracking policy can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Metric {
    Invocations,
    InvocationsPerInstance,
    Invocation4XXErrors,
    Invocation5XXErrors,
    ModelLatency,
    OverheadLatency,
    CPUUtilization,
    ConcurrentRequestsPerModel,
    ApproximateBacklogSize,
    ApproximateBacklogSizePerInstance,
    HasBacklogWithoutCapacity,
    NoCapacityInvocationFailures,
    ApproximateAgeOfOldestRequest,
    ExpiredRequests,
    ServerlessConcurrentExecutionsUtilization,
    ServerlessProvisionedConcurrencyExecutions,
    ServerlessProvisionedConcurrencyUtilization,
    ServerlessProvisionedConcurrencyInvocations,
    ServerlessProvisionedConcurrencySpilloverInvocations,
    ModelSetupTime,
    /// Inference components only.
    InvocationsPerCopy,
    /// Inference components only (high resolution).
    ConcurrentRequestsPerCopy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComparisonOperator {
    GreaterThanThreshold,
    GreaterThanOrEqualToThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[allow(non_camel_case_types)]
pub enum TreatMissingData {
    #[default]
    missing,
    notBreaching,
    breaching,
    ignore,
}

/// A scalable target: one variant's `DesiredInstanceCount` with its bounds and policies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalableTarget {
    /// The variant (`ResourceId` `endpoint/<name>/variant/<variant>`); may be omitted when the
    /// endpoint has one variant.
    #[serde(default)]
    pub variant: Option<String>,
    /// An inference component instead (`ResourceId` `inference-component/<name>`, dimension
    /// `sagemaker:inference-component:DesiredCopyCount`): capacity counts its copies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_component: Option<String>,
    /// `MinCapacity`.
    pub min_capacity: u32,
    /// `MaxCapacity`.
    pub max_capacity: u32,
    /// `SuspendedState`.
    #[serde(default)]
    pub suspended_state: SuspendedState,
    /// `PutScalingPolicy` calls.
    #[serde(default)]
    pub policies: Vec<Policy>,
    /// `PutScheduledAction` calls.
    #[serde(default)]
    pub scheduled: Vec<ScheduledAction>,
    /// When a cooldown starts: when the scaling activity ends (default) or when it starts.
    #[serde(default)]
    pub cooldown_start: CooldownStart,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuspendedState {
    #[serde(default)]
    pub dynamic_scaling_in_suspended: bool,
    #[serde(default)]
    pub dynamic_scaling_out_suspended: bool,
    #[serde(default)]
    pub scheduled_scaling_suspended: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CooldownStart {
    #[default]
    ActivityEnd,
    ActivityStart,
}

/// A scaling policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Policy {
    /// `TargetTrackingScaling`.
    TargetTracking {
        name: String,
        metric: TrackedMetric,
        target_value: f64,
        #[serde(default = "default_cooldown")]
        scale_in_cooldown: Duration,
        #[serde(default = "default_cooldown")]
        scale_out_cooldown: Duration,
        #[serde(default)]
        disable_scale_in: bool,
        /// Managed alarm shapes; defaults per docs/semantics/autoscaling.md §5.2.
        #[serde(default)]
        alarms: ManagedAlarms,
    },
    /// `StepScaling`, triggered by a named alarm.
    StepScaling {
        name: String,
        /// The alarm whose `AlarmActions` holds this policy.
        alarm: String,
        adjustment_type: AdjustmentType,
        step_adjustments: Vec<StepAdjustment>,
        #[serde(default)]
        min_adjustment_magnitude: Option<u32>,
        #[serde(default = "default_cooldown")]
        cooldown: Duration,
        #[serde(default)]
        metric_aggregation_type: MetricAggregationType,
    },
}

/// The metric a target tracking policy tracks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum TrackedMetric {
    /// `InvocationsPerInstance` Sum per minute.
    SageMakerVariantInvocationsPerInstance,
    /// `ConcurrentRequestsPerModel`, high resolution.
    SageMakerVariantConcurrentRequestsPerModelHighResolution,
    /// `ApproximateBacklogSizePerInstance` Average (asynchronous endpoints).
    ApproximateBacklogSizePerInstance,
    /// `ServerlessProvisionedConcurrencyUtilization` Average (serverless provisioned
    /// concurrency, dimension `DesiredProvisionedConcurrency`).
    SageMakerVariantProvisionedConcurrencyUtilization,
    /// `InvocationsPerCopy` Sum per minute (inference components).
    SageMakerInferenceComponentInvocationsPerCopy,
    /// `ConcurrentRequestsPerCopy`, high resolution (inference components).
    SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution,
    /// `CustomizedMetricSpecification`.
    Customized {
        metric: Metric,
        #[serde(default = "default_statistic")]
        statistic: String,
    },
}

/// Shapes of the alarms target tracking creates (docs/semantics/autoscaling.md §5.2; assumptions, configurable).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedAlarms {
    /// Datapoints above target to scale out (3 of 3).
    #[serde(default = "three")]
    pub high_datapoints: u32,
    /// Period of the high alarm; high-resolution metrics default to their 10 s period.
    #[serde(default)]
    pub high_period: Option<Duration>,
    /// Datapoints below `low_threshold_ratio x target` to scale in (15 of 15).
    #[serde(default = "fifteen")]
    pub low_datapoints: u32,
    #[serde(default = "default_period")]
    pub low_period: Duration,
    #[serde(default = "ratio")]
    pub low_threshold_ratio: f64,
}

fn three() -> u32 {
    3
}
fn fifteen() -> u32 {
    15
}
fn ratio() -> f64 {
    0.9
}

impl Default for ManagedAlarms {
    fn default() -> Self {
        ManagedAlarms {
            high_datapoints: three(),
            high_period: None,
            low_datapoints: fifteen(),
            low_period: default_period(),
            low_threshold_ratio: ratio(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdjustmentType {
    ChangeInCapacity,
    PercentChangeInCapacity,
    ExactCapacity,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MetricAggregationType {
    #[default]
    Average,
    Minimum,
    Maximum,
}

/// One step: bounds relative to the alarm threshold (`None` = unbounded).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepAdjustment {
    #[serde(default)]
    pub lower: Option<f64>,
    #[serde(default)]
    pub upper: Option<f64>,
    pub adjustment: i64,
}

/// A scheduled action (`PutScheduledAction`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledAction {
    /// `ScheduledActionName`.
    pub name: String,
    /// `Schedule`: `at(...)`, `rate(...)` or `cron(...)`.
    pub schedule: String,
    /// `Timezone` (IANA name).
    #[serde(default = "default_utc")]
    pub timezone: String,
    /// `StartTime` / `EndTime` (UTC, RFC 3339).
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
    /// `ScalableTargetAction.MinCapacity` / `MaxCapacity`.
    #[serde(default)]
    pub min_capacity: Option<u32>,
    #[serde(default)]
    pub max_capacity: Option<u32>,
}
