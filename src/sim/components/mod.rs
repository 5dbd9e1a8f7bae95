//! Inference components: copies placed on a pool of hosts under managed instance scaling.
//!
//! Each component is one of the World's variants whose "instances" are model copies: a copy has
//! worker slots, is routed to like an instance of a fleet and scales on the component's
//! `DesiredCopyCount`. The physical instances are a separate pool of hosts that hold copies,
//! are billed from launch request to termination and count toward the account quota.
//!
//! Copy lifecycle: `Pending` (no room on any live host) -> `Provisioning` (placed on a host
//! that is still starting) -> `Loading` (container start and model load on an in-service host,
//! the component's `copy_load`) -> `InService` -> `Draining` -> `Terminated`. A draining copy
//! keeps its room until it terminates.
//!
//! Managed instance scaling (after every copy change): pending copies are placed on live hosts
//! (placement rule in `model::host`); copies still without room ask for as many new hosts as
//! they need packed first fit, up to `max_instance_count` (and the quota); copies beyond that
//! stay `Pending` and an activity row says so. Hosts left without copies terminate, booting ones
//! first and newest first, down to `min_instance_count`.
//!
//! The split: [`HostPool`] is the controller. It owns the hosts, the copy-to-host map, the
//! hosts' boot stream and their billing, reads the copies it needs through a
//! [`PlacementView`] and answers with [`PlacementCommand`]s. The copies themselves are the
//! World's instances: the World creates them, changes their state, draws their model-load
//! time and writes their rows (`world_components.rs`).

mod billing;
mod command;
mod host_pool;
#[cfg(test)]
mod tests;
mod waiting;

pub use billing::HostPoint;
pub(super) use command::{CopyRef, PlacementCommand, PlacementView};
pub(super) use host_pool::HostPool;
