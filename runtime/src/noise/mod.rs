//! Noise for trapped-ion devices, simulated on their native circuits.
//!
//! A [`ChannelModel`] is resolved from the compiler's `NoiseModel` (a device's figures or a `noise`
//! declaration). After each native gate it applies, on the gate's qubits only:
//! - depolarising noise with probability `p`: one of the 3 (one qubit) or 15 (two qubits, for MS,
//!   ZZ and RZZ) non-identity Paulis, uniformly, with total probability `p`. On one qubit this
//!   shrinks every Bloch component by `1 − 4p/3`; on two qubits every non-identity Pauli
//!   expectation on the pair by `1 − 16p/15`;
//! - dephasing, when the model asks for it and gives T2 and the gate's duration `t`: `Z` with
//!   probability `(1 − e^{−t/T2})/2` per qubit, so `⟨X⟩` and `⟨Y⟩` decay by `e^{−t/T2}`.
//!
//! Measurement flips each qubit's bit with the readout-error probability (a symmetric confusion
//! matrix); a Pauli string of weight `w` measured in its own basis therefore reads
//! `(1 − 2e)^w` times its value. The circuit's final virtual `RZ` frames are applied without
//! noise: they are phase bookkeeping, not pulses.
//!
//! Two simulators share these channels: [`density`] evolves the exact density matrix (up to
//! [`MAX_DENSITY_QUBITS`] qubits), [`trajectory`] averages seeded Monte-Carlo state-vector
//! trajectories and reports a standard error; [`noisy_expectation`] picks between them and
//! includes readout error. [`mitigation`] inverts readout errors and
//! extrapolates to zero noise by folding two-qubit gates.

pub mod channel;
pub mod density;
pub mod error;
pub mod estimate;
pub mod kernels;
pub mod mitigation;
pub mod readout;
pub mod trajectory;

pub use channel::{dephasing_probability, ChannelModel, GateErrors};
pub use density::{simulate_density, DensityMatrix, MAX_DENSITY_QUBITS};
pub use error::NoiseError;
pub use estimate::{noisy_expectation, NoiseMethod, NoisyValue};
pub use mitigation::{
    fold_two_qubit_gates, inverse_gate, mitigate_readout, richardson, richardson_weights, zero_noise_extrapolate,
    zne_variance_factor,
};
pub use readout::{apply_readout_error, damp_for_readout};
pub use trajectory::{evolve_trajectory, simulate_trajectories, TrajectoryEstimate, MAX_TRAJECTORY_QUBITS};
