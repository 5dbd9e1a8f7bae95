//! `fleetsim tune SCENARIO`: benchmark, `MAX_RPS`, sizing, a safety-factor sweep on the
//! scenario's own traffic, and the cheapest setting whose confidence bounds meet the
//! objectives; writes `outputs/tune-<name>/` with the recommendation and its evidence.

use super::output::{check_dir, write_tree};
use crate::report::{self, ManifestInput};
use crate::scenario;
use crate::sweep::{self, plan};
use crate::tune::{self, report as tune_report, Objectives, Options};
use std::path::{Component, Path, PathBuf};
use std::time::Instant;

/// Options of `fleetsim tune`.
#[derive(clap::Args, Debug)]
pub struct TuneArgs {
    /// The scenario: the endpoint, its traffic and a target tracking policy on
    /// SageMakerVariantInvocationsPerInstance to tune.
    pub scenario: PathBuf,
    /// Override a field of the scenario first (PATH=VALUE), repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// SLO percentile (default: the scenario's `slo`).
    #[arg(long)]
    pub percentile: Option<f64>,
    /// SLO latency at that percentile, e.g. 250ms (default: the scenario's `slo`).
    #[arg(long)]
    pub latency: Option<String>,
    /// Judge the SLO in every minute (each run's worst minute) instead of over the run.
    #[arg(long)]
    pub per_minute: bool,
    /// Largest share of failed requests per run, in percent.
    #[arg(long, default_value_t = 1.0, value_name = "PERCENT")]
    pub error_budget: f64,
    /// Largest cost of a run [USD].
    #[arg(long, value_name = "USD")]
    pub max_cost: Option<f64>,
    /// Confidence level of the one-sided bounds that must meet the objectives, in percent.
    #[arg(long, default_value_t = 95.0, value_name = "PERCENT")]
    pub confidence: f64,
    /// Safety factors to try (comma-separated, each in (0, 1]).
    #[arg(long, value_delimiter = ',', default_values_t = tune::DEFAULT_SAFETY_FACTORS.to_vec())]
    pub safety_factors: Vec<f64>,
    /// Also try these scale-in cooldowns [s] (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "SECONDS")]
    pub scale_in_cooldowns: Vec<u64>,
    /// Also try these scale-out cooldowns [s] (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "SECONDS")]
    pub scale_out_cooldowns: Vec<u64>,
    /// Try these MinCapacity values instead of deriving it from the expected minimum rate.
    #[arg(long, value_delimiter = ',')]
    pub min_capacities: Vec<u32>,
    /// Runs per setting (seeds base, base + 1, ...; the same at every setting).
    #[arg(long, default_value_t = 10)]
    pub replications: u32,
    /// MaxCapacity headroom beyond the expected maximum rate.
    #[arg(long, default_value_t = 1.2)]
    pub growth_factor: f64,
    /// Expected minimum rate [requests/s] (default: the workload's lowest minute).
    #[arg(long)]
    pub min_rps: Option<f64>,
    /// Expected maximum rate [requests/s] (default: the workload's highest minute).
    #[arg(long)]
    pub max_rps: Option<f64>,
    /// Benchmark load added per minute [requests/s] (default: a twentieth of the instance's
    /// nominal capacity).
    #[arg(long, value_name = "RPS")]
    pub benchmark_step: Option<f64>,
    /// Drive the benchmark with virtual users instead of the open-loop staircase: this many more
    /// closed-loop users every minute (no think time).
    #[arg(long, value_name = "USERS")]
    pub benchmark_users_per_minute: Option<u32>,
    /// Longest benchmark [minutes].
    #[arg(long, default_value_t = 40)]
    pub benchmark_minutes: u32,
    /// A benchmark minute whose latency exceeds this multiple of the first minute's is past
    /// the knee.
    #[arg(long, default_value_t = 4.0)]
    pub knee_latency_factor: f64,
    /// Output folder (default: outputs/tune-<scenario-name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads, 1 to 256 (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = super::sweep::parse_threads)]
    pub threads: Option<usize>,
    /// `--quiet`, the global flag (set after parsing).
    #[arg(skip)]
    pub quiet: bool,
    /// Replace the output folder even if it holds files fleetsim did not write.
    #[arg(long)]
    pub force: bool,
}

/// `path` made absolute against the working folder, `.` and `..` resolved without touching
/// the file system (the output folder does not exist yet).
fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// `to` relative to the folder `from`, with `/` separators (for a file's text).
fn relative(from: &Path, to: &Path) -> anyhow::Result<String> {
    let (from, to) = (absolute(from)?, absolute(to)?);
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); a.len() - common];
    parts.extend(b[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    Ok(parts.join("/"))
}

fn options(args: &TuneArgs, slo: Option<crate::sim::Slo>) -> anyhow::Result<Options> {
    let percentile = args.percentile.or(slo.map(|s| s.percentile));
    let latency_ms = match &args.latency {
        Some(text) => Some(
            scenario::duration::parse_duration(text)
                .map_err(|e| anyhow::anyhow!("--latency {text:?}: {e}"))?
                .0 as f64
                / 1000.0,
        ),
        None => slo.map(|s| s.latency.0 as f64 / 1000.0),
    };
    let (Some(percentile), Some(latency_ms)) = (percentile, latency_ms) else {
        anyhow::bail!(
            "{}: no latency objective: the scenario has no `slo`; give --percentile and --latency (e.g. --percentile 99 --latency 250ms)",
            args.scenario.display()
        );
    };
    if !(50.0..=99.9).contains(&args.confidence) {
        anyhow::bail!("--confidence {}: allowed: 50 to 99.9 (percent)", args.confidence);
    }
    let rates = match (args.min_rps, args.max_rps) {
        (Some(min_rps), Some(max_rps)) => Some(tune::rates::Rates { min_rps, max_rps }),
        (None, None) => None,
        _ => anyhow::bail!("give both --min-rps and --max-rps, or neither (the workload's rates are used)"),
    };
    Ok(Options {
        objectives: Objectives {
            percentile,
            latency_ms,
            per_minute: args.per_minute,
            error_budget: args.error_budget / 100.0,
            max_cost_usd: args.max_cost,
            confidence: args.confidence / 100.0,
        },
        safety_factors: args.safety_factors.clone(),
        scale_in_cooldowns: args.scale_in_cooldowns.clone(),
        scale_out_cooldowns: args.scale_out_cooldowns.clone(),
        min_capacities: args.min_capacities.clone(),
        replications: args.replications,
        growth_factor: args.growth_factor,
        rates,
        knee: tune::knee::Rule {
            latency_factor: args.knee_latency_factor,
            ..Default::default()
        },
        benchmark: crate::recommend::BenchmarkOptions {
            step_rps: args.benchmark_step,
            max_minutes: args.benchmark_minutes,
            ..Default::default()
        },
        load: match args.benchmark_users_per_minute {
            Some(per_minute) => tune::BenchmarkLoad::Users { per_minute },
            None => tune::BenchmarkLoad::Staircase,
        },
    })
}

pub fn tune(args: TuneArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let loaded = scenario::load_for_run(&args.scenario, &args.set, None)?;
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    let opts = options(&args, loaded.config.slo)?;
    tune::check_options(&opts)?;
    tune::sweep_text::constraints(&opts.objectives).map_err(tune::TuneError::Options)?;
    if !(args.knee_latency_factor > 1.0 && args.knee_latency_factor <= 100.0) {
        anyhow::bail!(
            "--knee-latency-factor {}: allowed: more than 1 and at most 100",
            args.knee_latency_factor
        );
    }
    let located = tune::locate(&loaded.scenario, &loaded.config, &loaded.file)?;
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("outputs").join(format!("tune-{}", loaded.config.name)));
    check_dir(&dir, args.force)?;
    let say = |line: &str| {
        if !args.quiet {
            println!("{line}");
        }
    };

    let bench = tune::benchmark(&loaded.config, &located, &opts)?;
    let (rates, rates_source) = tune::expected_rates(&loaded.config, &opts)?;

    // The sweep file is written to <out>/sweep/; its base scenario is relative to there.
    let sweep_dir = dir.join("sweep");
    let base = relative(&sweep_dir, &args.scenario)?;
    let inputs = tune::sweep_text::Inputs {
        name: &loaded.config.name,
        base_scenario: &base,
        located: &located,
        max_rps: bench.knee.max_rps,
        min_rps: rates.min_rps,
        peak_rps: rates.max_rps,
        percentiles: &loaded.config.metrics.percentiles,
    };
    let text = tune::sweep_text::sweep_text(&inputs, &opts).map_err(tune::TuneError::Options)?;
    let file = sweep_dir.join("sweep.ron").display().to_string();
    let design = plan::design_with_set(&text, &file, &args.set)?;
    let source = scenario::Source::read(&args.scenario)?;
    let plan = plan::build(design, &text, &file, &[source])?;

    let outputs = sweep::run::run(&plan, None, args.threads, false, &|_| {})?;
    let records: Vec<_> = outputs.into_iter().map(|o| o.record).collect();
    let metrics = sweep::metric_names(&plan, &records);
    let rendered = sweep::render(&plan.design, &plan.sweep_text, &records, &metrics, None);
    let sweep_plots = super::plot::sweep_plots(&rendered.files);
    // The cost-against-SLO curve: the SLO's metric as its constraint judges it.
    let get = |name: &str| {
        rendered
            .files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    };
    let cost_vs_slo = match (get("sweep.csv"), get("sweep.json"), plan.design.constraints.first()) {
        (Some(csv), Some(json), Some(slo)) => report::plot::render_cost_against(csv, json, &slo.metric, "cost-vs-slo")?,
        _ => Vec::new(),
    };

    let choice = rendered.table.best.map(|p| tune::choice(&plan, p, &located));
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    files.push(("sweep/sweep.ron".into(), text.clone().into_bytes()));
    for (n, b) in &rendered.files {
        files.push((format!("sweep/{n}"), b.clone()));
    }
    for p in &sweep_plots {
        files.push((format!("sweep/{}", p.name), p.bytes.clone()));
    }
    // The chosen setting once more, at the first replication's seed, with every output.
    let target = choice
        .as_ref()
        .map(|c| plan.points[c.point].scenario.autoscaling[located.target].clone());
    if let Some(c) = &choice {
        let pc = &plan.points[c.point];
        let mut config = pc.config.clone();
        config.seed = plan.seed(0);
        let mut scen = pc.scenario.clone();
        scen.seed = config.seed;
        let result = crate::sim::run(config);
        let manifest = ManifestInput {
            scenario_file: plan.scenario_file.clone(),
            scenario_text: plan.scenario_text.clone(),
            overrides: pc.overrides.clone(),
            resolved: serde_json::to_value(&scen)?,
        };
        let mut run_files = report::render_run(&result, &manifest);
        let drawn = report::plot::render_run_outputs(&run_files)?;
        run_files.extend(drawn);
        for f in run_files {
            files.push((format!("chosen/{}", f.name), f.bytes));
        }
    }
    for p in &cost_vs_slo {
        files.push((p.name.to_string(), p.bytes.clone()));
    }
    let mut plots: Vec<String> = ["cost-vs-slo.png", "chosen/capacity.png", "chosen/latency.png"]
        .iter()
        .filter(|p| files.iter().any(|(n, _)| n == *p))
        .map(|p| p.to_string())
        .collect();
    plots.extend(
        sweep_plots
            .iter()
            .filter(|p| p.name.ends_with(".png"))
            .map(|p| format!("sweep/{}", p.name)),
    );
    let evidence = tune_report::Evidence {
        scenario_file: &loaded.file,
        scenario_name: &loaded.config.name,
        located: &located,
        objectives: &opts.objectives,
        bench: &bench,
        min_rps: rates.min_rps,
        max_rps: rates.max_rps,
        rates_source,
        growth_factor: opts.growth_factor,
        plan: &plan,
        table: &rendered.table,
        choice: choice.as_ref(),
        target: target.as_ref(),
        plots: &plots,
    };
    files.push((
        "benchmark.csv".into(),
        tune_report::benchmark_csv(&bench, opts.objectives.percentile),
    ));
    files.push(("tune.json".into(), tune_report::tune_json(&evidence)));
    files.push(("report.md".into(), tune_report::report_md(&evidence)));
    if let (Some(c), Some(t)) = (&choice, &target) {
        files.push(("recommendation.json".into(), tune_report::recommendation_json(c)));
        files.push((
            "scenario-fragment.ron".into(),
            tune_report::scenario_fragment(&evidence, c, t),
        ));
        // The chosen scenario's autoscaling as the AWS requests that configure it.
        let exported = crate::aws::export::export(&plan.points[c.point].scenario).map_err(anyhow::Error::msg)?;
        for call in &exported.calls {
            files.push((format!("aws/{}", call.file), call.body.clone().into_bytes()));
        }
        files.push((
            "aws/apply.sh".into(),
            crate::aws::export::script(&exported).into_bytes(),
        ));
    }
    let refs: Vec<(String, &[u8])> = files.iter().map(|(n, b)| (n.clone(), b.as_slice())).collect();
    write_tree(&dir, &refs, args.force)?;

    for line in tune_report::steps(&evidence) {
        say(&line);
    }
    match &choice {
        Some(c) => {
            if !args.quiet {
                println!();
            }
            print!("{}", String::from_utf8_lossy(&tune_report::recommendation_json(c)));
            say(&format!(
                "wrote     {}/  (report.md; {} runs in {:.1} s)",
                dir.display(),
                records.len() + 2,
                started.elapsed().as_secs_f64()
            ));
            Ok(())
        }
        None => {
            say(&format!("wrote     {}/  (report.md)", dir.display()));
            Err(
                super::check::ChecksFailed("no setting of the sweep meets every objective at this confidence".into())
                    .into(),
            )
        }
    }
}
