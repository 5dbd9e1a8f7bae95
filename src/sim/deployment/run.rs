//! The deployment in progress: its state, the `UpdateEndpoint` call that starts it, the
//! statuses it records and its end.

use super::super::event::Event;
use super::super::world::World;
use super::{describe_policy, DeploymentOutcome, StatusChange};
use crate::deployment::{self, DeploymentPolicy, Stage, TrafficRouting};
use crate::engine::{SimDuration, SimTime};
use crate::model::{ActivityKind, Fleet, FleetId, InstanceId, VariantId};

/// What the deployment is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::sim) enum Waiting {
    /// The instances of a provisioning round to finish booting.
    Provisioning,
    /// A stage timer (bake or termination wait).
    Timer,
    /// The delayed traffic shift of a blue/green rollback.
    RollbackShift,
    /// Nothing: the deployment has ended.
    Nothing,
}

/// The deployment in progress.
#[derive(Debug)]
pub(in crate::sim) struct DeploymentRun {
    /// Index into `SimConfig::deployments` and `World::deployment_results`.
    pub index: usize,
    pub variant: usize,
    pub old: FleetId,
    pub new: FleetId,
    pub n: u32,
    pub g: u32,
    pub stages: Vec<Stage>,
    /// The stage being executed.
    pub stage: usize,
    pub waiting: Waiting,
    /// Bumped whenever a scheduled timer or deadline stops being meaningful.
    pub gen: u32,
    pub deadline: Option<SimTime>,
    pub first_shift: Option<SimTime>,
    /// Whether a tripped alarm rolls the deployment back now.
    pub monitoring: bool,
    /// Instances of the current provisioning round still booting, and whether the round is
    /// set to fail.
    pub provisioning: Vec<InstanceId>,
    pub round: u32,
    pub round_fails: bool,
    pub rollback: Option<super::rollback::RollbackRun>,
    /// Billing integral: live instances above `n`, and when it was last updated.
    pub extra_us: u128,
    pub live: u32,
    pub live_since: SimTime,
    pub errors_at_start: u64,
}

impl World {
    /// Whether the endpoint is `Updating` because of a deployment.
    pub(in crate::sim) fn deploying(&self) -> bool {
        self.deploy.is_some()
    }

    pub(in crate::sim) fn on_deployment_call(&mut self, index: usize) {
        let cfg = self.config.deployments[index].clone();
        let v = cfg.variant;
        let vid = VariantId(v as u16);
        let n = self.variants[v].desired;
        let g = if cfg.retain_all_variant_properties {
            n
        } else {
            cfg.initial_instance_count
        };
        self.deployment_results[index].started = self.now;
        self.deployment_results[index].old_instances = n;
        self.deployment_results[index].new_instances = g;
        // Rule 1: the endpoint must be InService (no deployment or scaling activity running).
        let busy = if let Some(d) = &self.deploy {
            Some(format!(
                "endpoint is Updating (deployment {} in progress)",
                self.config.deployments[d.index].name
            ))
        } else if (0..self.variants.len()).any(|x| self.updating(x)) {
            Some("endpoint is Updating (instances are launching or draining)".to_string())
        } else {
            None
        };
        let rules = deployment::rules::check(
            &cfg.policy,
            &cfg.guard,
            deployment::rules::Fleets {
                n,
                g,
                variants: self.variants.len(),
                alarms: cfg.alarms.len(),
            },
        )
        .0;
        let rejection = busy.or_else(|| {
            rules
                .first()
                .map(|r| format!("{} = {}: allowed {}", r.field, r.value, r.allowed))
        });
        if let Some(why) = rejection {
            let r = &mut self.deployment_results[index];
            r.outcome = DeploymentOutcome::Rejected;
            r.finished = Some(self.now);
            r.rollback_trigger = Some(why.clone());
            self.record(
                vid,
                ActivityKind::DeploymentEnd,
                &cfg.name,
                format!(
                    "UpdateEndpoint to {} rejected: {why}; endpoint stays InService",
                    cfg.name
                ),
            );
            return;
        }

        let old = *self.variants[v].fleets.last().expect("a variant has a fleet");
        let new = FleetId(self.fleets.len() as u16);
        let mut fleet = Fleet::new(new, vid, cfg.model.clone());
        fleet.series = crate::model::metrics::Series::with_config(v, self.config_series_index(v, &cfg.name));
        fleet.traffic_weight = 0.0;
        fleet.hold = true;
        self.fleets.push(fleet);
        self.fleet_launch.push(cfg.launch.clone());
        self.variants[v].fleets.push(new);
        self.variants[v].current_version = cfg.model.clone();

        let stages = deployment::plan(&cfg.policy, &cfg.guard, n, g);
        let deadline = match (cfg.guard.timeout_s, cfg.guard.timeout_clock_start) {
            (Some(t), deployment::ClockStart::UpdateCall) => Some(self.now + SimDuration::from_secs(t)),
            _ => None,
        };
        let live = self.variant_live(v);
        self.deploy = Some(DeploymentRun {
            index,
            variant: v,
            old,
            new,
            n,
            g,
            stages,
            stage: 0,
            waiting: Waiting::Nothing,
            gen: 0,
            deadline,
            first_shift: None,
            monitoring: false,
            provisioning: Vec::new(),
            round: 0,
            round_fails: false,
            rollback: None,
            extra_us: 0,
            live,
            live_since: self.now,
            errors_at_start: self.error_count(),
        });
        self.deployment_results[index].peak_instances = live;
        self.status("Updating", "Updating");
        if let Some(t) = deadline {
            self.queue.schedule(t, Event::DeploymentDeadline { gen: 0 });
        }
        let alarms = self.alarm_names(&cfg.alarms);
        self.record(
            vid,
            ActivityKind::DeploymentStart,
            &cfg.name,
            format!(
                "UpdateEndpoint to {}: {}; {} {n} -> {} {g}; endpoint Updating; {}",
                cfg.name,
                describe_policy(&cfg.policy, cfg.guard.timeout_s),
                self.old_word(),
                self.new_word(),
                if alarms.is_empty() {
                    "no auto-rollback alarms".to_string()
                } else {
                    format!("auto-rollback alarms {alarms}")
                }
            ),
        );
        self.advance();
    }

    /// Index of the metric series of configuration `name` of variant `v`.
    pub(in crate::sim) fn config_series_index(&self, v: usize, name: &str) -> usize {
        let pos = self
            .config_series
            .iter()
            .position(|(cv, cn)| *cv == v && cn == name)
            .expect("every deployment has a configuration series");
        self.variants.len() + pos
    }

    pub(super) fn cause(&self) -> String {
        let d = self.deploy.as_ref().expect("deployment in progress");
        self.config.deployments[d.index].name.clone()
    }

    /// Records the statuses in effect from now on.
    pub(in crate::sim) fn status(&mut self, endpoint: &'static str, variant_status: &'static str) {
        let v = match self.deploy.as_ref() {
            Some(d) => d.variant,
            None => return,
        };
        let change = StatusChange {
            time: self.now,
            variant: self.variants[v].name.clone(),
            endpoint,
            variant_status,
        };
        // Several stages at one instant: the last one is what `DescribeEndpoint` shows.
        if self
            .statuses
            .last()
            .is_some_and(|s| s.time == self.now && s.variant == change.variant)
        {
            self.statuses.pop();
        }
        self.statuses.push(change);
    }

    /// Records an activity row of the running deployment; with a `variant_status`, the
    /// variant enters that stage (the row says so and the status series records it).
    pub(in crate::sim) fn record_stage(
        &mut self,
        kind: ActivityKind,
        variant_status: Option<&'static str>,
        text: String,
    ) {
        let text = match variant_status {
            Some(st) => {
                self.status("Updating", st);
                format!("{text}; VariantStatus {st}")
            }
            None => text,
        };
        let d = self.deploy.as_ref().expect("deployment in progress");
        let v = VariantId(d.variant as u16);
        let cause = self.cause();
        self.record(v, kind, &cause, text);
    }

    /// Ends the deployment: statistics, statuses, the scalable target takes over.
    pub(in crate::sim) fn finish(&mut self, outcome: DeploymentOutcome, trigger: Option<String>) {
        let v = self.deploy.as_ref().expect("deployment in progress").variant;
        self.deployment_snapshot();
        if outcome == DeploymentOutcome::UpdateRollbackFailed {
            self.status("UpdateRollbackFailed", "InService");
        } else {
            self.status("InService", "InService");
        }
        let d = self.deploy.take().expect("deployment in progress");
        let now = self.now;
        let cfg = &self.config.deployments[d.index];
        let name = cfg.name.clone();
        let seed_rule = match cfg.policy {
            DeploymentPolicy::Rolling(_) => None,
            DeploymentPolicy::BlueGreen(b) => {
                let single = matches!(b.routing, TrafficRouting::AllAtOnce) && b.wait_s == 0;
                let fleets = if single { 1.0 } else { 2.0 };
                Some(fleets * f64::from(d.n) * (now - self.deployment_results[d.index].started).as_secs_f64() / 3600.0)
            }
        };
        let r = &mut self.deployment_results[d.index];
        r.outcome = outcome;
        r.finished = Some(now);
        r.rollback_trigger = trigger.clone();
        r.billing_rule_instance_hours = seed_rule;
        let took = now - r.started;
        // The fleet that won becomes the variant's current fleet; new instances of the loser
        // would no longer be held back.
        let winner = if outcome == DeploymentOutcome::Succeeded {
            d.new
        } else {
            d.old
        };
        for f in [d.old, d.new] {
            self.fleets[f.0 as usize].hold = false;
        }
        let fleets = &mut self.variants[v].fleets;
        fleets.retain(|f| *f != winner);
        fleets.push(winner);
        if outcome == DeploymentOutcome::Succeeded {
            self.variants[v].current_version = self.fleets[d.new.0 as usize].version.clone();
        } else if outcome != DeploymentOutcome::UpdateRollbackFailed {
            self.variants[v].current_version = self.fleets[d.old.0 as usize].version.clone();
        }
        self.drop_empty_fleets(v);
        let serving = self.fleets[winner.0 as usize].in_service()
            + if outcome == DeploymentOutcome::UpdateRollbackFailed {
                self.fleets[d.new.0 as usize].in_service()
            } else {
                0
            };
        // The scalable target governs the winning fleet from its current size.
        self.variants[v].desired = serving;
        for t in self.scaling.targets.iter_mut().filter(|t| t.cfg.variant == v) {
            t.target.desired = serving;
        }
        let vid = VariantId(v as u16);
        let status = if outcome == DeploymentOutcome::UpdateRollbackFailed {
            "endpoint UpdateRollbackFailed (mixed fleet, still serving)".to_string()
        } else {
            let on = if outcome == DeploymentOutcome::Succeeded {
                name.clone()
            } else {
                self.config_name_of(d.old)
            };
            format!("endpoint InService on {on} ({serving} instances)")
        };
        self.record(
            vid,
            ActivityKind::DeploymentEnd,
            &name,
            format!(
                "deployment {name} {} after {} s: {status}{}",
                outcome.name(),
                crate::autoscaling::alarm::fmt_num(took.as_secs_f64()),
                trigger.map(|t| format!("; failure reason: {t}")).unwrap_or_default()
            ),
        );
        self.after_deployment(v);
    }

    /// The configuration name a fleet's requests are recorded under.
    pub(in crate::sim) fn config_name_of(&self, fid: FleetId) -> String {
        match self.fleets[fid.0 as usize].series.config() {
            Some(c) => self.config_series[c - self.variants.len()].1.clone(),
            None => self.config.endpoint.config_name.clone(),
        }
    }

    /// Removes fleets with no live instance from the variant's list (never the current one).
    pub(in crate::sim) fn drop_empty_fleets(&mut self, v: usize) {
        let keep_new = self.deploy.as_ref().filter(|d| d.variant == v).map(|d| (d.old, d.new));
        let fleets = &self.variants[v].fleets;
        let last = *fleets.last().expect("a variant has a fleet");
        let keep: Vec<FleetId> = fleets
            .iter()
            .copied()
            .filter(|f| {
                *f == last
                    || keep_new.is_some_and(|(o, n)| *f == o || *f == n)
                    || self.fleets[f.0 as usize].live() > 0
                    || !self.fleets[f.0 as usize].backlog.is_empty()
            })
            .collect();
        self.variants[v].fleets = keep;
    }

    /// Scaling resumes after a deployment: bounds that moved meanwhile (scheduled actions)
    /// apply to the fleet now (clamped as at the next evaluation).
    pub(super) fn after_deployment(&mut self, v: usize) {
        let current = self.variants[v].desired;
        let clamp = self
            .scaling
            .targets
            .iter()
            .find(|t| t.cfg.variant == v)
            .map(|t| (t.target.clamp(current), t.target.min, t.target.max));
        if let Some((n, min, max)) = clamp {
            if n != current {
                let reason =
                    format!("desired {current} outside [MinCapacity {min}, MaxCapacity {max}] after the deployment");
                self.set_desired(VariantId(v as u16), n, "deployment", &reason);
            }
        }
    }
}
