//! Deployments inside the simulation: the `UpdateEndpoint` call, the stages of the plan
//! (provision, shift, bake, termination wait, terminate old), the alarms watching the
//! monitored windows, the deadline, rollbacks, and the statistics `summary.json` reports.
//!
//! - `outcome.rs`: how a deployment ended, status changes, the result for `summary.json`.
//! - `run.rs`: the deployment in progress, the call that starts it and its end.
//! - `stages.rs`: the stage runner.
//! - `guard.rs`: alarm windows, polling, stage timers and the deadline.
//! - `rollback.rs`: blue/green and rolling rollbacks.
//! - `billing.rs`: billing and statistics of the running deployment.
//! - `describe.rs`: how activity rows name the policy, fleets and shifts.

mod billing;
mod describe;
mod guard;
mod outcome;
mod rollback;
mod run;
mod stages;

use describe::describe_policy;
pub use outcome::{DeploymentOutcome, DeploymentResult, StatusChange};
pub(super) use run::{DeploymentRun, Waiting};
