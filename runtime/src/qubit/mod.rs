//! Qubit operators: Pauli algebra, fermion operators and their mappings to qubits.
//!
//! - [`pauli`]: bit-mask Pauli strings and real-weighted (Hermitian) sums, the currency between
//!   the chemistry and the simulator; [`operator`]: sums with complex coefficients, products and
//!   commutators.
//! - [`fermion`]: sums of products of ladder operators; the molecular Hamiltonian from integrals.
//! - [`encoding`]: Jordan–Wigner, Bravyi–Kitaev and parity as one linear-encoding mechanism over
//!   Majorana monomials (`majorana`), matching OpenFermion term by term.
//! - [`taper`]: Z2 symmetries and tapering; [`space`]: the spec's qubit space (mapping,
//!   two-qubit reduction, tapering) with its reference state.
//! - [`spectrum`]: exact eigenvalues, on the whole register or on chosen basis states.
//! - [`jordan_wigner`]: the Jordan–Wigner Hamiltonian and particle-number sectors (the original
//!   entry points, now over [`encoding`]).
pub mod encoding;
pub mod error;
pub mod fermion;
mod gf2;
pub mod jordan_wigner;
mod majorana;
pub mod operator;
pub mod pauli;
pub mod space;
pub mod spectrum;
pub mod taper;

pub use encoding::{map_hamiltonian, Encoding};
pub use error::QubitError;
pub use fermion::{FermionOperator, Ladder};
pub use operator::PauliOperator;
pub use pauli::{PauliString, PauliSum};
pub use space::QubitSpace;
pub use taper::Tapering;
