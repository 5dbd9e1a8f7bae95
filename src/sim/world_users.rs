//! The World's side of a load test's closed-loop users: it changes the user count when the
//! pattern says, sends a user's request when the pool says it is due, and tells the pool when
//! each call is answered or given up (`users/`).
//!
//! A user sees its answer one round trip after the endpoint gives it (plus the model's
//! overhead latency for calls the model answered), and gives up on a call still unanswered
//! after the endpoint's invocation timeout: a request that times out in the backlog, or whose
//! service would end later, is a give-up at exactly that instant (the endpoint may still be
//! working on it). Every send is an event strictly after the answer it follows, since the
//! round trip is at least 1 µs, so no user can loop within one instant.

use super::event::Event;
use super::users::{minute_stats, Answer};
use super::world::World;
use crate::engine::{SimDuration, SimTime};
use crate::model::{ActivityKind, Change, InstanceId, NO_USER};

impl World {
    /// Schedules the pattern's first user count.
    pub(super) fn start_users(&mut self) {
        if let Some(at) = self.users.as_ref().and_then(|u| u.change_at(0)) {
            self.schedule_in_run(at, Event::UserCount { index: 0 });
        }
    }

    /// The pattern's `index`-th user count takes effect: new users send at once. At the instant
    /// of a sampling tick the tick comes first (its period reports the users before the change,
    /// as a load test closes its minute before it adds users), whatever order the two events
    /// were scheduled in.
    pub(super) fn on_user_count(&mut self, index: u32) {
        let now = self.now;
        let tick = self.config.metrics.high_resolution_period.0;
        if tick > 0 && now.0 % tick == 0 && now > self.metrics.tick_start() {
            self.deferred_user_count = Some(index);
            return;
        }
        let Some(pool) = self.users.as_mut() else { return };
        if pool.stopped.is_some() {
            // Stopping conditions ended the test: the pattern has nothing more to say.
            return;
        }
        let start = pool.on_count(index as usize);
        let next = pool.change_at(index as usize + 1);
        for (user, gen) in start {
            self.queue.schedule(now, Event::UserSend { user, gen });
        }
        if let Some(at) = next {
            self.schedule_in_run(at, Event::UserCount { index: index + 1 });
        }
    }

    /// A user's send is due: the request reaches the endpoint now, unless the send is stale.
    #[inline(always)]
    pub(super) fn on_user_send(&mut self, user: u32, gen: u32) {
        if self.users.as_mut().is_some_and(|pool| pool.on_send(user, gen)) {
            self.metrics.arrival();
            self.admit(user);
        }
    }

    /// A user's request leaves its slot: the request ends as every request does, and the user
    /// has its answer (with the model's overhead latency, when the instance is still there).
    #[inline(always)]
    pub(super) fn on_user_service_done(&mut self, instance: InstanceId, req: u32) {
        let (sent, user, overhead) = self.on_service_done(instance, req);
        let overhead = overhead.unwrap_or(SimDuration::ZERO);
        self.user_answered_inline(user, sent, overhead, Answer::Response);
    }

    /// A user's request sent at `sent` starts being served and ends at `end`: returns the user
    /// the in-flight request answers, or `NO_USER` when the user gives up first (the give-up is
    /// scheduled).
    #[inline(always)]
    pub(super) fn user_waits(&mut self, user: u32, sent: SimTime, end: SimTime) -> u32 {
        // Plain sums here and in the answer (not `SimTime`'s saturating `+`, two instructions
        // more each): instants within the run plus validated durations cannot overflow.
        let give_up = SimTime(sent.0 + self.config.endpoint.invocation_timeout.0);
        if end <= give_up {
            return user;
        }
        self.queue.schedule(give_up, Event::UserGaveUp { user, sent });
        NO_USER
    }

    /// A user gave up on its call sent at `sent`.
    pub(super) fn on_user_gave_up(&mut self, user: u32, sent: SimTime) {
        self.user_answered(user, sent, SimDuration::ZERO, Answer::GaveUp);
    }

    /// The users whose requests timed out in a backlog just now give up.
    pub(super) fn users_gave_up(&mut self) {
        // In expiry order; answering never adds to the list, and it keeps its allocation.
        for i in 0..self.expired_users.len() {
            let (user, sent) = self.expired_users[i];
            self.user_answered(user, sent, SimDuration::ZERO, Answer::GaveUp);
        }
        self.expired_users.clear();
    }

    /// The endpoint answered (or the user gave up on) the call `user` sent at `sent`, now;
    /// `overhead` is the model's overhead latency the user sees on top. The user sends again
    /// after its round trip and think time.
    pub(super) fn user_answered(&mut self, user: u32, sent: SimTime, overhead: SimDuration, answer: Answer) {
        self.user_answered_inline(user, sent, overhead, answer);
    }

    /// [`World::user_answered`], inlined into the end of a user's served request (nearly every
    /// answer); the rarer answers (errors, give-ups, rejections) share the call.
    #[inline(always)]
    fn user_answered_inline(&mut self, user: u32, sent: SimTime, overhead: SimDuration, answer: Answer) {
        let Some(pool) = self.users.as_mut() else { return };
        let seen = SimTime(self.now.0 + overhead.0 + pool.round_trip().0);
        if let Some((at, gen)) = pool.on_answer(user, sent, seen, answer) {
            // Sends follow answers by a round trip and a think time: with a constant think
            // time (and one overhead) they are due in the order they are scheduled, so they go
            // to the queue's FIFO lane (which keeps the exact order either way).
            if at.0 < self.config.duration.0 {
                self.queue.schedule_in_order(at, Event::UserSend { user, gen });
            }
        }
    }

    /// A metrics period just closed: the load test's stopping conditions decide on its minute,
    /// and if one holds every user stops now. A user count due at this instant comes after
    /// (see [`World::on_user_count`]), so a stopped test adds no users.
    pub(super) fn watch_load_test(&mut self) {
        let now = self.now;
        let Some(pool) = self.users.as_mut() else { return };
        if !pool.watches(now) {
            return;
        }
        let Some(point) = self.metrics.points().last() else {
            return;
        };
        let row = minute_stats(point, pool.points.last(), pool.threshold_percentile());
        let (users, invocations) = (row.users, row.invocations);
        if let Some(reason) = pool.minute_closed(row) {
            pool.stop(now, reason);
            self.record_change(
                None,
                ActivityKind::LoadTestStop,
                "StoppingConditions",
                format!(
                    "{}: {invocations} invocations in the minute with {users} users; the users stop",
                    reason.as_str()
                ),
                Change::None,
                None,
            );
        }
    }

    /// Schedules `event` unless it falls at or after the end of the run (it would never run).
    fn schedule_in_run(&mut self, at: SimTime, event: Event) {
        if at.0 < self.config.duration.0 {
            self.queue.schedule(at, event);
        }
    }
}
