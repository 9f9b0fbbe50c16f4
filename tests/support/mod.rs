//! What the command-line integration tests share: running the `qdf` binary and scratch
//! directories. Each test binary includes this module and uses part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The repository root: the working directory of every `qdf` the tests run.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `qdf args…` from the repository root, without colour and without an IonQ key.
pub fn qdf(args: &[&str]) -> Output {
    qdf_with(args, &[])
}

/// `qdf args…` as [`qdf`], with the environment variables `env` set.
pub fn qdf_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_qdf"));
    command.args(args).current_dir(ROOT).env("NO_COLOR", "1").env_remove("IONQ_API_KEY");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("qdf runs")
}

/// A fresh, empty directory `qdf-<name>-<pid>` under the temporary directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qdf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}
