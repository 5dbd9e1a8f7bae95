//! The World's side of inference components: it creates the copies (they are its instances),
//! shows them to the host pool ([`PlacementView`]), and carries out the pool's commands.

use super::components::{CopyRef, HostPool, PlacementCommand, PlacementView};
use super::config::StartState;
use super::event::Event;
use super::hosting::Hosting;
use super::world::World;
use crate::model::{ActivityKind, FleetId, HostId, InstanceId, InstanceState, VariantId};

impl PlacementView for World {
    fn copies_in(&self, state: InstanceState) -> Vec<CopyRef> {
        let mut copies: Vec<CopyRef> = self
            .instances
            .live()
            .filter(|i| i.state == state)
            .map(|i| CopyRef {
                serial: i.serial,
                id: i.id,
                component: self.fleets[i.fleet].variant,
            })
            .collect();
        copies.sort_unstable();
        copies
    }
}

impl World {
    /// Brings up the initial hosts and copies (warm: in service at time zero).
    pub(super) fn start_components(&mut self) {
        let warm = self.config.endpoint.start == StartState::Warm;
        let now = self.now;
        let Some(cmds) = self.hosting.components_mut().map(|pool| pool.begin_start(now, warm)) else {
            return;
        };
        self.apply_placement(cmds);
        for v in self.variants.keys() {
            let fid = self.variants[v].fleets[0];
            for _ in 0..self.variants[v].desired {
                self.new_copy(fid, "initial");
            }
        }
        self.with_host_pool(|pool, world| pool.manage(world, now, "initial"));
        if let Some(pool) = self.hosting.components_mut() {
            pool.end_start();
        }
    }

    /// Requests a new copy of the component of fleet `fid` and places it.
    pub(super) fn launch_copy(&mut self, fid: FleetId, cause: &str) -> InstanceId {
        let id = self.new_copy(fid, cause);
        let now = self.now;
        self.with_host_pool(|pool, world| pool.manage(world, now, cause));
        id
    }

    fn new_copy(&mut self, fid: FleetId, cause: &str) -> InstanceId {
        let v = self.fleets[fid].variant;
        let conc = self.variants[v].concurrency;
        let id = self.instances.launch(fid, conc, self.now);
        self.fleets[fid].moved(None, InstanceState::Pending);
        self.billing_changed(v);
        if let Some(pool) = self.hosting.components_mut() {
            pool.on_copy_requested(id);
        }
        let serial = self.instances.get(id).expect("just launched").serial;
        self.record(
            v,
            ActivityKind::InstanceLaunch,
            cause,
            format!("copy-{serial} requested"),
        );
        id
    }

    /// A copy terminated: the host pool gets its room back.
    pub(super) fn copy_gone(&mut self, id: InstanceId, v: VariantId, cause: &str) {
        let now = self.now;
        self.with_host_pool(|pool, world| pool.on_copy_gone(world, now, id, v, cause));
    }

    /// A host's boot phase ended.
    pub(super) fn on_host_phase_done(&mut self, id: HostId) {
        let now = self.now;
        self.with_host_pool(|pool, world| pool.on_host_phase_done(world, now, id));
    }

    /// Closes the host pool's metrics period ending now.
    pub(super) fn close_host_period(&mut self) {
        let now = self.now;
        if let Some(pool) = self.hosting.components_mut() {
            pool.close_period(now);
        }
    }

    /// Whether the endpoint hosts inference components.
    #[inline]
    pub(super) fn hosts_components(&self) -> bool {
        self.hosting.is_components()
    }

    /// Asks the host pool to decide, showing it the World, then carries out its commands.
    /// The pool is lifted out of the World while it decides, so it reads the World without
    /// borrowing it; it is back before any command is applied.
    fn with_host_pool(&mut self, decide: impl FnOnce(&mut HostPool, &World) -> Vec<PlacementCommand>) {
        if !self.hosting.is_components() {
            return;
        }
        let Hosting::Components(mut pool) = std::mem::replace(&mut self.hosting, Hosting::Instances) else {
            unreachable!("checked above")
        };
        let cmds = decide(&mut pool, self);
        self.hosting = Hosting::Components(pool);
        self.apply_placement(cmds);
    }

    fn apply_placement(&mut self, cmds: Vec<PlacementCommand>) {
        for cmd in cmds {
            match cmd {
                PlacementCommand::SetCopyState { copy, state } => self.set_state(copy, state),
                PlacementCommand::LoadCopy {
                    copy,
                    serial,
                    host_serial,
                } => self.load_copy(copy, serial, host_serial),
                PlacementCommand::CopyRow {
                    component,
                    kind,
                    cause,
                    reason,
                } => self.record(component, kind, &cause, reason),
                PlacementCommand::WithdrawWaitingRow { component } => {
                    let (now, name) = (self.now, &self.variants[component].name);
                    let row = self
                        .activities
                        .iter()
                        .rposition(|a| a.time == now && a.kind == ActivityKind::CopiesPending && &a.variant == name);
                    if let Some(i) = row {
                        self.activities.remove(i);
                    }
                }
                PlacementCommand::HostRow(activity) => self.activities.push(activity),
                PlacementCommand::EndpointCapacity(n) => self.metrics.endpoint_capacity(self.now, n),
                PlacementCommand::Schedule { at, event } => {
                    self.queue.schedule(at, event);
                }
            }
        }
    }

    /// A placed copy starts its container and loads its model on an in-service host.
    fn load_copy(&mut self, id: InstanceId, serial: u64, host_serial: u64) {
        let Some(inst) = self.instances.get(id) else { return };
        let fid = inst.fleet;
        let v = self.fleets[fid].variant;
        self.set_state(id, InstanceState::Loading);
        let d = self.fleet_launch[fid].load.sample(&mut self.streams[v].launch);
        self.record(
            v,
            ActivityKind::InstanceLoading,
            "placement",
            format!("copy-{serial} placed on i-{host_serial}; loading model"),
        );
        self.queue.schedule(self.now + d, Event::PhaseDone { instance: id });
    }
}
