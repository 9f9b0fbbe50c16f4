//! The noiseless state-vector simulator and VQE.
//!
//! - [`statevector`]: complex amplitudes and the Pauli kernels (rotation, application, adjoint
//!   step), one pass over the state per Pauli string.
//! - [`observable`]: a [`PauliSum`](crate::qubit::PauliSum) grouped by X mask for expectation
//!   values and `H|ψ⟩`.
//! - [`circuit`]: parametrised Pauli-rotation circuits, the energy and its adjoint gradient.
//! - [`uccsd`]: the Jordan–Wigner UCCSD ansatz on a Hartree–Fock reference.
//! - [`vqe`]: L-BFGS minimisation of the energy.
//!
//! Conventions are those of [`crate::qubit::pauli`]: qubit `q` is bit `q` of a basis index.
pub mod circuit;
pub mod observable;
pub mod statevector;
pub mod uccsd;
pub mod vqe;

pub use circuit::{Energy, PauliRotation, RotationCircuit};
pub use observable::Observable;
pub use statevector::StateVector;
pub use uccsd::{Excitation, Uccsd};
pub use vqe::{minimize, VqeOptions, VqeResult};
