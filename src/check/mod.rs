//! Scenario expectations judged: the engine of `fleetsim check` and `fleetsim run --check`.
//!
//! A scenario's expectations ([`crate::scenario::expectation`]) are judged on runs of it: each
//! on the scenario's seed and, with `seeds: N`, on the next `N - 1` too, passing when at least
//! `at_least` of those runs pass (with a Wilson score interval on the share). `run_data.rs`
//! reads a run under its output files' names, `judge.rs` judges one expectation on one run,
//! `report.rs` prints the verdicts for people, as JSON, and as JUnit XML (`junit.rs`).
//!
//! Runs are independent: [`judge_seed`] is a pure function of (scenario, seed), so callers may
//! run seeds and scenarios in parallel and still print in a fixed order.

pub mod judge;
pub mod junit;
pub mod report;
pub mod run_data;

pub use judge::Judged;
pub use run_data::RunData;

use crate::scenario::expectation::Expectation;
use crate::sim::SimConfig;

/// Runs a scenario needs for its expectations: the most seeds any asks for (0 without any).
pub fn runs_needed(expect: &[Expectation]) -> u32 {
    expect.iter().map(|e| e.seeds).max().unwrap_or(0)
}

/// Runs `config` with the seed `config.seed + r` and judges every expectation that asks for
/// more than `r` seeds (`None` for the others). `Err` names the first expectation that reads
/// something the run does not have.
pub fn judge_seed(config: &SimConfig, expect: &[Expectation], r: u32) -> Result<Vec<Option<Judged>>, String> {
    let mut config = config.clone();
    config.seed = config.seed.wrapping_add(u64::from(r));
    let result = crate::sim::run(config);
    judge_run(&RunData::new(&result), expect, r)
}

/// Judges the expectations that ask for more than `r` seeds on one run's data.
pub fn judge_run(run: &RunData, expect: &[Expectation], r: u32) -> Result<Vec<Option<Judged>>, String> {
    expect
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (e.seeds > r)
                .then(|| judge::judge(e, run).map_err(|m| format!("expect[{i}] (\"{}\"): {m}", e.name)))
                .transpose()
        })
        .collect()
}

/// The names a run of `config` offers its expectations: `summary.json` values and
/// `timeseries.csv` columns. They depend on the configuration only (its variants, deployments,
/// workload, metrics), not on what happens in the run, so a run cut to one metrics period
/// shows them all: expectations are checked against them before the real runs start.
pub fn names(config: &SimConfig) -> (Vec<String>, Vec<String>) {
    let mut probe = config.clone();
    probe.duration = probe.duration.min(probe.metrics.period);
    let run = RunData::new(&crate::sim::run(probe));
    (run.summary.into_keys().collect(), run.series.columns)
}

/// Every name the expectations read that a run of `config` does not have, as messages naming
/// the expectation and listing the names there are (see [`names`]).
pub fn unknown_names(config: &SimConfig, expect: &[Expectation]) -> Vec<String> {
    use crate::scenario::expectation::Rule;
    if !expect
        .iter()
        .any(|e| matches!(e.rule, Rule::Summary { .. } | Rule::Series { .. }))
    {
        return Vec::new();
    }
    let (summary, columns) = names(config);
    let mut out = Vec::new();
    for (i, e) in expect.iter().enumerate() {
        let (lhs, known, what) = match &e.rule {
            Rule::Summary { lhs, .. } => (lhs, &summary, "summary value"),
            Rule::Series { lhs, .. } => (lhs, &columns, "timeseries.csv column"),
            Rule::Event { .. } => continue,
        };
        for n in lhs.names() {
            if !known.contains(&n) {
                let list: Vec<&str> = known
                    .iter()
                    .map(String::as_str)
                    .filter(|c| !matches!(*c, "time_s" | "period_end_s" | "timestamp" | "clock"))
                    .collect();
                out.push(format!(
                    "expect[{i}] (\"{}\"): `{n}` is not a {what} of this scenario's runs; they are: {}",
                    e.name,
                    crate::scenario::shorten_to(&list.join(", "), 4_000)
                ));
            }
        }
    }
    out
}

/// An expectation's verdict over its runs.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Verdict {
    pub name: String,
    /// The bound, as the report prints it.
    pub bound: String,
    pub pass: bool,
    /// What the first run (the scenario's seed) measured.
    pub measured: String,
    /// Where the first run shows its failure, if it failed.
    pub detail: Option<String>,
    pub seeds: u32,
    pub at_least: f64,
    /// Runs that passed.
    pub passes: u32,
    /// 95 % Wilson score interval of the share of runs that pass (with more than one seed).
    pub interval: Option<(f64, f64)>,
    /// The first seed whose run failed.
    pub first_failure: Option<Failure>,
}

/// A run that failed an expectation.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Failure {
    pub seed: u64,
    /// What it measured.
    pub measured: String,
    /// Where the failure shows.
    pub detail: Option<String>,
}

/// The 95 % Wilson score interval of a share of `k` successes in `n` trials: unlike the
/// normal approximation it stays within [0, 1] and is not empty at 0 or n successes.
pub fn wilson(k: u32, n: u32) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = crate::sweep::stats::z(0.975);
    crate::sweep::stats::wilson(f64::from(k) / f64::from(n), f64::from(n), z)
}

/// The verdicts of a scenario's expectations from the judgements of its runs (`runs[r][i]`:
/// expectation `i` on seed `base_seed + r`).
pub fn verdicts(expect: &[Expectation], base_seed: u64, runs: &[Vec<Option<Judged>>]) -> Vec<Verdict> {
    expect
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mine: Vec<(u64, &Judged)> = runs
                .iter()
                .enumerate()
                .filter_map(|(r, js)| js.get(i)?.as_ref().map(|j| (base_seed.wrapping_add(r as u64), j)))
                .collect();
            let n = mine.len() as u32;
            let passes = mine.iter().filter(|(_, j)| j.pass).count() as u32;
            // At least `at_least` of the runs: compared in whole runs, so 0.95 of 20 is 19.
            let needed = (e.at_least * f64::from(n) - 1e-9).ceil().max(0.0) as u32;
            let first = mine.first().map(|(_, j)| *j);
            Verdict {
                name: e.name.clone(),
                bound: judge::bound_text(e),
                pass: n > 0 && passes >= needed,
                measured: first.map(|j| j.measured.clone()).unwrap_or_default(),
                detail: first.and_then(|j| j.detail.clone()),
                seeds: n,
                at_least: e.at_least,
                passes,
                interval: (n > 1).then(|| wilson(passes, n)),
                first_failure: mine.iter().find(|(_, j)| !j.pass).map(|(s, j)| Failure {
                    seed: *s,
                    measured: j.measured.clone(),
                    detail: j.detail.clone(),
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_matches_the_textbook_figures() {
        // Wilson (1927) as tabulated by Newcombe (1998), method 3: 81/263 -> 0.2553-0.3662;
        // 15/148 -> 0.0624-0.1605; 0/20 -> 0-0.1611; 1/29 -> 0.0061-0.1718.
        let close = |(a, b): (f64, f64), (x, y): (f64, f64)| (a - x).abs() < 5e-5 && (b - y).abs() < 5e-5;
        assert!(close(wilson(81, 263), (0.2553, 0.3662)), "{:?}", wilson(81, 263));
        assert!(close(wilson(15, 148), (0.0624, 0.1605)), "{:?}", wilson(15, 148));
        assert!(close(wilson(0, 20), (0.0, 0.1611)), "{:?}", wilson(0, 20));
        assert!(close(wilson(1, 29), (0.0061, 0.1718)), "{:?}", wilson(1, 29));
        let (lo, hi) = wilson(20, 20);
        assert!(lo > 0.83 && hi == 1.0, "{lo} {hi}");
    }
}
