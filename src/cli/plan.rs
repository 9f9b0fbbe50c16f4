//! `qdf plan`: per `generate`, the qubits, parameters, logical gates, measurement groups and
//! shots the run will need, checked against `shots`, `precision` and `budget`. Also the shot
//! check `qdf check` runs on small systems.

use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use qdf_runtime::planner::{
    diagnostics, group_digits, millihartree, plan_experiment, scientific, GeneratePlan, PlanOptions,
};
use serde_json::json;

use super::loader::{read_spec, DiskLoader};
use super::render::{self, FileReport};
use super::{CliError, Format, Outcome};

pub fn run(path: &Path, format: Format) -> Result<Outcome, CliError> {
    let text = read_spec(path)?;
    let mut compilation = qdf_compiler::compile(&path.display().to_string(), &text, &DiskLoader::for_spec(path));
    let Some(ir) = compilation.ir.clone() else {
        render::failure(compilation, format);
        return Ok(Outcome::SpecErrors);
    };
    let bar = ProgressBar::new(0);
    if !(std::io::stderr().is_terminal() && format == Format::Human) {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{prefix:>24} [{bar:30}] {pos}/{len} points ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let mut progress = |name: &str, done: usize, total: usize| {
        bar.set_prefix(format!("planning {name}"));
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let plans = plan_experiment(&ir, &PlanOptions::default(), &mut progress).map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    compilation.diagnostics.extend(diagnostics(&compilation.spec, &plans));
    compilation.diagnostics.sort_by_key(|d| (d.primary.span.file, d.primary.span.start));
    let failed = compilation.has_errors();
    match format {
        Format::Human => {
            for plan in &plans {
                print!("{}", table(plan));
            }
            let report = FileReport::new(compilation);
            render::human(&report);
            render::summary(std::slice::from_ref(&report));
        }
        Format::Json => {
            let diagnostics: Vec<serde_json::Value> =
                compilation.diagnostics.iter().map(|d| render::diagnostic_json(&compilation.sources, d)).collect();
            let document = json!({
                "path": path.display().to_string(),
                "generates": plans,
                "diagnostics": diagnostics,
            });
            println!("{}", serde_json::to_string_pretty(&document).unwrap_or_default());
        }
    }
    Ok(if failed { Outcome::SpecErrors } else { Outcome::Clean })
}

/// One generate's plan as an aligned table.
fn table(plan: &GeneratePlan) -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut row = |key: &str, value: String| rows.push((key.to_string(), value));
    if let Some(reason) = &plan.skipped {
        return format!("generate `{}`: not planned: {reason}\n\n", plan.name);
    }
    let failed = plan.points.iter().filter(|p| p.failed.is_some()).count();
    let planned = plan.points.len() - failed;
    row(
        "points",
        format!("{planned} planned{}", if failed == 0 { String::new() } else { format!(", {failed} failed") }),
    );
    row("ansatz", plan.ansatz.clone());
    row("mapping", plan.mapping.clone());
    let mut origins = Vec::new();
    if plan.qubits_before_tapering < plan.qubits_mapped {
        origins.push(format!("{} mapped, {} after the reduction", plan.qubits_mapped, plan.qubits_before_tapering));
    }
    if plan.qubits < plan.qubits_before_tapering {
        origins.push(format!("tapered from {}", plan.qubits_before_tapering));
    }
    let tapering = if origins.is_empty() { String::new() } else { format!(" ({})", origins.join("; ")) };
    row("qubits", format!("{}{tapering}", plan.qubits));
    let bound = if plan.adaptive { "≤ " } else { "" };
    row("parameters", format!("{bound}{}", plan.parameters));
    row(
        "logical gates",
        format!(
            "{bound}{} one-qubit, {bound}{} two-qubit, depth {bound}{}",
            group_digits(plan.gates.one_qubit as u64),
            group_digits(plan.gates.two_qubit as u64),
            group_digits(plan.depth as u64)
        ),
    );
    if let Some(native) = &plan.native {
        let duration = native.duration.map_or(String::new(), |t| format!(", {:.2} ms per shot", t * 1e3));
        row(
            "native gates",
            format!(
                "{bound}{} one-qubit, {bound}{} two-qubit, depth {bound}{}{duration} ({})",
                group_digits(native.one_qubit as u64),
                group_digits(native.two_qubit as u64),
                group_digits(native.depth as u64),
                match native.target {
                    qdf_runtime::native::Target::IonqMs => "GPi, GPi2, MS",
                    qdf_runtime::native::Target::IonqZz => "GPi, GPi2, ZZ",
                    qdf_runtime::native::Target::Quantinuum => "U1q, RZZ",
                }
            ),
        );
        row("expected fidelity", format!("{:.3} (gate and SPAM fidelities, worst point)", native.fidelity));
    }
    let grouping = serde_json::to_value(plan.grouping).ok().and_then(|v| v.as_str().map(str::to_string));
    row(
        "measurement",
        format!("{} terms in {} groups ({})", plan.terms, plan.groups, grouping.unwrap_or_default().replace('_', "-")),
    );
    if !plan.mitigation.is_none() {
        let mut parts = Vec::new();
        if plan.mitigation.readout {
            parts.push("readout errors undone".to_string());
        }
        if !plan.mitigation.zne_scales.is_empty() {
            let scales: Vec<String> = plan.mitigation.zne_scales.iter().map(u32::to_string).collect();
            let factor = qdf_runtime::planner::zne_shot_factor(&plan.mitigation.zne_scales).unwrap_or(f64::NAN);
            parts.push(format!(
                "zero-noise extrapolation over scales {} (×{factor:.1} shots for the same error)",
                scales.join(", ")
            ));
        }
        row("mitigation", parts.join("; "));
    }
    row(
        "evaluations per point",
        format!("≤ {} ({})", group_digits(plan.evaluations.per_point), plan.evaluations.formula),
    );
    match plan.shots_per_evaluation {
        None => row("shots", "none: exact expectation values".into()),
        Some(shots) => {
            let allocation = serde_json::to_value(plan.allocation).ok().and_then(|v| v.as_str().map(str::to_string));
            let source = plan.points.iter().find(|p| p.failed.is_none()).map_or("", |p| p.variances);
            let variances = if source == "ground_state" { "ground-state variances" } else { "variance bound" };
            let mut text = group_digits(shots);
            match (plan.shots_given, plan.shots_needed, plan.precision) {
                (Some(_), Some(needed), Some(precision)) => {
                    text.push_str(&format!(" given; {} needed for {}", group_digits(needed), millihartree(precision)))
                }
                (None, Some(_), Some(precision)) => text.push_str(&format!(" needed for {}", millihartree(precision))),
                _ => text.push_str(" given"),
            }
            text.push_str(&format!(" ({}, {variances})", allocation.unwrap_or_default().replace('_', "-")));
            row("shots per evaluation", text);
            if let Some(error) = plan.standard_error {
                row("standard error", format!("{} at the worst point", millihartree(error)));
            }
            if let Some(total) = plan.total_shots {
                row("total shots", format!("≤ {} over {} points", scientific(total), plan.points.len()));
            }
            if let Some(seconds) = plan.qpu_seconds {
                row("QPU time", format!("≤ {:.1} hours", seconds / 3600.0));
            }
            if let Some(usd) = plan.usd {
                row(
                    "cost",
                    format!("≤ {} USD at gate-shot prices (per-job minimums on top)", scientific(usd.ceil() as u64)),
                );
            }
        }
    }
    match &plan.budget {
        Some(qdf_compiler::hir::Budget::Shots(budget)) => {
            let used = plan.total_shots.map(|t| format!(": {:.0}% used", 100.0 * t as f64 / *budget as f64));
            row("budget", format!("{} shots{}", scientific(*budget), used.unwrap_or_default()));
        }
        Some(qdf_compiler::hir::Budget::Usd(usd)) => {
            row("budget", format!("{usd} USD: not checked here (it needs native gate counts and prices)"));
        }
        None => {}
    }
    let width = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    let mut out = format!(
        "generate `{}` (planned in {:.2} s: SCF and qubit Hamiltonian at every point)\n",
        plan.name, plan.seconds
    );
    for (key, value) in rows {
        out.push_str(&format!("  {key:<width$}  {value}\n"));
    }
    for point in plan.points.iter().filter(|p| p.failed.is_some()) {
        out.push_str(&format!("  failed {}: {}\n", point.point, point.failed.as_deref().unwrap_or_default()));
    }
    out.push('\n');
    out
}
