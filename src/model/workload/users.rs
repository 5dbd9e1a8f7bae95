//! Closed-loop virtual users, the load an Inference Recommender load test puts on an endpoint:
//! each user sends a request, waits for its answer (a response, an error or its timeout),
//! optionally thinks, and sends the next one.
//!
//! How many users there are over time is the traffic pattern's (`TrafficPattern` of the
//! `CreateInferenceRecommendationsJob` API): `Phases`, each starting with
//! `InitialNumberOfUsers` and adding `SpawnRate` users per minute for `DurationInSeconds`, or
//! `Stairs`, `UsersPerStep` more users at each of `NumberOfSteps` equal steps of the pattern's
//! `DurationInSeconds` (docs/semantics/load-tests.md §3). This module turns a pattern into the
//! instants where the user count changes; the simulation starts and stops users there.

use super::super::distribution::DurationDist;
use crate::engine::{SimDuration, SimTime};

/// One phase of a `Phases` pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Phase {
    /// `InitialNumberOfUsers`: users when the phase starts.
    pub initial_number_of_users: u32,
    /// `SpawnRate`: users added per minute during the phase.
    pub spawn_rate: u32,
    /// `DurationInSeconds`.
    pub duration: SimDuration,
}

/// A `Stairs` pattern: `users_per_step` users more at the start of each of `number_of_steps`
/// equal steps of `duration` (the whole pattern).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stairs {
    pub duration: SimDuration,
    pub number_of_steps: u32,
    pub users_per_step: u32,
}

/// How a phase's users arrive within each minute.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SpawnMode {
    /// `SpawnRate` users at once at each whole minute of the phase (the first minute has only
    /// the initial users).
    #[default]
    MinuteBatches,
    /// One user every `60 / SpawnRate` seconds.
    Even,
}

/// The `TrafficPattern` of a load test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrafficPattern {
    Phases(Vec<Phase>),
    Stairs(Stairs),
}

const MINUTE: u64 = 60_000_000;

impl Phase {
    /// Users at the end of the phase (`B` of the continuity rule): with minute batches,
    /// `A + SpawnRate x (ceil(D / 60 s) - 1)`.
    pub fn end_users(&self, mode: SpawnMode) -> u64 {
        let a = u64::from(self.initial_number_of_users);
        let r = u64::from(self.spawn_rate);
        let d = self.duration.0;
        match mode {
            SpawnMode::MinuteBatches => a + r * (d.div_ceil(MINUTE).saturating_sub(1)),
            // One user every 60 s / r: the last spawn strictly before the end.
            SpawnMode::Even if r > 0 => a + (d * r).div_ceil(MINUTE).saturating_sub(1),
            SpawnMode::Even => a,
        }
    }

    /// The instants (from the phase's start) where its user count changes, with the count from
    /// then on; the first is `(0, A)`.
    fn changes(&self, mode: SpawnMode, out: &mut Vec<(SimDuration, u64)>) {
        let a = u64::from(self.initial_number_of_users);
        let r = u64::from(self.spawn_rate);
        out.push((SimDuration::ZERO, a));
        if r == 0 {
            return;
        }
        match mode {
            SpawnMode::MinuteBatches => {
                let mut k = 1;
                while k * MINUTE < self.duration.0 {
                    out.push((SimDuration(k * MINUTE), a + r * k));
                    k += 1;
                }
            }
            SpawnMode::Even => {
                // The k-th extra user at k x 60 s / r, in whole microseconds rounded down.
                let mut k = 1;
                while (k * MINUTE) / r < self.duration.0 {
                    out.push((SimDuration((k * MINUTE) / r), a + k));
                    k += 1;
                }
            }
        }
    }
}

impl TrafficPattern {
    /// `users` users from the start for at least `duration`: phases of an hour, all of the
    /// same size (benchmarks and queueing checks; outside the console's ranges).
    pub fn constant(users: u32, duration: SimDuration) -> TrafficPattern {
        let hours = duration.0.div_ceil(3_600_000_000).max(1);
        TrafficPattern::Phases(
            (0..hours)
                .map(|_| Phase {
                    initial_number_of_users: users,
                    spawn_rate: 0,
                    duration: SimDuration::from_secs(3600),
                })
                .collect(),
        )
    }

    /// How long the pattern lasts.
    pub fn duration(&self) -> SimDuration {
        match self {
            TrafficPattern::Phases(phases) => SimDuration(phases.iter().map(|p| p.duration.0).sum()),
            TrafficPattern::Stairs(s) => s.duration,
        }
    }

    /// The most users the pattern ever has at once.
    pub fn peak_users(&self, mode: SpawnMode) -> u64 {
        match self {
            TrafficPattern::Phases(phases) => phases.iter().map(|p| p.end_users(mode)).max().unwrap_or(0),
            TrafficPattern::Stairs(s) => u64::from(s.users_per_step) * u64::from(s.number_of_steps),
        }
    }

    /// The user count over the pattern: `(instant from the start, users from then on)`, in time
    /// order, ending with `(duration, 0)`. Consecutive entries always differ in count.
    pub fn user_counts(&self, mode: SpawnMode) -> Vec<(SimDuration, u64)> {
        let mut raw = Vec::new();
        match self {
            TrafficPattern::Phases(phases) => {
                let mut start = SimDuration::ZERO;
                let mut part = Vec::new();
                for p in phases {
                    part.clear();
                    p.changes(mode, &mut part);
                    raw.extend(part.iter().map(|&(t, n)| (start + t, n)));
                    start = start + p.duration;
                }
            }
            TrafficPattern::Stairs(s) => {
                // Step k starts at k x D / N: kept exact by computing each start from k, not
                // by adding a rounded step length.
                let n = u64::from(s.number_of_steps);
                for k in 0..n {
                    let at = SimDuration((u128::from(s.duration.0) * u128::from(k) / u128::from(n)) as u64);
                    raw.push((at, u64::from(s.users_per_step) * (k + 1)));
                }
            }
        }
        raw.push((self.duration(), 0));
        let mut out: Vec<(SimDuration, u64)> = Vec::with_capacity(raw.len());
        for (t, n) in raw {
            match out.last_mut() {
                // A later change at the same instant wins (a phase of zero length).
                Some(last) if last.0 == t => last.1 = n,
                Some(last) if last.1 == n => {}
                _ => out.push((t, n)),
            }
        }
        out
    }
}

/// A load test of closed-loop users, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct UserTest {
    pub pattern: TrafficPattern,
    pub spawn_mode: SpawnMode,
    /// When the pattern starts, from the start of the run.
    pub start: SimTime,
    /// Pause between an answer and the user's next request.
    pub think_time: DurationDist,
    /// The client's share of every call: the network round trip the load generator sees on
    /// top of the endpoint's answer (also for calls refused at once, so a refused user cannot
    /// call again at the same instant).
    pub round_trip: SimDuration,
    /// The load test's stopping conditions, checked at the end of every minute: the first that
    /// holds stops every user (their calls in flight still end). `None`: the users run the
    /// whole pattern.
    pub stopping: Option<super::StopRules>,
}

impl UserTest {
    /// The user count over the run: `(instant, users from then on)`, ending with 0 users at the
    /// pattern's end.
    pub fn user_counts(&self) -> Vec<(SimTime, u32)> {
        self.pattern
            .user_counts(self.spawn_mode)
            .into_iter()
            .map(|(t, n)| (self.start + t, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> SimDuration {
        SimDuration::from_secs(s)
    }

    fn phase(a: u32, r: u32, d: u64) -> Phase {
        Phase {
            initial_number_of_users: a,
            spawn_rate: r,
            duration: secs(d),
        }
    }

    fn counts(p: &TrafficPattern, mode: SpawnMode) -> Vec<(u64, u64)> {
        p.user_counts(mode)
            .into_iter()
            .map(|(t, n)| (t.0 / 1_000_000, n))
            .collect()
    }

    #[test]
    fn stairs_of_600_s_in_5_steps_change_every_120_s() {
        // Worked example: L = 600 / 5 = 120 s.
        let p = TrafficPattern::Stairs(Stairs {
            duration: secs(600),
            number_of_steps: 5,
            users_per_step: 1,
        });
        assert_eq!(
            counts(&p, SpawnMode::MinuteBatches),
            [(0, 1), (120, 2), (240, 3), (360, 4), (480, 5), (600, 0)]
        );
    }

    #[test]
    fn stairs_template_has_2_then_4_users() {
        let p = TrafficPattern::Stairs(Stairs {
            duration: secs(240),
            number_of_steps: 2,
            users_per_step: 2,
        });
        assert_eq!(counts(&p, SpawnMode::MinuteBatches), [(0, 2), (120, 4), (240, 0)]);
        assert_eq!(p.peak_users(SpawnMode::MinuteBatches), 4);
    }

    #[test]
    fn stairs_of_a_non_integer_step_length_stay_exact() {
        let p = TrafficPattern::Stairs(Stairs {
            duration: secs(600),
            number_of_steps: 7,
            users_per_step: 1,
        });
        let at: Vec<u64> = p.user_counts(SpawnMode::MinuteBatches).iter().map(|c| c.0 .0).collect();
        // 600 s / 7 = 85.714285... s: each start is floor(k x 600e6 / 7) µs.
        assert_eq!(&at[..3], [0, 85_714_285, 171_428_571]);
        assert_eq!(at[7], 600_000_000);
    }

    #[test]
    fn two_template_phases_restart_at_one_user() {
        // Worked example: phase 1 users 1 on [0, 60), 2 on [60, 120); B1 = 2; phase 2 again.
        let p = TrafficPattern::Phases(vec![phase(1, 1, 120), phase(1, 1, 120)]);
        assert_eq!(phase(1, 1, 120).end_users(SpawnMode::MinuteBatches), 2);
        assert_eq!(
            counts(&p, SpawnMode::MinuteBatches),
            [(0, 1), (60, 2), (120, 1), (180, 2), (240, 0)]
        );
    }

    #[test]
    fn the_cli_phase_adds_60_users_a_minute() {
        // Worked example (lenient validation): 1, 61, 121, 181, 241 users; B = 241.
        let p = TrafficPattern::Phases(vec![phase(1, 60, 300)]);
        assert_eq!(
            counts(&p, SpawnMode::MinuteBatches),
            [(0, 1), (60, 61), (120, 121), (180, 181), (240, 241), (300, 0)]
        );
        assert_eq!(phase(1, 60, 300).end_users(SpawnMode::MinuteBatches), 241);
    }

    #[test]
    fn the_largest_phase_ends_with_180_users() {
        assert_eq!(phase(3, 3, 3600).end_users(SpawnMode::MinuteBatches), 180);
        let p = TrafficPattern::Phases(vec![phase(3, 3, 3600)]);
        assert_eq!(p.peak_users(SpawnMode::MinuteBatches), 180);
        // A phase that ends exactly on a minute adds no users at its end.
        assert_eq!(
            counts(&p, SpawnMode::MinuteBatches).iter().rev().nth(1),
            Some(&(3540, 180))
        );
    }

    #[test]
    fn even_spawning_adds_one_user_at_a_time() {
        let p = TrafficPattern::Phases(vec![phase(1, 3, 120)]);
        assert_eq!(
            counts(&p, SpawnMode::Even),
            [(0, 1), (20, 2), (40, 3), (60, 4), (80, 5), (100, 6), (120, 0)]
        );
        assert_eq!(phase(1, 3, 120).end_users(SpawnMode::Even), 6);
        // Without spawning the phase keeps its initial users.
        assert_eq!(phase(2, 0, 120).end_users(SpawnMode::Even), 2);
    }

    #[test]
    fn a_test_starts_where_the_scenario_says() {
        let t = UserTest {
            pattern: TrafficPattern::Phases(vec![phase(2, 0, 120)]),
            spawn_mode: SpawnMode::MinuteBatches,
            start: SimTime::from_secs(600),
            think_time: DurationDist::Constant(SimDuration::ZERO),
            round_trip: SimDuration::from_millis(1),
            stopping: None,
        };
        assert_eq!(
            t.user_counts(),
            [(SimTime::from_secs(600), 2), (SimTime::from_secs(720), 0)]
        );
    }
}
