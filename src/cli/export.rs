//! `fleetsim export aws SCENARIO`: the request bodies of the AWS calls that configure the
//! scenario (its endpoint, autoscaling and deployments), one file per call in call order, and
//! `apply.sh` with the `aws` CLI calls (never run by fleetsim).

use super::output::{check_dir, write_tree};
use crate::aws::{export, export_endpoint};
use crate::scenario;
use std::path::{Path, PathBuf};

/// Options of `fleetsim export aws`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The scenario to export.
    pub scenario: PathBuf,
    /// Override a field of the scenario first (PATH=VALUE), repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output folder (default: outputs/aws-<scenario-name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Fail when a setting cannot be exported, instead of listing it.
    #[arg(long)]
    pub strict: bool,
    /// `--quiet`, the global flag (set after parsing).
    #[arg(skip)]
    pub quiet: bool,
    /// Replace the output folder even if it holds files fleetsim did not write.
    #[arg(long)]
    pub force: bool,
}

/// What `export` writes besides the requests: the settings left out, with the reason.
fn not_exported_text(e: &export::Export) -> String {
    let mut s =
        String::from("Settings of the scenario that no AWS request holds (the simulator's own, or managed by AWS):\n");
    if e.not_exported.is_empty() {
        s.push_str("none\n");
    }
    for n in &e.not_exported {
        s.push_str(&format!("- {n}\n"));
    }
    s.push_str(
        "\nAlso outside these requests, by design: the models' behaviour (service times, error rates), \
         launch times, worker slots, a deployment's time and the workload, which the simulator adds \
         to an AWS configuration. A variant's ModelName is its model's label: the models must exist \
         (CreateModel is not written). An asynchronous endpoint's S3OutputPath is a placeholder \
         bucket: put yours in before applying.\n",
    );
    s
}

pub fn export_aws(args: ExportArgs) -> anyhow::Result<()> {
    let loaded = scenario::load_for_run(&args.scenario, &args.set, None)?;
    let e = export_endpoint::export(&loaded.scenario).map_err(|m| anyhow::anyhow!("{}: {m}", loaded.file))?;
    if args.strict && !e.not_exported.is_empty() {
        anyhow::bail!(
            "{}: --strict: {} setting(s) cannot be exported:\n  {}",
            loaded.file,
            e.not_exported.len(),
            e.not_exported.join("\n  ")
        );
    }
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("outputs").join(format!("aws-{}", loaded.config.name)));
    check_dir(&dir, args.force)?;
    let mut files: Vec<(String, Vec<u8>)> = e
        .calls
        .iter()
        .map(|c| (c.file.clone(), c.body.clone().into_bytes()))
        .collect();
    files.push(("apply.sh".into(), export::script(&e).into_bytes()));
    files.push(("not-exported.txt".into(), not_exported_text(&e).into_bytes()));
    let refs: Vec<(String, &[u8])> = files.iter().map(|(n, b)| (n.clone(), b.as_slice())).collect();
    write_tree(&dir, &refs, args.force)?;
    if !args.quiet {
        for n in &e.not_exported {
            eprintln!("not exported: {n}");
        }
        for c in &e.calls {
            println!("{}  aws {}", c.file, c.command);
        }
        println!(
            "wrote     {}/  ({} requests and apply.sh)",
            dir.display(),
            e.calls.len()
        );
    }
    Ok(())
}
