//! The serverless controller: a serverless endpoint's concurrency pool and the decisions on it,
//! answering the World with decisions and commands.
//!
//! A serverless endpoint has no instances and no backlog: a request either gets a concurrency
//! unit at once (a provisioned-concurrency (PC) unit, a warm idle container, or a new container
//! that cold-starts for it) or is throttled (docs/semantics/serverless.md §1 to §3). The
//! controller owns that state ([`ServerlessController`]: the configuration, the pool and the
//! cold-start stream) and never touches the World. The World calls it when a request arrives
//! (answered with an [`ArrivalDecision`], a small value on the hot path), when one ends, when
//! the variant's desired count (the requested PC) changes and when raised PC is ready (both
//! answered with [`ServerlessCommand`]s the World applies in order), and reads its samples.
//! `world_serverless.rs` is the World's side: metrics, in-flight requests, the event queue and
//! activity rows.
//!
//! Randomness: cold-start durations come from their own stream `cold-start/<variant>`, drawn
//! once per cold start in arrival order; service time and outcome are the World's draws.

mod command;
mod controller;
mod pool;
#[cfg(test)]
mod tests;

pub(super) use command::{ArrivalDecision, ServerlessCommand};
pub(super) use controller::ServerlessController;
