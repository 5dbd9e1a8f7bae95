//! Domain-free simulation kernel: integer time, the `(time, seq)` event queue and named RNG streams.
//!
//! Nothing here knows about endpoints, instances or requests; the layers above build on it.

mod heap;
mod lane;
mod queue;
mod rng;
mod time;

pub use queue::{EventQueue, Scheduled};
pub use rng::{stream_seed, RngStreams, SimRng};
pub use time::{SimDuration, SimTime, MICROS_PER_SEC};
