//! `qdf ir`.

use std::path::Path;

use super::loader::{read_spec, DiskLoader};
use super::render::{self, FileReport};
use super::{CliError, Format, Outcome};

pub fn run(path: &Path, format: Format) -> Result<Outcome, CliError> {
    let text = read_spec(path)?;
    let compilation = qdf_compiler::compile(&path.display().to_string(), &text, &DiskLoader::for_spec(path));
    let Some(ir) = &compilation.ir else {
        let reports = [FileReport::new(compilation)];
        match format {
            Format::Human => {
                render::human(&reports[0]);
                render::summary(&reports);
            }
            Format::Json => render::json(&reports),
        }
        return Ok(Outcome::SpecErrors);
    };
    let json = serde_json::to_string_pretty(ir).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(Outcome::Clean)
}
