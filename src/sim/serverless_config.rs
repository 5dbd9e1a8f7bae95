//! Validated configuration of a serverless endpoint (`ServerlessConfig`), part of `SimConfig`.

use crate::engine::SimDuration;
use crate::model::metrics::ServerlessPrices;
use crate::model::DurationDist;

/// A serverless endpoint's one variant: memory, concurrency limits, provisioned concurrency,
/// cold starts and the account's regional concurrency.
#[derive(Clone, Debug)]
pub struct ServerlessConfig {
    /// `MemorySizeInMB`: 1024 to 6144 in 1024 steps.
    pub memory_size_in_mb: u32,
    /// `MaxConcurrency`: 1 to 200 executions at once; more are throttled.
    pub max_concurrency: u32,
    /// `ProvisionedConcurrency` at the start (at most `max_concurrency`); `None` = on demand
    /// only.
    pub provisioned_concurrency: Option<u32>,
    /// Duration of starting a new on-demand container (`ModelSetupTime`) \[assumption\].
    pub cold_start: DurationDist,
    /// An idle on-demand container stays warm this long after its last request
    /// \[assumption\].
    pub keep_alive: SimDuration,
    /// Time for raised provisioned concurrency to become available \[assumption\].
    pub pc_provisioning_time: SimDuration,
    /// The region's account concurrency shared by all serverless endpoints.
    pub account_concurrency: u32,
    /// Concurrency held by the account's other serverless endpoints (constant).
    pub other_endpoints_concurrency: u32,
    pub prices: ServerlessPrices,
}
