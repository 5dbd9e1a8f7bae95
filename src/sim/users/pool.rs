//! The user pool: who runs, when each user sends, and what the users saw.

use crate::engine::{RngStreams, SimDuration, SimRng, SimTime};
use crate::model::metrics::LatencyHistogram;
use crate::model::workload::{first_stop, MinuteStats, StopReason, UserTest};
use crate::model::DurationDist;

/// One virtual user.
#[derive(Debug)]
struct User {
    /// The pattern counts this user now.
    active: bool,
    /// A request of this user is unanswered.
    busy: bool,
    /// Bumped each time the user stops, so a send it had scheduled is recognised as stale.
    gen: u32,
    /// Service times and outcomes of its requests: `users/<k>`.
    requests: SimRng,
    /// Its think times: `think/<k>`.
    think: SimRng,
}

/// How a user's call ended, as the load generator sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::sim) enum Answer {
    /// A response: 2XX, or an error the endpoint answered (4XX, 5XX, refused, throttled).
    Response,
    /// No answer within the user's timeout: the user gave up.
    GaveUp,
}

/// Per metrics period: users at its end and the calls answered in it, as the load generator
/// saw them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UserPoint {
    /// Users the pattern counts at the end of the period.
    pub users: u32,
    /// Calls answered in the period (responses and give-ups).
    pub answered: u64,
    /// Calls given up in the period.
    pub gave_up: u64,
    /// Client-side latency of the period's answered calls \[µs\]: sum, median, 99th
    /// percentile (`None` without calls).
    pub latency_sum_us: u128,
    pub latency_p50_us: Option<u64>,
    pub latency_p99_us: Option<u64>,
}

impl UserPoint {
    /// Mean client-side latency of the period's calls \[µs\].
    pub fn latency_mean_us(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.latency_sum_us as f64 / self.answered as f64)
    }
}

/// See the module documentation.
#[derive(Debug)]
pub(in crate::sim) struct UserPool {
    test: UserTest,
    /// The pattern's user count over the run: `(instant, users from then on)`.
    counts: Vec<(SimTime, u32)>,
    users: Vec<User>,
    /// Users the pattern counts now.
    wanted: u32,
    /// The think time when it is constant (the default, none): taken without going through
    /// the distribution's table of kinds, once per answer.
    think_constant: Option<SimDuration>,
    streams: RngStreams,
    /// Client-side latency of every answered call in the closed periods, send to answer seen
    /// \[µs\]: each period's histogram is added in when it closes, so an answer records once
    /// (see [`UserPool::take_run_latency`]).
    latency: LatencyHistogram,
    /// Totals of the closed periods; an answer counts in its period only, and the period's
    /// figures are added here when it closes (see [`UserPool::totals`]).
    latency_sum_us: u128,
    answered: u64,
    gave_up: u64,
    open: UserPoint,
    /// The open period's client-side latencies.
    open_latency: LatencyHistogram,
    pub points: Vec<UserPoint>,
    /// Most users at once.
    pub peak: u32,
    /// With stopping conditions: the test's minutes so far, from its first (up to the one that
    /// stopped it).
    pub minutes: Vec<MinuteStats>,
    /// The condition that stopped the test, and when.
    pub stopped: Option<(StopReason, SimTime)>,
}

impl UserPool {
    pub fn new(test: UserTest, streams: RngStreams) -> Self {
        let think_constant = match test.think_time {
            DurationDist::Constant(d) => Some(d),
            _ => None,
        };
        UserPool {
            counts: test.user_counts(),
            test,
            users: Vec::new(),
            wanted: 0,
            think_constant,
            streams,
            latency: LatencyHistogram::new(),
            latency_sum_us: 0,
            answered: 0,
            gave_up: 0,
            open: UserPoint::default(),
            open_latency: LatencyHistogram::new(),
            points: Vec::new(),
            peak: 0,
            minutes: Vec::new(),
            stopped: None,
        }
    }

    /// When the `index`-th change of the user count is due, if there is one.
    pub fn change_at(&self, index: usize) -> Option<SimTime> {
        self.counts.get(index).map(|c| c.0)
    }

    /// Applies the `index`-th change of the user count: users beyond the new count stop (a busy
    /// one after its answer), users up to it run. Returns the users that send now, with their
    /// generation, lowest first.
    pub fn on_count(&mut self, index: usize) -> Vec<(u32, u32)> {
        if self.stopped.is_some() {
            return Vec::new();
        }
        let n = self.counts[index].1;
        for u in self
            .users
            .iter_mut()
            .skip(n as usize)
            .take(self.wanted.saturating_sub(n) as usize)
        {
            u.active = false;
            u.gen = u.gen.wrapping_add(1);
        }
        let mut start = Vec::new();
        for k in self.wanted..n {
            if k as usize == self.users.len() {
                self.users.push(User {
                    active: false,
                    busy: false,
                    gen: 0,
                    requests: self.streams.stream(&format!("users/{k}")),
                    think: self.streams.stream(&format!("think/{k}")),
                });
            }
            let u = &mut self.users[k as usize];
            u.active = true;
            // A user still waiting for an answer from before it stopped goes on after it.
            if !u.busy {
                start.push((k, u.gen));
            }
        }
        self.wanted = n;
        self.peak = self.peak.max(n);
        start
    }

    /// A send the pool scheduled is due: whether it goes out (the user still runs, the send is
    /// not stale and the user has nothing in flight). The user is busy from now on.
    pub fn on_send(&mut self, user: u32, gen: u32) -> bool {
        let Some(u) = self.users.get_mut(user as usize) else {
            return false;
        };
        if !u.active || u.gen != gen || u.busy {
            return false;
        }
        u.busy = true;
        true
    }

    /// The stream the user's requests draw their service time and outcome from.
    #[inline]
    pub fn requests(&mut self, user: u32) -> &mut SimRng {
        &mut self.users[user as usize].requests
    }

    /// The user's call sent at `sent` ended as `answer`, seen by the user at `seen`. Returns
    /// when the user sends next (after its think time) and the send's generation, or `None`
    /// when the user has stopped. Inlined into the end of a user's served request, once per
    /// request of a closed-loop run.
    #[inline(always)]
    pub fn on_answer(&mut self, user: u32, sent: SimTime, seen: SimTime, answer: Answer) -> Option<(SimTime, u32)> {
        // Plain arithmetic (see `World::user_waits`): the answer is seen after the send, and
        // a think time (at most 1e15 µs) after an instant of the run cannot overflow.
        let latency = seen.0 - sent.0;
        self.open_latency.record(latency);
        self.open.latency_sum_us += u128::from(latency);
        self.open.answered += 1;
        if answer == Answer::GaveUp {
            self.open.gave_up += 1;
        }
        let u = &mut self.users[user as usize];
        u.busy = false;
        if !u.active {
            return None;
        }
        let think = match self.think_constant {
            Some(d) => d,
            None => self.test.think_time.sample(&mut u.think),
        };
        Some((SimTime(seen.0 + think.0), u.gen))
    }

    /// The client's round trip on top of every answer.
    #[inline]
    pub fn round_trip(&self) -> SimDuration {
        self.test.round_trip
    }

    /// Users the pattern counts now.
    #[cfg(test)]
    pub fn users(&self) -> u32 {
        self.wanted
    }

    /// Calls answered, calls given up and the sum of their client-side latencies \[µs\], over
    /// the run so far: the closed periods' and the open one's.
    pub fn totals(&self) -> (u64, u64, u128) {
        (
            self.answered + self.open.answered,
            self.gave_up + self.open.gave_up,
            self.latency_sum_us + self.open.latency_sum_us,
        )
    }

    /// Takes the client-side latency of every answered call of the run so far: the closed
    /// periods' and the open one's (a finished run has closed them all). For the result.
    pub fn take_run_latency(&mut self) -> LatencyHistogram {
        self.latency.add(&self.open_latency);
        self.open_latency.reset();
        std::mem::take(&mut self.latency)
    }

    /// The `MaxInvocations` of the test's stopping conditions, if it has one.
    pub fn max_invocations(&self) -> Option<u64> {
        self.test.stopping.as_ref().and_then(|s| s.max_invocations)
    }

    /// The latency threshold's percentile of the test's stopping conditions, if it has one.
    pub fn threshold_percentile(&self) -> Option<f64> {
        self.test.stopping.as_ref().and_then(|s| s.latency.map(|(p, _)| p))
    }

    /// Whether the test has stopping conditions still to check: it has some, it has started
    /// by `now` and nothing stopped it yet.
    pub fn watches(&self, now: SimTime) -> bool {
        self.test.stopping.is_some() && self.stopped.is_none() && now > self.test.start
    }

    /// The test's minute that just closed: whether a stopping condition holds at its end
    /// (docs/semantics/load-tests.md §5; the conditions look back over the test's minutes).
    pub fn minute_closed(&mut self, row: MinuteStats) -> Option<StopReason> {
        let rules = self.test.stopping.as_ref()?;
        self.minutes.push(row);
        match first_stop(&self.minutes, rules).1 {
            StopReason::PatternComplete => None,
            reason => Some(reason),
        }
    }

    /// Stops the test at `now` for `reason`: every user stops (one waiting for an answer after
    /// it), and later changes of the pattern's count are ignored.
    pub fn stop(&mut self, now: SimTime, reason: StopReason) {
        for u in self.users.iter_mut().take(self.wanted as usize) {
            u.active = false;
            u.gen = u.gen.wrapping_add(1);
        }
        self.wanted = 0;
        self.stopped = Some((reason, now));
    }

    /// Closes a metrics period.
    pub fn close_period(&mut self) {
        let mut p = std::mem::take(&mut self.open);
        p.users = self.wanted;
        self.answered += p.answered;
        self.gave_up += p.gave_up;
        self.latency_sum_us += p.latency_sum_us;
        if !self.open_latency.is_empty() {
            p.latency_p50_us = Some(self.open_latency.value_at_quantile(0.5));
            p.latency_p99_us = Some(self.open_latency.value_at_quantile(0.99));
            self.latency.add(&self.open_latency);
            self.open_latency.reset();
        }
        self.points.push(p);
    }
}
