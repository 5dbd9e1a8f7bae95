//! The deployment in progress: its state, what it waits for, the call-back it asked for, and
//! the statuses and activity rows it records.

use super::super::deployment_config::DeploymentConfig;
use super::billing::Billing;
use super::command::DeploymentCommand as Cmd;
use super::describe::Words;
use super::rollback::{Rollback, RollbackStep};
use super::view::DeploymentView;
use super::{DeploymentOutcome, StatusChange};
use crate::deployment::{DeploymentPolicy, Stage};
use crate::engine::SimTime;
use crate::model::{ActivityKind, FleetId, InstanceId, VariantId};

/// What the deployment is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Waiting {
    /// The instances of a provisioning round to finish booting.
    Provisioning,
    /// A stage timer (bake or termination wait).
    Timer,
    /// The delayed traffic shift of a blue/green rollback.
    RollbackShift,
    /// Nothing: the deployment has ended.
    Nothing,
}

/// What the deployment does when the World calls it back (`Continue`).
#[derive(Clone, Debug)]
pub(super) enum Step {
    /// Run the stages of the plan.
    Advance,
    /// A traffic shift took effect: blue/green opens its monitored window, then the next stage.
    Shifted,
    /// A step of a rollback.
    Rollback(RollbackStep),
    /// End the deployment.
    Finish {
        outcome: DeploymentOutcome,
        trigger: Option<String>,
    },
}

/// What a call of the deployment works with: the view of the endpoint, the instant, the
/// commands issued so far and the status list.
pub(super) struct Ctx<'a> {
    pub view: &'a dyn DeploymentView,
    pub now: SimTime,
    pub out: Vec<Cmd>,
    pub statuses: &'a mut Vec<StatusChange>,
}

impl<'a> Ctx<'a> {
    /// A context with no commands yet.
    pub fn new(view: &'a dyn DeploymentView, now: SimTime, statuses: &'a mut Vec<StatusChange>) -> Self {
        Ctx {
            view,
            now,
            out: Vec::new(),
            statuses,
        }
    }
}

/// The deployment in progress.
#[derive(Debug)]
pub(super) struct DeploymentRun {
    /// Index into `SimConfig::deployments` and the results.
    pub index: usize,
    pub cfg: DeploymentConfig,
    pub variant: VariantId,
    pub variant_name: String,
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
    pub rollback: Option<Rollback>,
    pub billing: Billing,
    /// What to do when the World calls back.
    pub next: Option<Step>,
}

impl DeploymentRun {
    /// "blue"/"green" or "old"/"new".
    pub(super) fn words(&self) -> Words {
        Words::of(&self.cfg.policy)
    }

    pub(super) fn is_rolling(&self) -> bool {
        matches!(self.cfg.policy, DeploymentPolicy::Rolling(_))
    }

    /// Asks the World to call back with `step` once the commands so far took effect.
    pub(super) fn then(&mut self, cx: &mut Ctx, step: Step) {
        debug_assert!(self.next.is_none(), "one continuation at a time");
        self.next = Some(step);
        cx.out.push(Cmd::Continue);
    }

    /// Records the statuses in effect from now on.
    pub(super) fn status(&self, cx: &mut Ctx, endpoint: &'static str, variant_status: &'static str) {
        let change = StatusChange {
            time: cx.now,
            variant: self.variant_name.clone(),
            endpoint,
            variant_status,
        };
        // Several stages at one instant: the last one is what `DescribeEndpoint` shows.
        if cx
            .statuses
            .last()
            .is_some_and(|s| s.time == cx.now && s.variant == change.variant)
        {
            cx.statuses.pop();
        }
        cx.statuses.push(change);
    }

    /// Records an activity row of the deployment; with a `variant_status`, the variant enters
    /// that stage (the row says so and the status series records it).
    pub(super) fn record_stage(
        &self,
        cx: &mut Ctx,
        kind: ActivityKind,
        variant_status: Option<&'static str>,
        text: String,
    ) {
        let text = match variant_status {
            Some(st) => {
                self.status(cx, "Updating", st);
                format!("{text}; VariantStatus {st}")
            }
            None => text,
        };
        cx.out.push(Cmd::Record {
            variant: self.variant,
            kind,
            cause: self.cfg.name.clone(),
            text,
        });
    }
}
