//! Activity rows: every capacity change and instance lifecycle milestone, with its cause and a
//! sentence a person can read.

use crate::engine::SimTime;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivityKind {
    /// The desired instance count of a variant changed.
    CapacityChange,
    /// An instance was requested (billing starts).
    InstanceLaunch,
    /// An instance finished provisioning and started loading the model.
    InstanceLoading,
    /// An instance started serving.
    InstanceInService,
    /// An instance stopped taking new work.
    InstanceDraining,
    /// An instance was terminated (billing stops).
    InstanceTerminated,
    /// A CloudWatch alarm changed state.
    AlarmStateChange,
    /// A scheduled action ran (bounds moved).
    ScheduledAction,
    /// A scaling activity failed (e.g. the account instance quota).
    ScalingFailed,
    /// An `UpdateEndpoint` call started a deployment.
    DeploymentStart,
    /// A deployment stage: provisioning, traffic shift, bake, termination wait, termination.
    DeploymentStage,
    /// A deployment started rolling back (alarm, timeout, provisioning failure).
    DeploymentRollback,
    /// A deployment ended (succeeded, rolled back, timed out, failed or rejected).
    DeploymentEnd,
    /// Copies of an inference component wait for room (no host fits them and managed instance
    /// scaling may launch no more), or all of them were placed again.
    CopiesPending,
    /// A load test's stopping condition held: its users stopped.
    LoadTestStop,
}

impl ActivityKind {
    pub fn name(self) -> &'static str {
        match self {
            ActivityKind::CapacityChange => "CapacityChange",
            ActivityKind::InstanceLaunch => "InstanceLaunch",
            ActivityKind::InstanceLoading => "InstanceLoading",
            ActivityKind::InstanceInService => "InstanceInService",
            ActivityKind::InstanceDraining => "InstanceDraining",
            ActivityKind::InstanceTerminated => "InstanceTerminated",
            ActivityKind::AlarmStateChange => "AlarmStateChange",
            ActivityKind::ScheduledAction => "ScheduledAction",
            ActivityKind::ScalingFailed => "ScalingFailed",
            ActivityKind::DeploymentStart => "DeploymentStart",
            ActivityKind::DeploymentStage => "DeploymentStage",
            ActivityKind::DeploymentRollback => "DeploymentRollback",
            ActivityKind::DeploymentEnd => "DeploymentEnd",
            ActivityKind::CopiesPending => "CopiesPending",
            ActivityKind::LoadTestStop => "LoadTestStop",
        }
    }
}

/// One row of `activities.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    pub time: SimTime,
    pub variant: String,
    pub kind: ActivityKind,
    /// Who or what caused it (`initial`, `scenario`, a policy name, ...).
    pub cause: String,
    /// A readable account, e.g. "desired 2 -> 4".
    pub reason: String,
    /// What changed, for programs: the same facts as `reason`, without parsing it.
    pub change: Change,
    /// The scaling policy that decided this row (a capacity change or a failed scaling
    /// activity it started); `None` for scheduled actions, updates, deployments and launches.
    pub policy: Option<String>,
}

/// The structured part of an activity row.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Change {
    /// Nothing beyond the row's kind.
    #[default]
    None,
    /// A variant's desired count moved (`CapacityChange` rows).
    Desired { from: u32, to: u32 },
    /// An alarm changed state (`AlarmStateChange` rows): CloudWatch state names, and the newest
    /// datapoint (`None`: missing data).
    AlarmState {
        from: &'static str,
        to: &'static str,
        latest: Option<f64>,
    },
}

impl Activity {
    /// `(from, to)` of a `CapacityChange` row.
    pub fn desired_change(&self) -> Option<(u32, u32)> {
        match self.change {
            Change::Desired { from, to } => Some((from, to)),
            _ => None,
        }
    }
}
