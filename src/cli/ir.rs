//! `qdf ir`.

use std::path::Path;

use super::loader::{read_spec, DiskLoader};
use super::render;
use super::{CliError, Format, Outcome};

pub fn run(path: &Path, format: Format) -> Result<Outcome, CliError> {
    let text = read_spec(path)?;
    let compilation = qdf_compiler::compile(&path.display().to_string(), &text, &DiskLoader::for_spec(path));
    let Some(ir) = &compilation.ir else {
        render::failure(compilation, format);
        return Ok(Outcome::SpecErrors);
    };
    let json = serde_json::to_string_pretty(ir).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(Outcome::Clean)
}
