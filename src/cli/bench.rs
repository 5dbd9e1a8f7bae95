//! `fleetsim bench`: the reference benchmark, printed as a table.

use crate::scenario::duration::parse_duration;
use anyhow::anyhow;

pub fn bench(
    rps: f64,
    duration: &str,
    seed: u64,
    controllers: crate::bench::Controllers,
    repeat: u32,
) -> anyhow::Result<()> {
    if !(rps.is_finite() && rps > 0.0) {
        return Err(anyhow!("--rps {rps}: must be a rate > 0 requests per second"));
    }
    let d = parse_duration(duration).map_err(|e| anyhow!("--duration {duration}: {e}"))?;
    if d.0 < 1_000_000 {
        return Err(anyhow!("--duration {duration}: must be at least 1s"));
    }
    let report = crate::bench::run_bench_repeated(rps, d.0 / 1_000_000, seed, controllers, repeat as usize);
    println!("{report}");
    Ok(())
}
