//! The unitary coupled-cluster singles and doubles ansatz (UCCSD) on a Hartree–Fock reference,
//! Jordan–Wigner mapped to Pauli rotations.
//!
//! Conventions: spin orbitals interleaved as in OpenFermion (spin orbital `2p` is spatial orbital
//! `p` alpha, `2p + 1` is `p` beta), qubit `j` is spin orbital `j`, and
//! `a_j† = ½ (X_j − i Y_j) Z_{j−1} … Z_0`. The Hartree–Fock state occupies the lowest `n_alpha`
//! alpha and `n_beta` beta spin orbitals.
//!
//! Excitations (spin-orbital, not spin-adapted): every spin-conserving occupied → virtual
//! single `T = a_a† a_i` and double `T = a_a† a_b† a_j a_i` (`i < j` occupied, `a < b` virtual,
//! the same number of beta orbitals among `{i, j}` and `{a, b}`), one parameter each. Order:
//! singles by `(i, a)`, then doubles by `(i, j, a, b)`, all ascending. H2/STO-3G has 3
//! parameters (2 singles, 1 double); LiH in (2e, 4o) has 15; H4 in (4e, 4o) has 26.
//!
//! `U(θ) = Π_steps Π_excitations exp(θ_e/n (T_e − T_e†))`, first-order Trotter with `n` steps
//! (one by default), in the order above, each step applying all singles before all doubles.
//! Under Jordan–Wigner `T − T†` is `i Σ_k c_k P_k` with mutually commuting strings (2 for a
//! single, 8 for a double), so each factor is exactly a product of Pauli rotations
//! `exp(−i (w_k θ)/2 · P_k)` sharing one parameter, `w_k = −2 c_k` (±1 for singles, ±¼ for
//! doubles). The strings and weights come from multiplying out the ladder operators in
//! [`Excitation::pauli_terms`], not from a hand-written table.
//!
//! Failure contract: constructors panic on impossible inputs (more electrons of a spin than
//! spatial orbitals, more than 64 spin orbitals, zero Trotter steps); the compiler's checker
//! rejects those before anything runs.

use std::collections::BTreeMap;

use num_complex::Complex64;

use super::circuit::{PauliRotation, RotationCircuit};
use super::statevector::{i_pow, StateVector};
use crate::qubit::PauliString;

/// A fermionic excitation on spin orbitals; its generator is `T − T†`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Excitation {
    /// `T = a_to† a_from`.
    Single { from: u32, to: u32 },
    /// `T = a_{to[0]}† a_{to[1]}† a_{from[1]} a_{from[0]}`.
    Double { from: [u32; 2], to: [u32; 2] },
}

impl Excitation {
    /// The Pauli rotations `(P_k, w_k)` with `exp(θ (T − T†)) = Π_k exp(−i (w_k θ)/2 · P_k)`.
    /// The strings commute, so their order (sorted) does not matter.
    pub fn pauli_terms(&self) -> Vec<(PauliString, f64)> {
        let t = match *self {
            Excitation::Single { from, to } => product(&ladder(to, true), &ladder(from, false)),
            Excitation::Double { from, to } => {
                let left = product(&ladder(to[0], true), &ladder(to[1], true));
                let right = product(&ladder(from[1], false), &ladder(from[0], false));
                product(&left, &right)
            }
        };
        // T − T† = Σ (c − c̄) P = Σ 2i Im(c) P, and exp(2i Im(c) θ P) = exp(−i (w θ)/2 P) for
        // w = −4 Im(c).
        t.into_iter().filter(|(_, c)| c.im.abs() > 1e-14).map(|(p, c)| (p, -4.0 * c.im)).collect()
    }
}

/// `a_j†` (`dagger`) or `a_j` under Jordan–Wigner, as Pauli strings with complex coefficients.
fn ladder(j: u32, dagger: bool) -> Vec<(PauliString, Complex64)> {
    let bit = 1u64 << j;
    let below = bit - 1;
    let y_coefficient = if dagger { -0.5 } else { 0.5 };
    vec![
        (PauliString { x: bit, z: below }, Complex64::new(0.5, 0.0)),
        (PauliString { x: bit, z: below | bit }, Complex64::new(0.0, y_coefficient)),
    ]
}

/// The product of two Pauli sums, merged and with zero terms dropped, sorted by string.
fn product(a: &[(PauliString, Complex64)], b: &[(PauliString, Complex64)]) -> Vec<(PauliString, Complex64)> {
    let mut out: BTreeMap<PauliString, Complex64> = BTreeMap::new();
    for &(pa, ca) in a {
        for &(pb, cb) in b {
            let (k, p) = pa.mul(pb);
            *out.entry(p).or_default() += ca * cb * i_pow(u32::from(k));
        }
    }
    out.into_iter().filter(|(_, c)| c.norm() > 1e-14).collect()
}

/// The UCCSD ansatz for `(n_spatial, n_alpha, n_beta)`: its excitations and its circuit.
#[derive(Clone, Debug, PartialEq)]
pub struct Uccsd {
    n_spatial: u32,
    n_alpha: u32,
    n_beta: u32,
    trotter_steps: usize,
    excitations: Vec<Excitation>,
    circuit: RotationCircuit,
}

impl Uccsd {
    /// UCCSD with one Trotter step.
    pub fn new(n_spatial: u32, n_alpha: u32, n_beta: u32) -> Self {
        Self::with_trotter_steps(n_spatial, n_alpha, n_beta, 1)
    }

    /// UCCSD with `steps` first-order Trotter steps (parameters shared between steps).
    pub fn with_trotter_steps(n_spatial: u32, n_alpha: u32, n_beta: u32, steps: usize) -> Self {
        assert!(n_alpha <= n_spatial && n_beta <= n_spatial, "more electrons of one spin than spatial orbitals");
        assert!(n_spatial <= 32, "{n_spatial} spatial orbitals need more than 64 qubits");
        assert!(steps >= 1, "UCCSD needs at least one Trotter step");
        let excitations = excitations(n_spatial, n_alpha, n_beta);
        let n_qubits = 2 * n_spatial;
        let mut circuit = RotationCircuit::new(n_qubits, excitations.len());
        let terms: Vec<Vec<(PauliString, f64)>> = excitations.iter().map(Excitation::pauli_terms).collect();
        let scale = 1.0 / steps as f64;
        for _ in 0..steps {
            for (parameter, strings) in terms.iter().enumerate() {
                for &(string, weight) in strings {
                    circuit.push(PauliRotation { string, parameter, weight: weight * scale });
                }
            }
        }
        Uccsd { n_spatial, n_alpha, n_beta, trotter_steps: steps, excitations, circuit }
    }

    pub fn n_spatial(&self) -> u32 {
        self.n_spatial
    }

    pub fn n_qubits(&self) -> u32 {
        2 * self.n_spatial
    }

    pub fn n_parameters(&self) -> usize {
        self.excitations.len()
    }

    pub fn trotter_steps(&self) -> usize {
        self.trotter_steps
    }

    /// The excitations, in parameter order.
    pub fn excitations(&self) -> &[Excitation] {
        &self.excitations
    }

    pub fn circuit(&self) -> &RotationCircuit {
        &self.circuit
    }

    /// The Hartree–Fock determinant as a basis-state index: bits `2p` for `p < n_alpha` and
    /// `2p + 1` for `p < n_beta`.
    pub fn hartree_fock_index(&self) -> u64 {
        hartree_fock_index(self.n_alpha, self.n_beta)
    }

    /// `|HF⟩`.
    pub fn reference_state(&self) -> StateVector {
        StateVector::basis(self.n_qubits(), self.hartree_fock_index())
    }

    /// `U(θ)|HF⟩`.
    pub fn prepare(&self, params: &[f64]) -> StateVector {
        let mut psi = self.reference_state();
        self.circuit.apply(params, &mut psi);
        psi
    }
}

/// Bits `2p` (`p < n_alpha`) and `2p + 1` (`p < n_beta`).
pub fn hartree_fock_index(n_alpha: u32, n_beta: u32) -> u64 {
    let alpha = (0..n_alpha).fold(0u64, |m, p| m | 1 << (2 * p));
    let beta = (0..n_beta).fold(0u64, |m, p| m | 1 << (2 * p + 1));
    alpha | beta
}

/// The spin-conserving singles then doubles, in the documented order.
fn excitations(n_spatial: u32, n_alpha: u32, n_beta: u32) -> Vec<Excitation> {
    let hf = hartree_fock_index(n_alpha, n_beta);
    let (occupied, virtual_): (Vec<u32>, Vec<u32>) = (0..2 * n_spatial).partition(|&j| hf >> j & 1 == 1);
    let spin = |j: u32| j % 2;
    let mut out = Vec::new();
    for &i in &occupied {
        for &a in &virtual_ {
            if spin(i) == spin(a) {
                out.push(Excitation::Single { from: i, to: a });
            }
        }
    }
    for (n, &i) in occupied.iter().enumerate() {
        for &j in &occupied[n + 1..] {
            for (m, &a) in virtual_.iter().enumerate() {
                for &b in &virtual_[m + 1..] {
                    if spin(i) + spin(j) == spin(a) + spin(b) {
                        out.push(Excitation::Double { from: [i, j], to: [a, b] });
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
