//! The qdf runtime: executes the experiment IR.
//!
//! - [`chem`]: electronic structure (active spaces, FCI).
//! - [`qubit`]: Pauli strings and sums, the currency between the chemistry and the simulator.
pub mod chem;
pub mod ml;
pub mod qubit;
pub mod run;
pub mod sim;
