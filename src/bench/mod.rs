//! Benchmarks: a reference scenario and a bare binary-heap baseline, measured in the same run.
//!
//! [`run_bench`] times fleetsim on [`reference_config`] and then [`bare_heap_mmc`] on the same
//! number of requests at the same arrival rate, service rate and slot count, so the ratio of
//! their event rates says what fleetsim's model, metrics and dispatch cost on top of the least
//! work an M/M/c simulation must do. Wall-clock time is read here and only here: benchmark
//! figures go to the terminal, never into simulation output. What the platform reports about
//! the process (a thread's CPU time, the peak resident set) comes in as [`Probes`] from the
//! caller: [`process_probes`] reads them from `/proc`, tests pass fakes.

mod baseline;
mod process;
mod reference;

pub use baseline::{bare_heap_mmc, BareStats};
pub use process::{peak_rss_kib, process_probes, thread_cpu_s};
pub use reference::{
    reference_config, reference_config_loaded, reference_config_with, reference_deployment, reference_instances,
    reference_service_time, reference_target, reference_target_value, reference_users, Controllers, Load,
    REFERENCE_CONCURRENCY, REFERENCE_ROUND_TRIP, TARGET_TRACKING_LOAD, TARGET_UTILISATION,
};

use crate::sim::{run, RunResult};
use std::fmt;
use std::time::Instant;

/// The design target: simulated requests per second on one core (design.md, "Performance
/// budget").
pub const TARGET_REQUESTS_PER_SEC: f64 = 5_000_000.0;

/// One timed run: how much was simulated and how long it took.
///
/// Wall-clock rates are what a user waits for; on a shared machine they also count the time the
/// thread spent waiting for a CPU. The CPU-time rates (this thread's time on a CPU, from
/// [`Probes::thread_cpu_s`]) leave that out, so they are the per-core figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measurement {
    /// Simulated requests (arrivals).
    pub requests: u64,
    /// Events processed.
    pub events: u64,
    /// Wall-clock time of the run \[s\].
    pub wall_s: f64,
    /// `requests / wall_s`.
    pub requests_per_s: f64,
    /// `events / wall_s`.
    pub events_per_s: f64,
    /// CPU time of the measuring thread during the run \[s\], where the platform reports it.
    pub cpu_s: Option<f64>,
    /// `requests / cpu_s`.
    pub requests_per_cpu_s: Option<f64>,
    /// `events / cpu_s`.
    pub events_per_cpu_s: Option<f64>,
}

impl Measurement {
    /// A measurement from counts and elapsed times; rates are zero for a zero-length run.
    pub fn new(requests: u64, events: u64, wall_s: f64, cpu_s: Option<f64>) -> Self {
        let per = |n: u64, secs: f64| if secs > 0.0 { n as f64 / secs } else { 0.0 };
        Measurement {
            requests,
            events,
            wall_s,
            requests_per_s: per(requests, wall_s),
            events_per_s: per(events, wall_s),
            cpu_s,
            requests_per_cpu_s: cpu_s.map(|c| per(requests, c)),
            events_per_cpu_s: cpu_s.map(|c| per(events, c)),
        }
    }

    /// Requests per second of CPU time where known, else per second of wall-clock time.
    pub fn requests_per_core_s(&self) -> f64 {
        self.requests_per_cpu_s.unwrap_or(self.requests_per_s)
    }
}

/// Result of [`run_bench`].
#[derive(Clone, Debug, PartialEq)]
pub struct BenchReport {
    /// Request rate of the reference scenario [requests per second].
    pub rps: f64,
    /// Simulated duration \[s\].
    pub duration_s: u64,
    pub seed: u64,
    /// The controllers the reference scenario ran.
    pub controllers: Controllers,
    /// Open-loop arrivals or closed-loop users.
    pub load: Load,
    /// Instances of the reference scenario (times [`REFERENCE_CONCURRENCY`] slots each).
    pub instances: u32,
    /// fleetsim on the reference scenario (config construction excluded, result building
    /// included): the median repetition by requests per core-second (the lower of the two
    /// middle ones for an even count).
    pub fleetsim: Measurement,
    /// The bare heap loop on the same number of requests: its median repetition.
    pub bare: Measurement,
    /// Every repetition in order: fleetsim, then the bare loop right after it.
    pub runs: Vec<(Measurement, Measurement)>,
    /// `fleetsim.events_per_s / bare.events_per_s` (wall-clock).
    pub ratio: f64,
    /// The same ratio over CPU time, where known; steadier than `ratio` on a busy machine.
    pub cpu_ratio: Option<f64>,
    /// Peak resident set of the process when the report was made \[KiB\], if known.
    pub peak_rss_kib: Option<u64>,
}

impl BenchReport {
    /// Whether fleetsim met [`TARGET_REQUESTS_PER_SEC`] per core (CPU time where known) in its
    /// median repetition.
    pub fn meets_target(&self) -> bool {
        self.fleetsim.requests_per_core_s() >= TARGET_REQUESTS_PER_SEC
    }

    /// Lowest and highest of `f` over the repetitions.
    fn range(&self, f: impl Fn(&(Measurement, Measurement)) -> f64) -> (f64, f64) {
        self.runs
            .iter()
            .map(f)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)))
    }
}

/// `a / b`, or 0 when `b` is not positive (a zero-length run).
fn ratio_of(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// The median of `runs` by requests per core-second: the lower middle one for an even count, so
/// an even number of repetitions never reports better than half of them.
fn median(runs: &[Measurement]) -> Measurement {
    let mut sorted = runs.to_vec();
    sorted.sort_by(|a, b| a.requests_per_core_s().total_cmp(&b.requests_per_core_s()));
    sorted[(sorted.len() - 1) / 2]
}

/// What the platform reports about this process, read by the caller: the CPU time the calling
/// thread has run so far \[s\], and the process's peak resident set \[KiB\]; `None` where the
/// platform does not say.
#[derive(Clone, Copy, Debug)]
pub struct Probes {
    pub thread_cpu_s: fn() -> Option<f64>,
    pub peak_rss_kib: fn() -> Option<u64>,
}

impl Probes {
    /// No probe: wall-clock figures only, peak RSS unknown.
    pub const NONE: Probes = Probes {
        thread_cpu_s: || None,
        peak_rss_kib: || None,
    };
}

/// Runs `f` and returns its output with the wall-clock and thread CPU time it took [s].
fn timed<T>(f: impl FnOnce() -> T, probes: Probes) -> (T, f64, Option<f64>) {
    let cpu0 = (probes.thread_cpu_s)();
    let t0 = Instant::now();
    let out = f();
    let wall = t0.elapsed().as_secs_f64();
    let cpu = (probes.thread_cpu_s)().zip(cpu0).map(|(b, a)| (b - a).max(0.0));
    (out, wall, cpu)
}

/// Times fleetsim on the reference scenario and returns the measurement with the run's result.
pub fn time_reference(rps: f64, duration_s: u64, seed: u64, probes: Probes) -> (Measurement, RunResult) {
    time_reference_with(rps, duration_s, seed, Controllers::Full, Load::Open, probes)
}

/// [`time_reference`] with only the given controllers, under the given load.
pub fn time_reference_with(
    rps: f64,
    duration_s: u64,
    seed: u64,
    controllers: Controllers,
    load: Load,
    probes: Probes,
) -> (Measurement, RunResult) {
    let config = reference_config_loaded(rps, duration_s, seed, controllers, load);
    let (result, wall, cpu) = timed(|| run(config), probes);
    (
        Measurement::new(result.totals.arrived, result.events, wall, cpu),
        result,
    )
}

/// Times the bare loop on `n_requests` customers at the reference scenario's rates and slots.
pub fn time_baseline(rps: f64, n_requests: u64, seed: u64, probes: Probes) -> (Measurement, BareStats) {
    let mu = 1e6 / reference_service_time().mean_micros();
    let c = reference_instances(rps) * REFERENCE_CONCURRENCY;
    let (stats, wall, cpu) = timed(|| bare_heap_mmc(rps, mu, c, n_requests, seed), probes);
    (Measurement::new(stats.arrived, stats.events, wall, cpu), stats)
}

/// Runs the reference scenario and the bare loop on the same number of requests, one after the
/// other in this thread, and reports both.
pub fn run_bench(rps: f64, duration_s: u64, seed: u64, probes: Probes) -> BenchReport {
    run_bench_with(rps, duration_s, seed, Controllers::Full, probes)
}

/// [`run_bench`] with only the given controllers in the reference scenario.
pub fn run_bench_with(rps: f64, duration_s: u64, seed: u64, controllers: Controllers, probes: Probes) -> BenchReport {
    run_bench_repeated(rps, duration_s, seed, controllers, Load::Open, 1, probes)
}

/// [`run_bench_with`] `repeat` times (at least once), each fleetsim run followed by its bare
/// loop, and reports the median of each. Interleaving them means a slow spell of a shared
/// machine slows both sides of a pair, and the median discards the odd repetition it slowed
/// more than the others.
pub fn run_bench_repeated(
    rps: f64,
    duration_s: u64,
    seed: u64,
    controllers: Controllers,
    load: Load,
    repeat: usize,
    probes: Probes,
) -> BenchReport {
    let runs: Vec<(Measurement, Measurement)> = (0..repeat.max(1))
        .map(|_| {
            let (fleetsim, result) = time_reference_with(rps, duration_s, seed, controllers, load, probes);
            // Dropped before the baseline runs, so the baseline does not pay for freeing it.
            drop(result);
            let (bare, _) = time_baseline(rps, fleetsim.requests, seed, probes);
            (fleetsim, bare)
        })
        .collect();
    let fleetsim = median(&runs.iter().map(|r| r.0).collect::<Vec<_>>());
    let bare = median(&runs.iter().map(|r| r.1).collect::<Vec<_>>());
    BenchReport {
        rps,
        duration_s,
        seed,
        controllers,
        load,
        instances: reference_instances(rps),
        fleetsim,
        bare,
        runs,
        ratio: ratio_of(fleetsim.events_per_s, bare.events_per_s),
        cpu_ratio: fleetsim
            .events_per_cpu_s
            .zip(bare.events_per_cpu_s)
            .map(|(a, b)| ratio_of(a, b)),
        peak_rss_kib: (probes.peak_rss_kib)(),
    }
}

/// `12_345_678.9` as `12.35 M`, for rates that span several orders of magnitude.
fn si(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2} M", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.1} k", x / 1e3)
    } else {
        format!("{x:.0} ")
    }
}

impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slots = u64::from(self.instances) * u64::from(REFERENCE_CONCURRENCY);
        writeln!(
            f,
            "reference scenario: {} rps for {} s simulated, {} x ml.c5.xlarge ({} slots), seed {}",
            self.rps, self.duration_s, self.instances, slots, self.seed
        )?;
        let deployment = reference_deployment(self.rps, self.duration_s);
        let autoscaling = format!(
            "autoscaling on (target tracking, InvocationsPerInstance target {:.0}/min)",
            reference_target_value(self.rps)
        );
        let rollout = format!(
            "rollout on (LINEAR 10 %, {} s bakes, from {} s)",
            deployment.policy_wait_s(),
            deployment.at.0 / 1_000_000
        );
        if self.load == Load::Users {
            writeln!(
                f,
                "load: {} closed-loop users, no think time, 1 ms round trip (about {} requests/s)",
                reference_users(self.rps),
                self.rps
            )?;
        }
        match self.controllers {
            Controllers::Full => writeln!(f, "metrics on; {autoscaling}; {rollout}")?,
            Controllers::Autoscaling => writeln!(f, "metrics on; {autoscaling}; rollout off")?,
            Controllers::None => writeln!(f, "metrics on; autoscaling off; rollout off")?,
        }
        if self.runs.len() > 1 {
            writeln!(
                f,
                "median of {} repetitions (fleetsim and bare loop interleaved):",
                self.runs.len()
            )?;
        }
        writeln!(
            f,
            "{:<10} {:>10} {:>10} {:>8} {:>8} {:>11} {:>11} {:>11} {:>11}",
            "", "requests", "events", "wall s", "cpu s", "requests/s", "events/s", "req/cpu-s", "ev/cpu-s"
        )?;
        let dash = || "-".to_string();
        for (name, m) in [("fleetsim", &self.fleetsim), ("bare heap", &self.bare)] {
            writeln!(
                f,
                "{:<10} {:>10} {:>10} {:>8.3} {:>8} {:>11} {:>11} {:>11} {:>11}",
                name,
                m.requests,
                m.events,
                m.wall_s,
                m.cpu_s.map_or_else(dash, |c| format!("{c:.3}")),
                si(m.requests_per_s),
                si(m.events_per_s),
                m.requests_per_cpu_s.map_or_else(dash, si),
                m.events_per_cpu_s.map_or_else(dash, si),
            )?;
        }
        write!(f, "ratio fleetsim/bare events/s: {:.3} (wall)", self.ratio)?;
        match self.cpu_ratio {
            Some(r) => writeln!(f, ", {r:.3} (cpu)")?,
            None => writeln!(f)?,
        }
        if self.runs.len() > 1 {
            let (flo, fhi) = self.range(|r| r.0.requests_per_core_s());
            let (blo, bhi) = self.range(|r| r.1.requests_per_core_s());
            let (rlo, rhi) = self.range(|r| ratio_of(r.0.requests_per_core_s(), r.1.requests_per_core_s()));
            writeln!(
                f,
                "range over repetitions: fleetsim {} to {} requests per core-second, bare {} to {}, ratio {rlo:.3} to {rhi:.3}",
                si(flo).trim_end(),
                si(fhi).trim_end(),
                si(blo).trim_end(),
                si(bhi).trim_end(),
            )?;
        }
        writeln!(
            f,
            "target {} requests/s per core: {} ({} per {}{})",
            si(TARGET_REQUESTS_PER_SEC).trim_end(),
            if self.meets_target() { "met" } else { "NOT met" },
            si(self.fleetsim.requests_per_core_s()).trim_end(),
            if self.fleetsim.requests_per_cpu_s.is_some() {
                "CPU second"
            } else {
                "wall-clock second"
            },
            if self.runs.len() > 1 { ", median" } else { "" }
        )?;
        match self.peak_rss_kib {
            Some(k) => write!(f, "peak RSS: {:.1} MiB", k as f64 / 1024.0),
            None => write!(f, "peak RSS: unknown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closed_loop_reference_sends_about_the_open_loop_rate() {
        // 23 users, each a ~44.7 ms call plus a 1 ms round trip: about 500 requests per second.
        assert_eq!(reference_users(500.0), 23);
        let r = run_bench_repeated(500.0, 600, 1, Controllers::Full, Load::Users, 1, Probes::NONE);
        let rate = r.fleetsim.requests as f64 / 600.0;
        // Sized on the mean service time; the loop slows by whatever waiting the run has (the
        // rollout's fleets, routing), so it sends a little under 500 (482 measured).
        assert!((rate / 500.0 - 1.0).abs() < 0.06, "{rate} requests/s");
        assert!(r.to_string().contains("23 closed-loop users"), "{r}");
    }

    #[test]
    fn bench_counts_agree_between_fleetsim_and_baseline() {
        let r = run_bench(500.0, 30, 1, Probes::NONE);
        assert_eq!(r.instances, 9);
        assert_eq!(r.bare.requests, r.fleetsim.requests);
        assert_eq!(r.bare.events, 2 * r.fleetsim.requests);
        // Every arrival is an event; completions, ticks and the end add more.
        assert!(r.fleetsim.events > r.fleetsim.requests);
        assert!(r.fleetsim.wall_s >= 0.0 && r.bare.wall_s >= 0.0);
        let text = r.to_string();
        assert!(
            text.contains("fleetsim") && text.contains("bare heap") && text.contains("ratio"),
            "{text}"
        );
    }

    #[test]
    fn repetitions_report_the_median_and_the_range() {
        let r = run_bench_repeated(500.0, 10, 1, Controllers::None, Load::Open, 3, Probes::NONE);
        assert_eq!(r.runs.len(), 3);
        // Every repetition simulates the same run.
        assert!(r
            .runs
            .iter()
            .all(|(f, b)| f.requests == r.fleetsim.requests && b.requests == f.requests));
        let rates: Vec<f64> = r.runs.iter().map(|p| p.0.requests_per_core_s()).collect();
        let below = rates.iter().filter(|&&x| x < r.fleetsim.requests_per_core_s()).count();
        let above = rates.iter().filter(|&&x| x > r.fleetsim.requests_per_core_s()).count();
        assert!(below <= 1 && above <= 1, "{rates:?} vs {:?}", r.fleetsim);
        let text = r.to_string();
        assert!(
            text.contains("median of 3 repetitions") && text.contains("range over repetitions"),
            "{text}"
        );
        // Zero repetitions means one.
        assert_eq!(
            run_bench_repeated(500.0, 5, 1, Controllers::None, Load::Open, 0, Probes::NONE)
                .runs
                .len(),
            1
        );
    }

    #[test]
    fn median_is_the_lower_middle() {
        let m = |cpu: f64| Measurement::new(100, 200, 1.0, Some(cpu));
        // 100 requests in 4, 1, 2 and 3 CPU seconds: rates 25, 100, 50, 33.3.
        let runs = [m(4.0), m(1.0), m(2.0), m(3.0)];
        assert_eq!(median(&runs).cpu_s, Some(3.0));
        assert_eq!(median(&runs[..3]).cpu_s, Some(2.0));
        assert_eq!(median(&runs[..1]).cpu_s, Some(4.0));
    }

    #[test]
    fn measurement_rates() {
        let m = Measurement::new(10, 20, 2.0, Some(1.0));
        assert_eq!((m.requests_per_s, m.events_per_s), (5.0, 10.0));
        assert_eq!((m.requests_per_cpu_s, m.events_per_cpu_s), (Some(10.0), Some(20.0)));
        assert_eq!(m.requests_per_core_s(), 10.0);
        let z = Measurement::new(10, 20, 0.0, None);
        assert_eq!(
            (z.events_per_s, z.events_per_cpu_s, z.requests_per_core_s()),
            (0.0, None, 0.0)
        );
    }

    #[test]
    fn probes_supply_cpu_time_and_peak_rss() {
        let probes = Probes {
            thread_cpu_s: || Some(2.5),
            peak_rss_kib: || Some(4321),
        };
        let r = run_bench_repeated(500.0, 5, 1, Controllers::None, Load::Open, 1, probes);
        assert_eq!((r.fleetsim.cpu_s, r.bare.cpu_s), (Some(0.0), Some(0.0)));
        assert_eq!(r.peak_rss_kib, Some(4321));
        assert!(r.to_string().contains("peak RSS: 4.2 MiB"), "{r}");
        let none = run_bench_repeated(500.0, 5, 1, Controllers::None, Load::Open, 1, Probes::NONE);
        assert_eq!((none.fleetsim.cpu_s, none.peak_rss_kib), (None, None));
    }
}
