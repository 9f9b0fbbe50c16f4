//! Pauli-sum expectation values and `H|ψ⟩`, with terms grouped by X mask.
//!
//! Terms with the same X mask pair the same amplitudes `(b, b ⊕ x)`, so a group costs one pass:
//! per pair the products `conj(ψ_b) ψ_{b⊕x}` are formed once and every term of the group adds
//! `±w_k` times their real or imaginary part. With `s_b = (−1)^{|b∧z|}` and `ny = |x∧z|`, the
//! pair's contribution to `c ⟨ψ|P|ψ⟩` is `2c s_b Re(conj ψ_b ψ_b')` times `+1, −1` for
//! `ny ≡ 0, 2 (mod 4)` and `2c s_b Im(conj ψ_b ψ_b')` times `+1, −1` for `ny ≡ 1, 3`; the
//! diagonal group (`x = 0`) adds `c s_b |ψ_b|²`.
//!
//! Threading: a group's pairs are split into blocks summed in parallel, in a fixed order, only
//! when the group's work (pairs × terms) reaches [`PARALLEL_MIN_WORK`].

use num_complex::Complex64;
use rayon::prelude::*;

use crate::qubit::{PauliString, PauliSum};
use crate::sim::statevector::StateVector;

/// Work (amplitude pairs × terms) from which a group is evaluated on several threads.
pub const PARALLEL_MIN_WORK: usize = 1 << 17;

/// Amplitudes per parallel block.
const BLOCK: usize = 1 << 12;

/// One term of a group: its Z mask and weight; `imag` selects the imaginary part.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Term {
    z: usize,
    weight: f64,
    imag: bool,
    /// `c · i^{ny}`, for `H|ψ⟩`.
    phase: Complex64,
}

/// The terms sharing one X mask.
#[derive(Clone, Debug, PartialEq)]
struct Group {
    x: usize,
    terms: Vec<Term>,
}

/// A Pauli sum compiled for repeated expectation values on `n_qubits` qubits.
#[derive(Clone, Debug, PartialEq)]
pub struct PauliSumKernel {
    n_qubits: u32,
    constant: f64,
    groups: Vec<Group>,
}

impl PauliSumKernel {
    /// Groups `terms` (string, real coefficient; repeated strings add) by X mask; identity terms
    /// become a constant. Failure contract: panics if a string acts on a qubit ≥ `n_qubits`.
    pub fn new(n_qubits: u32, terms: &[(PauliString, f64)]) -> Self {
        let mut constant = 0.0;
        let mut groups: Vec<Group> = Vec::new();
        for &(p, c) in terms {
            assert!(n_qubits >= 64 || (p.x | p.z) >> n_qubits == 0, "Pauli string {p} acts outside {n_qubits} qubits");
            if p.x == 0 && p.z == 0 {
                constant += c;
                continue;
            }
            let ny = (p.x & p.z).count_ones() % 4;
            let (sign, imag) = match ny {
                0 => (1.0, false),
                1 => (1.0, true),
                2 => (-1.0, false),
                _ => (-1.0, true),
            };
            let weight = if p.x == 0 { c } else { 2.0 * c * sign };
            let i_ny = [
                Complex64::new(1.0, 0.0),
                Complex64::new(0.0, 1.0),
                Complex64::new(-1.0, 0.0),
                Complex64::new(0.0, -1.0),
            ][ny as usize];
            let term = Term { z: p.z as usize, weight, imag, phase: i_ny * c };
            match groups.iter_mut().find(|g| g.x == p.x as usize) {
                Some(g) => g.terms.push(term),
                None => groups.push(Group { x: p.x as usize, terms: vec![term] }),
            }
        }
        PauliSumKernel { n_qubits, constant, groups }
    }

    /// From a [`PauliSum`] (its constant term included). Failure contract: as [`Self::new`].
    pub fn from_sum(sum: &PauliSum) -> Self {
        Self::new(sum.n_qubits, &sum.terms)
    }

    /// The number of X-mask groups (passes over the state).
    pub fn n_groups(&self) -> usize {
        self.groups.len()
    }

    /// `⟨ψ|H|ψ⟩` (real part; `H` is Hermitian). Failure contract: panics if the state has another
    /// qubit count.
    pub fn expectation(&self, state: &StateVector) -> f64 {
        assert_eq!(state.n_qubits(), self.n_qubits, "state and Hamiltonian differ in qubit count");
        let a = state.amplitudes();
        let arch = pulp::Arch::new();
        let mut total = self.constant * state.norm_sqr();
        for g in &self.groups {
            // Tasks are aligned runs of `run` pair-starting amplitudes `b` (bit h of x clear); the
            // partners `b ⊕ x` of an aligned run form another aligned run, so tasks read slices.
            let (half, run) = if g.x == 0 {
                (0, BLOCK.min(a.len()))
            } else {
                let half = 1usize << (63 - (g.x as u64).leading_zeros());
                (half, BLOCK.min(half))
            };
            let n_tasks = if g.x == 0 { a.len() / run } else { a.len() / 2 / run };
            let task = |j: usize| {
                let base = if g.x == 0 { j * run } else { (j * run / half) * 2 * half + (j * run) % half };
                arch.dispatch(GroupSum { group: g, a, base, run })
            };
            total += if a.len() * g.terms.len() >= PARALLEL_MIN_WORK && n_tasks > 1 {
                let partials: Vec<f64> = (0..n_tasks).into_par_iter().map(task).collect();
                partials.into_iter().sum::<f64>()
            } else {
                (0..n_tasks).map(task).sum::<f64>()
            };
        }
        total
    }

    /// `H|ψ⟩`. Failure contract: as [`Self::expectation`].
    pub fn apply(&self, state: &StateVector) -> StateVector {
        assert_eq!(state.n_qubits(), self.n_qubits, "state and Hamiltonian differ in qubit count");
        let a = state.amplitudes();
        let mut out = vec![Complex64::new(self.constant, 0.0); a.len()];
        out.iter_mut().zip(a).for_each(|(o, u)| *o *= u);
        let work: usize = a.len() * self.groups.iter().map(|g| g.terms.len()).sum::<usize>();
        let arch = pulp::Arch::new();
        let fill = |offset: usize, chunk: &mut [Complex64]| {
            arch.dispatch(|| {
                for g in &self.groups {
                    for (k, o) in chunk.iter_mut().enumerate() {
                        let bp = (offset + k) ^ g.x;
                        let mut f = Complex64::new(0.0, 0.0);
                        for t in &g.terms {
                            let s = if (bp & t.z).count_ones() & 1 == 1 { -1.0 } else { 1.0 };
                            f += t.phase * s;
                        }
                        *o += f * a[bp];
                    }
                }
            })
        };
        if work >= PARALLEL_MIN_WORK && a.len() >= 2 * BLOCK {
            let len = a.len() / rayon::current_num_threads().max(1).next_power_of_two();
            let len = len.max(BLOCK);
            out.par_chunks_mut(len).enumerate().for_each(|(k, c)| fill(k * len, c));
        } else {
            fill(0, &mut out);
        }
        StateVector::from_amplitudes(out)
    }
}

/// One group's contribution from the pairs whose first index lies in `base .. base + run`
/// (bit h of the group's X mask clear), compiled for the processor's vector unit
/// (see [`super::simd`]).
struct GroupSum<'a> {
    group: &'a Group,
    a: &'a [Complex64],
    base: usize,
    run: usize,
}

impl pulp::WithSimd for GroupSum<'_> {
    type Output = f64;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) -> f64 {
        let GroupSum { group: g, a, base, run } = self;
        let sign = |b: usize, z: usize| f64::from_bits(1f64.to_bits() | (u64::from((b & z).count_ones() & 1) << 63));
        let lo = &a[base..base + run];
        if g.x == 0 {
            let mut acc = 0.0;
            for (k, u) in lo.iter().enumerate() {
                let w: f64 = g.terms.iter().map(|t| t.weight * sign(base + k, t.z)).sum();
                acc += w * u.norm_sqr();
            }
            return acc;
        }
        // Partners of the aligned run: bits of x below log2(run) permute within it, the rest
        // move it as a whole.
        let x_in = g.x & (run - 1);
        let partner = (base ^ g.x) & !(run - 1);
        let hi = &a[partner..partner + run];
        if let [t] = g.terms.as_slice() {
            let mut acc = [0.0; 4];
            for (c, u4) in lo.chunks_exact(4).enumerate() {
                for (j, u) in u4.iter().enumerate() {
                    let l = 4 * c + j;
                    let v = hi[l ^ x_in];
                    let p = if t.imag { u.re * v.im - u.im * v.re } else { u.re * v.re + u.im * v.im };
                    acc[j] += sign(base + l, t.z) * p;
                }
            }
            let rest: f64 = (run - run % 4..run)
                .map(|l| {
                    let (u, v) = (lo[l], hi[l ^ x_in]);
                    let p = if t.imag { u.re * v.im - u.im * v.re } else { u.re * v.re + u.im * v.im };
                    sign(base + l, t.z) * p
                })
                .sum();
            return t.weight * (acc[0] + acc[1] + acc[2] + acc[3] + rest);
        }
        let mut acc = 0.0;
        for (l, u) in lo.iter().enumerate() {
            let v = hi[l ^ x_in];
            let re = u.re * v.re + u.im * v.im;
            let im = u.re * v.im - u.im * v.re;
            for t in &g.terms {
                acc += t.weight * sign(base + l, t.z) * if t.imag { im } else { re };
            }
        }
        acc
    }
}
