//! Exact density-matrix simulation of a native circuit under a [`ChannelModel`].
//!
//! `ρ` is stored as a vector over `2n` bits: entry `ρ[r][c]` at index `r | c << n`, so column `c`
//! is the contiguous slice of `2^n` rows starting at `c << n`. A gate `U` acts as `U` on the row
//! bits (within each column) and `conj(U)` on the column bits (across the columns it couples).
//! The depolarising channels use their closed forms, `ρ → λρ + (1 − λ)·Tr_S(ρ) ⊗ I/d` on the
//! gate's support `S` (`d = 2^|S|`, `λ = 1 − 4p/3` on one qubit and `1 − 16p/15` on two), and
//! dephasing scales the coherences of its qubit by `1 − 2p`; none of them copies the matrix.
//!
//! Every operation touches only the `2^|S|` columns that differ in its qubits' bits, so the
//! matrix splits into disjoint column groups; from [`PARALLEL_QUBITS`] qubits on, rayon updates
//! the groups in parallel. Each entry's arithmetic is the same either way, so results are
//! bit-for-bit independent of the thread count.

use num_complex::Complex64;
use rayon::prelude::*;

use super::channel::ChannelModel;
use super::error::NoiseError;
use super::kernels::{apply_one, apply_two, conj_one, conj_two, insert_zeros, mix_pair, mix_quad, pauli_phase};
use crate::native::{GateMatrix, NativeCircuit};
use crate::qubit::{PauliString, PauliSum};

/// The largest register held as a density matrix: 13 qubits take `4^13` amplitudes (1 GiB).
pub const MAX_DENSITY_QUBITS: u32 = 13;

/// Registers of at least this many qubits (`4^9` amplitudes, 4 MiB) update their columns on
/// several threads; smaller ones stay on the calling thread, where spawning would cost more than
/// it saves.
pub const PARALLEL_QUBITS: u32 = 9;

/// The index whose bit `support[j]` is bit `j` of `local`.
fn spread(local: usize, support: &[u32]) -> usize {
    support.iter().enumerate().fold(0, |acc, (j, &q)| acc | ((local >> j & 1) << q))
}

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

    /// `ρ → UρU†`. Failure contract: panics if the gate acts outside the register (or a
    /// two-qubit gate names one qubit twice).
    pub fn apply_unitary(&mut self, gate: &GateMatrix) {
        self.pass(&support_of(gate), &Pass { gate: Some(gate), lambda: 1.0, coherence: 1.0 });
    }

    /// Single-qubit depolarising with probability `p` (a uniformly chosen X, Y or Z) on `q`.
    /// Failure contract: panics if `q` is outside the register.
    pub fn depolarize_one(&mut self, q: u32, p: f64) {
        self.pass(&[q], &Pass { gate: None, lambda: 1.0 - 4.0 * p / 3.0, coherence: 1.0 });
    }

    /// Two-qubit depolarising with probability `p` (one of the 15 non-identity Paulis) on `q`.
    /// Failure contract: panics on equal qubits or a qubit outside the register.
    pub fn depolarize_two(&mut self, q: [u32; 2], p: f64) {
        assert!(q[0] != q[1], "a two-qubit channel on one qubit");
        self.pass(&q, &Pass { gate: None, lambda: 1.0 - 16.0 * p / 15.0, coherence: 1.0 });
    }

    /// Dephasing with probability `p` (a `Z`) on `q`: coherences across `q` scale by `1 − 2p`.
    /// Failure contract: panics if `q` is outside the register.
    pub fn dephase(&mut self, q: u32, p: f64) {
        self.pass(&[q], &Pass { gate: None, lambda: 1.0, coherence: 1.0 - 2.0 * p });
    }

    /// Runs `pass` on every group of the `2^|support|` columns that differ only in the support
    /// qubits' bits. The groups are disjoint, so registers of [`PARALLEL_QUBITS`] qubits or more
    /// hand them to rayon's threads; each entry's arithmetic, and so the result, does not depend
    /// on the number of threads. Failure contract: panics if a support qubit is repeated or
    /// outside the register.
    fn pass(&mut self, support: &[u32], pass: &Pass) {
        let n = self.n_qubits;
        assert!(support.iter().all(|&q| q < n), "qubit outside the register");
        let d = 1usize << support.len();
        let mask = spread(d - 1, support);
        assert_eq!(mask.count_ones() as usize, support.len(), "a qubit repeated in a gate or channel");
        if pass.gate.is_none() && pass.lambda == 1.0 && pass.coherence == 1.0 {
            return;
        }
        let conj = pass.gate.map(|g| match g {
            GateMatrix::One(q, m) => GateMatrix::One(*q, conj_one(m)),
            GateMatrix::Two(q, m) => GateMatrix::Two(*q, conj_two(m)),
        });
        let mut sorted = support.to_vec();
        sorted.sort_unstable();
        let depolarizing = Depolarizing {
            rows: (0..d).map(|l| spread(l, support)).collect(),
            sorted,
            lambda: pass.lambda,
            row_bases: 1usize << (n as usize - support.len()),
        };
        let mut columns: Vec<Option<&mut [Complex64]>> = self.data.chunks_exact_mut(1usize << n).map(Some).collect();
        let groups: Vec<Vec<&mut [Complex64]>> = (0..columns.len())
            .filter(|c| c & mask == 0)
            .map(|c| {
                (0..d).map(|l| columns[c | spread(l, support)].take().expect("each column in one group")).collect()
            })
            .collect();
        let run = |mut group: Vec<&mut [Complex64]>| {
            if let (Some(gate), Some(conj)) = (pass.gate, &conj) {
                unitary_on(&mut group, gate, conj);
            }
            if pass.lambda != 1.0 {
                depolarizing.apply(&mut group);
            }
            if pass.coherence != 1.0 {
                for (j, &q) in support.iter().enumerate() {
                    dephase_on(&mut group, j, q, pass.coherence);
                }
            }
        };
        if n >= PARALLEL_QUBITS {
            groups.into_par_iter().for_each(run);
        } else {
            groups.into_iter().for_each(run);
        }
    }

    /// The final virtual frames `RZ(frames[q])` on every qubit at once: entry `ρ[r][c]` gains the
    /// phase `e^{i(θ(r) − θ(c))}` with `θ(b) = Σ_q ±frames[q]/2` (`+` where bit `q` of `b` is set).
    /// Failure contract: panics if `frames` is longer than the register.
    fn apply_frames(&mut self, frames: &[f64]) {
        let n = self.n_qubits;
        assert!(frames.len() <= n as usize, "more frames than qubits");
        if frames.iter().all(|&f| f == 0.0) {
            return;
        }
        let phase: Vec<Complex64> = (0..1usize << n)
            .map(|b| {
                let theta: f64 =
                    frames.iter().enumerate().map(|(q, f)| if b >> q & 1 == 1 { f / 2.0 } else { -f / 2.0 }).sum();
                Complex64::from_polar(1.0, theta)
            })
            .collect();
        let run = |(c, column): (usize, &mut [Complex64])| {
            let back = phase[c].conj();
            for (e, p) in column.iter_mut().zip(&phase) {
                *e *= p * back;
            }
        };
        let dim = 1usize << n;
        if n >= PARALLEL_QUBITS {
            self.data.par_chunks_exact_mut(dim).enumerate().for_each(run);
        } else {
            self.data.chunks_exact_mut(dim).enumerate().for_each(run);
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
    rho.evolve(circuit, model);
    Ok(rho)
}

impl DensityMatrix {
    /// Runs `circuit` under `model` on this state (each gate followed by its channels, then the
    /// final frames), so a state prepared once can continue through several circuits. Failure
    /// contract: panics if the circuit is wider than the state (a programming error).
    pub fn evolve(&mut self, circuit: &NativeCircuit, model: &ChannelModel) {
        assert!(circuit.n_qubits <= self.n_qubits, "a {}-qubit circuit on {} qubits", circuit.n_qubits, self.n_qubits);
        let rho = self;
        for gate in &circuit.gates {
            let matrix = gate.matrix();
            let errors = model.after(gate);
            let support = support_of(&matrix);
            // λ = 1 − 4p/3 on one qubit, 1 − 16p/15 on two: 1 − p·d²/(d² − 1).
            let d2 = (1u32 << (2 * support.len())) as f64;
            let lambda = 1.0 - errors.depolarizing * d2 / (d2 - 1.0);
            rho.pass(&support, &Pass { gate: Some(&matrix), lambda, coherence: 1.0 - 2.0 * errors.dephasing });
        }
        rho.apply_frames(&circuit.frames);
    }
}

/// What one pass over a column group does, in this order: the unitary (within each column, then
/// across them), depolarising `ρ → λρ + (1 − λ)·Tr_S(ρ) ⊗ I/d`, and dephasing of each support
/// qubit, whose coherences scale by `coherence`.
struct Pass<'a> {
    gate: Option<&'a GateMatrix>,
    lambda: f64,
    coherence: f64,
}

/// The qubits a gate acts on, in its matrix's order.
fn support_of(gate: &GateMatrix) -> Vec<u32> {
    match gate {
        GateMatrix::One(q, _) => vec![*q],
        GateMatrix::Two(q, _) => q.to_vec(),
    }
}

/// `U` within each column of `group`, then `conj(U)` across them (`conj` holds `conj(U)`).
fn unitary_on(group: &mut [&mut [Complex64]], gate: &GateMatrix, conj: &GateMatrix) {
    match (gate, conj) {
        (GateMatrix::One(q, m), GateMatrix::One(_, c)) => {
            let [zero, one] = group else { panic!("a single-qubit gate couples two columns") };
            apply_one(zero, *q, m);
            apply_one(one, *q, m);
            mix_pair([&mut **zero, &mut **one], c);
        }
        (GateMatrix::Two(q, m), GateMatrix::Two(_, c)) => {
            let [s0, s1, s2, s3] = group else { panic!("a two-qubit gate couples four columns") };
            for column in [&mut **s0, &mut **s1, &mut **s2, &mut **s3] {
                apply_two(column, *q, m);
            }
            mix_quad([&mut **s0, &mut **s1, &mut **s2, &mut **s3], c);
        }
        _ => panic!("a gate and its conjugate differ in width"),
    }
}

/// The depolarising channel on one column group. Within the group's columns `c_m` (the `d`
/// settings of the support bits), the rows `r_l` of each row base hold the `d × d` block
/// `ρ[r_l][c_m]` of one reduced operator: every entry scales by `λ`, and the diagonal gains
/// `(1 − λ)/d` times the block's trace.
struct Depolarizing {
    /// The support bits of local index `l`, as a row offset.
    rows: Vec<usize>,
    /// The support qubits, ascending.
    sorted: Vec<u32>,
    lambda: f64,
    /// `2^(n − |S|)`: the rows with every support bit clear.
    row_bases: usize,
}

impl Depolarizing {
    /// Reads every block's trace, scales the whole group by `λ` in one sweep, then adds
    /// `(1 − λ)/d` times the trace to each block's diagonal: the same arithmetic per entry as
    /// `λρ + (1 − λ)·Tr_S(ρ) ⊗ I/d` entry by entry, with the bulk of the work a plain sweep.
    fn apply(&self, group: &mut [&mut [Complex64]]) {
        let mix = (1.0 - self.lambda) / self.rows.len() as f64;
        let traced: Vec<Complex64> = (0..self.row_bases)
            .map(|k| {
                let base = insert_zeros(k, &self.sorted);
                group.iter().zip(&self.rows).map(|(column, &r)| column[base | r]).sum()
            })
            .collect();
        for column in group.iter_mut() {
            for e in column.iter_mut() {
                *e *= self.lambda;
            }
        }
        for (k, t) in traced.iter().enumerate() {
            let base = insert_zeros(k, &self.sorted);
            for (column, &r) in group.iter_mut().zip(&self.rows) {
                column[base | r] += mix * t;
            }
        }
    }
}

/// Dephasing of `q` (bit `j` of the group's local index) on one column group: in a column whose
/// bit `q` is clear the rows with it set scale by `coherence`, and the other way round.
fn dephase_on(group: &mut [&mut [Complex64]], j: usize, q: u32, coherence: f64) {
    let bit = 1usize << q;
    for (l, column) in group.iter_mut().enumerate() {
        let column_set = l >> j & 1 == 1;
        for block in column.chunks_exact_mut(2 * bit) {
            let (clear_rows, set_rows) = block.split_at_mut(bit);
            for e in if column_set { clear_rows } else { set_rows } {
                *e *= coherence;
            }
        }
    }
}
