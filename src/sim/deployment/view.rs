//! What a deployment may observe of the endpoint: a small read-only view the World offers.

use crate::model::{FleetId, InstanceId, InstanceState, VariantId};

/// Read-only observations of the endpoint. The World implements it; tests use a fake.
pub(in crate::sim) trait DeploymentView {
    /// Instances of `fleet` in `state`.
    fn count(&self, fleet: FleetId, state: InstanceState) -> u32;
    /// Live instances of `fleet` in a state accepted by `keep`, oldest first.
    fn members(&self, fleet: FleetId, keep: &dyn Fn(InstanceState) -> bool) -> Vec<InstanceId>;
    /// Up to `count` in-service instances of `fleet` to take out of service: fewest requests in
    /// flight first, newest first among equals.
    fn least_busy(&self, fleet: FleetId, count: u32) -> Vec<InstanceId>;
    /// Requests routed to `fleet` so far.
    fn routed(&self, fleet: FleetId) -> u64;
    /// The configuration name `fleet`'s requests are recorded under.
    fn config_name_of(&self, fleet: FleetId) -> String;
    /// The fleet the next `CreateFleet` command will create.
    fn next_fleet(&self) -> FleetId;
    /// Number of variants of the endpoint.
    fn variants(&self) -> usize;
    /// The desired instance count of variant `v`.
    fn desired(&self, v: VariantId) -> u32;
    /// The current (last) fleet of variant `v`.
    fn current_fleet(&self, v: VariantId) -> FleetId;
    /// Live (billed) instances of variant `v` over its fleets.
    fn variant_live(&self, v: VariantId) -> u32;
    /// Whether some variant is `Updating` because instances are launching or draining.
    fn scaling_in_progress(&self) -> bool;
    /// The account quota message when adding `delta` instances to variant `v` would exceed it.
    fn quota_exceeded(&self, v: VariantId, delta: u32) -> Option<String>;
    /// Name of alarm `a` (an index into the scenario's alarms).
    fn alarm_name(&self, a: usize) -> String;
    /// Whether alarm `a` is in `ALARM`.
    fn in_alarm(&self, a: usize) -> bool;
    /// Endpoint errors so far: 4XX, 5XX, timed out and rejected.
    fn errors(&self) -> u64;
    /// A sampling tick falls at this instant and has not been processed yet.
    fn tick_pending(&self) -> bool;
}
