//! The autoscaling controller: Application Auto Scaling's alarms, policies, cooldowns and
//! scheduled actions, deciding from what the World shows it and answering with commands.
//!
//! The controller owns all autoscaling state ([`Autoscaler`]) and never touches the World: it
//! reads a [`ScalingView`] (datapoints, desired counts, whether a variant is updating, the
//! account quota) and returns [`ScalingCommand`]s the World applies in order. Order within one
//! tick (a modelling choice, documented in the scenario guide): metric ticks and periods close
//! first, then every alarm due at this instant is evaluated, then each scalable target collects
//! proposals from the policies whose alarm was just evaluated in `ALARM`, arbitrates, and starts
//! at most one scaling activity. Scheduled actions are their own events and run before dynamic
//! evaluation at the same instant because they are scheduled earlier.

mod alarm_run;
mod autoscaler;
mod command;
mod policies;
mod target_run;
#[cfg(test)]
mod tests;

pub(super) use autoscaler::{Autoscaler, RunClock};
pub(super) use command::{quota_refusal, ScalingCommand, ScalingView};
