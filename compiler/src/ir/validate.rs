//! The IR validator. It runs after lowering in tests and debug builds; a failure is a compiler
//! bug, reported as a list of broken invariants.

use std::collections::HashSet;

use super::{ir_hash, node_hash, task_digest, ExperimentIr, Task};
use crate::hir;

/// Checks the invariants listed in the module docs of [`crate::ir`]. Returns every violation.
pub fn validate(ir: &ExperimentIr) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    let mut hashes = HashSet::new();
    for (index, node) in ir.nodes.iter().enumerate() {
        let at = format!("node {index} ({})", node.label);
        if node.id as usize != index {
            errors.push(format!("{at}: id {} is not its index", node.id));
        }
        if node.inputs.iter().any(|&i| i as usize >= index) {
            errors.push(format!("{at}: an input does not precede it"));
            continue;
        }
        let inputs: Vec<&Task> = node.inputs.iter().map(|&i| &ir.nodes[i as usize].task).collect();
        let kinds: Vec<&str> = inputs.iter().map(|t| t.kind_name()).collect();
        let shape_ok = match &node.task {
            Task::Geometry { .. } => kinds.is_empty(),
            Task::Scf { .. } => kinds == ["geometry"],
            Task::ActiveSpace { .. } | Task::QubitHamiltonian { .. } => {
                kinds == [if matches!(node.task, Task::ActiveSpace { .. }) { "scf" } else { "active_space" }]
            }
            Task::Reference { method } => {
                kinds == [if matches!(method.as_str(), "casci" | "fci") { "active_space" } else { "scf" }]
            }
            Task::Circuit { .. } => kinds == ["qubit_hamiltonian"],
            Task::Vqe { .. } => {
                kinds.starts_with(&["circuit", "qubit_hamiltonian"]) && (kinds.len() == 2 || kinds[2..] == ["vqe"])
            }
            Task::Dataset { .. } => !kinds.is_empty() && kinds.iter().all(|k| matches!(*k, "vqe" | "reference")),
            Task::Training { .. } => kinds == ["dataset"],
            Task::Comparison { .. } => kinds == ["training"],
            Task::Report => {
                !kinds.is_empty() && kinds.iter().all(|k| matches!(*k, "dataset" | "training" | "comparison"))
            }
        };
        if !shape_ok {
            errors.push(format!("{at}: a {} node cannot take inputs {kinds:?}", node.task.kind_name()));
        }
        match &node.task {
            Task::Geometry { atoms, multiplicity, charge, .. } => {
                if atoms.is_empty() || atoms.iter().any(|a| a.position.iter().any(|x| !x.is_finite())) {
                    errors.push(format!("{at}: no atoms, or a position that is not finite"));
                }
                let electrons: i64 = atoms.iter().map(|a| i64::from(a.z)).sum::<i64>() - i64::from(*charge);
                if electrons < 1 || (electrons - i64::from(*multiplicity) + 1) % 2 != 0 {
                    errors.push(format!("{at}: {electrons} electrons cannot have multiplicity {multiplicity}"));
                }
            }
            Task::ActiveSpace { electrons, orbitals, orbital_indices, natural_orbitals: None, .. } => {
                let sorted = orbital_indices.windows(2).all(|w| w[0] < w[1]);
                if *electrons > 2 * orbitals || orbital_indices.len() != *orbitals as usize || !sorted {
                    errors.push(format!("{at}: inconsistent active space"));
                }
            }
            Task::ActiveSpace { orbital_indices, natural_orbitals: Some(selection), .. } => {
                let thresholds = 0.0 <= selection.min_occupation
                    && selection.min_occupation < selection.max_occupation
                    && selection.max_occupation <= 2.0;
                if !orbital_indices.is_empty() || !thresholds || selection.max_orbitals == 0 {
                    errors.push(format!("{at}: inconsistent natural-orbital selection"));
                }
            }
            Task::Dataset { record, .. } => {
                let vqes = inputs.iter().filter_map(|t| match t {
                    Task::Vqe { noise, shots, precision, .. } => Some((noise, shots, precision)),
                    _ => None,
                });
                for (noise, shots, precision) in vqes {
                    let measured = *noise != hir::Noise::None || shots.is_some();
                    let shots_drawn = shots.is_some() || (measured && precision.is_some());
                    let gradients = record.iter().any(|r| r == "gradients");
                    if (gradients && measured) || (record.iter().any(|r| r == "counts") && !shots_drawn) {
                        errors.push(format!("{at}: records gradients of measured energies or counts of exact ones"));
                    }
                }
            }
            Task::Vqe { execute, .. }
                if !execute.is_simulator()
                    && inputs.iter().any(|t| matches!(t, Task::Circuit { ansatz: hir::AnsatzKind::Adapt, .. })) =>
            {
                errors.push(format!("{at}: ADAPT-VQE on IonQ's machine"));
            }
            Task::Vqe { noise, execute, mitigation, trajectories, .. } => {
                let scales = &mitigation.zne_scales;
                let scales_ok = scales.is_empty()
                    || (scales.len() >= 2
                        && scales.windows(2).all(|w| w[0] < w[1])
                        && scales.iter().all(|s| s % 2 == 1));
                let simulated = matches!(noise, hir::Noise::Model(_)) && execute.is_simulator();
                if !scales_ok || (!mitigation.is_none() && !simulated) || trajectories.is_some_and(|t| t < 2) {
                    errors.push(format!("{at}: mitigation without simulated device noise, or unusable scales"));
                }
            }
            _ => {}
        }
        let input_hashes: Vec<&str> = node.inputs.iter().map(|&i| ir.nodes[i as usize].hash.as_str()).collect();
        if node_hash(&task_digest(&node.task), &input_hashes) != node.hash {
            errors.push(format!("{at}: stale hash"));
        }
        if !hashes.insert(node.hash.as_str()) {
            errors.push(format!("{at}: duplicate of an earlier node"));
        }
    }
    if ir_hash(&ir.experiment, &ir.nodes) != ir.hash {
        errors.push("the IR hash is stale".into());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
