//! The deployments of a run: the one in progress, the `UpdateEndpoint` call that starts it
//! and its end, the results and the status changes.
//!
//! A deployment never touches the World: its methods look at a `DeploymentView` and return
//! `DeploymentCommand`s, which the World applies in order. When it has to look at the
//! endpoint again after its commands took effect, its last command is `Continue` and the World
//! calls `Deployments::resume`.

use super::super::deployment_config::DeploymentConfig;
use super::super::event::Event;
use super::billing::{billing_rule_instance_hours, Billing};
use super::command::DeploymentCommand as Cmd;
use super::describe::{alarm_list, describe_policy, Words};
use super::run::{Ctx, DeploymentRun, Step, Waiting};
use super::view::DeploymentView;
use super::{DeploymentOutcome, DeploymentResult, StatusChange};
use crate::deployment;
use crate::engine::{SimDuration, SimTime};
use crate::model::{ActivityKind, FleetId, InstanceId, VariantId};
use typed_index_collections::TiSlice;

/// The deployments of a run.
#[derive(Debug, Default)]
pub(in crate::sim) struct Deployments {
    configs: Vec<DeploymentConfig>,
    run: Option<DeploymentRun>,
    /// One result per configured deployment, filled in as they run.
    results: Vec<DeploymentResult>,
    /// Endpoint and variant status changes caused by deployments.
    statuses: Vec<StatusChange>,
}

impl Deployments {
    /// The configured deployments; `variant_names` names the endpoint's variants.
    pub(in crate::sim) fn new(configs: &[DeploymentConfig], variant_names: &TiSlice<VariantId, String>) -> Self {
        let results = configs
            .iter()
            .map(|d| DeploymentResult {
                name: d.name.clone(),
                variant: variant_names[d.variant].clone(),
                strategy: d.policy.strategy(),
                outcome: DeploymentOutcome::InProgress,
                started: d.at,
                finished: None,
                rollback_trigger: None,
                old_instances: 0,
                new_instances: 0,
                peak_instances: 0,
                extra_instance_hours: 0.0,
                billing_rule_instance_hours: None,
                requests_served_by_new_version: 0,
                errors_during_deployment: 0,
            })
            .collect();
        Deployments {
            configs: configs.to_vec(),
            run: None,
            results,
            statuses: Vec::new(),
        }
    }

    /// Whether the endpoint is `Updating` because of a deployment.
    pub(in crate::sim) fn running(&self) -> bool {
        self.run.is_some()
    }

    /// The old and the new fleet of the deployment in progress, when it replaces variant `v`.
    pub(in crate::sim) fn fleets_of(&self, v: VariantId) -> Option<(FleetId, FleetId)> {
        self.run.as_ref().filter(|d| d.variant == v).map(|d| (d.old, d.new))
    }

    /// The results and the status changes.
    pub(in crate::sim) fn into_parts(self) -> (Vec<DeploymentResult>, Vec<StatusChange>) {
        (self.results, self.statuses)
    }

    /// Runs `f` on the deployment in progress (nothing when there is none).
    fn with_run(
        &mut self,
        view: &dyn DeploymentView,
        now: SimTime,
        f: impl FnOnce(&mut DeploymentRun, &mut Ctx),
    ) -> Vec<Cmd> {
        let Some(run) = self.run.as_mut() else {
            return Vec::new();
        };
        let mut cx = Ctx::new(view, now, &mut self.statuses);
        f(run, &mut cx);
        cx.out
    }

    /// The World applied the commands up to a `Continue`: carry on.
    pub(in crate::sim) fn resume(&mut self, view: &impl DeploymentView, now: SimTime) -> Vec<Cmd> {
        let Some(step) = self.run.as_mut().and_then(|d| d.next.take()) else {
            return Vec::new();
        };
        if let Step::Finish { outcome, trigger } = step {
            return self.finish(view, now, outcome, trigger);
        }
        self.with_run(view, now, |d, cx| match step {
            Step::Advance => d.advance(cx),
            Step::Shifted => d.shifted(cx),
            Step::Rollback(s) => d.rollback_step(cx, s),
            Step::Finish { .. } => unreachable!("handled above"),
        })
    }

    /// The instances of a provisioning round the World launched for the deployment.
    pub(in crate::sim) fn provisioning_started(&mut self, ids: Vec<InstanceId>) {
        if let Some(d) = self.run.as_mut() {
            d.provisioning = ids;
        }
    }

    /// An instance of a held fleet finished booting (it waits in `Standby`).
    pub(in crate::sim) fn on_instance_ready(
        &mut self,
        id: InstanceId,
        view: &impl DeploymentView,
        now: SimTime,
    ) -> Vec<Cmd> {
        self.with_run(view, now, |d, cx| d.instance_ready(cx, id))
    }

    /// A stage timer fired.
    pub(in crate::sim) fn on_timer(&mut self, gen: u32, view: &impl DeploymentView, now: SimTime) -> Vec<Cmd> {
        self.with_run(view, now, |d, cx| d.timer(cx, gen))
    }

    /// The `MaximumExecutionTimeoutInSeconds` deadline.
    pub(in crate::sim) fn on_deadline(&mut self, gen: u32, view: &impl DeploymentView, now: SimTime) -> Vec<Cmd> {
        self.with_run(view, now, |d, cx| d.deadline_reached(cx, gen))
    }

    /// The alarms were evaluated (a sampling tick).
    pub(in crate::sim) fn on_alarms_evaluated(&mut self, view: &impl DeploymentView, now: SimTime) -> Vec<Cmd> {
        self.with_run(view, now, |d, cx| d.watch(cx))
    }

    /// The live instance count of variant `v` changed to `live`.
    pub(in crate::sim) fn billing_changed(&mut self, v: VariantId, live: u32, now: SimTime) {
        if let Some(d) = self.run.as_mut().filter(|d| d.variant == v) {
            d.billing.update(d.n, live, now);
        }
    }

    /// Brings the running deployment's statistics up to now (at its end, or when the run ends
    /// first).
    pub(in crate::sim) fn snapshot(&mut self, view: &impl DeploymentView, now: SimTime) {
        let Some(d) = self.run.as_mut() else { return };
        d.billing.update(d.n, view.variant_live(d.variant), now);
        let r = &mut self.results[d.index];
        r.peak_instances = d.billing.peak;
        r.extra_instance_hours = d.billing.extra_instance_hours();
        r.requests_served_by_new_version = view.routed(d.new);
        r.errors_during_deployment = view.errors() - d.billing.errors_at_start;
    }

    /// The `UpdateEndpoint` call of deployment `index`.
    pub(in crate::sim) fn on_call(&mut self, index: usize, view: &impl DeploymentView, now: SimTime) -> Vec<Cmd> {
        let cfg = self.configs[index].clone();
        let v = cfg.variant;
        let n = view.desired(v);
        let g = if cfg.retain_all_variant_properties {
            n
        } else {
            cfg.initial_instance_count
        };
        let r = &mut self.results[index];
        r.started = now;
        r.old_instances = n;
        r.new_instances = g;
        let mut out = Vec::new();
        // Rule 1: the endpoint must be InService (no deployment or scaling activity running).
        let busy = if let Some(d) = &self.run {
            Some(format!(
                "endpoint is Updating (deployment {} in progress)",
                self.configs[d.index].name
            ))
        } else if view.scaling_in_progress() {
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
                variants: view.variants(),
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
            let r = &mut self.results[index];
            r.outcome = DeploymentOutcome::Rejected;
            r.finished = Some(now);
            r.rollback_trigger = Some(why.clone());
            out.push(Cmd::Record {
                variant: v,
                kind: ActivityKind::DeploymentEnd,
                cause: cfg.name.clone(),
                text: format!(
                    "UpdateEndpoint to {} rejected: {why}; endpoint stays InService",
                    cfg.name
                ),
            });
            return out;
        }

        let old = view.current_fleet(v);
        let new = view.next_fleet();
        out.push(Cmd::CreateFleet {
            variant: v,
            model: cfg.model.clone(),
            launch: cfg.launch.clone(),
            config: cfg.name.clone(),
        });
        let stages = deployment::plan(&cfg.policy, &cfg.guard, n, g);
        let deadline = match (cfg.guard.timeout_s, cfg.guard.timeout_clock_start) {
            (Some(t), deployment::ClockStart::UpdateCall) => Some(now + SimDuration::from_secs(t)),
            _ => None,
        };
        // The new fleet has no instance yet.
        let live = view.variant_live(v);
        let alarms = alarm_list(view, &cfg.alarms);
        let text = format!(
            "UpdateEndpoint to {}: {}; {} {n} -> {} {g}; endpoint Updating; {}",
            cfg.name,
            describe_policy(&cfg.policy, cfg.guard.timeout_s),
            Words::of(&cfg.policy).old,
            Words::of(&cfg.policy).new,
            if alarms.is_empty() {
                "no auto-rollback alarms".to_string()
            } else {
                format!("auto-rollback alarms {alarms}")
            }
        );
        let name = cfg.name.clone();
        let mut run = DeploymentRun {
            index,
            cfg,
            variant: v,
            variant_name: self.results[index].variant.clone(),
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
            billing: Billing::new(live, now, view.errors()),
            next: None,
        };
        let mut cx = Ctx {
            view,
            now,
            out,
            statuses: &mut self.statuses,
        };
        run.status(&mut cx, "Updating", "Updating");
        if let Some(t) = deadline {
            cx.out.push(Cmd::Schedule {
                at: t,
                event: Event::DeploymentDeadline { gen: 0 },
            });
        }
        cx.out.push(Cmd::Record {
            variant: v,
            kind: ActivityKind::DeploymentStart,
            cause: name,
            text,
        });
        run.then(&mut cx, Step::Advance);
        let out = cx.out;
        self.run = Some(run);
        out
    }

    /// Ends the deployment: statistics, statuses, the scalable target takes over.
    fn finish(
        &mut self,
        view: &impl DeploymentView,
        now: SimTime,
        outcome: DeploymentOutcome,
        trigger: Option<String>,
    ) -> Vec<Cmd> {
        self.snapshot(view, now);
        let Some(d) = self.run.take() else {
            return Vec::new();
        };
        let mut cx = Ctx::new(view, now, &mut self.statuses);
        if outcome == DeploymentOutcome::UpdateRollbackFailed {
            d.status(&mut cx, "UpdateRollbackFailed", "InService");
        } else {
            d.status(&mut cx, "InService", "InService");
        }
        let mut out = cx.out;
        let v = d.variant;
        let r = &mut self.results[d.index];
        r.outcome = outcome;
        r.finished = Some(now);
        r.rollback_trigger = trigger.clone();
        r.billing_rule_instance_hours = billing_rule_instance_hours(&d.cfg.policy, d.n, now - r.started);
        let took = now - r.started;
        // The fleet that won becomes the variant's current fleet; new instances of the loser
        // would no longer be held back.
        let winner = if outcome == DeploymentOutcome::Succeeded {
            d.new
        } else {
            d.old
        };
        let version_of = match outcome {
            DeploymentOutcome::Succeeded => Some(d.new),
            DeploymentOutcome::UpdateRollbackFailed => None,
            _ => Some(d.old),
        };
        let serving = view.count(winner, crate::model::InstanceState::InService)
            + if outcome == DeploymentOutcome::UpdateRollbackFailed {
                view.count(d.new, crate::model::InstanceState::InService)
            } else {
                0
            };
        out.push(Cmd::Handover {
            variant: v,
            old: d.old,
            new: d.new,
            winner,
            version_of,
        });
        // The scalable target governs the winning fleet from its current size.
        out.push(Cmd::TargetDesired {
            variant: v,
            desired: serving,
        });
        let name = d.cfg.name.clone();
        let status = if outcome == DeploymentOutcome::UpdateRollbackFailed {
            "endpoint UpdateRollbackFailed (mixed fleet, still serving)".to_string()
        } else {
            let on = if outcome == DeploymentOutcome::Succeeded {
                name.clone()
            } else {
                view.config_name_of(d.old)
            };
            format!("endpoint InService on {on} ({serving} instances)")
        };
        out.push(Cmd::Record {
            variant: v,
            kind: ActivityKind::DeploymentEnd,
            cause: name.clone(),
            text: format!(
                "deployment {name} {} after {} s: {status}{}",
                outcome.name(),
                crate::autoscaling::alarm::fmt_num(took.as_secs_f64()),
                trigger.map(|t| format!("; failure reason: {t}")).unwrap_or_default()
            ),
        });
        out.push(Cmd::ResumeScaling { variant: v });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::{config, FakeView};
    use super::*;
    use crate::deployment::TrafficRouting;

    fn deployments() -> Deployments {
        Deployments::new(
            &[config(TrafficRouting::AllAtOnce, 0, 3)],
            TiSlice::from_ref(&["AllTraffic".to_string()]),
        )
    }

    #[test]
    fn a_call_while_scaling_is_rejected_and_changes_nothing() {
        let mut view = FakeView::serving(2);
        view.busy = true;
        let mut d = deployments();
        let cmds = d.on_call(0, &view, SimTime::ZERO);
        assert!(!d.running());
        assert!(matches!(
            &cmds[..],
            [Cmd::Record { kind: ActivityKind::DeploymentEnd, text, .. }]
                if text == "UpdateEndpoint to v2 rejected: endpoint is Updating (instances are launching or draining); endpoint stays InService"
        ));
        let (results, statuses) = d.into_parts();
        assert_eq!(results[0].outcome, DeploymentOutcome::Rejected);
        assert_eq!(results[0].old_instances, 2);
        assert!(statuses.is_empty());
    }

    #[test]
    fn a_call_creates_the_green_fleet_then_provisions_it() {
        let mut view = FakeView::serving(2);
        let mut d = deployments();
        let cmds = d.on_call(0, &view, SimTime::ZERO);
        assert!(d.running());
        assert!(matches!(
            &cmds[..],
            [
                Cmd::CreateFleet {
                    variant: VariantId(0),
                    ..
                },
                Cmd::Record {
                    kind: ActivityKind::DeploymentStart,
                    ..
                },
                Cmd::Continue
            ]
        ));
        view.fleets = 2;
        let cmds = d.resume(&view, SimTime::ZERO);
        assert!(matches!(
            &cmds[..],
            [Cmd::Record { text, .. }, Cmd::Launch { fleet: FleetId(1), count: 3, .. }]
                if text == "provisioning 3 green instance(s); VariantStatus Creating"
        ));
        // Both statuses fell at one instant: the later one stands.
        let (_, statuses) = d.into_parts();
        assert_eq!(statuses.len(), 1);
        assert_eq!(
            (statuses[0].endpoint, statuses[0].variant_status),
            ("Updating", "Creating")
        );
    }
}
