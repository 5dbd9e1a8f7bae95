//! Running a job: each test simulated in its own endpoint, up to `MaxParallelOfTests` at once
//! on real threads, each a pure function of the job, its configuration and the seed, and ended
//! by the World at the minute its stopping conditions hold; the schedule then decides which
//! tests ran within the job's duration.

use super::checks::{CheckedJob, TestPlan};
use super::endpoint::{test_config, EndpointFacts, ModelScenario};
use super::schedule::{schedule, Slot};
use crate::engine::SimDuration;
use crate::model::workload::{MinuteStats, StopReason};
use crate::sim::RunResult;
use rayon::prelude::*;

/// What one test did.
#[derive(Clone, Debug)]
pub struct TestOutcome {
    pub plan: TestPlan,
    pub facts: EndpointFacts,
    /// The minutes the test kept (up to and including the one that stopped it).
    pub minutes: Vec<MinuteStats>,
    pub stop: StopReason,
    pub slot: Slot,
    /// `CPUUtilization` of each kept minute (percent, summed over vCPUs; `None` with nothing
    /// in service).
    pub cpu_utilization: Vec<Option<f64>>,
    /// Serverless: the cost of each kept minute \[USD\].
    pub cost_usd: Vec<Option<f64>>,
    /// Serverless: mean `ModelSetupTime` of the test's cold starts \[µs\].
    pub model_setup_time_us: Option<f64>,
}

impl TestOutcome {
    /// Simulated length of the load test itself (the kept minutes).
    pub fn test_length(&self) -> SimDuration {
        SimDuration::from_secs(60 * self.minutes.len() as u64)
    }
}

/// A test that could not be set up (its endpoint could not be built from the models).
#[derive(Clone, Debug, PartialEq)]
pub struct TestFailure {
    /// Test number, from 1.
    pub test: usize,
    pub reason: String,
}

/// Runs every test of `job` (the first `MaxNumberOfTests`), calling `done` as each one ends
/// (from any thread). Results are in request order whatever the thread count.
pub fn run_job(
    job: &CheckedJob,
    models: &[ModelScenario],
    seed: u64,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<TestOutcome>, TestFailure> {
    let plans: Vec<&TestPlan> = job.tests.iter().take(job.max_number_of_tests).collect();
    // Every configuration is built first, so a bad one is reported before anything runs.
    let configs = plans
        .iter()
        .enumerate()
        .map(|(i, p)| test_config(job, p, i + 1, models, seed).map_err(|reason| TestFailure { test: i + 1, reason }))
        .collect::<Result<Vec<_>, _>>()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(job.max_parallel_of_tests.max(1))
        .build()
        .expect("a thread pool of 1 to 10 threads");
    let runs: Vec<(RunResult, EndpointFacts)> = pool.install(|| {
        configs
            .into_par_iter()
            .map(|(cfg, facts)| {
                let r = run_until_stopped(cfg);
                done();
                (r, facts)
            })
            .collect()
    });
    let mut outcomes: Vec<TestOutcome> = runs
        .into_iter()
        .zip(plans)
        .map(|((r, facts), plan)| outcome(plan.clone(), facts, r))
        .collect();
    let durations: Vec<SimDuration> = outcomes.iter().map(|o| o.facts.creation + o.test_length()).collect();
    for (o, slot) in outcomes
        .iter_mut()
        .zip(schedule(&durations, job.max_parallel_of_tests, job.job_duration))
    {
        o.slot = slot;
    }
    Ok(outcomes)
}

/// Runs a test minute by minute and ends it once its stopping conditions have stopped its users
/// (the World decides at the end of each minute, with the rules a scenario's load test uses):
/// the minutes up to the stop are those of a run to the pattern's end (the world only pauses
/// between slices), and a test that stops early costs only its own minutes.
fn run_until_stopped(cfg: crate::sim::SimConfig) -> RunResult {
    let end = cfg.duration.0;
    let minute = 60_000_000;
    let mut world = crate::sim::World::new(cfg);
    let mut at = minute;
    loop {
        let finished = world.run_until(crate::engine::SimTime(at.min(end)));
        if finished || at >= end || world.load_test_stopped() {
            break;
        }
        at += minute;
    }
    world.into_result()
}

/// A test's minutes from its run, up to the one that stopped it.
fn outcome(plan: TestPlan, facts: EndpointFacts, r: RunResult) -> TestOutcome {
    // The minutes the World's stopping conditions decided on (a test always has conditions,
    // so the World keeps them), and why they stopped it.
    let users = r.users.expect("a load test has users");
    let stop = users.stopped.map_or(StopReason::PatternComplete, |(reason, _)| reason);
    let minutes = users.minutes;
    let kept = &r.points[..minutes.len().min(r.points.len())];
    let cpu = kept
        .iter()
        .map(|p| p.variants.first().and_then(|v| v.cpu_utilization))
        .collect();
    let cost = kept
        .iter()
        .enumerate()
        .map(|(k, p)| match &r.serverless {
            Some(s) => s.points.get(k).map(|sp| sp.cost_usd),
            None => p.variants.first().and_then(|v| v.cost_usd),
        })
        .collect();
    let model_setup_time_us = r
        .serverless
        .as_ref()
        .and_then(|s| (s.totals.cold_starts > 0).then(|| s.totals.setup_sum_us as f64 / s.totals.cold_starts as f64));
    TestOutcome {
        plan,
        facts,
        minutes,
        stop,
        slot: Slot::Skipped { due: SimDuration::ZERO },
        cpu_utilization: cpu,
        cost_usd: cost,
        model_setup_time_us,
    }
}
