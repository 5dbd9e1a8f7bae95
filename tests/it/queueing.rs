//! Statistical checks against queueing theory. Each test states its tolerance and why.

use crate::common::mmc;
use fleetsim::engine::SimDuration;
use fleetsim::model::DurationDist;
use fleetsim::sim::run;

#[test]
fn smoke() {
    let r = run(mmc(90.0, DurationDist::Exponential { mean: SimDuration::from_millis(100) }, 10, 1, 3600, 1));
    let t = &r.totals;
    eprintln!("arrived {} completed {} waited {} wait_sum {} events {}", t.arrived, t.completed, t.waited, t.wait_sum_us, r.events);
    eprintln!("p_wait {} mean wait ms {}", t.waited as f64 / t.served as f64, t.wait_sum_us as f64 / t.served as f64 / 1000.0);
}
