//! `fleetsim import aws FILE... --into BASE --out SCENARIO`: AWS request bodies merged into a
//! base scenario, written as a scenario file with a comment naming each imported item's source.

use super::output::{write_file, FileRule};
use crate::aws::import::{self, Input};
use crate::aws::import_traffic;
use crate::scenario;
use std::path::PathBuf;

/// Options of `fleetsim import aws`.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Request bodies (JSON, the `--cli-input-json` shape): CreateEndpointConfig,
    /// CreateEndpoint, UpdateEndpoint, RegisterScalableTarget, PutScalingPolicy,
    /// PutScheduledAction, PutMetricAlarm, recognised by their fields; and at most one
    /// CloudWatch export of the endpoint's Invocations (the JSON of `aws cloudwatch
    /// get-metric-statistics` or `get-metric-data`), which becomes the open-loop workload.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The base scenario: the models' behaviour, launch times, deployment times and the
    /// workload (unless a traffic export replaces it); what the requests configure replaces its own (its autoscaling and alarms
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
    let folder = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut inputs = Vec::new();
    // A CloudWatch export of Invocations is the workload, named from the written scenario's
    // folder; every other file is a request.
    let mut traffic: Option<(&PathBuf, String)> = None;
    for f in &args.files {
        let text = std::fs::read_to_string(f).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", f.display()))?;
        if import_traffic::is_traffic(&text) {
            if let Some((first, _)) = &traffic {
                anyhow::bail!(
                    "{}: a second traffic export (after {}); allowed: one, the endpoint's Invocations",
                    f.display(),
                    first.display()
                );
            }
            traffic = Some((f, text));
            continue;
        }
        inputs.push(Input {
            file: f.display().to_string(),
            text,
        });
    }
    let mut imported = import::import(&base, &inputs).map_err(anyhow::Error::msg)?;
    if let Some((f, text)) = &traffic {
        let path = import_traffic::relative_to(f, folder).map_err(anyhow::Error::msg)?;
        let file = f.display().to_string();
        let source = import_traffic::import(&mut imported.scenario, &file, text, &path.to_string_lossy())
            .map_err(anyhow::Error::msg)?;
        imported.sources.push(("workload".into(), source));
    }
    if args.strict && !imported.not_imported.is_empty() {
        anyhow::bail!(
            "--strict: {} setting(s) cannot be represented in a scenario:\n  {}",
            imported.not_imported.len(),
            imported.not_imported.join("\n  ")
        );
    }
    let header = format!(
        "// Imported by fleetsim import aws: {} file(s) into {}.\n// Each item marked `// from` is the requests'; the rest (models' behaviour, launch times,\n// deployment times, the workload) is the base scenario's.\n",
        args.files.len(),
        source.file
    );
    let text = import::to_ron(&imported, &header).map_err(anyhow::Error::msg)?;
    // The result must be a valid scenario where it is written (its data files, such as traces,
    // are read relative to its own folder) before it is written.
    let out = args.out.display().to_string();
    let parsed = scenario::parse(&text, &out)?;
    scenario::validate(&parsed, &out, folder).map_err(|e| traced(e, &imported.sources))?;
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

/// The request an invalid field of the imported scenario came from: the source of the item
/// (`autoscaling[0]`), or of its part (`policies[1] from FILE (PutScalingPolicy)`) when the path
/// goes into one. `None` for what the base supplied.
fn source_of<'a>(path: &str, sources: &'a [(String, String)]) -> Option<&'a str> {
    let mut best: Option<&str> = None;
    for (key, source) in sources {
        let Some(rest) = path.strip_prefix(key.as_str()) else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')) {
            continue;
        }
        match source.split_once(" from ") {
            // A part: it applies when the path goes into it.
            Some((part, from)) => {
                let inner = rest.trim_start_matches('.');
                if inner == part || inner.starts_with(&format!("{part}.")) || inner.starts_with(&format!("{part}[")) {
                    return Some(from);
                }
            }
            None => best = best.or(Some(source)),
        }
    }
    best
}

/// A validation error of the imported scenario, each field followed by the request it came
/// from, so the fix is made where the user keeps the configuration.
fn traced(e: scenario::ScenarioError, sources: &[(String, String)]) -> anyhow::Error {
    match e {
        scenario::ScenarioError::Invalid { file, mut errors } => {
            for err in &mut errors {
                if let Some(from) = source_of(&err.path, sources) {
                    err.path = format!("{} (from {from})", err.path);
                }
            }
            scenario::ScenarioError::Invalid { file, errors }.into()
        }
        e => e.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::source_of;

    #[test]
    fn a_field_is_traced_to_the_request_of_its_item_or_part() {
        let sources = vec![
            (
                "autoscaling[0]".to_string(),
                "t.json (RegisterScalableTarget)".to_string(),
            ),
            (
                "autoscaling[0]".to_string(),
                "policies[0] from p0.json (PutScalingPolicy)".to_string(),
            ),
            (
                "autoscaling[0]".to_string(),
                "policies[1] from p1.json (PutScalingPolicy)".to_string(),
            ),
            ("alarms[0]".to_string(), "a.json (PutMetricAlarm)".to_string()),
        ];
        let of = |p: &str| source_of(p, &sources);
        assert_eq!(
            of("autoscaling[0].min_capacity"),
            Some("t.json (RegisterScalableTarget)")
        );
        assert_eq!(
            of("autoscaling[0].policies[1].step_adjustments[1].lower"),
            Some("p1.json (PutScalingPolicy)")
        );
        assert_eq!(of("autoscaling[0].policies[0]"), Some("p0.json (PutScalingPolicy)"));
        assert_eq!(of("alarms[0].threshold"), Some("a.json (PutMetricAlarm)"));
        assert_eq!(of("alarms[1].threshold"), None);
        assert_eq!(of("autoscaling[10].min_capacity"), None);
        assert_eq!(of("endpoint.variants[0]"), None);
    }
}
