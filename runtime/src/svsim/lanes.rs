//! Four amplitudes as eight `f64` lanes (`re, im` interleaved): the unit of the Pauli-sum and
//! adjoint loops.
//!
//! A block is `[f64; 8]`; lane `2j` is the real part and lane `2j + 1` the imaginary part of the
//! block's amplitude `j`. Permutations are compile-time lane shuffles ([`permute`]) and signs are
//! lane constants or one broadcast per block ([`parity_sign`]), so that LLVM turns every
//! lane-by-lane loop into vector instructions when it is inlined into a [`pulp`] dispatch (two
//! AVX2 registers per block).

use num_complex::Complex64;
use pulp::bytemuck;

/// Four amplitudes, interleaved real and imaginary parts.
pub type Block = [f64; 8];

/// Amplitudes per block.
pub const AMPS: usize = 4;

/// `log2` of [`AMPS`]: the index bits inside a block.
pub const AMP_BITS: u32 = 2;

/// The amplitudes as blocks. Failure contract: panics unless the length is a multiple of
/// [`AMPS`] (a state of at least two qubits).
pub fn blocks(a: &[Complex64]) -> &[Block] {
    bytemuck::cast_slice(a)
}

/// The amplitudes as mutable blocks. Failure contract: as [`blocks`].
pub fn blocks_mut(a: &mut [Complex64]) -> &mut [Block] {
    bytemuck::cast_slice_mut(a)
}

/// `v` with amplitude `j` taken from `j ⊕ XJ` and, when `SWAP`, its real and imaginary parts
/// exchanged.
#[inline(always)]
pub fn permute<const XJ: usize, const SWAP: bool>(v: &Block) -> Block {
    std::array::from_fn(|i| v[(((i >> 1) ^ XJ) << 1) | ((i & 1) ^ usize::from(SWAP))])
}

/// `(−1)^{popcount(b)}` as a float, without a branch.
#[inline(always)]
pub fn parity_sign(b: usize) -> f64 {
    f64::from_bits(1f64.to_bits() | (u64::from(b.count_ones() & 1) << 63))
}

/// `Σ_i w[i] v[i]`.
#[inline(always)]
pub fn dot(w: &Block, v: &Block) -> f64 {
    w.iter().zip(v).map(|(a, b)| a * b).sum()
}

/// The lane signs `(−1)^{popcount(j ∧ z)}` of a block's amplitudes for the low bits of a Z mask.
pub fn z_signs(z: usize) -> Block {
    std::array::from_fn(|i| parity_sign((i >> 1) & z))
}
