//! fleetsim: a deterministic discrete-event simulator of autoscaled, versioned inference
//! endpoints (SageMaker-style real-time, asynchronous and serverless endpoints under Application
//! Auto Scaling).
//!
//! Layers, bottom to top: [`engine`] <- [`model`] <- [`autoscaling`], [`deployment`] <- [`sim`] <-
//! [`scenario`] <- [`report`] <- [`sweep`] <- [`check`], [`tune`] <- `cli`; [`bench`](mod@bench) and [`recommend`] run [`sim`]; [`tune`] also runs [`recommend`]'s benchmark.
//! See ARCHITECTURE.md for the code map and invariants.

pub mod autoscaling;
pub mod aws;
pub mod bench;
pub mod check;
pub mod cli;
pub mod deployment;
pub mod engine;
pub mod model;
pub mod recommend;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod sweep;
pub mod tune;
