//! `fleetsim merge`: combines shard outputs into the outputs one machine would have written.
//!
//! The shards must come from the same sweep text and shard count, each index present once;
//! the design is rebuilt from the recorded sweep text and the runs are re-aggregated from
//! `runs.csv` (exact round-trip numbers) through the same code as an unsharded sweep.
//!
//! A shard folder is input like any other: every `sweep.json` must agree with its own
//! `sweep_text` and `command_line_set` (the `--set` the shards ran with) and with the other shards on everything but the shard index and the shard's
//! results, must come from this fleetsim version, and every `runs.csv` must hold exactly its
//! shard's points x replications with finite numbers, or the merge is refused naming the file,
//! line and column.

use super::design::Design;
use super::error::{shorten, SweepError};
use super::metrics::{self, Metrics};
use super::plan;
use super::run::RunRecord;
use super::shard::Shard;
use super::table::{parse_runs_csv, SweepJson};
use super::{render, Rendered};
use serde_json::Value;
use std::collections::BTreeMap;

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

/// `sweep.json` fields that differ between the shards of one sweep: the shard's own index and
/// the results judged among its points only.
const PER_SHARD: [&str; 4] = ["shard", "metrics", "best_point", "pareto_points"];

/// What a `sweep.json` field holds, for messages (the user edits JSON, not Rust types).
fn expected_at(path: &str) -> &'static str {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    let leaf = leaf.split('[').next().unwrap_or(leaf);
    match leaf {
        "" => "an object with the fields `fleetsim sweep --shard` writes",
        "replications" => "a whole number of replications, 1 or more",
        "axes" => "a list of axes, each an object with `name`, `path`, `kind` and `values`",
        "values" => "a list of the axis's values",
        "path" => "text or null",
        "metrics" | "constraints" => "a list of texts",
        "objective" => "null or an object with `direction` and `metric`",
        "best_point" => "null or a point number (0 or more)",
        "pareto_points" => "a list of point numbers (0 or more)",
        "shard" => "an object with `index` and `count`",
        "index" | "count" => "a whole number, 0 or more",
        _ => "text",
    }
}

/// The value at a `serde_path_to_error` path, for messages.
fn value_at<'a>(root: &'a Value, path: &serde_path_to_error::Path) -> Option<&'a Value> {
    use serde_path_to_error::Segment;
    path.iter().try_fold(root, |v, seg| match seg {
        Segment::Seq { index } => v.get(index),
        Segment::Map { key } => v.get(key),
        _ => None,
    })
}

/// Reads a shard's `sweep.json`: JSON syntax errors with line and column, shape errors with the
/// field path, the value found and what the field holds. Also returns the document as a JSON
/// value, to compare fields.
fn parse_sweep_json(dir: &str, bytes: &[u8]) -> Result<(SweepJson, Value), SweepError> {
    let file = format!("{dir}/sweep.json");
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        // serde_json ends its message with the position; it is given up front instead.
        let text = e.to_string();
        let message = text.split(" at line ").next().unwrap_or(&text);
        err(format!("{file}:{}:{}: not JSON: {message}", e.line(), e.column()))
    })?;
    let doc = serde_path_to_error::deserialize::<_, SweepJson>(&value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.inner().to_string();
        if inner.starts_with("missing field") {
            let at = if path == "." {
                String::new()
            } else {
                format!(" at `{path}`")
            };
            return err(format!(
                "{file}: {inner}{at}; a sweep.json written by `fleetsim sweep --shard` has it"
            ));
        }
        let found = value_at(&value, e.path()).map_or_else(String::new, |v| format!(" is {}", shorten(&v.to_string())));
        let field = if path == "." {
            "the document".to_string()
        } else {
            format!("field `{path}`")
        };
        err(format!("{file}: {field}{found}; expected {}", expected_at(&path)))
    })?;
    Ok((doc, value))
}

/// The first top-level field (other than `skip`) whose value differs between two documents.
fn first_difference<'a>(
    a: &'a Value,
    b: &'a Value,
    skip: &[&str],
) -> Option<(String, Option<&'a Value>, Option<&'a Value>)> {
    let (Some(ao), Some(bo)) = (a.as_object(), b.as_object()) else {
        return None;
    };
    let mut keys: Vec<&String> = ao.keys().chain(bo.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !skip.contains(&k.as_str()))
        .find(|k| ao.get(*k) != bo.get(*k))
        .map(|k| (k.clone(), ao.get(k), bo.get(k)))
}

fn show(v: Option<&Value>) -> String {
    v.map_or_else(|| "absent".to_string(), |v| shorten(&v.to_string()))
}

pub fn merge(shards: &[ShardInput]) -> Result<(Design, Rendered), SweepError> {
    let first = shards.first().ok_or_else(|| err("no shard folders given".into()))?;
    let docs = shards
        .iter()
        .map(|s| parse_sweep_json(&s.dir, &s.sweep_json))
        .collect::<Result<Vec<_>, _>>()?;
    let text = &docs[0].0.sweep_text;
    let Some(count) = docs[0].0.shard.map(|s| s.count) else {
        return Err(err(format!("{}: not a shard (sweep.json has no `shard`)", first.dir)));
    };
    if count == 0 {
        return Err(err(format!(
            "{}/sweep.json: field `shard.count` is 0; expected 1 or more",
            first.dir
        )));
    }
    let version = env!("CARGO_PKG_VERSION");
    // Indexed by shard; only a `seen` vector as long as the shard count the user gave folders for.
    if count > shards.len() {
        let seen: Vec<usize> = docs.iter().filter_map(|d| d.0.shard.map(|s| s.index)).collect();
        if let Some(missing) = (0..count).find(|i| !seen.contains(i)) {
            return Err(err(format!("shard {missing}/{count} is missing")));
        }
    }
    let mut seen = vec![None::<&str>; count];
    let mut shard_of: Vec<Shard> = Vec::with_capacity(shards.len());
    for (s, (d, v)) in shards.iter().zip(&docs) {
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
        if d.fleetsim_version != version {
            return Err(err(format!(
                "{}/sweep.json: written by fleetsim {}, but this is fleetsim {version}; merge with the version that ran the shards",
                s.dir,
                shorten(&d.fleetsim_version)
            )));
        }
        if let Some((field, a, b)) = first_difference(v, &docs[0].1, &PER_SHARD) {
            return Err(err(format!(
                "{}/sweep.json: `{field}` is {}, but {}/sweep.json has {}; the shards of one sweep agree on every field but `shard.index` and their own results",
                s.dir,
                show(a),
                first.dir,
                show(b)
            )));
        }
        shard_of.push(Shard { index: sh.index, count });
    }
    if let Some(missing) = seen.iter().position(Option::is_none) {
        return Err(err(format!("shard {missing}/{count} is missing")));
    }
    let file = format!("{}/sweep.json (sweep_text)", first.dir);
    let design = plan::design_with_set(text, &file, &docs[0].0.command_line_set)?;
    // The description must be the one its sweep text gives (an edited `replications` or axis
    // would otherwise be merged as if it were true).
    let described: Value = serde_json::from_slice(&super::table::sweep_json(
        &design,
        text,
        &super::table::aggregate(&design, &[], &[]),
        None,
    ))
    .expect("sweep.json is JSON");
    let mut skip = PER_SHARD.to_vec();
    skip.push("fleetsim_version");
    if let Some((field, a, b)) = first_difference(&docs[0].1, &described, &skip) {
        return Err(err(format!(
            "{}/sweep.json: `{field}` is {}, but its `sweep_text` gives {}",
            first.dir,
            show(a),
            show(b)
        )));
    }

    let reps = design.replications as usize;
    let mut records: Vec<RunRecord> = Vec::new();
    let mut names: Vec<Metrics> = Vec::new();
    // Replication r runs with seed base + r in every shard (common random numbers).
    let mut base_seed: Option<(u64, String)> = None;
    for ((s, (d, _)), shard) in shards.iter().zip(&docs).zip(&shard_of) {
        let file = format!("{}/runs.csv", s.dir);
        let (m, recs) = parse_runs_csv(&design, &s.runs_csv).map_err(|e| err(format!("{file}: {e}")))?;
        if m != d.metrics {
            return Err(err(format!(
                "{file}: line 1: the metric columns differ from `metrics` in {}/sweep.json",
                s.dir
            )));
        }
        let points = (0..design.points.len()).filter(|&p| shard.contains(p)).count();
        let mut at: BTreeMap<(usize, u32), u64> = BTreeMap::new();
        for (line, r) in &recs {
            if !shard.contains(r.point) {
                return Err(err(format!(
                    "{file}: line {line}, column 1 (`point`): point {} belongs to shard {}/{count}, not to this shard {shard}",
                    r.point,
                    r.point % count
                )));
            }
            if let Some(before) = at.insert((r.point, r.replication), *line) {
                return Err(err(format!(
                    "{file}: line {line}: point {} replication {} again (first on line {before})",
                    r.point, r.replication
                )));
            }
            let base = r.seed.wrapping_sub(u64::from(r.replication));
            match &base_seed {
                None => base_seed = Some((base, format!("{file}, line {line}"))),
                Some((b, place)) if *b != base => {
                    return Err(err(format!(
                        "{file}: line {line}, column {} (`seed`): seed {} for replication {}, but {place} gives replication r seed {b} + r",
                        design.axes.len() + 3,
                        r.seed,
                        r.replication
                    )));
                }
                Some(_) => {}
            }
        }
        if recs.len() != points * reps {
            return Err(err(format!(
                "{file}: {} rows; shard {shard} of this sweep has {points} points x {reps} replications = {} rows",
                recs.len(),
                points * reps
            )));
        }
        names.push(m.into_iter().map(|n| (n, None)).collect());
        records.extend(recs.into_iter().map(|(_, r)| r));
    }
    records.sort_by_key(|r| (r.point, r.replication));
    // Implied by the checks above (each shard holds each of its runs once, and the shards
    // cover every point once); checked in one pass so a mistake there cannot merge silently.
    let complete = records.len() == design.points.len() * reps
        && records
            .iter()
            .enumerate()
            .all(|(i, r)| (r.point, r.replication as usize) == (i / reps, i % reps));
    if !complete {
        return Err(err(format!(
            "the shards do not hold {} points x {reps} replications once each",
            design.points.len()
        )));
    }
    let metric_names = metrics::union(names.iter());
    let rendered = render(&design, text, &records, &metric_names, None);
    Ok((design, rendered))
}
