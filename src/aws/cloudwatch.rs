//! CloudWatch `PutMetricAlarm` request body, as the API takes it.
//!
//! Reference: the Amazon CloudWatch API Reference, `PutMetricAlarm` "Request Parameters"
//! (<https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html>).

use super::autoscaling::Dimension;
use serde::{Deserialize, Serialize};

/// `PutMetricAlarm` on one metric (not metric math).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PutMetricAlarm {
    pub alarm_name: String,
    /// The ARNs of the scaling policies the alarm triggers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alarm_actions: Vec<String>,
    pub metric_name: String,
    pub namespace: String,
    pub dimensions: Vec<Dimension>,
    /// `Statistic` (`Average`, `Sum`, ...) or, for a percentile, `ExtendedStatistic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_statistic: Option<String>,
    /// Seconds.
    pub period: u64,
    pub evaluation_periods: u32,
    pub datapoints_to_alarm: u32,
    pub threshold: f64,
    pub comparison_operator: String,
    pub treat_missing_data: String,
    /// Fields the API takes that a simulated alarm has no use for, or does not model: accepted
    /// so that an import lists each by name (see [`PutMetricAlarm::unmodelled`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_enabled: Option<bool>,
    #[serde(default, rename = "OKActions", skip_serializing_if = "Vec::is_empty")]
    pub ok_actions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub insufficient_data_actions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluate_low_sample_count_percentile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<serde_json::Value>,
}

impl PutMetricAlarm {
    /// The fields set that a scenario's alarm cannot represent, each with the reason.
    pub fn unmodelled(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if self.alarm_description.is_some() {
            out.push(("AlarmDescription", "a scenario's alarm has no description"));
        }
        if self.actions_enabled == Some(false) {
            out.push((
                "ActionsEnabled",
                "false disables the alarm's actions on AWS; the simulated alarm still triggers the policies in AlarmActions",
            ));
        }
        if !self.ok_actions.is_empty() {
            out.push(("OKActions", "notifications are not simulated"));
        }
        if !self.insufficient_data_actions.is_empty() {
            out.push(("InsufficientDataActions", "notifications are not simulated"));
        }
        if self.unit.is_some() {
            out.push((
                "Unit",
                "the simulated metrics have one unit each; the filter is not applied",
            ));
        }
        if self.evaluate_low_sample_count_percentile.is_some() {
            out.push((
                "EvaluateLowSampleCountPercentile",
                "a simulated percentile is evaluated whatever its sample count",
            ));
        }
        if self.tags.is_some() {
            out.push(("Tags", "resource tags are not simulated"));
        }
        out
    }
}
