//! The integration-test binary: one binary, one module per concern.

mod common;
mod queueing;
