//! Validated autoscaling and alarm configuration, part of `SimConfig`.

use super::observe::Dimension;
use crate::autoscaling::alarm::{AlarmRule, Statistic};
use crate::autoscaling::cooldown::CooldownStart;
use crate::autoscaling::schedule::Schedule;
use crate::autoscaling::step::StepPolicyConfig;
use crate::autoscaling::target_tracking::TargetTrackingConfig;
use crate::engine::SimDuration;
use crate::model::metrics::MetricName;
use crate::model::VariantId;

/// A CloudWatch alarm on one metric.
#[derive(Clone, Debug)]
pub struct AlarmConfig {
    pub name: String,
    pub metric: MetricName,
    pub dimension: Dimension,
    pub statistic: Statistic,
    /// `Period`; a multiple of the metrics sampling tick.
    pub period: SimDuration,
    pub rule: AlarmRule,
}

/// A scaling policy of a scalable target.
#[derive(Clone, Debug)]
pub enum PolicyConfig {
    /// Target tracking on `metric`/`statistic`; its managed alarms are evaluated on
    /// `high_period` (scale out) and `low_period` (scale in).
    TargetTracking {
        name: String,
        metric: MetricName,
        statistic: Statistic,
        config: TargetTrackingConfig,
        high_period: SimDuration,
        low_period: SimDuration,
    },
    /// Step scaling run by the alarm `alarm` (index into `SimConfig::alarms`).
    Step {
        name: String,
        alarm: usize,
        config: StepPolicyConfig,
    },
}

impl PolicyConfig {
    pub fn name(&self) -> &str {
        match self {
            PolicyConfig::TargetTracking { name, .. } | PolicyConfig::Step { name, .. } => name,
        }
    }
}

/// A scheduled action changing the bounds of a target.
#[derive(Clone, Debug)]
pub struct ScheduledConfig {
    pub name: String,
    pub schedule: Schedule,
    pub min: Option<u32>,
    pub max: Option<u32>,
}

/// A scalable target: one variant's instance count under Application Auto Scaling.
#[derive(Clone, Debug)]
pub struct TargetConfig {
    pub variant: VariantId,
    pub min: u32,
    pub max: u32,
    pub dynamic_in_suspended: bool,
    pub dynamic_out_suspended: bool,
    pub scheduled_suspended: bool,
    pub policies: Vec<PolicyConfig>,
    pub scheduled: Vec<ScheduledConfig>,
    pub cooldown_start: CooldownStart,
}
