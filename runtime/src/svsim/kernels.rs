//! Gate kernels over one tile: a slice of `2^m` amplitudes whose local bit `k` is one qubit of the
//! state (the stage's `k`-th local qubit, see [`super::plan`]).
//!
//! Three kernels cover every fused operation: a dense or diagonal 2×2 matrix on one qubit, a
//! "select" gate that applies `M0` or `M1` to a target depending on a control bit (CNOT, CZ and
//! the 1-qubit gates fused into them), and a Pauli rotation `α + β P` on any support. The loops
//! work on split real/imaginary arithmetic over contiguous runs so that the compiler vectorises
//! them; [`super::simd`] compiles them for the widest vector unit the processor has.
//!
//! Failure contract: the slice length is a power of two above every local qubit used; violations
//! are programming errors of the planner and panic through slice indexing.

use num_complex::Complex64;
use pulp::Simd;

use super::gate::Mat2;

/// `(lo, hi) ← M (lo, hi)` element-wise over two runs of equal length, in vectors of complex
/// numbers with a scalar tail.
#[inline(always)]
fn dense_runs<S: Simd>(simd: S, lo: &mut [Complex64], hi: &mut [Complex64], m: &Mat2) {
    let [[a, b], [c, d]] = *m;
    let (lo_v, lo_t) = S::as_mut_simd_c64s(lo);
    let (hi_v, hi_t) = S::as_mut_simd_c64s(hi);
    let (av, bv, cv, dv) = (simd.splat_c64s(a), simd.splat_c64s(b), simd.splat_c64s(c), simd.splat_c64s(d));
    for (u, v) in lo_v.iter_mut().zip(hi_v.iter_mut()) {
        let (x, y) = (*u, *v);
        *u = simd.mul_add_c64s(av, x, simd.mul_c64s(bv, y));
        *v = simd.mul_add_c64s(cv, x, simd.mul_c64s(dv, y));
    }
    for (u, v) in lo_t.iter_mut().zip(hi_t.iter_mut()) {
        let (x, y) = (*u, *v);
        *u = a * x + b * y;
        *v = c * x + d * y;
    }
}

/// `run ← z · run`.
#[inline(always)]
fn scale_run<S: Simd>(simd: S, run: &mut [Complex64], z: Complex64) {
    let (head, tail) = S::as_mut_simd_c64s(run);
    let zv = simd.splat_c64s(z);
    for u in head.iter_mut() {
        *u = simd.mul_c64s(zv, *u);
    }
    for u in tail.iter_mut() {
        *u *= z;
    }
}

fn is_diagonal(m: &Mat2) -> bool {
    m[0][1] == Complex64::new(0.0, 0.0) && m[1][0] == Complex64::new(0.0, 0.0)
}

const ONE: Complex64 = Complex64::new(1.0, 0.0);

/// How a 2×2 matrix is applied: not at all (the identity, e.g. the control-0 half of a CZ), as
/// two scalings that skip a factor of one, or densely.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Identity,
    Diagonal,
    Dense,
}

fn shape(m: &Mat2) -> Shape {
    match is_diagonal(m) {
        true if m[0][0] == ONE && m[1][1] == ONE => Shape::Identity,
        true => Shape::Diagonal,
        false => Shape::Dense,
    }
}

/// `(lo, hi) ← m (lo, hi)` over two runs of equal length, by `m`'s shape.
#[inline(always)]
fn pair_runs<S: Simd>(simd: S, lo: &mut [Complex64], hi: &mut [Complex64], m: &Mat2, shape: Shape) {
    match shape {
        Shape::Identity => {}
        Shape::Diagonal => {
            if m[0][0] != ONE {
                scale_run(simd, lo, m[0][0]);
            }
            if m[1][1] != ONE {
                scale_run(simd, hi, m[1][1]);
            }
        }
        Shape::Dense => dense_runs(simd, lo, hi, m),
    }
}

/// Applies the 2×2 matrix `m` across two runs: element `i` of `lo` and of `hi` are one qubit's
/// `|0⟩` and `|1⟩` amplitudes (the density-matrix simulator's column pairs). Failure contract:
/// panics on runs of different lengths.
#[inline(always)]
pub fn apply_across<S: Simd>(simd: S, lo: &mut [Complex64], hi: &mut [Complex64], m: &Mat2) {
    assert_eq!(lo.len(), hi.len(), "runs of one pair differ in length");
    pair_runs(simd, lo, hi, m, shape(m));
}

/// Applies the 2×2 matrix `m` to qubit `q` of the tile `a`.
#[inline(always)]
pub fn apply_one<S: Simd>(simd: S, a: &mut [Complex64], q: u32, m: &Mat2) {
    let half = 1usize << q;
    let shape = shape(m);
    match shape {
        Shape::Identity => {}
        Shape::Diagonal if half == 1 => {
            let (d0, d1) = (m[0][0], m[1][1]);
            for pair in a.chunks_exact_mut(2) {
                pair[0] *= d0;
                pair[1] *= d1;
            }
        }
        _ => {
            for block in a.chunks_exact_mut(2 * half) {
                let (lo, hi) = block.split_at_mut(half);
                pair_runs(simd, lo, hi, m, shape);
            }
        }
    }
}

/// Applies `m0` to target `t` where control bit `c` is 0 and `m1` where it is 1 (`c ≠ t`).
#[inline(always)]
pub fn apply_select<S: Simd>(simd: S, a: &mut [Complex64], c: u32, t: u32, m0: &Mat2, m1: &Mat2) {
    let (cbit, tbit) = (1usize << c, 1usize << t);
    if c > t {
        for block in a.chunks_exact_mut(2 * cbit) {
            let (off, on) = block.split_at_mut(cbit);
            apply_one(simd, off, t, m0);
            apply_one(simd, on, t, m1);
        }
    } else {
        let (s0, s1) = (shape(m0), shape(m1));
        for block in a.chunks_exact_mut(2 * tbit) {
            let (lo, hi) = block.split_at_mut(tbit);
            for (l, h) in lo.chunks_exact_mut(2 * cbit).zip(hi.chunks_exact_mut(2 * cbit)) {
                let (l0, l1) = l.split_at_mut(cbit);
                let (h0, h1) = h.split_at_mut(cbit);
                pair_runs(simd, l0, h0, m0, s0);
                pair_runs(simd, l1, h1, m1, s1);
            }
        }
    }
}

/// `a ← (α + β P) a` for the Pauli string with local masks `x`, `z` (`P|b⟩ = i^{ny} (−1)^{|b∧z|} |b⊕x⟩`).
#[inline(always)]
pub fn apply_pauli(a: &mut [Complex64], x: usize, z: usize, alpha: Complex64, beta: Complex64) {
    let sign = |b: usize| if (b & z).count_ones() & 1 == 1 { -1.0 } else { 1.0 };
    if x == 0 {
        let (plus, minus) = (alpha + beta, alpha - beta);
        for (b, u) in a.iter_mut().enumerate() {
            *u *= if sign(b) < 0.0 { minus } else { plus };
        }
        return;
    }
    let ny = (x & z).count_ones();
    let i_ny = match ny % 4 {
        0 => Complex64::new(1.0, 0.0),
        1 => Complex64::new(0.0, 1.0),
        2 => Complex64::new(-1.0, 0.0),
        _ => Complex64::new(0.0, -1.0),
    };
    let flip = if ny % 2 == 0 { 1.0 } else { -1.0 };
    let beta = beta * i_ny;
    let h = 63 - (x as u64).leading_zeros();
    let half = 1usize << h;
    let x_low = x & (half - 1);
    for (k, block) in a.chunks_exact_mut(2 * half).enumerate() {
        let base = 2 * half * k;
        let (lo, hi) = block.split_at_mut(half);
        for (l, u) in lo.iter_mut().enumerate() {
            let v = &mut hi[l ^ x_low];
            let s_b = sign(base + l);
            let (ub, vb) = (*u, *v);
            // (Pψ)[b] = i^{ny} s_{b'} ψ[b'] with s_{b'} = s_b (−1)^{ny}, and symmetrically.
            *u = alpha * ub + beta * (s_b * flip) * vb;
            *v = alpha * vb + beta * s_b * ub;
        }
    }
}
