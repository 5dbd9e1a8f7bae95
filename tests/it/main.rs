//! The integration-test binary: one binary, one module per concern.

mod autoscaling;
mod bundled_autoscaling;
mod cli;
mod common;
mod determinism;
mod lifecycle;
mod metrics;
mod queueing;
mod scenarios;
