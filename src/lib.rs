//! The `qdf` command as a library: argument parsing, subcommands and rendering of diagnostics.
//! `main.rs` only maps outcomes to exit codes; tests drive the same code.

pub mod cli;
