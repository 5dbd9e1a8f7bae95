//! Deployments inside the simulation: the `UpdateEndpoint` call, the stages of the plan
//! (provision, shift, bake, termination wait, terminate old), the alarms watching the
//! monitored windows, the deadline, rollbacks, and the statistics `summary.json` reports.
//!
//! The deployment is a controller: it owns its state, looks at the endpoint through a
//! read-only `DeploymentView` and returns `DeploymentCommand`s that the World applies in order.
//!
//! - `outcome.rs`: how a deployment ended, status changes, the result for `summary.json`.
//! - `deployments.rs`: the deployments of a run, the call that starts one and its end.
//! - `run.rs`: the state of the deployment in progress.
//! - `view.rs`, `command.rs`: what a deployment observes and what it asks for.
//! - `stages.rs`: the stage runner.
//! - `guard.rs`: alarm windows, polling, stage timers and the deadline.
//! - `rollback.rs`: blue/green and rolling rollbacks.
//! - `billing.rs`: billing and statistics of the running deployment.
//! - `describe.rs`: how activity rows name the policy, fleets and shifts.
//!
//! The World's side (the view it offers and how it carries out commands) is
//! `sim/world_deployment.rs`: nothing in this folder imports the World.

mod billing;
mod command;
mod deployments;
mod describe;
mod guard;
mod outcome;
mod rollback;
mod run;
mod stages;
mod view;

#[cfg(test)]
mod fake;

pub(super) use command::DeploymentCommand;
pub(super) use deployments::Deployments;
pub use outcome::{DeploymentOutcome, DeploymentResult, StatusChange};
pub(super) use view::DeploymentView;
