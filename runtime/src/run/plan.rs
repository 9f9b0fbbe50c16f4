//! Grouping the IR's nodes into the jobs the runtime executes: one job per geometry point of a
//! dataset (SCF, references, active space, qubit Hamiltonian, circuit, VQE), then trainings,
//! comparisons and the report.

use std::collections::HashMap;

use qdf_compiler::ir::{ExperimentIr, Node, NodeId, Task};

/// Everything computed at one geometry point of one dataset.
#[derive(Clone, Debug)]
pub struct PointJob {
    /// Position of the point in its dataset, from 0.
    pub index: usize,
    pub geometry: NodeId,
    pub scf: NodeId,
    pub active_space: NodeId,
    pub hamiltonian: NodeId,
    pub circuit: NodeId,
    pub vqe: NodeId,
    /// Reference nodes, in the order of the spec's `references`.
    pub references: Vec<NodeId>,
    /// The VQE node whose parameters warm-start this one.
    pub warm_start_from: Option<NodeId>,
}

/// A dataset and its points, in order.
#[derive(Clone, Debug)]
pub struct DatasetJob {
    pub node: NodeId,
    pub points: Vec<PointJob>,
}

/// The whole plan, in execution order.
#[derive(Clone, Debug)]
pub struct Plan {
    pub datasets: Vec<DatasetJob>,
    pub trainings: Vec<NodeId>,
    pub comparisons: Vec<NodeId>,
}

/// Why an IR cannot be planned: a shape the validator should have rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanError(pub String);

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "malformed experiment IR: {}", self.0)
    }
}

impl Plan {
    /// Builds the plan. Failure contract: an IR that does not have the shape lowering produces
    /// (which `ir::validate` guarantees) is an error naming the node.
    pub fn new(ir: &ExperimentIr) -> Result<Plan, PlanError> {
        let node = |id: NodeId| &ir.nodes[id as usize];
        let input_of_kind = |n: &Node, kind: &str| -> Result<NodeId, PlanError> {
            n.inputs
                .iter()
                .copied()
                .find(|&i| node(i).task.kind_name() == kind)
                .ok_or_else(|| PlanError(format!("node {} ({}) has no {kind} input", n.id, n.label)))
        };
        let mut datasets = Vec::new();
        let mut trainings = Vec::new();
        let mut comparisons = Vec::new();
        for n in &ir.nodes {
            match n.task {
                Task::Dataset { .. } => {
                    // References belong to the point whose geometry they descend from.
                    let mut references_by_geometry: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
                    let mut points = Vec::new();
                    for &input in &n.inputs {
                        let i = node(input);
                        match i.task {
                            Task::Reference { .. } => {
                                let geometry = geometry_of(ir, input)?;
                                references_by_geometry.entry(geometry).or_default().push(input);
                            }
                            Task::Vqe { .. } => {
                                let circuit = input_of_kind(i, "circuit")?;
                                let hamiltonian = input_of_kind(i, "qubit_hamiltonian")?;
                                let active_space = input_of_kind(node(hamiltonian), "active_space")?;
                                let scf = input_of_kind(node(active_space), "scf")?;
                                let geometry = input_of_kind(node(scf), "geometry")?;
                                let warm_start_from = i.inputs.get(2).copied();
                                points.push(PointJob {
                                    index: points.len(),
                                    geometry,
                                    scf,
                                    active_space,
                                    hamiltonian,
                                    circuit,
                                    vqe: input,
                                    references: Vec::new(),
                                    warm_start_from,
                                });
                            }
                            _ => {
                                return Err(PlanError(format!(
                                    "dataset {} has a {} input",
                                    n.label,
                                    i.task.kind_name()
                                )))
                            }
                        }
                    }
                    for point in &mut points {
                        point.references = references_by_geometry.remove(&point.geometry).unwrap_or_default();
                    }
                    datasets.push(DatasetJob { node: n.id, points });
                }
                Task::Training { .. } => trainings.push(n.id),
                Task::Comparison { .. } => comparisons.push(n.id),
                _ => {}
            }
        }
        Ok(Plan { datasets, trainings, comparisons })
    }
}

/// The geometry node a node descends from (following first inputs).
fn geometry_of(ir: &ExperimentIr, mut id: NodeId) -> Result<NodeId, PlanError> {
    loop {
        let n = &ir.nodes[id as usize];
        if matches!(n.task, Task::Geometry { .. }) {
            return Ok(id);
        }
        id = *n.inputs.first().ok_or_else(|| PlanError(format!("node {} ({}) reaches no geometry", n.id, n.label)))?;
    }
}
