//! The baseline: a bare binary-heap M/M/c loop with no model, no metrics and no dispatch layers.
//!
//! It does the least work any event-driven M/M/c simulation must do (draw a gap or a service
//! time, push and pop a heap entry, keep a FIFO of waiting customers), with the same integer
//! clock, heap ordering and generator as fleetsim. Its events per second are the ceiling fleetsim
//! is measured against: the ratio says how much the simulator's structure costs on top.

use crate::engine::RngStreams;
use rand_distr::{Distribution, Exp1};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Counts from one run of [`bare_heap_mmc`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BareStats {
    /// Customers that arrived.
    pub arrived: u64,
    /// Customers whose service finished.
    pub completed: u64,
    /// Events popped from the heap (arrivals plus departures).
    pub events: u64,
    /// Customers that found every server busy and waited.
    pub waited: u64,
    /// Total waiting time of all customers \[µs\].
    pub wait_sum_us: u64,
    /// Longest the FIFO ever was.
    pub max_queue: u64,
    /// Time of the last event \[µs\].
    pub end_us: u64,
}

impl BareStats {
    /// Mean wait per customer \[s\].
    pub fn mean_wait_s(&self) -> f64 {
        if self.completed == 0 {
            return 0.0;
        }
        self.wait_sum_us as f64 / self.completed as f64 / 1e6
    }
}

/// What a heap entry stands for. Its position in the tuple is after the unique `seq`, so it
/// never takes part in the ordering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Arrival,
    Departure,
}

/// Exponential draw with mean `mean_us`, rounded to a whole microsecond like fleetsim's samplers.
#[inline]
fn exp_us(rng: &mut crate::engine::SimRng, mean_us: f64) -> u64 {
    let e: f64 = Exp1.sample(rng);
    (e * mean_us + 0.5) as u64
}

/// Simulates an M/M/c queue: Poisson arrivals at `lambda` per second, exponential service at
/// `mu` per second per server, `c` servers, an unbounded FIFO, until `n_requests` customers
/// have arrived and all of them have been served.
///
/// Every customer is one arrival and one departure, so `events == 2 * n_requests` and
/// `completed == n_requests` always; the waiting figures follow Erlang C when `lambda < c mu`.
pub fn bare_heap_mmc(lambda: f64, mu: f64, c: u32, n_requests: u64, seed: u64) -> BareStats {
    assert!(
        lambda > 0.0 && mu > 0.0 && c > 0,
        "bare_heap_mmc needs lambda > 0, mu > 0, c > 0"
    );
    let streams = RngStreams::new(seed);
    let mut arrival_rng = streams.stream("bare/arrivals");
    let mut service_rng = streams.stream("bare/service");
    let gap_us = 1e6 / lambda;
    let service_us = 1e6 / mu;

    // Entries are ((time, seq), kind); `Reverse` turns std's max-heap into a min-heap on
    // (time, seq), the same order fleetsim's event queue guarantees.
    let mut heap: BinaryHeap<Reverse<((u64, u64), Kind)>> = BinaryHeap::with_capacity(c as usize + 2);
    let mut seq: u64 = 0;
    let mut waiting: VecDeque<u64> = VecDeque::new();
    let mut busy: u32 = 0;
    let mut s = BareStats::default();

    if n_requests > 0 {
        heap.push(Reverse(((exp_us(&mut arrival_rng, gap_us), seq), Kind::Arrival)));
        seq += 1;
    }
    while let Some(Reverse(((now, _), kind))) = heap.pop() {
        s.events += 1;
        s.end_us = now;
        match kind {
            Kind::Arrival => {
                s.arrived += 1;
                if s.arrived < n_requests {
                    let next = now + exp_us(&mut arrival_rng, gap_us);
                    heap.push(Reverse(((next, seq), Kind::Arrival)));
                    seq += 1;
                }
                if busy < c {
                    busy += 1;
                    let done = now + exp_us(&mut service_rng, service_us);
                    heap.push(Reverse(((done, seq), Kind::Departure)));
                    seq += 1;
                } else {
                    waiting.push_back(now);
                    s.waited += 1;
                    s.max_queue = s.max_queue.max(waiting.len() as u64);
                }
            }
            Kind::Departure => {
                s.completed += 1;
                // The freed server goes straight to the oldest waiting customer, if any.
                if let Some(arrived_at) = waiting.pop_front() {
                    s.wait_sum_us += now - arrived_at;
                    let done = now + exp_us(&mut service_rng, service_us);
                    heap.push(Reverse(((done, seq), Kind::Departure)));
                    seq += 1;
                } else {
                    busy -= 1;
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Erlang C mean wait `W_q` of an M/M/c queue [s].
    fn erlang_c_wait(lambda: f64, mu: f64, c: u32) -> f64 {
        let a = lambda / mu;
        let rho = a / f64::from(c);
        // Sum of a^k / k! for k < c, and a^c / c!, built term by term to stay finite.
        let mut term = 1.0;
        let mut sum = 0.0;
        for k in 0..c {
            sum += term;
            term *= a / f64::from(k + 1);
        }
        let top = term / (1.0 - rho);
        let p_wait = top / (sum + top);
        p_wait / (f64::from(c) * mu - lambda)
    }

    #[test]
    fn every_customer_arrives_once_and_leaves_once() {
        let s = bare_heap_mmc(500.0, 1.0 / 0.0447, 36, 100_000, 1);
        assert_eq!(s.arrived, 100_000);
        assert_eq!(s.completed, 100_000);
        assert_eq!(s.events, 200_000);
        assert!(s.waited > 0 && s.waited < s.arrived);
        // 100,000 arrivals at 500/s take ~200 s of simulated time.
        assert!((s.end_us as f64 / 200e6 - 1.0).abs() < 0.02, "{}", s.end_us);
    }

    #[test]
    fn zero_requests_is_an_empty_run() {
        assert_eq!(bare_heap_mmc(1.0, 1.0, 1, 0, 1), BareStats::default());
    }

    #[test]
    fn same_seed_same_counts() {
        assert_eq!(
            bare_heap_mmc(80.0, 10.0, 10, 20_000, 5),
            bare_heap_mmc(80.0, 10.0, 10, 20_000, 5)
        );
    }

    #[test]
    fn mean_wait_matches_erlang_c() {
        // rho = 0.8 on 10 servers: P(wait) ~ 0.409, W_q ~ 0.205 s. With 400k customers the estimate's relative
        // error is a few percent (waits are strongly autocorrelated at this load); 10 % is safe.
        let (lambda, mu, c) = (8.0, 1.0, 10);
        let s = bare_heap_mmc(lambda, mu, c, 400_000, 2);
        let want = erlang_c_wait(lambda, mu, c);
        let got = s.mean_wait_s();
        assert!((got / want - 1.0).abs() < 0.10, "W_q {got} vs Erlang C {want}");
    }
}
