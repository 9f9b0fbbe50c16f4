//! The experiment IR: a content-hashed DAG of tasks the runtime executes.
//!
//! ```text
//! geometry point ─▶ scf ─▶ active space ─▶ qubit hamiltonian ─▶ circuit ─▶ vqe ─▶ dataset ─▶ training
//!                    │          └──────────▶ reference (casci/fci)          ▲ (warm start      │
//!                    └──▶ reference (hf/mp2/ccsd)                            │  from the        ▼
//!                                                                            │  previous point) report
//! ```
//!
//! Invariants (checked by [`validate`]):
//! - nodes are in topological order: every input of node `i` is a node `j < i`;
//! - each node's `hash` is BLAKE3 over its task's canonical JSON and its inputs' hashes, so it
//!   changes exactly when the meaning of the node or of anything upstream changes, and never for
//!   comments, whitespace, formatting or declaration names (names live in `label`, outside the
//!   hash); scan variable names and output directories are part of the result and are hashed;
//! - no two nodes share a hash (identical work is one node);
//! - inputs have the kinds the task needs, and values are in atomic units and finite;
//! - a VQE's mitigation acts on simulated device noise only, with odd, ascending scales (at
//!   least two), and asks for at least two trajectories; ADAPT-VQE runs on the simulator;
//! - a dataset records `gradients` only of exact energies and `counts` only where shots are
//!   drawn.

mod lower;
mod validate;

use serde::Serialize;

use crate::hir;

pub use lower::lower;
pub use validate::validate;

/// Index of a node in [`ExperimentIr::nodes`].
pub type NodeId = u32;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExperimentIr {
    pub experiment: hir::Experiment,
    /// BLAKE3 over the experiment settings and every node hash, in order.
    pub hash: String,
    pub nodes: Vec<Node>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Node {
    pub id: NodeId,
    pub hash: String,
    /// Where the node comes from, for people: `h2[3] scf`. Not hashed.
    pub label: String,
    pub inputs: Vec<NodeId>,
    pub task: Task,
}

/// One unit of work. Field values are normalised: bohr, hartree, radians, seconds, US dollars.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Task {
    /// Nuclear positions of one point, with the molecule's charge and spin.
    Geometry {
        atoms: Vec<hir::Atom>,
        charge: i32,
        multiplicity: u32,
        /// Scan variable values at this point, by name.
        scan: Vec<(String, f64)>,
    },
    /// Mean-field solution (`rhf`, `uhf` or `rohf`) for the `hf` and `mp2` references; active
    /// spaces use restricted orbitals (RHF, or ROHF for open shells). Input: a geometry.
    /// `basis` names a shipped basis set, or is the path of the basis file whose parsed content
    /// `basis_file` carries (so the runtime reads no file and the hash follows the content).
    Scf {
        basis: String,
        method: String,
        /// Absent from the hashed JSON for a shipped basis, so those hash as before.
        #[serde(skip_serializing_if = "Option::is_none")]
        basis_file: Option<qdf_stdlib::basis::BasisSet>,
    },
    /// Orbital selection. Input: an SCF. With `natural_orbitals`, chosen per point by the runtime;
    /// `electrons` and `orbitals` are then upper bounds and `orbital_indices` is empty.
    ActiveSpace {
        frozen_orbitals: u32,
        electrons: u32,
        orbitals: u32,
        orbital_indices: Vec<u32>,
        /// Absent from the hashed JSON when not asked for, so canonical spaces hash as before.
        #[serde(skip_serializing_if = "Option::is_none")]
        natural_orbitals: Option<hir::NaturalOrbitalSelection>,
    },
    /// A classical reference energy. Input: an SCF (hf, mp2, ccsd, ccsd_t) or an active space
    /// (casci, fci: exact within the active space).
    Reference { method: String },
    /// The active-space Hamiltonian as a qubit operator. Input: an active space.
    QubitHamiltonian { mapping: hir::Mapping },
    /// The parametrised circuit template. Input: a qubit Hamiltonian.
    Circuit { ansatz: hir::AnsatzKind, options: hir::AnsatzOptions },
    /// A VQE optimisation. Inputs: the circuit, the qubit Hamiltonian and, with warm start, the
    /// previous point's VQE.
    Vqe {
        optimizer: hir::Optimizer,
        device: Option<hir::Device>,
        noise: hir::Noise,
        shots: Option<hir::Shots>,
        precision: Option<f64>,
        /// Grouping and shot allocation, present only when something is measured (shots or
        /// noise), so exact runs hash as before.
        #[serde(skip_serializing_if = "Option::is_none")]
        measurement: Option<hir::Measurement>,
        /// Where the energies are measured; absent (the simulator) hashes as before.
        #[serde(skip_serializing_if = "hir::Execute::is_simulator")]
        execute: hir::Execute,
        /// Error mitigation; absent (none) hashes as before.
        #[serde(skip_serializing_if = "hir::Mitigation::is_none")]
        mitigation: hir::Mitigation,
        /// Trajectories per evaluation beyond the density matrix; absent (the default) hashes as
        /// before.
        #[serde(skip_serializing_if = "Option::is_none")]
        trajectories: Option<u64>,
    },
    /// The dataset of one `generate`. Inputs: every VQE and reference node of it, point by point.
    Dataset { output: String, record: Vec<String>, formats: Vec<String>, budget: Option<hir::Budget> },
    /// One model trained on one dataset. Input: the dataset.
    Training {
        model: hir::Model,
        labels: String,
        split: hir::Split,
        epochs: u64,
        learning_rate: f64,
        batch_size: Option<u64>,
        weight_decay: f64,
        seed: u64,
    },
    /// The same training protocol once per label source, scored against `truth`. Input: the
    /// protocol's training node.
    Comparison { labels: Vec<String>, truth: String, metrics: Vec<String> },
    /// The run's report. Inputs: every dataset, training and comparison.
    Report,
}

impl Task {
    pub fn kind_name(&self) -> &'static str {
        match self {
            Task::Geometry { .. } => "geometry",
            Task::Scf { .. } => "scf",
            Task::ActiveSpace { .. } => "active_space",
            Task::Reference { .. } => "reference",
            Task::QubitHamiltonian { .. } => "qubit_hamiltonian",
            Task::Circuit { .. } => "circuit",
            Task::Vqe { .. } => "vqe",
            Task::Dataset { .. } => "dataset",
            Task::Training { .. } => "training",
            Task::Comparison { .. } => "comparison",
            Task::Report => "report",
        }
    }
}

/// BLAKE3 of arbitrary bytes as lowercase hex: the hash format of the IR, for other content (a
/// spec's text in a run manifest).
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// The digest of a task alone: BLAKE3 over its canonical JSON.
pub(crate) fn task_digest(task: &Task) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    // Serialising plain data with string keys into a hasher cannot fail.
    let _ = serde_json::to_writer(&mut hasher, task);
    *hasher.finalize().as_bytes()
}

/// The hash of a node: its task's digest and its inputs' hashes.
pub(crate) fn node_hash(task_digest: &[u8; 32], input_hashes: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(task_digest);
    for input in input_hashes {
        hasher.update(input.as_bytes());
    }
    hasher.finalize().to_hex().to_string()
}

/// The hash of the whole IR: the experiment settings and every node hash in order.
pub(crate) fn ir_hash(experiment: &hir::Experiment, nodes: &[Node]) -> String {
    let mut hasher = blake3::Hasher::new();
    let json = serde_json::to_vec(&(experiment.seed, &experiment.output)).unwrap_or_default();
    hasher.update(&json);
    for node in nodes {
        hasher.update(node.hash.as_bytes());
    }
    hasher.finalize().to_hex().to_string()
}
