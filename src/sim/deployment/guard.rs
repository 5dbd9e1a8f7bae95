//! What guards a running deployment: the alarms watching the monitored windows (polled at
//! their interval), the stage timers and the `MaximumExecutionTimeoutInSeconds` deadline.
//!
//! Same-instant order: metric ticks close and alarms are evaluated first, then the deployment
//! reacts to them, then the deadline, then stage timers. A stage timer or deadline that finds a
//! sampling tick still due at its instant re-queues itself behind the tick, so an alarm
//! reaching `ALARM` exactly when a bake ends still rolls back.

use super::super::event::Event;
use super::command::DeploymentCommand as Cmd;
use super::run::{Ctx, DeploymentRun, Waiting};
use super::DeploymentOutcome;
use crate::engine::SimTime;

/// Whether an alarm poll falls at `now`: polls fall on multiples of the interval from time zero
/// (a multiple of the sampling tick); an interval of zero polls at every evaluation.
pub(super) fn poll_due(poll_interval_us: u64, now: SimTime) -> bool {
    poll_interval_us == 0 || now.0 % poll_interval_us == 0
}

impl DeploymentRun {
    /// Opens a monitored window: from now on a tripped alarm rolls back, and one already in
    /// `ALARM` counts as tripped at once. Returns whether a rollback started.
    pub(super) fn open_window(&mut self, cx: &mut Ctx) -> bool {
        self.monitoring = true;
        self.check_alarms(cx, true)
    }

    /// Called after every alarm evaluation (sampling ticks).
    pub(super) fn watch(&mut self, cx: &mut Ctx) {
        if !self.monitoring || self.rollback.is_some() {
            return;
        }
        if !poll_due(self.cfg.alarm_poll_interval.0, cx.now) {
            return;
        }
        self.check_alarms(cx, false);
    }

    /// Rolls back if a watched alarm is in `ALARM`; returns whether a rollback started.
    fn check_alarms(&mut self, cx: &mut Ctx, window_start: bool) -> bool {
        if !self.monitoring || self.rollback.is_some() {
            return false;
        }
        let Some(a) = self.cfg.alarms.iter().copied().find(|a| cx.view.in_alarm(*a)) else {
            return false;
        };
        let trigger = format!(
            "alarm {} in ALARM{} at {}",
            cx.view.alarm_name(a),
            if window_start { " when the window opened" } else { "" },
            cx.now
        );
        self.start_rollback(cx, trigger, DeploymentOutcome::RolledBack);
        true
    }

    /// A stage timer fired.
    pub(super) fn timer(&mut self, cx: &mut Ctx, gen: u32) {
        if self.gen != gen {
            return;
        }
        if cx.view.tick_pending() {
            // Alarms first: fire again behind this instant's sampling tick.
            cx.out.push(Cmd::Schedule {
                at: cx.now,
                event: Event::DeploymentTimer { gen },
            });
            return;
        }
        if self.deadline == Some(cx.now) && self.rollback.is_none() {
            // The deadline wins a tie with a stage timer.
            return self.timeout(cx);
        }
        match self.waiting {
            Waiting::Timer => {
                self.waiting = Waiting::Nothing;
                self.advance(cx);
            }
            Waiting::RollbackShift => self.rollback_shift(cx),
            Waiting::Provisioning | Waiting::Nothing => {}
        }
    }

    /// The `MaximumExecutionTimeoutInSeconds` deadline.
    pub(super) fn deadline_reached(&mut self, cx: &mut Ctx, gen: u32) {
        if self.deadline != Some(cx.now) || self.rollback.is_some() {
            return;
        }
        if cx.view.tick_pending() {
            cx.out.push(Cmd::Schedule {
                at: cx.now,
                event: Event::DeploymentDeadline { gen },
            });
            return;
        }
        self.timeout(cx);
    }

    fn timeout(&mut self, cx: &mut Ctx) {
        let t = self.cfg.guard.timeout_s.unwrap_or(0);
        let trigger = format!("MaximumExecutionTimeoutInSeconds {t} s reached at {}", cx.now);
        self.start_rollback(cx, trigger, DeploymentOutcome::TimedOut);
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::{config, FakeView};
    use super::super::view::DeploymentView;
    use super::super::Deployments;
    use super::*;
    use crate::deployment::{CapacitySize, TrafficRouting};
    use crate::engine::SimDuration;
    use crate::model::InstanceState;
    use typed_index_collections::TiSlice;

    #[test]
    fn polls_fall_on_multiples_of_the_interval() {
        assert!(poll_due(0, SimTime(7)));
        assert!(poll_due(60, SimTime(120)));
        assert!(!poll_due(60, SimTime(90)));
    }

    /// A canary deployment of 4 instances whose green fleet is ready, up to its first shift.
    fn canary_shifted(view: &mut FakeView, alarm: bool) -> Deployments {
        let cfg = config(
            TrafficRouting::Canary {
                size: CapacitySize::InstanceCount(1),
            },
            600,
            4,
        );
        let mut d = Deployments::new(&[cfg], TiSlice::from_ref(&["AllTraffic".to_string()]));
        d.on_call(0, view, SimTime::ZERO);
        view.fleets = 2;
        d.resume(view, SimTime::ZERO);
        view.add(1, 4, InstanceState::Standby);
        let ids = view.members(crate::model::FleetId(1), &|_| true);
        d.provisioning_started(ids.clone());
        let t = SimTime::ZERO + SimDuration::from_secs(300);
        for id in &ids[..3] {
            assert!(d.on_instance_ready(*id, view, t).is_empty());
        }
        let cmds = d.on_instance_ready(ids[3], view, t);
        assert!(matches!(cmds.last(), Some(Cmd::Continue)));
        view.alarms[0].1 = alarm;
        d
    }

    #[test]
    fn an_alarm_already_in_alarm_when_the_window_opens_rolls_back() {
        let mut view = FakeView::serving(4);
        let mut d = canary_shifted(&mut view, true);
        let t = SimTime::ZERO + SimDuration::from_secs(300);
        let cmds = d.resume(&view, t);
        // The four held green instances go, then the rollback row.
        let drained = cmds
            .iter()
            .filter(|c| matches!(c, Cmd::DrainOrTerminate { .. }))
            .count();
        assert_eq!(drained, 4);
        assert!(cmds.iter().any(
            |c| matches!(c, Cmd::Record { text, .. } if text.starts_with("alarm latency in ALARM when the window opened"))
        ));
    }

    #[test]
    fn a_quiet_window_bakes_and_a_timer_waits_behind_a_pending_tick() {
        let mut view = FakeView::serving(4);
        let mut d = canary_shifted(&mut view, false);
        let t = SimTime::ZERO + SimDuration::from_secs(300);
        let cmds = d.resume(&view, t);
        let bake_end = t + SimDuration::from_secs(600);
        assert!(cmds
            .iter()
            .any(|c| matches!(c, Cmd::Schedule { at, event: Event::DeploymentTimer { gen: 1 } } if *at == bake_end)));
        view.tick_pending = true;
        let cmds = d.on_timer(1, &view, bake_end);
        assert!(matches!(
            cmds[..],
            [Cmd::Schedule {
                event: Event::DeploymentTimer { gen: 1 },
                ..
            }]
        ));
        // A stale generation is ignored.
        view.tick_pending = false;
        assert!(d.on_timer(0, &view, bake_end).is_empty());
    }
}
