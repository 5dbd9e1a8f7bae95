//! Command line: argument parsing (clap) and the commands. The only code that knows file paths
//! and the `outputs/` layout.

mod bench;
mod output;
mod progress;
mod run;

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
        Command::Bench { rps, duration, seed } => bench::bench(rps, &duration, seed),
    }
}
