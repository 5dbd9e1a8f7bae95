//! Runs a simulation in slices of simulated time so a progress bar can follow it. The bar
//! appears only when stderr is a terminal and the run has taken more than about a second;
//! slicing never changes results (events keep their `(time, seq)` order). Its elapsed time
//! counts from the start of the run, not from when the bar appears.

use crate::engine::SimTime;
use crate::sim::{RunResult, SimConfig, World};
use indicatif::{ProgressBar, ProgressState, ProgressStyle};
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

/// A rate for people, three significant digits with an SI prefix: `950 req/s`, `12.3 k req/s`,
/// `1.23 M req/s`; below 10, two decimals (`0.25 runs/s`). Not finite: `-`.
pub fn rate(per_s: f64, unit: &str) -> String {
    if !per_s.is_finite() || per_s < 0.0 {
        return format!("- {unit}");
    }
    let (value, prefix) = match per_s {
        x if x >= 999.5e9 => (x / 1e12, "T "),
        x if x >= 999.5e6 => (x / 1e9, "G "),
        x if x >= 999.5e3 => (x / 1e6, "M "),
        x if x >= 999.5 => (x / 1e3, "k "),
        x => (x, ""),
    };
    // Three significant digits, except that a plain number under 10 keeps two decimals.
    let decimals = match value {
        v if v >= 99.95 => 0,
        v if v >= 9.995 => 1,
        _ => 2,
    };
    let decimals = if prefix.is_empty() || decimals < 2 { decimals } else { 2 };
    format!("{value:.decimals$} {prefix}{unit}")
}

/// A progress bar style's `{rate}`: `per_s(state)` formatted by [`rate`].
pub fn with_rate(
    style: ProgressStyle,
    unit: &'static str,
    per_s: impl Fn(&ProgressState) -> f64 + Clone + Send + Sync + 'static,
) -> ProgressStyle {
    style.with_key("rate", move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = w.write_str(&rate(per_s(state), unit));
    })
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
    // The work starts here: building the world is part of the run the bar times.
    let started = Instant::now();
    let mut world = World::new(config);
    let show = !quiet && std::io::stderr().is_terminal();
    let slices = 200u64;
    let mut bar: Option<ProgressBar> = None;
    for k in 1..=slices {
        let until = SimTime(end / slices * k);
        if world.run_until(until) {
            break;
        }
        if show && bar.is_none() && started.elapsed() > Duration::from_secs(1) {
            // Shown once the run is a second old: its clock starts at the run's start.
            let b = ProgressBar::new(slices).with_elapsed(started.elapsed());
            let style = ProgressStyle::with_template(
                "{spinner} simulating {msg} [{bar:40}] {percent:>3}%  {elapsed} elapsed, ~{rate}, ~{eta} left",
            )
            .expect("static template")
            .progress_chars("=> ");
            // Requests simulated so far, estimated from the share of simulated time done.
            b.set_style(with_rate(style, "req/s", move |s| {
                expected * s.fraction() as f64 / s.elapsed().as_secs_f64().max(1e-9)
            }));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_have_three_significant_digits_and_a_prefix() {
        for (x, text) in [
            (0.0, "0.00 req/s"),
            (0.254, "0.25 req/s"),
            (9.99, "9.99 req/s"),
            (12.345, "12.3 req/s"),
            (950.0, "950 req/s"),
            (999.4, "999 req/s"),
            (999.6, "1.00 k req/s"),
            (12_345.6, "12.3 k req/s"),
            (123_456.0, "123 k req/s"),
            (4_567_890.0, "4.57 M req/s"),
            (2.5e9, "2.50 G req/s"),
            (f64::NAN, "- req/s"),
            (f64::INFINITY, "- req/s"),
        ] {
            assert_eq!(rate(x, "req/s"), text, "{x}");
        }
    }

    #[test]
    fn request_counts_read_as_words() {
        assert_eq!(about(950.0), "950");
        assert_eq!(about(1.25e6), "1.2 million");
        assert_eq!(about(3.4e9), "3.4 billion");
    }
}
