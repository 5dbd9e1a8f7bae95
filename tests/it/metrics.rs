//! CloudWatch metric definitions on exact, deterministic inputs (docs/semantics/autoscaling.md §13
//! B and instances.md I8).

use crate::common::mmc;
use fleetsim::engine::{SimDuration, SimTime};
use fleetsim::model::workload::{ArrivalProcess, RateShape, Workload};
use fleetsim::model::{DurationDist, VariantId};
use fleetsim::sim::{run, CapacityUpdate};

fn deterministic(rps: f64) -> Workload {
    Workload::Open {
        arrivals: ArrivalProcess::Deterministic,
        rate: RateShape::Constant(rps),
    }
}

#[test]
fn b1_invocations_per_instance_with_three_instances() {
    // 600 requests in one minute, 3 instances in service throughout -> IPI Sum 200.
    let mut c = mmc(10.0, DurationDist::Constant(SimDuration::from_millis(5)), 3, 1, 120, 1);
    c.workload = deterministic(10.0);
    let r = run(c);
    let p = &r.points[0].variants[0];
    assert_eq!(p.requests.invocations, 600);
    assert!(
        (p.invocations_per_instance - 200.0).abs() < 1e-9,
        "{}",
        p.invocations_per_instance
    );
}

#[test]
fn b2_invocations_per_instance_when_n_changes_inside_the_minute() {
    // 300 requests while N = 2, then 300 while N = 4 -> 300/2 + 300/4 = 225.
    let mut c = mmc(10.0, DurationDist::Constant(SimDuration::from_millis(5)), 2, 1, 120, 1);
    c.workload = deterministic(10.0);
    c.endpoint.variants[0].launch.provision = DurationDist::Constant(SimDuration::ZERO);
    c.endpoint.variants[0].launch.load = DurationDist::Constant(SimDuration::ZERO);
    // Arrivals come at 0.05 s, 0.15 s, ...: exactly 300 before 30 s.
    c.endpoint.capacity_updates = vec![CapacityUpdate {
        at: SimTime::from_secs(30),
        variant: VariantId(0),
        desired: 4,
    }];
    let r = run(c);
    let p = &r.points[0].variants[0];
    assert_eq!(p.requests.invocations, 600);
    assert!(
        (p.invocations_per_instance - 225.0).abs() < 1e-9,
        "{}",
        p.invocations_per_instance
    );
}

#[test]
fn a6_idle_variant_emits_zero_not_missing() {
    let mut c = mmc(10.0, DurationDist::Constant(SimDuration::from_millis(5)), 2, 1, 180, 1);
    c.workload = Workload::Open {
        arrivals: ArrivalProcess::Poisson,
        rate: RateShape::Constant(0.0),
    };
    let r = run(c);
    assert_eq!(r.points.len(), 3);
    for p in &r.points {
        assert_eq!(p.variants[0].requests.invocations, 0);
        assert_eq!(p.variants[0].invocations_per_instance, 0.0);
        assert_eq!(p.variants[0].cpu_utilization, Some(0.0));
    }
}

#[test]
fn i8_cpu_utilization_is_scaled_by_vcpus() {
    // ml.c5.xlarge has 4 vCPUs: saturated slots read 400 %. Overload 1 instance x 2 slots.
    let r = run(mmc(
        400.0,
        DurationDist::Constant(SimDuration::from_millis(10)),
        1,
        2,
        120,
        1,
    ));
    let cpu = r.points[1].variants[0].cpu_utilization.unwrap();
    assert!((cpu - 400.0).abs() < 1e-6, "{cpu}");
    // Half-busy: 100 rps x 10 ms = 1 busy slot of 2 -> 200 % on average (Poisson: within 10 %).
    let r = run(mmc(
        100.0,
        DurationDist::Constant(SimDuration::from_millis(10)),
        1,
        2,
        600,
        1,
    ));
    let mean: f64 = r
        .points
        .iter()
        .map(|p| p.variants[0].cpu_utilization.unwrap())
        .sum::<f64>()
        / r.points.len() as f64;
    assert!((mean / 200.0 - 1.0).abs() < 0.1, "{mean}");
}

#[test]
fn latency_statistics_are_exact_for_constant_service() {
    let mut c = mmc(10.0, DurationDist::Constant(SimDuration::from_millis(40)), 4, 1, 60, 1);
    c.workload = deterministic(10.0);
    c.endpoint.variants[0].model.overhead = SimDuration::from_millis(2);
    let r = run(c);
    let v = &r.points[0].variants[0];
    assert_eq!(v.model_latency.sample_count, 600);
    assert_eq!(v.model_latency.average(), Some(40_000.0));
    assert_eq!(v.model_latency.max, Some(40_000.0));
    // HDR histograms keep 3 significant digits.
    let p99 = v.model_latency.percentile(99.0).unwrap();
    assert!((p99 - 40_000.0).abs() <= 40.0, "{p99}");
    assert_eq!(v.overhead_latency.average(), Some(2_000.0));
    assert_eq!(r.points[0].latency.average(), Some(42_000.0));
}
