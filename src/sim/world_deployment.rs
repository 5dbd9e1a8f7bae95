//! The World's side of a deployment: the view it offers, the calls it makes when something
//! the deployment waits for happens, and how it carries out the deployment's commands.

use super::deployment::{DeploymentCommand, DeploymentView, Deployments};
use super::world::World;
use crate::model::metrics::Series;
use crate::model::{Fleet, FleetId, InstanceId, InstanceState, VariantId};

impl DeploymentView for World {
    fn count(&self, fleet: FleetId, state: InstanceState) -> u32 {
        self.fleets[fleet].count(state)
    }

    fn members(&self, fleet: FleetId, keep: &dyn Fn(InstanceState) -> bool) -> Vec<InstanceId> {
        self.fleet_members(fleet, keep)
    }

    fn least_busy(&self, fleet: FleetId, count: u32) -> Vec<InstanceId> {
        World::least_busy(self, fleet, count)
    }

    fn routed(&self, fleet: FleetId) -> u64 {
        self.fleets[fleet].routed
    }

    fn config_name_of(&self, fleet: FleetId) -> String {
        match self.fleets[fleet].series.config() {
            Some(c) => self.config_series[c - self.variants.len()].1.clone(),
            None => self.config.endpoint.config_name.clone(),
        }
    }

    fn next_fleet(&self) -> FleetId {
        self.fleets.next_key()
    }

    fn variants(&self) -> usize {
        self.variants.len()
    }

    fn desired(&self, v: VariantId) -> u32 {
        self.variants[v].desired
    }

    fn current_fleet(&self, v: VariantId) -> FleetId {
        *self.variants[v].fleets.last().expect("a variant has a fleet")
    }

    fn variant_live(&self, v: VariantId) -> u32 {
        World::variant_live(self, v)
    }

    fn scaling_in_progress(&self) -> bool {
        self.variants.keys().any(|x| self.updating(x))
    }

    fn quota_exceeded(&self, v: VariantId, delta: u32) -> Option<String> {
        World::quota_exceeded(self, v, delta)
    }

    fn alarm_name(&self, a: usize) -> String {
        self.config.alarms[a].name.clone()
    }

    fn in_alarm(&self, a: usize) -> bool {
        self.scaling.alarm(a).state == crate::autoscaling::alarm::AlarmState::Alarm
    }

    fn errors(&self) -> u64 {
        let t = &self.metrics.totals;
        t.errors_4xx + t.errors_5xx + t.timed_out + t.rejected_backlog_full + t.rejected_no_capacity
    }

    fn tick_pending(&self) -> bool {
        let hr = self.config.metrics.high_resolution_period.0.max(1);
        self.now.0 % hr == 0 && self.ticks * hr < self.now.0 && self.now.0 < self.config.duration.0
    }
}

impl World {
    /// Whether the endpoint is `Updating` because of a deployment.
    pub(in crate::sim) fn deploying(&self) -> bool {
        self.deploy.running()
    }

    /// The `UpdateEndpoint` call of deployment `index`.
    pub(in crate::sim) fn on_deployment_call(&mut self, index: usize) {
        self.drive(|d, w| d.on_call(index, w, w.now));
    }

    /// A deployment stage timer fired.
    pub(in crate::sim) fn on_deployment_timer(&mut self, gen: u32) {
        self.drive(|d, w| d.on_timer(gen, w, w.now));
    }

    /// The deadline of the running deployment.
    pub(in crate::sim) fn on_deployment_deadline(&mut self, gen: u32) {
        self.drive(|d, w| d.on_deadline(gen, w, w.now));
    }

    /// Called after every alarm evaluation (sampling ticks).
    pub(in crate::sim) fn watch_deployment(&mut self) {
        if self.deploy.running() {
            self.drive(|d, w| d.on_alarms_evaluated(w, w.now));
        }
    }

    /// An instance of a held fleet finished booting (it waits in `Standby`).
    pub(in crate::sim) fn deployment_instance_ready(&mut self, id: InstanceId) {
        self.drive(|d, w| d.on_instance_ready(id, w, w.now));
    }

    /// Brings the running deployment's statistics up to now.
    pub(in crate::sim) fn deployment_snapshot(&mut self) {
        let mut deploy = std::mem::take(&mut self.deploy);
        deploy.snapshot(self, self.now);
        self.deploy = deploy;
    }

    /// Calls the deployments with the World as their view, then applies their commands, calling
    /// back as long as they ask to.
    fn drive(&mut self, call: impl FnOnce(&mut Deployments, &World) -> Vec<DeploymentCommand>) {
        let mut deploy = std::mem::take(&mut self.deploy);
        let mut cmds = call(&mut deploy, &*self);
        self.deploy = deploy;
        while self.apply_deployment(cmds) {
            let mut deploy = std::mem::take(&mut self.deploy);
            cmds = deploy.resume(&*self, self.now);
            self.deploy = deploy;
        }
    }

    /// Applies a deployment's commands in order; returns whether the last one asks for a
    /// call-back.
    fn apply_deployment(&mut self, cmds: Vec<DeploymentCommand>) -> bool {
        for cmd in cmds {
            match cmd {
                DeploymentCommand::CreateFleet {
                    variant,
                    model,
                    launch,
                    config,
                } => {
                    let new = self.fleets.next_key();
                    let mut fleet = Fleet::new(new, variant, model.clone());
                    fleet.series = Series::with_config(variant, self.config_series_index(variant, &config));
                    fleet.traffic_weight = 0.0;
                    fleet.hold = true;
                    self.fleets.push(fleet);
                    self.fleet_launch.push(launch);
                    self.variants[variant].fleets.push(new);
                    self.variants[variant].current_version = model;
                }
                DeploymentCommand::Launch { fleet, count, cause } => {
                    let ids: Vec<InstanceId> = (0..count).map(|_| self.launch(fleet, &cause)).collect();
                    self.deploy.provisioning_started(ids);
                }
                DeploymentCommand::SetActive { fleet, target } => self.set_active(fleet, target),
                DeploymentCommand::SetWeights {
                    old,
                    new,
                    old_weight,
                    new_weight,
                } => self.set_weights(old, new, old_weight, new_weight),
                DeploymentCommand::SetHold { fleet, hold } => self.fleets[fleet].hold = hold,
                DeploymentCommand::Drain { ids, cause } => {
                    for id in ids {
                        self.drain(id, &cause);
                    }
                }
                DeploymentCommand::DrainOrTerminate { id, cause } => self.drain_or_terminate(id, cause),
                DeploymentCommand::Schedule { at, event } => {
                    self.queue.schedule(at, event);
                }
                DeploymentCommand::Record {
                    variant,
                    kind,
                    cause,
                    text,
                } => self.record(variant, kind, &cause, text),
                DeploymentCommand::Handover {
                    variant,
                    old,
                    new,
                    winner,
                    version_of,
                } => {
                    for f in [old, new] {
                        self.fleets[f].hold = false;
                    }
                    let fleets = &mut self.variants[variant].fleets;
                    fleets.retain(|f| *f != winner);
                    fleets.push(winner);
                    if let Some(f) = version_of {
                        self.variants[variant].current_version = self.fleets[f].version.clone();
                    }
                    self.drop_empty_fleets(variant);
                }
                DeploymentCommand::TargetDesired { variant, desired } => {
                    self.variants[variant].desired = desired;
                    self.scaling.on_desired_changed(variant, desired);
                }
                DeploymentCommand::ResumeScaling { variant } => self.scaling_resumes(variant),
                DeploymentCommand::Continue => return true,
            }
        }
        false
    }

    /// Index of the metric series of configuration `name` of variant `v`.
    fn config_series_index(&self, v: VariantId, name: &str) -> usize {
        let pos = self
            .config_series
            .iter()
            .position(|(cv, cn)| *cv == v && cn == name)
            .expect("every deployment has a configuration series");
        self.variants.len() + pos
    }
}

/// The fleet actions behind the commands.
impl World {
    /// Live instances of variant `v` over its fleets.
    fn variant_live(&self, v: VariantId) -> u32 {
        self.variants[v].fleets.iter().map(|f| self.fleets[*f].live()).sum()
    }

    /// Live instances of fleet `fid` in a state accepted by `keep`, oldest first.
    fn fleet_members(&self, fid: FleetId, keep: impl Fn(InstanceState) -> bool) -> Vec<InstanceId> {
        self.instances
            .live()
            .filter(|i| i.fleet == fid && keep(i.state))
            .map(|i| i.id)
            .collect()
    }

    /// Brings the in-service count of fleet `fid` to `target`: activates standby instances
    /// (oldest first) or deactivates in-service ones (fewest requests in flight, newest first).
    fn set_active(&mut self, fid: FleetId, target: u32) {
        let current = self.fleets[fid].in_service();
        if current < target {
            let ids = self.fleet_members(fid, |s| s == InstanceState::Standby);
            for id in ids.into_iter().take((target - current) as usize) {
                self.set_state(id, InstanceState::InService);
                self.pull_backlog(id);
            }
        } else if current > target {
            for id in self.least_busy(fid, current - target) {
                self.set_state(id, InstanceState::Standby);
            }
        }
    }

    /// Up to `count` in-service instances of fleet `fid` to take out of service: fewest
    /// requests in flight first, newest first among equals.
    fn least_busy(&self, fid: FleetId, count: u32) -> Vec<InstanceId> {
        let mut members: Vec<(u32, u64, InstanceId)> = self
            .instances
            .live()
            .filter(|i| i.fleet == fid && i.state == InstanceState::InService)
            .map(|i| (i.outstanding, i.serial, i.id))
            .collect();
        members.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        members.into_iter().take(count as usize).map(|m| m.2).collect()
    }

    /// Sets the traffic weights of the two fleets and hands the waiting requests of a fleet
    /// that no longer takes traffic to the other one.
    fn set_weights(&mut self, old: FleetId, new: FleetId, old_w: f64, new_w: f64) {
        self.fleets[old].traffic_weight = old_w;
        self.fleets[new].traffic_weight = new_w;
        for (from, to) in [(old, new), (new, old)] {
            let f = &self.fleets[from];
            if (f.traffic_weight > 0.0 && f.in_service() > 0) || f.backlog.is_empty() {
                continue;
            }
            let mut moved = std::mem::take(&mut self.fleets[from].backlog);
            moved.timer_armed = false;
            let target = &mut self.fleets[to].backlog;
            target.absorb(&mut moved);
            // The merged front may expire earlier than the timer the queue had armed.
            target.timer_armed = false;
            self.arm_backlog_timer(to);
            self.note_backlog(from);
            self.note_backlog(to);
            for id in self.fleet_members(to, |s| s == InstanceState::InService) {
                self.pull_backlog(id);
            }
        }
    }

    /// Terminates a booting instance at once; drains one that is up.
    fn drain_or_terminate(&mut self, id: InstanceId, cause: &str) {
        let Some(inst) = self.instances.get(id) else { return };
        if inst.state.is_booting() {
            self.terminate(id, cause);
        } else {
            self.drain(id, cause);
        }
    }

    /// Removes fleets with no live instance from the variant's list (never the current one, nor
    /// the two fleets of a deployment in progress).
    pub(in crate::sim) fn drop_empty_fleets(&mut self, v: VariantId) {
        let keep_new = self.deploy.fleets_of(v);
        let fleets = &self.variants[v].fleets;
        let last = *fleets.last().expect("a variant has a fleet");
        let keep: Vec<FleetId> = fleets
            .iter()
            .copied()
            .filter(|f| {
                *f == last
                    || keep_new.is_some_and(|(o, n)| *f == o || *f == n)
                    || self.fleets[*f].live() > 0
                    || !self.fleets[*f].backlog.is_empty()
            })
            .collect();
        self.variants[v].fleets = keep;
    }
}
