//! The qdf runtime: executes the experiment IR.
//!
//! - [`chem`]: electronic structure: basis sets, integrals, RHF/ROHF, MP2, active spaces, FCI.
//! - [`qubit`]: Pauli strings and sums, the currency between the chemistry and the simulator;
//!   fermion operators and their mappings to qubits.
//! - [`circuit`]: logical gate-level circuits (ansatzes, measurement basis changes).
//! - [`measure`]: measurement planning: grouping, diagonalising circuits, shot allocation.
//! - [`planner`]: per `generate`, qubits, gates, groups and shots before anything runs.
//! - [`sim`]: the state-vector simulator, the ansatz library and VQE.
//! - [`ml`]: descriptors, models (dfdx MLP, kernel ridge), splits and metrics.
//! - [`run`]: executing an experiment IR into a run directory.
pub mod chem;
pub mod circuit;
pub mod ionq;
pub mod measure;
pub mod ml;
pub mod native;
pub mod noise;
pub mod planner;
pub mod qubit;
pub mod run;
pub mod sim;
pub mod svsim;
