//! `fleetsim benchmark` (a recommendation job over a scenario's variants, saved as JSON) and
//! `fleetsim recommend-scaling` (`GetScalingConfigurationRecommendation` over a saved job).

use super::output::{check_file, write_file, FileRule};
use crate::autoscaling::guidance::NOTEBOOK_BAND_PERCENT;
use crate::recommend::benchmark::{MAX_MINUTES, MAX_STEP_RPS};
use crate::recommend::job::RecommendationJob;
use crate::recommend::request::{ScalingPolicyObjective, ScalingRecommendationRequest};
use crate::recommend::response::at_cpu_target;
use crate::recommend::{recommend, run_benchmark, BenchmarkOptions, JobInput, RecommendOptions, RecommendationError};
use crate::scenario;
use anyhow::{anyhow, Context};
use std::path::{Path, PathBuf};

/// Where jobs are kept unless `--jobs-dir` says otherwise.
pub const DEFAULT_JOBS_DIR: &str = "outputs/recommendation-jobs";

/// Options of `fleetsim benchmark`.
#[derive(clap::Args, Debug)]
pub struct BenchmarkArgs {
    /// Scenario whose variants are benchmarked (one recommendation per variant).
    pub scenario: PathBuf,
    /// Name of the job (JobName): letters, digits and hyphens.
    #[arg(long)]
    pub job_name: String,
    /// Folder of saved jobs.
    #[arg(long, default_value = DEFAULT_JOBS_DIR)]
    pub jobs_dir: PathBuf,
    /// Override a scenario field: PATH=VALUE.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Run seed (overrides the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Load added each minute [requests per second], more than 0 and at most 1000000 (default:
    /// a twentieth of the instance's nominal capacity); step x max minutes at most 1e9.
    #[arg(long, value_parser = parse_step_rps)]
    pub step_rps: Option<f64>,
    /// Longest staircase [minutes], 1 to 10080 (one week).
    #[arg(long, default_value_t = 60, value_parser = parse_max_minutes)]
    pub max_minutes: u32,
    /// `--quiet`, the global flag (set after parsing).
    #[arg(skip)]
    pub quiet: bool,
    /// Replace the job's file even if it is not a job fleetsim saved (never a folder, device
    /// or link).
    #[arg(long)]
    pub force: bool,
}

/// Options of `fleetsim recommend-scaling`; the flags mirror the request fields.
#[derive(clap::Args, Debug)]
pub struct RecommendArgs {
    /// A request in the AWS JSON shape; flags given beside it override its fields.
    #[arg(long)]
    pub request: Option<PathBuf>,
    /// InferenceRecommendationsJobName.
    #[arg(long)]
    pub job_name: Option<String>,
    /// RecommendationId (exactly one of this and --endpoint-name).
    #[arg(long)]
    pub recommendation_id: Option<String>,
    /// EndpointName of a benchmarked endpoint (exactly one of this and --recommendation-id).
    #[arg(long)]
    pub endpoint_name: Option<String>,
    /// TargetCpuUtilizationPerCore [an integer percentage from 1 to 100, default 50].
    #[arg(long, value_parser = parse_target_cpu)]
    pub target_cpu_utilization_per_core: Option<u32>,
    /// ScalingPolicyObjective.MinInvocationsPerMinute [a whole number, 0 or more].
    #[arg(long, value_parser = parse_invocations)]
    pub min_invocations_per_minute: Option<u64>,
    /// ScalingPolicyObjective.MaxInvocationsPerMinute [a whole number, 0 or more].
    #[arg(long, value_parser = parse_invocations)]
    pub max_invocations_per_minute: Option<u64>,
    /// Also recommend a CPUUtilization target tracking policy (target = per-core target x vCPUs).
    #[arg(long)]
    pub cpu_policy: bool,
    /// Folder of saved jobs.
    #[arg(long, default_value = DEFAULT_JOBS_DIR)]
    pub jobs_dir: PathBuf,
}

/// `--step-rps`: a rate above 0 and at most [`MAX_STEP_RPS`].
fn parse_step_rps(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x <= MAX_STEP_RPS => Ok(x),
        _ => Err(format!(
            "expected requests per second added each minute: a number above 0 and at most {MAX_STEP_RPS}"
        )),
    }
}

/// `--max-minutes`: a whole number of minutes from 1 to [`MAX_MINUTES`].
fn parse_max_minutes(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_MINUTES).contains(&n) => Ok(n),
        _ => Err(format!(
            "expected a whole number of minutes from 1 to {MAX_MINUTES} (one week)"
        )),
    }
}

/// `--target-cpu-utilization-per-core`: an integer percentage, as the API field is.
fn parse_target_cpu(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => Err("expected an integer percentage from 1 to 100 (TargetCpuUtilizationPerCore)".into()),
    }
}

/// `--min/max-invocations-per-minute`: a whole number of invocations.
fn parse_invocations(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| format!("expected a whole number of invocations per minute, 0 to {}", u64::MAX))
}

fn check_job_name(name: &str) -> Result<(), RecommendationError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(RecommendationError::Validation(format!(
            "job name {name:?}: allowed 1 to 64 letters, digits and hyphens, not starting with a hyphen"
        )))
    }
}

pub(super) fn job_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.json"))
}

/// A saved job may replace a file only if that file is a saved job too.
pub(super) const JOB_FILE: FileRule = FileRule {
    what: "a recommendation job",
    elsewhere: "another --job-name or --jobs-dir",
    is_ours: |bytes| serde_json::from_slice::<RecommendationJob>(bytes).is_ok(),
};

pub fn benchmark(args: BenchmarkArgs) -> anyhow::Result<()> {
    check_job_name(&args.job_name)?;
    let path = job_path(&args.jobs_dir, &args.job_name);
    // Refuse a path that would be refused anyway before benchmarking.
    check_file(&path, &JOB_FILE, args.force)?;
    let loaded = scenario::load(&args.scenario, &args.set, args.seed)?;
    let opts = BenchmarkOptions {
        step_rps: args.step_rps,
        max_minutes: args.max_minutes,
        ..BenchmarkOptions::default()
    };
    let config = &loaded.config;
    let benchmarks = config
        .endpoint
        .variant_ids()
        .map(|v| run_benchmark(config, v, &opts))
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("cannot benchmark {}", loaded.file))?;
    let input = JobInput {
        scenario: loaded.file.clone(),
        seed: config.seed,
        step_rps: benchmarks[0].step_rps,
    };
    let job = RecommendationJob::new(&args.job_name, input, &benchmarks);
    let mut text = serde_json::to_string_pretty(&job)?;
    text.push('\n');
    write_file(&path, text.as_bytes(), &JOB_FILE, args.force)?;
    if !args.quiet {
        print!("{}", job_table(&job));
        println!("wrote     {}", path.display());
    }
    Ok(())
}

/// The job as a terminal table, with the notebook's band limits per recommendation.
fn job_table(job: &RecommendationJob) -> String {
    let (lo, hi) = NOTEBOOK_BAND_PERCENT;
    let mut s = format!(
        "{:<22} {:<24} {:<14} {:>10} {:>12} {:>12} {:>10} {:>10}  stop\n",
        "RecommendationId",
        "EndpointName",
        "InstanceType",
        "MaxInv/min",
        "Latency ms",
        "USD/infer",
        "band 45%",
        "band 55%"
    );
    for r in &job.inference_recommendations {
        let band = |p: f64| at_cpu_target(&r.benchmark, p).map_or("-".to_string(), |(ipm, _)| format!("{ipm:.0}"));
        s += &format!(
            "{:<22} {:<24} {:<14} {:>10} {:>12.3} {:>12} {:>10} {:>10}  {}\n",
            r.recommendation_id,
            r.endpoint_configuration.endpoint_name,
            r.endpoint_configuration
                .instance_type
                .as_deref()
                .unwrap_or("serverless"),
            r.metrics.maximum_invocations,
            r.metrics.model_latency as f64 / 1000.0,
            r.metrics
                .cost_per_inference
                .map_or("-".to_string(), |c| format!("{c:.3e}")),
            band(lo),
            band(hi),
            r.stop_reason,
        );
    }
    s
}

fn read_request(path: &Path) -> anyhow::Result<ScalingRecommendationRequest> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut de = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        // serde names the Rust type a field has (`expected u32`); say what the field takes.
        let message = match request_field_takes(&field) {
            Some(takes) if inner.is_data() && inner.to_string().starts_with("invalid ") => {
                format!("`{field}` expects {takes}")
            }
            _ => inner.to_string(),
        };
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        anyhow!(
            "{}:{}:{}: not a GetScalingConfigurationRecommendation request: {message}",
            path.display(),
            inner.line(),
            inner.column()
        )
    })
}

/// What a request field takes, in the API's terms.
fn request_field_takes(field: &str) -> Option<&'static str> {
    Some(match field.rsplit('.').next()? {
        "TargetCpuUtilizationPerCore" => "an integer percentage from 1 to 100",
        "MinInvocationsPerMinute" | "MaxInvocationsPerMinute" => "a whole number of invocations per minute, 0 or more",
        "ScalingPolicyObjective" => "an object with MinInvocationsPerMinute and MaxInvocationsPerMinute",
        "InferenceRecommendationsJobName" | "RecommendationId" | "EndpointName" => "a string",
        _ => return None,
    })
}

fn read_job(path: &Path) -> anyhow::Result<Option<RecommendationJob>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    match parse_job::<crate::recommend::job::JobInputConfig>(path, &text) {
        Ok(job) => Ok(Some(job)),
        Err(first) => {
            // Neither kind of input matched: parse again as the kind the file's input looks
            // like, so the message names the field at fault instead of "no variant matched".
            let staircase = serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| {
                v.get("InputConfig")
                    .is_some_and(|i| i.get("Scenario").is_some() || i.get("StepRps").is_some())
            });
            let precise = if staircase {
                parse_job::<JobInput>(path, &text).err()
            } else {
                parse_job::<crate::recommend::loadtest::request::InputConfig>(path, &text).err()
            };
            Err(precise.unwrap_or(first))
        }
    }
}

/// A saved job whose input is of type `I`, or the parse error at its line, column and field.
fn parse_job<I: serde::de::DeserializeOwned>(path: &Path, text: &str) -> anyhow::Result<RecommendationJob<I>> {
    parse_json(path, text, "a saved recommendation job")
}

/// `text` (the file at `path`) as a `T`, or an error naming the line, column and field path,
/// with serde's type names in words; `what` says what the file should have been.
pub(super) fn parse_json<T: serde::de::DeserializeOwned>(path: &Path, text: &str, what: &str) -> anyhow::Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        let message = plain_types(message.split(" at line ").next().unwrap_or(&message));
        let at = if field == "." {
            String::new()
        } else {
            format!(" (at {field})")
        };
        anyhow!(
            "{}:{}:{}: not {what}: {message}{at}",
            path.display(),
            inner.line(),
            inner.column()
        )
    })
}

/// serde's names of number types in a message, in words (a job file is edited as JSON).
fn plain_types(message: &str) -> String {
    [
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected f64", "expected a number"),
        ("expected i64", "expected an integer"),
    ]
    .iter()
    .fold(message.to_string(), |m, (from, to)| m.replace(from, to))
}

pub fn recommend_scaling(args: RecommendArgs) -> anyhow::Result<()> {
    let mut req = match &args.request {
        Some(p) => read_request(p)?,
        None => ScalingRecommendationRequest::default(),
    };
    if let Some(j) = args.job_name {
        req.inference_recommendations_job_name = j;
    }
    if args.recommendation_id.is_some() {
        req.recommendation_id = args.recommendation_id;
    }
    if args.endpoint_name.is_some() {
        req.endpoint_name = args.endpoint_name;
    }
    if args.target_cpu_utilization_per_core.is_some() {
        req.target_cpu_utilization_per_core = args.target_cpu_utilization_per_core;
    }
    if args.min_invocations_per_minute.is_some() || args.max_invocations_per_minute.is_some() {
        let o = req
            .scaling_policy_objective
            .get_or_insert_with(ScalingPolicyObjective::default);
        if args.min_invocations_per_minute.is_some() {
            o.min_invocations_per_minute = args.min_invocations_per_minute;
        }
        if args.max_invocations_per_minute.is_some() {
            o.max_invocations_per_minute = args.max_invocations_per_minute;
        }
    }
    let checked = req.check()?;
    check_job_name(&checked.job_name)?;
    let job = read_job(&job_path(&args.jobs_dir, &checked.job_name))?;
    let answer = recommend(
        &checked,
        job.as_ref(),
        RecommendOptions {
            cpu_policy: args.cpu_policy,
        },
    )?;
    println!("{}", serde_json::to_string_pretty(&answer)?);
    Ok(())
}
