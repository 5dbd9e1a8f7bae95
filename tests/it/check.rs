//! Expectations and `fleetsim check`: each kind passing and failing on purpose, windows at the
//! run's edges (an event exactly at a window's end, a stretch exactly one event apart),
//! replication thresholds judged in whole runs, the JUnit file of a mixed run parsed back,
//! exit codes (0 pass, 1 fail, 2 invalid) for `check`, `run --check` and
//! `sweep --require-feasible`, and bad expectations refused with their field path.

use crate::common::{assert_contains, fails, fleetsim, invalid, loaded, TempFolder};
use fleetsim::check;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::BTreeMap;

/// A fleet whose desired count moves only by `UpdateEndpointWeightsAndCapacities` calls at
/// 3, 10 and 12 minutes, so every capacity change is at an exact instant; `EXPECT` goes in.
const SCENARIO: &str = r#"Scenario(
    name: "moves",
    duration: "20m",
    endpoint: RealTime(
        variants: [Variant(
            name: "blue",
            instance_type: "ml.c5.xlarge",
            initial_instance_count: 2,
            concurrency: 2,
            model: Model(service_time: LogNormal(median: "40ms", p99: "120ms")),
            launch: Launch(provision: Constant("1m"), load: Constant("30s")),
        )],
        capacity_updates: [
            CapacityUpdate(at: "3m", variant: "blue", desired_instance_count: 4),
            CapacityUpdate(at: "10m", variant: "blue", desired_instance_count: 3),
            CapacityUpdate(at: "12m", variant: "blue", desired_instance_count: 2),
        ],
    ),
    workload: Open(rate: Constant(20.0)),
    expect: [EXPECT],
)"#;

fn scenario(expect: &str) -> String {
    SCENARIO.replace("EXPECT", expect)
}

/// Each expectation judged on the scenario's one run: `(name, pass, measured, detail)`.
fn judged(expect: &str) -> Vec<(String, bool, String, Option<String>)> {
    let l = loaded(&scenario(expect));
    let runs: Vec<_> = (0..check::runs_needed(&l.expect))
        .map(|r| check::judge_seed(&l.config, &l.expect, r).expect("valid expectations"))
        .collect();
    check::verdicts(&l.expect, l.config.seed, &runs)
        .into_iter()
        .map(|v| (v.name, v.pass, v.measured, v.detail))
        .collect()
}

fn passes(expect: &str) -> Vec<bool> {
    judged(expect).into_iter().map(|j| j.1).collect()
}

#[test]
fn first_event_windows_include_both_ends() {
    let j = judged(
        r#"Event(name: "ends at it", kind: ScaleOut, first_between: ("1m", "3m")),
           Event(name: "starts at it", kind: ScaleOut, first_between: ("3m", "8m")),
           Event(name: "a second late", kind: ScaleOut, first_between: ("181s", "8m")),
           Event(name: "a second early", kind: ScaleOut, first_between: ("0s", "179s")),
           Event(name: "none", kind: ScalingFailed, first_between: ("0s", "20m")),
           Event(name: "scale-in", kind: ScaleIn, first_between: ("10m", "10m"))"#,
    );
    let p: Vec<bool> = j.iter().map(|x| x.1).collect();
    assert_eq!(p, [true, true, false, false, false, true]);
    assert_eq!(j[0].2, "first ScaleOut at 00:03:00");
    assert_eq!(
        j[2].3.as_deref(),
        Some("activities.csv row 00:03:00 blue CapacityChange (capacity_update): UpdateEndpointWeightsAndCapacities; desired 2 -> 4")
    );
    assert_eq!(j[4].2, "no ScalingFailed row");
}

#[test]
fn counts_in_windows_and_per_stretch() {
    let j = judged(
        r#"Event(name: "to 10m holds the 10m row", kind: ScaleIn, count: "== 0", from: "0s", to: "10m"),
           Event(name: "to 599s does not", kind: ScaleIn, count: "== 0", from: "0s", to: "599s"),
           Event(name: "three changes", kind: CapacityChange, count: "== 3"),
           Event(name: "flapping 7m", kind: CapacityChange, count: "<= 1", per: "7m"),
           Event(name: "flapping 421s", kind: CapacityChange, count: "<= 2", per: "421s"),
           Event(name: "at least one", kind: ScaleIn, count: ">= 1", from: "11m", to: "20m"),
           Event(name: "of another variant", kind: CapacityChange, count: "== 0", variant: "blue"),
           Event(name: "four", kind: CapacityChange, count: ">= 4")"#,
    );
    let p: Vec<bool> = j.iter().map(|x| x.1).collect();
    assert_eq!(p, [false, true, true, false, true, true, false, false]);
    // Too few: the rows there are.
    assert_eq!(
        j[7].3.as_deref(),
        Some("the CapacityChange rows: 00:03:00 (UpdateEndpointWeightsAndCapacities; desired 2 -> 4); 00:10:00 (UpdateEndpointWeightsAndCapacities; desired 4 -> 3); 00:12:00 (UpdateEndpointWeightsAndCapacities; desired 3 -> 2)")
    );
    assert_eq!(j[0].2, "1 ScaleIn from 00:00:00 to 00:10:00");
    // A stretch of 7m from 00:03:00 ends just before 00:10:00; the busiest is 10m-17m.
    assert_eq!(
        j[3].2,
        "busiest 7m: 2 CapacityChange from 00:10:00 (from 00:00:00 to 00:20:00)"
    );
    assert!(j[3].3.as_deref().unwrap().contains("row 00:12:00"), "{:?}", j[3].3);
}

#[test]
fn series_every_period_and_rolling_sums() {
    let j = judged(
        r#"Series(name: "never above 4", that: "desired <= 4"),
           Series(name: "never above 2", that: "desired <= 2"),
           Series(name: "2 in service to 4m", that: "instances_in_service <= 2", from: "0s", to: "4m"),
           Series(name: "2 in service to 5m", that: "instances_in_service <= 2", from: "0s", to: "5m"),
           Series(name: "last period", that: "`blue.desired` == 2", from: "19m", to: "20m"),
           Series(name: "no failures over 5m", that: "(errors_5xx + timed_out + rejected) / arrivals <= 0", over: "5m"),
           Series(name: "about 6000 a 5m", that: "arrivals >= 5500", over: "5m"),
           Series(name: "at most 1000 a minute", that: "arrivals <= 1000")"#,
    );
    let p: Vec<bool> = j.iter().map(|x| x.1).collect();
    assert_eq!(p, [true, false, true, false, true, true, true, false]);
    // The row of the period 2-3 min holds the desired count at its end, 00:03:00.
    assert_eq!(
        j[1].3.as_deref(),
        Some("first broken in 00:02:00-00:03:00: desired = 4 (timeseries.csv row 00:02:00: desired 4)")
    );
    assert_eq!(
        j[3].2,
        "worst instances_in_service = 4 in 00:04:00-00:05:00 (5 periods judged)"
    );
    assert!(
        j[6].2.contains("(16 stretches judged)"),
        "20 minutes hold 16 stretches of 5: {}",
        j[6].2
    );
}

#[test]
fn summary_bounds_texts_and_nulls() {
    let p = passes(
        r#"Summary(name: "n", that: "requests.arrived >= 20000"),
           Summary(name: "n2", that: "requests.arrived < 20000"),
           Summary(name: "ratio", that: "requests.completed / requests.arrived > 0.99"),
           Summary(name: "text", that: "endpoint == RealTime"),
           Summary(name: "text2", that: "endpoint != RealTime"),
           Summary(name: "null", that: "slo == null"),
           Summary(name: "null2", that: "cost_usd == null"),
           Summary(name: "rate", that: "error_rate == 0")"#,
    );
    assert_eq!(p, [true, false, true, true, false, true, false, true]);
}

#[test]
fn replications_pass_in_whole_runs() {
    // The arrivals of the scenario's first ten seeds; the threshold is the 7th largest, so
    // exactly 7 of 10 runs reach it.
    let l = loaded(&scenario(
        r#"Summary(name: "x", that: "requests.arrived >= 0", seeds: 10)"#,
    ));
    let arrived: Vec<u64> = (0..10)
        .map(|r| {
            let mut c = l.config.clone();
            c.seed += r;
            fleetsim::sim::run(c).totals.arrived
        })
        .collect();
    let mut sorted = arrived.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert!(sorted[6] > sorted[7], "distinct counts: {sorted:?}");
    let bound = sorted[6];
    // Seeds are the scenario's (1) plus the replication.
    let seed_of_first_failure = arrived.iter().position(|a| *a < bound).map(|r| 1 + r as u64);
    let expect = format!(
        r#"Summary(name: "0.7", that: "requests.arrived >= {bound}", seeds: 10, at_least: 0.7),
           Summary(name: "0.71", that: "requests.arrived >= {bound}", seeds: 10, at_least: 0.71),
           Summary(name: "all", that: "requests.arrived >= {bound}", seeds: 10)"#
    );
    let l = loaded(&scenario(&expect));
    let runs: Vec<_> = (0..10)
        .map(|r| check::judge_seed(&l.config, &l.expect, r).unwrap())
        .collect();
    let v = check::verdicts(&l.expect, l.config.seed, &runs);
    assert_eq!(v.iter().map(|v| v.pass).collect::<Vec<_>>(), [true, false, false]);
    assert_eq!((v[0].passes, v[0].seeds), (7, 10));
    let (lo, hi) = v[0].interval.unwrap();
    assert!(
        (lo - 0.3968).abs() < 1e-3 && (hi - 0.8922).abs() < 1e-3,
        "Wilson 7/10: {lo} {hi}"
    );
    assert_eq!(v[0].first_failure.as_ref().map(|f| f.seed), seed_of_first_failure);
}

#[test]
fn bad_expectations_are_refused_with_their_path() {
    let cases = [
        (r#"Summary(name: "a", that: "latency_ms.p99 250")"#, "expect[0].that"),
        (
            r#"Summary(name: "a", that: "latency_ms.p99 < 1 < 2")"#,
            "more than one comparison",
        ),
        (
            r#"Summary(name: "a", that: "latency_ms.p99 < fast")"#,
            "a word, true, false or null only with == or !=",
        ),
        (r#"Summary(name: "a", that: "x < 1", seeds: 0)"#, "expect[0].seeds"),
        (
            r#"Summary(name: "a", that: "x < 1", seeds: 2, at_least: 1.5)"#,
            "expect[0].at_least",
        ),
        (r#"Summary(name: "", that: "x < 1")"#, "expect[0].name"),
        (
            r#"Summary(name: "a", that: "x < 1"), Summary(name: "a", that: "y < 1")"#,
            "expect[1].name",
        ),
        (
            r#"Series(name: "a", that: "desired <= 2", to: "21m")"#,
            "expect[0].to: got 21m; allowed: an instant up to the end of the run (20m)",
        ),
        (
            r#"Series(name: "a", that: "desired <= 2", from: "20m")"#,
            "expect[0].from",
        ),
        (
            r#"Series(name: "a", that: "desired <= 2", from: "5m", to: "330s")"#,
            "expect[0].to",
        ),
        (
            r#"Series(name: "a", that: "desired <= 2", over: "90s")"#,
            "expect[0].over",
        ),
        (
            r#"Series(name: "a", that: "desired <= high")"#,
            "a number right of `<=`",
        ),
        (r#"Event(name: "a", kind: ScaleOut)"#, "exactly one of `first_between"),
        (
            r#"Event(name: "a", kind: ScaleOut, first_between: ("8m", "3m"))"#,
            "earliest <= latest",
        ),
        (
            r#"Event(name: "a", kind: ScaleOut, count: "about 3")"#,
            "expect[0].count",
        ),
        (
            r#"Event(name: "a", kind: ScaleOut, count: "== 0", during: Deployment)"#,
            "a scenario with a deployment",
        ),
        (
            r#"Event(name: "a", kind: ScaleOut, count: "== 0", variant: "green")"#,
            "expect[0].variant",
        ),
        (
            r#"Event(name: "a", kind: ScaleOut, first_between: ("1m", "2m"), per: "1h")"#,
            "expect[0].per",
        ),
    ];
    for (expect, needle) in cases {
        let msg = invalid(&scenario(expect));
        assert!(msg.contains(needle), "{expect}: lacks `{needle}`:\n{msg}");
    }
    // Unknown kinds are parse errors listing the kinds.
    let msg = invalid(&scenario(r#"Event(name: "a", kind: Scaleout, count: "== 0")"#));
    assert_contains(&msg, &["Scaleout", "ScaleOut"]);
}

#[test]
fn names_the_run_lacks_are_invalid_input_listing_the_names() {
    let l = loaded(&scenario(
        r#"Summary(name: "a", that: "latency_ms.p98 <= 1"), Series(name: "b", that: "p99 <= 1")"#,
    ));
    let e = check::judge_seed(&l.config, &l.expect, 0).unwrap_err();
    assert_contains(
        &e,
        &[
            "expect[0] (\"a\")",
            "`latency_ms.p98` is not a summary value",
            "latency_ms.p99",
        ],
    );
    let l = loaded(&scenario(r#"Series(name: "b", that: "p99 <= 1")"#));
    let e = check::judge_seed(&l.config, &l.expect, 0).unwrap_err();
    assert_contains(&e, &["`p99` is not a column", "latency_p99_ms", "blue.desired"]);
}

/// The attributes of every element named `tag`, in document order.
fn elements(xml: &str, tag: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == tag.as_bytes() => {
                out.push(
                    e.attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            (
                                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .unwrap()
                                    .into_owned(),
                            )
                        })
                        .collect(),
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn check_command_exit_codes_reports_and_junit() {
    let f = TempFolder::new("check", "cli");
    std::fs::create_dir_all(f.join("suite")).unwrap();
    let good = f.write(
        "suite/good.ron",
        &scenario(r#"Event(name: "scales out at 3m", kind: ScaleOut, first_between: ("3m", "3m"))"#),
    );
    f.write(
        "suite/bad.ron",
        &scenario(r#"Summary(name: "p99 < 1 ms", that: "latency_ms.p99 < 1"), Summary(name: "x & <y>", that: "requests.rejected == 0")"#)
            .replace("\"moves\"", "\"moves-bad\""),
    );
    f.write("suite/none.ron", &scenario("").replace("\"moves\"", "\"plain\""));
    // All pass: exit 0.
    let o = fleetsim(&["check".as_ref(), good.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_contains(
        &String::from_utf8_lossy(&o.stdout),
        &["pass  scales out at 3m", "1 expectation(s): 1 pass, 0 FAIL"],
    );

    // A folder with a failure: exit 1, files in path order, the scenario without expectations
    // passed over, the JUnit file written.
    let junit = f.join("out/junit.xml");
    let o = fleetsim(&[
        "check".as_ref(),
        f.join("suite").as_os_str(),
        "--junit".as_ref(),
        junit.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_contains(
        &out,
        &[
            "FAIL  p99 < 1 ms",
            "latency_ms.p99 = ",
            "[latency_ms.p99 < 1]",
            "2 scenario(s), 3 expectation(s): 2 pass, 1 FAIL",
        ],
    );
    assert!(out.find("bad.ron").unwrap() < out.find("good.ron").unwrap(), "{out}");
    assert!(!out.contains("none.ron"), "{out}");
    assert_contains(&String::from_utf8_lossy(&o.stderr), &["1 of 3 expectation(s) failed"]);

    let xml = String::from_utf8(f.read("out/junit.xml")).unwrap();
    let suites = elements(&xml, "testsuites");
    assert_eq!(suites.len(), 1);
    assert_eq!(
        (suites[0]["tests"].as_str(), suites[0]["failures"].as_str()),
        ("3", "1")
    );
    let suite = elements(&xml, "testsuite");
    assert_eq!(
        suite.iter().map(|s| s["name"].as_str()).collect::<Vec<_>>(),
        ["moves-bad", "moves"]
    );
    assert_eq!(
        (
            suite[0]["tests"].as_str(),
            suite[0]["failures"].as_str(),
            suite[0]["errors"].as_str()
        ),
        ("2", "1", "0")
    );
    let cases = elements(&xml, "testcase");
    assert_eq!(
        cases
            .iter()
            .map(|c| (c["name"].as_str(), c["classname"].as_str()))
            .collect::<Vec<_>>(),
        [
            ("p99 < 1 ms", "moves-bad"),
            ("x & <y>", "moves-bad"),
            ("scales out at 3m", "moves")
        ]
    );
    let failures = elements(&xml, "failure");
    assert_eq!(failures.len(), 1);
    assert!(
        failures[0]["message"].starts_with("latency_ms.p99 = "),
        "{:?}",
        failures[0]
    );
    assert!(
        failures[0]["message"].ends_with("; expected latency_ms.p99 < 1"),
        "{:?}",
        failures[0]
    );
    // The same input gives the same bytes, whatever the thread count.
    let again = f.join("out/junit2.xml");
    let o = fleetsim(&[
        "check".as_ref(),
        f.join("suite").as_os_str(),
        "--junit".as_ref(),
        again.as_os_str(),
        "--threads".as_ref(),
        "1".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(f.read("out/junit.xml"), f.read("out/junit2.xml"));
    assert_eq!(out, String::from_utf8_lossy(&o.stdout));

    // JSON for programs.
    let o = fleetsim(&[
        "check".as_ref(),
        f.join("suite").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (doc["expectations"].as_u64(), doc["failed"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(doc["scenarios"][0]["expectations"][0]["pass"], false);

    // A file the user did not write is not replaced.
    let mine = f.write("mine.xml", "<notes/>");
    let err = fails(
        &["check".as_ref(), good.as_os_str(), "--junit".as_ref(), mine.as_os_str()],
        &["is not a JUnit report written by fleetsim"],
    );
    assert!(!err.contains("panicked"));
    assert_eq!(f.read("mine.xml"), b"<notes/>");
}

#[test]
fn invalid_input_is_exit_code_2() {
    let f = TempFolder::new("check", "invalid");
    let bad = f.write(
        "bad.ron",
        &scenario(r#"Summary(name: "a", that: "latency_ms.p98 <= 1")"#),
    );
    let o = fleetsim(&["check".as_ref(), bad.as_os_str()]);
    assert_eq!(o.status.code(), Some(2));
    assert_contains(
        &String::from_utf8_lossy(&o.stderr),
        &["invalid expectation", "latency_ms.p98", "latency_ms.p99"],
    );
    let o = fleetsim(&["check".as_ref(), f.join("missing.ron").as_os_str()]);
    assert_eq!(o.status.code(), Some(2));
    let plain = f.write("plain.ron", &scenario(""));
    let o = fleetsim(&["check".as_ref(), plain.as_os_str()]);
    assert_eq!(o.status.code(), Some(2));
    assert_contains(&String::from_utf8_lossy(&o.stderr), &["no scenario with expectations"]);
    // `run --check` with a name the run lacks writes nothing.
    let out = f.join("run-out");
    let o = fleetsim(&[
        "run".as_ref(),
        bad.as_os_str(),
        "--check".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "-q".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
}

#[test]
fn run_check_sets_the_exit_code() {
    let f = TempFolder::new("check", "run");
    let s = f.write(
        "s.ron",
        &scenario(r#"Summary(name: "fast", that: "latency_ms.p99 <= 10000"), Event(name: "no scale-in", kind: ScaleIn, count: "== 0")"#),
    );
    let out = f.join("o");
    let o = fleetsim(&[
        "run".as_ref(),
        s.as_os_str(),
        "--check".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "-q".as_ref(),
        "--no-plots".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert_contains(&text, &["pass  fast", "FAIL  no scale-in", "2 ScaleIn", "row 00:10:00"]);
    // The outputs are written all the same: they show why.
    assert!(out.join("summary.json").exists());
    let o = fleetsim(&[
        "run".as_ref(),
        s.as_os_str(),
        "--check".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "-q".as_ref(),
        "--no-plots".as_ref(),
        "--set".as_ref(),
        "expect[1].count=\"== 2\"".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    // Without --check the expectations are not judged.
    let o = fleetsim(&[
        "run".as_ref(),
        s.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "-q".as_ref(),
        "--no-plots".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn sweep_require_feasible() {
    let f = TempFolder::new("check", "sweep");
    f.write("base.ron", &scenario(""));
    let sweep = |constraint: &str| {
        format!(
            r#"Sweep(name: "s", base_scenario: "base.ron", replications: 1,
                axes: [Values(name: "n", path: "endpoint.variants[0].initial_instance_count", values: [2, 3])],
                objective: Minimize("cost_usd"), constraints: ["{constraint}"])"#
        )
    };
    let none = f.write("none.ron", &sweep("latency_ms.p99 <= 1"));
    let some = f.write("some.ron", &sweep("latency_ms.p99 <= 100000"));
    let args = |file: &std::path::Path, out: &str| {
        vec![
            "sweep".into(),
            file.as_os_str().to_owned(),
            "--require-feasible".into(),
            "--out".into(),
            f.join(out).into_os_string(),
            "-q".into(),
            "--no-plots".into(),
        ]
    };
    let o = fleetsim(&args(&none, "none"));
    assert_eq!(o.status.code(), Some(1));
    assert_contains(
        &String::from_utf8_lossy(&o.stderr),
        &["no point of 2 meets the sweep's constraints"],
    );
    assert!(f.join("none/sweep.csv").exists(), "the outputs are written first");
    let o = fleetsim(&args(&some, "some"));
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn the_bundled_scenarios_hold_what_their_headers_claim() {
    let o = fleetsim(&["check".as_ref(), crate::common::bundled_dir().as_os_str()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("deploy-canary-rollback.ron"), "{out}");
}

#[test]
fn names_come_from_the_configuration_not_the_run() {
    // The names a one-period run offers are every name a whole run has, for every bundled
    // scenario (deployments, serverless, components, users, shadow tests, traces).
    for path in crate::common::all_bundled() {
        let l = fleetsim::scenario::load(&path, &[], None).unwrap();
        let full = check::RunData::new(&fleetsim::sim::run(l.config.clone()));
        let (summary, columns) = check::names(&l.config);
        assert_eq!(
            summary,
            full.summary.keys().cloned().collect::<Vec<_>>(),
            "{}",
            path.display()
        );
        assert_eq!(columns, full.series.columns, "{}", path.display());
    }
}

#[test]
fn unknown_names_are_refused_before_any_run() {
    let f = TempFolder::new("check", "names");
    let bad = f.write(
        "bad.ron",
        &scenario(r#"Summary(name: "a", that: "latency_ms.p98 <= 1"), Series(name: "b", that: "p99 + desired <= 1")"#),
    );
    let o = fleetsim(&["validate".as_ref(), bad.as_os_str()]);
    assert_eq!(o.status.code(), Some(2));
    assert_contains(
        &String::from_utf8_lossy(&o.stderr),
        &[
            "expect[0] (\"a\"): `latency_ms.p98` is not a summary value of this scenario's runs; they are: ",
            "latency_ms.p99",
            "expect[1] (\"b\"): `p99` is not a timeseries.csv column",
            "blue.desired",
        ],
    );
}

#[test]
fn a_plain_run_does_not_trip_on_expectations() {
    // Shortened below the expectations' windows: `run` runs, `run --check` and `validate` refuse.
    let f = TempFolder::new("check", "plain");
    let s = f.write(
        "s.ron",
        &scenario(r#"Event(name: "quiet at the end", kind: ScaleIn, count: "== 0", from: "15m")"#),
    );
    let out = f.join("o");
    let args = |extra: &[&str]| {
        let mut a: Vec<std::ffi::OsString> =
            vec!["run".into(), s.clone().into(), "--set".into(), "duration=13m".into()];
        a.extend([
            "--out".into(),
            out.clone().into(),
            "-q".into(),
            "--no-plots".into(),
            "--force".into(),
        ]);
        a.extend(extra.iter().map(|e| e.into()));
        a
    };
    assert_eq!(fleetsim(&args(&[])).status.code(), Some(0));
    let o = fleetsim(&args(&["--check"]));
    assert_eq!(o.status.code(), Some(2));
    assert_contains(
        &String::from_utf8_lossy(&o.stderr),
        &["expect[0].from: got 15m; allowed: an instant before the end of the run (13m)"],
    );
}
