//! Request handling: arrival, routing, backlog, service and timeouts.
//!
//! Accounting invariant: every arrival ends in exactly one of completed, 4XX, 5XX, timed out,
//! rejected (backlog full or no capacity), or is still in flight when the run ends.

use super::config::EndpointKind;
use super::event::Event;
use super::users::Answer;
use super::world::World;
use crate::engine::{SimDuration, SimRng, SimTime};
use crate::model::metrics::Series;
use crate::model::{FleetId, InstanceId, InstanceState, ModelVersion, Outcome, Request, VariantId, NO_USER};
use rand::RngExt;

impl World {
    /// An open-loop arrival: the next one is drawn at once (it is held outside the queue).
    #[inline(always)]
    pub(super) fn on_arrival(&mut self) {
        self.metrics.arrival();
        self.schedule_next_arrival();
        self.admit(NO_USER);
    }

    /// A request reaches the endpoint, sent by `user` (a closed-loop user) or by no user
    /// (`NO_USER`, open-loop). Inlined into both callers, so the open-loop path pays nothing
    /// for the users' branches.
    #[inline(always)]
    pub(super) fn admit(&mut self, user: u32) {
        let now = self.now;
        if self.hosting.is_serverless() {
            return self.on_serverless_arrival(user);
        }

        let v = self.pick_variant();
        if self.shadow_running {
            self.shadow_copy(v);
        }
        let fid = match self.pick_fleet(v) {
            Some(f) => f,
            // An asynchronous endpoint keeps the request in its durable queue until capacity
            // arrives (docs/semantics/autoscaling.md §10).
            None if self.config.endpoint.kind == EndpointKind::Async => self.queue_fleet(v),
            None => {
                // No instance of the variant is in service: the request fails at once.
                self.metrics.rejected_no_capacity(v);
                if user != NO_USER {
                    // The user's request draws its numbers all the same (common random numbers).
                    self.draw_for_user(user, v);
                    self.user_answered(user, now, SimDuration::ZERO, Answer::Response);
                }
                return;
            }
        };
        let n = self.variants[v].in_service;
        self.fleets[fid].routed += 1;
        let series = self.fleets[fid].series;
        self.metrics.invocation(series, 1.0 / f64::from(n.max(1)));

        // Everything random about the request is drawn now: an open-loop request from the
        // variant's own streams, a user's from the user's.
        let drawn = if user == NO_USER {
            self.draw(v, fid, series)
        } else {
            self.draw_user(user, fid, series)
        };
        let Some((service, outcome)) = drawn else {
            return;
        };
        let req = Request {
            arrival: now,
            service,
            outcome,
            user,
        };
        self.route_or_queue(fid, req, series, false);
    }

    /// Gives `req` a worker slot in fleet `fid`, or queues it, or rejects it when the queue is
    /// full. A shadow copy routes with the `shadow` stream and waits in a queue of its own, as
    /// large as the endpoint's, so copies never change what production requests see.
    #[inline(always)]
    pub(super) fn route_or_queue(&mut self, fid: FleetId, req: Request, series: Series, shadow: bool) {
        let routing = self.config.endpoint.routing;
        let rng = if shadow {
            &mut self.shadow_rng
        } else {
            &mut self.routing_rng
        };
        if let Some(inst) = self.fleets[fid].route(routing, &self.instances, rng) {
            return self.start_service(inst, req, false);
        }
        let waiting = if shadow {
            self.fleets[fid].backlog.len() as u64
        } else {
            self.backlog_total - self.shadow_waiting()
        };
        if waiting < self.config.endpoint.backlog_capacity {
            self.fleets[fid].backlog.push(req);
            self.backlog_total += 1;
            self.note_backlog(fid);
            self.arm_backlog_timer(fid);
        } else {
            self.metrics.rejected_backlog_full(series);
            if req.user != NO_USER {
                self.user_answered(req.user, req.arrival, SimDuration::ZERO, Answer::Response);
            }
        }
    }

    /// Draws everything random about a request of variant `v` routed to fleet `fid`, from the
    /// variant's own streams: its service time and outcome. A 4XX is answered at once (and
    /// recorded); `None` then.
    #[inline(always)]
    pub(super) fn draw(&mut self, v: VariantId, fid: FleetId, series: Series) -> Option<(SimDuration, Outcome)> {
        let version = &self.fleets[fid].version;
        let streams = &mut self.streams[v];
        let service = version.service_time.sample(&mut streams.service);
        let outcome = decide_outcome(version, &mut streams.outcome);
        self.answer_client_error(fid, series, outcome, NO_USER)?;
        Some((service, outcome))
    }

    /// As [`World::draw`], for a request of a closed-loop user: both draws come from the
    /// user's own stream, the service time first. Inlined into the user's send, as `draw` is
    /// into the open-loop arrival.
    #[inline(always)]
    pub(super) fn draw_user(&mut self, user: u32, fid: FleetId, series: Series) -> Option<(SimDuration, Outcome)> {
        let rng = self.users.as_mut().expect("a user's request").requests(user);
        let (service, outcome) = draw_from(&self.fleets[fid].version, rng);
        self.answer_client_error(fid, series, outcome, user)?;
        Some((service, outcome))
    }

    /// Draws a user's request that reaches no fleet, from the variant's current model version,
    /// so the user's stream stays in step with a run where the request was served.
    pub(super) fn draw_for_user(&mut self, user: u32, v: VariantId) {
        let rng = self.users.as_mut().expect("a user's request").requests(user);
        draw_from(&self.variants[v].current_version, rng);
    }

    /// A 4XX is answered at once: recorded, and its user (if any) has its answer. `None` then.
    #[inline(always)]
    fn answer_client_error(&mut self, fid: FleetId, series: Series, outcome: Outcome, user: u32) -> Option<()> {
        if outcome != Outcome::ClientError {
            return Some(());
        }
        let overhead = self.fleets[fid].version.overhead;
        self.metrics.client_error(series, overhead);
        if user != NO_USER {
            self.user_answered(user, self.now, overhead, Answer::Response);
        }
        None
    }

    /// Chooses a variant by weight (no random draw when there is only one).
    #[inline(always)]
    fn pick_variant(&mut self) -> VariantId {
        // A shadow variant (always the last) takes no traffic of its own.
        let n = self.variants.len() - usize::from(self.config.shadow.is_some());
        if n == 1 {
            return VariantId(0);
        }
        let production = &self.variants.raw[..n];
        let total: f64 = production.iter().map(|v| v.weight).sum();
        let mut x = self.routing_rng.random::<f64>() * total;
        for v in production {
            if x < v.weight {
                return v.id;
            }
            x -= v.weight;
        }
        production[n - 1].id
    }

    /// The fleet whose queue holds requests of variant `v` while none of its instances is in
    /// service (asynchronous endpoints): the first fleet that takes traffic.
    fn queue_fleet(&self, v: VariantId) -> FleetId {
        let fleets = &self.variants[v].fleets;
        fleets
            .iter()
            .copied()
            .find(|f| self.fleets[*f].traffic_weight > 0.0)
            .unwrap_or(fleets[0])
    }

    /// Chooses a fleet of variant `v` that has in-service instances, by traffic weight.
    #[inline(always)]
    fn pick_fleet(&mut self, v: VariantId) -> Option<FleetId> {
        let variant = &self.variants[v];
        if variant.in_service == 0 {
            return None;
        }
        if variant.fleets.len() == 1 {
            return Some(variant.fleets[0]);
        }
        let eligible = |f: &FleetId| {
            let f = &self.fleets[*f];
            f.in_service() > 0 && f.traffic_weight > 0.0
        };
        let total: f64 = variant
            .fleets
            .iter()
            .filter(|f| eligible(f))
            .map(|f| self.fleets[*f].traffic_weight)
            .sum();
        if total <= 0.0 {
            return variant
                .fleets
                .iter()
                .copied()
                .find(|f| self.fleets[*f].in_service() > 0);
        }
        let mut x = self.routing_rng.random::<f64>() * total;
        let mut last = None;
        for f in variant.fleets.iter().filter(|f| eligible(f)) {
            let w = self.fleets[*f].traffic_weight;
            last = Some(*f);
            if x < w {
                return Some(*f);
            }
            x -= w;
        }
        last
    }

    /// Gives `req` a worker slot on `inst` (which must be in service with a free slot).
    #[inline(always)]
    pub(super) fn start_service(&mut self, id: InstanceId, req: Request, queued: bool) {
        let now = self.now;
        let inst = self.instances.get_mut(id).expect("routed instance is live");
        let busy_before = inst.outstanding;
        inst.outstanding += 1;
        let fleet = &mut self.fleets[inst.fleet];
        fleet.take_slot(inst.route_pos as usize);
        fleet.busy += 1;
        let series = fleet.series;
        let slow = fleet.version.load_slowdown;
        let service = if slow > 0.0 {
            let f = 1.0 + slow * f64::from(busy_before) / f64::from(inst.concurrency);
            SimDuration((req.service.0 as f64 * f).round() as u64)
        } else {
            req.service
        };
        // An asynchronous request still processing at its invocation timeout fails then.
        let (service, outcome) = match self.config.endpoint.processing_timeout {
            Some(limit) if service > limit => (limit, Outcome::ServerError),
            _ => (service, req.outcome),
        };
        self.metrics.service_start(series, now, now - req.arrival, queued);
        let user = if req.user == NO_USER {
            NO_USER
        } else {
            self.user_waits(req.user, req.arrival, now + service)
        };
        let idx = self.in_flight.hold(req.arrival, now, outcome, user);
        // A user's request ends with an event of its own, so the end of every other request
        // pays nothing for users.
        let event = if user == NO_USER {
            Event::ServiceDone { instance: id, req: idx }
        } else {
            Event::UserServiceDone { instance: id, req: idx }
        };
        self.queue.schedule(now + service, event);
    }

    /// A request leaves its slot on instance `id`. Returns when the request arrived, its user
    /// (`NO_USER` for an open-loop request) and the model's overhead latency on instance
    /// `id`'s fleet, `None` when the instance is gone (a user's answer adds it).
    #[inline(always)]
    pub(super) fn on_service_done(&mut self, id: InstanceId, req: u32) -> (SimTime, u32, Option<SimDuration>) {
        let now = self.now;
        let (arrival, start, outcome, user) = self.in_flight.release(req);
        let Some(inst) = self.instances.get_mut(id) else {
            return (arrival, user, None);
        };
        inst.outstanding -= 1;
        let state = inst.state;
        let outstanding = inst.outstanding;
        let fid = inst.fleet;
        let pos = inst.route_pos as usize;
        let fleet = &mut self.fleets[fid];
        fleet.busy -= 1;
        let series = fleet.series;
        let model_overhead = fleet.version.overhead;
        let overhead = (start - arrival) + model_overhead;
        self.metrics.service_end(
            series,
            now,
            now - start,
            overhead,
            outcome == Outcome::Ok,
            state == InstanceState::InService,
        );
        match state {
            InstanceState::InService => {
                fleet.release_slot(pos);
                if self.backlog_total > 0 {
                    self.pull_backlog(id);
                }
            }
            InstanceState::Draining if outstanding == 0 => self.terminate(id, "drained"),
            // A deactivated instance finishes its work and waits, alive, without traffic.
            _ => {}
        }
        (arrival, user, Some(model_overhead))
    }

    /// Fills free slots of the in-service instance `id` from its fleet's backlog.
    pub(super) fn pull_backlog(&mut self, id: InstanceId) {
        let timeout = self.config.endpoint.invocation_timeout;
        if self.backlog_total == 0 {
            return;
        }
        loop {
            let Some(inst) = self.instances.get(id) else { return };
            if inst.state != InstanceState::InService || !inst.has_free_slot() {
                return;
            }
            let fid = inst.fleet;
            let fleet = &mut self.fleets[fid];
            let series = fleet.series;
            // A request whose timeout falls exactly now has failed; it is not served.
            let expired = match self.users {
                None => fleet.backlog.expire(self.now, timeout),
                Some(_) => fleet.backlog.expire_users(self.now, timeout, &mut self.expired_users),
            };
            if expired > 0 {
                self.backlog_total -= expired;
                self.metrics.timed_out(series, expired);
            }
            let popped = fleet.backlog.pop();
            if popped.is_some() {
                self.backlog_total -= 1;
            }
            self.note_backlog(fid);
            if expired > 0 && !self.expired_users.is_empty() {
                self.users_gave_up();
            }
            let Some(req) = popped else { return };
            self.start_service(id, req, true);
        }
    }

    pub(super) fn arm_backlog_timer(&mut self, fid: FleetId) {
        let timeout = self.config.endpoint.invocation_timeout;
        let fleet = &mut self.fleets[fid];
        if fleet.backlog.timer_armed {
            return;
        }
        if let Some(t) = fleet.backlog.next_expiry(timeout) {
            fleet.backlog.timer_armed = true;
            self.queue.schedule(t, Event::BacklogTimeout { fleet: fid });
        }
    }

    pub(super) fn on_backlog_timeout(&mut self, fid: FleetId) {
        let timeout = self.config.endpoint.invocation_timeout;
        let fleet = &mut self.fleets[fid];
        fleet.backlog.timer_armed = false;
        let series = fleet.series;
        let n = match self.users {
            None => fleet.backlog.expire(self.now, timeout),
            Some(_) => fleet.backlog.expire_users(self.now, timeout, &mut self.expired_users),
        };
        if n > 0 {
            self.backlog_total -= n;
            self.metrics.timed_out(series, n);
            self.note_backlog(fid);
            self.users_gave_up();
        }
        self.arm_backlog_timer(fid);
    }
}

/// A request of `version` from one stream (a user's): its service time, then its outcome.
#[inline(always)]
fn draw_from(version: &ModelVersion, rng: &mut SimRng) -> (SimDuration, Outcome) {
    let service = version.service_time.sample(rng);
    (service, decide_outcome(version, rng))
}

/// How a request of `version` ends if served: one uniform decides, 4XX with
/// `client_error_rate`, otherwise 5XX with `error_rate`; no draw when the version has no errors.
#[inline(always)]
fn decide_outcome(version: &ModelVersion, rng: &mut SimRng) -> Outcome {
    let v4 = version.client_error_rate;
    let v5 = version.error_rate;
    if v4 > 0.0 || v5 > 0.0 {
        let u: f64 = rng.random();
        if u < v4 {
            Outcome::ClientError
        } else if u < v4 + (1.0 - v4) * v5 {
            Outcome::ServerError
        } else {
            Outcome::Ok
        }
    } else {
        Outcome::Ok
    }
}
