//! Instance lifecycle and convergence to the desired count.
//!
//! Scale-in order (documented contract): instances not yet in service leave first, the least
//! advanced first (`Pending`, then `Provisioning`, then `Loading`), newest first among equals;
//! then in-service instances with the fewest requests in flight, newest first among equals.
//! Booting instances terminate at once; in-service ones drain: they take no new work, finish
//! what they hold and then terminate.

use super::event::Event;
use super::world::World;
use crate::model::{ActivityKind, Change, FleetId, InstanceId, InstanceState, VariantId};

impl World {
    /// An initial instance of a warm endpoint: in service at time zero.
    pub(super) fn launch_warm(&mut self, fid: FleetId) {
        let v = self.fleets[fid].variant;
        let conc = self.variants[v].concurrency;
        let id = self.instances.launch(fid, conc, self.now);
        self.fleets[fid].moved(None, InstanceState::Pending);
        self.billing_changed(v);
        self.set_state(id, InstanceState::InService);
        let serial = self.instances.get(id).expect("just launched").serial;
        self.record(
            v,
            ActivityKind::InstanceInService,
            "initial",
            format!("i-{serial} in service (warm start)"),
        );
    }

    /// Requests a new instance in fleet `fid`; it goes through the boot phases.
    pub(super) fn launch(&mut self, fid: FleetId, cause: &str) -> InstanceId {
        if self.hosts_components() {
            // A copy of an inference component: placed on a host, not booted on its own.
            return self.launch_copy(fid, cause);
        }
        let v = self.fleets[fid].variant;
        let conc = self.variants[v].concurrency;
        let id = self.instances.launch(fid, conc, self.now);
        self.fleets[fid].moved(None, InstanceState::Pending);
        self.billing_changed(v);
        let serial = self.instances.get(id).expect("just launched").serial;
        self.record(
            v,
            ActivityKind::InstanceLaunch,
            cause,
            format!("i-{serial} requested ({})", self.variants[v].instance.name),
        );
        let d = self.fleet_launch[fid].pending.sample(&mut self.streams[v].launch);
        self.queue.schedule(self.now + d, Event::PhaseDone { instance: id });
        id
    }

    /// A boot phase ended; stale events (instance already terminated) are ignored.
    pub(super) fn on_phase_done(&mut self, id: InstanceId) {
        let Some(inst) = self.instances.get(id) else { return };
        let fid = inst.fleet;
        let serial = inst.serial;
        let v = self.fleets[fid].variant;
        let launch = &self.fleet_launch[fid];
        let rng = &mut self.streams[v].launch;
        match inst.state {
            InstanceState::Pending => {
                let d = launch.provision.sample(rng);
                self.set_state(id, InstanceState::Provisioning);
                self.queue.schedule(self.now + d, Event::PhaseDone { instance: id });
            }
            InstanceState::Provisioning => {
                let d = launch.load.sample(rng);
                self.set_state(id, InstanceState::Loading);
                self.record(
                    v,
                    ActivityKind::InstanceLoading,
                    "launch",
                    format!("i-{serial} provisioned; loading model"),
                );
                self.queue.schedule(self.now + d, Event::PhaseDone { instance: id });
            }
            InstanceState::Loading if self.fleets[fid].hold => {
                // A deployment's instance: ready, but it takes traffic only when activated.
                self.set_state(id, InstanceState::Standby);
                let since = self.now - self.instances.get(id).expect("live").launched_at;
                self.record(
                    v,
                    ActivityKind::InstanceInService,
                    "launch",
                    format!("i-{serial} ready after {since}; held without traffic until activated"),
                );
                self.deployment_instance_ready(id);
            }
            InstanceState::Loading => {
                self.set_state(id, InstanceState::InService);
                let since = self.now - self.instances.get(id).expect("live").launched_at;
                self.record(
                    v,
                    ActivityKind::InstanceInService,
                    "launch",
                    format!("{} in service after {since}", self.unit(serial)),
                );
                self.pull_backlog(id);
            }
            InstanceState::InService | InstanceState::Standby | InstanceState::Draining | InstanceState::Terminated => {
            }
        }
    }

    /// Moves an instance to `to`, keeping counts, routing lists and metrics gauges in step.
    pub(super) fn set_state(&mut self, id: InstanceId, to: InstanceState) {
        let now = self.now;
        let inst = self.instances.get_mut(id).expect("state change of a live instance");
        let from = inst.state;
        inst.state = to;
        let outstanding = inst.outstanding;
        let fid = inst.fleet;
        let fleet = &mut self.fleets[fid];
        fleet.moved(Some(from), to);
        let (v, series) = (fleet.variant, fleet.series);
        if to == InstanceState::InService {
            fleet.add_routable(&mut self.instances, id);
            self.variants[v].in_service += 1;
        } else if from == InstanceState::InService {
            fleet.remove_routable(&mut self.instances, id);
            self.variants[v].in_service -= 1;
            if outstanding > 0 {
                self.metrics.busy_adjust(series, now, -i64::from(outstanding));
            }
        }
        if to == InstanceState::InService && outstanding > 0 {
            // A reactivated standby instance brings its unfinished work back into the gauge.
            self.metrics.busy_adjust(series, now, i64::from(outstanding));
        }
        if to == InstanceState::InService || from == InstanceState::InService {
            self.capacity_changed(v);
        }
        if to == InstanceState::InService {
            self.check_activity_end(v);
        }
    }

    /// Configuration series of the fleets of variant `v`, each once.
    fn config_series(&self, v: VariantId) -> Vec<usize> {
        let mut cs: Vec<usize> = Vec::new();
        for f in &self.variants[v].fleets {
            if let Some(c) = self.fleets[*f].series.config() {
                if !cs.contains(&c) {
                    cs.push(c);
                }
            }
        }
        cs
    }

    fn capacity_changed(&mut self, v: VariantId) {
        let now = self.now;
        let variant = &self.variants[v];
        let conc = variant.concurrency;
        self.metrics
            .capacity(v.into(), now, variant.in_service, variant.in_service * conc);
        for c in self.config_series(v) {
            let n: u32 = self.config_fleets(c).map(|f| f.in_service()).sum();
            self.metrics.capacity(c, now, n, n * conc);
        }
        if self.hosts_components() {
            // The endpoint's capacity is its hosts' (see `components/`).
            return;
        }
        // The endpoint's capacity is its production variants'.
        let total: u32 = self.variants.iter().filter(|x| !x.shadow).map(|x| x.in_service).sum();
        self.metrics.endpoint_capacity(now, total);
    }

    pub(super) fn billing_changed(&mut self, v: VariantId) {
        let live: u32 = self.variants[v].fleets.iter().map(|f| self.fleets[*f].live()).sum();
        self.metrics.billed(v.into(), self.now, live);
        self.deploy.billing_changed(v, live, self.now);
        for c in self.config_series(v) {
            let live: u32 = self.config_fleets(c).map(|f| f.live()).sum();
            self.metrics.billed(c, self.now, live);
        }
    }

    /// Terminates an instance (billing stops).
    pub(super) fn terminate(&mut self, id: InstanceId, why: &str) {
        let Some(inst) = self.instances.get(id) else { return };
        let (serial, fid, state) = (inst.serial, inst.fleet, inst.state);
        if state == InstanceState::InService {
            self.set_state(id, InstanceState::Draining);
        }
        let fleet = &mut self.fleets[fid];
        fleet.moved(
            Some(if state == InstanceState::InService {
                InstanceState::Draining
            } else {
                state
            }),
            InstanceState::Terminated,
        );
        let v = fleet.variant;
        self.instances.terminate(id);
        self.billing_changed(v);
        if self.fleets[fid].live() == 0 {
            self.drop_empty_fleets(v);
        }
        self.check_activity_end(v);
        let unit = self.unit(serial);
        self.record(v, ActivityKind::InstanceTerminated, why, format!("{unit} terminated"));
        self.copy_gone(id, v, why);
    }

    /// How activity rows name a unit of a variant: `i-7` for an instance, `copy-7` for a copy
    /// of an inference component.
    fn unit(&self, serial: u64) -> String {
        if self.hosts_components() {
            format!("copy-{serial}")
        } else {
            format!("i-{serial}")
        }
    }

    /// Stops routing to an instance; it terminates once its in-flight requests finish.
    pub(super) fn drain(&mut self, id: InstanceId, cause: &str) {
        let Some(inst) = self.instances.get(id) else { return };
        let (serial, fid, outstanding) = (inst.serial, inst.fleet, inst.outstanding);
        let v = self.fleets[fid].variant;
        self.set_state(id, InstanceState::Draining);
        self.record(
            v,
            ActivityKind::InstanceDraining,
            cause,
            format!("{} draining ({outstanding} in flight)", self.unit(serial)),
        );
        if outstanding == 0 {
            self.terminate(id, "drained");
        }
    }

    /// Sets the desired instance count of variant `v` and converges its current fleet to it.
    pub fn set_desired(&mut self, v: VariantId, desired: u32, cause: &str, reason: &str) {
        self.set_desired_by(v, desired, cause, reason, None);
    }

    /// [`World::set_desired`] on the decision of scaling policy `policy` (named on the row).
    pub(super) fn set_desired_by(
        &mut self,
        v: VariantId,
        desired: u32,
        cause: &str,
        reason: &str,
        policy: Option<String>,
    ) {
        let old = self.variants[v].desired;
        self.variants[v].desired = desired;
        // The scalable target tracks the dimension it scales, whoever changed it (a policy, a
        // scheduled action or an out-of-band update).
        self.scaling.on_desired_changed(v, desired);
        if old != desired {
            // Policies already spell out the change; other callers get it appended.
            let change = format!("desired {old} -> {desired}");
            let text = if reason.contains(&change) {
                reason.to_string()
            } else {
                format!("{reason}; {change}")
            };
            let change = Change::Desired { from: old, to: desired };
            self.record_change(Some(v), ActivityKind::CapacityChange, cause, text, change, policy);
        }
        self.converge(v, cause);
    }

    /// Launches or removes instances of the variant's current fleet until the count of
    /// non-draining instances equals the desired count.
    pub(super) fn converge(&mut self, v: VariantId, cause: &str) {
        if self.hosting.is_serverless() {
            // The desired count of a serverless variant is its provisioned concurrency.
            return self.serverless_converge(cause);
        }
        let fid = *self.variants[v].fleets.last().expect("a variant has a fleet");
        let desired = self.variants[v].desired;
        let mut members: Vec<(InstanceState, u32, u64, InstanceId)> = self
            .instances
            .live()
            .filter(|i| i.fleet == fid && i.state != InstanceState::Draining)
            .map(|i| (i.state, i.outstanding, i.serial, i.id))
            .collect();
        let active = members.len() as u32;
        if active < desired {
            for _ in active..desired {
                self.launch(fid, cause);
            }
        } else if active > desired {
            // Booting before in service, least advanced first; then fewest in flight; newest first.
            members.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
            for (state, _, _, id) in members.into_iter().take((active - desired) as usize) {
                if state.is_booting() {
                    self.terminate(id, cause);
                } else {
                    self.drain(id, cause);
                }
            }
        }
    }
}
