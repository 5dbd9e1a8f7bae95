//! Closed-loop users: queueing theory on a closed loop (the machine-repairman model M/M/1//N
//! and Little's law), exact timings of a saturated loop, give-ups, a background load beside the
//! users, and the traffic patterns' validation (load-test worked examples).

use crate::common::{config, invalid, mmc, run_checked};
use fleetsim::engine::{SimDuration, SimTime};
use fleetsim::model::workload::{SpawnMode, TrafficPattern, UserTest, Workload};
use fleetsim::model::DurationDist;
use fleetsim::sim::{RunResult, SimConfig};

/// `n` users for `secs` (lenient phases of constant size), think time `think`.
fn users(n: u32, secs: u64, think: DurationDist, round_trip: SimDuration) -> Workload {
    Workload::Users {
        test: UserTest {
            pattern: TrafficPattern::constant(n, SimDuration::from_secs(secs)),
            spawn_mode: SpawnMode::MinuteBatches,
            start: SimTime::ZERO,
            think_time: think,
            round_trip,
            stopping: None,
        },
        background: None,
    }
}

fn closed(cfg: &mut SimConfig, n: u32, think: DurationDist, round_trip: SimDuration) {
    cfg.workload = users(n, cfg.duration.0 / 1_000_000, think, round_trip);
}

/// Throughput of the machine-repairman model M/M/1//N: `n` users thinking for an exponential
/// time of mean `z`, one exponential server of mean `s`. `p0 = 1 / sum_k n!/(n-k)! (s/z)^k`,
/// throughput `(1 - p0) / s`.
fn repairman_throughput(n: u32, s: f64, z: f64) -> f64 {
    let r = s / z;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..=n {
        term *= f64::from(n - k + 1) * r;
        sum += term;
    }
    (1.0 - 1.0 / sum) / s
}

#[test]
fn a_closed_loop_of_10_users_on_one_server_matches_the_machine_repairman_model() {
    // 10 users, think 80 ms, service 10 ms on one slot: the server is busy 1 - p0 of the time.
    let (n, s, z) = (10, 0.010, 0.080);
    let secs = 4 * 3600;
    let mut cfg = mmc(
        0.0,
        DurationDist::Exponential {
            mean: SimDuration::from_millis(10),
        },
        1,
        1,
        secs,
        11,
    );
    // The round trip is 1 µs: 1e-4 of a cycle, far inside the tolerance.
    closed(
        &mut cfg,
        n,
        DurationDist::Exponential {
            mean: SimDuration::from_millis(80),
        },
        SimDuration(1),
    );
    let r = run_checked(cfg);
    let x = r.totals.completed as f64 / secs as f64;
    let exact = repairman_throughput(n, s, z);
    // About 1.4 million requests; batch means of this model give a relative standard error
    // near 0.1 % for the throughput, so 1 % is about ten standard errors.
    assert!((x / exact - 1.0).abs() < 0.01, "throughput {x} /s, exact {exact} /s");
    // Response time by the model: R = N / X - Z.
    let exact_r = f64::from(n) / exact - z;
    let mean_r = r.totals.latency_sum_us as f64 / r.totals.completed as f64 / 1e6;
    assert!(
        (mean_r / exact_r - 1.0).abs() < 0.02,
        "response {mean_r} s, exact {exact_r} s"
    );
}

#[test]
fn littles_law_holds_on_a_closed_loop() {
    // Users = throughput x (client response time + think time), with several servers,
    // log-normal service and uniform think times.
    let n = 40;
    let secs = 2 * 3600;
    let mut cfg = mmc(
        0.0,
        DurationDist::lognormal(SimDuration::from_millis(30), SimDuration::from_millis(150)),
        3,
        4,
        secs,
        5,
    );
    let think = DurationDist::Uniform {
        min: SimDuration::from_millis(50),
        max: SimDuration::from_millis(250),
    };
    closed(&mut cfg, n, think, SimDuration::from_millis(2));
    let r = run_checked(cfg);
    let u = r.users.as_ref().expect("a load test");
    let x = u.answered as f64 / secs as f64;
    let response = u.mean_latency_us().unwrap() / 1e6;
    let cycle = response + 0.150;
    // Every user is always in a cycle, so the law is exact up to the cycles cut by the start
    // and the end of the run (40 of about 1.5 million) and the think times' sampling error:
    // 0.5 % holds both with a wide margin.
    let users = x * cycle;
    assert!(
        (users / f64::from(n) - 1.0).abs() < 0.005,
        "X x cycle = {users}, users {n}"
    );
    assert_eq!(u.peak_users, n);
}

/// One ml.c5.large with 2 slots of a constant 20 ms: 100 requests per second at most; users on
/// `Stairs` of 2 more every 2 minutes (`load_test_stops.rs` reuses it).
pub(crate) const SATURATED: &str = r#"Scenario(
    name: "saturated",
    seed: 7,
    duration: "12m",
    endpoint: RealTime(
        variants: [
            Variant(
                name: "blue",
                instance_type: "ml.c5.large",
                initial_instance_count: 1,
                concurrency: 2,
                model: Model(service_time: Constant("20ms")),
            ),
        ],
        backlog: Backlog(capacity: 2000, timeout: "60s"),
    ),
    workload: Users(
        traffic_pattern: Stairs(duration_in_seconds: 600, number_of_steps: 5, users_per_step: 2),
    ),
)"#;

#[test]
fn a_saturated_loop_has_exact_response_times() {
    let r = run_checked(config(SATURATED));
    let u = r.users.as_ref().unwrap();
    // Two users never queue: 20 ms service plus a 1 ms round trip. From three users on the two
    // slots serve 100 requests per second and each user's call takes users / 100 s (Little's
    // law on a deterministic loop), so 10 users see 100 ms, 99 ms of it at the endpoint.
    let max_ms = r.totals.latency.max() as f64 / 1000.0;
    assert!((max_ms - 99.0).abs() < 0.1, "max endpoint latency {max_ms} ms");
    // Minute by minute: users 2, 2, 4, 4, ..., 10, 10, then 0 after the pattern.
    let users: Vec<u32> = u.points.iter().map(|p| p.users).collect();
    assert_eq!(users, [2, 2, 4, 4, 6, 6, 8, 8, 10, 10, 0, 0]);
    // 2 users: 60 s / 21 ms per user = 2857 calls a minute each (5714); saturated minutes
    // answer 6000.
    let answered: Vec<u64> = u.points.iter().map(|p| p.answered).collect();
    assert!((5712..=5716).contains(&answered[0]), "{answered:?}");
    assert!(
        answered[3..10].iter().all(|a| (5998..=6002).contains(a)),
        "{answered:?}"
    );
    // The users stop at 600 s after the call they are in: at most one answer each after it.
    assert!(answered[10] <= 10, "{answered:?}");
    assert_eq!(answered[11], 0);
    assert_eq!(u.gave_up, 0);
    assert_eq!(u.answered, r.totals.arrived);
}

#[test]
fn a_user_gives_up_at_the_invocation_timeout() {
    // A 90 s service against the 60 s timeout: the user gives up at 60 s and calls again one
    // round trip later; the endpoint keeps serving the abandoned request.
    let text = SATURATED.replace("Constant(\"20ms\")", "Constant(\"90s\")").replace(
        "Stairs(duration_in_seconds: 600, number_of_steps: 5, users_per_step: 2)",
        "Phases([(initial_number_of_users: 1, spawn_rate: 0, duration_in_seconds: 600)])",
    );
    let r = run_checked(config(&text));
    let u = r.users.as_ref().unwrap();
    // Calls at 0, 60.001, 120.002, ..., 540.009 (the pattern ends at 600 s): each finds the
    // slot freed 120 s earlier, and each is given up at 60 s.
    assert_eq!(u.gave_up, u.answered);
    assert_eq!(u.answered, 10, "{:?}", u.points);
    let latency_ms = u.mean_latency_us().unwrap() / 1000.0;
    assert!((latency_ms - 60_001.0).abs() < 0.5, "{latency_ms}");
}

#[test]
fn users_and_a_background_load_share_the_endpoint() {
    let text = SATURATED.replace(
        "    ),\n)",
        "        background: Open(arrivals: Deterministic, rate: Constant(10.0)),\n    ),\n)",
    );
    let r: RunResult = run_checked(config(&text));
    let u = r.users.as_ref().unwrap();
    // 10 requests per second for 12 minutes come from the background.
    assert_eq!(r.totals.arrived - u.answered - r.in_flight_at_end, 7200);
}

fn pattern(p: &str) -> String {
    SATURATED.replace(
        "Stairs(duration_in_seconds: 600, number_of_steps: 5, users_per_step: 2)",
        p,
    )
}

fn phases(list: &[(u32, u32, u32)]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|(a, r, d)| format!("(initial_number_of_users: {a}, spawn_rate: {r}, duration_in_seconds: {d})"))
        .collect();
    pattern(&format!("Phases([{}])", items.join(", ")))
}

#[test]
fn phase_ranges_and_continuity_are_checked() {
    // Worked example: 119 s and 3601 s are out of range, 4 initial users too, and 0.
    let e = invalid(&phases(&[(1, 1, 119)]));
    assert!(
        e.contains(
            "workload.traffic_pattern.Phases[0].duration_in_seconds: got 119; allowed: an integer from 120 to 3600"
        ),
        "{e}"
    );
    let e = invalid(&phases(&[(1, 1, 3601)]));
    assert!(e.contains("Phases[0].duration_in_seconds: got 3601"), "{e}");
    let e = invalid(&phases(&[(4, 1, 120)]));
    assert!(
        e.contains("Phases[0].initial_number_of_users: got 4; allowed: an integer from 1 to 3"),
        "{e}"
    );
    // (1, 3, 120) ends with 4 users; a next phase of 1 is within 3 of it; 0 is not allowed.
    config(&phases(&[(1, 3, 120), (1, 0, 120)]));
    let e = invalid(&phases(&[(1, 3, 120), (1, 0, 120), (0, 1, 120)]));
    assert!(
        e.contains("Phases[2].initial_number_of_users: got 0; allowed: an integer from 1 to 3"),
        "{e}"
    );
    // 3 users, 3 a minute for 240 s end with 12: a next phase of 3 starts 9 users below.
    let e = invalid(&phases(&[(3, 3, 240), (3, 0, 120)]));
    assert!(
        e.contains("Phases[1].initial_number_of_users: got 3 (the previous phase ends with 12 users); allowed: within 3 users of the previous phase's end: from 9 to 15"),
        "{e}"
    );
}

#[test]
fn the_cli_spawn_rate_of_60_needs_lenient_validation() {
    let text = phases(&[(1, 60, 300)]);
    let e = invalid(&text);
    assert!(
        e.contains("Phases[0].spawn_rate: got 60; allowed: an integer from 0 to 3 users per minute"),
        "{e}"
    );
    let lenient = text.replace("    ),\n)", "        validation: Lenient,\n    ),\n)");
    let c = config(&lenient);
    let Workload::Users { test, .. } = &c.workload else {
        panic!()
    };
    // Worked example: 1, 61, 121, 181, 241 users at 0, 60, 120, 180, 240 s.
    let counts: Vec<(u64, u32)> = test.user_counts().iter().map(|(t, n)| (t.0 / 1_000_000, *n)).collect();
    assert_eq!(counts, [(0, 1), (60, 61), (120, 121), (180, 181), (240, 241), (300, 0)]);
}

#[test]
fn stairs_ranges_and_the_per_step_reading() {
    let e = invalid(&pattern(
        "Stairs(duration_in_seconds: 100, number_of_steps: 2, users_per_step: 2)",
    ));
    assert!(e.contains("Stairs.duration_in_seconds: got 100; allowed: an integer from 120 to 3600, the length of the whole pattern"), "{e}");
    let e = invalid(&pattern(
        "Stairs(duration_in_seconds: 600, number_of_steps: 0, users_per_step: 2)",
    ));
    assert!(
        e.contains("Stairs.number_of_steps: got 0 (0 users in the last step)"),
        "{e}"
    );
    let e = invalid(&pattern(
        "Stairs(duration_in_seconds: 600, number_of_steps: 2, users_per_step: 4)",
    ));
    assert!(
        e.contains("Stairs.users_per_step: got 4; allowed: an integer from 1 to 3"),
        "{e}"
    );
    // Worked example: 240 s in 2 steps of 2 users; read per step, it lasts 480 s.
    let whole = config(&pattern(
        "Stairs(duration_in_seconds: 240, number_of_steps: 2, users_per_step: 2)",
    ));
    let per_step = config(
        &pattern("Stairs(duration_in_seconds: 240, number_of_steps: 2, users_per_step: 2)")
            .replace("    ),\n)", "        stairs_duration_is_per_step: true,\n    ),\n)"),
    );
    let ends = |c: &SimConfig| match &c.workload {
        Workload::Users { test, .. } => test
            .user_counts()
            .iter()
            .map(|(t, n)| (t.0 / 1_000_000, *n))
            .collect::<Vec<_>>(),
        _ => panic!(),
    };
    assert_eq!(ends(&whole), [(0, 2), (120, 4), (240, 0)]);
    assert_eq!(ends(&per_step), [(0, 2), (240, 4), (480, 0)]);
}

#[test]
fn a_zero_round_trip_and_a_nested_load_test_are_refused() {
    let e = invalid(&SATURATED.replace("    ),\n)", "        round_trip: \"0s\",\n    ),\n)"));
    assert!(
        e.contains("workload.round_trip: got \"0s\"; allowed: a duration from 1us to 60s"),
        "{e}"
    );
    let inner = "Users(traffic_pattern: Stairs(duration_in_seconds: 600, number_of_steps: 5, users_per_step: 2))";
    let e = invalid(&SATURATED.replace("    ),\n)", &format!("        background: {inner},\n    ),\n)")));
    assert!(
        e.contains("workload.background: got Users(...); allowed: an Open(...) or Trace(...) workload"),
        "{e}"
    );
}

#[test]
fn the_summary_reports_the_load_test_s_maximum_invocations_per_minute() {
    // The bundled stairs: the peak whole minute of invocations and when it started, as a
    // load test's MaximumInvocations reads the same minutes.
    let loaded = crate::common::load_bundled("load-test-stairs.ron", &[], None);
    let r = fleetsim::sim::run(loaded.config);
    let s = fleetsim::report::summary(&r);
    let u = s.users.expect("a load test");
    let (best, at) = r
        .points
        .iter()
        .map(|p| {
            (
                p.variants.iter().map(|v| v.requests.invocations).sum::<u64>(),
                p.start_us,
            )
        })
        .fold((0, 0), |b, x| if x.0 > b.0 { x } else { b });
    assert!(best > 0);
    assert_eq!(u.max_invocations_per_minute, Some(best as f64));
    assert_eq!(u.max_invocations_at_s, Some(at as f64 / 1e6));
    // A run shorter than one period has no whole minute to report.
    let mut short = crate::common::load_bundled("load-test-stairs.ron", &["duration=30s"], None).config;
    short.metrics.percentiles.clear();
    let s = fleetsim::report::summary(&fleetsim::sim::run(short));
    assert_eq!(s.users.unwrap().max_invocations_per_minute, None);
}
