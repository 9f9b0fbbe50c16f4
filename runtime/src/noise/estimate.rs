//! The measured expectation value of an observable on a noisy native circuit, by the method the
//! register size allows: the exact density matrix up to [`MAX_DENSITY_QUBITS`] qubits, seeded
//! trajectories beyond. Readout error is included: each string is read in its own basis.

use super::channel::ChannelModel;
use super::density::{simulate_density, MAX_DENSITY_QUBITS};
use super::error::NoiseError;
use super::readout::damp_for_readout;
use super::trajectory::simulate_trajectories;
use crate::native::NativeCircuit;
use crate::qubit::PauliSum;

/// How a [`NoisyValue`] was computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoiseMethod {
    DensityMatrix,
    Trajectories,
}

/// A noisy expectation value; the standard error is zero for the exact density matrix.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct NoisyValue {
    pub value: f64,
    pub standard_error: f64,
    pub method: NoiseMethod,
}

/// `⟨H⟩` as measured on `circuit` under `model`, readout error included. Registers of at most
/// [`MAX_DENSITY_QUBITS`] qubits are simulated exactly (`trajectories` and `seed` unused);
/// larger ones by `trajectories` trajectories seeded with `seed`. Failure contract: the errors of
/// [`simulate_density`], [`super::DensityMatrix::expectation_sum`] and
/// [`simulate_trajectories`] (too few trajectories, a register or observable too large).
pub fn noisy_expectation(
    circuit: &NativeCircuit,
    model: &ChannelModel,
    h: &PauliSum,
    trajectories: usize,
    seed: u64,
) -> Result<NoisyValue, NoiseError> {
    let measured = damp_for_readout(h, model.readout_error);
    if circuit.n_qubits <= MAX_DENSITY_QUBITS {
        let value = simulate_density(circuit, model)?.expectation_sum(&measured)?;
        Ok(NoisyValue { value, standard_error: 0.0, method: NoiseMethod::DensityMatrix })
    } else {
        let estimate = simulate_trajectories(circuit, model, &measured, trajectories, seed)?;
        Ok(NoisyValue {
            value: estimate.mean,
            standard_error: estimate.standard_error,
            method: NoiseMethod::Trajectories,
        })
    }
}
