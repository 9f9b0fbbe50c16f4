//! `qdf`: the quantum data factory's command line.
//!
//! Exit codes scripts can rely on: 0 the spec is clean (warnings allowed), 1 the spec has errors
//! (or `fmt --check` found unformatted files), 2 a usage or I/O failure.

use std::process::ExitCode;

use clap::Parser;
use qdf::cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(cli::Outcome::Clean) => ExitCode::SUCCESS,
        Ok(cli::Outcome::SpecErrors) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
