//! Runs a simulation in slices of simulated time so a progress bar can follow it. The bar
//! appears only when stderr is a terminal and the run has taken more than about a second;
//! slicing never changes results (events keep their `(time, seq)` order).

use crate::engine::SimTime;
use crate::sim::{RunResult, SimConfig, World};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Runs at or above this many expected requests (several seconds of simulation) say their
/// size before they start.
const LARGE_RUN: f64 = 1e7;

/// A request count for people: `1.2 million`, `3.4 billion`, or the number itself.
pub fn about(n: f64) -> String {
    match n {
        n if n >= 1e9 => format!("{:.1} billion", n / 1e9),
        n if n >= 1e6 => format!("{:.1} million", n / 1e6),
        n => format!("{}", n.round() as u64),
    }
}

/// Runs `config` to the end, showing progress when useful. A large run says up front how many
/// requests it expects, and the progress bar repeats it.
pub fn run_with_progress(config: SimConfig, quiet: bool) -> RunResult {
    let end = config.duration.0;
    let expected = config.workload.expected_requests(config.duration);
    if !quiet && expected >= LARGE_RUN {
        eprintln!(
            "simulating {} of traffic: about {} requests expected",
            config.duration,
            about(expected)
        );
    }
    let mut world = World::new(config);
    let show = !quiet && std::io::stderr().is_terminal();
    let started = Instant::now();
    let slices = 200u64;
    let mut bar: Option<ProgressBar> = None;
    for k in 1..=slices {
        let until = SimTime(end / slices * k);
        if world.run_until(until) {
            break;
        }
        if show && bar.is_none() && started.elapsed() > Duration::from_secs(1) {
            let b = ProgressBar::new(slices);
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} simulating {msg} [{bar:40}] {percent:>3}%  {elapsed} elapsed, ~{eta} left",
                )
                .expect("static template")
                .progress_chars("=> "),
            );
            b.set_message(format!("~{} requests", about(expected)));
            bar = Some(b);
        }
        if let Some(b) = &bar {
            b.set_position(k);
        }
    }
    world.run_until(SimTime::MAX);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    world.into_result()
}
