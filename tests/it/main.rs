//! The integration-test binary: one binary, one module per concern.

mod async_endpoint;
mod autoscaling;
mod bundled_autoscaling;
mod cli;
mod common;
mod deployment;
mod determinism;
mod docs;
mod fuzz;
mod house;
mod inference_components;
mod lifecycle;
mod limits;
mod load_test_stops;
mod loadtest;
mod metrics;
mod notebook;
mod output_paths;
mod plots;
mod queueing;
mod recommend;
mod scenarios;
mod serverless;
mod sweep;
mod users;
mod worked_examples;
