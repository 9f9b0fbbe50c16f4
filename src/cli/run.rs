//! `qdf run`: execute a spec into a run directory, with a progress bar per stage.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use qdf_runtime::run::execute::{run_experiment, Observer, RunError, RunOptions, RunSummary};

use super::loader::{read_spec, DiskLoader};
use super::render;
use super::{CliError, Format, Outcome};

/// Progress bars on a terminal; plain lines for warnings either way.
struct Bars {
    bar: Option<ProgressBar>,
    visible: bool,
}

impl Observer for Bars {
    fn stage(&mut self, name: &str, total: u64) {
        let bar = ProgressBar::new(total);
        if !self.visible {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        bar.set_style(
            ProgressStyle::with_template("{prefix:>24} [{bar:30}] {pos}/{len} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(name.to_string());
        self.bar = Some(bar);
    }

    fn step(&mut self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
            bar.inc(1);
        }
    }

    fn finish_stage(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
    }

    fn warn(&mut self, message: &str) {
        match &self.bar {
            Some(bar) => bar.println(format!("warning: {message}")),
            None => eprintln!("warning: {message}"),
        }
    }
}

pub fn run(path: &Path, output: Option<PathBuf>, format: Format) -> Result<Outcome, CliError> {
    let text = read_spec(path)?;
    let compilation = qdf_compiler::compile(&path.display().to_string(), &text, &DiskLoader::for_spec(path));
    let Some(ir) = compilation.ir.clone() else {
        render::failure(compilation, format);
        return Ok(Outcome::SpecErrors);
    };
    let spec_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let run_dir = output.unwrap_or_else(|| spec_dir.join(&ir.experiment.output));
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    // A second handler cannot be installed in one process (tests run commands in-process); the
    // first one keeps working.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    let mut bars = Bars { bar: None, visible: std::io::stderr().is_terminal() && format == Format::Human };
    let options = RunOptions { run_dir, spec_text: text };
    match run_experiment(&ir, &options, &mut bars, &cancel) {
        Ok(summary) => {
            match format {
                Format::Human => print_summary(&summary),
                Format::Json => {
                    println!("{}", serde_json::to_string_pretty(&summary_json(&summary)).unwrap_or_default())
                }
            }
            Ok(Outcome::Clean)
        }
        Err(RunError::Interrupted { completed }) => {
            eprintln!("{}", RunError::Interrupted { completed });
            Ok(Outcome::Interrupted)
        }
        Err(e) => Err(e.to_string()),
    }
}

fn print_summary(summary: &RunSummary) {
    for d in &summary.datasets {
        println!(
            "dataset {}: {} points ({} computed, {} reused from an earlier run, {} failed)",
            d.name, d.points, d.computed, d.reused, d.failed
        );
    }
    for (name, rows) in &summary.comparisons {
        println!("comparison {name} (test-set errors, mHa):");
        println!("  {:<8} {:>10} {:>10} {:>10}", "labels", "MAE", "RMSE", "max");
        for (label, m) in rows {
            println!("  {label:<8} {:>10.4} {:>10.4} {:>10.4}", m.mae * 1e3, m.rmse * 1e3, m.max_abs_error * 1e3);
        }
    }
    println!("report: {}", summary.report.display());
}

fn summary_json(summary: &RunSummary) -> serde_json::Value {
    serde_json::json!({
        "run_dir": summary.run_dir,
        "report": summary.report,
        "datasets": summary.datasets.iter().map(|d| serde_json::json!({
            "name": d.name, "points": d.points, "computed": d.computed, "reused": d.reused, "failed": d.failed,
        })).collect::<Vec<_>>(),
        "comparisons": summary.comparisons.iter().map(|(name, rows)| serde_json::json!({
            "name": name,
            "arms": rows.iter().map(|(label, m)| serde_json::json!({
                "labels": label, "n_test": m.n, "mae_hartree": m.mae, "rmse_hartree": m.rmse,
                "max_error_hartree": m.max_abs_error, "within_chemical_accuracy": m.within_chemical_accuracy,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
