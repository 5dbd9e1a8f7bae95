//! `fleetsim merge`: combines shard outputs into the outputs one machine would have written.
//!
//! The shards must come from the same sweep text and shard count, each index present once;
//! the design is rebuilt from the recorded sweep text and the runs are re-aggregated from
//! `runs.csv` (exact round-trip numbers) through the same code as an unsharded sweep.

use super::design::Design;
use super::error::SweepError;
use super::metrics::{self, Metrics};
use super::plan;
use super::run::RunRecord;
use super::table::{read_runs_csv, SweepJson};
use super::{render, Rendered};

/// One shard's folder contents.
pub struct ShardInput {
    /// The folder, for messages.
    pub dir: String,
    pub sweep_json: Vec<u8>,
    pub runs_csv: Vec<u8>,
}

fn err(message: String) -> SweepError {
    SweepError::Merge { message }
}

pub fn merge(shards: &[ShardInput]) -> Result<(Design, Rendered), SweepError> {
    let first = shards.first().ok_or_else(|| err("no shard folders given".into()))?;
    let docs = shards
        .iter()
        .map(|s| {
            serde_json::from_slice::<SweepJson>(&s.sweep_json).map_err(|e| err(format!("{}/sweep.json: {e}", s.dir)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let text = &docs[0].sweep_text;
    let Some(count) = docs[0].shard.map(|s| s.count) else {
        return Err(err(format!("{}: not a shard (sweep.json has no `shard`)", first.dir)));
    };
    let mut seen = vec![None::<&str>; count];
    for (s, d) in shards.iter().zip(&docs) {
        if &d.sweep_text != text {
            return Err(err(format!(
                "{} comes from a different sweep than {} (sweep_text differs)",
                s.dir, first.dir
            )));
        }
        let Some(sh) = d.shard else {
            return Err(err(format!("{}: not a shard (sweep.json has no `shard`)", s.dir)));
        };
        if sh.count != count {
            return Err(err(format!(
                "{} is shard {}/{}, but {} has {count} shards",
                s.dir, sh.index, sh.count, first.dir
            )));
        }
        if sh.index >= count {
            return Err(err(format!("{}: shard index {} is out of range", s.dir, sh.index)));
        }
        if let Some(other) = seen[sh.index] {
            return Err(err(format!(
                "shard {}/{count} is given twice: {other} and {}",
                sh.index, s.dir
            )));
        }
        seen[sh.index] = Some(&s.dir);
    }
    if let Some(missing) = seen.iter().position(Option::is_none) {
        return Err(err(format!("shard {missing}/{count} is missing")));
    }
    let file = format!("{}/sweep.json (sweep_text)", first.dir);
    let design = Design::new(&plan::parse(text, &file)?, &file)?;
    let mut records: Vec<RunRecord> = Vec::new();
    let mut names: Vec<Metrics> = Vec::new();
    for s in shards {
        let (m, recs) = read_runs_csv(&design, &s.runs_csv).map_err(|e| err(format!("{}/runs.csv: {e}", s.dir)))?;
        names.push(m.into_iter().map(|n| (n, None)).collect());
        records.extend(recs);
    }
    records.sort_by_key(|r| (r.point, r.replication));
    let r = design.replications as usize;
    for p in 0..design.points.len() {
        let reps: Vec<u32> = records.iter().filter(|x| x.point == p).map(|x| x.replication).collect();
        if reps != (0..design.replications).collect::<Vec<_>>() {
            return Err(err(format!(
                "point {p}: expected replications 0..{r} once each, found {reps:?} across the shards"
            )));
        }
    }
    let metric_names = metrics::union(names.iter());
    let rendered = render(&design, text, &records, &metric_names, None);
    Ok((design, rendered))
}
