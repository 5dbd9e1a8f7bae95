//! The verdicts of `fleetsim check` for people (one line per expectation, then a count) and
//! for programs (`--format json`).

use super::Verdict;
use serde::Serialize;

/// One scenario's verdicts.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioVerdicts {
    /// The file as the user named it.
    pub file: String,
    /// The scenario's `name`.
    pub scenario: String,
    /// The seed of its first run.
    pub seed: u64,
    pub expectations: Vec<Verdict>,
}

/// Expectations judged and failed over every scenario.
pub fn counts(all: &[ScenarioVerdicts]) -> (usize, usize) {
    let total = all.iter().map(|s| s.expectations.len()).sum();
    let failed = all.iter().flat_map(|s| &s.expectations).filter(|v| !v.pass).count();
    (total, failed)
}

fn pct(x: f64) -> String {
    let v = x * 100.0;
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0} %")
    } else {
        format!("{v:.1} %")
    }
}

/// The replication line of a verdict judged on more than one seed.
pub fn seeds_text(v: &Verdict) -> Option<String> {
    let (lo, hi) = v.interval?;
    Some(format!(
        "{}/{} seeds pass ({}, 95 % CI {}-{}); at least {} needed",
        v.passes,
        v.seeds,
        pct(f64::from(v.passes) / f64::from(v.seeds)),
        pct(lo),
        pct(hi),
        pct(v.at_least)
    ))
}

/// The report for people: per scenario a heading, per expectation `pass` or `FAIL`, its name,
/// what was measured and the bound; under a failure where it shows; then the count.
pub fn text(all: &[ScenarioVerdicts]) -> String {
    let mut out = String::new();
    for s in all {
        out.push_str(&format!("{} ({}, seed {})\n", s.file, s.scenario, s.seed));
        let width = s.expectations.iter().map(|v| v.name.chars().count()).max().unwrap_or(0);
        for v in &s.expectations {
            let mark = if v.pass { "pass" } else { "FAIL" };
            let pad = " ".repeat(width - v.name.chars().count());
            out.push_str(&format!("  {mark}  {}{pad}  {}  [{}]\n", v.name, v.measured, v.bound));
            if let Some(line) = seeds_text(v) {
                out.push_str(&format!("        {line}\n"));
            }
            match (&v.first_failure, v.seeds > 1) {
                (Some(f), true) => {
                    out.push_str(&format!("        first failing seed {}: {}\n", f.seed, f.measured));
                    if let Some(d) = &f.detail {
                        out.push_str(&format!("          {d}\n"));
                    }
                }
                (Some(_), false) => {
                    if let Some(d) = &v.detail {
                        out.push_str(&format!("        {d}\n"));
                    }
                }
                (None, _) => {}
            }
        }
    }
    if all.len() > 1 {
        // The table for people: a line per scenario.
        let width = all.iter().map(|s| s.file.chars().count()).max().unwrap_or(0).max(8);
        out.push_str(&format!("\n{:<width$}  expectations  pass  FAIL\n", "scenario"));
        for s in all {
            let failed = s.expectations.iter().filter(|v| !v.pass).count();
            out.push_str(&format!(
                "{:<width$}  {:>12}  {:>4}  {:>4}\n",
                s.file,
                s.expectations.len(),
                s.expectations.len() - failed,
                failed
            ));
        }
    }
    let (total, failed) = counts(all);
    out.push_str(&format!(
        "{} scenario(s), {total} expectation(s): {} pass, {failed} FAIL\n",
        all.len(),
        total - failed
    ));
    out
}

/// The report for programs: every scenario's verdicts and the counts.
pub fn json(all: &[ScenarioVerdicts]) -> Vec<u8> {
    #[derive(Serialize)]
    struct Doc<'a> {
        expectations: usize,
        failed: usize,
        scenarios: &'a [ScenarioVerdicts],
    }
    let (expectations, failed) = counts(all);
    let mut out = serde_json::to_vec_pretty(&Doc {
        expectations,
        failed,
        scenarios: all,
    })
    .expect("verdicts serialize");
    out.push(b'\n');
    out
}
