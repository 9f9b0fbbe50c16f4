//! Qubit operators.
pub mod jordan_wigner;
pub mod pauli;

pub use pauli::{PauliString, PauliSum};
