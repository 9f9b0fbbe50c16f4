//! Qubit operators.
pub mod pauli;

pub use pauli::{PauliString, PauliSum};
