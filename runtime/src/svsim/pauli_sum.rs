//! Pauli-sum expectation values and `H|ψ⟩`, in passes over chunks of the state.
//!
//! A term `c P` with X mask `x`, Z mask `z` and `ny = |x ∧ z|` acts as
//! `(Pψ)_b = i^{ny} (−1)^{|(b⊕x) ∧ z|} ψ_{b⊕x}`. Its expectation value is a sum over the pairs
//! `{b, b ⊕ x}`, each counted once from either end: `2c s_b Re(conj ψ_b ψ_{b⊕x})` times `+1, −1`
//! for `ny ≡ 0, 2 (mod 4)` and `2c s_b Im(conj ψ_b ψ_{b⊕x})` times `+1, −1` for `ny ≡ 1, 3`, with
//! `s_b = (−1)^{|b ∧ z|}`; a diagonal term (`x = 0`) adds `c s_b |ψ_b|²`.
//!
//! Expectation: the state is cut into chunks of `2^k` amplitudes (the low `k` qubits). A term
//! whose X mask has high part `xh = x >> k` pairs chunk `h` with chunk `h ⊕ xh`; of the two, the
//! owner (bit `top(xh)` of `h` equal to the parity of `xh`, which balances the work) evaluates
//! every term with that high part while both chunks sit in cache. Terms are sorted by X mask, so
//! a partner chunk is read once per distinct high part, and the state is read from memory about
//! `1 + (distinct high parts) / 2` times instead of once per term ([`PauliSumKernel::state_reads`]).
//! Terms with `xh = 0` pair amplitudes inside a chunk.
//!
//! `H|ψ⟩`: each output chunk (small enough for L1) gathers every term's contribution from its
//! partner chunk, in term order.
//!
//! Threading: chunks are evaluated in parallel when the work (terms × amplitudes) reaches
//! [`PARALLEL_MIN_WORK`]; partial sums are added in chunk order, so results do not depend on the
//! thread count.

use num_complex::Complex64;
use rayon::prelude::*;

use super::lanes::{self, Block, AMP_BITS};
use super::pauli_lanes::{accumulate, pair_sum};
use crate::qubit::{PauliString, PauliSum};
use crate::sim::statevector::StateVector;

/// Work (amplitudes × terms) from which chunks are evaluated on several threads.
pub const PARALLEL_MIN_WORK: usize = 1 << 17;

/// The largest expectation chunk (512 KiB): it stays in L2 while partner chunks stream past.
const CHUNK_QUBITS: u32 = 15;

/// Partner chunks are read in sub-chunks of this many qubits (32 KiB), each used by every term
/// of its group before the next is read.
const SUB_CHUNK_QUBITS: u32 = 11;

/// Smaller states are cut into at least `2^MIN_CHUNK_SPLIT` chunks, for the threads.
const MIN_CHUNK_SPLIT: u32 = 3;

/// The output chunk of `H|ψ⟩` (8 KiB, in L1 while every term adds to it).
const APPLY_CHUNK_QUBITS: u32 = 9;

/// One term, with its coefficients spread over the lanes of a block.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Term {
    x: usize,
    z: usize,
    /// `ny` odd: the expectation takes the imaginary part, the action an imaginary phase.
    imag: bool,
    /// `c · i^{ny}`.
    phase: Complex64,
    /// Expectation lane weights: `±2c` (`c` for `x = 0`) times the in-block signs `s_j`, the
    /// imaginary lanes negated when `imag` (`Im(conj u v) = u.re v.im − u.im v.re`).
    expect: Block,
    /// Action lane weights: the phase's real factor times `(−1)^{|(x ≫ 2) ∧ (z ≫ 2)|}` and the
    /// in-block signs `s_{j⊕xj}`, the real lanes negated when `imag` (`i w = (−w.im, w.re)`).
    act: Block,
}

impl Term {
    fn new(x: usize, z: usize, coeff: f64) -> Self {
        let ny = (x & z).count_ones() % 4;
        let imag = ny % 2 == 1;
        let rho = if ny < 2 { coeff } else { -coeff };
        let phase = if imag { Complex64::new(0.0, rho) } else { Complex64::new(rho, 0.0) };
        let weight = if x == 0 { coeff } else { 2.0 * rho };
        let z_signs = lanes::z_signs(z);
        let expect = std::array::from_fn(|i| weight * z_signs[i] * if imag && i % 2 == 1 { -1.0 } else { 1.0 });
        let high = lanes::parity_sign((x >> AMP_BITS) & (z >> AMP_BITS));
        let act = std::array::from_fn(|i| {
            let j = (i >> 1) ^ (x & 3);
            rho * high * z_signs[2 * j] * if imag && i % 2 == 0 { -1.0 } else { 1.0 }
        });
        Term { x, z, imag, phase, expect, act }
    }
}

/// A Pauli sum compiled for repeated expectation values on `n_qubits` qubits.
#[derive(Clone, Debug, PartialEq)]
pub struct PauliSumKernel {
    n_qubits: u32,
    /// Sorted by X mask, then Z mask; repeated strings merged; the identity is the term `(0, 0)`.
    terms: Vec<Term>,
    n_groups: usize,
}

impl PauliSumKernel {
    /// Compiles `terms` (string, real coefficient; repeated strings add, identity terms are a
    /// constant). Failure contract: panics if a string acts on a qubit ≥ `n_qubits`, or if
    /// `n_qubits` exceeds [`crate::sim::statevector::MAX_QUBITS`] (programming errors).
    pub fn new(n_qubits: u32, terms: &[(PauliString, f64)]) -> Self {
        assert!(n_qubits <= crate::sim::statevector::MAX_QUBITS, "{n_qubits} qubits exceed the simulator's limit");
        let mut strings: Vec<(usize, usize, f64)> = terms
            .iter()
            .map(|&(p, c)| {
                assert!((p.x | p.z) >> n_qubits == 0, "Pauli string {p} acts outside {n_qubits} qubits");
                (p.x as usize, p.z as usize, c)
            })
            .collect();
        strings.sort_by_key(|&(x, z, _)| (x, z));
        let mut merged: Vec<(usize, usize, f64)> = Vec::with_capacity(strings.len());
        for (x, z, c) in strings {
            match merged.last_mut() {
                Some(last) if last.0 == x && last.1 == z => last.2 += c,
                _ => merged.push((x, z, c)),
            }
        }
        let terms: Vec<Term> = merged.into_iter().map(|(x, z, c)| Term::new(x, z, c)).collect();
        let mut masks: Vec<usize> = terms.iter().filter(|t| t.x | t.z != 0).map(|t| t.x).collect();
        masks.dedup();
        PauliSumKernel { n_qubits, terms, n_groups: masks.len() }
    }

    /// From a [`PauliSum`] (its constant term included). Failure contract: as [`Self::new`].
    pub fn from_sum(sum: &PauliSum) -> Self {
        Self::new(sum.n_qubits, &sum.terms)
    }

    /// The number of distinct X masks among the non-identity terms (one pass each when terms are
    /// not blocked).
    pub fn n_groups(&self) -> usize {
        self.n_groups
    }

    /// How many times [`Self::expectation`] reads the state from memory: once for the chunks, and
    /// half a read per distinct nonzero high X part (the partner chunks, each pair read by one
    /// owner).
    pub fn state_reads(&self) -> f64 {
        let k = expect_chunk_bits(self.n_qubits);
        let mut highs: Vec<usize> = self.terms.iter().map(|t| t.x >> k).filter(|&h| h != 0).collect();
        highs.dedup();
        1.0 + 0.5 * highs.len() as f64
    }

    /// `⟨ψ|H|ψ⟩` (real part; `H` is Hermitian). Failure contract: panics if the state has another
    /// qubit count.
    pub fn expectation(&self, state: &StateVector) -> f64 {
        assert_eq!(state.n_qubits(), self.n_qubits, "state and Hamiltonian differ in qubit count");
        let n = self.n_qubits;
        let a = state.amplitudes();
        if n < AMP_BITS {
            let mut out = vec![Complex64::new(0.0, 0.0); a.len()];
            self.apply_scalar(a, &mut out);
            return a.iter().zip(&out).map(|(u, v)| (u.conj() * v).re).sum();
        }
        let k = expect_chunk_bits(n);
        let blocks = lanes::blocks(a);
        let arch = pulp::Arch::new();
        let chunk = |h: usize| arch.dispatch(ChunkExpectation { terms: &self.terms, blocks, k, h });
        let n_chunks = 1usize << (n - k);
        if n_chunks > 1 && self.terms.len() * a.len() >= PARALLEL_MIN_WORK {
            let partials: Vec<f64> = (0..n_chunks).into_par_iter().map(chunk).collect();
            partials.into_iter().sum()
        } else {
            (0..n_chunks).map(chunk).sum()
        }
    }

    /// `H|ψ⟩`. Failure contract: as [`Self::expectation`].
    pub fn apply(&self, state: &StateVector) -> StateVector {
        let mut out = StateVector::from_amplitudes(vec![Complex64::new(0.0, 0.0); state.amplitudes().len()]);
        self.apply_into(state, &mut out);
        out
    }

    /// `out ← H|ψ⟩`, without allocating. Failure contract: panics if `state` or `out` has another
    /// qubit count.
    pub fn apply_into(&self, state: &StateVector, out: &mut StateVector) {
        assert_eq!(state.n_qubits(), self.n_qubits, "state and Hamiltonian differ in qubit count");
        assert_eq!(out.n_qubits(), self.n_qubits, "output and Hamiltonian differ in qubit count");
        let n = self.n_qubits;
        let a = state.amplitudes();
        let o = out.amplitudes_mut();
        if n < AMP_BITS {
            self.apply_scalar(a, o);
            return;
        }
        let k = APPLY_CHUNK_QUBITS.min(n);
        let src = lanes::blocks(a);
        let arch = pulp::Arch::new();
        let fill = |h: usize, chunk: &mut [Complex64]| {
            arch.dispatch(ChunkAction { terms: &self.terms, src, k, h, out: lanes::blocks_mut(chunk) })
        };
        let len = 1usize << k;
        if a.len() > len && self.terms.len() * a.len() >= PARALLEL_MIN_WORK {
            o.par_chunks_mut(len).enumerate().for_each(|(h, chunk)| fill(h, chunk));
        } else {
            o.chunks_mut(len).enumerate().for_each(|(h, chunk)| fill(h, chunk));
        }
    }

    /// `out ← H|ψ⟩` amplitude by amplitude, for states too small for blocks.
    fn apply_scalar(&self, a: &[Complex64], out: &mut [Complex64]) {
        for (b, o) in out.iter_mut().enumerate() {
            *o = self
                .terms
                .iter()
                .map(|t| t.phase * lanes::parity_sign((b ^ t.x) & t.z) * a[b ^ t.x])
                .sum::<Complex64>();
        }
    }
}

/// Chunk qubits for the expectation value on `n ≥ 2` qubits.
fn expect_chunk_bits(n: u32) -> u32 {
    n.saturating_sub(MIN_CHUNK_SPLIT).clamp(AMP_BITS, CHUNK_QUBITS).min(n)
}

/// Whether chunk `h` evaluates the terms pairing it with chunk `h ⊕ xh` (`xh ≠ 0`): exactly one
/// of the two does.
fn owns(h: usize, xh: usize) -> bool {
    let top = 1usize << (usize::BITS - 1 - xh.leading_zeros());
    (h & top != 0) == (xh.count_ones() % 2 == 1)
}

/// The contribution of every term to the expectation value from the pairs owned by chunk `h` of
/// `2^k` amplitudes.
struct ChunkExpectation<'a> {
    terms: &'a [Term],
    blocks: &'a [Block],
    k: u32,
    h: usize,
}

impl pulp::WithSimd for ChunkExpectation<'_> {
    type Output = f64;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) -> f64 {
        let ChunkExpectation { terms, blocks, k, h } = self;
        let len = 1usize << (k - AMP_BITS);
        let base = h * len;
        let a = &blocks[base..base + len];
        let low = (1usize << k) - 1;
        let sub = len.min(1 << (SUB_CHUNK_QUBITS - AMP_BITS));
        let mut total = 0.0;
        // No closures here: they would be compiled without the dispatch's vector instructions.
        let mut first = 0;
        while first < terms.len() {
            let xh = terms[first].x >> k;
            let mut end = first + 1;
            while end < terms.len() && terms[end].x >> k == xh {
                end += 1;
            }
            let group = &terms[first..end];
            first = end;
            if xh == 0 {
                for t in group {
                    total += within_chunk(t, a, base, t.x & low);
                }
            } else if owns(h, xh) {
                // The partner is read once, in sub-chunks, each paired with the matching
                // sub-chunks of `a` (in cache) for every term of the group.
                let b = &blocks[(h ^ xh) * len..][..len];
                for s in (0..len).step_by(sub) {
                    for t in group {
                        let xc = (t.x & low) >> AMP_BITS;
                        let sa = s ^ (xc & !(sub - 1));
                        let zc = t.z >> AMP_BITS;
                        let lanes =
                            pair_sum(&a[sa..sa + sub], &b[s..s + sub], xc & (sub - 1), t.x & 3, t.imag, base + sa, zc);
                        total += lanes::dot(&t.expect, &lanes);
                    }
                }
            }
        }
        total
    }
}

/// A term's contribution from the pairs inside the chunk `a` (block `base` of the state), whose
/// X mask there is `x`.
#[inline(always)]
fn within_chunk(t: &Term, a: &[Block], base: usize, x: usize) -> f64 {
    let zc = t.z >> AMP_BITS;
    if x < 4 {
        // Inside a block every amplitude is summed, so each pair counts twice.
        let scale = if x == 0 { 1.0 } else { 0.5 };
        return scale * lanes::dot(&t.expect, &pair_sum(a, a, 0, x, t.imag, base, zc));
    }
    // Runs of `2^top` amplitudes pair with the next run.
    let top = usize::BITS - 1 - x.leading_zeros();
    let run = 1usize << (top - AMP_BITS);
    let xr = x & ((1 << top) - 1);
    let mut total = 0.0;
    for r in (0..a.len()).step_by(2 * run) {
        let lanes = pair_sum(&a[r..r + run], &a[r + run..r + 2 * run], xr >> AMP_BITS, xr & 3, t.imag, base + r, zc);
        total += lanes::dot(&t.expect, &lanes);
    }
    total
}

/// Output chunk `h` (`2^k` amplitudes) of `H|ψ⟩`.
struct ChunkAction<'a> {
    terms: &'a [Term],
    src: &'a [Block],
    k: u32,
    h: usize,
    out: &'a mut [Block],
}

impl pulp::WithSimd for ChunkAction<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) {
        let ChunkAction { terms, src, k, h, out } = self;
        let len = out.len();
        let base = h * len;
        out.fill([0.0; 8]);
        let low = (1usize << k) - 1;
        for t in terms {
            let (xh, xl) = (t.x >> k, t.x & low);
            let partner = &src[(h ^ xh) * len..][..len];
            accumulate(out, partner, xl >> AMP_BITS, xl & 3, t.imag, base, t.z >> AMP_BITS, &t.act);
        }
    }
}
