//! The capacity-planning notebook's three rounds (scenarios/notebook-round*.ron) under the
//! notebook's own load test: closed-loop users added at 1 or 3 a minute, stopped by its stopping
//! conditions, judged by its verdict (a minute reaching MaxInvocations 30000). The figures are
//! those the scenario headers state, for seeds 1-20, and where each verdict turns with the
//! launch time (scenarios/sweeps/notebook-launch-time.ron draws it).

use crate::common::{load_bundled, run_checked};
use fleetsim::model::workload::StopReason;
use fleetsim::sim::RunResult;

const SEEDS: std::ops::RangeInclusive<u64> = 1..=20;
const ROUND1: &str = "notebook-round1-slow-ramp.ron";
const ROUND2: &str = "notebook-round2-fast-ramp.ron";
const ROUND3: &str = "notebook-round3-step.ron";

/// How one seed's load test ended.
#[derive(Debug)]
struct Verdict {
    seed: u64,
    /// Most invocations in a minute.
    peak: u64,
    stop: StopReason,
    /// When it stopped [s].
    at: u64,
    /// Users in the minute that stopped it.
    users: u32,
    run: RunResult,
}

impl Verdict {
    fn passed(&self) -> bool {
        self.peak >= 30_000
    }
}

fn verdict(file: &str, sets: &[&str], seed: u64) -> Verdict {
    let run = run_checked(load_bundled(file, sets, Some(seed)).config);
    let u = run.users.as_ref().expect("a load test");
    let (stop, at) = u.stopped.expect("every round's test stops within the run");
    let at = at.0 / 1_000_000;
    let minute = (at / 60) as usize - 1;
    let peak = run
        .points
        .iter()
        .map(|p| p.variants.iter().map(|v| v.requests.invocations).sum::<u64>())
        .max()
        .unwrap();
    Verdict {
        seed,
        peak,
        stop,
        at,
        users: u.points[minute].users,
        run,
    }
}

fn verdicts(file: &str, sets: &[&str]) -> Vec<Verdict> {
    SEEDS.map(|seed| verdict(file, sets, seed)).collect()
}

/// `(time [s], cause, "desired A -> B")` of the first capacity change.
fn first_change(r: &RunResult) -> (u64, String, String) {
    let a = r.activities.iter().find(|a| a.desired_change().is_some()).unwrap();
    let (from, to) = a.desired_change().unwrap();
    (a.time.0 / 1_000_000, a.cause.clone(), format!("desired {from} -> {to}"))
}

#[test]
fn round1_target_tracking_reaches_30000_with_a_user_a_minute() {
    for v in verdicts(ROUND1, &[]) {
        assert!(v.passed(), "{v:?}");
        assert_eq!(
            (v.stop, v.at, v.users),
            (StopReason::MaxInvocations, 840, 14),
            "seed {}",
            v.seed
        );
        assert!((32_577..=32_796).contains(&v.peak), "seed {}: {}", v.seed, v.peak);
        // The first scale-out (3 datapoints above 3000 per instance) comes at 05:00.
        assert_eq!(
            first_change(&v.run),
            (300, "invocations".into(), "desired 2 -> 4".into()),
            "seed {}",
            v.seed
        );
    }
}

#[test]
fn round2_target_tracking_stops_flat_before_its_scale_out_lands() {
    let all = verdicts(ROUND2, &[]);
    let passed: Vec<u64> = all.iter().filter(|v| v.passed()).map(|v| v.seed).collect();
    assert_eq!(passed, [2, 13, 18]);
    for v in &all {
        if v.passed() {
            assert_eq!((v.stop, v.at), (StopReason::MaxInvocations, 780), "seed {}", v.seed);
            continue;
        }
        assert_eq!(
            (v.stop, v.at, v.users),
            (StopReason::FlatInvocations, 420, 19),
            "seed {}",
            v.seed
        );
        assert!((10_899..=11_054).contains(&v.peak), "seed {}: {}", v.seed, v.peak);
    }
    // Seed 1: `cpu` scales 2 -> 4 at 04:00; those instances serve from 07:40, after the stop.
    let v = &all[0];
    assert_eq!(first_change(&v.run), (240, "cpu".into(), "desired 2 -> 4".into()));
    let served = v
        .run
        .activities
        .iter()
        .find(|a| a.reason.starts_with("i-2 in service"))
        .map(|a| a.time.0 / 1_000_000);
    assert_eq!(served, Some(460));
}

#[test]
fn round3_step_scaling_reaches_30000_with_three_users_a_minute() {
    for v in verdicts(ROUND3, &[]) {
        assert!(v.passed(), "{v:?}");
        assert_eq!(
            (v.stop, v.at, v.users),
            (StopReason::MaxInvocations, 420, 19),
            "seed {}",
            v.seed
        );
        assert!((32_503..=32_905).contains(&v.peak), "seed {}: {}", v.seed, v.peak);
        // The one-datapoint step alarm acts at 02:00 with the +4 step.
        assert_eq!(
            first_change(&v.run),
            (120, "notebook-steps".into(), "desired 2 -> 6".into()),
            "seed {}",
            v.seed
        );
    }
}

/// Seeds of 20 that pass with new instances provisioning for `provision_s` seconds (plus the
/// scenarios' 60 s of loading).
fn passes(file: &str, provision_s: u64) -> usize {
    let set = format!("endpoint.variants[0].launch.provision=Constant(\"{provision_s}s\")");
    verdicts(file, &[&set]).iter().filter(|v| v.passed()).count()
}

#[test]
fn each_verdict_turns_at_a_whole_minute_of_launch_time() {
    // Launches of 3 min 50 s / 4 min / 5 min (round 1), 2 min 50 s / 3 min / 4 min (round 2),
    // 4 min 50 s / 5 min / 6 min (round 3): every seed just under the turn, a few at it, none a
    // minute later.
    for (file, turn, at_turn) in [(ROUND1, 180, 5), (ROUND2, 120, 3), (ROUND3, 240, 3)] {
        assert_eq!(passes(file, turn - 10), 20, "{file} at {}s", turn - 10);
        assert_eq!(passes(file, turn), at_turn, "{file} at {turn}s");
        assert_eq!(passes(file, turn + 60), 0, "{file} at {}s", turn + 60);
    }
}
