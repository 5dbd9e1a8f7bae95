//! Every bundled scenario validates, runs with balanced accounting, and keeps its summary:
//! a snapshot under the scenario's fixed seed catches any unintended change of behaviour.

use crate::common::all_bundled;
use fleetsim::report;
use fleetsim::scenario;

#[test]
fn there_is_a_scenario_per_workload_shape() {
    let names: Vec<String> = all_bundled()
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for want in [
        "quickstart",
        "diurnal",
        "ramp",
        "steps",
        "stairs",
        "spike",
        "flash-sale",
        "trace-counts",
        "trace-timestamps",
        "load-test-stairs",
    ] {
        assert!(names.iter().any(|n| n == want), "missing scenarios/{want}.ron");
    }
}

#[test]
fn bundled_scenarios_validate_run_and_match_snapshots() {
    for path in all_bundled() {
        let loaded = scenario::load(&path, &[], None).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = loaded.config.name.clone();
        assert_eq!(
            Some(name.as_str()),
            path.file_stem().and_then(|s| s.to_str()),
            "scenario name matches its file"
        );
        let r = fleetsim::sim::run(loaded.config);
        assert!(r.totals.arrived > 0, "{name}: no traffic");
        assert_eq!(
            r.totals.arrived,
            r.accounted() + r.in_flight_at_end,
            "{name}: accounting"
        );
        let s = report::summary(&r);
        // A bundled scenario prices every instance it bills: a null cost leaves its cost plot empty.
        assert!(
            s.cost_usd.is_some(),
            "{name}: cost is null (give the type a price_per_hour)"
        );
        insta::assert_json_snapshot!(format!("summary-{name}"), s);
    }
}
