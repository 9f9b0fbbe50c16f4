//! Lowering a checked spec to the experiment IR.

use std::collections::HashMap;

use super::{ir_hash, node_hash, task_digest, ExperimentIr, Node, NodeId, Task};
use crate::hir::{self, Spec};

/// Builds the DAG, merging nodes with equal hashes (identical work is done once).
struct Builder {
    nodes: Vec<Node>,
    by_hash: HashMap<String, NodeId>,
}

/// A task with its digest computed once, for tasks repeated at every geometry point.
struct Digested {
    task: Task,
    digest: [u8; 32],
}

impl Digested {
    fn new(task: Task) -> Self {
        let digest = task_digest(&task);
        Digested { task, digest }
    }
}

impl Builder {
    fn add(&mut self, task: Task, inputs: Vec<NodeId>, label: String) -> NodeId {
        let digest = task_digest(&task);
        self.add_digested(task, &digest, inputs, label)
    }

    fn add_shared(&mut self, shared: &Digested, inputs: Vec<NodeId>, label: String) -> NodeId {
        self.add_digested(shared.task.clone(), &shared.digest, inputs, label)
    }

    fn add_digested(&mut self, task: Task, digest: &[u8; 32], inputs: Vec<NodeId>, label: String) -> NodeId {
        let input_hashes: Vec<&str> = inputs.iter().map(|&i| self.nodes[i as usize].hash.as_str()).collect();
        let hash = node_hash(digest, &input_hashes);
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
    // Tasks that are the same at every point are serialised and hashed once.
    let hamiltonian = Digested::new(Task::QubitHamiltonian { mapping: ansatz.mapping.clone() });
    let circuit = Digested::new(Task::Circuit { ansatz: ansatz.kind, options: ansatz.options.clone() });
    let vqe = Digested::new(Task::Vqe {
        optimizer: generate.optimizer.clone(),
        device: generate.device.clone(),
        noise: generate.noise.clone(),
        shots: generate.shots.clone(),
        precision: generate.precision,
        measurement: (generate.noise != hir::Noise::None || generate.shots.is_some()).then_some(generate.measurement),
        execute: generate.execute,
        mitigation: generate.mitigation.clone(),
        trajectories: generate.trajectories,
    });
    let references: Vec<(&str, Digested)> = generate
        .references
        .iter()
        .map(|r| (r.as_str(), Digested::new(Task::Reference { method: r.clone() })))
        .collect();
    let mut dataset_inputs = Vec::new();
    for resolved in &space.spaces {
        let molecule = &spec.molecules[resolved.molecule];
        let scf = Digested::new(Task::Scf {
            basis: molecule.basis.clone(),
            method: molecule.scf.name().into(),
            basis_file: molecule.basis_file.clone(),
        });
        let active = Digested::new(Task::ActiveSpace {
            frozen_orbitals: resolved.frozen_orbitals,
            electrons: resolved.electrons,
            orbitals: resolved.orbitals,
            orbital_indices: resolved.orbital_indices.clone(),
            natural_orbitals: resolved.natural_orbitals,
        });
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
            let scf = b.add_shared(&scf, vec![geometry], format!("{at} scf"));
            let active = b.add_shared(&active, vec![scf], format!("{at} active space {}", space.name));
            for (method, reference) in &references {
                let input = if matches!(*method, "casci" | "fci") { active } else { scf };
                dataset_inputs.push(b.add_shared(reference, vec![input], format!("{at} {method}")));
            }
            let hamiltonian = b.add_shared(&hamiltonian, vec![active], format!("{at} qubit hamiltonian"));
            let circuit = b.add_shared(&circuit, vec![hamiltonian], format!("{at} circuit {}", ansatz.name));
            let mut inputs = vec![circuit, hamiltonian];
            if generate.warm_start {
                inputs.extend(previous_vqe);
            }
            let vqe = b.add_shared(&vqe, inputs, format!("{at} vqe {}", generate.name));
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
