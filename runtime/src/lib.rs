//! The qdf runtime: executes the experiment IR.
//!
//! - [`qubit`]: Pauli strings and sums, the currency between the chemistry and the simulator.
pub mod qubit;
