//! The readable summary printed after a run.

use super::format::num;
use super::summary::Summary;
use std::fmt::Write;

fn o(x: Option<f64>, d: usize) -> String {
    x.map(|v| num(v, d)).unwrap_or_else(|| "-".into())
}

/// A few lines a person can read at a glance.
pub fn terminal_summary(s: &Summary) -> String {
    let r = &s.requests;
    let pct = |n: u64| {
        if r.arrived > 0 {
            format!("{:.3} %", 100.0 * n as f64 / r.arrived as f64)
        } else {
            "-".into()
        }
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "scenario {}  seed {}  simulated {}",
        s.scenario,
        s.seed,
        crate::engine::SimDuration::from_secs_f64(s.duration_s)
    );
    let _ = writeln!(
        out,
        "requests  arrived {}  completed {}  in flight at end {}",
        r.arrived, r.completed, r.in_flight_at_end
    );
    // An asynchronous endpoint never rejects; its unserved requests are TTL expiries.
    let (left, unserved) = if s.endpoint == "Async" {
        ("expired", r.expired)
    } else {
        ("timed out", r.timed_out)
    };
    let _ = writeln!(
        out,
        "failures  5XX {} ({})  4XX {} ({})  {left} {} ({})  rejected {} ({})",
        r.errors_5xx,
        pct(r.errors_5xx),
        r.errors_4xx,
        pct(r.errors_4xx),
        unserved,
        pct(unserved),
        r.rejected,
        pct(r.rejected)
    );
    let l = &s.latency_ms;
    let _ = writeln!(
        out,
        "latency   mean {} ms  p50 {} ms  p90 {} ms  p99 {} ms  p99.9 {} ms  max {} ms",
        o(l.mean, 2),
        o(l.p50, 2),
        o(l.p90, 2),
        o(l.p99, 2),
        o(l.p999, 2),
        o(l.max, 2)
    );
    let _ = writeln!(
        out,
        "wait      mean {} ms  P(wait) {}",
        o(s.wait_ms.mean, 3),
        o(s.wait_ms.p_wait, 4)
    );
    if let Some(u) = &s.users {
        let c = &u.client_latency_ms;
        let _ = writeln!(
            out,
            "users     peak {}  calls {}  gave up {}  client latency mean {} ms  p50 {} ms  p99 {} ms",
            u.peak_users,
            u.calls,
            u.gave_up,
            o(c.mean, 2),
            o(c.p50, 2),
            o(c.p99, 2)
        );
        // The load test's own figures: what it reached, and why it ended.
        let mut test = format!("load test max invocations/min {}", o(u.max_invocations_per_minute, 0));
        if let Some(at) = u.max_invocations_at_s {
            let _ = write!(test, " (minute from {})", clock(at));
        }
        match (u.stop_reason, u.stopped_at_s) {
            (Some(r), Some(at)) => {
                let _ = write!(test, "  stopped by {r} at {}", clock(at));
            }
            _ => test.push_str("  not stopped"),
        }
        if let Some(reached) = u.reached_max_invocations {
            let _ = write!(test, "  MaxInvocations reached: {}", if reached { "yes" } else { "no" });
        }
        let _ = writeln!(out, "{test}");
    }
    if let Some(x) = &s.serverless {
        // A serverless endpoint has no instances: its concurrency pool instead.
        let _ = writeln!(
            out,
            "serverless  peak {} of MaxConcurrency {}  PC invocations {}  spillover {}  cold starts {} (mean {} ms)  throttled {} (MaxConcurrency {}, account {})",
            x.peak_concurrent_executions,
            x.max_concurrency,
            x.provisioned_concurrency_invocations,
            x.spillover_invocations,
            x.cold_starts,
            o(x.model_setup_time_ms.mean, 1),
            x.throttled_max_concurrency + x.throttled_account,
            x.throttled_max_concurrency,
            x.throttled_account
        );
    }
    let c = &s.capacity;
    if s.serverless.is_some() {
        // No instances to count: the line above is the endpoint's capacity.
        let _ = writeln!(out, "capacity  scaling activities {}", s.scaling_activities);
    } else {
        let _ = writeln!(
            out,
            "capacity  in service min {} / mean {} / max {}  instance-hours {}  scaling activities {}",
            c.min_in_service,
            num(c.mean_in_service, 2),
            c.max_in_service,
            num(c.instance_hours, 2),
            s.scaling_activities
        );
    }
    let _ = writeln!(
        out,
        "cost      {}",
        s.cost_usd
            .map(|c| format!("{} USD", num(c, 2)))
            .unwrap_or_else(|| "unknown (no instance price)".into())
    );
    for d in &s.deployments {
        let _ = writeln!(
            out,
            "deploy    {} {} on {}: {} at {} s{}; peak {} instances, {} extra instance-hours, {} requests to the new version",
            d.strategy,
            d.name,
            d.variant,
            d.outcome,
            num(d.started_s, 0),
            d.finished_s
                .map(|f| format!(" -> {} s", num(f, 0)))
                .unwrap_or_default(),
            d.peak_instances,
            num(d.extra_instance_hours, 2),
            d.requests_served_by_new_version
        );
        if let Some(t) = &d.rollback_trigger {
            let _ = writeln!(out, "          {t}");
        }
    }
    out
}

/// `hh:mm:ss` of a time in seconds since the run's start.
fn clock(s: f64) -> String {
    let s = s.max(0.0) as u64;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}
