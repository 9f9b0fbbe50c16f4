//! The qdf runtime: executes the experiment IR.
//!
//! - [`chem`]: electronic structure: basis sets, integrals, RHF/ROHF, MP2, active spaces, FCI.
//! - [`qubit`]: Pauli strings and sums, the currency between the chemistry and the simulator;
//!   the Jordan–Wigner mapping.
//! - [`sim`]: the state-vector simulator, UCCSD and VQE.
//! - [`ml`]: descriptors, models (dfdx MLP, kernel ridge), splits and metrics.
//! - [`run`]: executing an experiment IR into a run directory.
pub mod chem;
pub mod ml;
pub mod qubit;
pub mod run;
pub mod sim;
