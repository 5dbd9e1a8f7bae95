//! The endpoint's own settings: its kind, routing, start, configuration name, and how requests
//! wait (a real-time backlog, an asynchronous queue's time limits, or none when serverless).

use super::check::{Check, NAME_RULE};
use super::serverless;
use crate::engine::SimDuration;
use crate::model::Routing;
use crate::scenario::file::{self, CapacityUpdate, Endpoint, Scenario, Variant};
use crate::scenario::limits;
use crate::sim::{EndpointKind, StartState};

/// The endpoint settings the other sections build on.
pub(super) struct EndpointSettings<'s> {
    pub kind: EndpointKind,
    pub routing: Routing,
    /// The production variants as written; none on a serverless endpoint, whose one variant
    /// is validated on its own.
    pub variants: &'s [Variant],
    pub start: StartState,
    pub capacity_updates: &'s [CapacityUpdate],
    /// `EndpointConfigName` of the initial configuration.
    pub config_name: &'s String,
    /// Worker slots per instance that override every variant's `concurrency`.
    pub slots_override: Option<u32>,
    pub backlog_capacity: u64,
    /// How long a request may wait (a real-time backlog's timeout, an asynchronous request's
    /// TTL).
    pub wait_timeout: SimDuration,
    /// An asynchronous endpoint's `InvocationTimeoutSeconds`.
    pub processing_timeout: Option<SimDuration>,
}

/// Validates the endpoint-wide fields of `endpoint`.
pub(super) fn validate<'s>(c: &mut Check, s: &'s Scenario) -> EndpointSettings<'s> {
    // The two instance-based endpoint kinds share variants, routing, start and capacity
    // updates; they differ in how requests wait. A serverless endpoint has none of them.
    let (kind, routing, variants, start, capacity_updates, config_name) = match &s.endpoint {
        Endpoint::Serverless { .. } => (
            EndpointKind::Serverless,
            file::Routing::default(),
            &[][..],
            file::Start::Warm,
            &[][..],
            serverless::config_name(&s.endpoint).expect("a serverless endpoint"),
        ),
        Endpoint::RealTime {
            routing,
            variants,
            start,
            capacity_updates,
            endpoint_config_name,
            ..
        }
        | Endpoint::Async {
            routing,
            variants,
            start,
            capacity_updates,
            endpoint_config_name,
            ..
        } => (
            if matches!(s.endpoint, Endpoint::Async { .. }) {
                EndpointKind::Async
            } else {
                EndpointKind::RealTime
            },
            *routing,
            &variants[..],
            *start,
            &capacity_updates[..],
            endpoint_config_name,
        ),
    };
    c.name("endpoint.endpoint_config_name", config_name, NAME_RULE);
    // Worker slots per instance: MaxConcurrentInvocationsPerInstance overrides every variant's
    // `concurrency` on an asynchronous endpoint.
    let mut slots_override = None;
    let (backlog_capacity, wait_timeout, processing_timeout) = match &s.endpoint {
        Endpoint::RealTime { backlog, .. } => {
            c.positive_duration("endpoint.backlog.timeout", backlog.timeout.0);
            if backlog.capacity > limits::MAX_BACKLOG {
                c.fail(
                    "endpoint.backlog.capacity",
                    backlog.capacity,
                    &format!(
                        "an integer from 0 to {} (waiting requests are held in memory)",
                        limits::MAX_BACKLOG
                    ),
                );
            }
            (backlog.capacity, backlog.timeout.0, None)
        }
        Endpoint::Async {
            max_concurrent_invocations_per_instance,
            request_ttl,
            invocation_timeout,
            ..
        } => {
            if let Some(n) = max_concurrent_invocations_per_instance {
                if *n == 0 || *n > 1000 {
                    c.fail(
                        "endpoint.max_concurrent_invocations_per_instance",
                        n,
                        "an integer from 1 to 1000",
                    );
                }
                slots_override = Some(*n);
            }
            let ttl = request_ttl.0;
            if ttl < SimDuration::from_secs(60) || ttl > SimDuration::from_secs(6 * 3600) {
                c.fail(
                    "endpoint.request_ttl",
                    format!("\"{ttl}\""),
                    "a duration from 60s to 6h (RequestTTLSeconds)",
                );
            }
            let limit = invocation_timeout.0;
            if limit < SimDuration::from_secs(1) || limit > SimDuration::from_secs(3600) {
                c.fail(
                    "endpoint.invocation_timeout",
                    format!("\"{limit}\""),
                    "a duration from 1s to 1h (InvocationTimeoutSeconds)",
                );
            }
            // The durable queue has no limit of its own, but its requests are held in memory:
            // past the documented maximum a request is refused as if the queue were full.
            (limits::MAX_BACKLOG, ttl, Some(limit))
        }
        // No backlog: a request gets a unit at once or is throttled.
        Endpoint::Serverless { .. } => (0, SimDuration::from_secs(60), None),
    };
    EndpointSettings {
        kind,
        routing: match routing {
            file::Routing::Random => Routing::Random,
            file::Routing::LeastOutstandingRequests => Routing::LeastOutstandingRequests,
        },
        variants,
        start: match start {
            file::Start::Warm => StartState::Warm,
            file::Start::Cold => StartState::Cold,
        },
        capacity_updates,
        config_name,
        slots_override,
        backlog_capacity,
        wait_timeout,
        processing_timeout,
    }
}
