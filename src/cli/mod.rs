//! Command line: argument parsing (clap) and the commands. The only code that knows file paths
//! and the `outputs/` layout.

mod bench;
mod merge;
mod output;
mod progress;
mod run;
mod sweep;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "fleetsim",
    version,
    about = "Deterministic simulator of autoscaled inference endpoints"
)]
struct Cli {
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
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check a scenario (and its overrides) without running it.
    Validate {
        scenario: PathBuf,
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
    },
    /// Run a sweep file: every point x replication in parallel; writes outputs/<sweep-name>/.
    Sweep {
        /// Sweep file (RON).
        sweep: PathBuf,
        /// Worker threads (default: one per core). Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// Output folder (default: outputs/<sweep-name>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write every run's files under runs/p<point>-r<replication>/.
        #[arg(long)]
        keep_runs: bool,
        /// Run only the points whose index modulo COUNT is INDEX (for array jobs).
        #[arg(long, value_name = "INDEX/COUNT")]
        shard: Option<String>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Combine the folders of `sweep --shard` runs into one sweep folder.
    Merge {
        /// Output folder.
        out: PathBuf,
        /// The shard folders, one per shard.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Measure simulated requests and events per second against a bare binary-heap loop.
    Bench {
        /// Request rate of the reference scenario [requests per second].
        #[arg(long, default_value_t = 500.0)]
        rps: f64,
        /// Simulated duration (e.g. 1h, 1d).
        #[arg(long, default_value = "1h")]
        duration: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Entry point of the binary.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            scenario,
            seed,
            out,
            set,
            quiet,
        } => run::run(&scenario, seed, out, &set, quiet),
        Command::Validate { scenario, set } => run::validate(&scenario, &set),
        Command::Sweep {
            sweep,
            threads,
            out,
            keep_runs,
            shard,
            quiet,
        } => sweep::sweep(
            &sweep,
            sweep::Options {
                threads,
                out,
                keep_runs,
                shard,
                quiet,
            },
        ),
        Command::Merge { out, shards, quiet } => merge::merge(&out, &shards, quiet),
        Command::Bench { rps, duration, seed } => bench::bench(rps, &duration, seed),
    }
}
