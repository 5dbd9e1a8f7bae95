//! The host pool controller: where copies go, which hosts to launch and which to let go
//! (managed instance scaling, module docs of `components`).

use super::super::config::ComponentsConfig;
use super::super::event::Event;
use super::billing::PoolBilling;
use super::command::{CopyRef, PlacementCommand, PlacementView};
use super::waiting::{PoolLimit, WaitingReport};
use crate::engine::{SimRng, SimTime};
use crate::model::host::hosts_needed;
use crate::model::{Activity, ActivityKind, HostId, Hosts, InstanceId, InstanceState, VariantId};
use typed_index_collections::TiVec;

/// The hosts of an inference-component endpoint and the copies placed on them.
pub(in crate::sim) struct HostPool {
    pub cfg: ComponentsConfig,
    pub hosts: Hosts,
    /// Host of each copy, by instance slab slot (`None` while unplaced).
    copy_host: Vec<Option<HostId>>,
    /// Boot durations of hosts: the stream `hosts/<variant>`.
    rng: SimRng,
    pub billing: PoolBilling,
    waiting: WaitingReport,
    /// True while the warm start places its initial hosts and copies (all in service at once).
    warming: bool,
}

type Commands = Vec<PlacementCommand>;

impl HostPool {
    pub fn new(cfg: ComponentsConfig, rng: SimRng, components: usize) -> Self {
        HostPool {
            cfg,
            hosts: Hosts::default(),
            copy_host: Vec::new(),
            rng,
            billing: PoolBilling::default(),
            waiting: WaitingReport::new(components),
            warming: false,
        }
    }

    /// Launches the initial hosts. With a warm start they are in service at once, and so are
    /// the copies placed until [`HostPool::end_start`].
    pub fn begin_start(&mut self, now: SimTime, warm: bool) -> Commands {
        self.warming = warm;
        let mut cmds = Vec::new();
        for _ in 0..self.cfg.initial_instance_count {
            self.launch_host(now, "initial", &mut cmds);
        }
        cmds
    }

    /// The start's copies are placed: later hosts and copies boot.
    pub fn end_start(&mut self) {
        self.warming = false;
    }

    /// The World requested a new copy: it has no host yet.
    pub fn on_copy_requested(&mut self, copy: InstanceId) {
        let slot = copy.slot as usize;
        if self.copy_host.len() <= slot {
            self.copy_host.resize(slot + 1, None);
        }
        self.copy_host[slot] = None;
    }

    /// A copy terminated: its host gets the room back and the pool is managed again.
    pub fn on_copy_gone(
        &mut self,
        view: &dyn PlacementView,
        now: SimTime,
        copy: InstanceId,
        component: VariantId,
        cause: &str,
    ) -> Commands {
        let need = self.cfg.requirements[component];
        if let Some(h) = self.copy_host.get_mut(copy.slot as usize).and_then(Option::take) {
            if let Some(host) = self.hosts.get_mut(h) {
                host.free = host.free.plus(&need);
                host.copies -= 1;
            }
        }
        self.manage(view, now, cause)
    }

    /// Managed instance scaling: places pending copies, launches the hosts they need (up to
    /// `max_instance_count`), terminates hosts left without copies down to
    /// `min_instance_count` (module docs).
    pub fn manage(&mut self, view: &dyn PlacementView, now: SimTime, cause: &str) -> Commands {
        let mut cmds = Vec::new();
        self.manage_into(view.copies_in(InstanceState::Pending), now, cause, &mut cmds);
        cmds
    }

    fn manage_into(&mut self, mut pending: Vec<CopyRef>, now: SimTime, cause: &str, cmds: &mut Commands) {
        let (min, max) = (self.cfg.min_instance_count, self.cfg.max_instance_count);
        loop {
            pending = self.place(pending, cmds);
            if pending.is_empty() {
                break;
            }
            let needs: Vec<_> = pending.iter().map(|c| self.cfg.requirements[c.component]).collect();
            let wanted = hosts_needed(&self.cfg.capacity, &needs);
            let room = max.saturating_sub(self.hosts.live_count());
            let mut launched = 0;
            for _ in 0..wanted.min(room) {
                if self.launch_host(now, cause, cmds).is_none() {
                    break;
                }
                launched += 1;
            }
            if launched == 0 {
                break;
            }
        }
        let mut waiting: TiVec<VariantId, u32> = vec![0; self.waiting.components()].into();
        for c in &pending {
            waiting[c.component] += 1;
        }
        let limit = PoolLimit {
            live: self.hosts.live_count(),
            max,
        };
        cmds.extend(self.waiting.rows(now, &waiting, &limit, cause));
        // Hosts without copies leave, booting ones first (least advanced), newest first.
        while self.hosts.live_count() > min {
            let idle = self
                .hosts
                .live()
                .filter(|h| h.copies == 0)
                .min_by(|a, b| {
                    let booting = |s: InstanceState| u8::from(s == InstanceState::InService);
                    booting(a.state)
                        .cmp(&booting(b.state))
                        .then(a.state.cmp(&b.state))
                        .then(b.serial.cmp(&a.serial))
                })
                .map(|h| h.id);
            match idle {
                Some(h) => self.terminate_host(h, now, cause, cmds),
                None => break,
            }
        }
        while self.hosts.live_count() < min {
            if self.launch_host(now, cause, cmds).is_none() {
                break;
            }
        }
    }

    /// Places every copy of `pending` (in request order) that fits a live host; returns the
    /// rest, still in request order.
    fn place(&mut self, pending: Vec<CopyRef>, cmds: &mut Commands) -> Vec<CopyRef> {
        let mut rest = Vec::new();
        for copy in pending {
            let need = self.cfg.requirements[copy.component];
            let Some(h) = self.hosts.place(&need) else {
                rest.push(copy);
                continue;
            };
            let host = self.hosts.get_mut(h).expect("placed on a live host");
            host.free = host.free.minus(&need);
            host.copies += 1;
            let (host_state, host_serial) = (host.state, host.serial);
            self.copy_host[copy.id.slot as usize] = Some(h);
            if host_state != InstanceState::InService {
                // Waits for its host to come into service.
                cmds.push(PlacementCommand::SetCopyState {
                    copy: copy.id,
                    state: InstanceState::Provisioning,
                });
            } else if self.warming {
                cmds.push(PlacementCommand::SetCopyState {
                    copy: copy.id,
                    state: InstanceState::InService,
                });
                cmds.push(PlacementCommand::CopyRow {
                    component: copy.component,
                    kind: ActivityKind::InstanceInService,
                    cause: "initial".to_string(),
                    reason: format!("copy-{} in service on i-{host_serial} (warm start)", copy.serial),
                });
            } else {
                cmds.push(PlacementCommand::LoadCopy {
                    copy: copy.id,
                    serial: copy.serial,
                    host_serial,
                });
            }
        }
        rest
    }

    /// Requests a host (billing starts); `None` when the account quota refuses it.
    fn launch_host(&mut self, now: SimTime, cause: &str, cmds: &mut Commands) -> Option<HostId> {
        let live = self.hosts.live_count();
        if let Some(q) = self.cfg.instance.endpoint_quota {
            if live + 1 > q {
                let text = format!(
                    "Failed: ResourceLimitExceeded: account-level service limit '{} for endpoint usage' is {q} Instances, with current utilization of {live} Instances and a request delta of 1 Instances",
                    self.cfg.instance.name
                );
                cmds.push(self.host_row(now, ActivityKind::ScalingFailed, cause, text));
                return None;
            }
        }
        let id = self.hosts.launch(self.cfg.capacity, now);
        self.billing.live(now, live + 1);
        let serial = self.hosts.get(id).expect("just launched").serial;
        if self.warming {
            self.hosts.get_mut(id).expect("live").state = InstanceState::InService;
            self.in_service_changed(now, cmds);
            cmds.push(self.host_row(
                now,
                ActivityKind::InstanceInService,
                "initial",
                format!("i-{serial} in service (warm start)"),
            ));
        } else {
            let d = self.cfg.launch.pending.sample(&mut self.rng);
            let reason = format!("i-{serial} requested ({})", self.cfg.instance.name);
            cmds.push(self.host_row(now, ActivityKind::InstanceLaunch, cause, reason));
            cmds.push(PlacementCommand::Schedule {
                at: now + d,
                event: Event::HostPhaseDone { host: id },
            });
        }
        Some(id)
    }

    /// A host's boot phase ended; stale events (host already terminated) are ignored. A host
    /// coming into service starts loading the copies that wait for it, in request order.
    pub fn on_host_phase_done(&mut self, view: &dyn PlacementView, now: SimTime, id: HostId) -> Commands {
        let mut cmds = Vec::new();
        let Some(host) = self.hosts.get_mut(id) else {
            return cmds;
        };
        let serial = host.serial;
        match host.state {
            InstanceState::Pending => {
                host.state = InstanceState::Provisioning;
                let d = self.cfg.launch.provision.sample(&mut self.rng);
                cmds.push(PlacementCommand::Schedule {
                    at: now + d,
                    event: Event::HostPhaseDone { host: id },
                });
            }
            InstanceState::Provisioning => {
                host.state = InstanceState::Loading;
                let d = self.cfg.launch.load.sample(&mut self.rng);
                cmds.push(PlacementCommand::Schedule {
                    at: now + d,
                    event: Event::HostPhaseDone { host: id },
                });
            }
            InstanceState::Loading => {
                host.state = InstanceState::InService;
                let since = now - host.launched_at;
                self.in_service_changed(now, &mut cmds);
                cmds.push(self.host_row(
                    now,
                    ActivityKind::InstanceInService,
                    "launch",
                    format!("i-{serial} in service after {since}"),
                ));
                for c in view.copies_in(InstanceState::Provisioning) {
                    if self.copy_host.get(c.id.slot as usize).copied().flatten() == Some(id) {
                        cmds.push(PlacementCommand::LoadCopy {
                            copy: c.id,
                            serial: c.serial,
                            host_serial: serial,
                        });
                    }
                }
                // Loading copies leaves the pending ones as they are.
                self.manage_into(view.copies_in(InstanceState::Pending), now, "launch", &mut cmds);
            }
            InstanceState::InService | InstanceState::Standby | InstanceState::Draining | InstanceState::Terminated => {
            }
        }
        cmds
    }

    fn terminate_host(&mut self, id: HostId, now: SimTime, cause: &str, cmds: &mut Commands) {
        let Some(host) = self.hosts.get(id) else { return };
        let (serial, was_in_service) = (host.serial, host.state == InstanceState::InService);
        self.hosts.terminate(id);
        self.billing.live(now, self.hosts.live_count());
        if was_in_service {
            self.in_service_changed(now, cmds);
        }
        cmds.push(self.host_row(
            now,
            ActivityKind::InstanceTerminated,
            cause,
            format!("i-{serial} terminated"),
        ));
    }

    /// The endpoint's capacity is its in-service hosts.
    fn in_service_changed(&mut self, now: SimTime, cmds: &mut Commands) {
        let n = self.hosts.count(InstanceState::InService);
        self.billing.in_service(now, n);
        cmds.push(PlacementCommand::EndpointCapacity(n));
    }

    fn host_row(&self, now: SimTime, kind: ActivityKind, cause: &str, reason: String) -> PlacementCommand {
        PlacementCommand::HostRow(Activity {
            time: now,
            variant: self.cfg.variant.clone(),
            kind,
            cause: cause.to_string(),
            reason,
            change: Default::default(),
            policy: None,
        })
    }

    /// Closes the pool's metrics period ending now.
    pub fn close_period(&mut self, now: SimTime) {
        self.billing
            .close_period(now, &self.hosts, self.cfg.instance.price_per_hour_usd);
    }
}
