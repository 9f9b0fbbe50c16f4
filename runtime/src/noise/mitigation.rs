//! Error mitigation: readout-error inversion on outcome probabilities, and zero-noise
//! extrapolation by folding two-qubit gates (`G → G·(G†·G)^k`, which multiplies their noise by
//! `1 + 2k`) with Richardson extrapolation to zero noise.

use super::channel::ChannelModel;
use super::density::simulate_density;
use super::error::NoiseError;
use super::readout::{apply_symmetric, register_of};
use crate::native::gate::normalise_turns;
use crate::native::{NativeCircuit, NativeGate};
use crate::qubit::PauliSum;

/// Undoes a symmetric readout error `e` by applying the inverse confusion matrix
/// `[[1 − e, −e], [−e, 1 − e]]/(1 − 2e)` on every qubit. The result sums to the input's total but
/// may have small negative entries from sampling noise; it is not clipped. Failure contract:
/// `ProbabilityLength` unless `probs.len()` is a power of two; `InvalidProbability` unless
/// `e ∈ [0, 1]`; `SingularConfusion` when `e` is ½.
pub fn mitigate_readout(probs: &mut [f64], e: f64) -> Result<(), NoiseError> {
    if !(0.0..=1.0).contains(&e) {
        return Err(NoiseError::InvalidProbability { name: "readout_error", value: e });
    }
    let det = 1.0 - 2.0 * e;
    if det.abs() < 1e-12 {
        return Err(NoiseError::SingularConfusion);
    }
    let n = register_of(probs)?;
    apply_symmetric(probs, n, (1.0 - e) / det, -e / det);
    Ok(())
}

/// The inverse of a native gate, as a native gate: GPI is its own inverse, `GPI2(φ)† = GPI2(φ+½)`,
/// `MS(φ0, φ1, θ)† = MS(φ0+½, φ1, θ)`, and ZZ, RZZ and U1q negate their angle (so a folded ZZ
/// leaves the `(0, ¼]` range the hardware accepts; these circuits are for simulation). Never fails.
pub fn inverse_gate(gate: &NativeGate) -> NativeGate {
    match *gate {
        NativeGate::Gpi { qubit, phase } => NativeGate::Gpi { qubit, phase },
        NativeGate::Gpi2 { qubit, phase } => NativeGate::Gpi2 { qubit, phase: normalise_turns(phase + 0.5) },
        NativeGate::Ms { qubits, phases, angle } => {
            NativeGate::Ms { qubits, phases: [normalise_turns(phases[0] + 0.5), phases[1]], angle }
        }
        NativeGate::Zz { qubits, angle } => NativeGate::Zz { qubits, angle: -angle },
        NativeGate::U1q { qubit, theta, phi } => NativeGate::U1q { qubit, theta: -theta, phi },
        NativeGate::Rzz { qubits, theta } => NativeGate::Rzz { qubits, theta: -theta },
    }
}

/// `circuit` with every two-qubit gate `G` replaced by `G·(G†·G)^folds` (time order `G, G†, G,
/// …`): the same unitary, with `1 + 2·folds` times the two-qubit gates. Never fails.
pub fn fold_two_qubit_gates(circuit: &NativeCircuit, folds: usize) -> NativeCircuit {
    let mut gates = Vec::with_capacity(circuit.gates.len());
    for gate in &circuit.gates {
        gates.push(*gate);
        if gate.is_two_qubit() {
            for _ in 0..folds {
                gates.push(inverse_gate(gate));
                gates.push(*gate);
            }
        }
    }
    NativeCircuit { gates, ..circuit.clone() }
}

/// The value at zero of the polynomial through `points` (`(scale, value)` pairs): Richardson
/// extrapolation, `Σ_i w_i v_i` with [`richardson_weights`]. Failure contract: as
/// [`richardson_weights`].
pub fn richardson(points: &[(f64, f64)]) -> Result<f64, NoiseError> {
    let scales: Vec<f64> = points.iter().map(|&(s, _)| s).collect();
    let weights = richardson_weights(&scales)?;
    Ok(weights.iter().zip(points).map(|(w, &(_, v))| w * v).sum())
}

/// The weights `w_i = Π_{j≠i} s_j/(s_j − s_i)` that extrapolate values measured at the noise
/// scales `s_i` to scale zero (`Σ_i w_i = 1`); independent errors `σ_i` become
/// `sqrt(Σ_i w_i² σ_i²)`. Failure contract: `TooFewScales` below two scales; `RepeatedScale`
/// when two are equal.
pub fn richardson_weights(scales: &[f64]) -> Result<Vec<f64>, NoiseError> {
    if scales.len() < 2 {
        return Err(NoiseError::TooFewScales(scales.len()));
    }
    let mut weights = Vec::with_capacity(scales.len());
    for (i, &si) in scales.iter().enumerate() {
        let mut weight = 1.0;
        for (j, &sj) in scales.iter().enumerate() {
            if i != j {
                if sj == si {
                    return Err(NoiseError::RepeatedScale(si));
                }
                weight *= sj / (sj - si);
            }
        }
        weights.push(weight);
    }
    Ok(weights)
}

/// How many times an unmitigated evaluation's shots zero-noise extrapolation over `scales`
/// needs for the same standard error: the `k` scales share the shots and the Richardson weights
/// add their variances as `Σ w²`, so `k·Σ w²` (about 15.7 for scales 1, 3, 5). Failure
/// contract: as [`richardson_weights`].
pub fn zne_variance_factor(scales: &[u32]) -> Result<f64, NoiseError> {
    let scales: Vec<f64> = scales.iter().map(|&s| f64::from(s)).collect();
    let weights = richardson_weights(&scales)?;
    Ok(scales.len() as f64 * weights.iter().map(|w| w * w).sum::<f64>())
}

/// Zero-noise extrapolation of `Tr(ρH)` with exact density matrices: evaluates `circuit` with its
/// two-qubit gates folded `folds[i]` times (noise scale `1 + 2·folds[i]`) and extrapolates to
/// scale 0. Failure contract: `TooFewScales` / `RepeatedScale` as [`richardson`]; the errors of
/// [`simulate_density`] and [`super::DensityMatrix::expectation_sum`].
pub fn zero_noise_extrapolate(
    circuit: &NativeCircuit,
    model: &ChannelModel,
    h: &PauliSum,
    folds: &[usize],
) -> Result<f64, NoiseError> {
    let mut points = Vec::with_capacity(folds.len());
    for &k in folds {
        let rho = simulate_density(&fold_two_qubit_gates(circuit, k), model)?;
        points.push(((1 + 2 * k) as f64, rho.expectation_sum(h)?));
    }
    richardson(&points)
}
