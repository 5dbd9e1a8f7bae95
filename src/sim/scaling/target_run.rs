//! One scalable target during a run: its bounds and desired count, cooldowns, the scaling
//! activity in progress and the managed alarms of its target tracking policies.

use super::super::scaling_config::TargetConfig;
use crate::autoscaling::cooldown::{Cooldowns, ScalableTarget};
use crate::autoscaling::target_tracking::Direction;
use crate::model::VariantId;

/// The two alarms Application Auto Scaling creates for a target tracking policy (indices into
/// the controller's alarm list).
#[derive(Clone, Copy, Debug)]
pub(in crate::sim) struct ManagedAlarms {
    /// Above the target: scale out.
    pub high: usize,
    /// Below `low_threshold_ratio x target`: scale in.
    pub low: usize,
}

/// A scaling activity in progress: it ends when the fleet has converged, which starts the
/// cooldown when cooldowns count from the activity's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::sim) struct ScalingActivity {
    pub direction: Direction,
    /// The winning policy's cooldown [s].
    pub cooldown_s: u64,
    /// The desired count the activity set.
    pub desired: u32,
}

/// A scalable target and its controller state.
#[derive(Debug)]
pub(in crate::sim) struct TargetRun {
    pub cfg: TargetConfig,
    pub target: ScalableTarget,
    pub cooldowns: Cooldowns,
    pub activity: Option<ScalingActivity>,
    /// Per policy (same index as `cfg.policies`): its managed alarms, for target tracking.
    pub managed: Vec<Option<ManagedAlarms>>,
}

impl TargetRun {
    /// The variant whose instance count the target scales.
    pub fn variant(&self) -> VariantId {
        self.cfg.variant
    }
}
