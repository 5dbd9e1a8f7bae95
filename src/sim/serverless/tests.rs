//! The serverless controller driven without a World: each test states the configuration and
//! the calls the World would make, and checks the decisions and commands that come back.

use super::super::event::Event;
use super::super::serverless_config::ServerlessConfig;
use super::{ArrivalDecision, ServerlessCommand, ServerlessController};
use crate::engine::{RngStreams, SimDuration, SimRng, SimTime};
use crate::model::metrics::{ServerlessPrices, ServerlessSample};
use crate::model::{ActivityKind, DurationDist};

const SEC: u64 = 1_000_000;

/// A serverless configuration with cold starts uniform on 1 to 3 s, a 60 s keep-alive and a
/// 120 s PC provisioning time.
fn config(max: u32, account: u32, other: u32, pc: Option<u32>) -> ServerlessConfig {
    ServerlessConfig {
        memory_size_in_mb: 2048,
        max_concurrency: max,
        provisioned_concurrency: pc,
        cold_start: DurationDist::Uniform {
            min: SimDuration::from_secs(1),
            max: SimDuration::from_secs(3),
        },
        keep_alive: SimDuration::from_secs(60),
        pc_provisioning_time: SimDuration::from_secs(120),
        account_concurrency: account,
        other_endpoints_concurrency: other,
        prices: ServerlessPrices {
            on_demand: 0.0,
            provisioned: 0.0,
            provisioned_inference: 0.0,
        },
    }
}

/// The cold-start stream the controller gets, and an identical one to predict its draws.
fn streams() -> (SimRng, SimRng) {
    let s = RngStreams::new(7);
    (s.stream("cold-start/v"), s.stream("cold-start/v"))
}

fn controller(max: u32, account: u32, other: u32, pc: Option<u32>) -> ServerlessController {
    ServerlessController::new(config(max, account, other, pc), pc.unwrap_or(0), streams().0)
}

fn at(s: u64) -> SimTime {
    SimTime(s * SEC)
}

fn admitted(provisioned: bool, spillover: bool, cold_start: Option<SimDuration>) -> ArrivalDecision {
    ArrivalDecision::Admitted {
        provisioned,
        spillover,
        cold_start,
    }
}

#[test]
fn arrivals_take_pc_then_a_warm_container_then_a_cold_one_then_are_throttled() {
    let cfg = config(4, 1000, 0, Some(1));
    let (rng, mut predict) = streams();
    let mut c = ServerlessController::new(cfg.clone(), 1, rng);
    assert_eq!(c.on_arrival(at(0)), admitted(true, false, None));
    let first = cfg.cold_start.sample(&mut predict);
    assert_eq!(c.on_arrival(at(0)), admitted(false, true, Some(first)));
    // The container of that request is idle from 5 s and taken warm: no draw.
    c.on_done(at(5), false);
    assert_eq!(c.on_arrival(at(6)), admitted(false, true, None));
    // The next cold start gets the stream's second draw, not a third.
    let second = cfg.cold_start.sample(&mut predict);
    assert_ne!(first, second);
    assert_eq!(c.on_arrival(at(6)), admitted(false, true, Some(second)));
    assert_eq!(
        c.on_arrival(at(6)),
        admitted(false, true, Some(cfg.cold_start.sample(&mut predict)))
    );
    assert_eq!(c.in_flight(), 4);
    assert_eq!(c.on_arrival(at(6)), ArrivalDecision::Throttled { account_limit: false });
    assert_eq!(c.in_flight(), 4);
}

#[test]
fn max_concurrency_throttles_before_the_account_pool_is_looked_at() {
    // Account: 10 units, 9 held elsewhere, 1 PC reserved here: nothing left on demand.
    let mut c = controller(2, 10, 9, Some(1));
    assert_eq!(c.on_arrival(at(0)), admitted(true, false, None));
    assert_eq!(c.on_arrival(at(0)), ArrivalDecision::Throttled { account_limit: true });
    let mut c = controller(1, 10, 9, Some(1));
    assert_eq!(c.on_arrival(at(0)), admitted(true, false, None));
    assert_eq!(c.on_arrival(at(0)), ArrivalDecision::Throttled { account_limit: false });
}

#[test]
fn on_demand_requests_are_spillover_only_when_pc_is_configured() {
    let mut none = controller(5, 1000, 0, None);
    let ArrivalDecision::Admitted {
        spillover, cold_start, ..
    } = none.on_arrival(at(0))
    else {
        panic!("throttled");
    };
    assert!(!spillover);
    assert!(cold_start.is_some());
    // Configured with zero units: every request spills over.
    let mut zero = controller(5, 1000, 0, Some(0));
    let ArrivalDecision::Admitted {
        provisioned, spillover, ..
    } = zero.on_arrival(at(0))
    else {
        panic!("throttled");
    };
    assert_eq!((provisioned, spillover), (false, true));
}

#[test]
fn a_warm_container_is_gone_exactly_at_the_end_of_its_keep_alive() {
    let mut c = controller(5, 1000, 0, None);
    assert!(matches!(
        c.on_arrival(at(0)),
        ArrivalDecision::Admitted {
            cold_start: Some(_),
            ..
        }
    ));
    c.on_done(at(10), false);
    let last_warm = SimTime(70 * SEC - 1);
    assert_eq!(c.sample(last_warm, 0).warm_idle, 1);
    assert_eq!(c.sample(at(70), 0).warm_idle, 0);
    // A request exactly at 10 s + 60 s finds no warm container: it cold-starts.
    assert!(matches!(
        c.on_arrival(at(70)),
        ArrivalDecision::Admitted {
            cold_start: Some(_),
            ..
        }
    ));

    let mut c = controller(5, 1000, 0, None);
    c.on_arrival(at(0));
    c.on_done(at(10), false);
    assert_eq!(c.on_arrival(last_warm), admitted(false, false, None));
}

#[test]
fn a_pc_raise_is_recorded_and_ready_after_the_provisioning_time() {
    let mut c = controller(20, 1000, 0, Some(2));
    assert!(!c.provisioning());
    let cmds = c.on_desired(at(10), 5, "alarm high");
    assert_eq!(
        cmds,
        vec![
            ServerlessCommand::PcAllocated(2),
            ServerlessCommand::Record {
                kind: ActivityKind::InstanceLaunch,
                cause: "alarm high".into(),
                reason: "provisioned concurrency 2 -> 5 requested; ready at 00:02:10".into(),
            },
            ServerlessCommand::Schedule {
                at: at(130),
                event: Event::ProvisionedConcurrencyReady,
            },
        ]
    );
    assert!(c.provisioning());
    assert_eq!(c.pc_allocated(), 2);
    assert_eq!(
        c.on_pc_ready(at(130)),
        vec![
            ServerlessCommand::PcAllocated(5),
            ServerlessCommand::Record {
                kind: ActivityKind::InstanceInService,
                cause: "provisioning".into(),
                reason: "provisioned concurrency 5 allocated".into(),
            },
            ServerlessCommand::CheckActivityEnd,
        ]
    );
    assert!(!c.provisioning());
    assert_eq!(c.pc_allocated(), 5);
    assert_eq!(
        c.sample(at(131), 4),
        ServerlessSample {
            concurrent: 0,
            pc_busy: 0,
            pc_allocated: 5,
            pc_desired: 4,
            warm_idle: 0,
        }
    );
}

#[test]
fn a_cut_while_pending_removes_pending_units_first_and_the_ready_event_then_does_nothing() {
    let mut c = controller(20, 1000, 0, Some(2));
    assert_eq!(c.on_desired(at(0), 6, "up").len(), 3);
    // 2 allocated, 4 pending: a cut to 3 leaves 1 pending, no row, no event.
    assert_eq!(c.on_desired(at(10), 3, "down"), vec![ServerlessCommand::PcAllocated(2)]);
    assert!(c.provisioning());
    assert_eq!(c.on_desired(at(20), 2, "down"), vec![ServerlessCommand::PcAllocated(2)]);
    assert!(!c.provisioning());
    assert_eq!(c.on_pc_ready(at(120)), vec![]);
    assert_eq!(c.pc_allocated(), 2);
    // Below the allocated units: they leave at once.
    assert_eq!(
        c.on_desired(at(130), 1, "down"),
        vec![ServerlessCommand::PcAllocated(1)]
    );
    assert_eq!(c.pc_allocated(), 1);
}

#[test]
fn a_partly_cut_raise_brings_only_the_remaining_units_into_service() {
    let mut c = controller(20, 1000, 0, Some(2));
    c.on_desired(at(0), 6, "up");
    c.on_desired(at(10), 3, "down");
    let cmds = c.on_pc_ready(at(120));
    assert_eq!(cmds[0], ServerlessCommand::PcAllocated(3));
    assert_eq!(c.pc_allocated(), 3);
}

#[test]
fn busy_pc_units_beyond_a_cut_finish_and_then_on_demand_takes_over() {
    let mut c = controller(20, 1000, 0, Some(2));
    c.on_arrival(at(0));
    c.on_arrival(at(0));
    c.on_desired(at(1), 1, "down");
    assert_eq!(
        c.sample(at(1), 1),
        ServerlessSample {
            concurrent: 2,
            pc_busy: 2,
            pc_allocated: 1,
            pc_desired: 1,
            warm_idle: 0,
        }
    );
    assert!(matches!(
        c.on_arrival(at(1)),
        ArrivalDecision::Admitted {
            provisioned: false,
            spillover: true,
            cold_start: Some(_)
        }
    ));
    c.on_done(at(2), true);
    // Still 1 busy PC unit for 1 allocated: no PC free.
    assert!(matches!(
        c.on_arrival(at(2)),
        ArrivalDecision::Admitted { provisioned: false, .. }
    ));
    c.on_done(at(3), true);
    assert_eq!(c.on_arrival(at(3)), admitted(true, false, None));
}
