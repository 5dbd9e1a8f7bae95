//! `fleetsim export aws SCENARIO`: the request bodies of the AWS calls that configure the
//! scenario (its endpoint, autoscaling and deployments), one file per call in call order, and
//! `apply.sh` with the `aws` CLI calls (never run by fleetsim).

use super::output::{check_dir, write_tree};
use crate::aws::{export, export_endpoint, export_recommendation};
use crate::scenario;
use std::path::{Path, PathBuf};

/// Options of `fleetsim export aws`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The scenario to export, or a scaling recommendation: the JSON `fleetsim recommend-scaling`
    /// prints (`GetScalingConfigurationRecommendation`'s response) or `fleetsim tune` writes
    /// (`recommendation.json`), recognised by its `DynamicScalingConfiguration`.
    pub scenario: PathBuf,
    /// For a recommendation: the endpoint to configure (default: the response's
    /// `EndpointName`; required for `tune`'s `recommendation.json`, which names none).
    #[arg(long)]
    pub endpoint_name: Option<String>,
    /// For a recommendation: the variant to configure.
    #[arg(long, default_value = "AllTraffic")]
    pub variant_name: String,
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
         (CreateModel is not written). An asynchronous endpoint's S3OutputPath is written as \
         ${S3_OUTPUT_PATH}: apply.sh puts in the S3_OUTPUT_PATH environment variable.\n",
    );
    s
}

/// `export aws RECOMMENDATION.json`: the requests that apply a recommendation.
fn export_recommendation(args: &ExportArgs, text: &str) -> anyhow::Result<()> {
    let file = args.scenario.display().to_string();
    if !args.set.is_empty() {
        anyhow::bail!("{file}: --set applies to a scenario, not to a recommendation");
    }
    let rec = export_recommendation::read(&file, text).map_err(anyhow::Error::msg)?;
    let Some(endpoint) = args.endpoint_name.clone().or(rec.endpoint_name) else {
        anyhow::bail!("{file}: the recommendation names no endpoint: give --endpoint-name");
    };
    for (flag, name) in [("--endpoint-name", &endpoint), ("--variant-name", &args.variant_name)] {
        // The API's pattern for endpoint and variant names.
        let ok = !name.is_empty()
            && name.len() <= 63
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !name.starts_with('-')
            && !name.ends_with('-');
        if !ok {
            anyhow::bail!(
                "{flag} {name:?}: allowed: 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen"
            );
        }
    }
    let e = export_recommendation::export(&rec.configuration, &endpoint, &args.variant_name);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("outputs").join(format!("aws-{endpoint}-recommendation")));
    write_export(&dir, &e, None, args)
}

/// Writes the request files and `apply.sh` (and `not-exported.txt` when given) into `dir`
/// atomically, and says what it wrote.
fn write_export(dir: &Path, e: &export::Export, not_exported: Option<String>, args: &ExportArgs) -> anyhow::Result<()> {
    check_dir(dir, args.force)?;
    let mut files: Vec<(String, Vec<u8>)> = e
        .calls
        .iter()
        .map(|c| (c.file.clone(), c.body.clone().into_bytes()))
        .collect();
    files.push(("apply.sh".into(), export::script(e).into_bytes()));
    if let Some(text) = not_exported {
        files.push(("not-exported.txt".into(), text.into_bytes()));
    }
    let refs: Vec<(String, &[u8])> = files.iter().map(|(n, b)| (n.clone(), b.as_slice())).collect();
    write_tree(dir, &refs, args.force)?;
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

pub fn export_aws(args: ExportArgs) -> anyhow::Result<()> {
    // A recommendation is JSON; a scenario is RON (which never parses as a JSON object).
    let small = std::fs::metadata(&args.scenario).is_ok_and(|m| m.len() <= crate::scenario::limits::MAX_INPUT_BYTES);
    if small {
        if let Ok(text) = std::fs::read_to_string(&args.scenario) {
            if export_recommendation::is_recommendation(&text) {
                return export_recommendation(&args, &text);
            }
        }
    }
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
    write_export(&dir, &e, Some(not_exported_text(&e)), &args)
}
