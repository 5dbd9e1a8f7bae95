//! What a deployment asks the World to do: a closed set of commands, applied in order.

use super::super::config::LaunchConfig;
use super::super::event::Event;
use crate::engine::SimTime;
use crate::model::{ActivityKind, FleetId, InstanceId, ModelVersion, VariantId};

/// One action of the World on behalf of the deployment.
// A deployment issues a few commands per stage and `CreateFleet` once: their size does not
// matter, and boxing the fleet's description would only add noise.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)]
pub(in crate::sim) enum DeploymentCommand {
    /// A fleet for the new configuration `config` of variant `variant`: held (its instances
    /// wait in `Standby` once ready), without traffic; the variant's current version becomes
    /// `model`.
    CreateFleet {
        variant: VariantId,
        model: ModelVersion,
        launch: LaunchConfig,
        config: String,
    },
    /// Launches `count` instances in `fleet`; the World reports their ids through
    /// `Deployments::provisioning_started`.
    Launch {
        fleet: FleetId,
        count: u32,
        cause: String,
    },
    /// Brings the in-service count of `fleet` to `target` (activating standby instances or
    /// deactivating in-service ones).
    SetActive {
        fleet: FleetId,
        target: u32,
    },
    /// Sets the traffic weights of the old and the new fleet.
    SetWeights {
        old: FleetId,
        new: FleetId,
        old_weight: f64,
        new_weight: f64,
    },
    /// Whether `fleet`'s instances are held in `Standby` once ready.
    SetHold {
        fleet: FleetId,
        hold: bool,
    },
    /// Drains the instances (they terminate once their requests finish).
    Drain {
        ids: Vec<InstanceId>,
        cause: String,
    },
    /// Terminates a booting instance at once; drains one that is up.
    DrainOrTerminate {
        id: InstanceId,
        cause: &'static str,
    },
    Schedule {
        at: SimTime,
        event: Event,
    },
    /// An activity row of variant `variant`.
    Record {
        variant: VariantId,
        kind: ActivityKind,
        cause: String,
        text: String,
    },
    /// The deployment has ended: `winner` becomes the variant's current fleet, neither fleet
    /// is held any longer, the variant's version becomes that of `version_of` (unchanged when
    /// `None`), and fleets left without instances are dropped.
    Handover {
        variant: VariantId,
        old: FleetId,
        new: FleetId,
        winner: FleetId,
        version_of: Option<FleetId>,
    },
    /// The variant's desired count, and its scalable target's, become `desired`.
    TargetDesired {
        variant: VariantId,
        desired: u32,
    },
    /// Scaling resumes: bounds that moved meanwhile apply to the variant now.
    ResumeScaling {
        variant: VariantId,
    },
    /// Call `Deployments::resume` once the commands before this one are applied (the
    /// deployment looks at the endpoint again). Always the last command of a batch.
    Continue,
}
