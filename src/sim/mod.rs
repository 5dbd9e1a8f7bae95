//! The simulation: the World that owns model state and (later) controllers, the closed `Event`
//! enum and its dispatch, and `SimConfig`, the validated description of a run.

mod config;
mod event;
mod lifecycle;
mod requests;
mod result;
mod world;

pub use config::{CapacityUpdate, EndpointConfig, LaunchConfig, SimConfig, StartState, VariantConfig};
pub use event::Event;
pub use result::{RunResult, VariantResult};
pub use world::World;

/// Runs a configuration to the end.
pub fn run(config: SimConfig) -> RunResult {
    World::new(config).run()
}
