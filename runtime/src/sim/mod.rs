//! The noiseless state-vector simulator and VQE.
//!
//! - [`statevector`]: complex amplitudes and the Pauli kernels (rotation, application, adjoint
//!   step), one pass over the state per Pauli string.
//! - [`observable`]: a [`PauliSum`](crate::qubit::PauliSum) grouped by X mask for expectation
//!   values and `H|ψ⟩`.
//! - [`circuit`]: parametrised Pauli-rotation circuits, the energy and its adjoint gradient.
//! - [`ansatz`]: every ansatz family (HF, UCCSD, k-UpCCGSD, hardware-efficient,
//!   particle-conserving, ADAPT-VQE) on any qubit space, as rotation and logical circuits.
//! - [`compiled`]: the exact energy and its adjoint gradient on the fast engine ([`crate::svsim`]).
//! - [`measured`]: energies measured with shots, split over measurement groups, optionally on a
//!   simulated noisy device; parameter-shift gradients.
//! - [`vqe`]: L-BFGS and BFGS on exact energies; [`optimize`]: every optimiser a spec can name,
//!   over exact or measured energies.
//!
//! Conventions are those of [`crate::qubit::pauli`]: qubit `q` is bit `q` of a basis index.
pub mod ansatz;
pub mod circuit;
pub mod compiled;
pub mod measured;
pub mod observable;
pub mod optimize;
pub mod sampling;
pub mod statevector;
pub mod vqe;

pub use ansatz::{AdaptResult, Ansatz, AnsatzError, Excitation};
pub use circuit::{Energy, PauliRotation, RotationCircuit};
pub use compiled::CompiledEnergy;
pub use observable::Observable;
pub use statevector::StateVector;
pub use vqe::{minimize, minimize_with, EnergyFunction, QuasiNewton, VqeOptions, VqeResult};
