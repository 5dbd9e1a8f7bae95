//! A production variant: an instance type, a concurrency per instance, its fleets and the desired
//! instance count that controllers set and the simulation converges to.

use super::catalog::InstanceSpec;
use super::fleet::FleetId;
use super::version::ModelVersion;

/// Index of a variant in the endpoint's variant list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VariantId(pub u16);

super::index::u16_index!(VariantId, "variant");

/// A production variant.
#[derive(Debug)]
pub struct Variant {
    pub id: VariantId,
    pub name: String,
    pub instance: InstanceSpec,
    /// Worker slots per instance.
    pub concurrency: u32,
    /// Share of endpoint traffic (`InitialVariantWeight`).
    pub weight: f64,
    /// Fleets of this variant; the last one is the current (newest) model version.
    pub fleets: Vec<FleetId>,
    /// Desired instance count (`DesiredInstanceCount`).
    pub desired: u32,
    /// In-service instances over all fleets (the `N` of `InvocationsPerInstance`).
    pub in_service: u32,
    /// The model version new instances of the current fleet run.
    pub current_version: ModelVersion,
    /// The shadow variant of a shadow test: it gets copies of requests, never traffic of its
    /// own, and its answers are discarded.
    pub shadow: bool,
}
