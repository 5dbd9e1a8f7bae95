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
}
