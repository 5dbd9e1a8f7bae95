//! What guards a running deployment: the alarms watching the monitored windows (polled at
//! their interval), the stage timers and the `MaximumExecutionTimeoutInSeconds` deadline.
//!
//! Same-instant order: metric ticks close and alarms are evaluated first, then the deployment
//! reacts to them, then the deadline, then stage timers. A stage timer or deadline that finds a
//! sampling tick still due at its instant re-queues itself behind the tick, so an alarm
//! reaching `ALARM` exactly when a bake ends still rolls back.

use super::super::event::Event;
use super::super::world::World;
use super::{DeploymentOutcome, Waiting};

impl World {
    /// A sampling tick falls at this instant and has not been processed yet.
    pub(super) fn tick_pending(&self) -> bool {
        let hr = self.config.metrics.high_resolution_period.0.max(1);
        self.now.0 % hr == 0 && self.ticks * hr < self.now.0 && self.now.0 < self.config.duration.0
    }

    /// Opens a monitored window: from now on a tripped alarm rolls back, and one already in
    /// `ALARM` counts as tripped at once.
    pub(super) fn open_window(&mut self) {
        let d = self.deploy.as_mut().expect("deployment in progress");
        d.monitoring = true;
        self.check_alarms(true);
    }

    /// Called after every alarm evaluation (sampling ticks).
    pub(in crate::sim) fn watch_deployment(&mut self) {
        let Some(d) = self.deploy.as_ref() else { return };
        if !d.monitoring || d.rollback.is_some() {
            return;
        }
        let poll = self.config.deployments[d.index].alarm_poll_interval.0;
        // Polls fall on multiples of the interval from time zero (a multiple of the tick).
        if poll > 0 && self.now.0 % poll != 0 {
            return;
        }
        self.check_alarms(false);
    }

    /// Rolls back if a watched alarm is in `ALARM`.
    pub(super) fn check_alarms(&mut self, window_start: bool) {
        let Some(d) = self.deploy.as_ref() else { return };
        if !d.monitoring || d.rollback.is_some() {
            return;
        }
        let tripped = self.config.deployments[d.index]
            .alarms
            .iter()
            .map(|a| &self.scaling.alarms[*a])
            .find(|a| a.state == crate::autoscaling::alarm::AlarmState::Alarm);
        if let Some(a) = tripped {
            let trigger = format!(
                "alarm {} in ALARM{} at {}",
                a.cfg.name,
                if window_start { " when the window opened" } else { "" },
                self.now
            );
            self.start_rollback(trigger, DeploymentOutcome::RolledBack);
        }
    }

    /// A stage timer fired.
    pub(in crate::sim) fn on_deployment_timer(&mut self, gen: u32) {
        let Some(d) = self.deploy.as_ref() else { return };
        if d.gen != gen {
            return;
        }
        if self.tick_pending() {
            // Alarms first: fire again behind this instant's sampling tick.
            self.queue.schedule(self.now, Event::DeploymentTimer { gen });
            return;
        }
        if d.deadline == Some(self.now) && d.rollback.is_none() {
            // The deadline wins a tie with a stage timer.
            self.timeout();
            return;
        }
        match d.waiting {
            Waiting::Timer => {
                self.deploy.as_mut().expect("deployment").waiting = Waiting::Nothing;
                self.advance();
            }
            Waiting::RollbackShift => self.rollback_shift(),
            Waiting::Provisioning | Waiting::Nothing => {}
        }
    }

    /// The `MaximumExecutionTimeoutInSeconds` deadline.
    pub(in crate::sim) fn on_deployment_deadline(&mut self, gen: u32) {
        let Some(d) = self.deploy.as_ref() else { return };
        if d.deadline != Some(self.now) || d.rollback.is_some() {
            return;
        }
        if self.tick_pending() {
            self.queue.schedule(self.now, Event::DeploymentDeadline { gen });
            return;
        }
        self.timeout();
    }

    pub(super) fn timeout(&mut self) {
        let d = self.deploy.as_ref().expect("deployment in progress");
        let t = self.config.deployments[d.index].guard.timeout_s.unwrap_or(0);
        let trigger = format!("MaximumExecutionTimeoutInSeconds {t} s reached at {}", self.now);
        self.start_rollback(trigger, DeploymentOutcome::TimedOut);
    }
}
