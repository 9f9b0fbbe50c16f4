//! `qdf check`.

use std::path::PathBuf;

use super::loader::{read_spec, DiskLoader};
use super::render::{self, FileReport};
use super::{CliError, Format, Outcome};

pub fn run(files: &[PathBuf], format: Format) -> Result<Outcome, CliError> {
    let mut reports = Vec::new();
    for path in files {
        let text = read_spec(path)?;
        let compilation = qdf_compiler::compile(&path.display().to_string(), &text, &DiskLoader::for_spec(path));
        reports.push(FileReport::new(compilation));
    }
    let failed = reports.iter().any(|r| r.compilation.has_errors());
    match format {
        Format::Human => {
            for report in &reports {
                render::human(report);
            }
            render::summary(&reports);
        }
        Format::Json => render::json(&reports),
    }
    Ok(if failed { Outcome::SpecErrors } else { Outcome::Clean })
}
