//! fleetsim: a deterministic discrete-event simulator of autoscaled, versioned inference
//! endpoints (SageMaker-style real-time, asynchronous and serverless endpoints under Application
//! Auto Scaling).
//!
//! Layers, bottom to top: [`engine`] <- [`model`] <- [`autoscaling`], [`deployment`] <- [`sim`] <-
//! [`scenario`] <- [`report`] <- [`sweep`] <- [`check`], [`tune`] <- `cli`; [`bench`](mod@bench) and [`recommend`] run [`sim`]; [`tune`] also runs [`recommend`]'s benchmark.
//! See ARCHITECTURE.md for the code map and invariants.
//!
//! # Use it as a library
//!
//! A run is a pure function of a [`sim::SimConfig`] (which holds the seed): build one in code,
//! or load a scenario file with [`scenario::load`] (or text with [`scenario::parse`] and
//! [`scenario::validate`]), then [`sim::run`] it and read the [`sim::RunResult`], or turn it
//! into the figures of `summary.json` with [`report::summary`]. A sweep file is read with
//! [`sweep::read_sweep_plan`] and run with [`sweep::run::run`]. The `examples/` folder holds
//! runnable programs (`cargo run --example mmc`).
//!
//! The command line (`fleetsim run`, `sweep`, ...) is not part of the library's API: it is
//! reached only through [`run_cli`], the binary's entry point.

pub mod autoscaling;
pub mod aws;
pub mod bench;
pub mod check;
mod cli;
pub mod deployment;
pub mod engine;
pub mod model;
pub mod recommend;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod sweep;
pub mod tune;

pub use cli::ChecksFailed;

/// Runs the `fleetsim` command line on the process's arguments: the binary's entry point
/// (`src/main.rs` prints the error and picks the exit code). Exits the process itself for
/// `--help`, `--version` and usage errors, as clap does. Not meant for library use: call
/// [`sim::run`] and the other modules instead.
pub fn run_cli() -> anyhow::Result<()> {
    cli::run()
}
