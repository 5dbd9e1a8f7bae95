//! Inference components: copies placed on a pool of hosts under managed instance scaling.
//!
//! Each component is one of the World's variants whose "instances" are model copies: a copy has
//! worker slots, is routed to like an instance of a fleet and scales on the component's
//! `DesiredCopyCount`. The physical instances are a separate pool of hosts that hold copies,
//! are billed from launch request to termination and count toward the account quota.
//!
//! Copy lifecycle: `Pending` (no room on any live host) -> `Provisioning` (placed on a host
//! that is still starting) -> `Loading` (container start and model load on an in-service host,
//! the component's `copy_load`) -> `InService` -> `Draining` -> `Terminated`. A draining copy
//! keeps its room until it terminates.
//!
//! Managed instance scaling (after every copy change): pending copies are placed on live hosts
//! (placement rule in `model::host`); copies still without room ask for as many new hosts as
//! they need packed first fit, up to `max_instance_count` (and the quota); copies beyond that
//! stay `Pending` and an activity row says so. Hosts left without copies terminate, booting ones
//! first and newest first, down to `min_instance_count`.

use super::config::{ComponentsConfig, StartState};
use super::event::Event;
use super::world::World;
use crate::engine::{SimRng, SimTime};
use crate::model::host::hosts_needed;
use crate::model::metrics::{Gauge, InstanceCounts};
use crate::model::{Activity, ActivityKind, FleetId, HostId, Hosts, InstanceId, InstanceState, VariantId};

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

/// The host pool and the copy-to-host map of an inference-component endpoint.
pub(super) struct ComponentHosts {
    pub cfg: ComponentsConfig,
    pub hosts: Hosts,
    /// Host of each copy, by instance slab slot (`None` while unplaced).
    pub copy_host: Vec<Option<HostId>>,
    /// Boot durations of hosts: the stream `hosts/<variant>`.
    pub rng: SimRng,
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
    /// Copies of each component last reported as waiting for room (a row only on change), and
    /// the count before the current instant's row, if one was written at `.0`.
    reported_waiting: Vec<u32>,
    waiting_before: Vec<Option<(SimTime, u32)>>,
    /// True while the warm start places its initial hosts and copies (all in service at once).
    warming: bool,
}

impl ComponentHosts {
    pub(super) fn new(cfg: ComponentsConfig, rng: SimRng, n_components: usize) -> Self {
        ComponentHosts {
            cfg,
            hosts: Hosts::default(),
            copy_host: Vec::new(),
            rng,
            billed: Gauge::default(),
            billed0: 0,
            in_service: Gauge::default(),
            in_service0: 0,
            period_start: SimTime::ZERO,
            points: Vec::new(),
            peak: 0,
            reported_waiting: vec![0; n_components],
            waiting_before: vec![None; n_components],
            warming: false,
        }
    }
}

impl World {
    /// Brings up the initial hosts and copies (warm: in service at time zero).
    pub(super) fn start_components(&mut self) {
        let warm = self.config.endpoint.start == StartState::Warm;
        let Some(hosts) = self.hosting.components_mut() else {
            return;
        };
        hosts.warming = warm;
        for _ in 0..hosts.cfg.initial_instance_count {
            self.launch_host("initial");
        }
        for v in self.variants.keys() {
            let fid = self.variants[v].fleets[0];
            for _ in 0..self.variants[v].desired {
                self.new_copy(fid, "initial");
            }
        }
        self.manage_instances("initial");
        if let Some(hosts) = self.hosting.components_mut() {
            hosts.warming = false;
        }
    }

    /// Requests a new copy of the component of fleet `fid` and places it.
    pub(super) fn launch_copy(&mut self, fid: FleetId, cause: &str) -> InstanceId {
        let id = self.new_copy(fid, cause);
        self.manage_instances(cause);
        id
    }

    fn new_copy(&mut self, fid: FleetId, cause: &str) -> InstanceId {
        let v = self.fleets[fid].variant;
        let conc = self.variants[v].concurrency;
        let id = self.instances.launch(fid, conc, self.now);
        self.fleets[fid].moved(None, InstanceState::Pending);
        self.billing_changed(v);
        if let Some(hosts) = self.hosting.components_mut() {
            let slot = id.slot as usize;
            if hosts.copy_host.len() <= slot {
                hosts.copy_host.resize(slot + 1, None);
            }
            hosts.copy_host[slot] = None;
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

    /// A copy terminated: its host gets the room back and the pool is managed again.
    pub(super) fn copy_gone(&mut self, id: InstanceId, v: VariantId, cause: &str) {
        let Some(hosts) = self.hosting.components_mut() else {
            return;
        };
        let need = hosts.cfg.requirements[usize::from(v)];
        if let Some(h) = hosts.copy_host.get_mut(id.slot as usize).and_then(Option::take) {
            if let Some(host) = hosts.hosts.get_mut(h) {
                host.free = host.free.plus(&need);
                host.copies -= 1;
            }
        }
        self.manage_instances(cause);
    }

    /// Managed instance scaling: places pending copies, launches the hosts they need (up to
    /// `max_instance_count`), terminates hosts left without copies down to
    /// `min_instance_count` (module docs).
    pub(super) fn manage_instances(&mut self, cause: &str) {
        let Some(hosts) = self.hosting.components() else { return };
        let (min, max) = (hosts.cfg.min_instance_count, hosts.cfg.max_instance_count);
        loop {
            let unplaced = self.place_pending();
            let Some(hosts) = self.hosting.components() else { return };
            if unplaced.is_empty() {
                break;
            }
            let needs: Vec<_> = unplaced
                .iter()
                .map(|(_, v)| hosts.cfg.requirements[usize::from(*v)])
                .collect();
            let wanted = hosts_needed(&hosts.cfg.capacity, &needs);
            let room = max.saturating_sub(hosts.hosts.live_count());
            let mut launched = 0;
            for _ in 0..wanted.min(room) {
                if self.launch_host(cause).is_none() {
                    break;
                }
                launched += 1;
            }
            if launched == 0 {
                break;
            }
        }
        self.report_waiting(cause, max);
        // Hosts without copies leave, booting ones first (least advanced), newest first.
        loop {
            let Some(hosts) = self.hosting.components() else { return };
            if hosts.hosts.live_count() <= min {
                break;
            }
            let idle = hosts
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
                Some(h) => self.terminate_host(h, cause),
                None => break,
            }
        }
        while self
            .hosting
            .components()
            .is_some_and(|hosts| hosts.hosts.live_count() < min)
        {
            if self.launch_host(cause).is_none() {
                break;
            }
        }
    }

    /// Places every pending copy that fits a live host; returns the rest as `(copy, component)`
    /// in request order.
    fn place_pending(&mut self) -> Vec<(InstanceId, VariantId)> {
        let mut pending: Vec<(u64, InstanceId, VariantId)> = self
            .instances
            .live()
            .filter(|i| i.state == InstanceState::Pending)
            .map(|i| (i.serial, i.id, self.fleets[i.fleet].variant))
            .collect();
        pending.sort_unstable();
        let mut rest = Vec::new();
        for (serial, id, v) in pending {
            let Some(hosts) = self.hosting.components_mut() else {
                break;
            };
            let need = hosts.cfg.requirements[usize::from(v)];
            let Some(h) = hosts.hosts.place(&need) else {
                rest.push((id, v));
                continue;
            };
            let host = hosts.hosts.get_mut(h).expect("placed on a live host");
            host.free = host.free.minus(&need);
            host.copies += 1;
            let (host_state, host_serial) = (host.state, host.serial);
            hosts.copy_host[id.slot as usize] = Some(h);
            let warming = hosts.warming;
            let vid = v;
            if host_state != InstanceState::InService {
                // Waits for its host to come into service.
                self.set_state(id, InstanceState::Provisioning);
            } else if warming {
                self.set_state(id, InstanceState::InService);
                self.record(
                    vid,
                    ActivityKind::InstanceInService,
                    "initial",
                    format!("copy-{serial} in service on i-{host_serial} (warm start)"),
                );
            } else {
                self.load_copy(id, serial, host_serial);
            }
        }
        rest
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

    /// Records a row per component whose count of copies waiting for room changed. Copies of
    /// one scaling activity are placed one by one; one row per instant gives the count the
    /// instant ends with (none when it ends where it began).
    fn report_waiting(&mut self, cause: &str, max: u32) {
        let now = self.now;
        let n = self.variants.len();
        let mut waiting = vec![0u32; n];
        for i in self.instances.live().filter(|i| i.state == InstanceState::Pending) {
            waiting[usize::from(self.fleets[i.fleet].variant)] += 1;
        }
        for (v, &w) in waiting.iter().enumerate() {
            let Some(hosts) = self.hosting.components_mut() else {
                return;
            };
            if hosts.reported_waiting[v] == w {
                continue;
            }
            let before = match hosts.waiting_before[v] {
                Some((t, b)) if t == now => Some(b),
                _ => None,
            };
            if before.is_none() {
                hosts.waiting_before[v] = Some((now, hosts.reported_waiting[v]));
            }
            hosts.reported_waiting[v] = w;
            let name = &self.variants[VariantId::from(v)].name;
            let earlier = before.and_then(|_| {
                self.activities
                    .iter()
                    .rposition(|a| a.time == now && a.kind == ActivityKind::CopiesPending && &a.variant == name)
            });
            if let Some(i) = earlier {
                // This instant already has a row: it ends with the new count, or with none.
                self.activities.remove(i);
                if before == Some(w) {
                    continue;
                }
            }
            let Some(hosts) = self.hosting.components() else { return };
            let live = hosts.hosts.live_count();
            let text = if w == 0 {
                "every copy placed".to_string()
            } else if live >= max {
                format!("{w} copies pending: no room on {live} instances and max_instance_count {max} reached")
            } else {
                format!("{w} copies pending: no room on {live} instances and the instance quota allows no more")
            };
            self.record(VariantId::from(v), ActivityKind::CopiesPending, cause, text);
        }
    }

    /// Requests a host (billing starts); `None` when the account quota refuses it.
    fn launch_host(&mut self, cause: &str) -> Option<HostId> {
        let now = self.now;
        let hosts = self.hosting.components_mut()?;
        let live = hosts.hosts.live_count();
        if let Some(q) = hosts.cfg.instance.endpoint_quota {
            if live + 1 > q {
                let text = format!(
                    "Failed: ResourceLimitExceeded: account-level service limit '{} for endpoint usage' is {q} Instances, with current utilization of {live} Instances and a request delta of 1 Instances",
                    hosts.cfg.instance.name
                );
                self.record_host(ActivityKind::ScalingFailed, cause, text);
                return None;
            }
        }
        let id = hosts.hosts.launch(hosts.cfg.capacity, now);
        hosts.billed.set(now, u64::from(live + 1));
        hosts.peak = hosts.peak.max(live + 1);
        let serial = hosts.hosts.get(id).expect("just launched").serial;
        let ty = hosts.cfg.instance.name.clone();
        if hosts.warming {
            hosts.hosts.get_mut(id).expect("live").state = InstanceState::InService;
            self.hosts_in_service_changed();
            self.record_host(
                ActivityKind::InstanceInService,
                "initial",
                format!("i-{serial} in service (warm start)"),
            );
        } else {
            let d = hosts.cfg.launch.pending.sample(&mut hosts.rng);
            self.record_host(
                ActivityKind::InstanceLaunch,
                cause,
                format!("i-{serial} requested ({ty})"),
            );
            self.queue.schedule(now + d, Event::HostPhaseDone { host: id });
        }
        Some(id)
    }

    /// A host's boot phase ended; stale events (host already terminated) are ignored.
    pub(super) fn on_host_phase_done(&mut self, id: HostId) {
        let now = self.now;
        let Some(hosts) = self.hosting.components_mut() else {
            return;
        };
        let Some(host) = hosts.hosts.get_mut(id) else { return };
        let serial = host.serial;
        match host.state {
            InstanceState::Pending => {
                host.state = InstanceState::Provisioning;
                let d = hosts.cfg.launch.provision.sample(&mut hosts.rng);
                self.queue.schedule(now + d, Event::HostPhaseDone { host: id });
            }
            InstanceState::Provisioning => {
                host.state = InstanceState::Loading;
                let d = hosts.cfg.launch.load.sample(&mut hosts.rng);
                self.queue.schedule(now + d, Event::HostPhaseDone { host: id });
            }
            InstanceState::Loading => {
                host.state = InstanceState::InService;
                let since = now - host.launched_at;
                self.hosts_in_service_changed();
                self.record_host(
                    ActivityKind::InstanceInService,
                    "launch",
                    format!("i-{serial} in service after {since}"),
                );
                // Copies waiting for this host start loading, in request order.
                let mut waiting: Vec<(u64, InstanceId)> = self
                    .instances
                    .live()
                    .filter(|i| {
                        i.state == InstanceState::Provisioning
                            && self
                                .hosting
                                .components()
                                .and_then(|hosts| hosts.copy_host.get(i.id.slot as usize).copied().flatten())
                                == Some(id)
                    })
                    .map(|i| (i.serial, i.id))
                    .collect();
                waiting.sort_unstable();
                for (s, c) in waiting {
                    self.load_copy(c, s, serial);
                }
                self.manage_instances("launch");
            }
            InstanceState::InService | InstanceState::Standby | InstanceState::Draining | InstanceState::Terminated => {
            }
        }
    }

    fn terminate_host(&mut self, id: HostId, cause: &str) {
        let now = self.now;
        let Some(hosts) = self.hosting.components_mut() else {
            return;
        };
        let Some(host) = hosts.hosts.get(id) else { return };
        let (serial, was_in_service) = (host.serial, host.state == InstanceState::InService);
        hosts.hosts.terminate(id);
        let live = hosts.hosts.live_count();
        hosts.billed.set(now, u64::from(live));
        if was_in_service {
            self.hosts_in_service_changed();
        }
        self.record_host(
            ActivityKind::InstanceTerminated,
            cause,
            format!("i-{serial} terminated"),
        );
    }

    /// The endpoint's capacity is its in-service hosts.
    fn hosts_in_service_changed(&mut self) {
        let now = self.now;
        let Some(hosts) = self.hosting.components_mut() else {
            return;
        };
        let n = hosts.hosts.count(InstanceState::InService);
        hosts.in_service.set(now, u64::from(n));
        self.metrics.endpoint_capacity(now, n);
    }

    fn record_host(&mut self, kind: ActivityKind, cause: &str, reason: String) {
        let Some(hosts) = self.hosting.components() else { return };
        self.activities.push(Activity {
            time: self.now,
            variant: hosts.cfg.variant.clone(),
            kind,
            cause: cause.to_string(),
            reason,
            change: Default::default(),
            policy: None,
        });
    }

    /// Closes the host pool's metrics period ending now.
    pub(super) fn close_host_period(&mut self) {
        let now = self.now;
        let Some(hosts) = self.hosting.components_mut() else {
            return;
        };
        let billed = hosts.billed.area_at(now) - hosts.billed0;
        hosts.billed0 += billed;
        let ins = hosts.in_service.area_at(now) - hosts.in_service0;
        hosts.in_service0 += ins;
        let len = now.0.saturating_sub(hosts.period_start.0);
        hosts.period_start = now;
        let instance_hours = billed as f64 / 3.6e9;
        let count = |s| hosts.hosts.count(s);
        let instances = InstanceCounts {
            pending: count(InstanceState::Pending),
            provisioning: count(InstanceState::Provisioning),
            loading: count(InstanceState::Loading),
            in_service: count(InstanceState::InService),
            standby: 0,
            draining: 0,
        };
        hosts.points.push(HostPoint {
            instances,
            mean_in_service: if len > 0 { ins as f64 / len as f64 } else { 0.0 },
            instance_hours,
            cost_usd: hosts.cfg.instance.price_per_hour_usd.map(|p| p * instance_hours),
        });
    }

    /// Whether the endpoint hosts inference components.
    #[inline]
    pub(super) fn hosts_components(&self) -> bool {
        self.hosting.is_components()
    }
}
