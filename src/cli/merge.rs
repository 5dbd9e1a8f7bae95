//! `fleetsim merge OUT SHARD_DIR...`: combines the folders written by `fleetsim sweep --shard`
//! into the folder an unsharded sweep would have written.

use super::output::{check_dir, write_tree};
use crate::sweep::{self, merge::ShardInput};
use anyhow::Context;
use std::path::{Path, PathBuf};

pub fn merge(out: &Path, shard_dirs: &[PathBuf], quiet: bool, force: bool) -> anyhow::Result<()> {
    check_dir(out, force)?;
    let read = |dir: &Path, name: &str| {
        let p = dir.join(name);
        std::fs::read(&p).with_context(|| format!("merge: cannot read {}", p.display()))
    };
    let shards = shard_dirs
        .iter()
        .map(|d| {
            Ok(ShardInput {
                dir: d.display().to_string(),
                sweep_json: read(d, "sweep.json")?,
                runs_csv: read(d, "runs.csv")?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let (design, rendered) = sweep::merge::merge(&shards)?;
    let plots = super::plot::sweep_plots(&rendered.files);
    let mut files: Vec<(String, &[u8])> = rendered.files.iter().map(|(n, b)| (n.clone(), b.as_slice())).collect();
    files.extend(plots.iter().map(|p| (p.name.to_string(), p.bytes.as_slice())));
    write_tree(out, &files, force)?;
    if !quiet {
        print!("{}", sweep::table::terminal_report(&design, &rendered.table));
        println!(
            "wrote     {}/  ({} shards, {} points)",
            out.display(),
            shards.len(),
            design.points.len()
        );
    }
    Ok(())
}
