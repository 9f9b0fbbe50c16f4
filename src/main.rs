//! `qdf`: the quantum data factory's command line.
//!
//! Exit codes scripts can rely on: 0 the spec is clean (warnings allowed), 1 the spec has errors
//! (or `fmt --check` found unformatted files, or `run` was asked for what it does not execute),
//! 2 a usage or I/O failure, 130 `run` interrupted by Ctrl-C (finished points are saved).

use std::process::ExitCode;

use clap::Parser;
use qdf::cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(cli::Outcome::Clean) => ExitCode::SUCCESS,
        Ok(cli::Outcome::SpecErrors) => ExitCode::from(1),
        Ok(cli::Outcome::Interrupted) => ExitCode::from(130),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
