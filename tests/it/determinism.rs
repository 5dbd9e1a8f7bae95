//! Determinism: a run is a pure function of (scenario, seed), independent of how the loop is
//! sliced; policy variants see the same requests (common random numbers).

use crate::common::{load_bundled, mmc};
use fleetsim::engine::{SimDuration, SimTime};
use fleetsim::model::DurationDist;
use fleetsim::report::{render_run, ManifestInput};
use fleetsim::scenario;
use fleetsim::sim::{run, World};

fn quickstart() -> scenario::Loaded {
    load_bundled("quickstart.ron", &["duration=20m"], None)
}

fn files(loaded: &scenario::Loaded, r: &fleetsim::sim::RunResult) -> Vec<(String, Vec<u8>)> {
    let m = ManifestInput {
        scenario_file: loaded.file.clone(),
        scenario_text: loaded.text.clone(),
        overrides: loaded.overrides.clone(),
        resolved: serde_json::to_value(&loaded.scenario).unwrap(),
    };
    render_run(r, &m)
        .into_iter()
        .map(|f| (f.name.to_string(), f.bytes))
        .collect()
}

#[test]
fn same_scenario_and_seed_give_identical_bytes() {
    let l = quickstart();
    let a = files(&l, &run(l.config.clone()));
    let b = files(&l, &run(l.config.clone()));
    assert_eq!(a, b);
    let other = load_bundled("quickstart.ron", &["duration=20m"], Some(99));
    let c = files(&other, &run(other.config.clone()));
    assert_ne!(a[1], c[1], "a different seed changes the summary");
}

#[test]
fn slicing_the_run_does_not_change_results() {
    let l = quickstart();
    let whole = files(&l, &run(l.config.clone()));
    let mut w = World::new(l.config.clone());
    let end = l.config.duration.0;
    for k in 1..=37u64 {
        w.run_until(SimTime(end / 37 * k));
    }
    w.run_until(SimTime::MAX);
    assert_eq!(whole, files(&l, &w.into_result()));
}

#[test]
fn capacity_changes_do_not_change_arrivals_or_service_times() {
    // Ample capacity in both runs: nobody waits, so each request's model latency is exactly the
    // service time drawn for it, and per-period sums must agree to the microsecond.
    let small = run(mmc(
        300.0,
        DurationDist::lognormal(SimDuration::from_millis(20), SimDuration::from_millis(60)),
        20,
        4,
        1800,
        5,
    ));
    let large = run(mmc(
        300.0,
        DurationDist::lognormal(SimDuration::from_millis(20), SimDuration::from_millis(60)),
        40,
        4,
        1800,
        5,
    ));
    assert_eq!(small.totals.arrived, large.totals.arrived);
    assert_eq!(small.totals.waited, 0);
    for (a, b) in small.points.iter().zip(&large.points) {
        assert_eq!(a.arrivals, b.arrivals);
        assert_eq!(a.variants[0].model_latency.sum, b.variants[0].model_latency.sum);
    }
    assert_ne!(small.instance_hours(), large.instance_hours());
}
