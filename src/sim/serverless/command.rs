//! What the serverless controller answers: the decision on one arrival ([`ArrivalDecision`]) and
//! the commands of a provisioned-concurrency change ([`ServerlessCommand`]).
//!
//! Every request of a serverless run takes an arrival decision, so it is a small `Copy` value
//! with no allocation; PC changes are rare and return a list like the other controllers.

use super::super::event::Event;
use crate::engine::{SimDuration, SimTime};
use crate::model::ActivityKind;

/// How the pool takes an arriving request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::sim) enum ArrivalDecision {
    /// ThrottlingException: `account_limit` when the account's regional concurrency is used up,
    /// otherwise `MaxConcurrency` executions already run.
    Throttled { account_limit: bool },
    /// The request holds a unit from now on.
    Admitted {
        /// It runs on a PC unit.
        provisioned: bool,
        /// It runs on demand although the endpoint has PC configured (`...Spillover...`).
        spillover: bool,
        /// A new container starts for it and it waits this long first (`ModelSetupTime`).
        cold_start: Option<SimDuration>,
    },
}

/// What the controller asks of the World after a PC change, applied in order.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::sim) enum ServerlessCommand {
    /// Report the PC units now allocated to the serverless metrics.
    PcAllocated(u32),
    /// An activity row of the serverless variant.
    Record {
        kind: ActivityKind,
        cause: String,
        reason: String,
    },
    /// Put an event on the queue.
    Schedule { at: SimTime, event: Event },
    /// Once the commands before it are applied: the variant's scaling activity may have ended
    /// (nothing is provisioning any more).
    CheckActivityEnd,
}
