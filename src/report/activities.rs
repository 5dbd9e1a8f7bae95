//! `activities.csv`: one row per capacity change or instance lifecycle milestone.

use crate::sim::RunResult;

/// Columns: `time_s, clock, variant, kind, cause, reason`.
pub fn activities_csv(r: &RunResult) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["time_s", "clock", "variant", "kind", "cause", "reason"])
        .expect("in-memory write");
    for a in &r.activities {
        w.write_record([
            super::format::num(a.time.as_secs_f64(), 6),
            a.time.to_string(),
            a.variant.clone(),
            a.kind.name().to_string(),
            a.cause.clone(),
            a.reason.clone(),
        ])
        .expect("in-memory write");
    }
    w.into_inner().expect("in-memory flush")
}
