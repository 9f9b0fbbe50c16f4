//! Exact density-matrix simulation of a native circuit under a [`ChannelModel`].
//!
//! `ρ` is stored as a vector over `2n` bits: entry `ρ[r][c]` at index `r | c << n`. A gate `U`
//! acts as `U` on the row bits and `conj(U)` on the column bits. The depolarising channels use
//! their closed forms, `ρ → λρ + (1 − λ)·Tr_S(ρ) ⊗ I/d` on the gate's support `S` (`d = 2^|S|`,
//! `λ = 1 − 4p/3` on one qubit and `1 − 16p/15` on two), and dephasing scales the coherences of
//! its qubit by `1 − 2p`; none of them copies the matrix.

use num_complex::Complex64;

use super::channel::ChannelModel;
use super::error::NoiseError;
use super::kernels::{apply_one, apply_two, conj_one, conj_two, insert_zeros, pauli_phase};
use crate::native::{su2, GateMatrix, NativeCircuit};
use crate::qubit::{PauliString, PauliSum};

/// The largest register held as a density matrix: 13 qubits take `4^13` amplitudes (1 GiB).
pub const MAX_DENSITY_QUBITS: u32 = 13;

/// A density matrix on `n_qubits` qubits (qubit `q` = bit `q` of a basis index).
#[derive(Clone, Debug, PartialEq)]
pub struct DensityMatrix {
    n_qubits: u32,
    data: Vec<Complex64>,
}

impl DensityMatrix {
    /// `|0…0⟩⟨0…0|`. Failure contract: `TooManyQubits` beyond [`MAX_DENSITY_QUBITS`].
    pub fn zero(n_qubits: u32) -> Result<Self, NoiseError> {
        if n_qubits > MAX_DENSITY_QUBITS {
            return Err(NoiseError::TooManyQubits { n_qubits, max: MAX_DENSITY_QUBITS });
        }
        let mut data = vec![Complex64::new(0.0, 0.0); 1usize << (2 * n_qubits)];
        data[0] = Complex64::new(1.0, 0.0);
        Ok(DensityMatrix { n_qubits, data })
    }

    pub fn n_qubits(&self) -> u32 {
        self.n_qubits
    }

    /// `ρ[row][column]`. Failure contract: panics on an index of `2^n` or more.
    pub fn element(&self, row: usize, column: usize) -> Complex64 {
        let dim = 1usize << self.n_qubits;
        assert!(row < dim && column < dim, "density-matrix index out of range");
        self.data[row | column << self.n_qubits]
    }

    /// `Tr ρ`.
    pub fn trace(&self) -> f64 {
        self.probabilities().iter().sum()
    }

    /// `ρ → UρU†`. Failure contract: panics if the gate acts outside the register.
    pub fn apply_unitary(&mut self, gate: &GateMatrix) {
        let n = self.n_qubits;
        match gate {
            GateMatrix::One(q, m) => {
                apply_one(&mut self.data, *q, m);
                apply_one(&mut self.data, q + n, &conj_one(m));
            }
            GateMatrix::Two(q, m) => {
                apply_two(&mut self.data, *q, m);
                apply_two(&mut self.data, [q[0] + n, q[1] + n], &conj_two(m));
            }
        }
    }

    /// Single-qubit depolarising with probability `p` (a uniformly chosen X, Y or Z) on `q`.
    /// Failure contract: panics if `q` is outside the register.
    pub fn depolarize_one(&mut self, q: u32, p: f64) {
        self.depolarize(&[q], 1.0 - 4.0 * p / 3.0);
    }

    /// Two-qubit depolarising with probability `p` (one of the 15 non-identity Paulis) on `q`.
    /// Failure contract: panics on equal qubits or a qubit outside the register.
    pub fn depolarize_two(&mut self, q: [u32; 2], p: f64) {
        assert!(q[0] != q[1], "a two-qubit channel on one qubit");
        self.depolarize(&q, 1.0 - 16.0 * p / 15.0);
    }

    /// `ρ → λρ + (1 − λ)·Tr_S(ρ) ⊗ I/d` on the qubits `support`.
    fn depolarize(&mut self, support: &[u32], lambda: f64) {
        if lambda == 1.0 {
            return;
        }
        let n = self.n_qubits;
        assert!(support.iter().all(|&q| q < n), "qubit outside the register");
        let mut bits: Vec<u32> = support.iter().flat_map(|&q| [q, q + n]).collect();
        bits.sort_unstable();
        let d = 1usize << support.len();
        let spread = |local: usize, shift: u32| {
            support.iter().enumerate().fold(0usize, |acc, (j, &q)| acc | ((local >> j & 1) << (q + shift)))
        };
        let rows: Vec<usize> = (0..d).map(|l| spread(l, 0)).collect();
        let cols: Vec<usize> = (0..d).map(|l| spread(l, n)).collect();
        let mix = (1.0 - lambda) / d as f64;
        for k in 0..self.data.len() >> bits.len() {
            let base = insert_zeros(k, &bits);
            let traced: Complex64 = (0..d).map(|l| self.data[base | rows[l] | cols[l]]).sum();
            for (r, &row) in rows.iter().enumerate() {
                for (c, &col) in cols.iter().enumerate() {
                    let e = &mut self.data[base | row | col];
                    *e *= lambda;
                    if r == c {
                        *e += mix * traced;
                    }
                }
            }
        }
    }

    /// Dephasing with probability `p` (a `Z`) on `q`: coherences across `q` scale by `1 − 2p`.
    /// Failure contract: panics if `q` is outside the register.
    pub fn dephase(&mut self, q: u32, p: f64) {
        assert!(q < self.n_qubits, "qubit outside the register");
        if p == 0.0 {
            return;
        }
        let (row, col) = (1usize << q, 1usize << (q + self.n_qubits));
        let scale = 1.0 - 2.0 * p;
        for (i, e) in self.data.iter_mut().enumerate() {
            if (i & row != 0) != (i & col != 0) {
                *e *= scale;
            }
        }
    }

    /// The diagonal `ρ[b][b]`: outcome probabilities without readout error.
    pub fn probabilities(&self) -> Vec<f64> {
        let dim = 1usize << self.n_qubits;
        (0..dim).map(|b| self.data[b | b << self.n_qubits].re).collect()
    }

    /// `Tr(ρP)`. Failure contract: `ObservableTooWide` if `p` acts outside the register.
    pub fn expectation(&self, p: PauliString) -> Result<f64, NoiseError> {
        let support = p.x | p.z;
        let width = 64 - support.leading_zeros();
        if width > self.n_qubits {
            return Err(NoiseError::ObservableTooWide { observable: width, circuit: self.n_qubits });
        }
        let dim = 1usize << self.n_qubits;
        let x = p.x as usize;
        // Tr(ρP) = Σ_r ⟨r|ρ P|r⟩ = Σ_r phase(r)·ρ[r][r ⊕ x].
        Ok((0..dim).map(|r| (pauli_phase(p, r as u64) * self.data[r | (r ^ x) << self.n_qubits]).re).sum())
    }

    /// `Tr(ρH)` for a Pauli sum. Failure contract: `ObservableTooWide` if `h` has more qubits
    /// than the register.
    pub fn expectation_sum(&self, h: &PauliSum) -> Result<f64, NoiseError> {
        if h.n_qubits > self.n_qubits {
            return Err(NoiseError::ObservableTooWide { observable: h.n_qubits, circuit: self.n_qubits });
        }
        h.terms.iter().map(|&(p, c)| Ok(c * self.expectation(p)?)).sum()
    }
}

/// Runs `circuit` from `|0…0⟩`: each native gate, then its depolarising channel on its qubits,
/// then dephasing on each of them; finally the virtual frames `RZ(frames[q])`, noiselessly.
/// Readout error is not applied here (see [`super::readout`]). Failure contract:
/// `TooManyQubits` beyond [`MAX_DENSITY_QUBITS`]; panics if a gate acts outside the register.
pub fn simulate_density(circuit: &NativeCircuit, model: &ChannelModel) -> Result<DensityMatrix, NoiseError> {
    let mut rho = DensityMatrix::zero(circuit.n_qubits)?;
    for gate in &circuit.gates {
        rho.apply_unitary(&gate.matrix());
        let errors = model.after(gate);
        match gate.qubits() {
            (a, Some(b)) => {
                rho.depolarize_two([a, b], errors.depolarizing);
                rho.dephase(a, errors.dephasing);
                rho.dephase(b, errors.dephasing);
            }
            (a, None) => {
                rho.depolarize_one(a, errors.depolarizing);
                rho.dephase(a, errors.dephasing);
            }
        }
    }
    for (q, &f) in circuit.frames.iter().enumerate() {
        rho.apply_unitary(&GateMatrix::One(q as u32, su2::rz(f)));
    }
    Ok(rho)
}
