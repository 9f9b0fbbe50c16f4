//! Readout error: a symmetric bit flip with probability `e` on each measured qubit.

use super::error::NoiseError;
use crate::qubit::PauliSum;

/// The number of qubits whose outcomes `probs` lists. Failure contract: `ProbabilityLength`
/// unless the length is a power of two.
pub(super) fn register_of(probs: &[f64]) -> Result<u32, NoiseError> {
    if probs.len().is_power_of_two() {
        Ok(probs.len().trailing_zeros())
    } else {
        Err(NoiseError::ProbabilityLength { len: probs.len(), n_qubits: usize::BITS - probs.len().leading_zeros() })
    }
}

/// Applies, qubit by qubit, the 2×2 stochastic map `[[a, b], [b, a]]` to outcome probabilities
/// indexed by basis state (bit `q` = qubit `q`).
pub(super) fn apply_symmetric(probs: &mut [f64], n_qubits: u32, a: f64, b: f64) {
    for q in 0..n_qubits {
        let bit = 1usize << q;
        for i in (0..probs.len()).filter(|i| i & bit == 0) {
            let (p0, p1) = (probs[i], probs[i | bit]);
            probs[i] = a * p0 + b * p1;
            probs[i | bit] = b * p0 + a * p1;
        }
    }
}

/// Turns exact outcome probabilities into measured ones: every qubit's bit flips with
/// probability `e`. Failure contract: `ProbabilityLength` unless `probs.len()` is a power of two;
/// `InvalidProbability` unless `e ∈ [0, 1]`.
pub fn apply_readout_error(probs: &mut [f64], e: f64) -> Result<(), NoiseError> {
    if !(0.0..=1.0).contains(&e) {
        return Err(NoiseError::InvalidProbability { name: "readout_error", value: e });
    }
    let n = register_of(probs)?;
    apply_symmetric(probs, n, 1.0 - e, e);
    Ok(())
}

/// The observable whose exact value equals what measuring `h` reads under readout error `e`:
/// each string of weight `w` is measured in its own basis, so its parity is flipped by an odd
/// number of bit errors and its coefficient scales by `(1 − 2e)^w`. Never fails.
pub fn damp_for_readout(h: &PauliSum, e: f64) -> PauliSum {
    let terms = h.terms.iter().map(|&(p, c)| (p, c * (1.0 - 2.0 * e).powi(p.weight() as i32))).collect();
    PauliSum { n_qubits: h.n_qubits, terms }
}
