//! Measurement outcomes from a state vector with a seeded generator, and shot-based estimates of
//! Pauli sums with per-group basis rotations, so shot noise in a run is real and reproducible.
//!
//! Outcomes are drawn by inverse transform over the cumulative probabilities (ChaCha8, seeded):
//! the same state, shot count and seed give the same outcomes on every machine. A Pauli sum is
//! split greedily into qubit-wise commuting groups; each group rotates a copy of the state so its
//! X and Y factors become Z (`H`, and `S†` then `H`), samples, and estimates each term as the
//! mean of `(−1)^{|outcome ∧ support|}`.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::apply_gate;
use super::gate::Gate;
use crate::qubit::PauliString;
use crate::sim::statevector::StateVector;

/// `shots` basis-state outcomes (bit `q` = qubit `q`) drawn from `|ψ_b|²`, normalised by the
/// state's norm. Failure contract: panics on the zero vector.
pub fn sample(state: &StateVector, shots: usize, rng: &mut ChaCha8Rng) -> Vec<u64> {
    let mut cumulative = Vec::with_capacity(state.amplitudes().len());
    let mut total = 0.0;
    for u in state.amplitudes() {
        total += u.norm_sqr();
        cumulative.push(total);
    }
    assert!(total > 0.0, "cannot sample from the zero vector");
    (0..shots)
        .map(|_| {
            let u = uniform(rng) * total;
            let b = cumulative.partition_point(|&c| c <= u);
            b.min(cumulative.len() - 1) as u64
        })
        .collect()
}

/// A uniform draw in `[0, 1)` with 53 random bits.
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Qubit-wise commuting groups of `terms` (greedy, in order): in a group every qubit carries at
/// most one Pauli letter. Returns indices into `terms`; identity terms are left out.
pub fn qubitwise_groups(terms: &[(PauliString, f64)]) -> Vec<Vec<usize>> {
    let mut groups: Vec<(PauliString, Vec<usize>)> = Vec::new();
    for (i, &(p, _)) in terms.iter().enumerate() {
        if p.x == 0 && p.z == 0 {
            continue;
        }
        let found = groups.iter_mut().find(|(basis, _)| {
            let shared = (basis.x | basis.z) & (p.x | p.z);
            (basis.x ^ p.x) & shared == 0 && (basis.z ^ p.z) & shared == 0
        });
        match found {
            Some((basis, members)) => {
                basis.x |= p.x;
                basis.z |= p.z;
                members.push(i);
            }
            None => groups.push((p, vec![i])),
        }
    }
    groups.into_iter().map(|(_, m)| m).collect()
}

/// A shot-based estimate of `Σ c_k ⟨P_k⟩`: `shots` samples per qubit-wise commuting group, each
/// group measured in its own rotated basis. Identity terms count exactly. Failure contract: panics
/// if a string acts outside the state or the state is zero.
pub fn estimate(state: &StateVector, terms: &[(PauliString, f64)], shots: usize, rng: &mut ChaCha8Rng) -> f64 {
    let mut total: f64 = terms.iter().filter(|(p, _)| p.x == 0 && p.z == 0).map(|(_, c)| c).sum();
    if shots == 0 {
        return total;
    }
    for group in qubitwise_groups(terms) {
        let mut basis = PauliString::IDENTITY;
        for &i in &group {
            basis.x |= terms[i].0.x;
            basis.z |= terms[i].0.z;
        }
        let mut rotated = state.clone();
        for q in 0..state.n_qubits().min(64) {
            match basis.at(q) {
                'X' => apply_gate(&mut rotated, &Gate::H(q), &[]),
                'Y' => {
                    apply_gate(&mut rotated, &Gate::Sdg(q), &[]);
                    apply_gate(&mut rotated, &Gate::H(q), &[]);
                }
                _ => {}
            }
        }
        let outcomes = sample(&rotated, shots, rng);
        for &i in &group {
            let (p, c) = terms[i];
            let support = p.x | p.z;
            let sum: i64 = outcomes.iter().map(|&b| if (b & support).count_ones() % 2 == 1 { -1 } else { 1 }).sum();
            total += c * sum as f64 / shots as f64;
        }
    }
    total
}

/// A generator seeded from `seed`.
pub fn seeded(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}
