//! A fake endpoint for the deployment's unit tests: the view answers from plain fields.

use super::super::config::LaunchConfig;
use super::super::deployment_config::{DeploymentConfig, DeploymentFailures};
use super::view::DeploymentView;
use crate::deployment::{BlueGreen, DeploymentPolicy, Guardrails, TrafficRouting};
use crate::engine::{SimDuration, SimTime};
use crate::model::distribution::DurationDist;
use crate::model::{FleetId, InstanceId, InstanceState, ModelVersion, VariantId};

/// Instance `slot` (generation 0).
pub(super) fn id(slot: u32) -> InstanceId {
    InstanceId { slot, gen: 0 }
}

/// An endpoint with one variant whose fleets hold the listed instances (oldest first).
#[derive(Default)]
pub(super) struct FakeView {
    /// `(id, fleet, state, requests in flight)`.
    pub instances: Vec<(InstanceId, FleetId, InstanceState, u32)>,
    pub fleets: u16,
    pub desired: u32,
    pub busy: bool,
    pub quota: Option<String>,
    /// `(name, in ALARM)`.
    pub alarms: Vec<(String, bool)>,
    pub errors: u64,
    pub tick_pending: bool,
}

impl FakeView {
    /// Fleet 0 with `n` in-service instances.
    pub(super) fn serving(n: u32) -> Self {
        FakeView {
            instances: (0..n)
                .map(|i| (id(i), FleetId(0), InstanceState::InService, 0))
                .collect(),
            fleets: 1,
            desired: n,
            alarms: vec![("latency".to_string(), false)],
            ..Default::default()
        }
    }

    /// Adds `n` instances of `fleet` in `state`.
    pub(super) fn add(&mut self, fleet: u16, n: u32, state: InstanceState) {
        let next = self.instances.len() as u32;
        for i in 0..n {
            self.instances.push((id(next + i), FleetId(fleet), state, 0));
        }
    }
}

impl DeploymentView for FakeView {
    fn count(&self, fleet: FleetId, state: InstanceState) -> u32 {
        self.instances.iter().filter(|i| i.1 == fleet && i.2 == state).count() as u32
    }
    fn members(&self, fleet: FleetId, keep: &dyn Fn(InstanceState) -> bool) -> Vec<InstanceId> {
        self.instances
            .iter()
            .filter(|i| i.1 == fleet && keep(i.2))
            .map(|i| i.0)
            .collect()
    }
    fn least_busy(&self, fleet: FleetId, count: u32) -> Vec<InstanceId> {
        let mut m: Vec<_> = self
            .instances
            .iter()
            .filter(|i| i.1 == fleet && i.2 == InstanceState::InService)
            .collect();
        m.sort_by(|a, b| a.3.cmp(&b.3).then(b.0.cmp(&a.0)));
        m.into_iter().take(count as usize).map(|i| i.0).collect()
    }
    fn routed(&self, _fleet: FleetId) -> u64 {
        0
    }
    fn config_name_of(&self, fleet: FleetId) -> String {
        format!("config-{}", fleet.0)
    }
    fn next_fleet(&self) -> FleetId {
        FleetId(self.fleets)
    }
    fn variants(&self) -> usize {
        1
    }
    fn desired(&self, _v: VariantId) -> u32 {
        self.desired
    }
    fn current_fleet(&self, _v: VariantId) -> FleetId {
        FleetId(self.fleets - 1)
    }
    fn variant_live(&self, _v: VariantId) -> u32 {
        self.instances.len() as u32
    }
    fn scaling_in_progress(&self) -> bool {
        self.busy
    }
    fn quota_exceeded(&self, _v: VariantId, _delta: u32) -> Option<String> {
        self.quota.clone()
    }
    fn alarm_name(&self, a: usize) -> String {
        self.alarms[a].0.clone()
    }
    fn in_alarm(&self, a: usize) -> bool {
        self.alarms[a].1
    }
    fn errors(&self) -> u64 {
        self.errors
    }
    fn tick_pending(&self) -> bool {
        self.tick_pending
    }
}

/// A blue/green deployment of variant 0 at time zero, watched by alarm 0.
pub(super) fn config(routing: TrafficRouting, wait_s: u64, g: u32) -> DeploymentConfig {
    let constant = DurationDist::Constant(SimDuration::from_secs(1));
    DeploymentConfig {
        name: "v2".to_string(),
        at: SimTime::ZERO,
        variant: VariantId(0),
        model: ModelVersion {
            label: "v2".to_string(),
            service_time: constant.clone(),
            error_rate: 0.0,
            client_error_rate: 0.0,
            overhead: SimDuration::from_secs(0),
            load_slowdown: 0.0,
        },
        launch: LaunchConfig {
            pending: constant.clone(),
            provision: constant.clone(),
            load: constant,
        },
        initial_instance_count: g,
        retain_all_variant_properties: false,
        policy: DeploymentPolicy::BlueGreen(BlueGreen {
            routing,
            wait_s,
            final_bake_s: wait_s,
            termination_wait_s: 0,
        }),
        guard: Guardrails::default(),
        alarms: vec![0],
        alarm_poll_interval: SimDuration::from_secs(0),
        failures: DeploymentFailures::default(),
    }
}
