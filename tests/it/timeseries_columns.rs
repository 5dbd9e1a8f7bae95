//! What a `timeseries.csv` row means, pinned on bundled runs: a row is the period
//! `[time_s, period_end_s)`, its gauges are read at `period_end_s` (so a deployment's booting
//! instances appear in the row that ends at the `DeploymentStart` of `activities.csv`, never a
//! period before), `timestamp` is the period's start in UTC, traffic shares are per cent, and
//! serverless throttles are in `throttled` and in the `failed` total.

use super::common::load_bundled;
use fleetsim::report::{activities_csv, timeseries_csv};

/// A CSV as its header and rows of cells.
fn table(bytes: Vec<u8>) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let head = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (head, rows)
}

fn col(head: &[String], name: &str) -> usize {
    head.iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn num(cell: &str) -> f64 {
    cell.parse().unwrap_or_else(|_| panic!("not a number: {cell:?}"))
}

#[test]
fn deployment_booting_appears_at_the_deployment_start() {
    let r = fleetsim::sim::run(load_bundled("deploy-canary-rollback.ron", &[], None).config);
    let (head, rows) = table(timeseries_csv(&r));
    let (acts_head, acts) = table(activities_csv(&r));
    let kind = col(&acts_head, "kind");
    let start = acts
        .iter()
        .find(|a| a[kind] == "DeploymentStart")
        .map(|a| num(&a[col(&acts_head, "time_s")]))
        .unwrap();
    assert_eq!(start, 900.0);
    let (t0, t1) = (col(&head, "time_s"), col(&head, "period_end_s"));
    let booting = |row: &[String]| {
        ["instances_pending", "instances_provisioning", "instances_loading"]
            .iter()
            .map(|c| num(&row[col(&head, c)]))
            .sum::<f64>()
    };
    let green = col(&head, "AllTraffic@v2.instances");
    for row in &rows {
        assert_eq!(num(&row[t1]) - num(&row[t0]), 60.0);
        if num(&row[t1]) < start {
            assert_eq!((booting(row), num(&row[green])), (0.0, 0.0), "row {}", row[t0]);
        }
    }
    // The reading at the start's instant holds the eight green instances just requested; the
    // period it closes, [14:00, 15:00), is billed for the eight blue ones only.
    let at_start = rows.iter().find(|r| num(&r[t1]) == start).unwrap();
    assert_eq!((booting(at_start), num(&at_start[green])), (8.0, 8.0));
    let cost = num(&at_start[col(&head, "cost_usd")]);
    let before = num(&rows[0][col(&head, "cost_usd")]);
    assert!((cost - before).abs() < 1e-9, "{cost} vs {before}");
    // No start time in the scenario: the default epoch, Monday 2024-01-01 00:00 UTC.
    assert_eq!(at_start[col(&head, "timestamp")], "2024-01-01T00:14:00Z");
    assert_eq!(at_start[col(&head, "clock")], "00:14:00");
    // Shares are per cent of the variant's invocations.
    let share = col(&head, "AllTraffic@config-1.traffic_share");
    assert_eq!(at_start[share], "100");
    let canary = rows.iter().find(|r| r[t0] == "1260").unwrap();
    let v2 = num(&canary[col(&head, "AllTraffic@v2.traffic_share")]);
    assert!((v2 - 25.0).abs() < 2.0, "{v2} %");
    assert!((num(&canary[share]) + v2 - 100.0).abs() < 0.02);
}

#[test]
fn throttles_are_in_the_failed_total_and_timestamps_follow_the_start_time() {
    let r = fleetsim::sim::run(load_bundled("serverless-provisioned-concurrency.ron", &[], None).config);
    let (head, rows) = table(timeseries_csv(&r));
    let sum = |c: &str| rows.iter().map(|row| num(&row[col(&head, c)])).sum::<f64>();
    assert_eq!(sum("throttled"), 31.0);
    assert_eq!(sum("throttled"), sum("serverless.throttled"));
    // A period's failed requests are its 4XX (throttles among them), 5XX, timed out and
    // rejected ones, each counted once.
    for row in &rows {
        let parts: f64 = ["errors_4xx", "errors_5xx", "timed_out", "rejected"]
            .iter()
            .map(|c| num(&row[col(&head, c)]))
            .sum();
        assert_eq!(num(&row[col(&head, "failed")]), parts);
        assert!(num(&row[col(&head, "errors_4xx")]) >= num(&row[col(&head, "throttled")]));
    }
    // start_time: "2024-01-01T11:00:00Z".
    assert_eq!(rows[0][col(&head, "timestamp")], "2024-01-01T11:00:00Z");
    assert_eq!(rows[90][col(&head, "timestamp")], "2024-01-01T12:30:00Z");
}
