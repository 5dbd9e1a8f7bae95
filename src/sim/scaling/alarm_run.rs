//! One CloudWatch alarm during a run: its sliding window of datapoints and its state.

use super::super::observe::Dimension;
use super::super::scaling_config::AlarmConfig;
use crate::autoscaling::alarm::{fmt_num, AlarmState};
use crate::engine::{SimDuration, SimTime};
use std::collections::VecDeque;

/// An alarm and its evaluation state.
#[derive(Debug)]
pub(in crate::sim) struct AlarmRun {
    pub cfg: AlarmConfig,
    pub state: AlarmState,
    /// The most recent datapoints, oldest first (at most `evaluation_periods`).
    pub window: VecDeque<Option<f64>>,
    /// End of the newest datapoint.
    pub last_end: Option<SimTime>,
    /// Whether the alarm was evaluated at the current tick (policies act only then).
    pub evaluated_now: bool,
    /// Why the alarm is in its state (the rule's explanation of the last evaluation).
    pub reason: String,
}

/// A change of alarm state, for the activity row.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::sim) struct AlarmTransition {
    pub alarm: String,
    pub dimension: Dimension,
    pub from: AlarmState,
    pub to: AlarmState,
    /// The newest datapoint (`None`: missing data).
    pub latest: Option<f64>,
    pub reason: String,
}

impl AlarmTransition {
    /// "alarm cpu-high: OK -> ALARM: 3 of 3 datapoints > 70 (latest 81.5)".
    pub fn describe(&self) -> String {
        format!(
            "alarm {}: {} -> {}: {}{}",
            self.alarm,
            self.from.name(),
            self.to.name(),
            self.reason,
            self.latest
                .map(|x| format!(" (latest {})", fmt_num(x)))
                .unwrap_or_default()
        )
    }
}

impl AlarmRun {
    pub fn new(cfg: AlarmConfig) -> Self {
        AlarmRun {
            cfg,
            state: AlarmState::InsufficientData,
            window: VecDeque::new(),
            last_end: None,
            evaluated_now: false,
            reason: String::new(),
        }
    }

    /// The end of the datapoint due at `now`, if one of the alarm's periods (shifted by the
    /// publication `delay`) ends now.
    pub fn due(&self, now: SimTime, delay: SimDuration) -> Option<SimTime> {
        let period = self.cfg.period.0;
        if now.0 < delay.0 + period || (now.0 - delay.0) % period != 0 {
            return None;
        }
        Some(SimTime(now.0 - delay.0))
    }

    /// Takes the datapoint `value` of the period ending at `end` and evaluates the rule over
    /// the window (missing leading datapoints count as missing data); returns the transition
    /// when the state changed.
    pub fn evaluate(&mut self, value: Option<f64>, end: SimTime) -> Option<AlarmTransition> {
        let periods = self.cfg.rule.evaluation_periods as usize;
        self.window.push_back(value);
        while self.window.len() > periods {
            self.window.pop_front();
        }
        let mut padded: Vec<Option<f64>> = vec![None; periods - self.window.len()];
        padded.extend(self.window.iter().copied());
        let ev = self.cfg.rule.evaluate(self.state, &padded);
        self.last_end = Some(end);
        self.evaluated_now = true;
        let old = self.state;
        self.state = ev.state;
        self.reason = ev.reason;
        (old != self.state).then(|| AlarmTransition {
            alarm: self.cfg.name.clone(),
            dimension: self.cfg.dimension,
            from: old,
            to: self.state,
            latest: value,
            reason: self.reason.clone(),
        })
    }

    /// In `ALARM` after an evaluation at this tick: what policies act on.
    pub fn fired_now(&self) -> bool {
        self.evaluated_now && self.state == AlarmState::Alarm
    }
}
