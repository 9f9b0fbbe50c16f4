//! What this runtime executes today, checked on the IR before any compute is spent. The language
//! (and `qdf check`) covers more than the runtime runs yet; a spec asking for more is refused up
//! front with the list of what it asked for, never run halfway or silently approximated.

use qdf_compiler::hir::{AnsatzKind, Execute, Noise};
use qdf_compiler::ir::{ExperimentIr, Task};

/// Every choice in `ir` this runtime cannot execute, one sentence each (deduplicated).
pub fn unsupported(ir: &ExperimentIr) -> Vec<String> {
    let mut problems: Vec<String> = Vec::new();
    let mut note = |problem: String| {
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    };
    for node in &ir.nodes {
        match &node.task {
            Task::Vqe { execute, .. } => {
                let adaptive = node
                    .inputs
                    .iter()
                    .any(|&i| matches!(&ir.nodes[i as usize].task, Task::Circuit { ansatz: AnsatzKind::Adapt, .. }));
                if adaptive && *execute == Execute::Ionq {
                    note("ADAPT-VQE on IonQ's machine: every pool scan would submit two jobs per pool rotation and measurement group; run ADAPT on the simulator".into());
                }
            }
            Task::Dataset { record, .. } => {
                let exact_energies = |task: &Task| match task {
                    Task::Vqe { noise, shots, .. } => *noise == Noise::None && shots.is_none(),
                    _ => true,
                };
                if record.iter().any(|r| r == "gradients")
                    && node.inputs.iter().any(|&i| !exact_energies(&ir.nodes[i as usize].task))
                {
                    note(format!(
                        "record `gradients` in `{}`: finite differences need exact energies, and this generate measures them",
                        node.label
                    ));
                }
                // Counts exist where shots are drawn: given, or sized for a precision.
                let shots_drawn = |task: &Task| match task {
                    Task::Vqe { noise, shots, precision, .. } => {
                        shots.is_some() || (*noise != Noise::None && precision.is_some())
                    }
                    _ => true,
                };
                if record.iter().any(|r| r == "counts")
                    && node.inputs.iter().any(|&i| !shots_drawn(&ir.nodes[i as usize].task))
                {
                    note(format!(
                        "record `counts` in `{}`: its energies are exact expectation values, measured with no shots (add `shots`)",
                        node.label
                    ));
                }
            }
            _ => {}
        }
    }
    problems
}
