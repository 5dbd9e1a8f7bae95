//! How a deployment ended, the status changes it caused and the statistics `summary.json`
//! reports for it.

use crate::engine::SimTime;

/// How a deployment ended (`summary.json` `deployment.outcome`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeploymentOutcome {
    Succeeded,
    /// An alarm tripped or provisioning failed; the endpoint is back on the old configuration.
    RolledBack,
    /// `MaximumExecutionTimeoutInSeconds` passed; rolled back.
    TimedOut,
    /// A rolling rollback could not provision; the fleet is mixed and still serving.
    UpdateRollbackFailed,
    /// The call failed validation at its instant (endpoint not `InService`, or a size rule
    /// against the fleet sizes of that moment); nothing changed.
    Rejected,
    /// Still running when the simulation ended.
    InProgress,
}

impl DeploymentOutcome {
    pub fn name(self) -> &'static str {
        match self {
            DeploymentOutcome::Succeeded => "Succeeded",
            DeploymentOutcome::RolledBack => "RolledBack",
            DeploymentOutcome::TimedOut => "TimedOut",
            DeploymentOutcome::UpdateRollbackFailed => "UpdateRollbackFailed",
            DeploymentOutcome::Rejected => "Rejected",
            DeploymentOutcome::InProgress => "InProgress",
        }
    }
}

/// A change of the endpoint's status (`EndpointStatus`) or of a variant's deployment stage
/// (`VariantStatus[].Status`).
#[derive(Clone, Debug, PartialEq)]
pub struct StatusChange {
    pub time: SimTime,
    pub variant: String,
    /// `Updating`, `InService` or `UpdateRollbackFailed`.
    pub endpoint: &'static str,
    /// `Creating`, `ActivatingTraffic`, `Baking`, `Deleting` while updating; `InService`
    /// otherwise.
    pub variant_status: &'static str,
}

/// Statistics of one deployment, for `summary.json`.
#[derive(Clone, Debug)]
pub struct DeploymentResult {
    /// `EndpointConfigName` of the new configuration.
    pub name: String,
    pub variant: String,
    pub strategy: &'static str,
    pub outcome: DeploymentOutcome,
    pub started: SimTime,
    pub finished: Option<SimTime>,
    /// The alarm, deadline or failure that started a rollback (or the rejection reason).
    pub rollback_trigger: Option<String>,
    /// Old (`N`) and new (`G`) fleet sizes.
    pub old_instances: u32,
    pub new_instances: u32,
    /// Most live (billed) instances of the variant while the deployment ran.
    pub peak_instances: u32,
    /// Instance-hours above the `N` instances the variant had at the call.
    pub extra_instance_hours: f64,
    /// The seed billing rule's figure: both fleets for the whole update when it
    /// has several shifting stages or a bake, else one; `None` for rolling updates.
    pub billing_rule_instance_hours: Option<f64>,
    /// Requests routed to the new version's fleet while the deployment ran.
    pub requests_served_by_new_version: u64,
    /// 4XX, 5XX, timed-out and rejected requests of the whole endpoint while it ran.
    pub errors_during_deployment: u64,
}
