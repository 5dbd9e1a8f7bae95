//! The passive endpoint domain: instance types, instances, fleets, variants, requests, backlogs,
//! workloads and metrics. No control decisions and no IO live here; the simulation layer
//! (`sim`) drives these types and the controllers decide.

pub mod activity;
pub mod backlog;
pub mod catalog;
pub mod distribution;
pub mod fleet;
pub mod host;
mod index;
pub mod instance;
pub mod metrics;
pub mod request;
pub mod variant;
pub mod version;
pub mod workload;

pub use activity::{Activity, ActivityKind, Change};
pub use catalog::InstanceSpec;
pub use distribution::DurationDist;
pub use fleet::{Fleet, FleetId, Routing};
pub use host::{Host, HostId, Hosts, Resources};
pub use instance::{Instance, InstanceId, InstanceState, Instances};
pub use request::{Outcome, Request, NO_USER};
pub use variant::{Variant, VariantId};
pub use version::ModelVersion;
