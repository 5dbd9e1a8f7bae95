//! The World: owns the model state, the event queue and the random streams, and runs the loop.
//!
//! Request handling lives in `requests.rs` and instance lifecycle in `lifecycle.rs`; both are
//! `impl World` blocks so the dispatch `match` below stays the single table of contents.

use super::config::{EndpointKind, LaunchConfig, SimConfig, StartState, VariantConfig};
use super::deployment::Deployments;
use super::deployment_config::config_series;
use super::event::Event;
use super::hosting::Hosting;
use super::observe::{datapoint, Dimension};
use super::result::RunResult;
use super::scaling::Autoscaler;
use super::users::UserPool;
use crate::autoscaling::alarm::Statistic;
use crate::engine::{EventQueue, RngStreams, SimDuration, SimRng, SimTime};
use crate::model::metrics::{InstanceCounts, MetricName, PeriodSample, Recorder, Series, TickSample, VariantFacts};
use crate::model::workload::ArrivalGenerator;
use crate::model::{Activity, ActivityKind, Change, Fleet, FleetId, InstanceState, Instances, Variant, VariantId};
use typed_index_collections::TiVec;

/// Per-variant random streams.
pub(super) struct VariantStreams {
    pub service: SimRng,
    pub outcome: SimRng,
    pub launch: SimRng,
}

/// The whole state of one run: the model, the controllers and the event queue. Most callers
/// want [`crate::sim::run`]; `World::new(config)` then [`World::run_until`] in slices and
/// [`World::into_result`] follows a run as it goes, with the same result.
pub struct World {
    pub(super) config: SimConfig,
    pub(super) now: SimTime,
    pub(super) queue: EventQueue<Event>,
    /// The workload's next arrival and its sequence number (outside the heap, same order).
    pub(super) next_arrival: Option<(SimTime, u64)>,
    pub(super) arrivals: ArrivalGenerator,
    pub(super) arrival_rng: SimRng,
    /// Splits traffic between variants and between fleets; picks instances under `Random`.
    pub(super) routing_rng: SimRng,
    pub(super) streams: TiVec<VariantId, VariantStreams>,
    pub(super) instances: Instances,
    pub(super) variants: TiVec<VariantId, Variant>,
    pub(super) fleets: TiVec<FleetId, Fleet>,
    /// Boot phases of each fleet's instances (a new model version may load differently).
    pub(super) fleet_launch: TiVec<FleetId, LaunchConfig>,
    /// Waiting requests over all fleets (the backlog capacity is endpoint-wide).
    pub(super) backlog_total: u64,
    pub(super) metrics: Recorder,
    pub(super) scaling: Autoscaler,
    pub(super) activities: Vec<Activity>,
    pub(super) ticks: u64,
    pub(super) ticks_per_period: u64,
    pub(super) events: u64,
    /// Requests holding a slot, addressed by `ServiceDone::req`.
    pub(super) in_flight: super::in_flight::InFlight,
    pub(super) finished: bool,
    /// `(variant, configuration name)` of each configuration series (see `config_series`).
    pub(super) config_series: Vec<(VariantId, String)>,
    /// The deployments: the one in progress (one at a time: the endpoint is `Updating`), their
    /// results and the status changes they caused.
    pub(super) deploy: Deployments,
    /// Shadow test: running now, the deterministic sampler, the `shadow` stream (Bernoulli
    /// sampling and `Random` routing of copies), copies made.
    pub(super) shadow_running: bool,
    pub(super) shadow_acc: crate::deployment::shadow::Accumulator,
    pub(super) shadow_rng: SimRng,
    pub(super) shadow_copies: u64,
    /// Instances, a serverless pool, or inference-component hosts.
    pub(super) hosting: Hosting,
    /// The load test's closed-loop users, if the workload has them.
    pub(super) users: Option<UserPool>,
    /// A user count due at a tick's instant before the tick ran (see `on_user_count`).
    pub(super) deferred_user_count: Option<u32>,
    /// Users whose requests just timed out in a backlog (scratch, empty between events).
    pub(super) expired_users: Vec<(u32, SimTime)>,
}

impl World {
    /// Builds the initial state: variants, their first fleet and initial instances.
    pub fn new(config: SimConfig) -> Self {
        let rngs = RngStreams::new(config.seed);
        let horizon = SimTime(config.duration.0);
        let facts = |v: &VariantConfig| VariantFacts {
            vcpus: v.instance.vcpus.unwrap_or(1),
            price_per_hour_usd: v.instance.price_per_hour_usd,
        };
        let mut metrics = Recorder::new(
            config.metrics.clone(),
            config.endpoint.variants.iter().map(facts).collect(),
        );
        let series_list = config_series(
            &config.endpoint.config_name,
            config.endpoint.variants.len(),
            &config.deployments,
        );
        // A configuration's instances are its variant's type.
        for &(v, _) in &series_list {
            metrics.add_config_series(v, facts(config.endpoint.variant(v)));
        }
        let variant_names: TiVec<VariantId, String> = config.endpoint.variants.iter().map(|v| v.name.clone()).collect();
        let deploy = Deployments::new(&config.deployments, &variant_names);
        let initial: TiVec<VariantId, u32> = config
            .endpoint
            .variants
            .iter()
            .map(|v| v.initial_instance_count)
            .collect();
        let scaling = Autoscaler::new(&config.alarms, &config.targets, &initial);
        // A serverless endpoint starts with its provisioned concurrency (after the scalable
        // target clamped it into its bounds) ready.
        let serverless = config.endpoint.serverless.clone().map(|cfg| {
            let pc = scaling.initial_desired(VariantId(0)).unwrap_or(initial[VariantId(0)]);
            let prices = cfg.prices;
            metrics.enable_serverless(crate::model::metrics::ServerlessMetrics::new(
                cfg.memory_size_in_mb,
                prices,
                cfg.max_concurrency,
                pc,
            ));
            let name = &config.endpoint.variants[0].name;
            super::serverless::ServerlessController::new(cfg, pc, rngs.stream(&format!("cold-start/{name}")))
        });
        let components = config.endpoint.components.clone().map(|c| {
            let stream = rngs.stream(&format!("hosts/{}", c.variant));
            super::components::HostPool::new(c, stream, config.endpoint.variants.len())
        });
        let hosting = match (serverless, components) {
            (Some(pool), _) => Hosting::Serverless(pool),
            (None, Some(hosts)) => Hosting::Components(hosts),
            (None, None) => Hosting::Instances,
        };
        metrics.keep_history(scaling.history_ticks(config.metrics.high_resolution_period, config.publication_delay));
        let hr = config.metrics.high_resolution_period.0.max(1);
        let ticks_per_period = (config.metrics.period.0 / hr).max(1);
        let mut w = World {
            now: SimTime::ZERO,
            queue: EventQueue::new(),
            next_arrival: None,
            arrivals: ArrivalGenerator::new(&config.workload, horizon),
            arrival_rng: rngs.stream("arrivals"),
            routing_rng: rngs.stream("routing"),
            streams: config
                .endpoint
                .variants
                .iter()
                .map(|v| VariantStreams {
                    service: rngs.stream(&format!("service/{}", v.name)),
                    outcome: rngs.stream(&format!("outcome/{}", v.name)),
                    launch: rngs.stream(&format!("launch/{}", v.name)),
                })
                .collect(),
            instances: Instances::default(),
            variants: TiVec::new(),
            fleets: TiVec::new(),
            fleet_launch: TiVec::new(),
            backlog_total: 0,
            metrics,
            scaling,
            activities: Vec::new(),
            ticks: 0,
            ticks_per_period,
            events: 0,
            in_flight: Default::default(),
            finished: false,
            config_series: series_list,
            deploy,
            shadow_running: false,
            shadow_acc: Default::default(),
            shadow_rng: rngs.stream("shadow"),
            shadow_copies: 0,
            hosting,
            users: config.workload.users().map(|test| UserPool::new(test.clone(), rngs)),
            deferred_user_count: None,
            expired_users: Vec::new(),
            config,
        };
        for vc in &w.config.endpoint.variants {
            // Variants are pushed in configuration order, so each one's id is its position.
            let vid = w.variants.next_key();
            let fid = w.fleets.next_key();
            let mut fleet = Fleet::new(fid, vid, vc.model.clone());
            // A variant with deployments records its requests per configuration as well.
            if let Some(pos) = w.config_series.iter().position(|(cv, _)| *cv == vid) {
                fleet.series = Series::with_config(vid, w.config.endpoint.variants.len() + pos);
            }
            w.fleets.push(fleet);
            w.fleet_launch.push(vc.launch.clone());
            w.variants.push(Variant {
                id: vid,
                name: vc.name.clone(),
                instance: vc.instance.clone(),
                concurrency: vc.concurrency,
                weight: vc.initial_weight,
                fleets: vec![fid],
                desired: w.scaling.initial_desired(vid).unwrap_or(vc.initial_instance_count),
                in_service: 0,
                current_version: vc.model.clone(),
                shadow: w.config.shadow.as_ref().is_some_and(|s| s.variant == vid),
            });
        }
        w.start();
        w
    }

    /// Schedules the first events and brings up the initial instances.
    fn start(&mut self) {
        if let Some(sh) = &self.config.shadow {
            let (v, start, end) = (sh.variant, sh.start, sh.end);
            self.metrics.set_shadow(v);
            // The shadow's instances exist only while the test runs.
            if start > SimTime::ZERO {
                self.variants[v].desired = 0;
            }
            self.queue.schedule(start, Event::Shadow { start: true });
            if end.0 < self.config.duration.0 {
                self.queue.schedule(end, Event::Shadow { start: false });
            }
        }
        if self.hosts_components() {
            self.start_components();
        }
        // A serverless endpoint has no instances (its pool starts with its PC ready), and
        // copies of inference components were placed by `start_components`.
        let instance_variants: Vec<(FleetId, u32)> = match self.hosting {
            Hosting::Instances => self.variants.iter().map(|v| (v.fleets[0], v.desired)).collect(),
            Hosting::Serverless(_) | Hosting::Components(_) => Vec::new(),
        };
        for (fid, n) in instance_variants {
            for _ in 0..n {
                match self.config.endpoint.start {
                    StartState::Warm => self.launch_warm(fid),
                    StartState::Cold => {
                        self.launch(fid, "initial");
                    }
                }
            }
        }
        self.queue.schedule(
            SimTime::ZERO + self.config.metrics.high_resolution_period,
            Event::SampleTick,
        );
        for (i, u) in self.config.endpoint.capacity_updates.iter().enumerate() {
            self.queue.schedule(u.at, Event::CapacityUpdate { index: i as u32 });
        }
        self.queue.schedule(SimTime(self.config.duration.0), Event::End);
        for (i, d) in self.config.deployments.iter().enumerate() {
            if d.at.0 < self.config.duration.0 {
                self.queue.schedule(d.at, Event::DeploymentCall { index: i });
            }
        }
        self.schedule_actions();
        self.start_users();
        self.schedule_next_arrival();
    }

    #[inline(always)]
    pub(super) fn schedule_next_arrival(&mut self) {
        self.next_arrival = self
            .arrivals
            .next(&mut self.arrival_rng)
            .map(|t| (t, self.queue.alloc_seq()));
    }

    /// Runs to the end and returns the results.
    pub fn run(mut self) -> RunResult {
        self.run_until(SimTime::MAX);
        self.into_result()
    }

    /// The results so far (call after the run has finished).
    pub fn into_result(self) -> RunResult {
        RunResult::from_world(self)
    }

    /// Processes events up to and including `until` (or to the end of the run); returns whether
    /// the run has finished. Used by the progress bar to advance in slices.
    pub fn run_until(&mut self, until: SimTime) -> bool {
        // Only closed-loop users schedule into the queue's FIFO lane: a run without them never
        // looks at it, and gets a copy of the loop without the lane's comparison and branch,
        // nor the users' events ahead of the table.
        // Open-loop arrivals are generated one ahead from the start, so a run with none pending
        // now never has one (only an arrival schedules the next): a closed-loop test alone gets
        // a copy without the arrival's comparison per event.
        match (self.users.is_some(), self.next_arrival.is_some()) {
            (true, true) => self.run_loop::<true, true>(until),
            (true, false) => self.run_loop::<true, false>(until),
            (false, _) => self.run_loop::<false, true>(until),
        }
    }

    /// [`World::run_until`]'s loop; `LANE`: whether closed-loop users are simulated;
    /// `ARRIVALS`: whether an open-loop arrival may still come. Each copy
    /// is a function of its own, so that one's registers and spills do not shape the other's.
    #[inline(never)]
    fn run_loop<const LANE: bool, const ARRIVALS: bool>(&mut self, until: SimTime) -> bool {
        while !self.finished {
            let (heap, from_lane) = self.queue.peek_with(LANE);
            let arrival_first = match (ARRIVALS, self.next_arrival, heap) {
                (false, _, _) => false,
                (true, Some(a), Some(h)) => a < h,
                (true, Some(_), None) => true,
                (true, None, _) => false,
            };
            let time = match (arrival_first, self.next_arrival, heap) {
                (true, Some((t, _)), _) => t,
                (false, _, Some((t, _))) => t,
                _ => return self.finished,
            };
            if time > until {
                return false;
            }
            self.now = time;
            self.events += 1;
            // Arrivals are generated one ahead outside the heap (see `schedule_next_arrival`);
            // every other event comes from the queue through the table.
            if arrival_first {
                self.next_arrival = None;
                self.on_arrival();
            } else if LANE && from_lane {
                // Only a user's send goes to the lane: one check of its kind instead of the
                // table's jumps.
                match self.queue.pop_lane() {
                    Event::UserSend { user, gen } => self.on_user_send(user, gen),
                    event => self.dispatch(event),
                }
            } else {
                match self.queue.pop_peeked(from_lane).expect("peeked").event {
                    // The end of a user's request is the heap's event of nearly every request
                    // of a closed-loop run: checked first there (the guard is a constant, so
                    // the open-loop copy of the loop has no such arm).
                    Event::UserServiceDone { instance, req } if LANE => self.on_user_service_done(instance, req),
                    // A request leaving its slot, the other event every request has, is inlined
                    // ahead of the table (which lists it too): a call per request costs 2 %.
                    Event::ServiceDone { instance, req } => {
                        self.on_service_done(instance, req);
                    }
                    event if LANE => self.dispatch_users_inline(event),
                    event => self.dispatch(event),
                }
            }
        }
        true
    }

    /// A closed-loop user's send that left the lane's order, inlined ahead of the table like
    /// the ends of requests.
    #[inline(always)]
    fn dispatch_users_inline(&mut self, event: Event) {
        match event {
            Event::UserSend { user, gen } => self.on_user_send(user, gen),
            event => self.dispatch(event),
        }
    }

    /// The table of contents: one arm per kind of event on the queue (arrivals, kept outside
    /// it, go straight to `on_arrival`).
    fn dispatch(&mut self, event: Event) {
        match event {
            Event::ServiceDone { instance, req } => {
                self.on_service_done(instance, req);
            }
            Event::UserServiceDone { instance, req } => self.on_user_service_done(instance, req),
            Event::PhaseDone { instance } => self.on_phase_done(instance),
            Event::HostPhaseDone { host } => self.on_host_phase_done(host),
            Event::BacklogTimeout { fleet } => self.on_backlog_timeout(fleet),
            Event::SampleTick => self.on_sample_tick(),
            Event::CapacityUpdate { index } => self.on_capacity_update(index as usize),
            Event::ScheduledAction { target, action } => self.on_scheduled_action(target as usize, action as usize),
            Event::DeploymentCall { index } => self.on_deployment_call(index),
            Event::DeploymentTimer { gen } => self.on_deployment_timer(gen),
            Event::DeploymentDeadline { gen } => self.on_deployment_deadline(gen),
            Event::Shadow { start } => self.on_shadow(start),
            Event::ServerlessDone { req, provisioned } => self.on_serverless_done(req, provisioned),
            Event::ProvisionedConcurrencyReady => self.on_pc_ready(),
            Event::UserCount { index } => self.on_user_count(index),
            Event::UserSend { user, gen } => self.on_user_send(user, gen),
            Event::UserGaveUp { user, sent } => self.on_user_gave_up(user, sent),
            Event::End => self.on_end(),
        }
    }

    /// Sampling tick: closes the tick's base points; every `ticks_per_period`-th tick also
    /// closes a metrics period.
    fn on_sample_tick(&mut self) {
        self.close_tick();
        self.ticks += 1;
        if self.ticks % self.ticks_per_period == 0 {
            self.close_period();
        }
        // A user count due at this instant waited for the tick: figures close first.
        if let Some(index) = self.deferred_user_count.take() {
            self.on_user_count(index);
        }
        if self.scaling.has_alarms() {
            self.evaluate_autoscaling();
            self.watch_deployment();
        }
        let next = self.now + self.config.metrics.high_resolution_period;
        self.queue.schedule(next, Event::SampleTick);
    }

    /// Closes the current tick, sampling every series (variants, then configurations):
    /// `ConcurrentRequestsPerModel` (requests holding a slot on an in-service instance plus
    /// requests waiting, per in-service instance), the queue size and the age of the oldest
    /// waiting request.
    fn close_tick(&mut self) {
        let now = self.now;
        let processing_counts = self.config.endpoint.kind == EndpointKind::Async;
        let sample = |fleets: &mut dyn Iterator<Item = &Fleet>| {
            let (mut n, mut busy_in_service, mut busy, mut waiting, mut oldest) = (0u32, 0u64, 0u64, 0u64, 0u64);
            for f in fleets {
                n += f.in_service();
                busy_in_service += u64::from(f.busy_in_service());
                busy += u64::from(f.busy);
                waiting += f.backlog.len() as u64;
                if let Some(r) = f.backlog.front() {
                    oldest = oldest.max((now - r.arrival).0);
                }
            }
            TickSample {
                concurrency: (n > 0).then(|| (busy_in_service + waiting) as f64 / f64::from(n)),
                in_service: n,
                // An asynchronous endpoint's queue also holds the requests being processed.
                queued: waiting + if processing_counts { busy } else { 0 },
                oldest_wait_us: oldest,
            }
        };
        let mut samples: Vec<TickSample> = self
            .variants
            .iter()
            .map(|v| sample(&mut v.fleets.iter().map(|f| &self.fleets[*f])))
            .collect();
        for c in self.variants.len()..self.metrics.series_count() {
            samples.push(sample(&mut self.config_fleets(c)));
        }
        self.metrics.close_tick(now, &samples);
        self.serverless_close_tick();
    }

    /// Requests waiting in all fleets of variant `v`.
    pub(super) fn variant_backlog(&self, v: VariantId) -> u64 {
        self.variants[v]
            .fleets
            .iter()
            .map(|f| self.fleets[*f].backlog.len() as u64)
            .sum()
    }

    /// Fleets recorded in configuration series `c`.
    pub(super) fn config_fleets(&self, c: usize) -> impl Iterator<Item = &Fleet> {
        self.fleets.iter().filter(move |f| f.series.config() == Some(c))
    }

    /// Records the backlog length of fleet `fid`'s variant and configuration series.
    pub(super) fn note_backlog(&mut self, fid: FleetId) {
        let f = &self.fleets[fid];
        let (v, series) = (f.variant, f.series);
        let len = self.variant_backlog(v);
        self.metrics.backlog(v.into(), len);
        if let Some(c) = series.config() {
            let len = self.config_fleets(c).map(|f| f.backlog.len() as u64).sum();
            self.metrics.backlog(c, len);
        }
    }

    pub(super) fn close_period(&mut self) {
        let instances = |fleets: &mut dyn Iterator<Item = &Fleet>| fleets.map(|f| f.counts).sum::<InstanceCounts>();
        let mut samples: Vec<PeriodSample> = self
            .variants
            .iter()
            .map(|v| PeriodSample {
                instances: instances(&mut v.fleets.iter().map(|f| &self.fleets[*f])),
                desired: v.desired,
            })
            .collect();
        // A configuration has no desired count of its own.
        for c in self.variants.len()..self.metrics.series_count() {
            samples.push(PeriodSample {
                instances: instances(&mut self.config_fleets(c)),
                desired: 0,
            });
        }
        self.metrics.close_period(self.now, &samples);
        self.serverless_close_period();
        if self.hosts_components() {
            self.close_host_period();
        }
        if let Some(users) = self.users.as_mut() {
            users.close_period();
            self.watch_load_test();
        }
    }

    fn on_end(&mut self) {
        // `End` was scheduled first, so a tick that coincides with the end has not fired yet:
        // close it (or the partial tick) here so the last period is complete.
        if self.now > self.metrics.tick_start() {
            self.close_tick();
        }
        if self.now > self.metrics.period_start() {
            self.close_period();
        }
        self.metrics.finish(self.now);
        self.finished = true;
    }

    /// An activity row of a variant.
    pub(super) fn record(&mut self, variant: VariantId, kind: ActivityKind, cause: &str, reason: String) {
        self.record_change(Some(variant), kind, cause, reason, Change::None, None);
    }

    /// An activity row with its structured change and deciding policy (`variant` `None`: the
    /// whole endpoint, whose variant column reads `*`).
    pub(super) fn record_change(
        &mut self,
        variant: Option<VariantId>,
        kind: ActivityKind,
        cause: &str,
        reason: String,
        change: Change,
        policy: Option<String>,
    ) {
        self.activities.push(Activity {
            time: self.now,
            variant: variant.map_or_else(|| "*".to_string(), |v| self.variants[v].name.clone()),
            kind,
            cause: cause.to_string(),
            reason,
            change,
            policy,
        });
    }

    /// Current time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Whether a load test's stopping conditions have stopped its users: a caller running the
    /// world in slices ends the run there (`fleetsim loadtest`).
    pub fn load_test_stopped(&self) -> bool {
        self.users.as_ref().is_some_and(|u| u.stopped.is_some())
    }

    /// Instances of variant `v` by state (summed over its fleets).
    pub fn instance_count(&self, v: VariantId, state: InstanceState) -> u32 {
        self.variants[v]
            .fleets
            .iter()
            .map(|f| self.fleets[*f].count(state))
            .sum()
    }

    /// Length of the run.
    pub fn duration(&self) -> SimDuration {
        self.config.duration
    }

    /// The datapoint an alarm would see for the period of length `period` ending at `end`
    /// (within the history kept for the run's alarms; `None` outside it or when CloudWatch
    /// would have no data).
    pub fn datapoint(
        &self,
        dim: Dimension,
        name: MetricName,
        stat: &Statistic,
        end: SimTime,
        period: SimDuration,
    ) -> Option<f64> {
        datapoint(&self.metrics, dim, name, stat, end, period)
    }
}
