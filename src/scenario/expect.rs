//! A scenario's expectations as written (`expect: [...]`): what its run must show, judged by
//! `fleetsim check` and `fleetsim run --check`. `validate/expect.rs` checks them into the
//! [`Expectation`](super::expectation::Expectation)s of `expectation.rs`.
//!
//! ```ron
//! expect: [
//!     Summary(name: "p99 within 250 ms", that: "latency_ms.p99 <= 250"),
//!     Series(name: "p99 in the surge", that: "latency_p99_ms <= 500", from: "2h", to: "2h30m"),
//!     Series(name: "under 1 % failed", that: "(errors_5xx + timed_out + rejected) / arrivals <= 0.01", over: "5m"),
//!     Event(name: "scales out in time", kind: ScaleOut, first_between: ("3m", "8m")),
//!     Event(name: "no flapping", kind: CapacityChange, count: "<= 4", per: "1h"),
//! ]
//! ```

use super::duration::Duration;
use super::expectation::EventKind;
use serde::{Deserialize, Serialize};

/// One expectation, as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Expect {
    /// A bound on a `summary.json` value by its dotted name (the names of `sweep.csv`):
    /// `that: "latency_ms.p99 <= 250"`, `that: "deployment.outcome == RolledBack"`.
    Summary {
        name: String,
        that: String,
        #[serde(default)]
        seeds: Option<u32>,
        #[serde(default)]
        at_least: Option<f64>,
    },
    /// A bound every metrics period of `timeseries.csv` in a window must meet, on a column or
    /// an arithmetic of columns; with `over`, on the sums over every run of consecutive
    /// periods that long.
    Series {
        name: String,
        that: String,
        #[serde(default)]
        from: Option<Duration>,
        #[serde(default)]
        to: Option<Duration>,
        #[serde(default)]
        over: Option<Duration>,
        #[serde(default)]
        seeds: Option<u32>,
        #[serde(default)]
        at_least: Option<f64>,
    },
    /// Rows of `activities.csv` of one kind: when the first one happens (`first_between`), or
    /// how many there are in a window or in any stretch of time `per` long (`count`).
    Event {
        name: String,
        kind: Kind,
        #[serde(default)]
        variant: Option<String>,
        #[serde(default)]
        first_between: Option<(Duration, Duration)>,
        #[serde(default)]
        count: Option<String>,
        #[serde(default)]
        from: Option<Duration>,
        #[serde(default)]
        to: Option<Duration>,
        #[serde(default)]
        during: Option<During>,
        #[serde(default)]
        per: Option<Duration>,
        #[serde(default)]
        seeds: Option<u32>,
        #[serde(default)]
        at_least: Option<f64>,
    },
}

/// The rows an event expectation looks at: an `activities.csv` kind, or a capacity change
/// that scales out or in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    CapacityChange,
    InstanceLaunch,
    InstanceLoading,
    InstanceInService,
    InstanceDraining,
    InstanceTerminated,
    AlarmStateChange,
    ScheduledAction,
    ScalingFailed,
    DeploymentStart,
    DeploymentStage,
    DeploymentRollback,
    DeploymentEnd,
    CopiesPending,
    LoadTestStop,
    /// A `CapacityChange` that raises the desired count.
    ScaleOut,
    /// A `CapacityChange` that lowers it.
    ScaleIn,
}

impl Kind {
    /// The kind as an expectation checks it.
    pub fn event_kind(self) -> EventKind {
        use crate::model::ActivityKind as A;
        EventKind::Row(match self {
            Kind::CapacityChange => A::CapacityChange,
            Kind::InstanceLaunch => A::InstanceLaunch,
            Kind::InstanceLoading => A::InstanceLoading,
            Kind::InstanceInService => A::InstanceInService,
            Kind::InstanceDraining => A::InstanceDraining,
            Kind::InstanceTerminated => A::InstanceTerminated,
            Kind::AlarmStateChange => A::AlarmStateChange,
            Kind::ScheduledAction => A::ScheduledAction,
            Kind::ScalingFailed => A::ScalingFailed,
            Kind::DeploymentStart => A::DeploymentStart,
            Kind::DeploymentStage => A::DeploymentStage,
            Kind::DeploymentRollback => A::DeploymentRollback,
            Kind::DeploymentEnd => A::DeploymentEnd,
            Kind::CopiesPending => A::CopiesPending,
            Kind::LoadTestStop => A::LoadTestStop,
            Kind::ScaleOut => return EventKind::ScaleOut,
            Kind::ScaleIn => return EventKind::ScaleIn,
        })
    }
}

/// A window named after what happens in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum During {
    /// From each `DeploymentStart` row to its `DeploymentEnd` row (or the end of the run).
    Deployment,
}

impl Expect {
    /// The expectation's name, as written.
    pub fn name(&self) -> &str {
        match self {
            Expect::Summary { name, .. } | Expect::Series { name, .. } | Expect::Event { name, .. } => name,
        }
    }
}
