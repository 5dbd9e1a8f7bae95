//! Runs a simulation in slices of simulated time so a progress bar can follow it. The bar
//! appears only when stderr is a terminal and the run has taken more than about a second;
//! slicing never changes results (events keep their `(time, seq)` order).

use crate::engine::SimTime;
use crate::sim::{RunResult, SimConfig, World};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Runs `config` to the end, showing progress when useful.
pub fn run_with_progress(config: SimConfig, quiet: bool) -> RunResult {
    let end = config.duration.0;
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
                    "{spinner} simulating [{bar:40}] {percent:>3}%  {elapsed} elapsed, ~{eta} left",
                )
                .expect("static template")
                .progress_chars("=> "),
            );
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
