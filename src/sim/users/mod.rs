//! The closed-loop users of a load test, as a controller: [`UserPool`] decides which users run
//! (the traffic pattern's count over time) and when each sends its next request (after the
//! answer to the last one and its think time); the World sends the requests and tells the pool
//! when they are answered (`world_users.rs`).
//!
//! Which numbers a user's requests share across runs: user `k` is always the `k`-th user of
//! the pattern (users stop highest first and start lowest first), and it draws its requests'
//! service times and outcomes from its own stream `users/<k>` and its think times from
//! `think/<k>`. Its `j`-th request therefore has the same random numbers under any policy or
//! fleet: what differs between two runs is when it is sent (the closed loop) and, during a
//! deployment, which model version's distribution turns those numbers into a service time.

mod minutes;
mod pool;
#[cfg(test)]
mod tests;

pub(super) use minutes::minute_stats;
pub use pool::UserPoint;
pub(super) use pool::{Answer, UserPool};
