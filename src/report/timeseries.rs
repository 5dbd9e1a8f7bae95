//! `timeseries.csv`: one row per metrics period. `docs/timeseries.md` lists every column with
//! its unit.
//!
//! A row is the period `[time_s, period_end_s)`; `timestamp` (ISO 8601, UTC, from the run's
//! start time) and `clock` (elapsed) give its start. Counts, rates and latencies are over the
//! period; gauges (instances by state, `desired`, `backlog`, statuses) are read at
//! `period_end_s`, after every event of that instant, so a row agrees with the activity times
//! of `activities.csv`.
//!
//! Unprefixed columns describe the whole endpoint; columns prefixed `<variant>.` describe one
//! variant (CloudWatch's `VariantName` dimension). Latencies are in milliseconds; empty cells
//! mean "no datapoint" (for example no request completed in the period). `failed` is every
//! failed request (4XX, 5XX, timed out, rejected); serverless throttles are in `throttled` and,
//! as CloudWatch counts them, inside `errors_4xx`. A variant with deployments also has columns
//! prefixed `<variant>@<configuration>.` per endpoint configuration: `traffic_share` (its share
//! of the variant's invocations in the period, in per cent), `in_service` and `instances`
//! (billed) at the end of the period.

use super::format::{num, num_or_empty, us_to_ms};
use crate::engine::SimTime;
use crate::model::metrics::{Counters, InstanceCounts, LatencyStats, ServerlessPoint, VariantPoint};
use crate::sim::{RunResult, UserPoint};

fn pct_name(p: f64) -> String {
    format!("p{}", num(p, 3).replace('.', "_"))
}

fn latency_cells(s: &LatencyStats, pcts: &[f64]) -> Vec<String> {
    let mut out = vec![num_or_empty(s.average().map(us_to_ms), 3)];
    for p in pcts {
        out.push(num_or_empty(s.percentile(*p).map(us_to_ms), 3));
    }
    out.push(num_or_empty(s.max.map(us_to_ms), 3));
    out
}

/// Renders the time series.
pub fn timeseries_csv(r: &RunResult) -> Vec<u8> {
    // The configured percentiles, not those of a period that had requests: a run (or a
    // stretch) without a completed request has the same columns as any other.
    let pcts = &r.percentiles;
    let mut header: Vec<String> = [
        "time_s",
        "period_end_s",
        "timestamp",
        "clock",
        "arrivals",
        "load_rps",
        "invocations",
        "completed",
        "errors_4xx",
        "errors_5xx",
        "timed_out",
        "rejected",
        "throttled",
        "failed",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.push("latency_mean_ms".into());
    header.extend(pcts.iter().map(|p| format!("latency_{}_ms", pct_name(*p))));
    header.push("latency_max_ms".into());
    header.extend(
        [
            "instances_pending",
            "instances_provisioning",
            "instances_loading",
            "instances_in_service",
            "instances_standby",
            "instances_draining",
            "in_service_mean",
            "desired",
            "backlog",
            "backlog_max",
            "cost_usd",
            "cost_cum_usd",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    for v in &r.variants {
        let n = &v.name;
        for c in ["invocations", "invocations_per_instance", "model_latency_avg_ms"] {
            header.push(format!("{n}.{c}"));
        }
        header.extend(pcts.iter().map(|p| format!("{n}.model_latency_{}_ms", pct_name(*p))));
        for c in [
            "model_latency_max_ms",
            "overhead_latency_avg_ms",
            "errors_4xx",
            "errors_5xx",
            "cpu_utilization",
            "concurrent_requests_per_model",
            "in_service",
            "desired",
            "backlog",
        ] {
            header.push(format!("{n}.{c}"));
        }
    }
    // Statuses only for runs with deployments (they never leave InService otherwise).
    let deployed: Vec<&str> = {
        let mut names: Vec<&str> = r.configs.iter().map(|(v, _)| v.as_str()).collect();
        names.dedup();
        names
    };
    if !r.deployments.is_empty() {
        header.push("endpoint_status".into());
        header.extend(deployed.iter().map(|v| format!("{v}.variant_status")));
    }
    for (v, c) in &r.configs {
        for col in ["invocations", "traffic_share", "in_service", "instances"] {
            header.push(format!("{v}@{c}.{col}"));
        }
    }
    if r.serverless.is_some() {
        header.extend(SERVERLESS_COLUMNS.iter().map(|c| format!("serverless.{c}")));
    }
    // Inference components: the copy view of each component's series.
    if r.components.is_some() {
        for v in &r.variants {
            for col in [
                "invocations_per_copy",
                "concurrent_requests_per_copy",
                "no_capacity_invocation_failures",
                "copies_pending",
                "copies_loading",
                "copies_in_service",
                "copies_desired",
            ] {
                header.push(format!("{}.{col}", v.name));
            }
        }
    }
    // A load test's users, as the load generator saw them.
    if r.users.is_some() {
        header.extend(USER_COLUMNS.iter().map(|c| c.to_string()));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).expect("in-memory write");
    let mut cum = 0.0;
    let priced = match &r.components {
        Some(c) => c.price_per_hour_usd.is_some(),
        None => r.variants.iter().all(|v| v.price_per_hour_usd.is_some()),
    };
    let serverless_points = r.serverless.as_ref().map(|s| &s.points);
    for (k, p) in r.points.iter().enumerate() {
        let sp = serverless_points.and_then(|s| s.get(k));
        // An endpoint with inference components: instance columns describe its instances.
        let hosts = r.components.as_ref().and_then(|c| c.points.get(k));
        // Shadow copies are not the endpoint's requests: endpoint columns leave them out.
        let production = &p.variants[..r.shadow.as_ref().map_or(p.variants.len(), |s| usize::from(s.variant))];
        let sum = |f: fn(&VariantPoint) -> u64| production.iter().map(f).sum::<u64>();
        let requests: Counters = production.iter().map(|v| v.requests).sum();
        let secs = p.length_us as f64 / 1e6;
        let throttled = sp.map_or(0, |s| s.throttled);
        let rejected = requests.rejected_backlog_full + requests.rejected_no_capacity;
        let mut row = vec![
            num(p.start_us as f64 / 1e6, 6),
            num((p.start_us + p.length_us) as f64 / 1e6, 6),
            timestamp(r.start_time, p.start_us),
            SimTime(p.start_us).to_string(),
            p.arrivals.to_string(),
            num(if secs > 0.0 { p.arrivals as f64 / secs } else { 0.0 }, 3),
            requests.invocations.to_string(),
            requests.completed.to_string(),
            requests.errors_4xx.to_string(),
            requests.errors_5xx.to_string(),
            requests.timed_out.to_string(),
            rejected.to_string(),
            throttled.to_string(),
            // Throttles are inside errors_4xx, as CloudWatch counts them.
            (requests.errors_4xx + requests.errors_5xx + requests.timed_out + rejected).to_string(),
        ];
        row.extend(latency_cells(&p.latency, pcts));
        let i: InstanceCounts = match hosts {
            Some(h) => h.instances,
            None => p.variants.iter().map(|v| v.instances).sum(),
        };
        for n in [
            i.pending,
            i.provisioning,
            i.loading,
            i.in_service,
            i.standby,
            i.draining,
        ] {
            row.push(n.to_string());
        }
        if let Some(h) = hosts {
            row.push(num(h.mean_in_service, 4));
            row.push(i.live().to_string());
        } else {
            row.push(num(p.variants.iter().map(|v| v.mean_in_service).sum(), 4));
            row.push(p.variants.iter().map(|v| v.desired).sum::<u32>().to_string());
        }
        row.push(sum(|v| v.backlog_end).to_string());
        row.push(sum(|v| v.backlog_max).to_string());
        if let Some(sp) = sp {
            // Serverless: billed per GB-second.
            cum += sp.cost_usd;
            row.push(num(sp.cost_usd, 6));
            row.push(num(cum, 6));
        } else if priced {
            let c: f64 = match hosts {
                Some(h) => h.cost_usd.unwrap_or(0.0),
                None => p.variants.iter().filter_map(|v| v.cost_usd).sum(),
            };
            cum += c;
            row.push(num(c, 6));
            row.push(num(cum, 6));
        } else {
            row.push(String::new());
            row.push(String::new());
        }
        for v in &p.variants {
            row.push(v.requests.invocations.to_string());
            row.push(num(v.invocations_per_instance, 4));
            row.extend(latency_cells(&v.model_latency, pcts));
            row.push(num_or_empty(v.overhead_latency.average().map(us_to_ms), 3));
            row.push(v.requests.errors_4xx.to_string());
            row.push(v.requests.errors_5xx.to_string());
            row.push(num_or_empty(v.cpu_utilization, 3));
            row.push(num_or_empty(v.concurrent_requests_per_model, 4));
            row.push(v.instances.in_service.to_string());
            row.push(v.desired.to_string());
            row.push(v.backlog_end.to_string());
        }
        if !r.deployments.is_empty() {
            // The status in effect during the last instant of the period.
            let end = p.start_us + p.length_us;
            let seen = &r.statuses[..r.statuses.partition_point(|s| s.time.0 < end)];
            row.push(seen.last().map_or("InService", |s| s.endpoint).to_string());
            for v in &deployed {
                let st = seen.iter().rev().find(|s| s.variant == *v);
                row.push(st.map_or("InService", |s| s.variant_status).to_string());
            }
        }
        for (i, c) in p.configs.iter().enumerate() {
            let variant = r
                .variants
                .iter()
                .position(|v| v.name == r.configs[i].0)
                .and_then(|k| p.variants.get(k))
                .map_or(0, |v| v.requests.invocations);
            row.push(c.requests.invocations.to_string());
            row.push(if variant > 0 {
                num(100.0 * c.requests.invocations as f64 / variant as f64, 2)
            } else {
                String::new()
            });
            row.push(c.instances.in_service.to_string());
            row.push(c.instances.live().to_string());
        }
        if let Some(sp) = sp {
            row.extend(serverless_cells(sp));
        }
        if hosts.is_some() {
            for v in &p.variants {
                row.push(num(v.invocations_per_instance, 4));
                row.push(num_or_empty(v.concurrent_requests_per_model, 4));
                row.push(v.requests.rejected_no_capacity.to_string());
                row.push((v.instances.pending + v.instances.provisioning).to_string());
                row.push(v.instances.loading.to_string());
                row.push(v.instances.in_service.to_string());
                row.push(v.desired.to_string());
            }
        }
        if let Some(u) = &r.users {
            row.extend(user_cells(u.points.get(k)));
        }
        w.write_record(&row).expect("in-memory write");
    }
    w.into_inner().expect("in-memory flush")
}

/// `start + offset` as ISO 8601 in UTC with a `Z` (`2024-01-01T09:00:00Z`), fractional seconds
/// only when the instant has them: the form `pandas.read_csv(parse_dates=["timestamp"])` and
/// `datetime.fromisoformat` read as UTC.
fn timestamp(start: chrono::DateTime<chrono::Utc>, offset_us: u64) -> String {
    let t = start + chrono::Duration::microseconds(i64::try_from(offset_us).unwrap_or(i64::MAX));
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Columns of a load test's closed-loop users, last: users at the end of the period, calls
/// answered (responses and give-ups) and given up in it, and the client-side latency of those
/// calls (send to answer seen, round trip included).
const USER_COLUMNS: [&str; 6] = [
    "users",
    "user_calls",
    "user_gave_up",
    "client_latency_mean_ms",
    "client_latency_p50_ms",
    "client_latency_p99_ms",
];

fn user_cells(p: Option<&UserPoint>) -> Vec<String> {
    let Some(p) = p else {
        return vec![String::new(); USER_COLUMNS.len()];
    };
    let ms = |us: Option<f64>| us.map_or(String::new(), |x| num(x / 1000.0, 3));
    vec![
        p.users.to_string(),
        p.answered.to_string(),
        p.gave_up.to_string(),
        ms(p.latency_mean_us()),
        ms(p.latency_p50_us.map(|x| x as f64)),
        ms(p.latency_p99_us.map(|x| x as f64)),
    ]
}

/// Columns of a serverless endpoint, after the others (prefixed `serverless.`): the
/// concurrency metrics as period means of their tick samples, PC at the period's end, counts
/// over the period, the mean `ModelSetupTime` [ms].
const SERVERLESS_COLUMNS: [&str; 13] = [
    "concurrent_executions_mean",
    "concurrent_executions_max",
    "concurrent_executions_utilization",
    "provisioned_concurrency_utilization",
    "provisioned_concurrency_executions",
    "provisioned_concurrency",
    "provisioned_concurrency_desired",
    "warm_idle_containers",
    "provisioned_concurrency_invocations",
    "spillover_invocations",
    "throttled",
    "cold_starts",
    "model_setup_time_avg_ms",
];

fn serverless_cells(p: &ServerlessPoint) -> Vec<String> {
    vec![
        num(p.concurrent_mean, 4),
        p.concurrent_max.to_string(),
        num(p.utilization_mean, 4),
        num_or_empty(p.pc_utilization_mean, 4),
        num(p.pc_executions_mean, 4),
        p.pc_allocated_end.to_string(),
        p.pc_desired_end.to_string(),
        p.warm_idle_end.to_string(),
        p.pc_invocations.to_string(),
        p.spillover.to_string(),
        p.throttled.to_string(),
        p.cold_starts.to_string(),
        num_or_empty(p.setup_mean_us.map(us_to_ms), 3),
    ]
}
