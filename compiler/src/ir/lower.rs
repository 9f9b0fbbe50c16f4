//! Lowering a checked spec to the experiment IR.

use std::collections::HashMap;

use super::{ir_hash, node_hash, ExperimentIr, Node, NodeId, Task};
use crate::hir::{self, Spec};

/// Builds the DAG, merging nodes with equal hashes (identical work is done once).
struct Builder {
    nodes: Vec<Node>,
    by_hash: HashMap<String, NodeId>,
}

impl Builder {
    fn add(&mut self, task: Task, inputs: Vec<NodeId>, label: String) -> NodeId {
        let input_hashes: Vec<&str> = inputs.iter().map(|&i| self.nodes[i as usize].hash.as_str()).collect();
        let hash = node_hash(&task, &input_hashes);
        if let Some(&id) = self.by_hash.get(&hash) {
            return id;
        }
        let id = self.nodes.len() as NodeId;
        self.by_hash.insert(hash.clone(), id);
        self.nodes.push(Node { id, hash, label, inputs, task });
        id
    }
}

/// Lowers `spec` to the experiment IR. Never fails on a spec the checker accepted.
pub fn lower(spec: &Spec) -> ExperimentIr {
    let mut b = Builder { nodes: Vec::new(), by_hash: HashMap::new() };
    let mut datasets = Vec::new();
    let mut outputs = Vec::new();
    for generate in &spec.generates {
        let dataset = lower_generate(&mut b, spec, generate);
        datasets.push(dataset);
        outputs.push(dataset);
    }
    let mut trainings = Vec::new();
    for train in &spec.trains {
        let task = Task::Training {
            model: spec.models[train.model].clone(),
            labels: train.labels.clone(),
            split: train.split.clone(),
            epochs: train.epochs,
            learning_rate: train.learning_rate,
            batch_size: train.batch_size,
            weight_decay: train.weight_decay,
            seed: train.seed,
        };
        let id = b.add(task, vec![datasets[train.data]], train.name.clone());
        trainings.push(id);
        outputs.push(id);
    }
    for compare in &spec.compares {
        let task = Task::Comparison {
            labels: compare.labels.clone(),
            truth: compare.truth.clone(),
            metrics: compare.metrics.clone(),
        };
        outputs.push(b.add(task, vec![trainings[compare.train]], compare.name.clone()));
    }
    if !outputs.is_empty() {
        b.add(Task::Report, outputs, "report".into());
    }
    let hash = ir_hash(&spec.experiment, &b.nodes);
    ExperimentIr { experiment: spec.experiment.clone(), hash, nodes: b.nodes }
}

fn lower_generate(b: &mut Builder, spec: &Spec, generate: &hir::Generate) -> NodeId {
    let ansatz = &spec.ansatzes[generate.ansatz];
    let space = &spec.active_spaces[ansatz.space];
    let mut dataset_inputs = Vec::new();
    for resolved in &space.spaces {
        let molecule = &spec.molecules[resolved.molecule];
        let method = if molecule.multiplicity == 1 { "rhf" } else { "rohf" };
        let mut previous_vqe: Option<NodeId> = None;
        for (index, point) in molecule.points.iter().enumerate() {
            let at = format!("{}[{index}]", molecule.name);
            let geometry = Task::Geometry {
                // `+ 0.0` turns -0.0 into 0.0, so `-0` and `0` in a spec hash alike.
                atoms: point
                    .atoms
                    .iter()
                    .map(|a| hir::Atom { position: a.position.map(|x| x + 0.0), ..a.clone() })
                    .collect(),
                charge: molecule.charge,
                multiplicity: molecule.multiplicity,
                scan: molecule.scan.iter().zip(&point.scan_values).map(|(s, v)| (s.name.clone(), *v + 0.0)).collect(),
            };
            let geometry = b.add(geometry, vec![], format!("{at} geometry"));
            let scf = b.add(
                Task::Scf { basis: molecule.basis.clone(), method: method.into() },
                vec![geometry],
                format!("{at} scf"),
            );
            let active = Task::ActiveSpace {
                frozen_orbitals: resolved.frozen_orbitals,
                electrons: resolved.electrons,
                orbitals: resolved.orbitals,
                orbital_indices: resolved.orbital_indices.clone(),
            };
            let active = b.add(active, vec![scf], format!("{at} active space {}", space.name));
            for reference in &generate.references {
                let input = if matches!(reference.as_str(), "casci" | "fci") { active } else { scf };
                let id = b.add(Task::Reference { method: reference.clone() }, vec![input], format!("{at} {reference}"));
                dataset_inputs.push(id);
            }
            let hamiltonian = b.add(
                Task::QubitHamiltonian { mapping: ansatz.mapping.clone() },
                vec![active],
                format!("{at} qubit hamiltonian"),
            );
            let circuit = b.add(
                Task::Circuit { ansatz: ansatz.kind, options: ansatz.options.clone() },
                vec![hamiltonian],
                format!("{at} circuit {}", ansatz.name),
            );
            let vqe = Task::Vqe {
                optimizer: generate.optimizer.clone(),
                device: generate.device.clone(),
                noise: generate.noise.clone(),
                shots: generate.shots.clone(),
                precision: generate.precision,
            };
            let mut inputs = vec![circuit, hamiltonian];
            if generate.warm_start {
                inputs.extend(previous_vqe);
            }
            let vqe = b.add(vqe, inputs, format!("{at} vqe {}", generate.name));
            previous_vqe = Some(vqe);
            dataset_inputs.push(vqe);
        }
    }
    let dataset = Task::Dataset {
        output: generate.output.clone(),
        record: generate.record.clone(),
        formats: generate.formats.clone(),
        budget: generate.budget.clone(),
    };
    b.add(dataset, dataset_inputs, generate.name.clone())
}
