//! `MAX_RPS` at the knee of a one-instance benchmark: the load test of the target-value guidance
//! (deploy on one instance, raise the load, "the peak is the rate at which latency rises or the
//! success ratio drops").
//!
//! The rule, stated in the report: minute by minute up the staircase, a minute is past the
//! knee when
//! - 1 % or more of its invocations fail (the Default job's own limit), or
//! - it completes less than `keep_up` (95 %) of the requests offered in it: the instance no
//!   longer keeps up and a queue builds, or
//! - its end-to-end latency at the SLO's percentile exceeds `latency_factor` (4) times that of
//!   the first minute with a completed request.
//!
//! `MAX_RPS` is the most successful invocations per second of any minute before the first one
//! past the knee. Requests that wait in a queue still complete, so throughput alone would
//! report saturation late; latency alone rises gradually under random arrivals; together they
//! bracket the knee.

/// One minute of the benchmark, as the rule reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Minute {
    /// Load offered in the minute [requests per second] (the staircase's level).
    pub offered_rps: f64,
    /// Virtual users during the minute (a users benchmark).
    pub users: Option<u32>,
    /// Requests that arrived in the minute.
    pub arrivals: u64,
    pub invocations: u64,
    /// Completed without an error.
    pub succeeded: u64,
    /// 4XX, 5XX, timed out and rejected.
    pub failures: u64,
    /// End-to-end latency at the rule's percentile \[ms\]; `None` without a completion.
    pub latency_ms: Option<f64>,
    /// `CPUUtilization` per core \[%\].
    pub cpu_per_core: f64,
}

impl Minute {
    /// Successful invocations per second.
    pub fn throughput_rps(&self) -> f64 {
        self.succeeded as f64 / 60.0
    }
}

/// The knee rule's thresholds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    /// A minute whose failed share of invocations reaches this is past the knee.
    pub failure_share: f64,
    /// A minute that completes less than this share of its arrivals is past the knee.
    pub keep_up: f64,
    /// A minute whose latency exceeds this multiple of the first minute's is past the knee.
    pub latency_factor: f64,
}

impl Default for Rule {
    fn default() -> Self {
        Rule {
            failure_share: crate::autoscaling::guidance::BENCHMARK_FAILURE_SHARE,
            keep_up: 0.95,
            latency_factor: 4.0,
        }
    }
}

/// Where the knee is.
#[derive(Clone, Debug, PartialEq)]
pub struct Knee {
    /// `MAX_RPS` [requests per second].
    pub max_rps: f64,
    /// The minute (from 0) that gave it.
    pub peak_minute: usize,
    /// The first minute past the knee, and why; `None` when the staircase ended first.
    pub past: Option<(usize, String)>,
    /// The latency the rule compares with \[ms\] (the first minute's).
    pub baseline_ms: f64,
}

/// Why minute `m` is past the knee, if it is.
fn past_knee(m: &Minute, rule: &Rule, baseline_ms: f64) -> Option<String> {
    if m.invocations > 0 && m.failures as f64 >= rule.failure_share * m.invocations as f64 {
        return Some(format!(
            "{} of {} invocations failed ({:.2} %, limit {} %)",
            m.failures,
            m.invocations,
            100.0 * m.failures as f64 / m.invocations as f64,
            100.0 * rule.failure_share
        ));
    }
    let completed = m.succeeded + m.failures;
    if m.arrivals > 0 && (completed as f64) < rule.keep_up * m.arrivals as f64 {
        return Some(format!(
            "it answered {completed} of {} requests ({:.1} %, below {} %): a queue builds",
            m.arrivals,
            100.0 * completed as f64 / m.arrivals as f64,
            100.0 * rule.keep_up
        ));
    }
    match m.latency_ms {
        Some(l) if l > rule.latency_factor * baseline_ms => Some(format!(
            "latency {l:.1} ms is over {} x the first minute's {baseline_ms:.1} ms",
            rule.latency_factor
        )),
        _ => None,
    }
}

/// Finds the knee of `minutes` (the staircase, lightest first).
pub fn find(minutes: &[Minute], rule: &Rule) -> Result<Knee, String> {
    let Some(baseline_ms) = minutes.iter().find_map(|m| m.latency_ms) else {
        return Err("no request completed in the benchmark; there is no knee to read".into());
    };
    let past = minutes
        .iter()
        .enumerate()
        .find_map(|(k, m)| past_knee(m, rule, baseline_ms).map(|why| (k, why)));
    let before = &minutes[..past.as_ref().map_or(minutes.len(), |(k, _)| *k)];
    let Some((peak_minute, peak)) = before.iter().enumerate().max_by(|a, b| {
        a.1.throughput_rps()
            .total_cmp(&b.1.throughput_rps())
            .then(b.0.cmp(&a.0))
    }) else {
        let (_, why) = past.expect("no minute before the knee means one is past it");
        return Err(format!(
            "the benchmark's first minute is already past the knee ({why}); give a smaller --benchmark-step"
        ));
    };
    if peak.succeeded == 0 {
        return Err("no request succeeded before the knee; there is no MAX_RPS to read".into());
    }
    Ok(Knee {
        max_rps: peak.throughput_rps(),
        peak_minute,
        past,
        baseline_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minute(rps: f64, answered_share: f64, failures: u64, latency_ms: f64) -> Minute {
        let arrivals = (rps * 60.0) as u64;
        let completed = (arrivals as f64 * answered_share) as u64;
        Minute {
            offered_rps: rps,
            users: None,
            arrivals,
            invocations: completed,
            succeeded: completed - failures,
            failures,
            latency_ms: Some(latency_ms),
            cpu_per_core: 0.0,
        }
    }

    #[test]
    fn each_sign_of_the_knee() {
        let rule = Rule::default();
        // Latency: the third minute is at 4.5 x the first.
        let ms = [
            minute(10.0, 1.0, 0, 50.0),
            minute(20.0, 1.0, 0, 150.0),
            minute(30.0, 1.0, 0, 225.0),
        ];
        let k = find(&ms, &rule).unwrap();
        assert_eq!((k.peak_minute, k.max_rps), (1, 20.0));
        assert!(k.past.unwrap().1.contains("over 4 x"));
        // Keeping up: 90 % answered.
        let ms = [minute(10.0, 1.0, 0, 50.0), minute(20.0, 0.9, 0, 60.0)];
        let k = find(&ms, &rule).unwrap();
        assert_eq!(k.peak_minute, 0);
        assert!(k.past.unwrap().1.contains("a queue builds"));
        // Failures: 12 of 1200 is 1 %, exactly the limit.
        let ms = [minute(10.0, 1.0, 0, 50.0), minute(20.0, 1.0, 12, 50.0)];
        let k = find(&ms, &rule).unwrap();
        assert_eq!(k.peak_minute, 0);
        // 11 of 1200 is under the limit: no knee, the staircase's best minute.
        let ms = [minute(10.0, 1.0, 0, 50.0), minute(20.0, 1.0, 11, 50.0)];
        let k = find(&ms, &rule).unwrap();
        assert_eq!((k.peak_minute, k.past), (1, None));
        assert!((k.max_rps - (1200.0 - 11.0) / 60.0).abs() < 1e-12);
    }

    #[test]
    fn a_knee_in_the_first_minute_or_no_completion_is_an_error() {
        let rule = Rule::default();
        let e = find(&[minute(10.0, 0.5, 0, 50.0)], &rule).unwrap_err();
        assert!(e.contains("first minute is already past the knee"), "{e}");
        let mut m = minute(10.0, 1.0, 0, 50.0);
        m.latency_ms = None;
        assert!(find(&[m], &rule).unwrap_err().contains("no request completed"));
    }
}
