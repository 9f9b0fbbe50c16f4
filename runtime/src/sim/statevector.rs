//! A dense complex state vector and the Pauli kernels that act on it.
//!
//! Amplitude `b` belongs to the computational-basis state whose bit `q` is qubit `q` (qubit 0 least
//! significant), the convention of [`crate::qubit::pauli`]. A Pauli string `P = (x, z)` maps a basis
//! state to one other: `P|b⟩ = i^{ny} (-1)^{popcount(b & z)} |b ^ x⟩` with `ny = popcount(x & z)`,
//! the number of Y factors (because `Y = i X Z`). So every kernel here walks the amplitudes in pairs
//! `(b, b ^ x)` and needs no matrix: one pass over the vector per Pauli string.
//!
//! Pairs are enumerated block-wise: with `h` the highest set bit of `x`, the vector splits into
//! blocks of `2^(h+1)` amplitudes, and in each block the lower half (bit `h` clear) pairs one to one
//! with the upper half. Blocks are independent, which is how large states are processed in
//! parallel (rayon, [`PARALLEL_MIN_QUBITS`] and up). Partial sums are combined in a fixed order,
//! so results do not depend on the number of threads.
//!
//! Failure contract: kernels panic on programming errors (a string acting on a qubit the state
//! does not have, states of different sizes); they never fail on valid input.

use std::fmt;

use num_complex::Complex64;
use rayon::prelude::*;

use crate::qubit::PauliString;

/// States with at least this many qubits are processed in parallel.
pub const PARALLEL_MIN_QUBITS: u32 = 14;

/// Amplitudes per parallel task, unless a pairing block is larger.
const TASK_LEN: usize = 1 << 12;

/// The largest state this simulator allocates (16 bytes per amplitude: 2^30 is 16 GiB).
pub const MAX_QUBITS: u32 = 30;

/// A pure state of `n_qubits` qubits as `2^n_qubits` complex amplitudes.
#[derive(Clone, PartialEq)]
pub struct StateVector {
    n_qubits: u32,
    amplitudes: Vec<Complex64>,
}

impl fmt::Debug for StateVector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Printing 2^n amplitudes is never what a debug print wants.
        f.debug_struct("StateVector").field("n_qubits", &self.n_qubits).field("norm_sqr", &self.norm_sqr()).finish()
    }
}

impl StateVector {
    /// The computational-basis state `|index⟩`. Failure contract: panics if `n_qubits` exceeds
    /// [`MAX_QUBITS`] or `index` is not below `2^n_qubits`.
    pub fn basis(n_qubits: u32, index: u64) -> Self {
        assert!(n_qubits <= MAX_QUBITS, "{n_qubits} qubits exceed the simulator's limit of {MAX_QUBITS}");
        let dim = 1usize << n_qubits;
        assert!((index as usize) < dim, "basis index {index} out of range for {n_qubits} qubits");
        let mut amplitudes = vec![Complex64::new(0.0, 0.0); dim];
        amplitudes[index as usize] = Complex64::new(1.0, 0.0);
        StateVector { n_qubits, amplitudes }
    }

    /// `|0…0⟩`.
    pub fn zero(n_qubits: u32) -> Self {
        Self::basis(n_qubits, 0)
    }

    /// A state from its amplitudes (not normalised here). Failure contract: panics unless the
    /// length is `2^n` for some `n ≤ MAX_QUBITS`.
    pub fn from_amplitudes(amplitudes: Vec<Complex64>) -> Self {
        let len = amplitudes.len();
        assert!(len.is_power_of_two(), "state length {len} is not a power of two");
        let n_qubits = len.trailing_zeros();
        assert!(n_qubits <= MAX_QUBITS, "{n_qubits} qubits exceed the simulator's limit of {MAX_QUBITS}");
        StateVector { n_qubits, amplitudes }
    }

    pub fn n_qubits(&self) -> u32 {
        self.n_qubits
    }

    pub fn amplitudes(&self) -> &[Complex64] {
        &self.amplitudes
    }

    pub fn amplitudes_mut(&mut self) -> &mut [Complex64] {
        &mut self.amplitudes
    }

    pub fn into_amplitudes(self) -> Vec<Complex64> {
        self.amplitudes
    }

    /// `⟨self|other⟩`, antilinear in `self`.
    pub fn inner(&self, other: &StateVector) -> Complex64 {
        assert_eq!(self.n_qubits, other.n_qubits, "inner product of states on different qubit counts");
        let partials: Vec<Complex64> = map_chunk_pairs(&self.amplitudes, &other.amplitudes, |a, b| {
            a.iter().zip(b).map(|(u, v)| u.conj() * v).sum::<Complex64>()
        });
        partials.into_iter().sum()
    }

    /// `⟨ψ|ψ⟩`.
    pub fn norm_sqr(&self) -> f64 {
        sum_chunks(&self.amplitudes, TASK_LEN, |_, a| a.iter().map(|u| u.norm_sqr()).sum::<f64>())
    }

    /// Scales the state to unit norm. Failure contract: panics on the zero vector.
    pub fn normalize(&mut self) {
        let norm = self.norm_sqr().sqrt();
        assert!(norm > 0.0, "cannot normalise the zero vector");
        let scale = 1.0 / norm;
        for_chunks_mut(&mut self.amplitudes, TASK_LEN, |_, a| a.iter_mut().for_each(|u| *u *= scale));
    }

    /// `|ψ⟩ ← P|ψ⟩`.
    pub fn apply_pauli(&mut self, p: PauliString) {
        self.apply_identity_plus_pauli(Complex64::new(0.0, 0.0), Complex64::new(1.0, 0.0), p);
    }

    /// `|ψ⟩ ← exp(−i θ/2 · P)|ψ⟩ = (cos(θ/2) − i sin(θ/2) P)|ψ⟩`.
    pub fn apply_pauli_rotation(&mut self, p: PauliString, theta: f64) {
        let (s, c) = (0.5 * theta).sin_cos();
        self.apply_identity_plus_pauli(Complex64::new(c, 0.0), Complex64::new(0.0, -s), p);
    }

    /// `|ψ⟩ ← (α + β P)|ψ⟩`, the one kernel behind [`Self::apply_pauli`] and
    /// [`Self::apply_pauli_rotation`].
    pub fn apply_identity_plus_pauli(&mut self, alpha: Complex64, beta: Complex64, p: PauliString) {
        self.check_string(p);
        if p.x == 0 {
            // Diagonal: P|b⟩ = (-1)^{popcount(b & z)} |b⟩ (no Y factors when x = 0).
            let (plus, minus) = (alpha + beta, alpha - beta);
            let z = p.z as usize;
            for_chunks_mut(&mut self.amplitudes, TASK_LEN, |offset, a| {
                for (k, u) in a.iter_mut().enumerate() {
                    *u *= if parity(offset + k, z) { minus } else { plus };
                }
            });
            return;
        }
        let pair = PairMasks::new(p);
        // new[b] = α ψ[b] + β·phase(b')·ψ[b'] with phase(b') = i^{ny} s_b (-1)^{ny}, and
        // symmetrically for b' = b ^ x.
        let beta = beta * pair.i_ny;
        for_chunks_mut(&mut self.amplitudes, task_len(pair.half), |offset, a| {
            pair.for_each_pair(offset, a, |s_b, u, v| {
                let (ub, vb) = (*u, *v);
                *u = alpha * ub + beta * (s_b * pair.flip) * vb;
                *v = alpha * vb + beta * s_b * ub;
            });
        });
    }

    /// One step of reverse-mode (adjoint) differentiation through the rotation
    /// `G = exp(−i θ/2 · P)`, where `self` is the forward state just after `G` and `lambda` the
    /// back-propagated co-state `G_{k+1}† … G_M† H|ψ⟩`: returns `⟨λ|P|φ⟩` and then applies `G†` to
    /// both, in one pass over the two vectors.
    pub fn adjoint_rotation_step(&mut self, lambda: &mut StateVector, p: PauliString, theta: f64) -> Complex64 {
        assert_eq!(self.n_qubits, lambda.n_qubits, "adjoint step on states of different qubit counts");
        self.check_string(p);
        let (s, c) = (0.5 * theta).sin_cos();
        // G† = cos(θ/2) + i sin(θ/2) P.
        let (alpha, beta) = (Complex64::new(c, 0.0), Complex64::new(0.0, s));
        if p.x == 0 {
            let z = p.z as usize;
            let (plus, minus) = (alpha + beta, alpha - beta);
            let partials =
                map_chunk_pairs_mut(&mut self.amplitudes, &mut lambda.amplitudes, TASK_LEN, |offset, phi, lam| {
                    let mut acc = Complex64::new(0.0, 0.0);
                    for (k, (u, l)) in phi.iter_mut().zip(lam.iter_mut()).enumerate() {
                        let odd = parity(offset + k, z);
                        let t = l.conj() * *u;
                        acc += if odd { -t } else { t };
                        let g = if odd { minus } else { plus };
                        *u *= g;
                        *l *= g;
                    }
                    acc
                });
            return partials.into_iter().sum();
        }
        let pair = PairMasks::new(p);
        let beta = beta * pair.i_ny;
        let partials = map_chunk_pairs_mut(
            &mut self.amplitudes,
            &mut lambda.amplitudes,
            task_len(pair.half),
            |offset, phi, lam| {
                let mut acc = Complex64::new(0.0, 0.0);
                pair.for_each_pair2(offset, phi, lam, |s_b, u, v, lu, lv| {
                    let (ub, vb, lub, lvb) = (*u, *v, *lu, *lv);
                    let s_bp = s_b * pair.flip;
                    // (Pφ)[b] = i^{ny} s_{b'} φ[b'], (Pφ)[b'] = i^{ny} s_b φ[b].
                    acc += pair.i_ny * (lub.conj() * (s_bp * vb) + lvb.conj() * (s_b * ub));
                    *u = alpha * ub + beta * s_bp * vb;
                    *v = alpha * vb + beta * s_b * ub;
                    *lu = alpha * lub + beta * s_bp * lvb;
                    *lv = alpha * lvb + beta * s_b * lub;
                });
                acc
            },
        );
        partials.into_iter().sum()
    }

    fn check_string(&self, p: PauliString) {
        let support = p.x | p.z;
        assert!(
            self.n_qubits >= 64 || support >> self.n_qubits == 0,
            "Pauli string {p} acts outside a {}-qubit state",
            self.n_qubits
        );
    }
}

/// Whether `popcount(b & z)` is odd.
#[inline]
pub(crate) fn parity(b: usize, z: usize) -> bool {
    (b & z).count_ones() & 1 == 1
}

/// `(-1)^{popcount(b & z)}` as a float, without a branch.
#[inline]
pub(crate) fn sign(b: usize, z: usize) -> f64 {
    f64::from_bits(1f64.to_bits() | (u64::from((b & z).count_ones() & 1) << 63))
}

/// `i^k`.
pub(crate) fn i_pow(k: u32) -> Complex64 {
    match k % 4 {
        0 => Complex64::new(1.0, 0.0),
        1 => Complex64::new(0.0, 1.0),
        2 => Complex64::new(-1.0, 0.0),
        _ => Complex64::new(0.0, -1.0),
    }
}

/// The pairing of basis states `(b, b ^ x)` for a string with `x ≠ 0`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PairMasks {
    /// `2^h` for the highest set bit `h` of `x`: the half-block length.
    pub half: usize,
    /// `x` without bit `h`: within a block, lower-half index `l` pairs with upper-half `l ^ x_low`.
    pub x_low: usize,
    pub z: usize,
    /// `i^{ny}`.
    pub i_ny: Complex64,
    /// `(-1)^{ny}`: the sign relating `(-1)^{popcount(b' & z)}` to `(-1)^{popcount(b & z)}`.
    pub flip: f64,
}

impl PairMasks {
    pub fn new(p: PauliString) -> Self {
        debug_assert!(p.x != 0);
        let h = 63 - p.x.leading_zeros();
        let half = 1usize << h;
        let ny = (p.x & p.z).count_ones();
        PairMasks {
            half,
            x_low: (p.x as usize) & (half - 1),
            z: p.z as usize,
            i_ny: i_pow(ny),
            flip: if ny % 2 == 0 { 1.0 } else { -1.0 },
        }
    }

    /// Calls `f(s_b, &mut ψ[b], &mut ψ[b ^ x])` for every pair in `a`, a slice starting at absolute
    /// index `offset`; `b` has bit `h` clear and `s_b = (-1)^{popcount(b & z)}`.
    #[inline]
    pub fn for_each_pair(
        &self,
        offset: usize,
        a: &mut [Complex64],
        mut f: impl FnMut(f64, &mut Complex64, &mut Complex64),
    ) {
        for (k, block) in a.chunks_exact_mut(2 * self.half).enumerate() {
            let base = offset + 2 * self.half * k;
            let (lo, hi) = block.split_at_mut(self.half);
            for (l, u) in lo.iter_mut().enumerate() {
                f(sign(base + l, self.z), u, &mut hi[l ^ self.x_low]);
            }
        }
    }

    /// [`Self::for_each_pair`] over two vectors at once.
    #[inline]
    pub fn for_each_pair2(
        &self,
        offset: usize,
        a: &mut [Complex64],
        c: &mut [Complex64],
        mut f: impl FnMut(f64, &mut Complex64, &mut Complex64, &mut Complex64, &mut Complex64),
    ) {
        let block_len = 2 * self.half;
        for (k, (block, cblock)) in a.chunks_exact_mut(block_len).zip(c.chunks_exact_mut(block_len)).enumerate() {
            let base = offset + block_len * k;
            let (lo, hi) = block.split_at_mut(self.half);
            let (clo, chi) = cblock.split_at_mut(self.half);
            for (l, (u, cu)) in lo.iter_mut().zip(clo.iter_mut()).enumerate() {
                let j = l ^ self.x_low;
                f(sign(base + l, self.z), u, &mut hi[j], cu, &mut chi[j]);
            }
        }
    }

    /// Calls `f(b, ψ[b], ψ[b ^ x])` for every pair in `a` (read-only, starting at absolute index
    /// `offset`) and sums the results.
    #[inline]
    pub fn sum_pairs(
        &self,
        offset: usize,
        a: &[Complex64],
        mut f: impl FnMut(usize, Complex64, Complex64) -> f64,
    ) -> f64 {
        let mut acc = 0.0;
        for (k, block) in a.chunks_exact(2 * self.half).enumerate() {
            let base = offset + 2 * self.half * k;
            let (lo, hi) = block.split_at(self.half);
            for (l, &u) in lo.iter().enumerate() {
                acc += f(base + l, u, hi[l ^ self.x_low]);
            }
        }
        acc
    }
}

/// The task length for a pairing with half-block `half`: whole blocks, at least [`TASK_LEN`].
pub(crate) fn task_len(half: usize) -> usize {
    (2 * half).max(TASK_LEN)
}

fn parallel(len: usize) -> bool {
    len >= 1 << PARALLEL_MIN_QUBITS
}

/// Runs `f(offset, chunk)` over chunks of `task` amplitudes (a power of two), in parallel for
/// large vectors.
pub(crate) fn for_chunks_mut(a: &mut [Complex64], task: usize, f: impl Fn(usize, &mut [Complex64]) + Sync + Send) {
    if parallel(a.len()) && a.len() > task {
        a.par_chunks_mut(task).enumerate().for_each(|(k, c)| f(k * task, c));
    } else {
        f(0, a);
    }
}

/// Sums `f(offset, chunk)` over chunks, in a fixed order.
pub(crate) fn sum_chunks(a: &[Complex64], task: usize, f: impl Fn(usize, &[Complex64]) -> f64 + Sync + Send) -> f64 {
    if parallel(a.len()) && a.len() > task {
        let partials: Vec<f64> = a.par_chunks(task).enumerate().map(|(k, c)| f(k * task, c)).collect();
        partials.into_iter().sum()
    } else {
        f(0, a)
    }
}

fn map_chunk_pairs(
    a: &[Complex64],
    b: &[Complex64],
    f: impl Fn(&[Complex64], &[Complex64]) -> Complex64 + Sync + Send,
) -> Vec<Complex64> {
    if parallel(a.len()) && a.len() > TASK_LEN {
        a.par_chunks(TASK_LEN).zip(b.par_chunks(TASK_LEN)).map(|(x, y)| f(x, y)).collect()
    } else {
        vec![f(a, b)]
    }
}

fn map_chunk_pairs_mut(
    a: &mut [Complex64],
    b: &mut [Complex64],
    task: usize,
    f: impl Fn(usize, &mut [Complex64], &mut [Complex64]) -> Complex64 + Sync + Send,
) -> Vec<Complex64> {
    if parallel(a.len()) && a.len() > task {
        a.par_chunks_mut(task).zip(b.par_chunks_mut(task)).enumerate().map(|(k, (x, y))| f(k * task, x, y)).collect()
    } else {
        vec![f(0, a, b)]
    }
}

#[cfg(test)]
mod tests;
