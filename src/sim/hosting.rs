//! What an endpoint's capacity is made of: instances of its variants, a serverless
//! concurrency pool, or a pool of hosts holding inference-component copies. Exactly one of
//! them, by construction.

use super::components::HostPool;
use super::serverless::ServerlessController;

/// The capacity behind an endpoint's variants.
// One per run: boxing the large variants would only add an indirection on the serverless
// arrival path. The host pool is moved out and back while it decides (once per copy change,
// never per request).
#[allow(clippy::large_enum_variant)]
pub(super) enum Hosting {
    /// Each variant runs its own instances (real-time and asynchronous endpoints).
    Instances,
    /// One variant served from a pool of single-request containers with provisioned
    /// concurrency; no instances, no backlog.
    Serverless(ServerlessController),
    /// Each variant is an inference component whose "instances" are model copies placed on a
    /// shared pool of hosts under managed instance scaling.
    Components(HostPool),
}

impl Hosting {
    pub fn serverless(&self) -> Option<&ServerlessController> {
        match self {
            Hosting::Serverless(ctl) => Some(ctl),
            _ => None,
        }
    }

    pub fn serverless_mut(&mut self) -> Option<&mut ServerlessController> {
        match self {
            Hosting::Serverless(ctl) => Some(ctl),
            _ => None,
        }
    }

    pub fn components(&self) -> Option<&HostPool> {
        match self {
            Hosting::Components(hosts) => Some(hosts),
            _ => None,
        }
    }

    pub fn components_mut(&mut self) -> Option<&mut HostPool> {
        match self {
            Hosting::Components(hosts) => Some(hosts),
            _ => None,
        }
    }

    #[inline]
    pub fn is_serverless(&self) -> bool {
        matches!(self, Hosting::Serverless(_))
    }

    #[inline]
    pub fn is_components(&self) -> bool {
        matches!(self, Hosting::Components(_))
    }
}
