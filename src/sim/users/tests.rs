//! The user pool driven without a World: counts, sends, answers and stale sends.

use super::*;
use crate::engine::{RngStreams, SimDuration, SimTime};
use crate::model::workload::{Phase, SpawnMode, TrafficPattern, UserTest};
use crate::model::DurationDist;

fn secs(s: u64) -> SimDuration {
    SimDuration::from_secs(s)
}

/// Phases of `(initial users, spawn rate, seconds)`, think time `think`.
fn pool(phases: &[(u32, u32, u64)], think: DurationDist) -> UserPool {
    let test = UserTest {
        pattern: TrafficPattern::Phases(
            phases
                .iter()
                .map(|&(a, r, d)| Phase {
                    initial_number_of_users: a,
                    spawn_rate: r,
                    duration: secs(d),
                })
                .collect(),
        ),
        spawn_mode: SpawnMode::MinuteBatches,
        start: SimTime::ZERO,
        think_time: think,
        round_trip: SimDuration::from_millis(1),
        stopping: None,
    };
    UserPool::new(test, RngStreams::new(3))
}

#[test]
fn users_start_lowest_first_and_stop_highest_first() {
    // 3 users, then 1 more after a minute; then a phase of 1 user; then the end.
    let mut p = pool(&[(3, 1, 120), (1, 0, 120)], DurationDist::Constant(SimDuration::ZERO));
    assert_eq!(p.change_at(0), Some(SimTime::ZERO));
    assert_eq!(p.on_count(0), [(0, 0), (1, 0), (2, 0)]);
    assert_eq!(p.change_at(1), Some(SimTime::from_secs(60)));
    assert_eq!(p.on_count(1), [(3, 0)]);
    for u in 0..4 {
        assert!(p.on_send(u, 0));
    }
    // Down to 1 user: users 1, 2 and 3 stop; all are busy, so none sends again.
    assert_eq!(p.change_at(2), Some(SimTime::from_secs(120)));
    assert!(p.on_count(2).is_empty());
    assert_eq!(p.users(), 1);
    let t = SimTime::from_secs(121);
    assert_eq!(p.on_answer(3, SimTime::from_secs(120), t, Answer::Response), None);
    assert_eq!(
        p.on_answer(0, SimTime::from_secs(120), t, Answer::Response),
        Some((t, 0))
    );
    // The pattern's end: no users.
    assert_eq!(p.change_at(3), Some(SimTime::from_secs(240)));
    assert!(p.on_count(3).is_empty());
    assert_eq!(p.change_at(4), None);
    assert_eq!(p.peak, 4);
}

#[test]
fn a_stopped_user_sends_nothing_and_a_restarted_one_sends_once() {
    let mut p = pool(
        &[(2, 0, 120), (1, 0, 120), (2, 0, 120)],
        DurationDist::Constant(secs(5)),
    );
    assert_eq!(p.on_count(0), [(0, 0), (1, 0)]);
    assert!(p.on_send(1, 0));
    // User 1 is answered and thinks until 15 s.
    let next = p.on_answer(1, SimTime::from_secs(1), SimTime::from_secs(10), Answer::Response);
    assert_eq!(next, Some((SimTime::from_secs(15), 0)));
    // It stops while thinking: its send is stale.
    assert!(p.on_count(1).is_empty());
    assert!(!p.on_send(1, 0));
    // Restarted, it sends at once under its new generation; the old send stays stale.
    assert_eq!(p.on_count(2), [(1, 1)]);
    assert!(!p.on_send(1, 0));
    assert!(p.on_send(1, 1));
    // A second send of the same generation while busy is refused.
    assert!(!p.on_send(1, 1));
}

#[test]
fn a_user_restarted_while_busy_goes_on_after_its_answer() {
    let mut p = pool(
        &[(2, 0, 120), (1, 0, 120), (2, 0, 120)],
        DurationDist::Constant(SimDuration::ZERO),
    );
    p.on_count(0);
    assert!(p.on_send(1, 0));
    p.on_count(1);
    // Restarted while its call is unanswered: not started twice.
    assert!(p.on_count(2).is_empty());
    let seen = SimTime::from_secs(300);
    assert_eq!(
        p.on_answer(1, SimTime::from_secs(100), seen, Answer::GaveUp),
        Some((seen, 1))
    );
    assert!(p.on_send(1, 1));
    assert_eq!(p.totals(), (1, 1, 200_000_000));
}

#[test]
fn think_times_come_from_the_users_own_stream() {
    let mean = SimDuration::from_millis(100);
    let mut p = pool(&[(2, 0, 120)], DurationDist::Exponential { mean });
    p.on_count(0);
    let mut expected = RngStreams::new(3).stream("think/1");
    let want = DurationDist::Exponential { mean }.sample(&mut expected);
    assert!(p.on_send(1, 0));
    let seen = SimTime::from_secs(1);
    assert_eq!(
        p.on_answer(1, SimTime::ZERO, seen, Answer::Response),
        Some((seen + want, 0))
    );
    // The request stream is `users/<k>`.
    let mut a = RngStreams::new(3).stream("users/0");
    let b = p.requests(0);
    use rand::RngExt;
    assert_eq!(a.random::<u64>(), b.random::<u64>());
}

#[test]
fn periods_record_users_and_answers() {
    let mut p = pool(&[(3, 0, 120)], DurationDist::Constant(SimDuration::ZERO));
    p.on_count(0);
    assert!(p.on_send(0, 0));
    p.on_answer(0, SimTime::ZERO, SimTime(5), Answer::Response);
    p.close_period();
    p.close_period();
    // The run's totals are the periods'.
    assert_eq!(p.totals(), (1, 0, 5));
    assert_eq!(
        p.points,
        [
            UserPoint {
                users: 3,
                answered: 1,
                gave_up: 0,
                latency_sum_us: 5,
                latency_p50_us: Some(5),
                latency_p99_us: Some(5),
            },
            UserPoint {
                users: 3,
                ..Default::default()
            }
        ]
    );
}
