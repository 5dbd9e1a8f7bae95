//! Resource limits: every size in a scenario that drives memory or time, with its allowed
//! range, checked before anything is allocated or looped over.
//!
//! The list sizes are checked first, on the parsed file alone, so that validation itself stays
//! linear: a file with 100,000 variants is refused at once instead of being compared name
//! against name. `scenarios/README.md` ("Resource limits") lists every bound and why.

use super::error::FieldError;
use super::file::{self, Endpoint, Rate, Scenario};
use crate::engine::SimDuration;

/// Longest simulated duration (one year, leap day included).
pub const MAX_DURATION: SimDuration = SimDuration(366 * 86_400 * 1_000_000);
/// Worker slots per instance.
pub const MAX_CONCURRENCY: u32 = 10_000;
/// Instances per variant (initial count, capacity updates, scalable target bounds).
pub const MAX_INSTANCES: u32 = 100_000;
/// `ProductionVariants` of one endpoint configuration (the AWS API allows 1 to 10).
pub const MAX_VARIANTS: usize = 10;
/// Inference components on one variant.
pub const MAX_INFERENCE_COMPONENTS: usize = 100;
/// Declared instance types.
pub const MAX_INSTANCE_TYPES: usize = 1_000;
/// CloudWatch alarms of one scenario.
pub const MAX_ALARMS: usize = 1_000;
/// Scaling policies per scalable target (the Application Auto Scaling quota).
pub const MAX_POLICIES: usize = 50;
/// Scheduled actions per scalable target (the Application Auto Scaling quota).
pub const MAX_SCHEDULED_ACTIONS: usize = 200;
/// Step adjustments of one step scaling policy.
pub const MAX_STEP_ADJUSTMENTS: usize = 100;
/// Manual capacity updates of one endpoint.
pub const MAX_CAPACITY_UPDATES: usize = 10_000;
/// Deployments (`UpdateEndpoint` calls) of one run.
pub const MAX_DEPLOYMENTS: usize = 100;
/// Reported latency percentiles.
pub const MAX_PERCENTILES: usize = 20;
/// Expectations per scenario.
pub const MAX_EXPECTATIONS: usize = 1_000;
/// Steps of a `Steps([...])` rate, over the whole workload.
pub const MAX_RATE_STEPS: usize = 100_000;
/// Rate shapes in a workload (every `Sum` term and `Spike` base counts).
pub const MAX_RATE_TERMS: usize = 1_000;
/// Service-time samples written inline (`Samples([...])`) in one distribution.
pub const MAX_INLINE_SAMPLES: usize = 1_000_000;

/// Metrics periods a run may hold: each is a `timeseries.csv` row kept in memory with its
/// latency histograms (a year of one-minute periods is 527,040).
pub const MAX_METRIC_PERIODS: u64 = 1_000_000;
/// Sampling ticks (`metrics.high_resolution_period`) a run may take: each closes a base point
/// per series, so the bound keeps the metrics' own work below the requests' (a year of
/// 10-second ticks is 3.2 million).
pub const MAX_SAMPLING_TICKS: u64 = 10_000_000;
/// The longest evaluation window of an alarm, `evaluation_periods x period`: CloudWatch
/// allows at most one day.
pub const MAX_ALARM_WINDOW: SimDuration = SimDuration(86_400 * 1_000_000);
/// Sampling ticks kept per series for the alarms to read (the longest alarm window plus the
/// publication delay, in ticks).
pub const MAX_HISTORY_TICKS: u64 = 100_000;
/// Requests a backlog (a real-time endpoint's `backlog.capacity`, an asynchronous endpoint's
/// queue) holds in memory at once, about 50 bytes each.
pub const MAX_BACKLOG: u64 = 10_000_000;
/// Size of a trace or samples file: read whole before parsing.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;
/// Phases of a load test's traffic pattern (AWS tests have a handful).
pub const MAX_PHASES: usize = 1_000;
/// Closed-loop users at once: each holds two random streams and a few flags (about 80
/// bytes), and sends a request per answer.
pub const MAX_USERS: u64 = 100_000;
/// Highest request rate anywhere in a workload [requests/s]; trace counts are held to it too.
pub const MAX_RPS: f64 = 1e9;

/// Checks every list of the parsed file against its bound. Runs before any other check, so
/// nothing is allocated or compared for an oversized file.
pub fn check_sizes(s: &Scenario) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut len = |path: String, n: usize, max: usize, what: &str| {
        if n > max {
            errors.push(FieldError {
                path,
                value: format!("{n} entries"),
                allowed: format!("at most {max} {what}"),
            });
        }
    };
    len(
        "instance_types".into(),
        s.instance_types.len(),
        MAX_INSTANCE_TYPES,
        "instance types",
    );
    len("alarms".into(), s.alarms.len(), MAX_ALARMS, "alarms");
    len(
        "autoscaling".into(),
        s.autoscaling.len(),
        MAX_VARIANTS * MAX_INFERENCE_COMPONENTS,
        "scalable targets",
    );
    for (i, t) in s.autoscaling.iter().enumerate() {
        len(
            format!("autoscaling[{i}].policies"),
            t.policies.len(),
            MAX_POLICIES,
            "scaling policies per scalable target (the Application Auto Scaling quota)",
        );
        len(
            format!("autoscaling[{i}].scheduled"),
            t.scheduled.len(),
            MAX_SCHEDULED_ACTIONS,
            "scheduled actions per scalable target (the Application Auto Scaling quota)",
        );
        for (j, p) in t.policies.iter().enumerate() {
            if let super::scaling::Policy::StepScaling { step_adjustments, .. } = p {
                len(
                    format!("autoscaling[{i}].policies[{j}].step_adjustments"),
                    step_adjustments.len(),
                    MAX_STEP_ADJUSTMENTS,
                    "step adjustments",
                );
            }
        }
    }
    len(
        "deployments".into(),
        s.deployments.len(),
        MAX_DEPLOYMENTS,
        "deployments",
    );
    len("expect".into(), s.expect.len(), MAX_EXPECTATIONS, "expectations");
    len(
        "metrics.percentiles".into(),
        s.metrics.percentiles.len(),
        MAX_PERCENTILES,
        "percentiles",
    );
    let (variants, updates) = match &s.endpoint {
        Endpoint::RealTime {
            variants,
            capacity_updates,
            ..
        }
        | Endpoint::Async {
            variants,
            capacity_updates,
            ..
        } => (variants.as_slice(), capacity_updates.len()),
        Endpoint::Serverless { .. } => (&[][..], 0),
    };
    len(
        "endpoint.variants".into(),
        variants.len(),
        MAX_VARIANTS,
        "production variants (ProductionVariants allows 1 to 10)",
    );
    len(
        "endpoint.capacity_updates".into(),
        updates,
        MAX_CAPACITY_UPDATES,
        "capacity updates",
    );
    for (i, v) in variants.iter().enumerate().take(MAX_VARIANTS + 1) {
        len(
            format!("endpoint.variants[{i}].inference_components"),
            v.inference_components.len(),
            MAX_INFERENCE_COMPONENTS,
            "inference components per variant",
        );
        if let Some(m) = &v.model {
            if let file::Dist::Samples(xs) = &m.service_time {
                len(
                    format!("endpoint.variants[{i}].model.service_time.Samples"),
                    xs.len(),
                    MAX_INLINE_SAMPLES,
                    "samples (put more in a file: Empirical(file: ...))",
                );
            }
        }
    }
    if let file::Workload::Users {
        traffic_pattern: file::TrafficPattern::Phases(phases),
        ..
    } = &s.workload
    {
        len(
            "workload.traffic_pattern.Phases".into(),
            phases.len(),
            MAX_PHASES,
            "phases",
        );
    }
    let prefix = match &s.workload {
        file::Workload::Users { .. } => "workload.background",
        _ => "workload",
    };
    if let Some(file::Workload::Open { rate, .. }) = s.workload.open_loop() {
        let (mut terms, mut steps) = (0usize, 0usize);
        count_rate(rate, &mut terms, &mut steps);
        len(
            format!("{prefix}.rate"),
            terms,
            MAX_RATE_TERMS,
            "rate shapes (Sum terms and Spike bases)",
        );
        len(
            format!("{prefix}.rate"),
            steps,
            MAX_RATE_STEPS,
            "Steps entries over the whole rate",
        );
    }
    errors
}

/// Counts the rate shapes and `Steps` entries of a rate.
fn count_rate(r: &Rate, terms: &mut usize, steps: &mut usize) {
    *terms += 1;
    match r {
        Rate::Steps(s) => *steps += s.len(),
        Rate::Spike { base, .. } => count_rate(base, terms, steps),
        Rate::Sum(parts) => parts.iter().for_each(|p| count_rate(p, terms, steps)),
        Rate::Constant(_) | Rate::Ramp { .. } | Rate::Stairs { .. } | Rate::Diurnal { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_counting_descends_into_sums_and_spikes() {
        let r = Rate::Sum(vec![
            Rate::Constant(1.0),
            Rate::Spike {
                base: Box::new(Rate::Steps(vec![])),
                start: Default::default(),
                duration: Default::default(),
                multiplier: 1.0,
            },
        ]);
        let (mut terms, mut steps) = (0, 0);
        count_rate(&r, &mut terms, &mut steps);
        assert_eq!((terms, steps), (4, 0));
    }
}
