//! The one closed set of events. The `match` in `World::dispatch` is the simulation's table of
//! contents: a new kind of event is a compile error until it is handled.

use crate::engine::SimTime;
use crate::model::{FleetId, HostId, InstanceId};

/// Everything that can happen at an instant, besides the workload's next arrival: the loop
/// keeps that one outside the heap (`World::next_arrival`), ordered by `(time, seq)` exactly
/// like the events here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A request releases its worker slot on `instance`.
    ServiceDone { instance: InstanceId, req: u32 },
    /// A closed-loop user's request releases its worker slot; the user has its answer.
    UserServiceDone { instance: InstanceId, req: u32 },
    /// The current boot phase (pending, provisioning, loading) of `instance` ends.
    PhaseDone { instance: InstanceId },
    /// The current boot phase of a host of an inference-component endpoint ends.
    HostPhaseDone { host: HostId },
    /// The front request of a fleet's backlog reaches the invocation timeout.
    BacklogTimeout { fleet: FleetId },
    /// High-resolution sampling instant; every `period / high_resolution_period`-th one also
    /// closes a metrics period.
    SampleTick,
    /// A scheduled capacity update (index into `EndpointConfig::capacity_updates`).
    CapacityUpdate { index: u32 },
    /// A scheduled action of a scalable target fires.
    ScheduledAction { target: u16, action: u16 },
    /// The `UpdateEndpoint` call of a deployment (index into `SimConfig::deployments`).
    DeploymentCall { index: usize },
    /// A deployment stage timer (bake, termination wait, delayed rollback shift); stale
    /// unless `gen` matches the running deployment's.
    DeploymentTimer { gen: u32 },
    /// The `MaximumExecutionTimeoutInSeconds` deadline of the running deployment.
    DeploymentDeadline { gen: u32 },
    /// The shadow test starts (`true`) or ends (`false`).
    Shadow { start: bool },
    /// A serverless request leaves its container (`provisioned`: it ran on a PC unit).
    ServerlessDone { req: u32, provisioned: bool },
    /// Provisioned concurrency raised earlier finishes provisioning.
    ProvisionedConcurrencyReady,
    /// The load test's `index`-th user count takes effect.
    UserCount { index: u32 },
    /// A closed-loop user sends its next request; stale unless `gen` is the user's.
    UserSend { user: u32, gen: u32 },
    /// A closed-loop user gives up on its call sent at `sent` (no answer within the timeout).
    UserGaveUp { user: u32, sent: SimTime },
    /// End of the run.
    End,
}
