//! The two loops behind [`super::pauli_sum::PauliSumKernel`], over blocks of four amplitudes
//! ([`super::lanes`]).
//!
//! A Pauli string with X mask `x` pairs amplitude `4c + j` with `4(c ⊕ xc) + (j ⊕ xj)`, where
//! `xc = x >> 2` and `xj = x & 3`: the partner block is `c ⊕ xc`, and inside it the amplitudes are
//! permuted by `xj` (a lane shuffle fixed at compile time, one copy per `xj`). The sign
//! `(−1)^{|b ∧ z|}` splits the same way: one broadcast per block for the bits above the block,
//! lane constants (folded into the caller's coefficients) for the two bits inside it.
//!
//! Both loops must be inlined into a [`pulp`] dispatch to be vectorised. Failure contract: `a`
//! and `b` (or `out` and `src`) have equal power-of-two lengths and `xc` is below them; violations
//! are programming errors and panic through slice indexing.

use super::lanes::{parity_sign, permute, Block};

/// Independent accumulators in [`pair_sum`], to hide the latency of the fused multiply-adds.
const UNROLL: usize = 4;

/// Lane sums `Σ_c σ_c · a[c] ⊙ π(b[c ⊕ xc])`, with `σ_c = (−1)^{|(base + c) ∧ zc|}` and `π` the
/// permutation by `xj`, preceded when `imag` by the exchange of real and imaginary parts. With
/// lane weights `w`, `w · result` is then `Σ_c σ_c Σ_j w_j Re` (or, with `imag`, `Im` for
/// `w = (w, −w)`) of `conj(a_j) b_{j⊕xj}`. `base` is `a[0]`'s block index in the state, with
/// its bits below `a.len()` clear.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub fn pair_sum(a: &[Block], b: &[Block], xc: usize, xj: usize, imag: bool, base: usize, zc: usize) -> Block {
    match (xj, imag) {
        (0, false) => pair_sum_with::<0, false>(a, b, xc, base, zc),
        (1, false) => pair_sum_with::<1, false>(a, b, xc, base, zc),
        (2, false) => pair_sum_with::<2, false>(a, b, xc, base, zc),
        (3, false) => pair_sum_with::<3, false>(a, b, xc, base, zc),
        (0, true) => pair_sum_with::<0, true>(a, b, xc, base, zc),
        (1, true) => pair_sum_with::<1, true>(a, b, xc, base, zc),
        (2, true) => pair_sum_with::<2, true>(a, b, xc, base, zc),
        _ => pair_sum_with::<3, true>(a, b, xc, base, zc),
    }
}

#[inline(always)]
fn pair_sum_with<const XJ: usize, const SWAP: bool>(
    a: &[Block],
    b: &[Block],
    xc: usize,
    base: usize,
    zc: usize,
) -> Block {
    // `b` is walked in order (it is the partner chunk, streamed from memory) and `a` (in cache)
    // by `c ⊕ xc`; `σ` at `a`'s index `c ⊕ xc` is `σ` at `c` times `(−1)^{|xc ∧ zc|}`. In the
    // unrolled loop `σ` is split into one sign per group of `UNROLL` blocks and a fixed sign per
    // accumulator, applied at the end.
    let mut acc = [[0.0; 8]; UNROLL];
    let whole = b.len() - b.len() % UNROLL;
    for (k, vs) in b[..whole].chunks_exact(UNROLL).enumerate() {
        let group = k * UNROLL;
        let s = parity_sign((base | group) & zc);
        for (r, v) in vs.iter().enumerate() {
            let v = permute::<XJ, SWAP>(v);
            let u = &a[(group + r) ^ xc];
            for i in 0..8 {
                acc[r][i] = (s * u[i]).mul_add(v[i], acc[r][i]);
            }
        }
    }
    let mut rest = [0.0; 8];
    for (c, v) in b.iter().enumerate().skip(whole) {
        let v = permute::<XJ, SWAP>(v);
        let u = &a[c ^ xc];
        let s = parity_sign((base | c) & zc);
        for i in 0..8 {
            rest[i] = (s * u[i]).mul_add(v[i], rest[i]);
        }
    }
    let signs: [f64; UNROLL] = std::array::from_fn(|r| parity_sign(r & zc));
    let flip = parity_sign(xc & zc);
    std::array::from_fn(|i| {
        let unrolled = (signs[0] * acc[0][i] + signs[1] * acc[1][i]) + (signs[2] * acc[2][i] + signs[3] * acc[3][i]);
        flip * (unrolled + rest[i])
    })
}

/// `out[c] += σ_c · w ⊙ π(src[c ⊕ xc])` with `σ_c`, `π` as in [`pair_sum`] (`base` is `out[0]`'s
/// block index): `w` holds the term's coefficient and lane signs.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub fn accumulate(
    out: &mut [Block],
    src: &[Block],
    xc: usize,
    xj: usize,
    imag: bool,
    base: usize,
    zc: usize,
    w: &Block,
) {
    match (xj, imag) {
        (0, false) => accumulate_with::<0, false>(out, src, xc, base, zc, w),
        (1, false) => accumulate_with::<1, false>(out, src, xc, base, zc, w),
        (2, false) => accumulate_with::<2, false>(out, src, xc, base, zc, w),
        (3, false) => accumulate_with::<3, false>(out, src, xc, base, zc, w),
        (0, true) => accumulate_with::<0, true>(out, src, xc, base, zc, w),
        (1, true) => accumulate_with::<1, true>(out, src, xc, base, zc, w),
        (2, true) => accumulate_with::<2, true>(out, src, xc, base, zc, w),
        _ => accumulate_with::<3, true>(out, src, xc, base, zc, w),
    }
}

#[inline(always)]
fn accumulate_with<const XJ: usize, const SWAP: bool>(
    out: &mut [Block],
    src: &[Block],
    xc: usize,
    base: usize,
    zc: usize,
    w: &Block,
) {
    for (c, o) in out.iter_mut().enumerate() {
        let v = permute::<XJ, SWAP>(&src[c ^ xc]);
        let s = parity_sign((base | c) & zc);
        for i in 0..8 {
            o[i] = (s * w[i]).mul_add(v[i], o[i]);
        }
    }
}
