//! The error rates applied after each native gate, resolved once from a `NoiseModel`.

use qdf_compiler::hir::NoiseModel;

use super::error::NoiseError;
use crate::native::NativeGate;

/// Per-gate error probabilities (see the module documentation of [`crate::noise`] for the
/// channels they parameterise). Times and T2 are used only as ratios, so any one unit works.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChannelModel {
    pub depolarizing_1q: f64,
    pub depolarizing_2q: f64,
    /// Probability of a `Z` on the qubit of a single-qubit gate.
    pub dephasing_1q: f64,
    /// Probability of a `Z` on each qubit of a two-qubit gate.
    pub dephasing_2q: f64,
    pub readout_error: f64,
}

/// The channels that follow one gate: depolarising on its qubits, then dephasing on each.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GateErrors {
    pub depolarizing: f64,
    pub dephasing: f64,
}

/// `(1 − e^{−t/T2})/2`: the probability of a `Z` that makes `⟨X⟩` decay by `e^{−t/T2}` over `t`.
pub fn dephasing_probability(t: f64, t2: f64) -> f64 {
    0.5 * (1.0 - (-t / t2).exp())
}

fn probability(name: &'static str, value: f64) -> Result<f64, NoiseError> {
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(NoiseError::InvalidProbability { name, value })
    }
}

fn time(name: &'static str, value: Option<f64>) -> Result<Option<f64>, NoiseError> {
    match value {
        Some(t) if !(t.is_finite() && t >= 0.0) => Err(NoiseError::InvalidTime { name, value: t }),
        other => Ok(other),
    }
}

impl ChannelModel {
    /// No noise at all: the simulators then reproduce the pure state.
    pub fn noiseless() -> Self {
        ChannelModel {
            depolarizing_1q: 0.0,
            depolarizing_2q: 0.0,
            dephasing_1q: 0.0,
            dephasing_2q: 0.0,
            readout_error: 0.0,
        }
    }

    /// Resolves `model`. Dephasing applies only when `model.dephasing` is set and T2 and the
    /// gate time are both given (a single-qubit time alone dephases only single-qubit gates).
    /// Failure contract: `InvalidProbability` for a rate outside `[0, 1]`; `InvalidTime` for a
    /// negative or non-finite gate time, or a T2 that is not positive and finite.
    pub fn from_model(model: &NoiseModel) -> Result<Self, NoiseError> {
        let depolarizing_1q = probability("depolarizing_1q", model.depolarizing_1q)?;
        let depolarizing_2q = probability("depolarizing_2q", model.depolarizing_2q)?;
        let readout_error = probability("readout_error", model.readout_error)?;
        let time_1q = time("time_1q", model.time_1q)?;
        let time_2q = time("time_2q", model.time_2q)?;
        let t2 = match model.t2 {
            Some(t2) if !(t2.is_finite() && t2 > 0.0) => return Err(NoiseError::InvalidTime { name: "t2", value: t2 }),
            other => other,
        };
        let dephase = |t: Option<f64>| match (model.dephasing, t, t2) {
            (true, Some(t), Some(t2)) => dephasing_probability(t, t2),
            _ => 0.0,
        };
        Ok(ChannelModel {
            depolarizing_1q,
            depolarizing_2q,
            dephasing_1q: dephase(time_1q),
            dephasing_2q: dephase(time_2q),
            readout_error,
        })
    }

    /// The channels that follow `gate`.
    pub fn after(&self, gate: &NativeGate) -> GateErrors {
        if gate.is_two_qubit() {
            GateErrors { depolarizing: self.depolarizing_2q, dephasing: self.dephasing_2q }
        } else {
            GateErrors { depolarizing: self.depolarizing_1q, dephasing: self.dephasing_1q }
        }
    }
}
