//! Runs bound operations on a tile, compiled for the widest vector unit the processor has.
//!
//! `pulp` selects, once per call, a copy of [`ApplyOps::with_simd`] compiled with AVX2/FMA (or
//! AVX-512, or the baseline) enabled; it and the kernels are `#[inline(always)]` so that their
//! loops are vectorised inside that copy (a plain closure would be compiled for the baseline).

use num_complex::Complex64;
use pulp::{Simd, WithSimd};

use super::fusion::BoundOp;
use super::kernels::{apply_one, apply_pauli, apply_select};

/// The operations of one stage on one tile.
struct ApplyOps<'a> {
    tile: &'a mut [Complex64],
    ops: &'a [BoundOp],
}

impl WithSimd for ApplyOps<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        for op in self.ops {
            match op {
                BoundOp::One { q, m } => apply_one(simd, self.tile, *q, m),
                BoundOp::Select { c, t, m0, m1 } => apply_select(simd, self.tile, *c, *t, m0, m1),
                BoundOp::Pauli { p, alpha, beta } => apply_pauli(self.tile, p.x as usize, p.z as usize, *alpha, *beta),
            }
        }
    }
}

/// Applies `ops` in order to `tile`, whose local qubits the operations already use.
pub fn apply_ops(arch: pulp::Arch, tile: &mut [Complex64], ops: &[BoundOp]) {
    arch.dispatch(ApplyOps { tile, ops });
}
