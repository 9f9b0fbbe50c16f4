//! Trapped-ion compilation: logical circuits lowered to the native gates of IonQ Aria (GPI, GPI2,
//! MS), IonQ Forte, Forte Enterprise and Tempo (GPI, GPI2, ZZ) and Quantinuum H-series (U1q, RZZ),
//! device estimates (gate counts, depth, duration, expected fidelity, QPU time and price), and
//! emitters for IonQ's job JSON and OpenQASM 3.
//!
//! Pipeline: [`ising::to_ising`] (bind parameters, Pauli-rotation synthesis, single-qubit merging,
//! commutation, fusion and cancellation of two-qubit interactions) then [`lower::lower`] (native
//! gates with virtual-Z frames). Invariant, tested over random circuits and every ansatz: the
//! native gates followed by the final frames equal the logical circuit up to a global phase.

pub mod emit;
pub mod estimate;
pub mod gate;
pub mod ising;
pub mod lower;
pub mod su2;

pub use estimate::{estimate, job_cost, JobCost, NativeError, NativeEstimate};
pub use gate::{GateMatrix, NativeGate, Target};
pub use lower::NativeCircuit;

use crate::circuit::LogicalCircuit;

/// Lowers `circuit` with its parameters bound to `params` to `target`'s native gates. Failure
/// contract: panics if `params` is shorter than the circuit's parameter count (a programming
/// error); every circuit lowers.
pub fn compile(circuit: &LogicalCircuit, params: &[f64], target: Target) -> NativeCircuit {
    lower::lower(&ising::to_ising(circuit, params), circuit.n_qubits(), target)
}
