//! The host pool driven without a World: a fake list of copies stands in for the World's
//! instances and carries out the state changes the pool asks for.

use super::super::config::{ComponentsConfig, LaunchConfig};
use super::super::event::Event;
use super::*;
use crate::engine::{RngStreams, SimDuration, SimTime};
use crate::model::catalog::{InstanceSpec, Provenance};
use crate::model::distribution::DurationDist;
use crate::model::{ActivityKind, HostId, InstanceId, InstanceState, Resources, VariantId};

/// The copies the World would hold: `(copy, state)`, serial = position.
#[derive(Default)]
struct FakeCopies {
    copies: Vec<(CopyRef, InstanceState)>,
}

impl PlacementView for FakeCopies {
    fn copies_in(&self, state: InstanceState) -> Vec<CopyRef> {
        self.copies
            .iter()
            .filter(|(_, s)| *s == state)
            .map(|(c, _)| *c)
            .collect()
    }
}

impl FakeCopies {
    /// Requests a copy of `component` and tells the pool.
    fn request(&mut self, pool: &mut HostPool, component: u16) -> InstanceId {
        let n = self.copies.len() as u32;
        let id = InstanceId { slot: n, gen: 0 };
        let copy = CopyRef {
            serial: u64::from(n),
            id,
            component: VariantId(component),
        };
        self.copies.push((copy, InstanceState::Pending));
        pool.on_copy_requested(id);
        id
    }

    fn set(&mut self, id: InstanceId, to: InstanceState) {
        let c = self.copies.iter_mut().find(|(c, _)| c.id == id).expect("known copy");
        c.1 = to;
    }

    /// Carries out the copy state changes among `cmds` (loading counts as `Loading`).
    fn apply(&mut self, cmds: &[PlacementCommand]) {
        for cmd in cmds {
            match cmd {
                PlacementCommand::SetCopyState { copy, state } => self.set(*copy, *state),
                PlacementCommand::LoadCopy { copy, .. } => self.set(*copy, InstanceState::Loading),
                _ => {}
            }
        }
    }
}

const MIN: SimDuration = SimDuration(60_000_000);

fn resources(cpu: u64) -> Resources {
    Resources {
        accelerator_milli: 0,
        cpu_milli: cpu * 1000,
        memory_mb: 1024 * cpu,
    }
}

/// A pool of 4-core hosts booting in 1 + 1 + 1 minutes; one component per entry of `needs`
/// (cores per copy).
fn pool(initial: u32, min: u32, max: u32, quota: Option<u32>, needs: &[u64]) -> HostPool {
    let constant = |d| DurationDist::Constant(d);
    let cfg = ComponentsConfig {
        variant: "hosts".to_string(),
        instance: InstanceSpec {
            name: "ml.c5.xlarge".to_string(),
            vcpus: Some(4),
            memory_gib: Some(8.0),
            gpus: None,
            gpu_memory_gib: None,
            price_per_hour_usd: Some(2.0),
            local_nvme: false,
            burstable: false,
            arch: crate::model::catalog::Arch::X86,
            hardware_provenance: Provenance::Scenario,
            price_provenance: Provenance::Scenario,
            endpoint_quota: quota,
        },
        initial_instance_count: initial,
        min_instance_count: min,
        max_instance_count: max,
        launch: LaunchConfig {
            pending: constant(MIN),
            provision: constant(MIN),
            load: constant(MIN),
        },
        capacity: resources(4),
        requirements: needs.iter().map(|&c| resources(c)).collect(),
    };
    HostPool::new(cfg, RngStreams::new(1).stream("hosts/test"), needs.len())
}

fn at(min: u64) -> SimTime {
    SimTime(min * MIN.0)
}

fn host_rows(cmds: &[PlacementCommand]) -> Vec<(ActivityKind, String)> {
    cmds.iter()
        .filter_map(|c| match c {
            PlacementCommand::HostRow(a) => Some((a.kind, a.reason.clone())),
            _ => None,
        })
        .collect()
}

fn copy_rows(cmds: &[PlacementCommand]) -> Vec<(ActivityKind, String)> {
    cmds.iter()
        .filter_map(|c| match c {
            PlacementCommand::CopyRow { kind, reason, .. } => Some((*kind, reason.clone())),
            _ => None,
        })
        .collect()
}

fn scheduled_host(cmds: &[PlacementCommand]) -> Vec<(SimTime, HostId)> {
    cmds.iter()
        .filter_map(|c| match c {
            PlacementCommand::Schedule {
                at,
                event: Event::HostPhaseDone { host },
            } => Some((*at, *host)),
            _ => None,
        })
        .collect()
}

#[test]
fn copies_wait_for_their_booting_host_then_load_in_request_order() {
    let mut pool = pool(0, 0, 4, None, &[2]);
    let mut world = FakeCopies::default();
    let a = world.request(&mut pool, 0);
    let b = world.request(&mut pool, 0);
    let cmds = pool.manage(&world, at(0), "scale-out");
    world.apply(&cmds);
    // Two 2-core copies fit one 4-core host: one host, both copies wait for it.
    assert_eq!(
        host_rows(&cmds),
        [(ActivityKind::InstanceLaunch, "i-0 requested (ml.c5.xlarge)".to_string())]
    );
    let [(t, host)] = scheduled_host(&cmds)[..] else {
        panic!("one host: {cmds:?}")
    };
    assert_eq!(t, at(1));
    assert_eq!(world.copies_in(InstanceState::Provisioning).len(), 2);
    // Pending -> Provisioning -> Loading: one phase each, nothing else happens.
    let cmds = pool.on_host_phase_done(&world, at(1), host);
    assert_eq!(scheduled_host(&cmds), [(at(2), host)]);
    let cmds = pool.on_host_phase_done(&world, at(2), host);
    assert_eq!(scheduled_host(&cmds), [(at(3), host)]);
    // In service: the capacity, the row, then each waiting copy loads, oldest first.
    let cmds = pool.on_host_phase_done(&world, at(3), host);
    assert_eq!(cmds[0], PlacementCommand::EndpointCapacity(1));
    assert_eq!(
        host_rows(&cmds),
        [(ActivityKind::InstanceInService, "i-0 in service after 3m".to_string())]
    );
    let loads: Vec<_> = cmds
        .iter()
        .filter_map(|c| match c {
            PlacementCommand::LoadCopy { copy, host_serial, .. } => Some((*copy, *host_serial)),
            _ => None,
        })
        .collect();
    assert_eq!(loads, [(a, 0), (b, 0)]);
}

#[test]
fn copies_beyond_max_instance_count_wait_with_a_row_that_says_why() {
    let mut pool = pool(0, 0, 2, None, &[4]);
    let mut world = FakeCopies::default();
    for _ in 0..3 {
        world.request(&mut pool, 0);
    }
    let cmds = pool.manage(&world, at(0), "scale-out");
    assert_eq!(scheduled_host(&cmds).len(), 2);
    assert_eq!(
        copy_rows(&cmds),
        [(
            ActivityKind::CopiesPending,
            "1 copies pending: no room on 2 instances and max_instance_count 2 reached".to_string()
        )]
    );
    // Same count again: no new row.
    world.apply(&cmds);
    assert!(copy_rows(&pool.manage(&world, at(0), "scale-out")).is_empty());
}

#[test]
fn a_waiting_row_undone_within_its_instant_is_withdrawn() {
    let mut pool = pool(1, 0, 1, None, &[4]);
    let mut world = FakeCopies::default();
    let start = pool.begin_start(at(0), true);
    assert_eq!(start[0], PlacementCommand::EndpointCapacity(1));
    let first = world.request(&mut pool, 0);
    world.request(&mut pool, 0);
    let cmds = pool.manage(&world, at(0), "initial");
    pool.end_start();
    world.apply(&cmds);
    assert_eq!(copy_rows(&cmds)[0].1, "copy-0 in service on i-0 (warm start)");
    assert_eq!(
        copy_rows(&cmds)[1].1,
        "1 copies pending: no room on 1 instances and max_instance_count 1 reached"
    );
    // At the same instant the first copy goes: the second takes its room, the instant ends
    // with as many waiting as it began with (none), so its row is withdrawn and none written.
    world.set(first, InstanceState::Terminated);
    let cmds = pool.on_copy_gone(&world, at(0), first, VariantId(0), "scale-in");
    assert!(matches!(
        cmds[0],
        PlacementCommand::LoadCopy {
            serial: 1,
            host_serial: 0,
            ..
        }
    ));
    assert_eq!(
        cmds[1],
        PlacementCommand::WithdrawWaitingRow {
            component: VariantId(0)
        }
    );
    assert!(copy_rows(&cmds).is_empty(), "{cmds:?}");
}

#[test]
fn the_same_change_a_moment_later_is_a_row_of_its_own() {
    let mut pool = pool(1, 0, 1, None, &[4]);
    let mut world = FakeCopies::default();
    world.apply(&pool.begin_start(at(0), true));
    let first = world.request(&mut pool, 0);
    world.request(&mut pool, 0);
    world.apply(&pool.manage(&world, at(0), "initial"));
    pool.end_start();
    world.set(first, InstanceState::Terminated);
    let cmds = pool.on_copy_gone(&world, SimTime(1), first, VariantId(0), "scale-in");
    assert_eq!(
        copy_rows(&cmds),
        [(ActivityKind::CopiesPending, "every copy placed".to_string())]
    );
}

#[test]
fn idle_hosts_leave_down_to_the_minimum_booting_and_newest_first() {
    let mut pool = pool(3, 1, 4, None, &[1]);
    let mut world = FakeCopies::default();
    let start = pool.begin_start(at(0), false);
    assert_eq!(scheduled_host(&start).len(), 3);
    let cmds = pool.manage(&world, at(0), "initial");
    pool.end_start();
    assert_eq!(
        host_rows(&cmds),
        [
            (ActivityKind::InstanceTerminated, "i-2 terminated".to_string()),
            (ActivityKind::InstanceTerminated, "i-1 terminated".to_string()),
        ]
    );
    // A terminated host's boot event is stale.
    let (_, gone) = scheduled_host(&start)[2];
    assert!(pool.on_host_phase_done(&world, at(1), gone).is_empty());
    // A copy takes the remaining host.
    world.request(&mut pool, 0);
    let cmds = pool.manage(&world, at(0), "scale-out");
    assert_eq!(
        cmds,
        [PlacementCommand::SetCopyState {
            copy: InstanceId { slot: 0, gen: 0 },
            state: InstanceState::Provisioning,
        }]
    );
}

#[test]
fn the_quota_refuses_a_host_and_the_copy_waits() {
    let mut pool = pool(0, 0, 4, Some(1), &[4]);
    let mut world = FakeCopies::default();
    world.request(&mut pool, 0);
    world.request(&mut pool, 0);
    let cmds = pool.manage(&world, at(0), "scale-out");
    assert_eq!(scheduled_host(&cmds).len(), 1);
    let rows = host_rows(&cmds);
    assert_eq!(rows[1].0, ActivityKind::ScalingFailed);
    assert_eq!(
        rows[1].1,
        "Failed: ResourceLimitExceeded: account-level service limit 'ml.c5.xlarge for endpoint usage' is 1 Instances, with current utilization of 1 Instances and a request delta of 1 Instances"
    );
    assert_eq!(
        copy_rows(&cmds)[0].1,
        "1 copies pending: no room on 1 instances and the instance quota allows no more"
    );
}

#[test]
fn hosts_are_billed_from_request_to_termination() {
    let mut pool = pool(2, 0, 4, None, &[4]);
    let mut world = FakeCopies::default();
    world.apply(&pool.begin_start(at(0), false));
    world.request(&mut pool, 0);
    // One host holds the copy; the other is idle and leaves at once.
    let cmds = pool.manage(&world, at(0), "initial");
    assert_eq!(
        host_rows(&cmds),
        [(ActivityKind::InstanceTerminated, "i-1 terminated".to_string())]
    );
    pool.close_period(at(30));
    let p = &pool.billing.points[0];
    assert_eq!(p.instance_hours, 0.5);
    assert_eq!(p.cost_usd, Some(1.0));
    assert_eq!(p.instances.pending, 1);
    assert_eq!(pool.billing.peak, 2);
}
