//! Deployment guardrails: blue/green (all at once, canary, linear) and rolling updates with
//! baking and alarm-driven rollback (docs/semantics/rollouts.md).
//!
//! Like `autoscaling`, everything here is data and pure decisions: the policies, the rounding of
//! capacity sizes to instances, the validation rules of docs/semantics/rollouts.md §2.2 and the plan of stages a
//! deployment walks through. The simulation (`sim::deployment`) provisions fleets, shifts
//! traffic, runs the timers and watches the alarms.

pub mod capacity;
pub mod plan;
pub mod policy;
pub mod rules;
pub mod shadow;

pub use capacity::{instances, CapacitySize, Rounding};
pub use plan::{plan, Stage};
pub use policy::{BlueGreen, ClockStart, DeploymentPolicy, Guardrails, Rolling, TrafficRouting};
