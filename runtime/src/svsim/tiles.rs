//! Gathered tiles: the one place the simulator shares a state vector between threads by pointer.
//!
//! A stage whose local qubits are not the lowest `m` works on tiles that are not contiguous: a
//! tile is every amplitude whose non-local ("outer") bits equal one value, `2^k` runs of `2^l`
//! contiguous amplitudes (`l` low local qubits, `k` higher local qubits). Each tile is copied into a
//! per-thread buffer, transformed there while it sits in cache, and copied back.
//!
//! SAFETY (the invariant this module's `unsafe` rests on): the index bits split into outer bits,
//! high local bits and low local bits, so the map (tile, run, offset) → index is a bijection and
//! two different tiles share no amplitude. [`for_each_tile`] holds the only `&mut` borrow of the
//! state for its whole duration and hands each tile index to exactly one closure call, so no two
//! threads ever read or write the same amplitude, and no amplitude outside the slice is touched
//! (every index is below `2^n = a.len()`).
#![allow(unsafe_code)]

use num_complex::Complex64;
use rayon::prelude::*;

/// `value`'s low bits deposited, in order, into the set bits of `mask`.
pub fn deposit(mut value: usize, mut mask: usize) -> usize {
    let mut out = 0;
    while mask != 0 && value != 0 {
        let bit = mask & mask.wrapping_neg();
        if value & 1 == 1 {
            out |= bit;
        }
        value >>= 1;
        mask &= mask - 1;
    }
    out
}

/// A raw view of the state for disjoint tile access from several threads.
struct Shared {
    ptr: *mut Complex64,
}

// The pointer is only dereferenced at indices of one tile per closure call (see the module
// SAFETY note), so sharing it between threads cannot create overlapping accesses.
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

impl Shared {
    /// The state's first amplitude (a method, so closures capture the `Sync` wrapper).
    fn base(&self) -> *mut Complex64 {
        self.ptr
    }
}

/// Runs `f` on every tile of the state `a` (length `2^n`) with the local qubits `local` (a mask
/// whose lowest `l ≥ 0` bits are set contiguously), gathering each tile into a buffer of
/// `2^popcount(local)` amplitudes in which local bit `k` is the `k`-th local qubit. Tiles run in
/// parallel when `parallel` is set. Failure contract: panics if `local` has bits at or above `n`
/// or `a.len() != 2^n` (programming errors of the planner).
pub fn for_each_tile(a: &mut [Complex64], n: u32, local: u64, parallel: bool, f: impl Fn(&mut [Complex64]) + Sync) {
    assert_eq!(a.len(), 1usize << n, "state length does not match the qubit count");
    assert!(n == 64 || local >> n == 0, "local qubits outside the state");
    let local = local as usize;
    let m = local.count_ones();
    let low = local.trailing_ones();
    let run = 1usize << low;
    let high_mask = local & !(run - 1);
    let outer = !local & (a.len() - 1);
    let runs: Vec<usize> = (0..1usize << (m - low)).map(|j| deposit(j, high_mask)).collect();
    let n_tiles = 1usize << (n - m);
    let shared = Shared { ptr: a.as_mut_ptr() };
    let work = |buf: &mut Vec<Complex64>, tile: usize| {
        let base = deposit(tile, outer);
        for (j, &off) in runs.iter().enumerate() {
            let start = base | off;
            // SAFETY: [start, start + run) lies inside the state and inside this tile only.
            let src = unsafe { std::slice::from_raw_parts(shared.base().add(start), run) };
            buf[j * run..(j + 1) * run].copy_from_slice(src);
        }
        f(buf);
        for (j, &off) in runs.iter().enumerate() {
            let start = base | off;
            // SAFETY: as above; no other call touches this tile.
            let dst = unsafe { std::slice::from_raw_parts_mut(shared.base().add(start), run) };
            dst.copy_from_slice(&buf[j * run..(j + 1) * run]);
        }
    };
    let new_buf = || vec![Complex64::new(0.0, 0.0); 1usize << m];
    if parallel && n_tiles > 1 {
        (0..n_tiles).into_par_iter().for_each_init(new_buf, |buf, tile| work(buf, tile));
    } else {
        let mut buf = new_buf();
        for tile in 0..n_tiles {
            work(&mut buf, tile);
        }
    }
}
