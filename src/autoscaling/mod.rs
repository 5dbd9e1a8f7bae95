//! Autoscaling controllers: CloudWatch alarms, target tracking, step and scheduled scaling,
//! cooldowns and arbitration between policies (docs/semantics/autoscaling.md).
//!
//! Everything here is data plus pure decisions over observations: no event queue, no model
//! types. The simulation (`sim`) feeds datapoints in and applies the decisions.

pub mod alarm;
pub mod config_error;
pub mod cooldown;
pub mod guidance;
pub mod schedule;
pub mod sizing;
pub mod step;
pub mod target_tracking;
