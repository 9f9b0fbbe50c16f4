//! `qdf fmt`.

use std::path::PathBuf;

use super::loader::read_spec;
use super::{CliError, Outcome};

pub fn run(files: &[PathBuf], check: bool) -> Result<Outcome, CliError> {
    let mut outcome = Outcome::Clean;
    for path in files {
        let text = read_spec(path)?;
        let Some(formatted) = qdf_compiler::fmt::format(&text) else {
            eprintln!("{}: not formatted: it has syntax errors (run `qdf check` to see them)", path.display());
            outcome = Outcome::SpecErrors;
            continue;
        };
        if formatted == text {
            continue;
        }
        if check {
            println!("{}", path.display());
            outcome = Outcome::SpecErrors;
        } else {
            std::fs::write(path, formatted).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    Ok(outcome)
}
