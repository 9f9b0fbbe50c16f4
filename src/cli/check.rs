//! `qdf check`.

use std::path::PathBuf;

use qdf_compiler::Compilation;
use qdf_runtime::planner::{diagnostics, plan_experiment, PlanOptions, QuickLimits};

use super::loader::{read_spec, DiskLoader};
use super::render::{self, FileReport};
use super::{CliError, Format, Outcome};

pub fn run(files: &[PathBuf], format: Format) -> Result<Outcome, CliError> {
    let mut reports = Vec::new();
    for path in files {
        let text = read_spec(path)?;
        let mut compilation = qdf_compiler::compile(&path.display().to_string(), &text, &DiskLoader::for_spec(path));
        check_shots(&mut compilation, format);
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

/// The shot and budget checks of `qdf plan`, for generates that measure something and are small
/// enough to plan in a moment (see [`QuickLimits`]); larger ones are left to `qdf plan`. The
/// human output says which generates were planned and which were not.
fn check_shots(compilation: &mut Compilation, format: Format) {
    let Some(ir) = &compilation.ir else { return };
    let options = PlanOptions { quick: Some(QuickLimits::default()) };
    let plans = match plan_experiment(ir, &options, &mut |_, _, _| {}) {
        Ok(plans) => plans,
        Err(e) => {
            eprintln!("warning: shots not checked: {e}");
            return;
        }
    };
    let name = &compilation.sources.get(compilation.main).name;
    for plan in &plans {
        let measured = compilation
            .spec
            .generates
            .iter()
            .any(|g| g.name == plan.name && (g.shots.is_some() || g.noise != qdf_compiler::hir::Noise::None));
        if format == Format::Human && measured {
            match &plan.skipped {
                None => eprintln!(
                    "{name}: planned the shots of `{}` (SCF and qubit Hamiltonian at {} points, {:.2} s)",
                    plan.name,
                    plan.points.len(),
                    plan.seconds
                ),
                Some(reason) => eprintln!("{name}: shots of `{}` not checked: {reason}; run `qdf plan`", plan.name),
            }
        }
    }
    let found = diagnostics(&compilation.spec, &plans);
    compilation.diagnostics.extend(found);
    compilation.diagnostics.sort_by_key(|d| (d.primary.span.file, d.primary.span.start));
}
