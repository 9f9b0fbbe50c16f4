//! The circuits one energy evaluation runs at a point: the ansatz followed by each measurement
//! group's diagonalising circuit. This is what `qdf build` lowers and emits for a device.

use qdf_compiler::hir::AnsatzKind;
use qdf_compiler::ir::ExperimentIr;

use super::{measure_grouping, Settings};
use crate::circuit::LogicalCircuit;
use crate::measure;
use crate::run::plan::{DatasetJob, PointJob};
use crate::run::point::{qubit_space, ActiveProblem};
use crate::sim::{ansatz, VqeOptions};

/// The circuits of one point.
#[derive(Clone, Debug)]
pub struct PointCircuits {
    /// `h2[3]`.
    pub point: String,
    /// The ansatz from `|0…0⟩` (reference preparation included).
    pub ansatz: LogicalCircuit,
    /// The parameters the circuits are bound to.
    pub parameters: Vec<f64>,
    /// Per measurement group, the ansatz followed by the group's basis change; measure every qubit
    /// after it.
    pub measured: Vec<LogicalCircuit>,
}

/// The circuits of `job`, a point of `dataset`, bound to `parameters` when they fit the ansatz
/// (the optimum a finished run stored), else to the ansatz's starting parameters. ADAPT's circuit
/// is grown on the exact simulator first, as `qdf run` grows it. Failure contract: an SCF that
/// does not converge or an ansatz the qubit space cannot carry is an error message.
pub fn point_circuits(
    ir: &ExperimentIr,
    dataset: &DatasetJob,
    job: &PointJob,
    parameters: Option<&[f64]>,
) -> Result<PointCircuits, String> {
    let first = dataset.points.first().ok_or("a generate without points")?;
    let settings = Settings::new(ir, dataset, first).map_err(|e| e.to_string())?;
    let problem = ActiveProblem::new(ir, job)?;
    let active = &problem.hamiltonian;
    let (space, hamiltonian) = qubit_space(settings.mapping, active)?;
    let built = match settings.ansatz {
        AnsatzKind::Adapt => {
            let options = VqeOptions {
                max_iter: settings.optimizer.max_iter,
                gradient_tolerance: settings.optimizer.tolerance.max(1e-12),
                ..VqeOptions::default()
            };
            ansatz::adapt(&hamiltonian, &space, settings.options, &options)
                .map_err(|e| format!("ADAPT-VQE: {e}"))?
                .ansatz
        }
        kind => ansatz::build(kind, settings.options, &space).map_err(|e| format!("ansatz: {e}"))?,
    };
    let parameters = match parameters {
        Some(p) if p.len() == built.n_parameters() => p.to_vec(),
        _ => built.initial_parameters.clone(),
    };
    let grouping = measure_grouping(settings.grouping);
    let plan = measure::plan(&hamiltonian, grouping).map_err(|e| format!("measurement groups: {e}"))?;
    let measured = plan
        .groups()
        .iter()
        .map(|group| {
            let mut circuit = built.logical.clone();
            circuit.extend(group.circuit());
            circuit
        })
        .collect();
    Ok(PointCircuits { point: super::point_label(ir, job), ansatz: built.logical, parameters, measured })
}
