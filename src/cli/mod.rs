//! Command line: argument parsing (clap) and the commands. The only code that knows file paths
//! and the `outputs/` layout.

mod bench;
mod check;
mod export;
mod generate;
mod import;
mod json;
mod loadtest;
mod merge;
mod output;
mod plot;
mod progress;
mod recommend;
mod run;
mod sweep;
mod tune;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub use check::ChecksFailed;

#[derive(Parser, Debug)]
#[command(
    name = "fleetsim",
    version,
    about = "Deterministic simulator of autoscaled inference endpoints"
)]
struct Cli {
    /// Print nothing but errors and what the command was asked for: no progress bar, notes or
    /// summaries (a failing `check`'s report, `--json`, a completion script and a
    /// recommendation still print).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario and write outputs/<scenario-name>/ (or --out).
    Run {
        /// Scenario file (RON).
        scenario: PathBuf,
        /// Run seed (overrides the scenario's `seed`).
        #[arg(long)]
        seed: Option<u64>,
        /// Output folder (default: outputs/<scenario-name>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override a scenario field: PATH=VALUE, e.g. endpoint.variants[0].initial_instance_count=4.
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
        /// Print one JSON document on standard output instead of the summary: the output
        /// folder, the run's summary.json and, with --check, the verdicts as `check --json`
        /// prints them. Notes and warnings go to standard error.
        #[arg(long)]
        json: bool,
        /// Write no plots (the CSV and JSON files only).
        #[arg(long)]
        no_plots: bool,
        /// Replace the output folder even if it holds files fleetsim did not write (never a
        /// file, device or link).
        #[arg(long)]
        force: bool,
        /// Judge the scenario's expectations on this run and exit with code 1 if one fails
        /// (each on this run's seed alone; `fleetsim check` runs the seeds they ask for).
        #[arg(long)]
        check: bool,
    },
    /// Judge the expectations (`expect: [...]`) of scenario files and of the scenarios in
    /// folders; exit code 0 when all pass, 1 when one fails, 2 for invalid input.
    Check(check::CheckArgs),
    /// Check a scenario, or a sweep file and every point's scenario (each with its `--set`),
    /// without running it.
    Validate {
        /// Scenario file or sweep file (RON).
        scenario: PathBuf,
        /// Override a scenario field (of a sweep: of its base scenario): PATH=VALUE, e.g.
        /// duration=4h; repeatable.
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
    },
    /// Re-render the plots of a saved run folder or sweep folder, without simulating.
    Plot {
        /// A run folder (with summary.json) or a sweep folder (with sweep.csv).
        dir: PathBuf,
        /// Sweep folders: summary metric to plot (dotted path, e.g. latency_ms.p99, cost_usd);
        /// repeatable. Default: the metrics of the sweep's objective and constraints, else
        /// latency_ms.p99.
        #[arg(long = "metric", value_name = "METRIC")]
        metrics: Vec<String>,
        /// Sweep folders: axis on the x axis of the heat map and line plot (default: the first
        /// that is not derived).
        #[arg(long)]
        x: Option<String>,
        /// Sweep folders: axis on the y axis of the heat map, one line per value in the line
        /// plot (default: the next that is not derived).
        #[arg(long)]
        y: Option<String>,
    },
    /// Run a sweep file: every point x replication in parallel; writes outputs/<sweep-name>/.
    Sweep {
        /// Sweep file (RON).
        sweep: PathBuf,
        #[command(flatten)]
        options: sweep::Options,
    },
    /// Combine the folders of `sweep --shard` runs into one sweep folder.
    Merge {
        /// Output folder.
        out: PathBuf,
        /// The shard folders, one per shard.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Replace the output folder even if it holds files fleetsim did not write (never a
        /// file, device or link).
        #[arg(long)]
        force: bool,
    },
    /// Benchmark each variant of a scenario on one instance under a rising load and save the
    /// result as a recommendation job (<jobs-dir>/<job-name>.json).
    Benchmark(recommend::BenchmarkArgs),
    /// CreateInferenceRecommendationsJob: a load test of closed-loop users against each
    /// endpoint configuration of a request (JSON), the model's behaviour from scenarios; saves
    /// the job (<jobs-dir>/<JobName>.json) and writes outputs/loadtest-<JobName>/.
    Loadtest(loadtest::LoadTestArgs),
    /// GetScalingConfigurationRecommendation: a scaling configuration from a saved job,
    /// printed as JSON in the AWS response shape.
    RecommendScaling(recommend::RecommendArgs),
    /// From a one-instance benchmark to a validated target tracking configuration: MAX_RPS at
    /// the knee, TargetValue = MAX_RPS x SAFETY_FACTOR x 60, capacities from the expected
    /// rates, a safety-factor sweep on the scenario's traffic, and the cheapest setting whose
    /// confidence bounds meet the objectives; writes outputs/tune-<name>/.
    Tune(tune::TuneArgs),
    /// Write the AWS requests that configure a scenario's autoscaling (RegisterScalableTarget,
    /// PutScalingPolicy, PutMetricAlarm, PutScheduledAction), one JSON file per call in call
    /// order, and apply.sh with the aws CLI calls (never run); writes outputs/aws-<name>/.
    #[command(subcommand)]
    Export(ExportTarget),
    /// Read AWS request bodies (RegisterScalableTarget, PutScalingPolicy, PutScheduledAction,
    /// PutMetricAlarm) into a base scenario and write the scenario.
    #[command(subcommand)]
    Import(ImportSource),
    /// Measure simulated requests and events per second against a bare binary-heap loop.
    Bench {
        /// Request rate of the reference scenario [requests per second], 1 to 1000000.
        #[arg(long, default_value_t = 500.0, value_parser = bench::parse_rps)]
        rps: f64,
        /// Simulated duration (e.g. 1h, 1d), 1s to 30d, with rps x duration at most 1e10
        /// requests.
        #[arg(long, default_value = "1h")]
        duration: String,
        /// Seed of the reference scenario's runs (and of the bare loop's arrivals).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Controllers in the reference scenario: full (autoscaling and a rollout, the
        /// design's budget case), autoscaling (no rollout) or none (metrics only).
        #[arg(long, value_enum, default_value_t = BenchControllers::Full)]
        controllers: BenchControllers,
        /// Where the requests come from: open (Poisson arrivals at --rps) or users (closed-loop
        /// users with no think time and a 1 ms round trip, as many as send about --rps).
        #[arg(long, value_enum, default_value_t = BenchLoad::Open)]
        load: BenchLoad,
        /// Repetitions, fleetsim and the bare loop interleaved; the table shows the median of
        /// each and the range over all of them.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
        repeat: u32,
    },
    /// Print a shell completion script generated from these definitions.
    Completions(generate::CompletionsArgs),
    /// Write the man pages (fleetsim.1 and one per subcommand) generated from these
    /// definitions; replaces only pages fleetsim wrote.
    Man(generate::ManArgs),
}

/// `fleetsim bench --load`: open-loop arrivals or closed-loop users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum BenchLoad {
    Open,
    Users,
}

impl From<BenchLoad> for crate::bench::Load {
    fn from(l: BenchLoad) -> Self {
        match l {
            BenchLoad::Open => crate::bench::Load::Open,
            BenchLoad::Users => crate::bench::Load::Users,
        }
    }
}

/// `fleetsim bench --controllers`: which controllers the reference scenario runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum BenchControllers {
    Full,
    Autoscaling,
    None,
}

impl From<BenchControllers> for crate::bench::Controllers {
    fn from(c: BenchControllers) -> Self {
        match c {
            BenchControllers::Full => crate::bench::Controllers::Full,
            BenchControllers::Autoscaling => crate::bench::Controllers::Autoscaling,
            BenchControllers::None => crate::bench::Controllers::None,
        }
    }
}

/// Entry point of the binary.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let quiet = cli.quiet;
    match cli.command {
        Command::Run {
            scenario,
            seed,
            out,
            set,
            json,
            no_plots,
            force,
            check,
        } => run::run(
            &scenario,
            seed,
            out,
            &set,
            run::Options {
                quiet,
                json,
                plots: !no_plots,
                force,
                check,
            },
        ),
        Command::Check(args) => check::check(args, quiet),
        Command::Validate { scenario, set } => run::validate(&scenario, &set, quiet),
        Command::Plot { dir, metrics, x, y } => {
            let n = plot::plot(&dir, &crate::report::plot::SweepPlotOptions { metrics, x, y })?;
            if !quiet {
                println!("wrote     {n} plot files in {}/", dir.display());
            }
            Ok(())
        }
        Command::Sweep { sweep, options } => sweep::sweep(&sweep, sweep::Options { quiet, ..options }),
        Command::Merge { out, shards, force } => merge::merge(&out, &shards, quiet, force),
        Command::Benchmark(args) => recommend::benchmark(recommend::BenchmarkArgs { quiet, ..args }),
        Command::Loadtest(args) => loadtest::loadtest(loadtest::LoadTestArgs { quiet, ..args }),
        Command::RecommendScaling(args) => recommend::recommend_scaling(args),
        Command::Tune(args) => tune::tune(tune::TuneArgs { quiet, ..args }),
        Command::Export(ExportTarget::Aws(args)) => export::export_aws(export::ExportArgs { quiet, ..args }),
        Command::Import(ImportSource::Aws(args)) => import::import_aws(import::ImportArgs { quiet, ..args }),
        Command::Completions(args) => generate::print_completions(args),
        Command::Man(args) => generate::write_man(generate::ManArgs { quiet, ..args }),
        Command::Bench {
            rps,
            duration,
            seed,
            controllers,
            load,
            repeat,
        } => bench::bench(rps, &duration, seed, controllers.into(), load.into(), repeat),
    }
}

/// Where `fleetsim export` writes to.
#[derive(clap::Subcommand, Debug)]
pub enum ExportTarget {
    /// AWS request bodies (`--cli-input-json` shape) and the aws CLI calls.
    Aws(export::ExportArgs),
}

/// What `fleetsim import` reads.
#[derive(clap::Subcommand, Debug)]
pub enum ImportSource {
    /// AWS request bodies (`--cli-input-json` shape) merged into a base scenario.
    Aws(import::ImportArgs),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every command, nested ones included, with its path (`fleetsim export aws`).
    fn all_commands() -> Vec<(String, clap::Command)> {
        fn walk(path: String, cmd: &clap::Command, out: &mut Vec<(String, clap::Command)>) {
            out.push((path.clone(), cmd.clone()));
            // clap's own `help` subcommands are not ours to describe.
            for s in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                walk(format!("{path} {}", s.get_name()), s, out);
            }
        }
        let mut cmd = Cli::command();
        cmd.build();
        let mut out = Vec::new();
        walk("fleetsim".into(), &cmd, &mut out);
        out
    }

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_and_argument_has_help() {
        let mut missing = Vec::new();
        for (path, cmd) in all_commands() {
            if path != "fleetsim" && cmd.get_about().is_none() {
                missing.push(path.clone());
            }
            for a in cmd.get_arguments() {
                if a.get_help().is_none() && a.get_long_help().is_none() {
                    missing.push(format!("{path} {}", a.get_id()));
                }
            }
        }
        assert!(missing.is_empty(), "without help text: {missing:?}");
    }

    #[test]
    fn every_command_takes_quiet() {
        for (path, cmd) in all_commands() {
            assert!(
                cmd.get_arguments()
                    .any(|a| a.get_long() == Some("quiet") && a.get_short() == Some('q')),
                "{path} lacks -q/--quiet"
            );
            if cmd.get_subcommands().next().is_none() {
                let mut argv: Vec<&str> = path.split(' ').collect();
                argv.push("-q");
                let err = Cli::try_parse_from(&argv).err().map(|e| e.kind());
                // Missing positional arguments are fine; `-q` itself must be accepted.
                assert_ne!(err, Some(clap::error::ErrorKind::UnknownArgument), "{path}");
            }
        }
    }

    #[test]
    fn json_is_offered_by_run_check_and_sweep() {
        for (path, cmd) in all_commands() {
            let has = cmd.get_arguments().any(|a| a.get_long() == Some("json"));
            let wanted = ["fleetsim run", "fleetsim check", "fleetsim sweep"].contains(&path.as_str());
            assert_eq!(has, wanted, "{path}");
        }
    }
}
