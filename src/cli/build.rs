//! `qdf build`: the circuits of every `generate`, lowered to a trapped-ion device's native gates
//! and written as IonQ v0.4 job JSON or OpenQASM 3, or as QIR (base profile) for Azure Quantum.

use std::path::{Path, PathBuf};

use qdf_runtime::native::emit::{ionq_json, qasm3, qir};
use qdf_runtime::native::{compile, Target};
use qdf_runtime::planner::point_circuits;
use qdf_runtime::run::plan::Plan;
use serde_json::Value;

use super::loader::{read_spec, DiskLoader};
use super::render;
use super::{CliError, Emit, Format, Outcome};

pub fn run(
    path: &Path,
    target: Option<&str>,
    emit: Emit,
    output: Option<PathBuf>,
    from_run: Option<&Path>,
) -> Result<Outcome, CliError> {
    let text = read_spec(path)?;
    let compilation = qdf_compiler::compile(&path.display().to_string(), &text, &DiskLoader::for_spec(path));
    let Some(ir) = compilation.ir.clone() else {
        render::failure(compilation, Format::Human);
        return Ok(Outcome::SpecErrors);
    };
    let override_device = target.map(qdf_compiler::stdlib_device).transpose()?;
    let spec_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let out_dir = output.unwrap_or_else(|| spec_dir.join("build").join(&ir.experiment.name));
    let plan = Plan::new(&ir).map_err(|e| e.to_string())?;
    let mut written = 0usize;
    for dataset in &plan.datasets {
        let name = &ir.nodes[dataset.node as usize].label;
        let Some(generate) = compilation.spec.generates.iter().find(|g| &g.name == name) else { continue };
        let Some(device) = override_device.clone().or_else(|| generate.device.clone()) else {
            return Err(format!(
                "generate `{}` names no device: pass --target, e.g. --target ionq.forte",
                generate.name
            ));
        };
        let target = Target::for_native_gates(&device.native_gates).ok_or_else(|| {
            format!("`{}` has no trapped-ion native gate set ({:?})", device.name, device.native_gates)
        })?;
        if emit == Emit::IonqJson && target == Target::Quantinuum {
            return Err(format!("`{}` is a Quantinuum device: IonQ job JSON needs an IonQ target", device.name));
        }
        let stored = from_run.map(|dir| stored_parameters(&dir.join(&generate.output))).transpose()?;
        let dir = out_dir.join(&generate.name);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for job in &dataset.points {
            let parameters = stored.as_ref().and_then(|s| s.get(job.index)).and_then(Option::as_deref);
            let circuits = match point_circuits(&ir, dataset, job, parameters) {
                Ok(circuits) => circuits,
                Err(reason) => {
                    eprintln!("warning: {} point {}: not built: {reason}", generate.name, job.index);
                    continue;
                }
            };
            let stem = format!("{:04}", job.index);
            match emit {
                Emit::Qasm3 => {
                    for (k, circuit) in circuits.measured.iter().enumerate() {
                        let native = compile(circuit, &circuits.parameters, target);
                        write(&dir.join(format!("{stem}_group{k:02}.qasm")), &qasm3::program(&native))?;
                        written += 1;
                    }
                }
                Emit::Qir => {
                    // Azure Quantum's IonQ target takes QIR in the gate-model QIS set: the logical
                    // circuit with its parameters bound; the provider lowers it.
                    for (k, circuit) in circuits.measured.iter().enumerate() {
                        write(
                            &dir.join(format!("{stem}_group{k:02}.ll")),
                            &qir::program(circuit, &circuits.parameters),
                        )?;
                        written += 1;
                    }
                }
                Emit::IonqJson => {
                    let named: Vec<(String, u32, Value)> = circuits
                        .measured
                        .iter()
                        .enumerate()
                        .map(|(k, circuit)| {
                            let native = compile(circuit, &circuits.parameters, target);
                            (
                                format!("{} group {k}", circuits.point),
                                circuit.n_qubits(),
                                ionq_json::native_circuit(&native),
                            )
                        })
                        .collect();
                    let settings = ionq_json::JobSettings {
                        backend: device.backend.clone().unwrap_or_else(|| "simulator".into()),
                        shots: shots_per_circuit(generate, named.len()),
                        name: format!("{}/{}/{}", ir.experiment.name, generate.name, circuits.point),
                        noise: None,
                        debiasing: false,
                    };
                    let body = ionq_json::job(&settings, "native", &named);
                    let text = serde_json::to_string_pretty(&body).map_err(|e| e.to_string())?;
                    write(&dir.join(format!("{stem}.job.json")), &text)?;
                    written += 1;
                }
            }
        }
    }
    eprintln!("wrote {written} file{} under {}", if written == 1 { "" } else { "s" }, out_dir.display());
    Ok(Outcome::Clean)
}

/// Shots per circuit of a multi-circuit job: the generate's shots per evaluation spread evenly
/// over its measurement groups, or 1,000 when the spec gives none.
fn shots_per_circuit(generate: &qdf_compiler::hir::Generate, groups: usize) -> u64 {
    match &generate.shots {
        Some(shots) if shots.scope == qdf_compiler::hir::ShotScope::PerEvaluation => {
            shots.count.div_ceil(groups.max(1) as u64)
        }
        _ => 1000,
    }
}

/// The optimised parameters `qdf run` stored for each point of a dataset directory, by point index
/// (`None` for failed points).
fn stored_parameters(dataset: &Path) -> Result<Vec<Option<Vec<f64>>>, CliError> {
    let file = dataset.join("points.jsonl");
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut by_index: Vec<Option<Vec<f64>>> = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let record: Value = serde_json::from_str(line).map_err(|e| format!("{}: {e}", file.display()))?;
        let Some(index) = record["point"].as_u64().map(|i| i as usize) else { continue };
        let params = record["vqe"]["params"].as_array().map(|a| a.iter().filter_map(Value::as_f64).collect());
        if by_index.len() <= index {
            by_index.resize(index + 1, None);
        }
        // Later records of a point supersede earlier ones, as in `qdf run`'s store.
        by_index[index] = params;
    }
    Ok(by_index)
}

fn write(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
