//! What the autoscaling controller sees of the World ([`ScalingView`]) and what it asks the
//! World to do ([`ScalingCommand`]).

use super::super::event::Event;
use super::super::scaling_config::AlarmConfig;
use super::alarm_run::AlarmTransition;
use crate::engine::{SimDuration, SimTime};
use crate::model::metrics::MetricName;
use crate::model::{ActivityKind, VariantId};

/// The World as the autoscaling controller observes it, read only.
pub(in crate::sim) trait ScalingView {
    /// The datapoint `alarm` sees for its period ending at `end` (`None`: no data).
    fn datapoint(&self, alarm: &AlarmConfig, end: SimTime) -> Option<f64>;
    /// The capacity that carried the datapoint of `metric` over the period of length `period`
    /// ending at `end`: a policy divides a per-capacity metric by it. Falls back to the current
    /// capacity when there is no such period.
    fn capacity_basis(&self, variant: VariantId, metric: MetricName, end: Option<SimTime>, period: SimDuration) -> f64;
    /// The variant's desired count now.
    fn desired(&self, variant: VariantId) -> u32;
    /// Whether the variant is `Updating` (instances booting or draining, or a deployment).
    fn updating(&self, variant: VariantId) -> bool;
    /// Whether a deployment holds the endpoint in `Updating`.
    fn deploying(&self) -> bool;
    /// The account quota's refusal, when `delta` more instances of the variant's type would
    /// exceed it.
    fn quota_exceeded(&self, variant: VariantId, delta: u32) -> Option<String>;
    /// The variant recorded in a configuration series (alarms on `EndpointConfigName`).
    fn config_variant(&self, series: usize) -> VariantId;
}

/// What the controller asks of the World, applied in order.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::sim) enum ScalingCommand {
    /// Set the variant's desired count and converge its fleet (`reason` explains why; the
    /// change itself is appended unless the reason already states it).
    SetDesired {
        variant: VariantId,
        desired: u32,
        cause: String,
        reason: String,
        /// The scaling policy that decided it (`None`: a scheduled action or a deployment).
        policy: Option<String>,
    },
    /// Once the commands before it are applied: if the variant is no longer updating, tell the
    /// controller its scaling activity ended ([`super::Autoscaler::on_converged`]).
    CheckConverged { variant: VariantId },
    /// An activity row of a variant.
    Record {
        variant: VariantId,
        kind: ActivityKind,
        cause: String,
        reason: String,
        /// The scaling policy whose activity this row reports, if any.
        policy: Option<String>,
    },
    /// An alarm changed state (a row of its variant, or of the endpoint).
    AlarmChanged(AlarmTransition),
    /// Put an event on the queue.
    Schedule { at: SimTime, event: Event },
}

/// The `ScalingFailed` row when raising `variant` from `current` to `to` instances would
/// exceed the account quota (the desired count stays), or `None` when the quota allows it.
pub(in crate::sim) fn quota_refusal(
    view: &dyn ScalingView,
    variant: VariantId,
    current: u32,
    to: u32,
    cause: &str,
    what: &str,
) -> Option<ScalingCommand> {
    let msg = view.quota_exceeded(variant, to - current)?;
    Some(ScalingCommand::Record {
        variant,
        kind: ActivityKind::ScalingFailed,
        cause: cause.to_string(),
        reason: format!(
            "{what}; desired {current} -> {to} Failed: ResourceLimitExceeded: {msg}; desired stays {current}"
        ),
        policy: None,
    })
}
