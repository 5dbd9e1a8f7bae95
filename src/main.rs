//! The `fleetsim` binary: a thin shell around `fleetsim::run_cli`.
//!
//! Exit codes: 0 success; 1 an expectation failed (`check`, `run --check`) or no sweep point
//! is feasible (`sweep --require-feasible`); 2 invalid input or any other error (as clap's own
//! usage errors).

use std::process::ExitCode;

fn main() -> ExitCode {
    match fleetsim::run_cli() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Print the chain once, skipping causes whose text the outer message already holds.
            let mut msg = e.to_string();
            for cause in e.chain().skip(1) {
                let c = cause.to_string();
                if !msg.contains(&c) {
                    msg.push_str(": ");
                    msg.push_str(&c);
                }
            }
            // The last guard against a pasted megabyte: no line of a message runs past a
            // few screens (the messages themselves already shorten what the user wrote).
            let lines: Vec<String> = msg.lines().map(|l| fleetsim::scenario::shorten_to(l, 2_000)).collect();
            if e.downcast_ref::<fleetsim::ChecksFailed>().is_some() {
                eprintln!("{}", lines.join("\n"));
                return ExitCode::from(1);
            }
            eprintln!("error: {}", lines.join("\n"));
            ExitCode::from(2)
        }
    }
}
