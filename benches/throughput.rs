//! Throughput benchmark: fleetsim on the reference scenario against a bare binary-heap M/M/c loop.
//!
//! `cargo bench --profile max --bench throughput` (the fastest build; plain `cargo bench` times
//! the default release build) runs every case (500 rps for 1 h and for 24 h of simulated
//! time by default, under open-loop arrivals and then under closed-loop users, the reference for
//! what a load test's request costs), each in a child process of its own, because peak RSS
//! (`VmHWM`) is a per-process high-water mark: measured in one process, the 24 h figure would
//! hide the 1 h one.
//!
//! Environment:
//! - `FLEETSIM_BENCH_RPS`: request rate (default 500).
//! - `FLEETSIM_BENCH_DURATIONS`: comma-separated simulated durations (default `1h,24h`).
//! - `FLEETSIM_BENCH_LOADS`: comma-separated loads, `open` and `users` (default `open,users`).
//! - `FLEETSIM_BENCH_SEED`: run seed (default 1).
//! - `FLEETSIM_BENCH_CASE`: one duration; run it in this process under the one load
//!   `FLEETSIM_BENCH_LOADS` names (default `open`) (set by the parent for its children; set it
//!   by hand to run a single case).
//! - `FLEETSIM_BENCH_ONLY`: with `FLEETSIM_BENCH_CASE`, time only `fleetsim` or only `bare`, so
//!   `perf stat` / `perf record` around the process see one of them alone.

use fleetsim::bench::{peak_rss_kib, process_probes};
use fleetsim::bench::{run_bench_repeated, time_baseline, time_reference_with, Controllers, Load, Measurement};
use fleetsim::scenario::duration::parse_duration;
use std::process::{Command, ExitCode};

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

/// A duration such as `1h` or `86400s`, in whole simulated seconds.
fn duration_secs(text: &str) -> Result<u64, String> {
    let d = parse_duration(text.trim()).map_err(|e| format!("duration {text:?}: {e}"))?;
    let secs = d.micros() / 1_000_000;
    if secs == 0 {
        return Err(format!("duration {text:?}: must be at least 1s"));
    }
    Ok(secs)
}

/// One line for a part timed alone.
fn print_part(name: &str, m: &Measurement) {
    let cpu = m
        .requests_per_cpu_s
        .map_or_else(|| "-".to_string(), |r| format!("{:.2} M", r / 1e6));
    println!(
        "{name}: {} requests, {} events, {:.3} s wall, {:.2} M requests/s, {cpu} requests/cpu-s, peak RSS {}",
        m.requests,
        m.events,
        m.wall_s,
        m.requests_per_s / 1e6,
        peak_rss_kib().map_or_else(|| "unknown".to_string(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
    );
}

/// A load's name in `FLEETSIM_BENCH_LOADS`.
fn load_of(name: &str) -> Result<Load, String> {
    match name.trim() {
        "open" => Ok(Load::Open),
        "users" => Ok(Load::Users),
        other => Err(format!("load {other:?}: expected open or users")),
    }
}

fn run_case(rps: f64, case: &str, load: Load, seed: u64) -> Result<(), String> {
    let secs = duration_secs(case)?;
    match std::env::var("FLEETSIM_BENCH_ONLY").as_deref() {
        Err(_) => {}
        Ok("fleetsim") => {
            let (m, _) = time_reference_with(rps, secs, seed, Controllers::Full, load, process_probes());
            print_part("fleetsim", &m);
            return Ok(());
        }
        Ok("bare") => {
            // The reference's expected request count: close to what fleetsim would simulate.
            let n = (rps * secs as f64).round() as u64;
            print_part("bare heap", &time_baseline(rps, n, seed, process_probes()).0);
            return Ok(());
        }
        Ok(other) => return Err(format!("FLEETSIM_BENCH_ONLY={other:?}: expected fleetsim or bare")),
    }
    println!("== {rps} rps x {case}, {load:?} load ==");
    let report = run_bench_repeated(rps, secs, seed, Controllers::Full, load, 1, process_probes());
    println!("{report}");
    println!();
    Ok(())
}

fn main() -> ExitCode {
    let rps: f64 = match env_or("FLEETSIM_BENCH_RPS", "500").parse() {
        Ok(r) if r > 0.0 && f64::is_finite(r) => r,
        _ => {
            eprintln!("FLEETSIM_BENCH_RPS must be a rate > 0");
            return ExitCode::FAILURE;
        }
    };
    let Ok(seed) = env_or("FLEETSIM_BENCH_SEED", "1").parse::<u64>() else {
        eprintln!("FLEETSIM_BENCH_SEED must be an unsigned integer");
        return ExitCode::FAILURE;
    };

    if let Ok(case) = std::env::var("FLEETSIM_BENCH_CASE") {
        let load = match load_of(&env_or("FLEETSIM_BENCH_LOADS", "open")) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("FLEETSIM_BENCH_LOADS: {e} (a single case takes one load)");
                return ExitCode::FAILURE;
            }
        };
        return match run_case(rps, &case, load, seed) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }

    // `cargo bench` passes `--bench` (and any filter); this harness has no options, so they are
    // ignored rather than rejected.
    let exe = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot find this executable to run the cases: {e}");
            return ExitCode::FAILURE;
        }
    };
    let loads = env_or("FLEETSIM_BENCH_LOADS", "open,users");
    for load in loads.split(',') {
        if let Err(e) = load_of(load) {
            eprintln!("FLEETSIM_BENCH_LOADS: {e}");
            return ExitCode::FAILURE;
        }
        for case in env_or("FLEETSIM_BENCH_DURATIONS", "1h,24h").split(',') {
            let status = Command::new(&exe)
                .env("FLEETSIM_BENCH_CASE", case.trim())
                .env("FLEETSIM_BENCH_LOADS", load.trim())
                .status();
            match status {
                Ok(s) if s.success() => {}
                Ok(s) => {
                    eprintln!("case {case} ({load}): {s}");
                    return ExitCode::FAILURE;
                }
                Err(e) => {
                    eprintln!("case {case} ({load}): cannot start: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    ExitCode::SUCCESS
}
