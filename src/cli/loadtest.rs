//! `fleetsim loadtest`: a `CreateInferenceRecommendationsJob` request (Advanced or Default)
//! run against model scenarios; saves the job like `fleetsim benchmark` does and writes a
//! folder with the job's steps, its minutes and a plot per test.

use super::output::{check_dir, check_file, write_dir, write_file};
use super::recommend::{job_path, JOB_FILE};
use crate::model::workload::stopping::{Flatness, MAX_FLAT_RISES};
use crate::recommend::goals::{rank, scores, Candidate, DeploymentGoals, Importance};
use crate::recommend::loadtest::checks::Target;
use crate::recommend::loadtest::{check, describe, run_job, JobRequest, ModelScenario, PatternValidation, TestOutcome};
use crate::recommend::RecommendationJob;
use crate::report::OutputFile;
use crate::scenario;
use crate::sim::EndpointKind;
use anyhow::{anyhow, bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Largest request file read \[bytes\]: a request of 10 configurations is a few kilobytes.
const MAX_REQUEST_BYTES: u64 = 1 << 20;

/// Options of `fleetsim loadtest`.
#[derive(clap::Args, Debug)]
pub struct LoadTestArgs {
    /// The CreateInferenceRecommendationsJob request (JSON, the AWS API's shape).
    pub request: PathBuf,
    /// A scenario whose endpoint gives the model's behaviour (service time, errors, worker
    /// slots, launch times; per instance type by its variants); repeatable, at least one.
    #[arg(long = "model", value_name = "SCENARIO", required = true)]
    pub models: Vec<PathBuf>,
    /// Override a field of every model scenario: PATH=VALUE.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Seed of every test (default: the first model scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Traffic-pattern ranges: strict (the API's, default) or lenient (any SpawnRate and
    /// user counts up to the simulator's bound).
    #[arg(long, value_enum, default_value_t = Validation::Strict)]
    pub validation: Validation,
    /// FlatInvocations: rises of the user count the flatness rule looks back over, 1 to 60.
    #[arg(long, default_value_t = 3, value_parser = parse_flat_rises)]
    pub flat_rises: usize,
    /// FlatInvocations: invocations growing less than this over those rises are flat
    /// [percent, above 0 and at most 100].
    #[arg(long, default_value_t = 5.0, value_parser = parse_flat_growth)]
    pub flat_growth_percent: f64,
    /// Deployment goal: how much the cost per inference matters in the ranking.
    #[arg(long, value_enum, default_value_t = Level::Lowest)]
    pub cost_importance: Level,
    /// Deployment goal: how much the model latency matters in the ranking.
    #[arg(long, value_enum, default_value_t = Level::Lowest)]
    pub latency_importance: Level,
    /// Deployment goal: how much the maximum invocations matter in the ranking.
    #[arg(long, value_enum, default_value_t = Level::Lowest)]
    pub throughput_importance: Level,
    /// Folder of saved jobs.
    #[arg(long, default_value = super::recommend::DEFAULT_JOBS_DIR)]
    pub jobs_dir: PathBuf,
    /// Output folder (default: outputs/loadtest-<JobName>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write no plots.
    #[arg(long)]
    pub no_plots: bool,
    /// `--quiet`, the global flag (set after parsing).
    #[arg(skip)]
    pub quiet: bool,
    /// Replace the job file and output folder even if fleetsim did not write them (never a
    /// device or link).
    #[arg(long)]
    pub force: bool,
}

/// Studio's importance levels of a deployment goal.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Lowest,
    Low,
    Moderate,
    High,
    Highest,
}

impl From<Level> for Importance {
    fn from(l: Level) -> Self {
        match l {
            Level::Lowest => Importance::Lowest,
            Level::Low => Importance::Low,
            Level::Moderate => Importance::Moderate,
            Level::High => Importance::High,
            Level::Highest => Importance::Highest,
        }
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validation {
    Strict,
    Lenient,
}

/// `--flat-rises`: 1 to [`MAX_FLAT_RISES`].
fn parse_flat_rises(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_FLAT_RISES).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number of rises from 1 to {MAX_FLAT_RISES}")),
    }
}

/// `--flat-growth-percent`: above 0 and at most 100.
fn parse_flat_growth(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x <= 100.0 => Ok(x),
        _ => Err("expected a percentage above 0 and at most 100".into()),
    }
}

pub fn loadtest(args: LoadTestArgs) -> anyhow::Result<()> {
    let shown = args.request.display().to_string();
    let req = read_request(&args.request)?;
    let mut models = Vec::new();
    for path in &args.models {
        let loaded = scenario::load(path, &args.set, None)?;
        for w in &loaded.warnings {
            if !args.quiet {
                eprintln!("warning: {}: {w}", loaded.file);
            }
        }
        models.push(ModelScenario {
            file: loaded.file,
            config: loaded.config,
        });
    }
    let seed = args.seed.unwrap_or(models[0].config.seed);
    let mode = match args.validation {
        Validation::Strict => PatternValidation::Strict,
        Validation::Lenient => PatternValidation::Lenient,
    };
    let mut job = check(&req, &default_instance_types(&models), mode).map_err(|errors| {
        let mut text = format!("{shown}: invalid CreateInferenceRecommendationsJob request:");
        for e in errors {
            let _ = write!(text, "\n  ValidationException: {e}");
        }
        anyhow!(text)
    })?;
    job.stops.flatness = Flatness {
        rises: args.flat_rises,
        growth: args.flat_growth_percent / 100.0,
    };
    if job.tests.is_empty() {
        bail!("{shown}: a Default job benchmarks the model scenarios' instance types, and none of the --model scenarios is a real-time endpoint of instances");
    }
    let warnings = warnings(&req, &job);
    if !args.quiet {
        for w in &warnings {
            eprintln!("warning: {shown}: {w}");
        }
    }
    let job_file = job_path(&args.jobs_dir, &job.name);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("outputs/loadtest-{}", job.name)));
    // Refuse what would be refused anyway before running anything.
    check_file(&job_file, &JOB_FILE, args.force)?;
    check_dir(&out, args.force)?;

    let count = job.tests.len().min(job.max_number_of_tests);
    let bar = progress(count, args.quiet);
    let done = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let outcomes = run_job(&job, &models, seed, &done)
        .map_err(|f| anyhow!("{shown}: test {} cannot be set up: {}", f.test, f.reason))?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let created = models[0].config.start_time;
    let model_files: Vec<String> = models.iter().map(|m| m.file.clone()).collect();
    let (described, steps) = describe(&req, &job, &outcomes, model_files.clone(), seed, created);

    let mut saved = serde_json::to_string_pretty(&described)?;
    saved.push('\n');
    let mut files = vec![
        OutputFile {
            name: "job.json".into(),
            bytes: saved.clone().into_bytes(),
        },
        OutputFile {
            name: "steps.json".into(),
            bytes: (serde_json::to_string_pretty(&steps)? + "\n").into_bytes(),
        },
        OutputFile {
            name: "minutes.csv".into(),
            bytes: minutes_csv(&job, &outcomes)?,
        },
    ];
    if !args.no_plots {
        for (i, o) in outcomes.iter().enumerate() {
            files.extend(crate::report::plot::render_load_test(
                &format!("test-{}", i + 1),
                &title(o),
                &plot_input(&job, o),
            )?);
        }
    }
    let goals = DeploymentGoals {
        cost: args.cost_importance.into(),
        latency: args.latency_importance.into(),
        throughput: args.throughput_importance.into(),
    };
    let ranking = ranking(&described, goals);
    let names: Vec<String> = std::iter::once("loadtest.json".to_string())
        .chain(files.iter().map(|f| f.name.clone()))
        .collect();
    let manifest = serde_json::json!({
        "fleetsim_version": env!("CARGO_PKG_VERSION"),
        "job_name": job.name,
        "request": serde_json::to_value(&req)?,
        "model_scenarios": model_files,
        "seed": seed,
        "flatness": {"rises": job.stops.flatness.rises, "growth_percent": args.flat_growth_percent},
        "deployment_goals": {
            "cost": format!("{:?}", goals.cost),
            "latency": format!("{:?}", goals.latency),
            "throughput": format!("{:?}", goals.throughput),
            "ranking": ranking.iter().map(|(id, score)| serde_json::json!({"RecommendationId": id, "score": score})).collect::<Vec<_>>(),
        },
        "not_simulated": warnings,
        "files": names,
    });
    files.insert(
        0,
        OutputFile {
            name: "loadtest.json".into(),
            bytes: (serde_json::to_string_pretty(&manifest)? + "\n").into_bytes(),
        },
    );
    write_dir(&out, &files, args.force)?;
    write_file(&job_file, saved.as_bytes(), &JOB_FILE, args.force)?;
    if !args.quiet {
        print!("{}", table(&described, &outcomes));
        if let Some((best, score)) = ranking.first() {
            let what = described
                .inference_recommendations
                .iter()
                .find(|r| &r.recommendation_id == best)
                .map(|r| {
                    let c = &r.endpoint_configuration;
                    format!(
                        "{}, {}",
                        c.endpoint_name,
                        c.instance_type.as_deref().unwrap_or("serverless")
                    )
                })
                .unwrap_or_default();
            println!(
                "recommended {best} ({what}) under the deployment goals cost {:?}, latency {:?}, throughput {:?}: score {score:.3}, the lowest of {}",
                goals.cost,
                goals.latency,
                goals.throughput,
                ranking.len()
            );
        }
        println!("wrote     {}", job_file.display());
        println!("wrote     {}/ ({} files)", out.display(), files.len());
    }
    Ok(())
}

/// The recommendations from best to worst under `goals`, with their scores (lower is better;
/// a recommendation without a price cannot win on cost).
fn ranking(job: &RecommendationJob, goals: DeploymentGoals) -> Vec<(String, f64)> {
    let recs = &job.inference_recommendations;
    let candidates: Vec<Candidate> = recs
        .iter()
        .map(|r| Candidate {
            instance_type: r
                .endpoint_configuration
                .instance_type
                .clone()
                .unwrap_or_else(|| "serverless".into()),
            cost_per_hour: r.metrics.cost_per_hour.unwrap_or(f64::INFINITY),
            cost_per_inference: r.metrics.cost_per_inference.unwrap_or(f64::INFINITY),
            model_latency_us: r.metrics.model_latency as f64,
            maximum_invocations: r.metrics.maximum_invocations,
        })
        .collect();
    let score = scores(goals, &candidates);
    rank(goals, &candidates)
        .into_iter()
        .map(|i| (recs[i].recommendation_id.clone(), score[i]))
        .collect()
}

/// The request, with a parse error at its line, column and field path.
fn read_request(path: &Path) -> anyhow::Result<JobRequest> {
    let shown = path.display();
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read {shown}"))?;
    if meta.len() > MAX_REQUEST_BYTES {
        bail!(
            "{shown}: {} bytes; allowed: a request of at most {MAX_REQUEST_BYTES} bytes",
            meta.len()
        );
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {shown}"))?;
    super::recommend::parse_json(path, &text, "a CreateInferenceRecommendationsJob request")
}

/// The instance types a Default job benchmarks: those of the real-time model scenarios'
/// variants, each once, in order.
fn default_instance_types(models: &[ModelScenario]) -> Vec<String> {
    let mut types: Vec<String> = Vec::new();
    for m in models {
        if m.config.endpoint.kind != EndpointKind::RealTime || m.config.endpoint.components.is_some() {
            continue;
        }
        for v in &m.config.endpoint.variants {
            if !types.contains(&v.instance.name) {
                types.push(v.instance.name.clone());
            }
        }
    }
    types
}

/// What the request asks that the simulation does not do.
fn warnings(req: &JobRequest, job: &crate::recommend::loadtest::CheckedJob) -> Vec<String> {
    let mut out: Vec<String> = req
        .not_simulated()
        .into_iter()
        .map(|f| format!("{f} is accepted but not simulated (the model's behaviour comes from --model)"))
        .collect();
    let input = &req.input_config;
    if input.endpoints.is_some() && input.endpoint_configurations.is_some() {
        out.push("InputConfig.EndpointConfigurations is not used: InputConfig.Endpoints names existing endpoints, and the tests run against them".into());
    }
    if job.tests.iter().any(|t| !t.environment.is_empty()) {
        out.push(
            "EnvironmentParameterRanges: each combination runs as its own test, on the same simulated model (environment values do not change it)"
                .into(),
        );
    }
    if job.tests.len() > job.max_number_of_tests {
        out.push(format!(
            "{} tests requested; ResourceLimit.MaxNumberOfTests runs the first {}",
            job.tests.len(),
            job.max_number_of_tests
        ));
    }
    out
}

fn progress(tests: usize, quiet: bool) -> Option<ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let b = ProgressBar::new(tests as u64);
    b.set_style(
        ProgressStyle::with_template("{spinner} load tests [{bar:30}] {pos}/{len}  {elapsed} elapsed")
            .expect("static template")
            .progress_chars("=> "),
    );
    Some(b)
}

/// What a test ran on, for titles and tables.
fn target_label(o: &TestOutcome) -> String {
    let base = match &o.plan.target {
        Target::Instance(t) => t.clone(),
        Target::Serverless {
            memory_size_in_mb,
            max_concurrency,
            ..
        } => format!("serverless {memory_size_in_mb} MB x {max_concurrency}"),
        Target::Existing(name) => format!("endpoint {name}"),
    };
    if o.plan.environment.is_empty() {
        base
    } else {
        let env: Vec<String> = o.plan.environment.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{base} ({})", env.join(", "))
    }
}

fn title(o: &TestOutcome) -> String {
    format!("{}: {}", o.facts.endpoint_name, target_label(o))
}

/// The per-test plot's data.
fn plot_input(job: &crate::recommend::loadtest::CheckedJob, o: &TestOutcome) -> crate::report::plot::LoadTestPlot {
    crate::report::plot::LoadTestPlot {
        users: o.minutes.iter().map(|m| m.users).collect(),
        invocations: o.minutes.iter().map(|m| m.invocations).collect(),
        latency_mean_ms: o
            .minutes
            .iter()
            .map(|m| m.model_latency_mean_us.map(|u| u / 1000.0))
            .collect(),
        latency_at_threshold_ms: o
            .minutes
            .iter()
            .map(|m| m.latency_at_threshold_us.map(|u| u / 1000.0))
            .collect(),
        threshold: job.stops.latency.map(|(p, us)| (p, us as f64 / 1000.0)),
        max_invocations: job.stops.max_invocations,
        stop: o.stop.as_str().to_string(),
        skipped: matches!(o.slot, crate::recommend::loadtest::schedule::Slot::Skipped { .. }),
    }
}

/// One row per test and minute: pandas reads it with `read_csv`.
fn minutes_csv(job: &crate::recommend::loadtest::CheckedJob, outcomes: &[TestOutcome]) -> anyhow::Result<Vec<u8>> {
    let pct = job.stops.latency.map(|(p, _)| p);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "test",
        "endpoint_name",
        "configuration",
        "minute",
        "start_s",
        "users",
        "invocations",
        "failures",
        "model_latency_mean_ms",
    ]
    .map(String::from)
    .to_vec();
    if let Some(p) = pct {
        header.push(format!("model_latency_p{p}_ms"));
    }
    header.extend(["cpu_utilization".to_string(), "stop_reason".to_string()]);
    w.write_record(&header)?;
    let ms = |v: Option<f64>| v.map_or(String::new(), |u| format!("{:.3}", u / 1000.0));
    for (i, o) in outcomes.iter().enumerate() {
        let last = o.minutes.len().saturating_sub(1);
        for (k, m) in o.minutes.iter().enumerate() {
            let mut row = vec![
                (i + 1).to_string(),
                o.facts.endpoint_name.clone(),
                target_label(o),
                k.to_string(),
                (60 * k).to_string(),
                m.users.to_string(),
                m.invocations.to_string(),
                m.failures.to_string(),
                ms(m.model_latency_mean_us),
            ];
            if pct.is_some() {
                row.push(ms(m.latency_at_threshold_us));
            }
            row.push(o.cpu_utilization[k].map_or(String::new(), |c| format!("{c:.2}")));
            row.push(if k == last {
                o.stop.as_str().to_string()
            } else {
                String::new()
            });
            w.write_record(&row)?;
        }
    }
    w.into_inner().map_err(|e| anyhow!("cannot write minutes.csv: {e}"))
}

/// The terminal table: one line per test, in request order.
fn table(job: &RecommendationJob, outcomes: &[TestOutcome]) -> String {
    let mut s = format!(
        "{:<4} {:<30} {:<32} {:>6} {:>10} {:>11} {:>5} {:>9} {:>11}  {:<22} status\n",
        "test",
        "EndpointName",
        "configuration",
        "users",
        "MaxInv/min",
        "Latency ms",
        "count",
        "USD/h",
        "USD/infer",
        "stop"
    );
    let by_endpoint = |name: &str| {
        job.inference_recommendations
            .iter()
            .find(|r| r.endpoint_configuration.endpoint_name == name)
    };
    for (i, o) in outcomes.iter().enumerate() {
        let skipped = matches!(o.slot, crate::recommend::loadtest::schedule::Slot::Skipped { .. });
        let users = o.minutes.last().map_or(0, |m| m.users);
        let (inv, lat, count, cph, cpi) = match by_endpoint(&o.facts.endpoint_name) {
            Some(r) if !skipped => (
                r.metrics.maximum_invocations.to_string(),
                format!("{:.3}", r.metrics.model_latency as f64 / 1000.0),
                r.endpoint_configuration
                    .initial_instance_count
                    .map_or("-".into(), |c| c.to_string()),
                r.metrics.cost_per_hour.map_or("-".into(), |c| format!("{c:.3}")),
                r.metrics.cost_per_inference.map_or("-".into(), |c| format!("{c:.3e}")),
            ),
            _ => {
                let perf = job
                    .endpoint_performances
                    .iter()
                    .flatten()
                    .find(|p| o.facts.endpoint_name == p.endpoint_info.endpoint_name)
                    .filter(|_| !skipped);
                match perf {
                    Some(p) => (
                        p.metrics.max_invocations.to_string(),
                        format!("{:.3}", p.metrics.model_latency as f64 / 1000.0),
                        o.facts.instances.to_string(),
                        "-".into(),
                        "-".into(),
                    ),
                    None => ("-".into(), "-".into(), "-".into(), "-".into(), "-".into()),
                }
            }
        };
        let _ = writeln!(
            s,
            "{:<4} {:<30} {:<32} {:>6} {:>10} {:>11} {:>5} {:>9} {:>11}  {:<22} {}",
            i + 1,
            o.facts.endpoint_name,
            target_label(o),
            users,
            inv,
            lat,
            count,
            cph,
            cpi,
            if skipped { "-" } else { o.stop.as_str() },
            if skipped {
                "STOPPED (not started in time)"
            } else {
                "COMPLETED"
            }
        );
    }
    s
}
