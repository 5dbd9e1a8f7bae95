//! The World's side of autoscaling: what it shows the controller ([`ScalingView`]), when it
//! asks it to decide, and how it carries out the commands it gets back.

use super::observe::{self, Dimension};
use super::scaling::{quota_refusal, ScalingCommand, ScalingView};
use super::scaling_config::AlarmConfig;
use super::world::World;
use crate::engine::{SimDuration, SimTime};
use crate::model::metrics::MetricName;
use crate::model::{ActivityKind, Change, InstanceState, VariantId};

impl ScalingView for World {
    fn datapoint(&self, alarm: &AlarmConfig, end: SimTime) -> Option<f64> {
        observe::datapoint(
            &self.metrics,
            alarm.dimension,
            alarm.metric,
            &alarm.statistic,
            end,
            alarm.period,
        )
    }

    fn capacity_basis(&self, variant: VariantId, metric: MetricName, end: Option<SimTime>, period: SimDuration) -> f64 {
        // Serverless: the current capacity is the allocated provisioned concurrency.
        self.serverless_basis(end)
            .map(f64::from)
            .or_else(|| end.and_then(|e| observe::capacity_basis(&self.metrics, variant, metric, e, period)))
            .unwrap_or(f64::from(self.variants[variant].in_service))
    }

    fn desired(&self, variant: VariantId) -> u32 {
        self.variants[variant].desired
    }

    fn updating(&self, variant: VariantId) -> bool {
        self.updating(variant)
    }

    fn deploying(&self) -> bool {
        self.deploying()
    }

    fn quota_exceeded(&self, variant: VariantId, delta: u32) -> Option<String> {
        self.quota_exceeded(variant, delta)
    }

    fn config_variant(&self, series: usize) -> VariantId {
        self.config_series[series - self.variants.len()].0
    }
}

impl World {
    /// Schedules the first firing of every scheduled action.
    pub(super) fn schedule_actions(&mut self) {
        let cmds = self.scaling.first_actions(self.run_clock());
        self.apply_scaling(cmds);
    }

    /// A scheduled action of target `t` fires.
    pub(super) fn on_scheduled_action(&mut self, t: usize, a: usize) {
        let mut scaling = std::mem::take(&mut self.scaling);
        let cmds = scaling.on_scheduled_action(t, a, self, self.now, self.run_clock());
        self.scaling = scaling;
        self.apply_scaling(cmds);
    }

    /// At a sampling tick: evaluates the alarms due now, then runs the policies of every
    /// target in turn (a target decides on the fleet the previous one left).
    pub(super) fn evaluate_autoscaling(&mut self) {
        let mut scaling = std::mem::take(&mut self.scaling);
        let cmds = scaling.evaluate_alarms(self, self.now, self.config.publication_delay);
        self.scaling = scaling;
        self.apply_scaling(cmds);
        for t in 0..self.scaling.targets.len() {
            let mut scaling = std::mem::take(&mut self.scaling);
            let cmds = scaling.run_policies(t, self, self.now);
            self.scaling = scaling;
            self.apply_scaling(cmds);
        }
    }

    /// Carries out the controller's commands in order.
    fn apply_scaling(&mut self, cmds: Vec<ScalingCommand>) {
        for cmd in cmds {
            match cmd {
                ScalingCommand::SetDesired {
                    variant,
                    desired,
                    cause,
                    reason,
                    policy,
                } => self.set_desired_by(variant, desired, &cause, &reason, policy),
                ScalingCommand::CheckConverged { variant } => self.check_activity_end(variant),
                ScalingCommand::Record {
                    variant,
                    kind,
                    cause,
                    reason,
                    policy,
                } => self.record_change(Some(variant), kind, &cause, reason, Change::None, policy),
                ScalingCommand::AlarmChanged(t) => {
                    let variant = match t.dimension {
                        Dimension::Variant(v) => Some(v),
                        Dimension::Endpoint => None,
                        Dimension::Config(c) => Some(self.config_variant(c)),
                    };
                    let change = Change::AlarmState {
                        from: t.from.name(),
                        to: t.to.name(),
                        latest: t.latest,
                    };
                    let text = t.describe();
                    self.record_change(variant, ActivityKind::AlarmStateChange, &t.alarm, text, change, None);
                }
                ScalingCommand::Schedule { at, event } => {
                    self.queue.schedule(at, event);
                }
            }
        }
    }

    /// Scaling resumes on variant `v` after a deployment.
    pub(super) fn scaling_resumes(&mut self, v: VariantId) {
        let cmds = self.scaling.after_deployment(v, self);
        self.apply_scaling(cmds);
    }

    fn run_clock(&self) -> super::scaling::RunClock {
        super::scaling::RunClock {
            start: self.config.start_time,
            duration: self.config.duration,
        }
    }

    /// An out-of-band `UpdateEndpointWeightsAndCapacities` call: sets the desired count
    /// unless a deployment is running or the account quota refuses the extra instances.
    pub(super) fn on_capacity_update(&mut self, index: usize) {
        let u = self.config.endpoint.capacity_updates[index].clone();
        let v = u.variant;
        let current = self.variants[v].desired;
        let what = "UpdateEndpointWeightsAndCapacities";
        if self.deploying() {
            let reason = format!(
                "{what} desired {current} -> {} rejected: endpoint is Updating (deployment in progress)",
                u.desired
            );
            self.record(v, ActivityKind::ScalingFailed, "capacity_update", reason);
            return;
        }
        if u.desired > current {
            if let Some(refused) = quota_refusal(self, v, current, u.desired, "capacity_update", what) {
                return self.apply_scaling(vec![refused]);
            }
        }
        self.set_desired(v, u.desired, "capacity_update", what);
    }

    /// The account quota message when adding `delta` instances of the variant's type would
    /// exceed it.
    pub(super) fn quota_exceeded(&self, v: VariantId, delta: u32) -> Option<String> {
        if self.hosts_components() {
            // Copies are not instances: managed instance scaling checks the quota per host.
            return None;
        }
        let ty = &self.variants[v].instance;
        let quota = ty.endpoint_quota?;
        let in_use: u32 = self
            .variants
            .iter()
            .filter(|x| x.instance.name == ty.name)
            .map(|x| x.fleets.iter().map(|f| self.fleets[*f].live()).sum::<u32>())
            .sum();
        (in_use + delta > quota).then(|| {
            format!("account-level service limit '{} for endpoint usage' is {quota} Instances, with current utilization of {in_use} Instances and a request delta of {delta} Instances", ty.name)
        })
    }

    /// Whether the variant is `Updating`: instances are booting or draining.
    pub(super) fn updating(&self, v: VariantId) -> bool {
        self.deploying()
            || self.serverless_provisioning()
            || [
                InstanceState::Pending,
                InstanceState::Provisioning,
                InstanceState::Loading,
                InstanceState::Draining,
            ]
            .iter()
            // A copy waiting for room (`Pending` on an inference component) is not an update
            // in progress: scaling must stay free to remove it.
            .filter(|s| !(self.hosts_components() && **s == InstanceState::Pending))
            .any(|s| self.instance_count(v, *s) > 0)
    }

    /// Tells the controller that variant `v`'s scaling activity ended once its fleet has
    /// converged (nothing booting or draining).
    pub(super) fn check_activity_end(&mut self, v: VariantId) {
        if !self.scaling.has_targets() || self.updating(v) {
            return;
        }
        self.scaling.on_converged(v, self.now);
    }
}
