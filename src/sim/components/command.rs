//! What the host pool sees of the World's copies ([`PlacementView`]) and what it asks the World
//! to do with them ([`PlacementCommand`]).

use super::super::event::Event;
use crate::engine::SimTime;
use crate::model::{Activity, ActivityKind, InstanceId, InstanceState, VariantId};

/// A copy of an inference component as the host pool sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(in crate::sim) struct CopyRef {
    /// The copy's stable number (`copy-7`); copies are served in request order, this order.
    pub serial: u64,
    pub id: InstanceId,
    /// Its component.
    pub component: VariantId,
}

/// The World's copies, read only.
pub(in crate::sim) trait PlacementView {
    /// Live copies in `state`, in request order (by serial).
    fn copies_in(&self, state: InstanceState) -> Vec<CopyRef>;
}

/// What the host pool asks of the World, applied in order (the order fixes the activity rows
/// and the tie order of events scheduled at one instant).
#[derive(Clone, Debug, PartialEq)]
pub(in crate::sim) enum PlacementCommand {
    /// Move a copy to a new state: `Provisioning` when it was placed on a host still
    /// starting, `InService` when it was placed during the warm start.
    SetCopyState { copy: InstanceId, state: InstanceState },
    /// A copy placed on an in-service host starts its container and loads its model (the
    /// World draws the load time from the component's launch stream).
    LoadCopy {
        copy: InstanceId,
        serial: u64,
        host_serial: u64,
    },
    /// An activity row of a component.
    CopyRow {
        component: VariantId,
        kind: ActivityKind,
        cause: String,
        reason: String,
    },
    /// Withdraw the component's latest `CopiesPending` row written at this instant: the
    /// instant ends with another count.
    WithdrawWaitingRow { component: VariantId },
    /// An activity row of the host pool, complete (its variant is the hosting variant).
    HostRow(Activity),
    /// The endpoint's capacity is its in-service hosts; their number changed.
    EndpointCapacity(u32),
    /// Put an event on the queue.
    Schedule { at: SimTime, event: Event },
}
