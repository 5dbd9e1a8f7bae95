//! `fleetsim bench`: the reference benchmark, printed as a table.

use crate::scenario::duration::parse_duration;
use anyhow::anyhow;

/// Highest `--rps`: the reference fleet is sized to the rate (about 55 instances per 3000
/// requests per second), so the rate bounds the fleet the run holds.
pub const MAX_RPS: f64 = 1e6;

/// Longest `--duration` \[s\]: 30 days. The run keeps a metric period per minute.
pub const MAX_DURATION_S: u64 = 30 * 86_400;

/// Most requests one repetition may simulate (`rps x duration`): about half an hour of
/// simulation at the design's 5 million requests per second.
pub const MAX_REQUESTS: f64 = 1e10;

/// `--rps`: a rate from 1 to [`MAX_RPS`] requests per second.
pub fn parse_rps(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if (1.0..=MAX_RPS).contains(&x) => Ok(x),
        _ => Err(format!("expected requests per second: a number from 1 to {MAX_RPS}")),
    }
}

pub fn bench(
    rps: f64,
    duration: &str,
    seed: u64,
    controllers: crate::bench::Controllers,
    load: crate::bench::Load,
    repeat: u32,
) -> anyhow::Result<()> {
    // Clap checked `rps` with `parse_rps`; checked again for any other caller.
    if !(1.0..=MAX_RPS).contains(&rps) {
        return Err(anyhow!(
            "--rps {rps}: expected requests per second: a number from 1 to {MAX_RPS}"
        ));
    }
    let shown = crate::sweep::error::shorten(duration);
    let d = parse_duration(duration).map_err(|e| anyhow!("--duration {shown}: {e}"))?;
    let secs = d.0 / 1_000_000;
    if !(1..=MAX_DURATION_S).contains(&secs) {
        return Err(anyhow!(
            "--duration {shown}: expected a simulated duration from 1s to 30d"
        ));
    }
    // Checked before anything is built: the reference fleet and the runs scale with these.
    let requests = rps * secs as f64;
    if requests > MAX_REQUESTS {
        return Err(anyhow!(
            "--rps {rps} x --duration {shown} = {requests:e} requests; allowed: at most {MAX_REQUESTS:e} (a lower rate or a shorter duration)"
        ));
    }
    let users = crate::bench::reference_users(rps);
    if load == crate::bench::Load::Users && u64::from(users) > crate::scenario::limits::MAX_USERS {
        return Err(anyhow!(
            "--rps {rps} with --load users takes {users} users; allowed: at most {} (a lower rate)",
            crate::scenario::limits::MAX_USERS
        ));
    }
    let report = crate::bench::run_bench_repeated(
        rps,
        secs,
        seed,
        controllers,
        load,
        repeat as usize,
        crate::bench::process_probes(),
    );
    println!("{report}");
    Ok(())
}
