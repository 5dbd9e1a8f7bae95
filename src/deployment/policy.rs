//! Update policies (`DeploymentConfig`) and the simulator's guardrail parameters.

use super::capacity::{CapacitySize, Rounding};

/// `BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type` with its size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TrafficRouting {
    /// `ALL_AT_ONCE`: 100 % of traffic moves to green in one shift.
    AllAtOnce,
    /// `CANARY`: `CanarySize` of green first, then the rest.
    Canary { size: CapacitySize },
    /// `LINEAR`: `LinearStepSize` of green per step.
    Linear { step: CapacitySize },
}

/// `BlueGreenUpdatePolicy`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BlueGreen {
    pub routing: TrafficRouting,
    /// `WaitIntervalInSeconds` \[s\]: the bake after each shift (all at once: its only bake;
    /// 0 when absent \[assumption\]).
    pub wait_s: u64,
    /// Final bake on 100 % green after a canary \[s\]; AWS documents no length, default
    /// `wait_s` \[assumption\].
    pub final_bake_s: u64,
    /// `TerminationWaitInSeconds` \[s\]: after the final bake, before blue is terminated.
    pub termination_wait_s: u64,
}

/// `RollingUpdatePolicy`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rolling {
    /// `MaximumBatchSize` (5-50 % of the fleet).
    pub batch: CapacitySize,
    /// `WaitIntervalInSeconds` \[s\]: the bake of each batch.
    pub wait_s: u64,
    /// `RollbackMaximumBatchSize`; `None` = all at once (blue/green-style rollback).
    pub rollback_batch: Option<CapacitySize>,
}

/// The update policy of one deployment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DeploymentPolicy {
    BlueGreen(BlueGreen),
    Rolling(Rolling),
}

impl DeploymentPolicy {
    /// The strategy's name as `summary.json` reports it.
    pub fn strategy(&self) -> &'static str {
        match self {
            DeploymentPolicy::BlueGreen(b) => match b.routing {
                TrafficRouting::AllAtOnce => "ALL_AT_ONCE",
                TrafficRouting::Canary { .. } => "CANARY",
                TrafficRouting::Linear { .. } => "LINEAR",
            },
            DeploymentPolicy::Rolling(_) => "ROLLING",
        }
    }
}

/// When the `MaximumExecutionTimeoutInSeconds` clock starts \[assumption, docs/semantics/rollouts.md §5.6\].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClockStart {
    /// At the `UpdateEndpoint` call.
    #[default]
    UpdateCall,
    /// At the first traffic shift.
    FirstShift,
}

/// Timeout and the simulator's guardrail parameters (each an \[assumption\] of docs/semantics/rollouts.md §4.4,
/// §5.5, §5.6 with its documented default).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Guardrails {
    /// `MaximumExecutionTimeoutInSeconds`; `None` = no timeout.
    pub timeout_s: Option<u64>,
    pub timeout_clock_start: ClockStart,
    /// Whether the alarms also watch the termination wait (default true).
    pub monitor_termination_wait: bool,
    /// Delay before a blue/green rollback moves traffic back \[s\] (default 0).
    pub rollback_shift_delay_s: u64,
    /// Percent-to-instance rounding (default up).
    pub rounding: Rounding,
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails {
            timeout_s: None,
            timeout_clock_start: ClockStart::UpdateCall,
            monitor_termination_wait: true,
            rollback_shift_delay_s: 0,
            rounding: Rounding::Ceil,
        }
    }
}
