//! Monte-Carlo trajectories: each trajectory runs the native circuit on a state vector and, after
//! every gate, draws its errors (a uniformly chosen non-identity Pauli with the depolarising
//! probability, a `Z` per qubit with the dephasing probability). The mean of `⟨ψ|H|ψ⟩` over
//! trajectories is an unbiased estimate of `Tr(ρH)` for the density matrix of
//! [`super::density`].
//!
//! Trajectory `i` draws from ChaCha8 seeded with `seed` on stream `i`, so a seed gives the same
//! estimate on every machine and with any number of threads; trajectories run in parallel.

use num_complex::Complex64;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::channel::ChannelModel;
use super::error::NoiseError;
use super::kernels::{apply_one, apply_two, pauli_expectation, pauli_matrix};
use crate::native::su2::{self, Mat2};
use crate::native::{GateMatrix, NativeCircuit};
use crate::qubit::PauliSum;

/// The largest register the trajectory simulator takes: `2^30` amplitudes (16 GiB) per thread.
pub const MAX_TRAJECTORY_QUBITS: u32 = 30;

/// The mean of an observable over trajectories and its standard error (sample standard
/// deviation over `√trajectories`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrajectoryEstimate {
    pub mean: f64,
    pub standard_error: f64,
    pub trajectories: usize,
}

/// A uniform draw in `[0, 1)` with 53 random bits.
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

const PAULIS: [char; 4] = ['I', 'X', 'Y', 'Z'];

/// Single-qubit operators waiting to be applied, one product per qubit: a run of single-qubit
/// gates, their sampled errors and the final frames costs one pass over the state instead of one
/// per factor. A qubit's product is applied before a two-qubit gate touches it.
struct Pending(Vec<Option<Mat2>>);

impl Pending {
    fn new(n_qubits: u32) -> Self {
        Pending(vec![None; n_qubits as usize])
    }

    /// `m` after what waits on `q`.
    fn push(&mut self, q: u32, m: &Mat2) {
        let slot = &mut self.0[q as usize];
        *slot = Some(match slot {
            Some(before) => su2::mul(m, before),
            None => *m,
        });
    }

    /// The Pauli `PAULIS[k]` after what waits on `q` (nothing for the identity).
    fn push_pauli(&mut self, q: u32, k: usize) {
        if k != 0 {
            self.push(q, &pauli_matrix(PAULIS[k]));
        }
    }

    /// Applies what waits on `q` to `psi`.
    fn flush(&mut self, psi: &mut [Complex64], q: u32) {
        if let Some(m) = self.0[q as usize].take() {
            apply_one(psi, q, &m);
        }
    }
}

/// `⟨ψ|H|ψ⟩` after one trajectory of `circuit` from `|0…0⟩`.
fn one_trajectory(circuit: &NativeCircuit, model: &ChannelModel, h: &PauliSum, rng: &mut ChaCha8Rng) -> f64 {
    let mut psi = vec![Complex64::new(0.0, 0.0); 1usize << circuit.n_qubits];
    psi[0] = Complex64::new(1.0, 0.0);
    evolve_trajectory(&mut psi, circuit, model, rng);
    h.terms.iter().map(|&(p, c)| c * pauli_expectation(&psi, p)).sum()
}

/// Runs `circuit` on the state vector `psi` with one draw of its errors under `model`: after each
/// gate, a uniformly chosen non-identity Pauli with the depolarising probability and a `Z` per
/// qubit with the dephasing probability; finally the virtual frames, noiselessly. A state
/// prepared once can continue through several circuits. Failure contract: panics if a gate acts
/// outside `psi` (a programming error).
pub fn evolve_trajectory(psi: &mut [Complex64], circuit: &NativeCircuit, model: &ChannelModel, rng: &mut ChaCha8Rng) {
    let mut pending = Pending::new(circuit.n_qubits);
    for gate in &circuit.gates {
        let errors = model.after(gate);
        match gate.matrix() {
            GateMatrix::One(q, m) => {
                pending.push(q, &m);
                if errors.depolarizing > 0.0 && uniform(rng) < errors.depolarizing {
                    pending.push_pauli(q, 1 + (uniform(rng) * 3.0) as usize % 3);
                }
                if errors.dephasing > 0.0 && uniform(rng) < errors.dephasing {
                    pending.push_pauli(q, 3);
                }
            }
            GateMatrix::Two(q, m) => {
                pending.flush(psi, q[0]);
                pending.flush(psi, q[1]);
                apply_two(psi, q, &m);
                if errors.depolarizing > 0.0 && uniform(rng) < errors.depolarizing {
                    // One of the 15 non-identity pairs, as k = k0 + 4·k1 with k in 1..16.
                    let k = 1 + (uniform(rng) * 15.0) as usize % 15;
                    pending.push_pauli(q[0], k & 3);
                    pending.push_pauli(q[1], k >> 2);
                }
                for &qubit in &q {
                    if errors.dephasing > 0.0 && uniform(rng) < errors.dephasing {
                        pending.push_pauli(qubit, 3);
                    }
                }
            }
        }
    }
    for (q, &f) in circuit.frames.iter().enumerate() {
        pending.push(q as u32, &su2::rz(f));
    }
    for q in 0..circuit.n_qubits {
        pending.flush(psi, q);
    }
}

/// Estimates `Tr(ρH)` for `circuit` under `model` from `trajectories` seeded trajectories
/// (readout error is not applied; measure [`super::damp_for_readout`]'s observable for it).
/// Failure contract: `TooFewTrajectories` below 2; `TooManyQubits` beyond
/// [`MAX_TRAJECTORY_QUBITS`]; `ObservableTooWide` if `h` has more qubits than the circuit;
/// panics if a gate acts outside the register (a programming error).
pub fn simulate_trajectories(
    circuit: &NativeCircuit,
    model: &ChannelModel,
    h: &PauliSum,
    trajectories: usize,
    seed: u64,
) -> Result<TrajectoryEstimate, NoiseError> {
    if trajectories < 2 {
        return Err(NoiseError::TooFewTrajectories(trajectories));
    }
    let n = circuit.n_qubits;
    if n > MAX_TRAJECTORY_QUBITS {
        return Err(NoiseError::TooManyQubits { n_qubits: n, max: MAX_TRAJECTORY_QUBITS });
    }
    let width = h.terms.iter().map(|(p, _)| 64 - (p.x | p.z).leading_zeros()).max().unwrap_or(0).max(h.n_qubits);
    if width > n {
        return Err(NoiseError::ObservableTooWide { observable: width, circuit: n });
    }
    let values: Vec<f64> = (0..trajectories)
        .into_par_iter()
        .map(|i| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(i as u64);
            one_trajectory(circuit, model, h, &mut rng)
        })
        .collect();
    let count = trajectories as f64;
    let mean = values.iter().sum::<f64>() / count;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (count - 1.0);
    Ok(TrajectoryEstimate { mean, standard_error: (variance / count).sqrt(), trajectories })
}
