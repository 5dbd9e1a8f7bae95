//! Golden timelines of instance lifecycles with deterministic launch times: exact activity
//! times, billing from launch request to termination, draining before termination.

use crate::common::mmc;
use fleetsim::engine::{SimDuration, SimTime};
use fleetsim::model::{ActivityKind, DurationDist, VariantId};
use fleetsim::sim::{run, CapacityUpdate, StartState};

fn rows(r: &fleetsim::sim::RunResult, kind: ActivityKind) -> Vec<u64> {
    r.activities
        .iter()
        .filter(|a| a.kind == kind)
        .map(|a| a.time.0 / 1_000_000)
        .collect()
}

#[test]
fn scale_out_goes_through_provisioning_and_loading_at_exact_times() {
    let mut c = mmc(
        50.0,
        DurationDist::Constant(SimDuration::from_millis(10)),
        2,
        1,
        1200,
        1,
    );
    c.endpoint.capacity_updates = vec![CapacityUpdate {
        at: SimTime::from_secs(300),
        variant: VariantId(0),
        desired: 4,
    }];
    let r = run(c);
    assert_eq!(rows(&r, ActivityKind::CapacityChange), vec![300]);
    assert_eq!(rows(&r, ActivityKind::InstanceLaunch), vec![300, 300]);
    // Provision 120 s, load 30 s (see common::mmc).
    assert_eq!(rows(&r, ActivityKind::InstanceLoading), vec![420, 420]);
    assert_eq!(rows(&r, ActivityKind::InstanceInService), vec![0, 0, 450, 450]);
    // Billing: 2 instances x 1200 s + 2 x 900 s = 4200 instance-seconds.
    assert!((r.instance_hours() - 4200.0 / 3600.0).abs() < 1e-9);
    // The period that contains 450 s sees the new instances in its end-of-period count.
    let p = &r.points[7]; // 420..480 s
    assert_eq!(p.variants[0].instances.in_service, 4);
    assert!((p.variants[0].mean_in_service - (2.0 + 2.0 * 30.0 / 60.0)).abs() < 1e-9);
}

#[test]
fn scale_in_removes_booting_instances_first_then_drains() {
    let mut c = mmc(50.0, DurationDist::Constant(SimDuration::from_secs(5)), 4, 1, 1200, 1);
    c.endpoint.capacity_updates = vec![
        CapacityUpdate {
            at: SimTime::from_secs(100),
            variant: VariantId(0),
            desired: 6,
        },
        CapacityUpdate {
            at: SimTime::from_secs(200),
            variant: VariantId(0),
            desired: 3,
        },
    ];
    let r = run(c);
    // The two instances launched at 100 s are still provisioning at 200 s: terminated at once.
    let terms: Vec<&fleetsim::model::Activity> = r
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::InstanceTerminated)
        .collect();
    assert_eq!(terms.len(), 3);
    assert_eq!(terms[0].time, SimTime::from_secs(200));
    assert_eq!(terms[1].time, SimTime::from_secs(200));
    // The third leaves an in-service instance that drains first: it holds a 5 s request.
    assert_eq!(rows(&r, ActivityKind::InstanceDraining), vec![200]);
    assert!(terms[2].time > SimTime::from_secs(200) && terms[2].time <= SimTime::from_secs(205));
    assert_eq!(r.totals.arrived, r.accounted() + r.in_flight_at_end);
}

#[test]
fn cold_start_rejects_until_the_first_instance_serves() {
    let mut c = mmc(10.0, DurationDist::Constant(SimDuration::from_millis(10)), 2, 1, 600, 3);
    c.endpoint.start = StartState::Cold;
    let r = run(c);
    // Nothing is in service for the first 150 s: about 1500 arrivals fail for lack of capacity.
    let nc = r.totals.rejected_no_capacity as f64;
    assert!((nc - 1500.0).abs() < 5.0 * 1500f64.sqrt(), "{nc}");
    assert_eq!(rows(&r, ActivityKind::InstanceInService), vec![150, 150]);
    assert_eq!(r.points[0].variants[0].requests.invocations, 0);
}
