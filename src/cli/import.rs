//! `fleetsim import aws FILE... --into BASE --out SCENARIO`: AWS request bodies merged into a
//! base scenario, written as a scenario file with a comment naming each imported item's source.

use super::output::{write_file, FileRule};
use crate::aws::import::{self, Input};
use crate::scenario;
use std::path::PathBuf;

/// Options of `fleetsim import aws`.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Request bodies (JSON, the `--cli-input-json` shape): CreateEndpointConfig,
    /// CreateEndpoint, UpdateEndpoint, RegisterScalableTarget, PutScalingPolicy,
    /// PutScheduledAction, PutMetricAlarm, recognised by their fields.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The base scenario: the models' behaviour, launch times, deployment times and the
    /// workload; what the requests configure replaces its own (its autoscaling and alarms
    /// only when the requests hold some).
    #[arg(long)]
    pub into: PathBuf,
    /// The scenario file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace the output file even if fleetsim did not write it.
    #[arg(long)]
    pub force: bool,
    /// Fail when a request holds a setting the scenario cannot represent, instead of listing it.
    #[arg(long)]
    pub strict: bool,
    /// `--quiet`, the global flag (set after parsing).
    #[arg(skip)]
    pub quiet: bool,
}

/// A scenario written by `import` may be replaced by another import.
const SCENARIO_FILE: FileRule = FileRule {
    what: "a scenario imported by fleetsim",
    elsewhere: "another file name",
    is_ours: |bytes| bytes.starts_with(b"// Imported by fleetsim import aws"),
};

pub fn import_aws(args: ImportArgs) -> anyhow::Result<()> {
    let source = scenario::Source::read(&args.into)?;
    let base = scenario::parse(&source.text, &source.file)?;
    let mut inputs = Vec::new();
    for f in &args.files {
        let text = std::fs::read_to_string(f).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", f.display()))?;
        inputs.push(Input {
            file: f.display().to_string(),
            text,
        });
    }
    let imported = import::import(&base, &inputs).map_err(anyhow::Error::msg)?;
    if args.strict && !imported.not_imported.is_empty() {
        anyhow::bail!(
            "--strict: {} setting(s) cannot be represented in a scenario:\n  {}",
            imported.not_imported.len(),
            imported.not_imported.join("\n  ")
        );
    }
    let header = format!(
        "// Imported by fleetsim import aws: {} request file(s) into {}.\n// Each item marked `// from` is the requests'; the rest (models' behaviour, launch times,\n// deployment times, the workload) is the base scenario's.\n",
        inputs.len(),
        source.file
    );
    let text = import::to_ron(&imported, &header).map_err(anyhow::Error::msg)?;
    // The result must be a valid scenario where it is written (its data files, such as traces,
    // are read relative to its own folder) before it is written.
    let out = args.out.display().to_string();
    let parsed = scenario::parse(&text, &out)?;
    let folder = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    scenario::validate(&parsed, &out, folder)?;
    write_file(&args.out, text.as_bytes(), &SCENARIO_FILE, args.force)?;
    if !args.quiet {
        for n in &imported.not_imported {
            eprintln!("not imported: {n}");
        }
        for (k, s) in &imported.sources {
            println!("{k:<16} from {s}");
        }
        println!("wrote     {out}");
    }
    Ok(())
}
