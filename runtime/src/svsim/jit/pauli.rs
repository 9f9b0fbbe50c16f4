//! [`JitPauliSum`]: `⟨ψ|H|ψ⟩` for a Pauli sum, one native function and one pass per X mask.
//!
//! Terms with X mask `x ≠ 0` pair the amplitudes `(b, b ⊕ x)` with bit `h` (the highest of `x`)
//! of `b` clear; with `s_b = (−1)^{|b∧z|}` a term adds `w s_b Re(conj ψ_b ψ_{b⊕x})` (`ny` even) or
//! `w s_b Im(…)` (`ny` odd), `w = ±2c` (see `svsim::pauli_sum`). The diagonal group (`x = 0`)
//! adds `c s_b |ψ_b|²`; identity terms join it with `z = 0`, so they cost no pass of their own.
//!
//! A group's function walks *outer* indices: `b = b₀ | i` with `i` running over the `2^B`
//! combinations of the lowest `B ≤ 3` bits other than `h` (unrolled, offsets are immediates) and
//! `b₀` over the remaining bits. Per pair it forms `conj`-products as `f64x2` lanes — `u·v =
//! [u.re v.re, u.im v.im]` (real part = lane sum) and `u·swap(v) = [u.re v.im, u.im v.re]`
//! (imaginary part = lane difference) — sums them with the inner signs of each distinct
//! `(z ∧ inner, kind)` pattern, and adds the pattern to each term's accumulator with the outer
//! sign `(−1)^{|b₀∧z|}` from a population count. The weights are applied once, at the end.
//!
//! Each group is one pass over the state, cut into chunks: the state is walked chunk by chunk
//! (up to `2^15` amplitudes), and for each chunk every group whose pairs start there sums them (groups
//! sorted by X mask, so groups with the same partner chunk follow each other). A chunk stays in
//! cache while all groups read it, so the state is read from memory about `1 + groups / 2` times
//! rather than twice per group.
//!
//! Threading: for states of at least [`PARALLEL_MIN_QUBITS`] qubits chunks run on rayon's pool;
//! partial sums are added in chunk order, so the result does not depend on the thread count.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, Value};
use cranelift_frontend::FunctionBuilder;
use rayon::prelude::*;

use super::backend::Backend;
use super::call::{Code, Shape};
use super::emit::{negate_if, swap, table_mem, zero, C64};
use super::JitError;
use crate::qubit::{PauliString, PauliSum};
use crate::sim::statevector::{StateVector, PARALLEL_MIN_QUBITS};
use crate::svsim::tiles::deposit;

/// Inner bits unrolled per outer iteration (at most).
const INNER_BITS: u32 = 5;

/// The largest chunk (`2^15` amplitudes, 512 KiB): a chunk stays in the L2 cache while every
/// group's pairs between it and its partners are summed.
const CHUNK_BITS: u32 = 15;

/// States of more than this many qubits are cut into at least `2^3` chunks, for the threads;
/// smaller ones are one chunk.
const MIN_SPLIT_QUBITS: u32 = 9;

/// Qubits per chunk for an `n`-qubit state (a chunk holds at least one outer iteration).
fn chunk_bits(n: u32) -> u32 {
    if n <= MIN_SPLIT_QUBITS {
        n
    } else {
        CHUNK_BITS.min(n - 3)
    }
}

/// One term of a group after merging: outer and inner Z bits, the part it reads, its weight.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Term {
    z: u64,
    imag: bool,
    weight: f64,
}

/// A compiled group: its function, X mask and unrolled inner bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct GroupCode {
    index: usize,
    x: u64,
    /// Unrolled inner bits of an outer iteration.
    inner_bits: u32,
}

impl GroupCode {
    /// The outer iterations whose first amplitudes `b` lie in chunk `c` (amplitudes
    /// `c·2^k .. (c+1)·2^k`), or `None` when the chunk does not own the group's pairs there (their
    /// first amplitudes lie in the partner chunk `c ⊕ (x >> k)`). The iterations of a chunk are
    /// consecutive because `b₀` grows with the outer index.
    fn chunk_range(&self, c: u64, k: u32) -> Option<(u64, u64)> {
        let b = u64::from(self.inner_bits);
        let (index, bits) = match self.x.checked_ilog2() {
            None => (c, u64::from(k) - b),
            Some(h) if h < k => (c, u64::from(k) - 1 - b),
            Some(h) => {
                let hc = h - k;
                if c >> hc & 1 == 1 {
                    return None;
                }
                (((c >> (hc + 1)) << hc) | (c & ((1 << hc) - 1)), u64::from(k) - b)
            }
        };
        Some((index << bits, (index + 1) << bits))
    }
}

/// A Pauli sum compiled for repeated expectation values on `n_qubits` qubits.
#[derive(Debug)]
pub struct JitPauliSum {
    n_qubits: u32,
    groups: Vec<GroupCode>,
    code: Code,
}

/// Terms grouped by X mask (first appearance order), identity terms in the diagonal group.
fn group_terms(terms: &[(PauliString, f64)]) -> Vec<(u64, Vec<Term>)> {
    let mut groups: Vec<(u64, Vec<Term>)> = Vec::new();
    let mut constant = None;
    for &(p, c) in terms {
        if p.x == 0 && p.z == 0 {
            *constant.get_or_insert(0.0) += c;
            continue;
        }
        let ny = (p.x & p.z).count_ones() % 4;
        let (weight, imag) = if p.x == 0 { (c, false) } else { (if ny < 2 { 2.0 * c } else { -2.0 * c }, ny % 2 == 1) };
        let term = Term { z: p.z, imag, weight };
        match groups.iter_mut().find(|(x, _)| *x == p.x) {
            Some((_, ts)) => ts.push(term),
            None => groups.push((p.x, vec![term])),
        }
    }
    if let Some(c) = constant {
        let term = Term { z: 0, imag: false, weight: c };
        match groups.iter_mut().find(|(x, _)| *x == 0) {
            Some((_, ts)) => ts.push(term),
            None => groups.push((0, vec![term])),
        }
    }
    groups
}

/// How a group's function splits an index: the unrolled inner bits and the outer bits.
#[derive(Clone, Copy, Debug)]
struct Split {
    inner: u64,
    /// `b₀ = insert_zero(o << shift, h)` when `insert` (bit `h` lies among the outer bits).
    shift: u32,
    insert: Option<u32>,
    outer: u64,
}

fn split(n: u32, x: u64) -> Split {
    let all = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    let h = (x != 0).then(|| 63 - x.leading_zeros());
    let free = all & !h.map_or(0, |h| 1u64 << h);
    let bits = INNER_BITS.min(free.count_ones());
    let inner = (0..bits).fold(0u64, |m, k| m | deposit(1 << k, free as usize) as u64);
    let shift = (all & !inner & h.map_or(u64::MAX, |h| !(1u64 << h)) | !all).trailing_zeros().min(n);
    let insert = h.filter(|&h| h > shift);
    Split { inner, shift, insert, outer: 1u64 << (free.count_ones() - bits) }
}

/// Defines the function of one group: `extern "C" fn(amps, begin, end) -> f64`.
fn define_group(backend: &mut Backend, n: u32, x: u64, terms: &[Term]) -> Result<GroupCode, JitError> {
    let sp = split(n, x);
    // Merge terms that read the same part with the same signs on every pair.
    let mut merged: Vec<Term> = Vec::new();
    for t in terms {
        let z = t.z & !x.checked_ilog2().map_or(0, |h| 1u64 << h);
        match merged.iter_mut().find(|m| m.z == z && m.imag == t.imag) {
            Some(m) => m.weight += t.weight,
            None => merged.push(Term { z, ..*t }),
        }
    }
    let mut patterns: Vec<(u64, bool)> = Vec::new();
    let pattern_of: Vec<usize> = merged
        .iter()
        .map(|t| {
            let key = (t.z & sp.inner, t.imag);
            patterns.iter().position(|&p| p == key).unwrap_or_else(|| {
                patterns.push(key);
                patterns.len() - 1
            })
        })
        .collect();
    let offsets: Vec<(i32, i32)> = (0..1usize << sp.inner.count_ones())
        .map(|j| {
            let lo = deposit(j, sp.inner as usize) as u64;
            ((16 * lo) as i32, (16 * (lo ^ (x & sp.inner))) as i32)
        })
        .collect();
    let partner_outer = x & !sp.inner;
    let index = backend.define(&[types::I64, types::I64, types::I64], &[types::F64], |b, args| {
        let (amps, begin, end) = (args[0], args[1], args[2]);
        let header = b.create_block();
        let exit = b.create_block();
        b.append_block_param(header, types::I64);
        for _ in &merged {
            b.append_block_param(header, C64);
            b.append_block_param(exit, C64);
        }
        let z0 = zero(b);
        let start: Vec<_> = std::iter::once(begin).chain(merged.iter().map(|_| z0)).map(Into::into).collect();
        b.ins().jump(header, &start);
        b.switch_to_block(header);
        let params = b.block_params(header).to_vec();
        let o = params[0];
        let mut b0 = b.ins().ishl_imm(o, i64::from(sp.shift));
        if let Some(h) = sp.insert {
            let low = b.ins().band_imm(b0, ((1u64 << h) - 1) as i64);
            let high = b.ins().ushr_imm(b0, i64::from(h));
            let high = b.ins().ishl_imm(high, i64::from(h + 1));
            b0 = b.ins().bor(low, high);
        }
        let sums = pattern_sums(b, amps, b0, x, partner_outer, &offsets, &patterns);
        let mut next_args = Vec::with_capacity(params.len());
        let next = b.ins().iadd_imm(o, 1);
        next_args.push(next.into());
        for ((t, &acc), &p) in merged.iter().zip(&params[1..]).zip(&pattern_of) {
            let outer_z = t.z & !sp.inner;
            let d = if outer_z == 0 {
                sums[p]
            } else {
                let masked = b.ins().band_imm(b0, outer_z as i64);
                let parity = b.ins().popcnt(masked);
                negate_if(b, sums[p], parity)
            };
            next_args.push(b.ins().fadd(acc, d).into());
        }
        let more = b.ins().icmp(IntCC::UnsignedLessThan, next, end);
        b.ins().brif(more, header, &next_args, exit, &next_args[1..]);
        b.switch_to_block(exit);
        let accs = b.block_params(exit).to_vec();
        let mut total = b.ins().f64const(0.0);
        for (t, acc) in merged.iter().zip(accs) {
            let (l0, l1) = (b.ins().extractlane(acc, 0), b.ins().extractlane(acc, 1));
            let part = if t.imag { b.ins().fsub(l0, l1) } else { b.ins().fadd(l0, l1) };
            let w = b.ins().f64const(t.weight);
            total = b.ins().fma(w, part, total);
        }
        b.ins().return_(&[total]);
        Shape::Group { amplitudes: 1usize << n, outer: sp.outer }
    })?;
    Ok(GroupCode { index, x, inner_bits: sp.inner.count_ones() })
}

/// Loads the pairs of one outer iteration and returns, per pattern `(z ∧ inner, imag)`, the
/// inner-signed sum of the pairs' products.
fn pattern_sums(
    b: &mut FunctionBuilder,
    amps: Value,
    b0: Value,
    x: u64,
    partner_outer: u64,
    offsets: &[(i32, i32)],
    patterns: &[(u64, bool)],
) -> Vec<Value> {
    let base_bytes = b.ins().ishl_imm(b0, 4);
    let ub = b.ins().iadd(amps, base_bytes);
    let vb = if x == 0 {
        ub
    } else {
        let p = b.ins().bxor_imm(b0, partner_outer as i64);
        let bytes = b.ins().ishl_imm(p, 4);
        b.ins().iadd(amps, bytes)
    };
    let need_re = patterns.iter().any(|p| !p.1);
    let need_im = patterns.iter().any(|p| p.1);
    let mut re = Vec::new();
    let mut im = Vec::new();
    for &(lo, hi) in offsets {
        let u = b.ins().load(C64, table_mem(), ub, lo);
        let v = if x == 0 { u } else { b.ins().load(C64, table_mem(), vb, hi) };
        if need_re {
            re.push(b.ins().fmul(u, v));
        }
        if need_im {
            let sv = swap(b, v);
            im.push(b.ins().fmul(u, sv));
        }
    }
    patterns
        .iter()
        .map(|&(z, imag)| {
            let products = if imag { &im } else { &re };
            let signed =
                offsets.iter().zip(products).map(|(&(lo, _), &p)| (p, ((lo as u64 / 16) & z).count_ones() % 2 == 1));
            let (sum, negative) = signed_sum(b, signed.collect());
            if negative {
                b.ins().fneg(sum)
            } else {
                sum
            }
        })
        .collect()
}

/// `Σ ±v` as a balanced tree (short dependency chains), returned as `(s, negative)` meaning
/// `±s`. Failure contract: `terms` is not empty (a programming error).
fn signed_sum(b: &mut FunctionBuilder, mut terms: Vec<(Value, bool)>) -> (Value, bool) {
    while terms.len() > 1 {
        terms = terms
            .chunks(2)
            .map(|pair| match *pair {
                [(x, nx), (y, ny)] => match (nx, ny) {
                    (false, false) => (b.ins().fadd(x, y), false),
                    (false, true) => (b.ins().fsub(x, y), false),
                    (true, false) => (b.ins().fsub(y, x), false),
                    (true, true) => (b.ins().fadd(x, y), true),
                },
                [single] => single,
                _ => unreachable!("chunks of at most two"),
            })
            .collect();
    }
    terms[0]
}

impl JitPauliSum {
    /// Groups `terms` (string, real coefficient; repeated strings add) by X mask and compiles one
    /// function per group; identity terms join the diagonal group. Errors: a string acts on a
    /// qubit ≥ `n_qubits` ([`JitError::QubitOutOfRange`]), the host is not supported, or code
    /// generation fails.
    pub fn compile(n_qubits: u32, terms: &[(PauliString, f64)]) -> Result<JitPauliSum, JitError> {
        for (term, (p, _)) in terms.iter().enumerate() {
            if n_qubits < 64 && (p.x | p.z) >> n_qubits != 0 {
                return Err(JitError::QubitOutOfRange { term, n_qubits });
            }
        }
        let mut backend = Backend::new()?;
        let mut grouped = group_terms(terms);
        // Groups sharing the high part of their X mask read the same partner chunk one after
        // another.
        grouped.sort_by_key(|(x, _)| *x);
        let groups = grouped
            .iter()
            .map(|(x, ts)| define_group(&mut backend, n_qubits, *x, ts))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(JitPauliSum { n_qubits, groups, code: backend.finish()? })
    }

    /// From a [`PauliSum`] (its constant term included). Errors: as [`Self::compile`].
    pub fn from_sum(sum: &PauliSum) -> Result<JitPauliSum, JitError> {
        Self::compile(sum.n_qubits, &sum.terms)
    }

    /// The number of X-mask groups (passes over the state; identity terms need none of their own).
    pub fn n_groups(&self) -> usize {
        self.groups.len()
    }

    /// `⟨ψ|H|ψ⟩` (real; `H` is Hermitian). Failure contract: panics if the state has another
    /// qubit count.
    pub fn expectation(&self, state: &StateVector) -> f64 {
        assert_eq!(state.n_qubits(), self.n_qubits, "state and Hamiltonian differ in qubit count");
        let a = state.amplitudes();
        let k = chunk_bits(self.n_qubits);
        let chunk = |c: u64| -> f64 {
            self.groups
                .iter()
                .filter_map(|g| g.chunk_range(c, k).map(|(begin, end)| self.code.sum_group(g.index, a, begin, end)))
                .sum()
        };
        let n_chunks = 1u64 << (self.n_qubits - k);
        if self.n_qubits >= PARALLEL_MIN_QUBITS && n_chunks > 1 {
            let partials: Vec<f64> = (0..n_chunks).into_par_iter().map(chunk).collect();
            partials.into_iter().sum()
        } else {
            (0..n_chunks).map(chunk).sum()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_terms_join_the_diagonal_group() {
        let z0 = PauliString::single('Z', 0);
        let x1 = PauliString::single('X', 1);
        let groups = group_terms(&[(x1, 0.5), (PauliString::IDENTITY, 2.0), (z0, 1.0), (PauliString::IDENTITY, 1.0)]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[1].0, 0);
        assert_eq!(groups[1].1, vec![Term { z: 1, imag: false, weight: 1.0 }, Term { z: 0, imag: false, weight: 3.0 }]);
        assert_eq!(groups[0].1, vec![Term { z: 0, imag: false, weight: 1.0 }]);
    }

    #[test]
    fn chunk_ranges_cover_every_outer_iteration_once() {
        for n in 1..10u32 {
            for x in [0u64, 1, 0b110, 1 << (n - 1), (1 << n) - 1, 0b1_0110_0000 & ((1 << n) - 1)] {
                let sp = split(n, x);
                let g = GroupCode { index: 0, x, inner_bits: sp.inner.count_ones() };
                let ks: Vec<u32> = if n > INNER_BITS + 1 { (INNER_BITS + 1..=n).collect() } else { vec![n] };
                for k in ks {
                    let mut covered: Vec<(u64, u64)> =
                        (0..1u64 << (n - k)).filter_map(|c| g.chunk_range(c, k)).collect();
                    covered.sort_unstable();
                    let mut next = 0;
                    for (begin, end) in covered {
                        assert_eq!(begin, next, "n={n} x={x:b} k={k}");
                        assert!(end > begin);
                        next = end;
                    }
                    assert_eq!(next, sp.outer, "n={n} x={x:b} k={k}");
                }
            }
        }
    }

    #[test]
    fn split_covers_every_pair_once() {
        for n in 1..7u32 {
            for x in 0..1u64 << n {
                let sp = split(n, x);
                let h = x.checked_ilog2();
                let mut seen = vec![false; 1 << n];
                for o in 0..sp.outer {
                    let mut b0 = o << sp.shift;
                    if let Some(h) = sp.insert {
                        b0 = (b0 & ((1 << h) - 1)) | ((b0 >> h) << (h + 1));
                    }
                    for j in 0..1usize << sp.inner.count_ones() {
                        let b = b0 as usize | deposit(j, sp.inner as usize);
                        assert!(h.is_none_or(|h| b >> h & 1 == 0), "n={n} x={x}: b={b} has bit h");
                        assert!(!seen[b], "n={n} x={x}: b={b} twice");
                        seen[b] = true;
                    }
                }
                let expected = if x == 0 { 1 << n } else { 1 << (n - 1) };
                assert_eq!(seen.iter().filter(|&&s| s).count(), expected, "n={n} x={x}");
            }
        }
    }
}
