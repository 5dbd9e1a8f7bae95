//! The host pool's bill and its per-period figures: live hosts are billed from launch request
//! to termination, in-service hosts are the endpoint's capacity.

use crate::engine::SimTime;
use crate::model::metrics::{Gauge, InstanceCounts};
use crate::model::{Hosts, InstanceState};

/// One metrics period of the host pool.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HostPoint {
    /// Hosts at the end of the period by state (`Loading` is instance set-up; hosts neither
    /// stand by nor drain: their copies do).
    pub instances: InstanceCounts,
    /// Time-weighted mean of in-service hosts over the period.
    pub mean_in_service: f64,
    /// Instance-hours billed in the period.
    pub instance_hours: f64,
    /// Cost of the period in USD; `None` when the price is unknown.
    pub cost_usd: Option<f64>,
}

/// Live and in-service hosts integrated over time, closed into [`HostPoint`]s.
#[derive(Debug, Default)]
pub(in crate::sim) struct PoolBilling {
    /// Live hosts, integrated (billing).
    pub billed: Gauge,
    billed0: u128,
    /// In-service hosts, integrated.
    in_service: Gauge,
    in_service0: u128,
    period_start: SimTime,
    pub points: Vec<HostPoint>,
    /// Most live hosts at any time.
    pub peak: u32,
}

impl PoolBilling {
    /// The number of live hosts changed.
    pub fn live(&mut self, now: SimTime, live: u32) {
        self.billed.set(now, u64::from(live));
        self.peak = self.peak.max(live);
    }

    /// The number of in-service hosts changed.
    pub fn in_service(&mut self, now: SimTime, n: u32) {
        self.in_service.set(now, u64::from(n));
    }

    /// Instance-hours billed from time zero to `now`.
    pub fn instance_hours(&self, now: SimTime) -> f64 {
        self.billed.area_at(now) as f64 / 3.6e9
    }

    /// Closes the period ending `now` with the pool as it is.
    pub fn close_period(&mut self, now: SimTime, hosts: &Hosts, price_per_hour_usd: Option<f64>) {
        let billed = self.billed.area_at(now) - self.billed0;
        self.billed0 += billed;
        let ins = self.in_service.area_at(now) - self.in_service0;
        self.in_service0 += ins;
        let len = now.0.saturating_sub(self.period_start.0);
        self.period_start = now;
        let instance_hours = billed as f64 / 3.6e9;
        let count = |s| hosts.count(s);
        let instances = InstanceCounts {
            pending: count(InstanceState::Pending),
            provisioning: count(InstanceState::Provisioning),
            loading: count(InstanceState::Loading),
            in_service: count(InstanceState::InService),
            standby: 0,
            draining: 0,
        };
        self.points.push(HostPoint {
            instances,
            mean_in_service: if len > 0 { ins as f64 / len as f64 } else { 0.0 },
            instance_hours,
            cost_usd: price_per_hour_usd.map(|p| p * instance_hours),
        });
    }
}
